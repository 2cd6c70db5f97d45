//! The action trailers at the end of every commit message Gatehouse writes.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::chars::has_control;

pub const ACTION: &str = "Gatehouse-Action";
pub const MEMBER: &str = "Gatehouse-Member";
pub const MODEL: &str = "Gatehouse-Model";
pub const GATE: &str = "Gatehouse-Gate";
pub const DECISION: &str = "Gatehouse-Decision";
pub const SUBJECT: &str = "Gatehouse-Subject";
pub const PROPOSAL: &str = "Gatehouse-Proposal";
pub const VOTE: &str = "Gatehouse-Vote";

/// The `Gatehouse-*` trailers of one commit, by key. The keys Gatehouse writes are not
/// allocated for each commit read (the cold index reads every commit of the history).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trailers(pub BTreeMap<Cow<'static, str>, String>);

const KNOWN: [&str; 8] = [ACTION, MEMBER, MODEL, GATE, DECISION, SUBJECT, PROPOSAL, VOTE];

fn key(name: &str) -> Cow<'static, str> {
    KNOWN.iter().find(|k| **k == name).map_or_else(|| Cow::Owned(name.to_string()), |k| Cow::Borrowed(*k))
}

impl Trailers {
    /// Reads the trailers as `git interpret-trailers --parse` would (libgit2's parser), except
    /// that a `---` line in the message does not hide the trailers after it.
    pub fn parse(message: &str) -> Trailers {
        Trailers::canonical(message).unwrap_or_else(|| Trailers::parse_full(message))
    }

    /// The trailers of a message whose last paragraph is nothing but `Gatehouse-*: value`
    /// lines, as `message` writes them: read directly, since building the C string libgit2
    /// needs and running its general parser cost more than the rest of reading a commit (the
    /// cold index reads every commit of the history). `None` for any other shape; the fuzz
    /// target `trailers` holds that, where this answers, it answers as `parse_full` does.
    pub fn canonical(message: &str) -> Option<Trailers> {
        // libgit2 reads a C string: a message holding NUL has no trailers for it (found by
        // fuzzing, fuzz/corpus/trailers/regression-nul-in-message).
        if message.contains('\0') {
            return None;
        }
        let body = message.strip_suffix('\n')?;
        // The string searches of `rsplit_once` and `split_once` are set up for each call; these
        // needles are two bytes, found as bytes.
        let at = body.as_bytes().windows(2).rposition(|w| w == b"\n\n")?;
        let (before, block) = (&body[..at], &body[at + 2..]);
        // libgit2 never takes the summary paragraph for trailers; a blank-looking line just
        // above the block would make the block's start a question of white space.
        if before.trim().is_empty() || before.ends_with(|c: char| c.is_whitespace()) {
            return None;
        }
        let mut map = BTreeMap::new();
        for line in block.split('\n') {
            let colon = line.as_bytes().windows(2).position(|w| w == b": ")?;
            let (key, value) = (&line[..colon], &line[colon + 2..]);
            let name = key.strip_prefix("Gatehouse-")?;
            let plain_value = !value.is_empty()
                && !value.starts_with(|c: char| c.is_whitespace())
                && !value.ends_with(|c: char| c.is_whitespace())
                && !has_control(value);
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') || !plain_value {
                return None;
            }
            if map.insert(self::key(key), value.to_string()).is_some() {
                return None;
            }
        }
        Some(Trailers(map))
    }

    /// Reads the trailers with libgit2's parser, whatever the message's shape.
    pub fn parse_full(message: &str) -> Trailers {
        let mut map = BTreeMap::new();
        if let Ok(trailers) = git2::message_trailers_strs(&without_dividers(message)) {
            for (k, v) in trailers.iter() {
                if k.starts_with("Gatehouse-") {
                    map.insert(key(k), v.to_string());
                }
            }
        }
        Trailers(map)
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    pub fn action(&self) -> Option<&str> {
        self.get(ACTION)
    }
}

/// libgit2 looks for trailers only above the first line that starts with `---` and white space
/// (a patch's divider in a mailed commit). A commit message is not a patch, and a member's comment
/// may hold such a line (a Markdown rule), which hid every trailer after it (found by fuzzing,
/// fuzz/corpus/trailers/regression-dashes-in-comment). Such lines are escaped with a backslash
/// before libgit2 reads the message, so that it reads the trailers at the end.
fn without_dividers(message: &str) -> Cow<'_, str> {
    let is_divider = |line: &str| {
        line.strip_prefix("---")
            .is_some_and(|rest| matches!(rest.bytes().next(), Some(b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')))
    };
    if !message.split_inclusive('\n').any(is_divider) {
        return Cow::Borrowed(message);
    }
    let mut escaped = String::with_capacity(message.len() + 8);
    for line in message.split_inclusive('\n') {
        if is_divider(line) {
            escaped.push('\\');
        }
        escaped.push_str(line);
    }
    Cow::Owned(escaped)
}

/// Builds a commit message: a summary line, an optional body, and the trailers in order.
pub fn message(summary: &str, body: &str, trailers: &[(&str, &str)]) -> String {
    let mut m = String::new();
    m.push_str(summary.trim());
    m.push_str("\n\n");
    let body = body.trim();
    if !body.is_empty() {
        m.push_str(body);
        m.push_str("\n\n");
    }
    for (k, v) in trailers {
        debug_assert!(!v.contains('\n'), "trailer values are single lines");
        m.push_str(&format!("{k}: {v}\n"));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_trailers_parse_back() {
        let m = message("signoff(m/safety): approve", "Looks good.", &[(ACTION, "signoff"), (MEMBER, "ada")]);
        let t = Trailers::parse(&m);
        assert_eq!(t.action(), Some("signoff"));
        assert_eq!(t.get(MEMBER), Some("ada"));
    }

    #[test]
    fn a_body_that_looks_like_trailers_is_not_the_trailer_block() {
        let m = message("s", "Gatehouse-Action: init", &[(ACTION, "model"), (MEMBER, "ada")]);
        assert_eq!(Trailers::parse(&m).action(), Some("model"));
    }

    #[test]
    fn a_comment_with_a_dashed_line_keeps_the_trailers() {
        // Found by fuzzing: libgit2 took the `---` line for a patch's divider and read no trailers.
        for comment in ["Looks good.\n---\nSee the report.", "--- \nx", "a\n---\tb\n\nGatehouse-Action: init"] {
            let m = message("signoff(m/safety): approve", comment, &[(ACTION, "signoff"), (MEMBER, "ada")]);
            let t = Trailers::parse(&m);
            assert_eq!(t.action(), Some("signoff"), "{m}");
            assert_eq!(t.get(MEMBER), Some("ada"), "{m}");
        }
        // A line that only starts with dashes is left as it is.
        assert_eq!(without_dividers("a\n---x\n---"), "a\n---x\n---");
        assert_eq!(without_dividers("---\n--- b\n"), "\\---\n\\--- b\n");
    }

    #[test]
    fn the_written_block_is_read_directly_and_as_libgit2_reads_it() {
        // What `message` writes must take the direct path, or the cold index saves nothing.
        let m = message("signoff(m/g): approve", "Fine.\n\nReally.", &[(ACTION, "signoff"), (MEMBER, "ada")]);
        assert_eq!(Trailers::canonical(&m), Some(Trailers::parse_full(&m)));
        // Anything else goes to libgit2: other trailers in the block, spacing, a value that
        // continues on the next line, a message with no summary, duplicates.
        for other in [
            "s\n\nGatehouse-Action: signoff\nSigned-off-by: A <a@b>\n",
            "s\n\nGatehouse-Action:signoff\n",
            "s\n\nGatehouse-Action: sign\n  off\n",
            "\n\nGatehouse-Action: signoff\n",
            "s\n\nGatehouse-Action: a\nGatehouse-Action: b\n",
            "s\n \n\nGatehouse-Action: a\n",
            "Gatehouse-Action: a\n",
            "s\n\nGatehouse-Action: a",
            "s\0\n\nGatehouse-Action: a\n",
        ] {
            assert_eq!(Trailers::canonical(other), None, "{other:?}");
        }
    }
}
