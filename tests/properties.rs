//! Properties of the library's parsers on arbitrary input: id validation agrees with the
//! contract's regex, and no parser panics, whatever a repository or a user hands it.

use gatehouse::card::Card;
use gatehouse::checklist::Gate;
use gatehouse::consortium::Consortium;
use gatehouse::error::Input;
use gatehouse::frontmatter;
use gatehouse::id;
use gatehouse::signoff::SignoffFile;
use proptest::prelude::*;

/// `^[a-z0-9][a-z0-9._-]{0,62}$` and not made of dots alone, written out by hand.
fn reference_is_valid(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let lead = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let rest = |c: char| lead(c) || c == '.' || c == '_' || c == '-';
    let Some((&first, tail)) = chars.split_first() else {
        return false;
    };
    lead(first) && tail.len() <= 62 && tail.iter().all(|&c| rest(c)) && !chars.iter().all(|&c| c == '.')
}

/// Strings that are often near the boundary of a valid id.
fn id_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z0-9._-]{0,70}",
        "[a-zA-Z0-9._/ \\\\-]{0,66}",
        "[a-z0-9][a-z0-9._-]{60,64}",
        "\\.{1,4}",
        "[.][a-z]{0,3}",
        "[a-z0-9éÅ\u{0}\n]{1,5}",
    ]
}

/// YAML-ish text: keys, lists, quotes, anchors, tags, block scalars.
fn yamlish() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z_:\\- \\[\\]{}'\",0-9#&*!|>%@`\n\t.]{0,300}",
        proptest::collection::vec(
            prop_oneof![
                "[a-z_]{1,12}: [a-zA-Z0-9 .'\"-]{0,20}",
                "[a-z_]{1,12}: \\[[a-z0-9, \\[]{0,20}",
                "  - [a-z0-9 .-]{0,15}",
                "[a-z_]{1,12}:",
                "(org|owners|parameters|active_parameters|architecture|license|datasets|base_model|tags|model_name|gate|title|order|requires|policy|signers|role|quorum|distinct_orgs|independent): [a-z0-9\\[\\], .-]{0,20}",
                "  (role|quorum|distinct_orgs|independent): [a-z0-9-]{0,12}",
                "&[a-z] \\*[a-z]",
                "!![a-z]{1,6} [a-z0-9]{0,6}",
                "---",
                "\\.\\.\\.",
            ],
            0..20
        )
        .prop_map(|lines| lines.join("\n")),
    ]
}

/// Markdown-ish text with task lists and code spans.
fn markdownish() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(
            prop_oneof![
                "- \\[[ x]\\] `[a-zA-Z0-9._/ -]{0,12}` [a-z ]{0,20}",
                "- \\[[ x]\\] [a-z `]{0,20}",
                "  - \\[ \\] `[a-z]{1,8}`",
                "[#>*`\\-\\[\\] a-z0-9]{0,40}",
                "```",
                "",
            ],
            0..30
        )
        .prop_map(|lines| lines.join("\n")),
    ]
}

/// TOML-ish text built from the keys a sign-off or consortium.toml has.
fn tomlish() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(
            prop_oneof![
                "(model|gate|member|decision|at|subject|checklist|comment|name|format|id|email|org) = \"[a-z0-9:T.@ -]{0,24}\"",
                "(format|quorum|final_comment_days) = [0-9-]{1,4}",
                "(roles|keys|evidence) = \\[(\"[a-z-]{0,12}\",? ?){0,3}\\]",
                "\\[(rules|roles|items\\.[a-z-]{1,8})\\]",
                "\\[\\[members\\]\\]",
                "(state) = \"(done|open|not-applicable|[a-z]{0,5})\"",
                "(proposal_quorum) = \"[0-9/]{0,4}\"",
                "(signed_commits) = \"(required|optional|[a-z]{0,4})\"",
                "(stale_on_change) = (true|false|1)",
                "[a-z =\"\\[\\]{}.,0-9\n]{0,30}",
            ],
            0..25
        )
        .prop_map(|lines| lines.join("\n")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn id_validation_agrees_with_the_contract(s in id_like()) {
        prop_assert_eq!(
            id::is_valid(&s),
            reference_is_valid(&s),
            "id::is_valid({:?}) must agree with ^[a-z0-9][a-z0-9._-]{{0,62}}$ and not all dots", s
        );
        prop_assert_eq!(
            id::check(Input::Model, &s).is_ok(),
            reference_is_valid(&s),
            "id::check refuses exactly the invalid ids: {:?}", s
        );
    }

    #[test]
    fn an_invalid_id_is_refused_naming_the_argument(s in id_like()) {
        if let Err(e) = id::check(Input::Gate, &s) {
            prop_assert_eq!(e.input(), Some(Input::Gate), "the error names the argument: {}", e);
            prop_assert!(e.to_string().starts_with("gate: "), "the error names the argument: {}", e);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn frontmatter_split_never_panics(text in any::<String>()) {
        if let Ok(s) = frontmatter::split("x.md", &text) {
            prop_assert!(s.body.len() <= text.len(), "the body is part of the text");
        }
    }

    #[test]
    fn frontmatter_split_returns_the_yaml_and_body_between_fences(
        lines in proptest::collection::vec("[^\n\r]{0,30}", 0..12),
        body in "[^\u{feff}]{0,100}",
    ) {
        // Lines that would close the front matter early are not front matter content.
        let lines: Vec<String> = lines
            .into_iter()
            .filter(|l| !matches!(l.trim_end(), "---" | "..."))
            .collect();
        let yaml: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let doc = format!("---\n{yaml}---\n{body}");
        let s = frontmatter::split("card.md", &doc).expect("a closed fence splits");
        prop_assert_eq!(s.yaml, Some(yaml.as_str()), "the YAML between the fences, as written");
        prop_assert_eq!(s.body, body.as_str(), "the body after the closing fence, as written");
        prop_assert_eq!(s.yaml_line, 2, "YAML starts on line 2");
        prop_assert_eq!(s.body_line, lines.len() + 3, "the body starts after the closing fence");
    }

    #[test]
    fn card_parse_never_panics(text in any::<String>(), yaml in yamlish(), body in markdownish()) {
        let _ = Card::parse("models/m/card.md", "m", &text);
        let wrapped = format!("---\n{yaml}\n---\n{body}");
        if let Err(e) = Card::parse("models/m/card.md", "m", &wrapped) {
            prop_assert_eq!(
                e.location.path.as_str(), "models/m/card.md",
                "errors name the card's path"
            );
            if let Some(line) = e.location.line {
                prop_assert!(line >= 1 && line <= wrapped.lines().count() + 1,
                    "the line {} is inside the card: {}", line, e);
            }
        }
    }

    #[test]
    fn checklist_parse_never_panics(text in any::<String>(), yaml in yamlish(), body in markdownish()) {
        let _ = Gate::parse("policies/checklists/safety.md", &text);
        let wrapped = format!("---\n{yaml}\n---\n{body}");
        let _ = Gate::parse("policies/checklists/safety.md", &wrapped);
        // A well-formed front matter with an arbitrary body: the body's problems are found too.
        let good = format!(
            "---\ngate: safety\ntitle: Safety\norder: 50\nrequires: [evaluation]\nsigners:\n  role: safety-reviewer\n  quorum: 2\n---\n{body}"
        );
        if let Err(e) = Gate::parse("policies/checklists/safety.md", &good) {
            prop_assert_eq!(e.location.path.as_str(), "policies/checklists/safety.md", "errors name the file");
        }
    }

    #[test]
    fn checklist_items_are_read_in_order(ids in proptest::collection::btree_set("[a-z][a-z0-9-]{0,10}", 0..15)) {
        let ids: Vec<String> = ids.into_iter().collect();
        let items: String = ids.iter().map(|i| format!("- [ ] `{i}` Check {i}.\n")).collect();
        let text = format!(
            "---\ngate: safety\ntitle: Safety\norder: 50\nsigners:\n  role: safety-reviewer\n---\nWhy.\n\n{items}"
        );
        let gate = Gate::parse("policies/checklists/safety.md", &text).expect("a well-formed checklist");
        let got: Vec<&str> = gate.items.iter().map(|i| i.id.as_str()).collect();
        prop_assert_eq!(got, ids.iter().map(String::as_str).collect::<Vec<_>>(), "every item, in order");
        for (n, item) in gate.items.iter().enumerate() {
            prop_assert_eq!(item.line, 10 + n, "item {} is on its line", item.id);
        }
    }

    #[test]
    fn signoff_parse_never_panics(text in any::<String>(), toml in tomlish(), path in "signoffs/[a-z./]{0,8}/[a-z]{0,8}/[0-9TZ]{0,16}-[a-z]{0,6}(\\.toml)?") {
        let _ = SignoffFile::parse(&path, &text);
        let _ = SignoffFile::parse(&path, &toml);
        let good_path = "signoffs/m/safety/20261129T170000Z-ada.toml";
        if let Err(e) = SignoffFile::parse(good_path, &toml) {
            prop_assert_eq!(e.location.path.as_str(), good_path, "errors name the file");
        }
    }

    #[test]
    fn consortium_parse_never_panics(text in any::<String>(), toml in tomlish()) {
        let _ = Consortium::parse(&text);
        if let Err(e) = Consortium::parse(&toml) {
            prop_assert_eq!(e.location.path.as_str(), "consortium.toml", "errors name consortium.toml");
        }
    }
}

#[test]
fn the_reference_check_itself_matches_known_cases() {
    // So that a mistake in the reference cannot hide a mistake in the library.
    for ok in ["a", "0", "switch-c-1.6t", "a.b_c-d", "a..", "1...", &"x".repeat(63)] {
        assert!(reference_is_valid(ok), "{ok:?} is a valid id by the contract");
    }
    for bad in ["", ".", "..", "...", "-a", "_a", ".a", "A", "a b", "a/b", "é", &"x".repeat(64)] {
        assert!(!reference_is_valid(bad), "{bad:?} is not a valid id by the contract");
    }
}
