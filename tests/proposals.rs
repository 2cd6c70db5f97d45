//! Policy proposals through whole lifecycles on real repositories: the `gatehouse` binary
//! writes, plain `git` reads (and sometimes writes, as a member without Gatehouse would), and
//! `verify` judges the result. Time comes from `--at`, never from sleeping.

mod common;

use common::proposals::{day, SAFETY, VOTERS};
use common::{finding_kinds, Fixture};

/// Six of the eight voting members: the sample's quorum of 2/3.
const SIX: [&str; 6] = ["rvance", "tokafor", "hsato", "mtanaka", "jferrer", "nbrunner"];

#[test]
fn a_checklist_change_is_proposed_from_files_voted_on_and_merged_by_accept() {
    let f = Fixture::sample();
    let draft = f.safety_with_item("watermark", "Outputs carry a watermark.");
    let before_main = f.main();
    let r = f.propose_file(&day(1, 9), "akeller", "watermarks", SAFETY, &draft).ok();
    assert!(r.stdout.contains("Proposed proposal watermarks"), "says what it did: {}", r.stdout);

    // The change lives on the proposal's branch; main only gains the record.
    let subject = f.git_ok(&["rev-parse", "refs/heads/proposals/watermarks"]);
    assert_eq!(f.git_ok(&["rev-parse", "proposals/watermarks^"]), before_main, "the branch is cut from main's tip");
    assert!(f.git_ok(&["show", &format!("{subject}:{SAFETY}")]).contains("`watermark`"), "the branch has the new item");
    assert!(!f.main_text(SAFETY).contains("`watermark`"), "main's checklist is untouched until accept");
    let head = f.main();
    f.assert_trailers(
        &head,
        &[
            ("Gatehouse-Action", "propose"),
            ("Gatehouse-Member", "akeller"),
            ("Gatehouse-Proposal", "watermarks"),
            ("Gatehouse-Subject", &subject),
        ],
    );
    assert_eq!(
        f.git_ok(&["diff", "--name-only", &before_main, &head]),
        "proposals/watermarks/proposal.md",
        "a propose commit writes exactly the record"
    );
    let record = f.main_text("proposals/watermarks/proposal.md");
    assert!(record.contains(&format!("subject: {subject}")) && record.contains("author: akeller"), "{record}");

    // Everyone sees exactly what would change.
    let shown = f.proposal_json(&day(1, 10), "watermarks");
    assert_eq!(shown["files"][0]["path"], SAFETY);
    assert_eq!(shown["files"][0]["status"], "modified");
    assert_eq!(shown["files"][0]["added_lines"], 1);
    assert!(shown["files"][0]["patch"].as_str().unwrap().contains("+- [ ] `watermark` Outputs carry a watermark."));
    assert_eq!(shown["deliberation"]["needed"], 6, "2/3 of eight voting members");
    assert_eq!(shown["accept"]["allowed"], false);
    assert_eq!(shown["accept"]["code"], "quorum-not-reached");

    f.approve_by(2, "watermarks", &SIX);
    let shown = f.proposal_json(&day(3, 0), "watermarks");
    assert_eq!(shown["deliberation"]["approvals"].as_array().unwrap().len(), 6);
    assert_eq!(shown["deliberation"]["period_started"], day(2, 6), "the sixth approval reached the quorum");
    assert_eq!(shown["deliberation"]["period_ends"], day(9, 6), "seven days later");
    assert_eq!(shown["accept"]["code"], "comment-period");
    let left = f.proposal_summary(&day(8, 6), "watermarks")["seconds_left"].as_i64();
    assert_eq!(left, Some(86_400), "one day left on day 8: the list counts down from the injected clock");

    let early = f.gh_at(&day(9, 5), &["--as", "lgarcia", "accept", "watermarks"]);
    assert_eq!(early.code, 1, "an hour early is refused: {}", early.stderr);
    assert!(early.stderr.contains("comment period") && early.stderr.contains(&day(9, 6)), "{}", early.stderr);

    let r = f.gh_at(&day(9, 6), &["--as", "lgarcia", "accept", "watermarks"]).ok();
    assert!(r.stdout.contains("accepted"), "{}", r.stdout);
    let merge = f.main();
    assert_eq!(f.git_ok(&["rev-parse", &format!("{merge}^2")]), subject, "the accept merges exactly the voted subject");
    assert!(f.main_text(SAFETY).contains("`watermark`"), "main now has the new item");
    assert!(f.main_text("proposals/watermarks/outcome.toml").contains("outcome = \"accepted\""));
    assert_eq!(f.proposal_summary(&day(10, 0), "watermarks")["state"], "accepted");

    // Outside clients agree: git's own checks, git's signature check, and verify.
    f.assert_fsck_clean();
    let allowed = format!("gpg.ssh.allowedSignersFile={}", f.allowed_signers_file().display());
    for commit in f.commits_since(&before_main) {
        let r = f.git(&["-c", &allowed, "verify-commit", &commit]);
        assert_eq!(r.code, 0, "git verify-commit accepts {commit}: {}", r.stderr);
    }
    let (code, report) = f.verify();
    assert_eq!(code, 0, "a proposal written by Gatehouse verifies clean: {report:#}");

    // Closed is closed.
    f.assert_refused(&["--as", "hsato", "vote", "watermarks", "--vote", "approve"], 1, &["watermarks", "accepted"]);
}

#[test]
fn an_objection_stops_the_comment_period_and_lifting_it_restarts_the_full_period() {
    let f = Fixture::sample();
    let draft = f.safety_with_item("watermark", "Outputs carry a watermark.");
    f.propose_file(&day(1, 9), "akeller", "watermarks", SAFETY, &draft).ok();
    f.approve_by(2, "watermarks", &SIX);
    assert_eq!(f.proposal_json(&day(3, 0), "watermarks")["deliberation"]["period_started"], day(2, 6));

    f.vote_at(&day(4, 12), "lgarcia", "watermarks", "object", "Which watermark? Name the scheme.").ok();
    let shown = f.proposal_json(&day(4, 13), "watermarks");
    assert_eq!(shown["deliberation"]["period_started"], serde_json::Value::Null, "an objection stops the period");
    assert_eq!(shown["deliberation"]["objections"][0]["member"], "lgarcia");
    assert_eq!(shown["deliberation"]["objections"][0]["comment"], "Which watermark? Name the scheme.");
    let blocked = f.gh_at(&day(20, 0), &["--as", "akeller", "accept", "watermarks"]);
    assert_eq!(blocked.code, 1, "{}", blocked.stderr);
    assert!(blocked.stderr.contains("objection") && blocked.stderr.contains("lgarcia"), "{}", blocked.stderr);
    let inbox = f.gh_at(&day(5, 0), &["--as", "lgarcia", "--json", "inbox"]).ok().json();
    assert_eq!(inbox["objections"][0]["proposal"], "watermarks", "the objector sees what waits on them: {inbox:#}");

    // Lifted on day 6: the full seven days start again from then, not from day 2.
    f.vote_at(&day(6, 12), "lgarcia", "watermarks", "approve", "C2PA, agreed.").ok();
    let shown = f.proposal_json(&day(6, 13), "watermarks");
    assert_eq!(shown["deliberation"]["period_started"], day(6, 12));
    assert_eq!(shown["deliberation"]["period_ends"], day(13, 12));
    let r = f.gh_at(&day(13, 11), &["--as", "akeller", "accept", "watermarks"]);
    assert_eq!(r.code, 1, "day 9 would have done without the objection; now it is day 13 12:00: {}", r.stderr);
    f.gh_at(&day(13, 12), &["--as", "akeller", "accept", "watermarks"]).ok();
    let (code, report) = f.verify();
    assert_eq!(code, 0, "verify replays the same history and agrees: {report:#}");
}

#[test]
fn a_revision_makes_earlier_votes_outdated() {
    let f = Fixture::sample();
    let first = f.safety_with_item("watermark", "Outputs carry a watermark.");
    f.propose_file(&day(1, 9), "akeller", "watermarks", SAFETY, &first).ok();
    f.approve_by(2, "watermarks", &SIX);
    let old_subject = f.git_ok(&["rev-parse", "proposals/watermarks"]);

    let second = f.safety_with_item("watermark", "Outputs carry a C2PA watermark.");
    f.assert_refused(
        &["--as", "rvance", "revise", "watermarks", "--change", &format!("{SAFETY}={second}")],
        1,
        &["only the proposal's author, akeller"],
    );
    f.gh_at(&day(3, 9), &["--as", "akeller", "revise", "watermarks", "--change", &format!("{SAFETY}={second}")]).ok();
    let new_subject = f.git_ok(&["rev-parse", "proposals/watermarks"]);
    assert_eq!(f.git_ok(&["rev-parse", "proposals/watermarks^"]), old_subject, "the revision builds on the branch");

    let shown = f.proposal_json(&day(3, 10), "watermarks");
    assert_eq!(shown["subject"], new_subject.as_str());
    let votes = shown["votes"].as_array().unwrap();
    assert_eq!(votes.len(), 6);
    assert!(
        votes.iter().all(|v| v["outdated"] == true && v["counts"] == false),
        "every vote is on the old subject: {votes:#?}"
    );
    assert_eq!(shown["deliberation"]["outdated"].as_array().unwrap().len(), 6);
    assert_eq!(shown["accept"]["code"], "quorum-not-reached");
    let r = f.gh_at(&day(30, 0), &["--as", "akeller", "accept", "watermarks"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("nobody has voted on the current subject"), "{}", r.stderr);
    let human = f.gh_at(&day(3, 10), &["show", "proposal", "watermarks"]).ok().stdout;
    assert!(human.contains("outdated"), "the page marks outdated votes:\n{human}");
}

#[test]
fn a_change_to_the_quorum_rule_is_judged_by_the_rule_it_replaces() {
    let f = Fixture::sample();
    let toml = f.main_text("consortium.toml");
    assert!(toml.contains("proposal_quorum = \"2/3\""), "{toml}");
    let quarter = f.draft("consortium.toml", &toml.replace("proposal_quorum = \"2/3\"", "proposal_quorum = \"1/4\""));
    f.propose_file(&day(1, 9), "akeller", "quarter", "consortium.toml", &quarter).ok();
    // Two approvals are 1/4 of eight: enough under the proposed rule, not under the current one.
    f.approve_by(2, "quarter", &["rvance", "tokafor"]);
    let r = f.gh_at(&day(20, 0), &["--as", "akeller", "accept", "quarter"]);
    assert_eq!(r.code, 1, "judged by 2/3: {}", r.stderr);
    assert!(r.stderr.contains("needs 6"), "{}", r.stderr);
    f.approve_by(3, "quarter", &["hsato", "mtanaka", "jferrer", "nbrunner"]);
    f.gh_at(&day(20, 0), &["--as", "akeller", "accept", "quarter"]).ok();
    assert!(f.main_text("consortium.toml").contains("proposal_quorum = \"1/4\""));

    // From now on the new rule judges: two approvals suffice.
    let draft = f.safety_with_item("watermark", "Outputs carry a watermark.");
    f.propose_file(&day(21, 9), "akeller", "watermarks", SAFETY, &draft).ok();
    f.approve_by(22, "watermarks", &["rvance", "tokafor"]);
    assert_eq!(f.proposal_json(&day(22, 3), "watermarks")["deliberation"]["needed"], 2);
    f.gh_at(&day(29, 2), &["--as", "akeller", "accept", "watermarks"]).ok();
    let (code, report) = f.verify();
    assert_eq!(code, 0, "both accepts were allowed by the rules before each: {report:#}");
}

#[test]
fn a_branch_pushed_with_plain_git_is_a_proposal_and_a_vote_edited_by_hand_is_caught() {
    let f = Fixture::sample();
    // A member works in their own clone with plain git and pushes a branch.
    let clone = f.root.join("akeller-clone");
    f.git_in(&f.root, &["clone", "-q", f.repo.to_str().unwrap(), clone.to_str().unwrap()]).ok();
    f.git_in(&clone, &["checkout", "-q", "-b", "proposals/relax"]).ok();
    let policy = clone.join("policies/safety.md");
    let mut text = std::fs::read_to_string(&policy).unwrap();
    text.push_str("\nRed-teaming is optional for models under 500B parameters.\n");
    std::fs::write(&policy, text).unwrap();
    let ak = f.member("akeller");
    let (name, email) = (format!("user.name={}", ak.name), format!("user.email={}", ak.email));
    f.git_in(&clone, &["-c", &name, "-c", &email, "commit", "-qam", "Relax red-teaming"]).ok();
    f.git_in(&clone, &["push", "-q", "origin", "proposals/relax"]).ok();
    let pushed = f.git_in(&clone, &["rev-parse", "HEAD"]).ok().stdout.trim().to_string();

    f.gh_at(
        &day(1, 9),
        &["--as", "akeller", "propose", "relax", "--title", "Relax red-teaming", "--branch", "proposals/relax"],
    )
    .ok();
    assert_eq!(f.proposal_json(&day(1, 10), "relax")["subject"], pushed.as_str(), "the pushed tip is the subject");
    f.approve_by(2, "relax", &SIX);
    let (code, report) = f.verify();
    assert_eq!(code, 0, "{report:#}");

    // tokafor rewrites rvance's approval into an objection with plain git.
    let vote = f.repo.join("proposals/relax/votes/rvance.toml");
    let edited = std::fs::read_to_string(&vote).unwrap().replace("\"approve\"", "\"object\"") + "comment = \"No.\"\n";
    std::fs::write(&vote, edited).unwrap();
    let tk = f.member("tokafor");
    let forged = f.commit_signed_as(&tk.name, &tk.email, "Fix a vote\n", &f.demo_key("tokafor"));
    let (code, report) = f.verify();
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(finding_kinds(&report), ["forged-vote".to_string()].into(), "{report:#}");
    let finding = &report["findings"][0];
    assert_eq!(finding["commit"], forged.as_str());
    assert_eq!(finding["path"], "proposals/relax/votes/rvance.toml");
    assert!(finding["message"].as_str().unwrap().contains("tokafor"), "names who wrote it: {finding}");
}

#[test]
fn accept_refuses_when_main_changed_the_same_files_and_says_how_to_revise() {
    let f = Fixture::sample();
    let a = f.safety_with_item("watermark", "Outputs carry a watermark.");
    let b = f.safety_with_last_item("provenance-log", "A provenance log is kept.");
    f.propose_file(&day(1, 9), "akeller", "watermarks", SAFETY, &a).ok();
    f.propose_file(&day(1, 10), "hsato", "provenance", SAFETY, &b).ok();
    f.approve_by(2, "watermarks", &SIX);
    f.approve_by(3, "provenance", &SIX);
    f.gh_at(&day(10, 0), &["--as", "akeller", "accept", "watermarks"]).ok();

    let r = f.assert_command_refused(
        f.gh_command_at(&day(11, 0), &["--as", "hsato", "accept", "provenance"]),
        "accept provenance",
        1,
        &[SAFETY, "git rebase main proposals/provenance", "revise"],
    );
    assert!(r.stderr.contains("main changed"), "{}", r.stderr);

    // The author brings the branch up to date with plain git and revises; the members vote again.
    f.git(&["checkout", "-q", "proposals/provenance"]).ok();
    let rebase = f.git(&["rebase", "-q", "main"]);
    assert_eq!(
        rebase.code,
        0,
        "the two items touch different lines: {}\n{}\n{}",
        rebase.stderr,
        f.git_ok(&["status"]),
        f.git_ok(&["diff"])
    );
    f.git(&["checkout", "-q", "main"]).ok();
    f.gh_at(&day(11, 1), &["--as", "hsato", "revise", "provenance"]).ok();
    f.approve_by(12, "provenance", &SIX);
    f.gh_at(&day(19, 7), &["--as", "hsato", "accept", "provenance"]).ok();
    let text = f.main_text(SAFETY);
    assert!(text.contains("`watermark`") && text.contains("`provenance-log`"), "both changes are on main:\n{text}");
    let (code, report) = f.verify();
    assert_eq!(code, 0, "{report:#}");
}

#[test]
fn withdrawn_and_rejected_proposals_stay_on_the_record() {
    let f = Fixture::sample();
    let a = f.safety_with_item("watermark", "Outputs carry a watermark.");
    f.propose_file(&day(1, 9), "akeller", "watermarks", SAFETY, &a).ok();
    f.assert_refused(&["--as", "rvance", "withdraw", "watermarks"], 1, &["only the proposal's author, akeller"]);
    f.gh_at(&day(2, 0), &["--as", "akeller", "withdraw", "watermarks", "--comment", "Superseded."]).ok();
    f.assert_refused(&["--as", "rvance", "vote", "watermarks", "--vote", "approve"], 1, &["withdrawn"]);

    let b = f.safety_with_item("provenance-log", "A provenance log is kept.");
    f.propose_file(&day(3, 9), "hsato", "provenance", SAFETY, &b).ok();
    f.assert_refused(&["--as", "rvance", "reject", "provenance"], 1, &["no objection stands"]);
    f.vote_at(&day(4, 0), "lgarcia", "provenance", "object", "Duplicates the data gate.").ok();
    f.gh_at(&day(5, 0), &["--as", "rvance", "reject", "provenance", "--comment", "Per lgarcia."]).ok();

    let list = f.gh_at(&day(6, 0), &["--json", "proposals"]).ok().json();
    let states: Vec<(String, String)> = list["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["id"] == "watermarks" || p["id"] == "provenance")
        .map(|p| (p["id"].as_str().unwrap().to_string(), p["state"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(states, [("provenance".to_string(), "rejected".to_string()), ("watermarks".into(), "withdrawn".into())]);
    for p in ["watermarks", "provenance"] {
        assert!(f.main_text(&format!("proposals/{p}/proposal.md")).contains("title:"), "the record stays");
    }
    assert!(f.main_text("proposals/watermarks/outcome.toml").contains("comment = \"Superseded.\""));
    assert!(!f.main_text(SAFETY).contains("`watermark`"), "nothing was merged");
    let human = f.gh_at(&day(6, 0), &["proposals"]).ok().stdout;
    assert!(human.contains("withdrawn") && human.contains("rejected"), "{human}");
    let (code, report) = f.verify();
    assert_eq!(code, 0, "{report:#}");
}

#[test]
fn the_inbox_lists_proposals_waiting_for_a_vote_and_gates_to_sign() {
    let f = Fixture::sample();
    let a = f.safety_with_item("watermark", "Outputs carry a watermark.");
    f.propose_file(&day(1, 9), "akeller", "watermarks", SAFETY, &a).ok();
    let waiting = |inbox: &serde_json::Value| -> Vec<String> {
        inbox["votes"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()).collect()
    };
    let inbox = f.gh_at(&day(1, 10), &["--as", "rvance", "--json", "inbox"]).ok().json();
    assert_eq!(waiting(&inbox), ["evaluation-three-seeds", "watermarks"], "the sample's open proposal too: {inbox:#}");
    f.vote_at(&day(1, 11), "rvance", "watermarks", "abstain", "").ok();
    let inbox = f.gh_at(&day(1, 12), &["--as", "rvance", "--json", "inbox"]).ok().json();
    assert_eq!(waiting(&inbox), ["evaluation-three-seeds"], "an abstention is a vote: watermarks waits no more");
    let hsato = f.gh_at(&day(1, 12), &["--as", "hsato", "--json", "inbox"]).ok().json();
    assert_eq!(hsato["objections"][0]["proposal"], "evaluation-three-seeds", "hsato's objection waits on hsato");
    let gates = inbox["signoffs"].as_array().unwrap();
    assert!(!gates.is_empty(), "the sample has gates rvance may sign: {inbox:#}");
    for g in gates {
        assert_ne!(g["state"], "locked", "a locked gate waits on nobody: {g}");
        assert_ne!(g["state"], "passed");
    }
    let human = f.gh_at(&day(1, 12), &["--as", "rvance", "inbox"]).ok().stdout;
    assert!(human.contains("Gates you may sign"), "{human}");
    assert_eq!(VOTERS.len(), 8);
}

#[test]
fn verify_judges_an_accept_made_by_hand_by_every_version_of_the_votes() {
    let f = Fixture::sample();
    let draft = f.safety_with_item("watermark", "Outputs carry a watermark.");
    f.propose_file(&day(1, 9), "akeller", "watermarks", SAFETY, &draft).ok();
    f.approve_by(2, "watermarks", &SIX);
    f.vote_at(&day(4, 12), "lgarcia", "watermarks", "object", "Which watermark? Name the scheme.").ok();
    f.vote_at(&day(6, 12), "lgarcia", "watermarks", "approve", "C2PA, agreed.").ok();
    // The files as they stand (six approvals on day 2, lgarcia's on day 6) would have the
    // period end on day 9; the objection, which only an earlier version of lgarcia's file
    // holds, restarted it on day 6, so it runs until day 13.
    let shown = f.proposal_json(&day(7, 0), "watermarks");
    assert_eq!(shown["deliberation"]["period_started"], day(6, 12));
    assert_eq!(shown["deliberation"]["period_ends"], day(13, 12));

    // Merged with plain git on day 10: too early after the lift.
    let merge = f.accept_by_hand(&day(10, 0), "akeller", "watermarks");
    let (code, report) = f.verify();
    assert_eq!(code, 1, "{report:#}");
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{report:#}");
    let finding = &findings[0];
    assert_eq!(finding["kind"], "accept-without-quorum");
    assert_eq!(finding["commit"], merge.as_str());
    assert_eq!(finding["path"], "proposals/watermarks/proposal.md");
    assert_eq!(finding["member"], "akeller");
    let message = finding["message"].as_str().unwrap_or("");
    assert!(message.contains("final comment period") && message.contains(&day(13, 12)), "says until when: {message}");
}

#[test]
fn verify_counts_only_the_votes_in_the_history_of_the_accept() {
    let f = Fixture::sample();
    let draft = f.safety_with_item("watermark", "Outputs carry a watermark.");
    f.propose_file(&day(1, 9), "akeller", "watermarks", SAFETY, &draft).ok();
    f.approve_by(2, "watermarks", &SIX);
    let subject = f.git_ok(&["rev-parse", "refs/heads/proposals/watermarks"]);

    // On a line of history that main merges only after the accept, lgarcia objects on day 4.
    f.git(&["checkout", "-q", "-b", "elsewhere", "main"]).ok();
    std::fs::write(
        f.repo.join("proposals/watermarks/votes/lgarcia.toml"),
        format!("vote = \"object\"\nsubject = \"{subject}\"\nat = \"{}\"\ncomment = \"Not here.\"\n", day(4, 12)),
    )
    .expect("write a vote");
    let lg = f.member("lgarcia");
    let message = format!(
        "vote(watermarks): object\n\nGatehouse-Action: vote\nGatehouse-Member: lgarcia\nGatehouse-Proposal: watermarks\nGatehouse-Vote: object\nGatehouse-Subject: {subject}\n"
    );
    f.commit_signed_as(&lg.name, &lg.email, &message, &f.demo_key("lgarcia"));
    f.git(&["checkout", "-q", "main"]).ok();

    // On main lgarcia approves on day 3, and the period that began on day 2 ends on day 9.
    f.vote_at(&day(3, 0), "lgarcia", "watermarks", "approve", "").ok();
    assert_eq!(f.proposal_json(&day(3, 1), "watermarks")["deliberation"]["period_ends"], day(9, 6));
    f.accept_by_hand(&day(9, 12), "akeller", "watermarks");
    let (code, report) = f.verify();
    assert_eq!(code, 0, "the accept was allowed: {report:#}");

    // The other line reaches main after the accept, by a merge whose first parent is that line
    // and whose files are main's. The objection is in the history now, and comes before the
    // accept in its order, but it is not in the accept's history: the accept stays allowed.
    let merge =
        f.git_ok(&["commit-tree", "-p", "elsewhere", "-p", "main", "-m", "Merge main into elsewhere", "main^{tree}"]);
    f.git(&["update-ref", "refs/heads/main", &merge]).ok();
    let (code, report) = f.verify();
    assert_eq!(code, 0, "{report:#}");
}
