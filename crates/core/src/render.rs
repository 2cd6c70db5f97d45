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
    html::push_html(&mut raw, bounded(Parser::new_ext(markdown, options())));
    sanitize(&raw)
}

/// The sanitizer's HTML parser takes time that grows with the square of element nesting
/// (10,000 nested block quotes take seconds; 100,000 fit in a card and took twelve minutes),
/// so what reaches it is bounded: Markdown containers nested deeper than `MAX_RENDER_DEPTH`
/// are rendered flat, and raw HTML past `MAX_HTML_TAGS` tags is shown as text.
fn bounded<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    use crate::limits::{MAX_HTML_TAGS, MAX_RENDER_DEPTH};
    let (mut depth, mut tags) = (0usize, 0usize);
    events.filter_map(move |event| match event {
        Event::Start(_) => {
            depth += 1;
            (depth <= MAX_RENDER_DEPTH).then_some(event)
        }
        Event::End(_) => {
            let kept = depth <= MAX_RENDER_DEPTH;
            depth = depth.saturating_sub(1);
            kept.then_some(event)
        }
        Event::Html(raw) | Event::InlineHtml(raw) if tags > MAX_HTML_TAGS => Some(Event::Text(raw)),
        Event::Html(ref raw) | Event::InlineHtml(ref raw) => {
            tags += raw.matches('<').count();
            Some(if tags > MAX_HTML_TAGS { Event::Text(raw.clone()) } else { event })
        }
        other => Some(other),
    })
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

/// Cleans HTML: only a fixed set of tags and attributes, no `style`, links limited to http,
/// https and mailto, and every link made `rel="noopener noreferrer"`.
pub fn sanitize(html: &str) -> String {
    let schemes: HashSet<&str> = ["http", "https", "mailto"].into_iter().collect();
    ammonia::Builder::default()
        .url_schemes(schemes)
        // Relative addresses mean nothing outside the repository: in the app they would
        // navigate its own window, and `//host/x` reaches the network from a saved report.
        // Anchors within the document (footnotes) stay.
        .url_relative(ammonia::UrlRelative::Custom(Box::new(fragment_only)))
        // Inputs exist for task-list check boxes; any other input (a password field in a
        // card) becomes one too, and none can be ticked.
        .add_tags(["input"])
        .add_tag_attributes("input", ["checked"])
        .set_tag_attribute_value("input", "type", "checkbox")
        .set_tag_attribute_value("input", "disabled", "")
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

fn fragment_only(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    url.starts_with('#').then_some(std::borrow::Cow::Borrowed(url))
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
    fn inputs_are_disabled_check_boxes_and_relative_addresses_are_dropped() {
        let html = to_html(
            "- [x] `a` done\n\n<input type=\"password\" name=\"k\">\n\n<a href=\"//evil.example/x\">p</a> <a href=\"evidence/r.md\">r</a> <img src=\"/x.png\">",
        );
        assert_eq!(html.matches("<input").count(), 2, "{html}");
        assert_eq!(html.matches("type=\"checkbox\"").count(), 2, "{html}");
        assert_eq!(html.matches("disabled").count(), 2, "{html}");
        for gone in ["password", "name=", "evil.example", "evidence/r.md", "/x.png"] {
            assert!(!html.contains(gone), "{gone} survived: {html}");
        }
    }

    #[test]
    fn deep_nesting_is_rendered_flat_and_excess_raw_html_as_text() {
        let deep = to_html(&(">".repeat(1000) + " deep"));
        assert_eq!(deep.matches("<blockquote>").count(), crate::limits::MAX_RENDER_DEPTH);
        assert!(deep.contains("deep"));
        let n = crate::limits::MAX_HTML_TAGS + 10;
        let divs = to_html(&("<div>\n\n".repeat(n) + "inside"));
        assert_eq!(divs.matches("<div>").count(), crate::limits::MAX_HTML_TAGS);
        assert_eq!(divs.matches("&lt;div&gt;").count(), 10, "the rest is text");
        // One HTML block over the budget is text as a whole.
        assert!(!to_html(&"<div>".repeat(n)).contains("<div>"));
    }

    #[test]
    fn terminal_text_drops_escape_sequences() {
        assert_eq!(to_text("hi \u{1b}[31mred"), "hi [31mred\n");
    }
}
