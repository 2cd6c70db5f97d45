//! Every way a proposal action is refused: the message names the input or the rule, the exit
//! code says which (1 refused by the rules, 2 bad input), and the repository (refs, work tree,
//! objects) and the index are exactly as before.

mod common;

use common::proposals::{day, SAFETY};
use common::Fixture;

const SIX: [&str; 6] = ["rvance", "tokafor", "hsato", "mtanaka", "jferrer", "akeller"];

/// The sample with proposal `watermarks` (by akeller) open, proposed on day 1.
fn with_open_proposal() -> Fixture {
    let f = Fixture::sample();
    let draft = f.safety_with_item("watermark", "Outputs carry a watermark.");
    f.propose_file(&day(1, 9), "akeller", "watermarks", SAFETY, &draft).ok();
    f
}

/// Runs `args` at `at`, expecting a refusal as `assert_refused` describes.
fn refused_at(f: &Fixture, at: &str, args: &[&str], code: i32, needles: &[&str]) -> String {
    f.assert_command_refused(f.gh_command_at(at, args), &args.join(" "), code, needles).stderr
}

#[test]
fn a_vote_by_a_member_who_does_not_vote_is_refused() {
    let f = Fixture::sample();
    // nbrunner stops being a voting member, by an accepted proposal.
    let toml = f.main_text("consortium.toml");
    let start = toml.find("id = \"nbrunner\"").expect("nbrunner");
    let (head, tail) = toml.split_at(start);
    let draft = f.draft("consortium.toml", &format!("{head}{}", tail.replacen("    \"voting-member\",\n", "", 1)));
    f.propose_file(&day(1, 9), "akeller", "observer", "consortium.toml", &draft).ok();
    f.approve_by(2, "observer", &SIX);
    f.gh_at(&day(10, 0), &["--as", "akeller", "accept", "observer"]).ok();

    let draft = f.safety_with_item("watermark", "Outputs carry a watermark.");
    f.propose_file(&day(11, 9), "akeller", "watermarks", SAFETY, &draft).ok();
    refused_at(
        &f,
        &day(12, 0),
        &["--as", "nbrunner", "vote", "watermarks", "--vote", "approve"],
        1,
        &["nbrunner does not hold the role voting-member"],
    );
}

#[test]
fn a_vote_on_a_closed_proposal_is_refused() {
    let f = with_open_proposal();
    f.gh_at(&day(2, 0), &["--as", "akeller", "withdraw", "watermarks"]).ok();
    for (member, vote) in [("rvance", "approve"), ("akeller", "abstain")] {
        refused_at(
            &f,
            &day(3, 0),
            &["--as", member, "vote", "watermarks", "--vote", vote],
            1,
            &["watermarks", "withdrawn"],
        );
    }
    refused_at(&f, &day(3, 0), &["--as", "akeller", "revise", "watermarks"], 1, &["withdrawn"]);
    refused_at(&f, &day(3, 0), &["--as", "akeller", "accept", "watermarks"], 1, &["withdrawn"]);
}

#[test]
fn an_objection_without_a_reason_is_refused() {
    let f = with_open_proposal();
    refused_at(
        &f,
        &day(2, 0),
        &["--as", "lgarcia", "vote", "watermarks", "--vote", "object"],
        2,
        &["--comment", "must say why"],
    );
    refused_at(
        &f,
        &day(2, 0),
        &["--as", "lgarcia", "vote", "watermarks", "--vote", "object", "--comment", "   "],
        2,
        &["--comment", "must say why"],
    );
    refused_at(
        &f,
        &day(2, 0),
        &["--as", "lgarcia", "vote", "watermarks", "--vote", "veto"],
        2,
        &["--vote", "\"veto\""],
    );
}

#[test]
fn accept_is_refused_before_quorum_over_an_objection_and_before_the_period_ends() {
    let f = with_open_proposal();
    refused_at(&f, &day(30, 0), &["--as", "akeller", "accept", "watermarks"], 1, &["nobody has voted"]);
    f.approve_by(2, "watermarks", &SIX[..5]);
    refused_at(&f, &day(30, 0), &["--as", "akeller", "accept", "watermarks"], 1, &["5 approval(s) of 8", "needs 6"]);
    f.approve_by(3, "watermarks", &SIX[5..]);
    refused_at(&f, &day(10, 0), &["--as", "akeller", "accept", "watermarks"], 1, &["comment period", &day(10, 1)]);
    f.vote_at(&day(4, 0), "lgarcia", "watermarks", "object", "Name the scheme.").ok();
    refused_at(&f, &day(30, 0), &["--as", "akeller", "accept", "watermarks"], 1, &["objection", "lgarcia"]);
    // The same refusals as data, for scripts: the code names the rule.
    let r = f.gh_at(&day(30, 0), &["--json", "--as", "akeller", "accept", "watermarks"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("standing-objection") || r.stdout.contains("standing-objection"),
        "{}{}",
        r.stdout,
        r.stderr
    );
}

#[test]
fn accept_on_a_subject_nobody_voted_on_is_refused() {
    let f = with_open_proposal();
    f.approve_by(2, "watermarks", &SIX);
    let second = f.safety_with_item("watermark", "Outputs carry a C2PA watermark.");
    f.gh_at(&day(3, 0), &["--as", "akeller", "revise", "watermarks", "--change", &format!("{SAFETY}={second}")]).ok();
    refused_at(
        &f,
        &day(30, 0),
        &["--as", "akeller", "accept", "watermarks"],
        1,
        &["nobody has voted on the current subject"],
    );
}

/// A branch made with plain git: `edit` changes the work tree, then it is committed as akeller.
fn branch_with(f: &Fixture, name: &str, orphan: bool, edit: impl FnOnce(&std::path::Path)) {
    let start = if orphan { vec!["checkout", "-q", "--orphan", name] } else { vec!["checkout", "-q", "-b", name] };
    f.git(&start).ok();
    edit(&f.repo);
    f.git(&["add", "-A"]).ok();
    f.git(&["commit", "-q", "-m", "a change"]).ok();
    f.git(&["checkout", "-q", "-f", "main"]).ok();
}

#[test]
fn a_branch_that_does_not_descend_from_main_is_refused() {
    let f = Fixture::sample();
    branch_with(&f, "elsewhere", true, |repo| {
        std::fs::write(repo.join("policies/safety.md"), "---\ntitle: x\n---\nx\n").unwrap();
    });
    f.assert_refused(
        &["--as", "akeller", "propose", "elsewhere", "--title", "T", "--branch", "elsewhere"],
        2,
        &["--branch", "does not descend from main"],
    );
}

#[test]
fn a_branch_that_changes_files_outside_the_framework_is_refused() {
    let f = Fixture::sample();
    branch_with(&f, "sneaky", false, |repo| {
        let card = repo.join("models/switch-c-1.6t/card.md");
        let text = std::fs::read_to_string(&card).unwrap() + "\nEdited through a proposal.\n";
        std::fs::write(card, text).unwrap();
        let policy = repo.join("policies/safety.md");
        let text = std::fs::read_to_string(&policy).unwrap() + "\nA real change too.\n";
        std::fs::write(policy, text).unwrap();
    });
    f.assert_refused(
        &["--as", "akeller", "propose", "sneaky", "--title", "T", "--branch", "sneaky"],
        2,
        &["--branch", "models/switch-c-1.6t/card.md", "only consortium.toml and policies/"],
    );
    let outside = f.draft("card.md", "x");
    f.assert_refused(
        &[
            "--as",
            "akeller",
            "propose",
            "sneaky2",
            "--title",
            "T",
            "--change",
            &format!("models/switch-c-1.6t/card.md={outside}"),
        ],
        2,
        &["--change", "only consortium.toml and policies/"],
    );
}

#[test]
fn a_change_that_leaves_a_checklist_or_policy_unreadable_is_refused() {
    let f = Fixture::sample();
    let broken = f.main_text(SAFETY).replacen("order:", "order: [", 1);
    let draft = f.draft("safety.md", &broken);
    f.assert_refused(
        &["--as", "akeller", "propose", "broken", "--title", "T", "--change", &format!("{SAFETY}={draft}")],
        2,
        &[SAFETY, ":"],
    );
    let no_front = f.draft("policy.md", "# Just a heading\n");
    f.assert_refused(
        &[
            "--as",
            "akeller",
            "propose",
            "broken",
            "--title",
            "T",
            "--change",
            &format!("policies/safety.md={no_front}"),
        ],
        2,
        &["policies/safety.md"],
    );
    // The same through a branch pushed with plain git.
    branch_with(&f, "broken-branch", false, |repo| {
        std::fs::write(repo.join(SAFETY), &broken).unwrap();
    });
    f.assert_refused(
        &["--as", "akeller", "propose", "broken", "--title", "T", "--branch", "broken-branch"],
        2,
        &[SAFETY],
    );
}

#[test]
fn an_id_that_exists_or_is_not_valid_is_refused() {
    let f = with_open_proposal();
    let draft = f.safety_with_item("other", "Another item.");
    f.assert_refused(
        &["--as", "hsato", "propose", "watermarks", "--title", "T", "--change", &format!("{SAFETY}={draft}")],
        1,
        &["watermarks already exists"],
    );
    f.assert_refused(
        &["--as", "hsato", "propose", "Water Marks", "--title", "T", "--change", &format!("{SAFETY}={draft}")],
        2,
        &["PROPOSAL", "not a valid id"],
    );
    f.assert_refused(&["--as", "hsato", "vote", "nope", "--vote", "approve"], 2, &["proposal not found: nope"]);
    f.assert_refused(
        &["--as", "hsato", "propose", "fresh", "--title", "T", "--branch", "no-such-branch"],
        2,
        &["--branch", "no-such-branch"],
    );
    f.assert_refused(&["--as", "hsato", "propose", "fresh", "--title", "T"], 2, &["--branch", "--change"]);
    f.assert_refused(
        &["--as", "hsato", "propose", "fresh", "--title", "", "--change", &format!("{SAFETY}={draft}")],
        2,
        &["--title"],
    );
}
