//! Full-text search and rendering as a reviewer meets them through the CLI.

mod common;

use common::{signoff_args, Fixture};
use serde_json::Value;

fn hits(f: &Fixture, words: &[&str]) -> Vec<Value> {
    let mut args = vec!["--json", "search"];
    args.extend_from_slice(words);
    f.gh(&args).ok().json().as_array().cloned().expect("search --json prints a list")
}

fn paths(hits: &[Value]) -> Vec<String> {
    hits.iter().map(|h| h["path"].as_str().unwrap_or_default().to_string()).collect()
}

#[test]
fn search_finds_checklists_policies_cards_and_comments_and_stays_current() {
    let f = Fixture::sample();
    let found = paths(&hits(&f, &["bias", "audit"]));
    assert!(
        found.contains(&"policies/checklists/safety.md".to_string()),
        "the safety checklist asks for a bias audit: {found:?}"
    );
    assert!(
        found.iter().any(|p| p.starts_with("signoffs/aurora-sci-200b/safety/")),
        "lgarcia's changes-requested comment on aurora mentions the bias audit: {found:?}"
    );

    // A new comment is searchable right after the sign-off, without a rebuild.
    assert!(hits(&f, &["quasicrystal"]).is_empty(), "nothing mentions the word yet");
    f.gh(&signoff_args(
        "akeller",
        "baseline-1.4b",
        "intake",
        "approve",
        &["--item", "all=done", "--comment", "Intended use covers quasicrystal simulation."],
    ))
    .ok();
    let new = hits(&f, &["quasicrystal"]);
    assert_eq!(paths(&new).len(), 1, "exactly the new sign-off: {new:?}");
    assert_eq!(new[0]["kind"], "signoff");
    let matched: Vec<&str> = new[0]["snippet"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["matched"] == true)
        .filter_map(|p| p["text"].as_str())
        .collect();
    assert_eq!(matched, vec!["quasicrystal"], "the snippet marks the matched word");

    // Words that are FTS5 syntax are searched as words, not interpreted (no error).
    let r = f.gh(&["--json", "search", "NEAR(", "\"OR\"", "*"]);
    assert_eq!(r.code, 0, "query syntax in user input must not break search: {}", r.stderr);
    let r = f.gh(&["search", "\""]);
    assert_eq!(r.code, 2, "a query with no words is bad input: {}", r.stderr);
}

#[test]
fn a_hostile_card_is_rendered_inert_and_its_front_matter_kept_as_written() {
    let f = Fixture::sample();
    let card = f.root.join("hostile.md");
    let front = "---\nlicense: mit\norg: cscs\nowners: [akeller]\nmodel-index:\n- name: hostile\n  results: []\n---\n";
    let body = "# Hostile\n\n<script>alert('card')</script>\n\n<img src=x onerror=\"alert('img')\">\n\n[click](javascript:alert('link')) [data](data:text/html,<b>x</b>)\n\n<iframe src=\"https://example.org\"></iframe>\n\nPlain **text** stays.\n";
    std::fs::write(&card, format!("{front}{body}")).expect("write the card");
    let card_arg = card.display().to_string();
    f.gh(&["--as", "akeller", "model", "add", "hostile-1b", "--card", &card_arg]).ok();

    let shown = f.gh(&["--json", "show", "model", "hostile-1b"]).ok().json();
    let html = shown["card_html"].as_str().expect("show --json carries the rendered card");
    for bad in ["<script", "onerror", "javascript:", "data:text", "<iframe", "alert("] {
        assert!(!html.contains(bad), "{bad} must not survive sanitizing: {html}");
    }
    assert!(html.contains("<strong>text</strong>"), "ordinary Markdown still renders: {html}");

    let stored = f.git_ok(&["show", "main:models/hostile-1b/card.md"]);
    assert!(stored.starts_with(front.trim_end()), "the Hugging Face front matter is kept byte for byte:\n{stored}");
    assert!(
        stored.contains("<script>alert('card')</script>"),
        "the card itself is stored as given; only rendering cleans it"
    );

    let text = f.gh(&["show", "model", "hostile-1b"]).ok().stdout;
    assert!(!text.contains('\u{1b}'), "no terminal escape sequences from the card");
    f.assert_fsck_clean();
}
