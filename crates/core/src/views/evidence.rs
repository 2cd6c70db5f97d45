//! One evidence file of a model as a reviewer reads it: its identity (git blob id, SHA-256,
//! size) and its content in the form that suits its kind. Read from `main`'s tree, never the
//! work tree; every read is bounded. Evidence is untrusted like every file of the record:
//! Markdown leaves here only through `render::to_html`, and images leave as `data:` URLs for
//! an `<img>`, where an SVG cannot run script.

use std::path::Path;

use base64::Engine;
use git2::{ObjectType, Repository, Tree};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::actions::signoff::{Attachment, AttachmentContent};
use crate::actions::upload::read_file;
use crate::error::{Error, Input, Result};
use crate::link::{LinkFile, LINK_SUFFIX};
use crate::paths::evidence_path;
use crate::record::{model_view, Framework};
use crate::render;
use crate::rules::is_current;
use crate::signoff::format_at;

/// Rows of a CSV file shown as a table; the rest is counted, not shown.
pub const MAX_CSV_ROWS: usize = 1000;

/// Columns of a CSV file shown; wider files are cut at this many.
pub const MAX_CSV_COLUMNS: usize = 100;

/// The largest evidence file whose content is shown in full (text, images, PDF); larger ones
/// get their ids and a copy to open with another program.
pub const MAX_SHOWN_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvidenceView {
    pub model: String,
    /// Relative to the model's folder (`evidence/...`).
    pub path: String,
    /// The commit of `main` the file was read at.
    pub commit: String,
    /// The git blob id: what `git rev-parse main:models/<model>/<path>` prints.
    pub blob: String,
    /// The SHA-256 of the file's bytes, in hex.
    pub sha256: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    pub content: EvidenceContent,
}

/// The file's content, by kind. Text that should have parsed and did not is `Text` with the
/// parse error and its line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum EvidenceContent {
    /// `html` rendered and sanitized by `render::to_html`; `text` the file as written.
    Markdown { html: String, text: String },
    /// Pretty-printed with two spaces, keys in the file's order.
    Json { text: String },
    /// Checked to parse; shown as written (TOML is already laid out for people).
    Toml { text: String },
    /// The first row as the header; at most `MAX_CSV_ROWS` rows and `MAX_CSV_COLUMNS` columns.
    Csv { header: Vec<String>, rows: Vec<Vec<String>>, total_rows: u32, cut: bool },
    /// A link to evidence kept elsewhere (`*.link.toml`).
    Link { url: String, fetched_at: String, note: String },
    /// An image as a `data:` URL for an `<img>`.
    Image { mime: String, data_url: String },
    /// A PDF: the window has no PDF renderer, so it is opened as a copy with another program.
    Pdf,
    /// UTF-8 text; `problem` says why a JSON, TOML or CSV file is shown as text instead.
    Text { text: String, problem: Option<ParseProblem> },
    /// Not text, or too large to show: only a copy opened with another program shows it.
    Binary { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ParseProblem {
    pub message: String,
    pub line: Option<u32>,
}

/// Opens `path` (relative to the model's folder, or to the repository) of `model` at `tree`.
pub fn open(repo: &Repository, tree: &Tree, commit: &str, model: &str, path: &str) -> Result<EvidenceView> {
    crate::id::check(Input::Model, model)?;
    let rel = evidence_path(Input::Evidence, model, path)?;
    let (bytes, blob) = read_blob(repo, tree, model, &rel)?;
    let size = bytes.len() as u64;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let content = content_of(&rel, &bytes);
    Ok(EvidenceView { model: model.into(), path: rel, commit: commit.into(), blob, sha256, size, content })
}

/// The bytes and blob id of `models/<model>/<rel>`: a regular file (never a link followed),
/// at most `limits::MAX_EVIDENCE_BYTES`, checked by its header before it is read.
pub fn read_blob(repo: &Repository, tree: &Tree, model: &str, rel: &str) -> Result<(Vec<u8>, String)> {
    let full = format!("models/{model}/{rel}");
    let missing = || Error::NotFound { what: "evidence file", id: full.clone() };
    let entry = tree.get_path(Path::new(&full)).map_err(|_| missing())?;
    if entry.kind() != Some(ObjectType::Blob) {
        return Err(missing());
    }
    if let Some(m) = crate::repo::not_a_file(&full, &entry) {
        return Err(m.into());
    }
    let (len, _) = repo.odb()?.read_header(entry.id())?;
    crate::limits::check_size(&full, "the evidence file", len, crate::limits::MAX_EVIDENCE_BYTES)?;
    let blob = repo.find_blob(entry.id())?;
    Ok((blob.content().to_vec(), entry.id().to_string()))
}

/// How a file of this name and content is shown; the name's extension decides, the content
/// only whether it is text.
pub fn content_of(rel: &str, bytes: &[u8]) -> EvidenceContent {
    let lower = rel.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if bytes.len() > MAX_SHOWN_BYTES {
        return EvidenceContent::Binary {
            reason: format!("{} MiB is more than the viewer shows; open a copy instead", bytes.len() / (1024 * 1024)),
        };
    }
    let image = match ext {
        "png" => Some("image/png"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        "svg" => Some("image/svg+xml"),
        _ => None,
    };
    if let Some(mime) = image {
        let data = base64::engine::general_purpose::STANDARD.encode(bytes);
        return EvidenceContent::Image { mime: mime.into(), data_url: format!("data:{mime};base64,{data}") };
    }
    if ext == "pdf" {
        return EvidenceContent::Pdf;
    }
    let text = match text_of(bytes) {
        Some(t) => t,
        None => return EvidenceContent::Binary { reason: "not UTF-8 text".into() },
    };
    let as_text = |problem: Option<ParseProblem>| EvidenceContent::Text { text: text.to_string(), problem };
    if text.len() > crate::limits::MAX_MARKDOWN_BYTES && ext != "csv" {
        let cut = cut_at(text, crate::limits::MAX_MARKDOWN_BYTES);
        return EvidenceContent::Text {
            text: cut.to_string(),
            problem: Some(ParseProblem {
                message: format!(
                    "shown as plain text, cut after {} KiB of {} KiB",
                    cut.len() / 1024,
                    text.len() / 1024
                ),
                line: None,
            }),
        };
    }
    if lower.ends_with(LINK_SUFFIX) {
        return match parse_link(text) {
            Ok(l) => EvidenceContent::Link { url: l.url, fetched_at: l.fetched_at, note: l.note },
            Err(p) => as_text(Some(p)),
        };
    }
    match ext {
        "md" | "markdown" => EvidenceContent::Markdown { html: render::to_html(text), text: text.to_string() },
        "json" => match pretty_json(text) {
            Ok(pretty) => EvidenceContent::Json { text: pretty },
            Err(p) => as_text(Some(p)),
        },
        "toml" => match toml::from_str::<toml::Table>(text) {
            Ok(_) => EvidenceContent::Toml { text: text.to_string() },
            Err(e) => as_text(Some(ParseProblem {
                message: e.message().to_string(),
                line: e.span().map(|s| line_of(text, s.start)),
            })),
        },
        "csv" => match csv_table(text) {
            Ok(table) => table,
            Err(p) => as_text(Some(p)),
        },
        _ => as_text(None),
    }
}

/// UTF-8 without NUL bytes, the one test of "text" the record uses.
fn text_of(bytes: &[u8]) -> Option<&str> {
    if bytes.contains(&0) {
        return None;
    }
    std::str::from_utf8(bytes).ok()
}

fn cut_at(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn line_of(text: &str, offset: usize) -> u32 {
    (text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1) as u32
}

/// Re-indents valid JSON token by token, so keys keep the file's order (a parsed map would sort
/// them) and numbers keep their spelling.
fn pretty_json(text: &str) -> std::result::Result<String, ParseProblem> {
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        return Err(ParseProblem { message: e.to_string(), line: Some(e.line() as u32) });
    }
    let mut out = String::with_capacity(text.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = text.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                // An empty object or array stays on one line.
                while chars.peek().is_some_and(|n| n.is_whitespace()) {
                    chars.next();
                }
                if matches!(chars.peek(), Some('}') | Some(']')) {
                    out.push(chars.next().unwrap_or_default());
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    Ok(out)
}

fn csv_table(text: &str) -> std::result::Result<EvidenceContent, ParseProblem> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut header = Vec::new();
    let mut rows = Vec::new();
    let mut total: u32 = 0;
    let mut cut = false;
    for (i, record) in reader.records().enumerate() {
        let record =
            record.map_err(|e| ParseProblem { message: e.to_string(), line: e.position().map(|p| p.line() as u32) })?;
        if record.len() > MAX_CSV_COLUMNS {
            cut = true;
        }
        let cells: Vec<String> = record.iter().take(MAX_CSV_COLUMNS).map(str::to_string).collect();
        if i == 0 {
            header = cells;
            continue;
        }
        total = total.saturating_add(1);
        if rows.len() < MAX_CSV_ROWS {
            rows.push(cells);
        } else {
            cut = true;
        }
    }
    Ok(EvidenceContent::Csv { header, rows, total_rows: total, cut })
}

fn parse_link(text: &str) -> std::result::Result<LinkFile, ParseProblem> {
    LinkFile::parse(text).map_err(|(message, at)| ParseProblem { message, line: at.map(|o| line_of(text, o)) })
}

/// Evidence the sign-off form attaches: a file on the reviewer's disk (`file`), or a link
/// (`url`, with `note`), for `item`.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FormAttachment {
    pub item: String,
    pub file: Option<String>,
    pub url: Option<String>,
    pub note: String,
}

/// The form's attachments as the action takes them: files read from disk (regular files
/// only, size-limited), links fetched at `at`.
pub fn read_attachments(list: &[FormAttachment], at: chrono::DateTime<chrono::Utc>) -> Result<Vec<Attachment>> {
    let mut out = Vec::new();
    for a in list {
        let (name, content) = match (&a.file, &a.url) {
            (Some(file), None) => {
                let path = Path::new(file);
                let upload = read_file(Input::Evidence, path, "the evidence file", crate::limits::MAX_EVIDENCE_BYTES)?;
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                (name, AttachmentContent::File(upload.content))
            }
            (None, Some(url)) => {
                let link = LinkFile { url: url.trim().to_string(), fetched_at: format_at(at), note: a.note.clone() };
                (crate::link::name_for(url.trim()), AttachmentContent::Link(link))
            }
            _ => return Err(Error::invalid(Input::Evidence, "an attachment is a file or a link, not both")),
        };
        out.push(Attachment { item: a.item.clone(), name, content });
    }
    Ok(out)
}

/// Writes the bytes of an evidence file of `model` at `tree` to `dest`, a file the reader
/// chose, to open with another program (the viewer cannot show every kind).
pub fn save_copy(repo: &Repository, tree: &Tree, model: &str, path: &str, dest: &Path) -> Result<()> {
    crate::id::check(Input::Model, model)?;
    let rel = evidence_path(Input::Evidence, model, path)?;
    let (bytes, _) = read_blob(repo, tree, model, &rel)?;
    std::fs::write(dest, bytes).map_err(|e| Error::io(dest, e))
}

/// What attaching evidence while signing does to the model's other sign-offs: the model's
/// folder changes, so every sign-off that now speaks about it no longer will (when the
/// consortium's rules make sign-offs stale on change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AttachEffect {
    /// Current sign-offs of the model, all gates, that attaching makes stale.
    pub stale: u32,
    /// Those sign-offs as "member on gate", for the warning.
    pub signoffs: Vec<String>,
    /// The warning in words, when any would be made stale.
    pub warning: Option<String>,
}

/// `AttachEffect` for `model` as it stands at `tree`.
pub fn attach_effect(repo: &Repository, tree: &Tree, fw: &Framework, model: &str) -> Result<AttachEffect> {
    let view = model_view(repo, tree, fw, model, &mut Vec::new())?
        .ok_or_else(|| Error::NotFound { what: "model", id: model.to_string() })?;
    let facts = view.model.facts();
    let signoffs: Vec<String> = view
        .signoffs
        .iter()
        .filter(|s| fw.consortium.rules.stale_on_change && is_current(&fw.consortium, &facts, &s.file))
        .map(|s| {
            let who = fw.consortium.member(&s.file.member).map(|m| m.name.clone()).unwrap_or(s.file.member.clone());
            let gate = fw.gate(&s.file.gate).map(|g| g.title.clone()).unwrap_or(s.file.gate.clone());
            format!("{who} on {gate}")
        })
        .collect();
    let stale = signoffs.len() as u32;
    let warning = (stale > 0).then(|| {
        let count = if stale == 1 { "1 current sign-off".to_string() } else { format!("{stale} current sign-offs") };
        format!(
            "Attaching evidence changes the folder of {model}: {count} will no longer count ({}).",
            signoffs.join(", ")
        )
    });
    Ok(AttachEffect { stale, signoffs, warning })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_reindented_in_the_files_key_order() {
        let EvidenceContent::Json { text } = content_of("evidence/a.json", br#"{"z":1,"a":[1, 2],"e":{},"s":"x,{y}"}"#)
        else {
            panic!("json")
        };
        assert_eq!(text, "{\n  \"z\": 1,\n  \"a\": [\n    1,\n    2\n  ],\n  \"e\": {},\n  \"s\": \"x,{y}\"\n}");
    }

    #[test]
    fn a_file_that_does_not_parse_is_text_with_the_error_and_its_line() {
        for (name, bad, line) in
            [("evidence/a.json", "{\n\"a\": 1,\n\"b\": }\n", 3), ("evidence/a.toml", "a = 1\nb = = 2\n", 2)]
        {
            let EvidenceContent::Text { text, problem } = content_of(name, bad.as_bytes()) else { panic!("{name}") };
            assert_eq!(text, bad, "the file as written");
            assert_eq!(problem.unwrap().line, Some(line), "{name}");
        }
    }

    #[test]
    fn csv_is_a_table_with_the_first_row_as_header_and_bounded_rows() {
        let mut csv = String::from("task,score\n\"mmlu, 5-shot\",71.2\n");
        for i in 0..MAX_CSV_ROWS + 5 {
            csv.push_str(&format!("t{i},{i}\n"));
        }
        let EvidenceContent::Csv { header, rows, total_rows, cut } = content_of("evidence/s.csv", csv.as_bytes())
        else {
            panic!("csv")
        };
        assert_eq!(header, ["task", "score"]);
        assert_eq!(rows[0], ["mmlu, 5-shot", "71.2"], "a quoted comma stays in its cell");
        assert_eq!((rows.len(), total_rows, cut), (MAX_CSV_ROWS, MAX_CSV_ROWS as u32 + 6, true));
    }

    #[test]
    fn untrusted_markdown_cannot_run_script() {
        let md = "# Report\n\n<script>alert(1)</script>\n<img src=x onerror=\"alert(2)\">\n\n[x](javascript:alert(3))";
        let EvidenceContent::Markdown { html, .. } = content_of("evidence/r.md", md.as_bytes()) else { panic!("md") };
        assert!(html.contains("<h1>Report</h1>"), "{html}");
        // Anything left of the script is inert text; no element, handler or link can run it.
        for bad in ["<script", "onerror", "href=\"javascript:"] {
            assert!(!html.contains(bad), "{bad} survived: {html}");
        }
    }

    #[test]
    fn images_are_data_urls_and_other_bytes_are_binary() {
        let EvidenceContent::Image { mime, data_url } = content_of("evidence/logo.SVG", b"<svg/>") else {
            panic!("svg")
        };
        assert_eq!((mime.as_str(), data_url.as_str()), ("image/svg+xml", "data:image/svg+xml;base64,PHN2Zy8+"));
        assert!(matches!(content_of("evidence/w.bin", &[0, 159, 146, 150]), EvidenceContent::Binary { .. }));
        assert!(matches!(content_of("evidence/notes.txt", b"plain"), EvidenceContent::Text { problem: None, .. }));
        assert!(matches!(content_of("evidence/p.pdf", b"%PDF-1.7"), EvidenceContent::Pdf));
    }

    #[test]
    fn a_link_file_is_a_link_and_only_to_http() {
        let ok = "url = \"https://example.org/audit\"\nfetched_at = \"2026-12-01T10:00:00Z\"\nnote = \"v2\"\n";
        assert_eq!(
            content_of("evidence/audit.link.toml", ok.as_bytes()),
            EvidenceContent::Link {
                url: "https://example.org/audit".into(),
                fetched_at: "2026-12-01T10:00:00Z".into(),
                note: "v2".into()
            }
        );
        let bad = "url = \"javascript:alert(1)\"\nfetched_at = \"x\"\n";
        assert!(matches!(content_of("evidence/a.link.toml", bad.as_bytes()), EvidenceContent::Text { .. }));
    }
}
