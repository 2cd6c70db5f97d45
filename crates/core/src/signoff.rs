//! `signoffs/<bucket>/<model>/<gate>/<stamp>-<member>.toml` (format 2;
//! `signoffs/<model>/<gate>/...` in format 1): one sign-off, never edited or deleted.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Malformed;
use crate::id;

pub const DIR: &str = "signoffs";
const STAMP: &str = "%Y%m%dT%H%M%SZ";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Decision {
    Approve,
    ChangesRequested,
    Reject,
    /// Takes back the member's own latest sign-off on the gate (named by `withdraws`): from
    /// then on none of their sign-offs on the gate up to this one counts.
    Withdraw,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::ChangesRequested => "changes-requested",
            Decision::Reject => "reject",
            Decision::Withdraw => "withdraw",
        }
    }

    pub fn parse(s: &str) -> Option<Decision> {
        [Decision::Approve, Decision::ChangesRequested, Decision::Reject, Decision::Withdraw]
            .into_iter()
            .find(|d| d.as_str() == s)
    }
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ItemState {
    Done,
    NotApplicable,
    Open,
}

impl ItemState {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemState::Done => "done",
            ItemState::NotApplicable => "not-applicable",
            ItemState::Open => "open",
        }
    }

    pub fn parse(s: &str) -> Option<ItemState> {
        [ItemState::Done, ItemState::NotApplicable, ItemState::Open].into_iter().find(|d| d.as_str() == s)
    }

    pub fn is_settled(self) -> bool {
        matches!(self, ItemState::Done | ItemState::NotApplicable)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemRecord {
    pub state: ItemState,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The file's content, field for field as docs/format.md ("Sign-offs") gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignoffFile {
    pub model: String,
    pub gate: String,
    pub member: String,
    pub decision: Decision,
    pub at: String,
    pub subject: String,
    pub checklist: String,
    #[serde(default)]
    pub comment: String,
    /// For a withdrawal: the path of the sign-off it takes back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdraws: Option<String>,
    #[serde(default)]
    pub items: BTreeMap<String, ItemRecord>,
}

impl SignoffFile {
    pub fn parse(path: &str, text: &str) -> Result<SignoffFile, Malformed> {
        crate::limits::check_size(path, "the sign-off", text.len(), crate::limits::MAX_SIGNOFF_BYTES)?;
        match canonical::parse(text) {
            Some(file) => file.checked(path, text),
            None => SignoffFile::parse_full(path, text),
        }
    }

    /// Parses with the TOML parser, whatever the file's layout (`parse` reads the layout
    /// Gatehouse writes directly and comes here for anything else).
    pub fn parse_full(path: &str, text: &str) -> Result<SignoffFile, Malformed> {
        crate::limits::check_size(path, "the sign-off", text.len(), crate::limits::MAX_SIGNOFF_BYTES)?;
        let file: SignoffFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| crate::frontmatter::line_of(text, s.start));
            Malformed::new(path, line, e.message().trim().to_string())
        })?;
        file.checked(path, text)
    }

    /// The rules beyond TOML's: the path agrees with the file, the time reads, a withdrawal
    /// names an earlier sign-off of the same member, item ids and evidence paths are valid.
    fn checked(self, path: &str, text: &str) -> Result<SignoffFile, Malformed> {
        let file = self;
        let name = SignoffPath::parse(path).ok_or_else(|| {
            Malformed::new(
                path,
                None,
                "a sign-off file is named signoffs/<bucket>/<model>/<gate>/<YYYYMMDDTHHMMSSZ>-<member>.toml, \
                 <bucket> being the first two hex digits of the SHA-256 of <model> \
                 (in a format 1 record: signoffs/<model>/<gate>/...)",
            )
        })?;
        if name.model != file.model || name.gate != file.gate || name.member != file.member {
            return Err(Malformed::new(path, Some(1), "model, gate or member disagree with the file's path"));
        }
        if parse_at(&file.at).is_none() {
            return Err(Malformed::new(path, None, format!("at: {:?} is not an RFC 3339 UTC time", file.at)));
        }
        match (&file.withdraws, file.decision) {
            (None, Decision::Withdraw) => {
                return Err(Malformed::new(path, None, "a withdrawal names the sign-off it takes back (withdraws)"));
            }
            (Some(_), d) if d != Decision::Withdraw => {
                return Err(Malformed::new(path, None, format!("withdraws: only a withdrawal names one, not {d}")));
            }
            (Some(w), _) => {
                let taken = SignoffPath::parse(w);
                if taken.as_ref().is_none_or(|t| {
                    t.model != name.model || t.gate != name.gate || t.member != name.member || t.stamp >= name.stamp
                }) {
                    return Err(Malformed::new(
                        path,
                        None,
                        format!(
                            "withdraws: {w:?} is not an earlier sign-off of the same member on the same model and gate"
                        ),
                    ));
                }
                if !file.items.is_empty() {
                    return Err(Malformed::new(path, None, "a withdrawal records no items"));
                }
            }
            (None, _) => {}
        }
        if let Some(bad) = file.items.keys().find(|k| !id::is_valid(k)) {
            return Err(Malformed::new(path, None, format!("item {bad:?} is not a valid id")));
        }
        // Evidence names a file in the model's folder; an absolute or escaping path would
        // point a reader (or a tool following it) anywhere.
        for (item, record) in &file.items {
            for e in &record.evidence {
                if crate::paths::evidence_path(crate::error::Input::Evidence, &file.model, e).ok().as_deref()
                    != Some(e.as_str())
                {
                    let line = text.find(e.as_str()).map(|o| crate::frontmatter::line_of(text, o));
                    return Err(Malformed::new(
                        path,
                        line,
                        format!("items.{item}.evidence: {e:?} is not a path under evidence/ in the model's folder"),
                    ));
                }
            }
        }
        Ok(file)
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a sign-off always serializes")
    }
}

/// The layout `to_toml` writes, read without the TOML parser.
///
/// The cold index reads every sign-off file at the tip (24,000 in the benchmark's history),
/// and the general TOML parser was about half of that time. A file Gatehouse wrote has one
/// shape: `key = "value"` lines for the fields, then one `[items.<id>]` table per item with
/// `state`, `evidence` and `note` lines (a withdrawal has an empty `[items]`), strings without
/// escapes. This reads exactly that shape and gives up (`None`) on anything else (comments,
/// escapes, other spacing, unknown or repeated keys, other value types), which then goes to
/// the TOML parser: a file is never read differently, only faster. The fuzz target `signoff`
/// holds that where this answers, the TOML parser answers the same.
pub mod canonical {
    use std::collections::BTreeMap;

    use super::{Decision, ItemRecord, ItemState, SignoffFile};
    use crate::chars::has_control;

    pub fn parse(text: &str) -> Option<SignoffFile> {
        let mut fields: [Option<&str>; 9] = [None; 9];
        let mut items: BTreeMap<String, ItemRecord> = BTreeMap::new();
        let mut item: Option<(String, Item)> = None;
        let mut items_table = false;
        let lines = text.strip_suffix('\n')?;
        for line in lines.split('\n') {
            if line.is_empty() {
                continue;
            }
            // The empty table a withdrawal is written with, which may only open the items.
            if line == "[items]" {
                if items_table || item.is_some() || !items.is_empty() {
                    return None;
                }
                items_table = true;
                continue;
            }
            if let Some(name) = line.strip_prefix("[items.").and_then(|l| l.strip_suffix(']')) {
                if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') || name.is_empty() {
                    return None;
                }
                finish(&mut items, item.take())?;
                if items.contains_key(name) {
                    return None;
                }
                item = Some((name.to_string(), Item::default()));
                continue;
            }
            let (key, value) = key_and_value(line)?;
            match &mut item {
                None if items_table => return None,
                None => {
                    let n = FIELDS.iter().position(|f| *f == key)?;
                    if fields[n].replace(string(value)?).is_some() {
                        return None;
                    }
                }
                Some((_, it)) => match key {
                    "state" if it.state.is_none() => it.state = Some(ItemState::parse(string(value)?)?),
                    "note" if it.note.is_none() => it.note = Some(string(value)?.to_string()),
                    "evidence" if it.evidence.is_none() => it.evidence = Some(array(value)?),
                    _ => return None,
                },
            }
        }
        finish(&mut items, item)?;
        let [model, gate, member, decision, at, subject, checklist, comment, withdraws] = fields;
        Some(SignoffFile {
            model: model?.to_string(),
            gate: gate?.to_string(),
            member: member?.to_string(),
            decision: Decision::parse(decision?)?,
            at: at?.to_string(),
            subject: subject?.to_string(),
            checklist: checklist?.to_string(),
            comment: comment.unwrap_or_default().to_string(),
            withdraws: withdraws.map(str::to_string),
            items,
        })
    }

    const FIELDS: [&str; 9] =
        ["model", "gate", "member", "decision", "at", "subject", "checklist", "comment", "withdraws"];

    #[derive(Default)]
    struct Item {
        state: Option<ItemState>,
        evidence: Option<Vec<String>>,
        note: Option<String>,
    }

    fn finish(items: &mut BTreeMap<String, ItemRecord>, item: Option<(String, Item)>) -> Option<()> {
        if let Some((name, it)) = item {
            let record = ItemRecord {
                state: it.state?,
                evidence: it.evidence.unwrap_or_default(),
                note: it.note.unwrap_or_default(),
            };
            items.insert(name, record);
        }
        Some(())
    }

    /// `line` split at its first ` = ` (as `split_once`, found from each `=` rather than by a
    /// substring search set up for every line).
    fn key_and_value(line: &str) -> Option<(&str, &str)> {
        let b = line.as_bytes();
        let mut from = 1;
        while let Some(at) = b.get(from..b.len().saturating_sub(1))?.iter().position(|c| *c == b'=') {
            let eq = from + at;
            if b[eq - 1] == b' ' && b[eq + 1] == b' ' {
                return Some((&line[..eq - 1], &line[eq + 2..]));
            }
            from = eq + 1;
        }
        None
    }

    /// A basic string with nothing to unescape, and nothing after it.
    fn string(value: &str) -> Option<&str> {
        let (s, rest) = quoted(value)?;
        rest.is_empty().then_some(s)
    }

    /// `"..."` at the start of `value`, and what follows it.
    fn quoted(value: &str) -> Option<(&str, &str)> {
        let inner = value.strip_prefix('"')?;
        let end = inner.find('"')?;
        let s = &inner[..end];
        // A backslash or a control character is not the canonical form.
        (!s.contains('\\') && !has_control(s)).then(|| (s, &inner[end + 1..]))
    }

    /// `[]` or `["a", "b"]`.
    fn array(value: &str) -> Option<Vec<String>> {
        let mut rest = value.strip_prefix('[')?;
        let mut out = Vec::new();
        if rest == "]" {
            return Some(out);
        }
        loop {
            let (s, after) = quoted(rest)?;
            out.push(s.to_string());
            if after == "]" {
                return Some(out);
            }
            rest = after.strip_prefix(", ")?;
        }
    }
}

/// Where a record keeps its sign-offs, fixed by `format` in `consortium.toml`.
///
/// Format 1 gives every model a folder right under `signoffs/`, so that folder's tree has an
/// entry per model, and every sign-off commit writes it again whole: its cost, and the size
/// of the history, grew with the number of models. Format 2 puts a model's folder inside one
/// of 256 buckets named by the first two hex digits of the SHA-256 of its id, so a sign-off
/// rewrites a 256-entry tree and a bucket holding a few models, whatever their number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    /// Format 1: `signoffs/<model>/<gate>/<file>`.
    Flat,
    /// Format 2: `signoffs/<bucket>/<model>/<gate>/<file>`.
    Bucketed,
}

impl Layout {
    /// The layout of a record of `format` (a format Gatehouse reads: 1 or 2).
    pub fn of_format(format: u32) -> Layout {
        if format >= 2 {
            Layout::Bucketed
        } else {
            Layout::Flat
        }
    }

    /// The folder holding every sign-off of `model`.
    pub fn model_dir(self, model: &str) -> String {
        match self {
            Layout::Flat => format!("{DIR}/{model}"),
            Layout::Bucketed => format!("{DIR}/{}/{model}", bucket(model)),
        }
    }

    /// The model a path under `signoffs/` belongs to, if it is deep enough to name one.
    pub fn model_of(self, path: &str) -> Option<&str> {
        let mut parts = path.strip_prefix("signoffs/")?.split('/');
        if self == Layout::Bucketed {
            parts.next()?;
        }
        parts.next().filter(|m| !m.is_empty())
    }
}

/// The bucket of `model` in format 2: the first two hex digits of the SHA-256 of its id
/// (`printf %s <model> | sha256sum | cut -c1-2`).
pub fn bucket(model: &str) -> String {
    format!("{:02x}", bucket_byte(model))
}

fn bucket_byte(model: &str) -> u8 {
    use sha2::{Digest, Sha256};
    Sha256::digest(model.as_bytes())[0]
}

/// Whether `name` is the bucket of `model`: two lowercase hex digits, as `bucket` writes them.
fn is_bucket_of(name: &str, model: &str) -> bool {
    let lower_hex = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
    name.len() == 2
        && name.as_bytes().iter().all(lower_hex)
        && u8::from_str_radix(name, 16).ok() == Some(bucket_byte(model))
}

/// `YYYYMMDDTHHMMSSZ` naming a real date and time, as Gatehouse writes stamps: checked
/// without chrono's format parser, which reads its format string anew each time (a tenth of
/// the time of reading a sign-off). Anything else is left to that parser.
fn is_plain_stamp(stamp: &str) -> bool {
    let b = stamp.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' || !digits(0..8) || !digits(9..15) {
        return false;
    }
    let n = |at: usize, len: usize| b[at..at + len].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    chrono::NaiveDate::from_ymd_opt(n(0, 4) as i32, n(4, 2), n(6, 2)).is_some()
        && chrono::NaiveTime::from_hms_opt(n(9, 2), n(11, 2), n(13, 2)).is_some()
}

/// The parts of a sign-off file's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignoffPath {
    pub layout: Layout,
    pub model: String,
    pub gate: String,
    pub stamp: String,
    pub member: String,
}

impl SignoffPath {
    pub fn new(layout: Layout, model: &str, gate: &str, at: DateTime<Utc>, member: &str) -> SignoffPath {
        SignoffPath { layout, model: model.into(), gate: gate.into(), stamp: stamp(at), member: member.into() }
    }

    /// Reads a path in either layout; in format 2's, the bucket must be the model's.
    pub fn parse(path: &str) -> Option<SignoffPath> {
        let rest = path.strip_prefix("signoffs/")?;
        let mut parts = rest.split('/');
        let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
        let (layout, model, gate, file) = match parts.next() {
            None => (Layout::Flat, a, b, c),
            Some(d) if parts.next().is_none() && is_bucket_of(a, b) => (Layout::Bucketed, b, c, d),
            _ => return None,
        };
        if !id::is_valid(model) || !id::is_valid(gate) {
            return None;
        }
        let file = file.strip_suffix(".toml")?;
        let (stamp, member) = file.split_once('-')?;
        if !is_plain_stamp(stamp) {
            NaiveDateTime::parse_from_str(stamp, STAMP).ok()?;
        }
        id::is_valid(member).then(|| SignoffPath {
            layout,
            model: model.into(),
            gate: gate.into(),
            stamp: stamp.into(),
            member: member.into(),
        })
    }

    pub fn to_path(&self) -> String {
        format!("{}/{}/{}-{}.toml", self.layout.model_dir(&self.model), self.gate, self.stamp, self.member)
    }

    /// `<model>/<gate>/<stamp>-<member>.toml`: what names the sign-off in every layout.
    pub fn key(&self) -> String {
        format!("{}/{}/{}-{}.toml", self.model, self.gate, self.stamp, self.member)
    }
}

/// The key (`SignoffPath::key`) of a sign-off file's path, in either layout: its last three
/// parts.
pub fn key_of(path: &str) -> &str {
    let mut cut = path.len();
    for _ in 0..3 {
        match path[..cut].rfind('/') {
            Some(i) => cut = i,
            None => return path,
        }
    }
    &path[cut + 1..]
}

pub fn stamp(at: DateTime<Utc>) -> String {
    at.format(STAMP).to_string()
}

pub fn format_at(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub fn parse_at(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_is_checked_as_chrono_checks_it() {
        for stamp in [
            "20261129T170000Z",
            "20260229T170000Z",
            "20240229T000000Z",
            "20261301T000000Z",
            "20261129T240000Z",
            "20261231T235960Z",
            "2026-1129T170000Z",
            "20261129t170000Z",
            "+2026112T170000Z",
            "020261129T170000Z",
        ] {
            let path = format!("signoffs/m/g/{stamp}-ada.toml");
            let by_chrono = NaiveDateTime::parse_from_str(stamp, STAMP).is_ok();
            assert_eq!(SignoffPath::parse(&path).is_some(), by_chrono, "{stamp}");
            if is_plain_stamp(stamp) {
                assert!(by_chrono, "{stamp} is taken without chrono, and chrono refuses it");
            }
        }
    }

    #[test]
    fn paths_round_trip() {
        let at = parse_at("2026-11-29T17:00:00Z").unwrap();
        let p = SignoffPath::new(Layout::Flat, "switch-c-1.6t", "safety", at, "ada");
        assert_eq!(p.to_path(), "signoffs/switch-c-1.6t/safety/20261129T170000Z-ada.toml");
        assert_eq!(SignoffPath::parse(&p.to_path()), Some(p));
        let p = SignoffPath::new(Layout::Bucketed, "switch-c-1.6t", "safety", at, "ada");
        assert_eq!(p.to_path(), "signoffs/fa/switch-c-1.6t/safety/20261129T170000Z-ada.toml");
        assert_eq!(SignoffPath::parse(&p.to_path()), Some(p));
        assert_eq!(SignoffPath::parse("signoffs/m/g/notastamp-ada.toml"), None);
        assert_eq!(SignoffPath::parse("signoffs/../g/20261129T170000Z-ada.toml"), None);
    }

    #[test]
    fn a_bucket_is_the_first_byte_of_the_ids_sha256() {
        // Digests from `printf %s <id> | sha256sum`.
        assert_eq!(bucket("m"), "62");
        assert_eq!(bucket("tpc-science-34b"), "02", "a leading zero is kept");
        assert_eq!(bucket("switch-c-1.6t"), "fa");
        let wrong = if bucket("m") == "00" { "01" } else { "00" };
        assert_eq!(
            SignoffPath::parse(&format!("signoffs/{wrong}/m/g/20261129T170000Z-ada.toml")),
            None,
            "a model in another's bucket"
        );
        assert_eq!(
            SignoffPath::parse("signoffs/62/m/g/20261129T170000Z-ada.toml").map(|p| p.layout),
            Some(Layout::Bucketed)
        );
        assert_eq!(SignoffPath::parse("signoffs/6/m/g/20261129T170000Z-ada.toml"), None, "one digit is not a bucket");
        assert_eq!(SignoffPath::parse("signoffs/+6/m/g/20261129T170000Z-ada.toml"), None, "nor a sign");
        assert_eq!(SignoffPath::parse("signoffs/62/m/g/20261129T170000Z-ada.toml/x"), None, "nor a deeper path");
        assert_eq!(Layout::Bucketed.model_of("signoffs/62/m/g/x.toml"), Some("m"));
        assert_eq!(Layout::Flat.model_of("signoffs/m/g/x.toml"), Some("m"));
        assert_eq!(Layout::Bucketed.model_of("signoffs/62"), None);
        assert_eq!(key_of("signoffs/62/m/g/x.toml"), "m/g/x.toml");
        assert_eq!(key_of("signoffs/m/g/x.toml"), "m/g/x.toml");
    }

    #[test]
    fn a_file_round_trips_through_toml() {
        let mut items = BTreeMap::new();
        items.insert(
            "red-team".to_string(),
            ItemRecord { state: ItemState::Done, evidence: vec!["evidence/r.md".into()], note: "ok".into() },
        );
        let f = SignoffFile {
            model: "m".into(),
            gate: "safety".into(),
            member: "ada".into(),
            decision: Decision::ChangesRequested,
            at: "2026-11-29T17:00:00Z".into(),
            subject: "a".repeat(40),
            checklist: "b".repeat(40),
            comment: "needs \"quotes\"\nand lines".into(),
            withdraws: None,
            items,
        };
        let text = f.to_toml();
        assert!(text.contains("decision = \"changes-requested\""), "{text}");
        let back = SignoffFile::parse("signoffs/m/safety/20261129T170000Z-ada.toml", &text).unwrap();
        assert_eq!(back, f);
    }

    const PATH: &str = "signoffs/m/g/20261129T170000Z-ada.toml";

    fn file(extra: &str) -> String {
        format!("model = \"m\"\ngate = \"g\"\nmember = \"ada\"\ndecision = \"approve\"\nat = \"2026-11-29T17:00:00Z\"\nsubject = \"s\"\nchecklist = \"c\"\n{extra}")
    }

    #[test]
    fn evidence_outside_the_models_evidence_folder_is_malformed() {
        SignoffFile::parse(PATH, &file("[items.a]\nstate = \"done\"\nevidence = [\"evidence/r.md\"]\n")).unwrap();
        for bad in ["/etc/passwd", "../../consortium.toml", "evidence/../../x", "card.md", "evidence/.git/config"] {
            let text = file(&format!("[items.a]\nstate = \"done\"\nevidence = [\"{bad}\"]\n"));
            let e = SignoffFile::parse(PATH, &text).unwrap_err();
            assert!(e.message.contains("items.a.evidence") && e.message.contains(bad), "{bad}: {e}");
            assert_eq!(e.location.line, Some(10), "{bad}: the line of the evidence list");
        }
    }

    #[test]
    fn oversized_and_deeply_nested_files_are_malformed_not_a_crash() {
        let big = file(&format!("comment = \"{}\"\n", "x".repeat(crate::limits::MAX_SIGNOFF_BYTES)));
        let e = SignoffFile::parse(PATH, &big).unwrap_err();
        assert!(e.message.contains("256 KiB"), "{e}");
        // Within the size limit, 100,000 nested arrays or inline tables must not exhaust the
        // stack of a 2 MiB test thread.
        for deep in [
            format!("model = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000)),
            format!("model = {}1{}\n", "{a = ".repeat(40_000), "}".repeat(40_000)),
        ] {
            assert!(deep.len() < crate::limits::MAX_SIGNOFF_BYTES);
            assert!(SignoffFile::parse(PATH, &deep).is_err());
        }
    }

    #[test]
    fn files_gatehouse_writes_are_read_directly_and_as_toml_reads_them() {
        // The cold index's fast path must apply to what Gatehouse writes, or it saves nothing.
        let mut items = BTreeMap::new();
        items.insert("a".to_string(), ItemRecord { state: ItemState::Done, evidence: vec![], note: String::new() });
        items.insert(
            "red-team_2".to_string(),
            ItemRecord {
                state: ItemState::NotApplicable,
                evidence: vec!["evidence/r.md".into(), "evidence/plots/ü.png".into()],
                note: "checked by hand — see r.md".into(),
            },
        );
        let mut f = SignoffFile {
            model: "m".into(),
            gate: "g".into(),
            member: "ada".into(),
            decision: Decision::Approve,
            at: "2026-11-29T17:00:00Z".into(),
            subject: "a".repeat(40),
            checklist: "b".repeat(40),
            comment: "Looks good: 3/3 runs reproduce.".into(),
            withdraws: None,
            items,
        };
        let text = f.to_toml();
        assert_eq!(canonical::parse(&text).as_ref(), Some(&f), "written as:\n{text}");
        assert_eq!(SignoffFile::parse(PATH, &text).unwrap(), f);

        f.decision = Decision::Withdraw;
        f.items.clear();
        f.comment = String::new();
        f.withdraws = Some("signoffs/m/g/20261128T170000Z-ada.toml".into());
        let text = f.to_toml();
        assert_eq!(canonical::parse(&text).as_ref(), Some(&f), "written as:\n{text}");
    }

    #[test]
    fn any_other_layout_is_left_to_the_toml_parser_and_read_the_same() {
        // Each of these is valid TOML (or an error TOML must word) that the direct reading
        // does not take on; the answer, value or error, must be the TOML parser's.
        let cases = [
            file("comment = \"a \\\"quoted\\\" word\"\n"),
            file("comment = 'single'\n"),
            file("comment = \"\"\"\ntwo\nlines\"\"\"\n"),
            file("comment = \"tab\there\"\n"),
            file("comment = \"next\u{85}line\"\n"),
            file("comment = \"bell\u{7}\"\n"),
            file("comment=\"tight\"\n"),
            file("# a comment\n"),
            file("comment = \"x\" # trailing\n"),
            file("comment  =  \"spaced\"\n"),
            file("comment = \"once\"\ncomment = \"twice\"\n"),
            file("extra = \"unknown\"\n"),
            file("[items.a]\nstate = \"done\"\n[items.a]\nstate = \"open\"\n"),
            file("[items.a]\n"),
            file("[items.a]\nstate = \"finished\"\n"),
            file("[items.a]\nstate = \"done\"\nevidence = [ \"evidence/x.md\" ]\n"),
            file("[items.a]\nstate = \"done\"\nevidence = [\"evidence/x.md\",]\n"),
            file("[items.\"a\"]\nstate = \"done\"\n"),
            file("[items]\na = { state = \"done\" }\n"),
            file("[items]\n[items]\n"),
            file("[items.a]\nstate = \"done\"\n[items]\n"),
            file("").replace("decision = \"approve\"", "decision = \"maybe\""),
            file("").replace('\n', "\r\n"),
            file("").replace("gate = \"g\"\n", ""),
            file("").trim_end().to_string(),
        ];
        for text in &cases {
            assert_eq!(canonical::parse(text), None, "taken on directly:\n{text}");
            assert_eq!(SignoffFile::parse(PATH, text), SignoffFile::parse_full(PATH, text), "{text}");
        }
        // And a plain file with items, which it does take on, reads as TOML reads it.
        let plain =
            file("comment = \"\"\n\n[items.a]\nstate = \"done\"\nevidence = [\"evidence/x.md\"]\nnote = \"n\"\n");
        assert!(canonical::parse(&plain).is_some());
        let equals = file("comment = \"a = b, ü = c\"\n");
        assert_eq!(canonical::parse(&equals).map(|f| f.comment).as_deref(), Some("a = b, ü = c"));
        assert_eq!(SignoffFile::parse(PATH, &plain), SignoffFile::parse_full(PATH, &plain));
    }
}
