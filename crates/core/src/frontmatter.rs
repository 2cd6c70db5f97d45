//! YAML front matter: a document that starts with a `---` line, YAML, and a closing `---`
//! (or `...`) line. The YAML text is returned as written so that a Hugging Face card's front
//! matter can be kept byte for byte.

use crate::error::Malformed;

/// The most front matter we read; a model card's metadata is a few kilobytes.
pub const MAX_FRONT_MATTER: usize = crate::limits::MAX_FRONT_MATTER_BYTES;

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
                // A closing fence on the last line, without a newline, leaves an empty body
                // on the fence's own line.
                body_line: line_no + usize::from(line.ends_with('\n')),
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

/// Parses front matter YAML into `T`, turning YAML errors into `path:line` errors. Nesting
/// deeper than `MAX_YAML_DEPTH` is refused first.
pub fn parse<T: serde::de::DeserializeOwned>(path: &str, yaml: &str, yaml_line: usize) -> Result<T, Malformed> {
    let too_deep = format!("nested more than {} levels deep", crate::limits::MAX_YAML_DEPTH);
    if let Some(line) = flow_too_deep(yaml) {
        return Err(Malformed::new(path, Some(yaml_line + line - 1), format!("front matter: {too_deep}")));
    }
    // Well-formed front matter is scanned by libyaml once, not twice: read into a value, whose
    // nesting is then counted, and turned into `T`. Anything else (too deep, not YAML, not a
    // `T`) is read again below, the depth first, for the error with its line.
    if let Ok(value) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(yaml) {
        if nesting(&value) < crate::limits::MAX_YAML_DEPTH {
            if let Ok(parsed) = serde_yaml_ng::from_value(value) {
                return Ok(parsed);
            }
        }
    }
    check_depth(yaml).map_err(|e| {
        let mut m = yaml_error(path, yaml, yaml_line, &e);
        // serde_yaml_ng puts the path of keys before the message (`a[0][0]...: nested ...`).
        if m.message.ends_with(&too_deep) {
            m.message = format!("front matter: {too_deep}");
        }
        m
    })?;
    serde_yaml_ng::from_str(yaml).map_err(|e| yaml_error(path, yaml, yaml_line, &e))
}

/// How deep `value` nests collections (and tags), counted as `check_depth` counts them.
fn nesting(value: &serde_yaml_ng::Value) -> usize {
    use serde_yaml_ng::Value;
    match value {
        Value::Sequence(items) => 1 + items.iter().map(nesting).max().unwrap_or(0),
        Value::Mapping(map) => 1 + map.iter().map(|(k, v)| nesting(k).max(nesting(v))).max().unwrap_or(0),
        Value::Tagged(tagged) => 1 + nesting(&tagged.value),
        _ => 0,
    }
}

/// libyaml's time grows with the square of flow nesting (`[[[[...`: 30,000 levels take
/// seconds, and the front matter limit allows 128,000), so brackets are counted before it
/// runs. Brackets in quotes and comments do not count; unbalanced ones in plain text might,
/// hence a margin over the real limit, which `check_depth` then enforces exactly. Returns
/// the 1-based line where the count goes over.
fn flow_too_deep(yaml: &str) -> Option<usize> {
    const MARGIN: usize = 8;
    let limit = crate::limits::MAX_YAML_DEPTH * MARGIN;
    let (mut depth, mut line, mut prev) = (0usize, 1usize, '\n');
    let mut chars = yaml.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '#' if prev.is_whitespace() => {
                // A comment runs to the end of the line.
                if chars.by_ref().any(|c| c == '\n') {
                    line += 1;
                }
                prev = '\n';
                continue;
            }
            '"' | '\'' if prev.is_whitespace() || "[{,:-?".contains(prev) => {
                while let Some(q) = chars.next() {
                    match q {
                        '\n' => line += 1,
                        // `\"` escapes in double quotes.
                        '\\' if c == '"' => line += usize::from(chars.next() == Some('\n')),
                        // `''` is a quote inside single quotes.
                        '\'' if c == '\'' && chars.peek() == Some(&'\'') => {
                            chars.next();
                        }
                        q if q == c => break,
                        _ => {}
                    }
                }
            }
            '[' | '{' => {
                depth += 1;
                if depth > limit {
                    return Some(line);
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        prev = c;
    }
    None
}

/// Walks the YAML's structure without keeping it, failing at the first node nested deeper
/// than `MAX_YAML_DEPTH`. The walk recurses, but never more than that depth, and the error
/// carries the position of the node that went too deep.
fn check_depth(yaml: &str) -> Result<(), serde_yaml_ng::Error> {
    use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, SeqAccess, Visitor};

    struct Depth(usize);

    impl Depth {
        fn deeper<E: Error>(&self) -> Result<usize, E> {
            if self.0 >= crate::limits::MAX_YAML_DEPTH {
                return Err(E::custom(format!("nested more than {} levels deep", crate::limits::MAX_YAML_DEPTH)));
            }
            Ok(self.0 + 1)
        }
    }

    impl<'de> DeserializeSeed<'de> for Depth {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            // Not `deserialize_ignored_any`: that skips a node without visiting what it holds.
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Depth {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("YAML")
        }
        fn visit_bool<E: Error>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E: Error>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E: Error>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_i128<E: Error>(self, _: i128) -> Result<(), E> {
            Ok(())
        }
        fn visit_u128<E: Error>(self, _: u128) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E: Error>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E: Error>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_bytes<E: Error>(self, _: &[u8]) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E: Error>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_none<E: Error>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            self.deserialize(d)
        }
        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            self.deserialize(d)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let inner = self.deeper()?;
            while seq.next_element_seed(Depth(inner))?.is_some() {}
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let inner = self.deeper()?;
            while map.next_key_seed(Depth(inner))?.is_some() {
                map.next_value_seed(Depth(inner))?;
            }
            Ok(())
        }
        fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
            use serde::de::VariantAccess;
            let inner = self.deeper()?;
            let ((), variant) = data.variant_seed(Depth(inner))?;
            variant.newtype_variant_seed(Depth(inner))
        }
    }

    if yaml.trim().is_empty() {
        return Ok(());
    }
    Depth(0).deserialize(serde_yaml_ng::Deserializer::from_str(yaml))
}

pub fn yaml_error(path: &str, yaml: &str, yaml_line: usize, e: &serde_yaml_ng::Error) -> Malformed {
    // libyaml also ends a line at a lone carriage return, which no other count here does:
    // the line is found from the error's position, counting line feeds as `line_of` does.
    // (libyaml's index counts characters.)
    let line = e
        .location()
        .map(|l| {
            let offset = yaml.char_indices().nth(l.index()).map_or(yaml.len(), |(b, _)| b);
            line_of(yaml, offset) + yaml_line - 1
        })
        .unwrap_or(yaml_line);
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
    fn a_closing_fence_without_a_newline_leaves_an_empty_body_on_its_line() {
        // Found by the frontmatter fuzz target: the body's line must agree with `line_of`.
        let doc = "---\na: 1\n---";
        let s = split("x.md", doc).unwrap();
        assert_eq!(s.body, "");
        assert_eq!(s.body_line, line_of(doc, doc.len()), "no line after the fence exists");
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

    #[test]
    fn yaml_error_lines_count_line_feeds_only() {
        // Found by the checklist fuzz target: libyaml counts a lone CR as a line break, and
        // reported a line past the end of the file.
        let yaml = "a: 1\r\r\r\r\rb: [unclosed\n";
        let e = parse::<serde_yaml_ng::Value>("c.md", yaml, 2).unwrap_err();
        // One line feed: the YAML starts on line 2, and its end is on line 3.
        assert!(matches!(e.location.line, Some(2..=3)), "{e}");
        // Characters before the error that take more than one byte move no line.
        let yaml = "é: ü\nb: [unclosed\n";
        let e = parse::<serde_yaml_ng::Value>("c.md", yaml, 2).unwrap_err();
        assert!(matches!(e.location.line, Some(3..=4)), "the second YAML line or its end: {e}");
    }

    /// `levels` nested containers: the top mapping and `levels - 1` flow lists.
    fn flow(levels: usize) -> String {
        format!("a: {}1{}\n", "[".repeat(levels - 1), "]".repeat(levels - 1))
    }

    #[test]
    fn nesting_is_limited_to_32_levels() {
        parse::<serde_yaml_ng::Value>("c.md", &flow(32), 2).expect("32 levels are read");
        let e = parse::<serde_yaml_ng::Value>("c.md", &flow(33), 2).unwrap_err();
        assert!(e.message.contains("nested more than 32 levels"), "{e}");
        assert_eq!(e.location.line, Some(2));
    }

    #[test]
    fn very_deep_yaml_is_refused_without_exhausting_the_stack() {
        // Test threads have 2 MiB of stack; 100,000 levels fit in the front matter limit.
        for levels in [100, 10_000, 100_000] {
            for yaml in [
                flow(levels),
                format!("a: {}1{}\n", "{a: ".repeat(levels / 2), "}".repeat(levels / 2)),
                format!("a:\n{}x\n", "- ".repeat(levels)),
            ] {
                assert!(yaml.len() < MAX_FRONT_MATTER);
                let started = std::time::Instant::now();
                let e = parse::<serde_yaml_ng::Value>("c.md", &yaml, 2).unwrap_err();
                assert_eq!(e.message, "front matter: nested more than 32 levels deep", "{levels}");
                assert!(started.elapsed().as_secs() < 5, "{levels} levels took {:?}", started.elapsed());
            }
        }
        let mut block = String::new();
        for level in 0..100 {
            block.push_str(&format!("{}k{level}:\n", " ".repeat(level)));
        }
        let e = parse::<serde_yaml_ng::Value>("c.md", &block, 2).unwrap_err();
        assert!(e.message.contains("nested more than 32 levels"), "{e}");
        assert!(e.location.line.is_some_and(|l| (30..=36).contains(&l)), "the line that went too deep: {e}");
    }

    #[test]
    fn a_value_reads_as_the_type_asks_whichever_way_it_is_read() {
        // Read through a YAML value first, `1.10` is the number 1.1, which a string field
        // cannot take; the front matter is then read as text, as it always was.
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Front {
            version: String,
            order: i64,
        }
        let front: Front = parse("p.md", "version: 1.10\norder: 20\n", 2).unwrap();
        assert_eq!(front, Front { version: "1.10".into(), order: 20 });
        // A duplicate key is refused, as before.
        let e = parse::<Front>("p.md", "version: a\norder: 1\norder: 2\n", 2).unwrap_err();
        assert!(e.message.contains("duplicate field `order`"), "{e}");
    }

    #[test]
    fn brackets_in_quotes_and_comments_are_not_nesting() {
        let many = "[".repeat(400);
        let yaml = format!("a: \"{many}\"\nb: '{many}'' {many}'\nc: 1 # {many}\nd: [\"]\", '[']\n");
        let v: serde_yaml_ng::Value = parse("c.md", &yaml, 2).expect("quoted brackets are text");
        assert_eq!(v["a"].as_str().map(str::len), Some(400));
        assert_eq!(flow_too_deep(&format!("x: {many}")), Some(1));
    }

    #[test]
    fn aliases_cannot_multiply_a_small_document() {
        let mut yaml = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = format!("*a{}", i - 1);
            yaml.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
        }
        assert!(parse::<serde_yaml_ng::Value>("c.md", &yaml, 2).is_err(), "a billion laughs is refused");
    }
}
