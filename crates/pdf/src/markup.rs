//! The typst source is written here, and only here, so one rule keeps it safe: template text is
//! `&'static str` written in this crate, and anything else (every string from the repository:
//! titles, comments, notes, reasons, paths, names) goes in as an escaped typst *string
//! literal*, never as markup. Inside a string literal `#`, `[`, `$`, `<`, `@`, `#import` and
//! `#read` are just characters; the only way out of one is an unescaped `"`, and `"` and `\`
//! are always escaped. So a card titled `#read("/etc/passwd")` prints that text and runs
//! nothing.

use std::fmt::Write as _;

use crate::world::covered;

/// A typst source under construction.
#[derive(Default)]
pub struct Markup {
    out: String,
}

impl Markup {
    pub fn new() -> Self {
        Markup::default()
    }

    pub fn finish(self) -> String {
        self.out
    }

    /// Trusted template text: only constants of this crate can be passed (`&'static str`).
    pub fn t(&mut self, template: &'static str) -> &mut Self {
        self.out.push_str(template);
        self
    }

    /// Untrusted text for code position: a string literal, with long words made breakable
    /// (see [`push_text`]).
    pub fn s(&mut self, text: &str) -> &mut Self {
        push_text(&mut self.out, text);
        self
    }

    /// An id (commit, blob, SHA-256, key fingerprint) for code position: one string literal,
    /// never broken, so a search for the whole id finds it.
    pub fn id(&mut self, id: &str) -> &mut Self {
        push_literal(&mut self.out, &printable(id));
        self
    }

    /// Untrusted text in markup position: `#...;` (the semicolon ends the embedded expression,
    /// so template text after it cannot continue it).
    pub fn ms(&mut self, text: &str) -> &mut Self {
        self.out.push('#');
        push_text(&mut self.out, text);
        self.out.push(';');
        self
    }

    /// A number, in code or markup position alike.
    pub fn n(&mut self, n: impl Into<i128>) -> &mut Self {
        let _ = write!(self.out, "{}", n.into());
        self
    }
}

/// Words longer than this are cut into pieces a line may break between.
const LONG_WORD: usize = 24;

/// `text` as a typst expression that shows it: one string literal, or, when it has a word
/// longer than [`LONG_WORD`] characters (a path, a URL, a run of letters), an array of string
/// literals joined, with each piece of a long word in its own `box`. typst breaks lines only
/// at spaces and hyphens, so a long word would run out of its table cell; a line may break
/// between two boxes, and unlike a zero-width space that adds no character to the text a
/// reader copies or searches.
fn push_text(out: &mut String, text: &str) {
    let text = printable(text);
    let long = text.split_whitespace().any(|w| w.chars().count() > LONG_WORD);
    if !long {
        push_literal(out, &text);
        return;
    }
    out.push('(');
    let mut plain = String::new();
    for piece in text.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end_matches(char::is_whitespace);
        if word.chars().count() <= LONG_WORD {
            plain.push_str(piece);
            continue;
        }
        if !plain.is_empty() {
            push_literal(out, &plain);
            out.push_str(", ");
            plain.clear();
        }
        for chunk in pieces(word) {
            out.push_str("box(");
            push_literal(out, chunk);
            out.push_str("), ");
        }
        plain.push_str(&piece[word.len()..]);
    }
    if !plain.is_empty() {
        push_literal(out, &plain);
        out.push_str(", ");
    }
    out.push_str(").join()");
}

/// A long word cut after each `/`, `-`, `_`, `.`, `,`, `:` or `=` (where a reader expects a
/// path or an id to break), and into pieces of at most `LONG_WORD / 2` characters between.
fn pieces(word: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut count = 0;
    for (i, c) in word.char_indices() {
        count += 1;
        let end = i + c.len_utf8();
        if matches!(c, '/' | '-' | '_' | '.' | ',' | ':' | '=') || count == LONG_WORD / 2 {
            out.push(&word[start..end]);
            start = end;
            count = 0;
        }
    }
    if start < word.len() {
        out.push(&word[start..]);
    }
    out
}

/// `text` as one typst string literal; `text` must already be [`printable`].
fn push_literal(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// What the PDF can show of `text`: line ends normalised to `\n`; control characters,
/// bidirectional overrides (which could make a line read differently from its bytes) and
/// characters no embedded font can draw written as `[U+XXXX]`. A character drawn as `.notdef`
/// would break PDF/A, and the exact text is in the attached JSON report anyway.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\t' => out.push(c),
            c if c.is_control() || is_bidi_control(c) || !covered(c) => {
                let _ = write!(out, "[U+{:04X}]", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_quotes_and_backslashes() {
        let mut m = Markup::new();
        m.s(r#"a"b\c"#);
        // The quote and backslash are escaped, so the literal ends only at the final quote.
        assert_eq!(m.finish(), r#""a\"b\\c""#);
    }

    #[test]
    fn markup_literals_end_with_a_semicolon() {
        let mut m = Markup::new();
        m.ms("x").t(".len()");
        // `.len()` after the literal is plain text, not a method call on it.
        assert_eq!(m.finish(), r##"#"x";.len()"##);
    }

    #[test]
    fn long_words_become_boxes_and_short_ones_stay_literals() {
        let mut m = Markup::new();
        m.s("see evidence/abcdefghijklmnopqrstuvwxyz.md now");
        // The long word is cut into boxes; the words around it stay plain string literals.
        assert_eq!(
            m.finish(),
            r#"("see ", box("evidence/"), box("abcdefghijkl"), box("mnopqrstuvwx"), box("yz."), box("md"), " now", ).join()"#
        );
        let mut m = Markup::new();
        m.id("4f8b2c1d9e7a6b5c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c");
        // An id is never cut.
        assert_eq!(m.finish(), r#""4f8b2c1d9e7a6b5c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c""#);
    }

    #[test]
    fn controls_and_bidi_overrides_are_shown_not_kept() {
        // A NUL and a right-to-left override must not reach the page as themselves.
        assert_eq!(printable("a\u{0}b\u{202E}c\r\nd"), "a[U+0000]b[U+202E]c\nd");
    }
}
