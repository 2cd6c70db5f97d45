//! Withdrawing a sign-off (docs/format.md, "Withdrawing a sign-off"): a new signed commit that
//! names the sign-off it takes back. The original stays on the record, the gate stops
//! counting it, verify stays clean, and plain git sees an ordinary signed commit. Refusals
//! write nothing; a withdrawal written by hand that takes back anything but the member's
//! latest sign-off is reported by verify.

mod common;

use common::{signoff_args, signoffs_dir, Fixture};

const MODEL: &str = "tpc-science-34b";
const GATE: &str = "licensing";
const T1: &str = "2026-11-29T17:00:00Z";
const T2: &str = "2026-11-29T18:00:00Z";
const T3: &str = "2026-11-29T19:00:00Z";

fn withdraw_args<'a>(member: &'a str, comment: &'a str) -> Vec<&'a str> {
    vec!["--as", member, "signoff", "--model", MODEL, "--gate", GATE, "--decision", "withdraw", "--comment", comment]
}

#[test]
fn a_withdrawn_approval_stays_on_the_record_no_longer_counts_and_verify_stays_clean() {
    let f = Fixture::sample();
    f.signoff_at(T1, "rvance", MODEL, GATE, "approve").ok();
    let approved = f.main();
    let (state, approvals, ..) = f.gate_state(MODEL, GATE);
    assert_eq!((state.as_str(), approvals), ("in-review", 1), "rvance's approval counts before it is withdrawn");
    let dir = signoffs_dir(MODEL);
    let original = &format!("{dir}/licensing/20261129T170000Z-rvance.toml");
    let original_blob = f.git_ok(&["rev-parse", &format!("main:{original}")]);

    let out = f.gh_at(T2, &withdraw_args("rvance", "Approved the wrong revision of the bill of materials.")).ok();
    assert!(out.stdout.contains("withdrew their sign-off"), "the CLI says what it did: {}", out.stdout);
    let written = f.commits_since(&approved);
    assert_eq!(written.len(), 1, "a withdrawal is one commit");
    f.assert_signoff_commit(&written[0], "rvance", MODEL, GATE, "withdraw");
    f.assert_author_is(&written[0], "rvance");

    // Append-only: the original is untouched, and the withdrawal names it.
    assert_eq!(
        f.git_ok(&["rev-parse", &format!("main:{original}")]),
        original_blob,
        "the withdrawn sign-off stays on the record byte for byte"
    );
    let names = f.git_ok(&["show", "--name-status", "--format=", "main"]);
    assert_eq!(
        names.trim(),
        format!("A\t{dir}/licensing/20261129T180000Z-rvance.toml"),
        "the commit only adds the withdrawal"
    );
    let file = f.git_ok(&["show", &format!("main:{dir}/licensing/20261129T180000Z-rvance.toml")]);
    assert!(file.contains("decision = \"withdraw\""), "{file}");
    assert!(file.contains(&format!("withdraws = \"{original}\"")), "the withdrawal names what it takes back: {file}");
    assert!(file.contains("wrong revision"), "and says why: {file}");

    let (state, approvals, _, stale) = f.gate_state(MODEL, GATE);
    assert_eq!(approvals, 0, "the withdrawn approval no longer counts");
    assert_eq!(state, "open", "no member has a decision standing on the gate");
    assert_eq!(stale, 2, "a withdrawal is not counted as a stale sign-off (the sample's two stay)");

    let (code, report) = f.verify();
    assert_eq!(code, 0, "a withdrawal made by Gatehouse verifies clean: {report:#}");
    f.assert_fsck_clean();
    let allowed = f.allowed_signers_file();
    let setting = format!("gpg.ssh.allowedSignersFile={}", allowed.display());
    let r = f.git(&["-c", &setting, "verify-commit", "main"]);
    assert_eq!(r.code, 0, "git verify-commit accepts the withdrawal's signature: {}", r.stderr);

    // Signing again speaks again: the withdrawal silences only what came before it.
    f.signoff_at(T3, "rvance", MODEL, GATE, "approve").ok();
    let (state, approvals, ..) = f.gate_state(MODEL, GATE);
    assert_eq!((state.as_str(), approvals), ("in-review", 1), "a new approval after the withdrawal counts");
}

#[test]
fn withdrawing_a_request_for_changes_does_not_bring_the_earlier_approval_back() {
    let f = Fixture::sample();
    f.signoff_at(T1, "rvance", MODEL, GATE, "approve").ok();
    f.signoff_at(T2, "rvance", MODEL, GATE, "changes-requested").ok();
    assert_eq!(f.gate_state(MODEL, GATE).0, "changes-requested");
    f.gh_at(T3, &withdraw_args("rvance", "Raised on the wrong model.")).ok();
    let (state, approvals, ..) = f.gate_state(MODEL, GATE);
    assert_eq!(
        (state.as_str(), approvals),
        ("open", 0),
        "the approval before the request stays silenced: taking back a word never revives an older one"
    );
    let (code, report) = f.verify();
    assert_eq!(code, 0, "{report:#}");
}

#[test]
fn a_withdrawal_is_refused_when_nothing_stands_or_no_reason_is_given() {
    let f = Fixture::sample();
    // jferrer never signed tpc's licensing.
    f.assert_refused(
        &withdraw_args("jferrer", "Changed my mind."),
        1,
        &["Jordi Ferrer (jferrer) has no sign-off standing", "Licensing (licensing)", MODEL],
    );
    let json = f.gh(&[&["--json"][..], &withdraw_args("jferrer", "Changed my mind.")].concat());
    assert_eq!((json.code, json.json()["error"]["code"].as_str()), (1, Some("nothing-to-withdraw")), "the stable code");
    f.signoff_at(T1, "rvance", MODEL, GATE, "approve").ok();
    let no_reason = ["--as", "rvance", "signoff", "--model", MODEL, "--gate", GATE, "--decision", "withdraw"];
    f.assert_refused(&no_reason, 1, &["withdrawal needs a comment", "--comment TEXT"]);
    f.assert_refused(&withdraw_args("rvance", " \n\t"), 1, &["withdrawal needs a comment"]);
    let json = f.gh(&[&["--json"][..], &no_reason[..]].concat());
    assert_eq!(json.json()["error"]["code"], "comment-required", "the same code as a bare request for changes");
    // Once withdrawn, there is nothing left to withdraw.
    f.gh_at(T2, &withdraw_args("rvance", "Wrong revision.")).ok();
    f.assert_refused(&withdraw_args("rvance", "Again."), 1, &["has no sign-off standing"]);
    // A withdrawal records no items.
    let mut with_item = withdraw_args("rvance", "x");
    with_item.extend(["--item", "all=done"]);
    f.assert_refused(&with_item, 2, &["--item", "no items"]);
}

#[test]
fn signing_with_decision_withdraw_outside_the_withdraw_path_is_not_a_sign_off() {
    let f = Fixture::sample();
    // The library refuses a withdraw decision through the sign-off action; the CLI routes
    // `--decision withdraw` to the withdrawal, so ask it with items that make no sense there.
    let args = signoff_args("rvance", MODEL, GATE, "withdraw", &["--evidence", "license-bom=evidence/license-bom.md"]);
    f.assert_refused(&args, 2, &["--evidence"]);
}

#[test]
fn a_hand_written_withdrawal_of_an_earlier_signoff_than_the_latest_is_reported() {
    let f = Fixture::sample();
    f.signoff_at(T1, "rvance", MODEL, GATE, "approve").ok();
    f.signoff_at(T2, "rvance", MODEL, GATE, "changes-requested").ok();
    // By hand, with plain git: withdraw the T1 approval although the T2 request is the latest.
    let subject = f.model_tree("refs/heads/main", MODEL);
    let checklist = f.git_ok(&["rev-parse", &format!("refs/heads/main:policies/checklists/{GATE}.md")]);
    let dir = signoffs_dir(MODEL);
    let path = &format!("{dir}/licensing/20261129T190000Z-rvance.toml");
    let text = format!(
        "model = \"{MODEL}\"\ngate = \"{GATE}\"\nmember = \"rvance\"\ndecision = \"withdraw\"\nat = \"{T3}\"\nsubject = \"{subject}\"\nchecklist = \"{checklist}\"\ncomment = \"by hand\"\nwithdraws = \"{dir}/licensing/20261129T170000Z-rvance.toml\"\n"
    );
    let full = f.repo.join(path);
    std::fs::write(&full, text).expect("write the withdrawal");
    let msg = format!(
        "signoff({MODEL}/{GATE}): withdraw approve\n\nby hand\n\nGatehouse-Action: signoff\nGatehouse-Member: rvance\nGatehouse-Model: {MODEL}\nGatehouse-Gate: {GATE}\nGatehouse-Decision: withdraw\nGatehouse-Subject: {subject}\n"
    );
    let m = f.member("rvance");
    let commit = f.commit_signed_as(&m.name, &m.email, &msg, &f.demo_key("rvance"));
    let (code, report) = f.verify();
    assert_eq!(code, 1, "verify reports the withdrawal: {report:#}");
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "exactly one finding: {report:#}");
    assert_eq!(findings[0]["kind"], "bad-withdrawal");
    assert_eq!(findings[0]["commit"].as_str(), Some(commit.as_str()));
    assert_eq!(findings[0]["path"].as_str(), Some(path.as_str()));
    let message = findings[0]["message"].as_str().unwrap_or("");
    assert!(message.contains("20261129T180000Z-rvance.toml"), "it names the sign-off that spoke last: {message}");
}
