//! The text a document is searched by, and the text its snippets are cut from: plain words,
//! never markup. Markdown loses its punctuation (backticks, emphasis, link syntax, HTML tags);
//! evidence files of a known text format become lines of words; anything else is not indexed.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_json::Value;

/// Markdown as the words a reader sees: code as its text, a link as its words, an image as its
/// description, HTML without its tags, one block per line.
pub(super) fn markdown(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::Html(raw) | Event::InlineHtml(raw) => out.push_str(&without_tags(&raw)),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak | Event::Rule => out.push('\n'),
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
            Event::End(TagEnd::TableCell) => out.push_str("  "),
            Event::Start(Tag::Item) | Event::End(TagEnd::Item | TagEnd::TableRow | TagEnd::TableHead) => {
                newline(&mut out)
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::BlockQuote(_)) => {
                newline(&mut out)
            }
            _ => {}
        }
    }
    tidy(&out)
}

fn newline(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Raw HTML's text: tags dropped, the common entities read.
fn without_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// One line per line of text, each with single spaces, no empty lines.
fn tidy(text: &str) -> String {
    let lines: Vec<String> =
        text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|l| !l.is_empty()).collect();
    lines.join("\n")
}

/// The kinds of evidence file searched, by extension: text a reviewer reads.
pub(super) fn is_text_evidence(path: &str) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(ext.as_deref(), Some("md" | "markdown" | "txt" | "json" | "toml" | "csv" | "yaml" | "yml"))
}

/// An evidence file's words, by its format: Markdown as `markdown` does; JSON, TOML and YAML
/// as one `key: value` line per value; CSV as its cells. A file that does not parse as its
/// extension says is searched as the text it is.
pub(super) fn evidence(path: &str, text: &str) -> String {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let structured: Option<Value> = match ext.as_str() {
        "md" | "markdown" => return markdown(text),
        "json" => serde_json::from_str(text).ok(),
        "toml" => toml::from_str(text).ok(),
        "yaml" | "yml" => serde_yaml_ng::from_str(text).ok(),
        "csv" => return csv(text),
        _ => None,
    };
    match structured {
        Some(value) => {
            let mut lines = Vec::new();
            flatten(&value, "", 0, &mut lines);
            lines.join("\n")
        }
        None => tidy(text),
    }
}

/// Far deeper than any evidence file nests; deeper values are left out rather than recursed into.
const MAX_DEPTH: usize = crate::limits::MAX_YAML_DEPTH;

fn flatten(value: &Value, key: &str, depth: usize, out: &mut Vec<String>) {
    if depth > MAX_DEPTH {
        return;
    }
    let line = |v: &str| if key.is_empty() { v.to_string() } else { format!("{key}: {v}") };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let k = words_of_key(k);
                let key = if key.is_empty() { k } else { format!("{key} {k}") };
                flatten(v, &key, depth + 1, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| flatten(v, key, depth + 1, out)),
        Value::String(s) => out.push(line(&tidy(s).replace('\n', " "))),
        Value::Null => {}
        other => out.push(line(&other.to_string())),
    }
}

/// `eval_results` reads as "eval results": key punctuation is no part of the words.
fn words_of_key(key: &str) -> String {
    key.replace(['_', '-'], " ")
}

/// CSV cells separated by two spaces, a row per line, quotes read as CSV quotes them.
fn csv(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                out.push('"');
            }
            '"' => quoted = !quoted,
            ',' | ';' | '\t' if !quoted => out.push_str("  "),
            '\r' if !quoted => {}
            '\n' if quoted => out.push(' '),
            c => out.push(c),
        }
    }
    text_lines(&out)
}

/// Like `tidy`, keeping the two spaces between cells.
fn text_lines(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            l.split("  ")
                .map(|cell| cell.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("  ")
        })
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_loses_its_punctuation_and_keeps_its_words() {
        let md = "# The *bias* audit\n\n- [x] `bias` covers **every** language, see [the report](https://e.org/r) \
                  and ![chart](c.png)\n\n<div class=\"x\">Raw &amp; <b>bold</b></div>\n\n| suite | score |\n|---|---|\n| mmlu | 0.71 |\n";
        let text = markdown(md);
        for gone in ["*", "`", "[", "](", "https://", "<", ">", "&amp;", "|", "#"] {
            assert!(!text.contains(gone), "{gone:?} is markup: {text}");
        }
        for kept in
            ["The bias audit", "bias covers every language, see the report and chart", "Raw & bold", "mmlu 0.71"]
        {
            assert!(text.contains(kept), "{kept:?} is what a reader sees: {text}");
        }
    }

    #[test]
    fn structured_evidence_reads_as_key_value_lines() {
        let json = evidence(
            "evidence/e.json",
            r#"{"suites": {"mmlu_pro": {"score": 0.71, "seeds": [1, 2]}}, "note": "three seeds"}"#,
        );
        assert!(json.contains("suites mmlu pro score: 0.71"), "{json}");
        assert!(json.contains("note: three seeds"), "{json}");
        assert!(!json.contains('{') && !json.contains('"'), "{json}");
        let toml = evidence("evidence/m.toml", "[container]\ndigest = \"sha256:ab\"\n");
        assert_eq!(toml, "container digest: sha256:ab");
        let yaml = evidence("evidence/d.yaml", "license: apache-2.0\nlanguages: [en, es]\n");
        assert!(yaml.contains("license: apache-2.0") && yaml.contains("languages: es"), "{yaml}");
        let csv = evidence("evidence/s.csv", "suite,score\n\"MMLU, pro\",0.71\r\n\"say \"\"hi\"\"\",1\n");
        assert_eq!(csv, "suite  score\nMMLU, pro  0.71\nsay \"hi\"  1");
        assert_eq!(evidence("evidence/broken.json", "{ not json"), "{ not json", "searched as the text it is");
        assert!(is_text_evidence("evidence/A.CSV") && !is_text_evidence("evidence/weights.bin"));
    }
}
