//! Full-text search and rendering as a reviewer meets them through the CLI.

mod common;

use common::{signoff_args, signoffs_dir, Fixture};
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
        found.iter().any(|p| p.starts_with(&format!("{}/safety/", signoffs_dir("aurora-sci-200b")))),
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

/// The text a hit shows: its snippet's pieces joined.
fn snippet_text(hit: &Value) -> String {
    hit["snippet"].as_array().expect("a snippet").iter().filter_map(|p| p["text"].as_str()).collect()
}

fn matched(hit: &Value) -> Vec<String> {
    let pieces = hit["snippet"].as_array().expect("a snippet");
    pieces.iter().filter(|p| p["matched"] == true).filter_map(|p| p["text"].as_str()).map(str::to_lowercase).collect()
}

#[test]
fn snippets_are_plain_text_with_the_matches_marked() {
    let f = Fixture::sample();
    // Words found in checklists (`id` code spans, **bold**), cards (links, tables) and comments.
    for query in ["bias", "license", "seeds", "contamination", "datasheets"] {
        let found = hits(&f, &[query]);
        assert!(!found.is_empty(), "the sample mentions {query}");
        for hit in &found {
            let text = snippet_text(hit);
            for markup in ["`", "**", "](", "|", "# ", "[x]"] {
                assert!(
                    !text.contains(markup),
                    "a snippet shows words, not Markdown {markup:?}: {text:?} in {}",
                    hit["path"]
                );
            }
            assert!(
                matched(hit).iter().any(|m| m.starts_with(&query[..4])),
                "each snippet marks what matched {query}: {hit}"
            );
        }
    }
}

#[test]
fn a_search_for_a_model_lists_its_card_first() {
    let f = Fixture::sample();
    let found = hits(&f, &["tpc-science-34b"]);
    assert_eq!(found[0]["kind"], "model", "the model's card, not one of its sign-offs, comes first: {found:#?}");
    assert_eq!(found[0]["ref"], "tpc-science-34b");
    assert!(found[1..].iter().any(|h| h["kind"] == "signoff"), "its sign-offs follow the card");
    let signoff = found.iter().find(|h| h["kind"] == "signoff").expect("a sign-off");
    let title = signoff["title"].as_str().unwrap();
    assert!(
        title.ends_with("for tpc-science-34b") && title.contains(") approved "),
        "a sign-off is titled in words, with the member's name and the gate's title: {title}"
    );

    // With more words than the card holds: the card still comes first.
    let more = hits(&f, &["tpc-science-34b", "Compatible"]);
    assert_eq!(more[0]["path"], "models/tpc-science-34b/card.md", "named, so listed first: {more:#?}");
    assert!(more.iter().any(|h| h["kind"] == "signoff"), "beside hsato's comment \"Compatible.\"");
}

/// The evidence hits for `words`, as (path, title).
fn evidence_hits(f: &Fixture, words: &[&str]) -> Vec<(String, String)> {
    hits(f, words)
        .iter()
        .filter(|h| h["kind"] == "evidence")
        .map(|h| {
            assert_eq!(h["ref"], h["path"].as_str().unwrap().split('/').nth(1).unwrap(), "ref is the model: {h}");
            (h["path"].as_str().unwrap().to_string(), h["title"].as_str().unwrap().to_string())
        })
        .collect()
}

#[test]
fn evidence_is_searched_after_a_rebuild_and_kept_up_to_date_incrementally() {
    let f = Fixture::sample();
    let bom = ("models/aurora-sci-200b/evidence/license-bom.md".to_string(), "license-bom.md".to_string());
    // The reference of Argonne's technology-transfer review is in aurora's bill of materials only.
    assert_eq!(evidence_hits(&f, &["OTT-26-0193"]), std::slice::from_ref(&bom), "found incrementally built");
    f.gh(&["index", "--rebuild"]).ok();
    assert_eq!(evidence_hits(&f, &["OTT-26-0193"]), [bom], "and after a cold rebuild");
    let json = hits(&f, &["lm-evaluation-harness", "bfloat16"]);
    let results: Vec<&Value> =
        json.iter().filter(|h| h["path"] == "models/aurora-sci-200b/evidence/eval-results.json").collect();
    assert_eq!(results.len(), 1, "JSON evidence is searched: {json:#?}");
    let text = snippet_text(results[0]);
    assert!(!text.contains('{') && !text.contains('"'), "as words, not JSON syntax: {text}");

    // CSV evidence (aurora's evaluation scores) is searched as its cells.
    let csv = hits(&f, &["pubmedqa"]);
    let scores: Vec<&Value> =
        csv.iter().filter(|h| h["path"] == "models/aurora-sci-200b/evidence/eval-scores.csv").collect();
    assert_eq!(scores.len(), 1, "CSV evidence is searched: {csv:#?}");
    let cells = snippet_text(scores[0]).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(cells.contains("pubmedqa acc 0 76.2 1.90 70.8"), "a row reads as its cells, no commas: {cells}");

    // Added by a later commit: found without a rebuild.
    let file = f.root.join("seed-audit.md");
    std::fs::write(&file, "# Seed audit\n\nThe *xylophonic* variance check passed.\n").unwrap();
    let arg = format!("{}=evidence/audits/seed-audit.md", file.display());
    f.gh(&["--as", "rvance", "model", "update", "aurora-sci-200b", "--evidence", &arg]).ok();
    let path = "models/aurora-sci-200b/evidence/audits/seed-audit.md".to_string();
    assert_eq!(evidence_hits(&f, &["xylophonic"]), [(path.clone(), "audits/seed-audit.md".to_string())]);
    let hit = &hits(&f, &["xylophonic"])[0];
    let words = snippet_text(hit).split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(words, "Seed audit The xylophonic variance check passed.", "its words without the Markdown");

    // Changed: the old words go, the new ones are found.
    std::fs::write(&file, "# Seed audit\n\nThe zeolitic variance check passed.\n").unwrap();
    f.gh(&["--as", "rvance", "model", "update", "aurora-sci-200b", "--evidence", &arg]).ok();
    assert!(evidence_hits(&f, &["xylophonic"]).is_empty(), "the replaced text is no longer found");
    assert_eq!(evidence_hits(&f, &["zeolitic"]).len(), 1, "the new text is");

    // Removed with plain git: no longer found; a binary file beside it is never searched.
    f.git(&["rm", "-q", "models/aurora-sci-200b/evidence/audits/seed-audit.md"]).ok();
    std::fs::write(f.repo.join("models/aurora-sci-200b/evidence/weights.bin"), b"zeolitic\0\x01").unwrap();
    let rvance = f.member("rvance");
    f.commit_as(&rvance.name, &rvance.email, "Replace the seed audit\n");
    assert!(evidence_hits(&f, &["zeolitic"]).is_empty(), "a removed file is not found, a binary one never");
    // Ties in rank may come in another order from a rebuilt index: compared as a set.
    let sorted = |mut h: Vec<Value>| {
        h.sort_by_key(|h| h["path"].to_string());
        h
    };
    let incremental = sorted(hits(&f, &["variance"]));
    f.gh(&["index", "--rebuild"]).ok();
    assert_eq!(sorted(hits(&f, &["variance"])), incremental, "the incremental index answers as a rebuilt one");
}
