//! The app's views (src/views), computed by the library on a real sample repository: what a
//! reviewer sees on the board, on a model, in the sign-off form, in history and in documents.

mod common;

use std::collections::HashMap;

use common::{signoff_args, Fixture, AT};
use gatehouse::error::ErrorCode;
use gatehouse::index::Index;
use gatehouse::progress::Silent;
use gatehouse::record::Framework;
use gatehouse::views::board::{board, BoardState};
use gatehouse::views::documents::{document, documents};
use gatehouse::views::eligibility::{eligibility, for_model};
use gatehouse::views::history::{facets, history, HistoryFilter};
use gatehouse::views::identity::identity;
use gatehouse::views::model::model_detail;
use gatehouse::Governance;

fn open(f: &Fixture) -> (Governance, Framework) {
    let gov = Governance::open(&f.repo).expect("the sample opens");
    let fw = {
        let tree = gov.tree_of(gov.head().unwrap()).unwrap();
        Framework::load(gov.repo(), &tree).unwrap()
    };
    (gov, fw)
}

#[test]
fn the_board_puts_each_sample_model_in_the_column_of_its_gate() {
    let f = Fixture::sample();
    let (gov, fw) = open(&f);
    let view = Index::query(&gov, &mut Silent, |i| board(i, &fw.consortium.name)).unwrap();
    let gates: Vec<&str> = view.gates.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(
        gates,
        ["intake", "licensing", "data-provenance", "reproducibility", "evaluation", "safety", "deployment", "release"],
        "columns follow the gates' order"
    );
    let at: HashMap<&str, (&str, BoardState)> =
        view.models.iter().map(|m| (m.id.as_str(), (m.column.as_str(), m.state))).collect();
    // The same stages `gatehouse status` reports for the sample.
    assert_eq!(at["switch-c-1.6t"], ("release", BoardState::Passed), "a released model stays in the last column");
    assert_eq!(at["aurora-sci-200b"], ("safety", BoardState::ChangesRequested));
    assert_eq!(at["baseline-1.4b"], ("intake", BoardState::Open));
    // tpc-science-34b's approvals predate its card revision: the board says stale, not open.
    assert_eq!(at["tpc-science-34b"], ("licensing", BoardState::Stale));
    assert_eq!(view.orgs, ["argonne", "bsc", "cscs", "riken"], "every model's organisation, once, for the filter");
    assert_eq!(view.head, gov.head().unwrap().to_string(), "the board names the commit it shows");
}

#[test]
fn the_model_view_marks_stale_signoffs_and_items_from_current_ones_only() {
    let f = Fixture::sample();
    let (gov, fw) = open(&f);
    let head = gov.head().unwrap();
    let tree = gov.tree_of(head).unwrap();
    let commits = Index::query(&gov, &mut Silent, |i| i.signoff_commits("tpc-science-34b")).unwrap();
    let m = model_detail(gov.repo(), &tree, &head.to_string(), &fw, "tpc-science-34b", &commits).unwrap();
    assert_eq!(m.org.as_deref(), Some("bsc"));
    assert!(m.parameters.unwrap() > 30_000_000_000, "34B parameters from the card: {:?}", m.parameters);
    let licensing = m.gates.iter().find(|g| g.id == "licensing").unwrap();
    assert_eq!(licensing.signoffs.len(), 2, "the two earlier licensing sign-offs are listed");
    assert!(licensing.signoffs.iter().all(|s| !s.current), "both predate the card revision");
    assert!(licensing.signoffs.iter().all(|s| s.commit.is_some()), "each names the commit that recorded it");
    assert!(
        licensing.items.iter().all(|i| i.state == gatehouse::signoff::ItemState::Open),
        "stale sign-offs do not tick items"
    );
    assert!(!m.card_html.contains("<script"), "the card arrives as sanitized HTML");
    assert!(m.evidence.iter().any(|e| e == "evidence/license-bom.md"), "evidence files are listed: {:?}", m.evidence);

    // A fresh approval by rvance is current and ticks the items it settles.
    f.signoff_at(AT, "rvance", "tpc-science-34b", "licensing", "approve").ok();
    let (gov, fw) = open(&f);
    let head = gov.head().unwrap();
    let tree = gov.tree_of(head).unwrap();
    let m = model_detail(gov.repo(), &tree, &head.to_string(), &fw, "tpc-science-34b", &HashMap::new()).unwrap();
    let licensing = m.gates.iter().find(|g| g.id == "licensing").unwrap();
    assert_eq!(licensing.approvals, 1);
    assert!(licensing.signoffs.last().unwrap().current, "the newest sign-off (listed last) is current");
    assert!(licensing.items.iter().all(|i| i.state == gatehouse::signoff::ItemState::Done));
}

#[test]
fn show_model_prints_the_model_view_the_app_shows() {
    let f = Fixture::sample();
    // A second licensing sign-off, later than the sample's, so the gate lists several.
    f.signoff_at(AT, "rvance", "tpc-science-34b", "licensing", "approve").ok();
    let (gov, fw) = open(&f);
    let head = gov.head().unwrap();
    let tree = gov.tree_of(head).unwrap();
    let commits = Index::query(&gov, &mut Silent, |i| i.signoff_commits("tpc-science-34b")).unwrap();
    let view = model_detail(gov.repo(), &tree, &head.to_string(), &fw, "tpc-science-34b", &commits).unwrap();

    let json = f.gh(&["--json", "show", "model", "tpc-science-34b"]).ok().json();
    assert_eq!(json, serde_json::to_value(&view).unwrap(), "show model --json is the app's model view");

    let listed: Vec<_> = view.gates.iter().flat_map(|g| g.signoffs.iter().map(move |s| (g, s))).collect();
    assert!(listed.len() >= 3, "the sample's sign-offs and the new one: {}", listed.len());
    for (g, _) in &listed {
        let ats: Vec<&str> = g.signoffs.iter().map(|s| s.at.as_str()).collect();
        assert!(ats.windows(2).all(|w| w[0] <= w[1]), "{}'s sign-offs are oldest first: {ats:?}", g.id);
    }
    let text = f.gh(&["show", "model", "tpc-science-34b"]).ok().stdout;
    let lines: Vec<&str> = text.lines().collect();
    let mut cursor = 0;
    for (g, s) in &listed {
        let mark = if s.current { "current" } else { "stale" };
        let found = lines[cursor..].iter().position(|l| {
            l.contains(&s.at) && l.contains(&s.member) && l.contains(s.decision.as_str()) && l.contains(mark)
        });
        let Some(at) = found else {
            panic!("the text lists {}'s {mark} sign-off on {} at {} in the view's order:\n{text}", s.member, g.id, s.at)
        };
        cursor += at + 1;
    }
}

#[test]
fn eligibility_gives_the_reason_and_code_the_commit_would_refuse_with() {
    let f = Fixture::sample();
    let (gov, fw) = open(&f);
    let tree = gov.tree_of(gov.head().unwrap()).unwrap();
    // The key each member would sign with: the sample's demo key, found as the app finds it.
    let key_of = |member: &str| {
        gatehouse::signing::find_key(&gov, member, &Default::default()).unwrap().map(|k| k.public_key().clone())
    };
    let ask = |member: Option<&str>, model: &str, gate: &str| {
        let key = member.and_then(&key_of);
        eligibility(gov.repo(), &tree, &fw, model, gate, member, key.as_ref()).unwrap()
    };
    assert!(ask(Some("rvance"), "tpc-science-34b", "licensing").allowed, "a license reviewer from argonne may sign");
    // The sample requires signed commits: without a key, or with someone else's, the form
    // says so before anything is filled in, as the commit would.
    let unsigned = eligibility(gov.repo(), &tree, &fw, "tpc-science-34b", "licensing", Some("rvance"), None).unwrap();
    assert_eq!(unsigned.code.map(ErrorCode::as_str), Some("signing-required"), "no key, no signature: {unsigned:?}");
    let hsato_key = key_of("hsato");
    let wrong = eligibility(gov.repo(), &tree, &fw, "tpc-science-34b", "licensing", Some("rvance"), hsato_key.as_ref())
        .unwrap();
    assert_eq!(wrong.code.map(ErrorCode::as_str), Some("key-not-listed"), "another member's key: {wrong:?}");
    let cases = [
        (Some("tokafor"), "tpc-science-34b", "licensing", "missing-role", "license-reviewer"),
        (Some("nobody"), "tpc-science-34b", "licensing", "not-member", "nobody"),
        (Some("rvance"), "tpc-science-34b", "safety", "gate-locked", "locked"),
        (None, "tpc-science-34b", "licensing", "no-member", "Identity"),
    ];
    for (member, model, gate, code, words) in cases {
        let e = ask(member, model, gate);
        assert!(!e.allowed, "{member:?} on {model}/{gate} is refused");
        assert_eq!(e.code.map(ErrorCode::as_str), Some(code), "{member:?} on {model}/{gate}");
        assert!(e.reason.as_deref().unwrap().contains(words), "the reason says why: {:?}", e.reason);
    }
    // And the commit agrees with the form: tokafor's attempt is refused with the same code.
    let run = f.gh(&signoff_args("tokafor", "tpc-science-34b", "licensing", "approve", &["--item", "all=done"]));
    assert_eq!(run.code, 1, "refused by the rules");
    assert!(run.stderr.contains("license-reviewer"), "{}", run.stderr);

    // The model page asks for every gate at once, by the same rule, and learns who may sign.
    let page = |member: &str, model: &str| {
        let key = key_of(member);
        for_model(gov.repo(), &tree, &fw, model, Some(member), key.as_ref()).unwrap()
    };
    let gates = page("tokafor", "tpc-science-34b");
    assert_eq!(gates.len(), fw.gates.len(), "every gate, in order");
    for g in &gates {
        let one = ask(Some("tokafor"), "tpc-science-34b", &g.gate);
        assert_eq!(
            (g.eligibility.allowed, g.eligibility.code),
            (one.allowed, one.code),
            "{}: as the form says",
            g.gate
        );
    }
    let licensing = gates.iter().find(|g| g.gate == "licensing").unwrap();
    let ids: Vec<&str> = licensing.signers.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["rvance", "hsato", "lgarcia", "nbrunner"],
        "the sample's license reviewers, in consortium.toml's order"
    );
    // Safety is independent: for RIKEN's switch-c-1.6t, RIKEN's safety reviewer is not among
    // those who may sign, and is told why when acting.
    let safety = page("hsato", "switch-c-1.6t").into_iter().find(|g| g.gate == "safety").unwrap();
    assert_eq!(safety.eligibility.code.map(ErrorCode::as_str), Some("own-organisation"));
    let ids: Vec<&str> = safety.signers.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["rvance", "lgarcia", "akeller"], "safety reviewers outside riken");
}

#[test]
fn history_filters_by_member_model_gate_and_action() {
    let f = Fixture::sample();
    let (gov, _) = open(&f);
    let all = Index::query(&gov, &mut Silent, |i| history(gov.repo(), i, &HistoryFilter::default())).unwrap();
    let git_count = f.git(&["rev-list", "--count", "main"]).stdout.trim().parse::<usize>().unwrap();
    assert_eq!(all.len(), git_count, "every commit of main, as git counts them");
    assert!(all.windows(2).all(|w| w[0].time >= w[1].time), "newest first");
    let filter =
        HistoryFilter { member: Some("hsato".into()), action: Some("signoff".into()), ..HistoryFilter::default() };
    let hsato = Index::query(&gov, &mut Silent, |i| history(gov.repo(), i, &filter)).unwrap();
    assert!(!hsato.is_empty());
    assert!(hsato.iter().all(|e| e.member.as_deref() == Some("hsato") && e.action.as_deref() == Some("signoff")));
    let by_git = f.git(&["log", "--format=%H", "--author=hsato@", "--grep=Gatehouse-Action: signoff", "main"]).stdout;
    assert_eq!(hsato.len(), by_git.lines().count(), "the same commits git log finds");
    let fac = Index::query(&gov, &mut Silent, facets).unwrap();
    assert!(fac.actions.contains(&"init".to_string()) && fac.actions.contains(&"signoff".to_string()));
    assert_eq!(fac.gates.first().map(String::as_str), Some("data-provenance"), "sorted");
}

#[test]
fn a_policy_shows_rendered_with_the_commits_that_changed_it() {
    let f = Fixture::sample();
    let (gov, fw) = open(&f);
    let list = documents(&fw);
    assert!(list.policies.iter().any(|p| p.id == "charter"));
    assert_eq!(list.checklists.len(), 8, "one checklist per gate");
    let doc = document(gov.repo(), gov.head().unwrap(), &fw, "checklist", "safety").unwrap();
    assert!(doc.html.contains("<h1>") || doc.html.contains("<h2>"), "rendered Markdown");
    assert!(doc.signers.as_deref().unwrap().contains("safety-reviewer"));
    // A framework file changes on main only by accept merges: its history is the commits of main
    // that changed it (the accept, not the proposal branch's own commit).
    let git_log =
        f.git(&["log", "--first-parent", "--format=%H", "main", "--", "policies/checklists/safety.md"]).stdout;
    let expected: Vec<&str> = git_log.lines().collect();
    let got: Vec<&str> = doc.history.iter().map(|h| h.commit.as_str()).collect();
    assert_eq!(got, expected, "the file's history is what git log --first-parent -- PATH says");
    assert_eq!(
        doc.history.first().and_then(|h| h.action.as_deref()),
        Some("accept"),
        "the sample's last change was accepted"
    );
    let missing = document(gov.repo(), gov.head().unwrap(), &fw, "policy", "no-such-policy").unwrap_err();
    assert_eq!(missing.code(), "not-found");
}

#[test]
fn identity_prefers_the_chosen_member_then_git_email() {
    let f = Fixture::sample();
    let (_, fw) = open(&f);
    let chosen = identity(&fw.consortium, "/r", Some("hsato"), Some("rvance@argonne.example.org"), None);
    assert_eq!((chosen.member.unwrap().id.as_str(), chosen.source.as_str()), ("hsato", "chosen"));
    let by_email = identity(&fw.consortium, "/r", None, Some("rvance@argonne.example.org"), None);
    assert_eq!((by_email.member.unwrap().id.as_str(), by_email.source.as_str()), ("rvance", "git-config"));
    let unknown = identity(&fw.consortium, "/r", Some("mallory"), None, None);
    assert!(unknown.member.is_none());
    assert_eq!(unknown.unknown_choice.as_deref(), Some("mallory"), "a wrong choice is shown, not ignored");
}

#[test]
fn cloning_from_a_git_url_opens_the_record_and_a_failed_clone_leaves_nothing() {
    let f = Fixture::sample();
    let target = f.root.join("clone");
    let url = format!("file://{}", f.repo.display());
    let gov = gatehouse::actions::clone::clone(&url, &target).expect("a local clone works");
    assert_eq!(gov.head().unwrap().to_string(), f.git(&["rev-parse", "main"]).stdout.trim(), "the same main");

    let bad = f.root.join("bad");
    let err = gatehouse::actions::clone::clone("file:///nonexistent/record.git", &bad).err().expect("an error");
    assert_eq!(err.code(), "invalid-argument");
    assert!(err.to_string().contains("cannot clone"), "{err}");
    assert!(!bad.exists(), "a failed clone leaves no folder behind");

    let err = gatehouse::actions::clone::clone(&url, &target).err().expect("an error");
    assert!(err.to_string().contains("not empty"), "never clones over a folder with files: {err}");
}
