//! YAML front matter: a document that starts with a `---` line, YAML, and a closing `---`
//! (or `...`) line. The YAML text is returned as written so that a Hugging Face card's front
//! matter can be kept byte for byte.

use crate::error::Malformed;

/// The most front matter we read; a model card's metadata is a few kilobytes.
pub const MAX_FRONT_MATTER: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences, `None` when the document has no front matter.
    pub yaml: Option<&'a str>,
    /// 1-based line of the first YAML line in the document.
    pub yaml_line: usize,
    /// Byte offset in the document where the YAML ends (the closing fence starts there).
    pub yaml_end: usize,
    pub body: &'a str,
    /// 1-based line of the body's first line in the document.
    pub body_line: usize,
}

fn is_fence(line: &str, closing: bool) -> bool {
    let line = line.trim_end_matches(['\r', '\n']).trim_end();
    line == "---" || (closing && line == "...")
}

/// Splits `text` into front matter and body. Fails, naming `path` and a line, when an
/// opening fence has no closing one.
pub fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Malformed> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let offset = text.len() - text_no_bom.len();
    let mut lines = text_no_bom.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return Ok(Split { yaml: None, yaml_line: 1, yaml_end: 0, body: text, body_line: 1 });
    };
    if !is_fence(first, false) {
        return Ok(Split { yaml: None, yaml_line: 1, yaml_end: 0, body: text, body_line: 1 });
    }
    let yaml_start = offset + first.len();
    let mut pos = yaml_start;
    for (line_no, line) in (2..).zip(lines) {
        if is_fence(line, true) {
            let body_start = pos + line.len();
            return Ok(Split {
                yaml: Some(&text[yaml_start..pos]),
                yaml_line: 2,
                yaml_end: pos,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        pos += line.len();
        if pos - yaml_start > MAX_FRONT_MATTER {
            return Err(Malformed::new(
                path,
                Some(1),
                format!("front matter is larger than {} KiB", MAX_FRONT_MATTER / 1024),
            ));
        }
    }
    Err(Malformed::new(path, Some(1), "front matter opened with '---' is never closed"))
}

/// Parses front matter YAML into `T`, turning YAML errors into `path:line` errors.
pub fn parse<T: serde::de::DeserializeOwned>(path: &str, yaml: &str, yaml_line: usize) -> Result<T, Malformed> {
    serde_yaml_ng::from_str(yaml).map_err(|e| yaml_error(path, yaml_line, &e))
}

pub fn yaml_error(path: &str, yaml_line: usize, e: &serde_yaml_ng::Error) -> Malformed {
    let line = e.location().map(|l| l.line() + yaml_line - 1).unwrap_or(yaml_line);
    // serde_yaml appends "at line X column Y" relative to the YAML; our line replaces it.
    let message = e.to_string();
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    Malformed::new(path, Some(line), format!("front matter: {message}"))
}

/// 1-based line number of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body_with_lines() {
        let doc = "---\na: 1\nb: 2\n---\n# Title\n";
        let s = split("x.md", doc).unwrap();
        assert_eq!(s.yaml, Some("a: 1\nb: 2\n"));
        assert_eq!(s.body, "# Title\n");
        assert_eq!(s.body_line, 5, "body starts after the closing fence");
    }

    #[test]
    fn a_document_without_front_matter_is_all_body() {
        let s = split("x.md", "# Hi\n---\n").unwrap();
        assert_eq!(s.yaml, None);
        assert_eq!(s.body, "# Hi\n---\n");
    }

    #[test]
    fn an_unclosed_fence_names_the_file_and_line() {
        let e = split("models/m/card.md", "---\na: 1\n").unwrap_err();
        assert_eq!(e.to_string(), "models/m/card.md:1: front matter opened with '---' is never closed");
    }

    #[test]
    fn yaml_errors_point_at_the_document_line() {
        let doc = "---\na: 1\nb: [unclosed\n---\nbody";
        let s = split("c.md", doc).unwrap();
        let e = parse::<serde_yaml_ng::Value>("c.md", s.yaml.unwrap(), s.yaml_line).unwrap_err();
        assert_eq!(e.location.path, "c.md");
        assert!(e.location.line.unwrap() >= 3, "error is on or after the broken line: {e}");
    }
}
