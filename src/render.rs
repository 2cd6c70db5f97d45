//! Markdown from a repository is untrusted. It is rendered with pulldown-cmark and then
//! sanitized with ammonia: no script, no event handlers, no `javascript:` or `data:` links,
//! no iframes or forms. What leaves this module is safe to put in the app or a report.

use std::collections::HashSet;

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Markdown to sanitized HTML.
pub fn to_html(markdown: &str) -> String {
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options()));
    sanitize(&raw)
}

/// Plain text as HTML text: every character that could start markup is escaped.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Cleans HTML: only a fixed set of tags and attributes, links limited to http, https and
/// mailto, and every link made `rel="noopener noreferrer"`.
pub fn sanitize(html: &str) -> String {
    let schemes: HashSet<&str> = ["http", "https", "mailto"].into_iter().collect();
    ammonia::Builder::default()
        .url_schemes(schemes)
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

/// Markdown to readable plain text for a terminal: headings on their own lines, list items
/// with a bullet, code and links as their text. Nothing is interpreted.
pub fn to_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut list_depth = 0usize;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Heading { .. }) => out.push('\n'),
            Event::End(TagEnd::Heading(_)) | Event::End(TagEnd::Paragraph) => out.push_str("\n\n"),
            Event::Start(Tag::List(_)) => list_depth += 1,
            Event::End(TagEnd::List(_)) => {
                list_depth = list_depth.saturating_sub(1);
                if list_depth == 0 {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                if !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(&"  ".repeat(list_depth.saturating_sub(1)));
                out.push_str("- ");
            }
            Event::End(TagEnd::Item) if !out.ends_with('\n') => out.push('\n'),
            Event::TaskListMarker(done) => out.push_str(if done { "[x] " } else { "[ ] " }),
            Event::Text(t) => out.push_str(&strip_controls(&t)),
            // Backticks stay: a checklist item's id is the code span a reviewer types in --item.
            Event::Code(t) => out.push_str(&format!("`{}`", strip_controls(&t))),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Rule => out.push_str("\n----\n"),
            _ => {}
        }
    }
    let trimmed: Vec<&str> = out.lines().map(str::trim_end).collect();
    let mut text = trimmed.join("\n");
    while text.contains("\n\n\n") {
        text = text.replace("\n\n\n", "\n\n");
    }
    text.trim().to_string() + "\n"
}

/// Terminal control characters in repository text could move the cursor or recolour the
/// screen; they are dropped.
pub fn strip_controls(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_keeps_angle_brackets_as_text() {
        assert_eq!(
            escape_html("evidence/red-<yyyy-mm>.md & \"x\""),
            "evidence/red-&lt;yyyy-mm&gt;.md &amp; &quot;x&quot;"
        );
    }

    #[test]
    fn script_handlers_and_javascript_links_are_removed() {
        let md = "<script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\">\n\n[x](javascript:alert(3)) [d](data:text/html,hi)\n\n<iframe src=\"https://e.org\"></iframe>";
        let html = to_html(md);
        for bad in ["<script", "onerror", "javascript:", "data:", "<iframe", "alert(1)"] {
            assert!(!html.contains(bad), "{bad} survived: {html}");
        }
    }

    #[test]
    fn ordinary_markdown_survives() {
        let html =
            to_html("# Title\n\n- [x] `id` done\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[site](https://example.org)");
        assert!(html.contains("<h1>Title</h1>"));
        assert!(html.contains("<table>"));
        assert!(html.contains("href=\"https://example.org\""));
        assert!(html.contains("rel=\"noopener noreferrer\""));
    }

    #[test]
    fn terminal_text_drops_escape_sequences() {
        assert_eq!(to_text("hi \u{1b}[31mred"), "hi [31mred\n");
    }
}
