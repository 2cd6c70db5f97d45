//! `gatehouse verify` against tampering done with plain git on the signed sample: each breach
//! is reported with its kind, the commit and the path, and verify exits 1. The tampering
//! commits are signed with the member's own key (as a member with access would), so that each
//! scenario shows its own finding and not merely `unsigned`. A clean sample exits 0, and plain
//! `git verify-commit` accepts every one of its commits.

mod common;

use std::collections::BTreeSet;

use common::{finding_kinds, signoff_toml, signoffs_dir, Fixture, SignoffSpec, AT, STAMP};

/// Runs verify, expecting exit 1 and exactly `kinds`, each naming `commit` (and `path`).
fn expect_findings(f: &Fixture, commit: &str, path: &str, kinds: &[&str]) -> serde_json::Value {
    let (code, report) = f.verify();
    assert_eq!(code, 1, "verify exits 1 when it finds a breach: {report:#}");
    let want: BTreeSet<String> = kinds.iter().map(|k| k.to_string()).collect();
    assert_eq!(finding_kinds(&report), want, "verify reports exactly these kinds: {report:#}");
    for finding in report["findings"].as_array().expect("findings") {
        assert_eq!(finding["commit"].as_str(), Some(commit), "the finding names the tampering commit: {finding}");
        if let Some(p) = finding["path"].as_str() {
            assert_eq!(p, path, "the finding names the file at fault: {finding}");
        }
        assert!(!finding["message"].as_str().unwrap_or("").is_empty(), "every finding explains itself: {finding}");
    }
    assert_eq!(report["head"], f.main(), "verify names the commit it checked");
    assert_eq!(
        report["commits_checked"].as_u64(),
        Some(f.all_commits().len() as u64),
        "verify walks every commit of main"
    );
    // The human output says the same, and the exit code agrees.
    let human = f.gh(&["verify"]);
    assert_eq!(human.code, 1, "verify without --json also exits 1");
    for k in kinds {
        assert!(
            human.stdout.contains(k) && human.stdout.contains(&commit[..12]),
            "the human report lists {k} at {}: {}",
            &commit[..12],
            human.stdout
        );
    }
    f.assert_fsck_clean();
    report
}

/// Writes a sign-off file into the work tree as a reviewer would by hand; returns its path.
fn hand_written_signoff(f: &Fixture, model: &str, gate: &str, member: &str, decision: &str) -> String {
    let subject = f.model_tree("refs/heads/main", model);
    let checklist = f.git_ok(&["rev-parse", &format!("refs/heads/main:policies/checklists/{gate}.md")]);
    let items = f.checklist_items(gate);
    let path = format!("{}/{gate}/{STAMP}-{member}.toml", signoffs_dir(model));
    let text = signoff_toml(&SignoffSpec {
        model,
        gate,
        member,
        decision,
        at: AT,
        subject: &subject,
        checklist: &checklist,
        items: &items,
        state: "done",
    });
    let full = f.repo.join(&path);
    std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
    std::fs::write(&full, text).expect("write the sign-off file");
    path
}

fn signoff_message(member: &str, model: &str, gate: &str, decision: &str, subject: &str) -> String {
    format!(
        "signoff({model}/{gate}): {decision}\n\nBy hand.\n\nGatehouse-Action: signoff\nGatehouse-Member: {member}\nGatehouse-Model: {model}\nGatehouse-Gate: {gate}\nGatehouse-Decision: {decision}\nGatehouse-Subject: {subject}\n"
    )
}

fn signoff_trailers<'a>(
    member: &'a str,
    model: &'a str,
    gate: &'a str,
    decision: &'a str,
    subject: &'a str,
) -> [(&'static str, &'a str); 6] {
    [
        ("Gatehouse-Action", "signoff"),
        ("Gatehouse-Member", member),
        ("Gatehouse-Model", model),
        ("Gatehouse-Gate", gate),
        ("Gatehouse-Decision", decision),
        ("Gatehouse-Subject", subject),
    ]
}

/// Commits the work tree with plain `git commit -S` as `member`, signed with their own key.
fn commit_by(f: &Fixture, member: &str, message: &str) -> String {
    let m = f.member(member);
    f.commit_signed_as(&m.name, &m.email, message, &f.demo_key(member))
}

/// `git verify-commit` with the allowed-signers file `gatehouse allowed-signers` prints.
fn git_verify_commit(f: &Fixture, allowed: &std::path::Path, commit: &str) -> common::Run {
    let setting = format!("gpg.ssh.allowedSignersFile={}", allowed.display());
    f.git(&["-c", &setting, "verify-commit", commit])
}

#[test]
fn the_clean_sample_verifies_with_no_findings() {
    let f = Fixture::sample();
    let (code, report) = f.verify();
    assert_eq!(code, 0, "a clean sample exits 0: {report:#}");
    assert_eq!(report["findings"], serde_json::json!([]), "and has no findings");
    let human = f.gh(&["verify"]).ok();
    assert!(human.stdout.contains("0 finding(s)"), "the human report says there is nothing: {}", human.stdout);

    // Anyone with a clone can check the signatures without Gatehouse: plain git accepts every
    // commit of the sample, each by the key of the member who authored it.
    let allowed = f.allowed_signers_file();
    let commits = f.all_commits();
    assert!(commits.len() > 30, "the sample has a real history to check");
    for commit in &commits {
        let r = git_verify_commit(&f, &allowed, commit);
        assert_eq!(r.code, 0, "git verify-commit accepts {commit}: {}", r.stderr);
        let email = f.git_ok(&["log", "-1", "--format=%ae", commit]);
        assert!(
            r.stderr.contains(&format!("Good \"git\" signature for {email}")),
            "the signature is by the author's own key ({email}): {}",
            r.stderr
        );
    }
}

#[test]
fn a_signoff_made_with_the_cli_is_signed_and_git_accepts_it() {
    let f = Fixture::sample();
    // No --key: the sample's demo key of the acting member is found under .git/gatehouse/keys.
    f.signoff_at(AT, "mtanaka", "baseline-1.4b", "intake", "approve").ok();
    let head = f.main();
    let header = f.git_ok(&["cat-file", "commit", &head]);
    assert!(header.contains("gpgsig -----BEGIN SSH SIGNATURE-----"), "the commit carries an SSH signature: {header}");
    let r = git_verify_commit(&f, &f.allowed_signers_file(), &head);
    assert_eq!(r.code, 0, "git verify-commit accepts the CLI's commit: {}", r.stderr);
    assert!(r.stderr.contains("mtanaka@riken.example.org"), "signed by mtanaka's key: {}", r.stderr);
    let (code, report) = f.verify();
    assert_eq!(code, 0, "and gatehouse verify agrees: {report:#}");
}

#[test]
fn a_commit_signed_with_a_key_not_listed_for_its_member_is_a_bad_signature() {
    let f = Fixture::sample();
    // lgarcia may sign tpc's licensing, but this commit is signed with hsato's key.
    let subject = f.model_tree("refs/heads/main", "tpc-science-34b");
    let path = hand_written_signoff(&f, "tpc-science-34b", "licensing", "lgarcia", "approve");
    let msg = signoff_message("lgarcia", "tpc-science-34b", "licensing", "approve", &subject);
    let m = f.member("lgarcia");
    let commit = f.commit_signed_as(&m.name, &m.email, &msg, &f.demo_key("hsato"));
    let report = expect_findings(&f, &commit, &path, &["bad-signature"]);
    let message = report["findings"][0]["message"].as_str().unwrap_or("");
    assert!(
        message.contains("SHA256:") && message.contains("lgarcia"),
        "the finding names the key and the member it is not listed for: {message}"
    );
}

#[test]
fn a_signature_that_does_not_match_its_commit_is_a_bad_signature() {
    let f = Fixture::sample();
    // Copy the signature of one commit onto a commit with a different message: the signature
    // is by the right key, but over other bytes.
    let head = f.main();
    let raw = f.git_ok(&["cat-file", "commit", &head]);
    let forged = raw.replacen("Gatehouse-Action:", "Reviewed-By: nobody\nGatehouse-Action:", 1);
    assert_ne!(forged, raw, "the commit's message is changed");
    let forged_id = f.git_with_input(&["hash-object", "-t", "commit", "-w", "--stdin"], &format!("{forged}\n")).ok();
    let forged_id = forged_id.stdout.trim().to_string();
    f.git(&["update-ref", "refs/heads/main", &forged_id, &head]).ok();
    let (code, report) = f.verify();
    assert_eq!(code, 1, "verify exits 1: {report:#}");
    let bad: Vec<_> =
        report["findings"].as_array().expect("findings").iter().filter(|x| x["kind"] == "bad-signature").collect();
    assert_eq!(bad.len(), 1, "one bad signature: {report:#}");
    assert_eq!(bad[0]["commit"].as_str(), Some(forged_id.as_str()), "on the forged commit");
    assert!(bad[0]["message"].as_str().unwrap_or("").contains("does not match"), "says why: {}", bad[0]);
    let r = git_verify_commit(&f, &f.allowed_signers_file(), &forged_id);
    assert_ne!(r.code, 0, "plain git rejects it too: {}", r.stderr);
}

#[test]
fn a_stripped_signature_is_reported_as_unsigned() {
    let f = Fixture::sample();
    f.gh(&["status"]).ok(); // this clone has now seen main's tip
    let head = f.main();
    let raw = f.git_ok(&["cat-file", "commit", &head]);
    // Drop the gpgsig header and its continuation lines; keep everything else byte for byte.
    let mut stripped = String::new();
    let mut in_sig = false;
    for line in raw.split_inclusive('\n') {
        if line.starts_with("gpgsig ") {
            in_sig = true;
            continue;
        }
        if in_sig && line.starts_with(' ') {
            continue;
        }
        in_sig = false;
        stripped.push_str(line);
    }
    assert!(!stripped.contains("gpgsig"), "the signature is gone");
    let out = f.git_with_input(&["hash-object", "-t", "commit", "-w", "--stdin"], &format!("{stripped}\n")).ok();
    let id = out.stdout.trim().to_string();
    f.git(&["update-ref", "refs/heads/main", &id, &head]).ok();
    let (code, report) = f.verify();
    assert_eq!(code, 1, "verify exits 1: {report:#}");
    let kinds = finding_kinds(&report);
    // Replacing a shared commit is also a rewrite of history this clone had seen.
    assert_eq!(
        kinds,
        BTreeSet::from(["unsigned".to_string(), "history-rewritten".to_string()]),
        "the unsigned commit, and the tip it replaced: {report:#}"
    );
    let unsigned = report["findings"].as_array().expect("findings").iter().find(|x| x["kind"] == "unsigned").cloned();
    assert_eq!(unsigned.expect("unsigned")["commit"].as_str(), Some(id.as_str()), "names the stripped commit");
}

#[test]
fn an_edited_signoff_is_reported() {
    let f = Fixture::sample();
    let path = f.signoff_of("aurora-sci-200b", "safety", "lgarcia");
    let full = f.repo.join(&path);
    let text = std::fs::read_to_string(&full).expect("read");
    assert!(text.contains("decision = \"changes-requested\""), "the file we tamper with");
    std::fs::write(&full, text.replace("decision = \"changes-requested\"", "decision = \"approve\"")).expect("write");
    let commit = commit_by(&f, "rvance", "Quietly approve aurora's safety\n");
    f.assert_trailers(&commit, &[]);
    let report = expect_findings(&f, &commit, &path, &["edited-signoff"]);
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(1), "one finding");
}

#[test]
fn a_deleted_signoff_is_reported() {
    let f = Fixture::sample();
    let path = f.signoff_of("aurora-sci-200b", "safety", "lgarcia");
    f.git(&["rm", "-q", &path]).ok();
    let commit = commit_by(&f, "rvance", "Drop an inconvenient review\n");
    f.assert_trailers(&commit, &[]);
    expect_findings(&f, &commit, &path, &["deleted-signoff"]);
    // The record without it: aurora's safety no longer shows the request for changes.
    assert_ne!(
        f.gate_state("aurora-sci-200b", "safety").0,
        "changes-requested",
        "status reads main as it is; verify is what catches the deletion"
    );
}

#[test]
fn a_policy_change_outside_a_proposal_is_reported() {
    let f = Fixture::sample();
    let path = "policies/safety.md";
    let full = f.repo.join(path);
    let mut text = std::fs::read_to_string(&full).expect("read the safety policy");
    text.push_str("\nRed-teaming is optional for models under 500B parameters.\n");
    std::fs::write(&full, text).expect("write");
    let commit = commit_by(&f, "akeller", "Relax the safety policy\n");
    f.assert_trailers(&commit, &[]);
    expect_findings(&f, &commit, path, &["ungoverned-change"]);
}

#[test]
fn gates_that_require_each_other_are_a_malformed_framework_naming_them() {
    let f = Fixture::sample();
    let model = "switch-c-1.6t";
    assert_eq!(f.gate_state(model, "evaluation").0, "passed", "the sample's flagship passed evaluation");
    let path = "policies/checklists/evaluation.md";
    let full = f.repo.join(path);
    let text = std::fs::read_to_string(&full).expect("read the evaluation checklist");
    let patched = text.replacen("requires: [reproducibility]", "requires: [reproducibility, safety]", 1);
    assert_ne!(patched, text, "evaluation now also requires safety, which requires evaluation");
    std::fs::write(&full, patched).expect("write");
    let commit = commit_by(&f, "akeller", "Evaluation waits for safety\n");
    let cycle = "gates evaluation -> safety -> evaluation require each other";

    // verify: a malformed file at the commit that closes the loop (besides the ungoverned change).
    let report = expect_findings(&f, &commit, path, &["ungoverned-change", "malformed-file"]);
    let findings = report["findings"].as_array().expect("findings");
    let malformed = findings.iter().find(|x| x["kind"] == "malformed-file").expect("a malformed-file finding");
    assert!(malformed["message"].as_str().unwrap_or("").contains(cycle), "names the gates: {malformed}");

    // The library: the framework at main reports the cycle as a problem of the first gate's file.
    let gov = gatehouse::Governance::open(&f.repo).expect("open");
    let tree = gov.tree_of(gov.head().expect("main")).expect("main's tree");
    let framework = gatehouse::record::Framework::load(gov.repo(), &tree).expect("the framework loads");
    let problem = framework.problems.iter().find(|p| p.message.contains(cycle));
    assert_eq!(problem.map(|p| p.location.path.as_str()), Some(path), "{:?}", framework.problems);

    // status: warns with the file, and both gates are locked with the cycle as the reason.
    let r = f.gh(&["status"]).ok();
    assert!(r.stderr.contains(&format!("warning: {path}: {cycle}")), "status warns: {}", r.stderr);
    for gate in ["evaluation", "safety"] {
        assert_eq!(f.gate_state(model, gate).0, "locked", "{gate} can never pass");
    }
    let shown = f.gh(&["--json", "show", "model", model]).ok().json();
    for gate in ["evaluation", "safety"] {
        let g = shown["gates"].as_array().expect("gates").iter().find(|g| g["id"] == gate).expect("the gate").clone();
        assert_eq!(g["waiting_for"].as_str(), Some(cycle), "{gate} says why: {g}");
    }
    assert_eq!(f.gate_state(model, "reproducibility").0, "passed", "gates outside the cycle are judged as before");
}

#[test]
fn a_consortium_change_outside_a_proposal_is_reported() {
    let f = Fixture::sample();
    let path = "consortium.toml";
    let full = f.repo.join(path);
    let text = std::fs::read_to_string(&full).expect("read consortium.toml");
    // Give jferrer (the only member whose roles start with these two) a role never granted.
    let patched = text.replacen(
        "\"voting-member\",\n    \"reproducibility-reviewer\",",
        "\"voting-member\",\n    \"license-reviewer\",\n    \"reproducibility-reviewer\",",
        1,
    );
    assert_ne!(patched, text, "the tamper changes consortium.toml");
    std::fs::write(&full, patched).expect("write");
    let commit = commit_by(&f, "jferrer", "Grant myself a role\n");
    f.assert_trailers(&commit, &[]);
    expect_findings(&f, &commit, path, &["ungoverned-change"]);
}

#[test]
fn a_signoff_by_a_member_without_the_role_is_reported() {
    let f = Fixture::sample();
    // jferrer holds no license-reviewer role; the trailers are all correct.
    let subject = f.model_tree("refs/heads/main", "tpc-science-34b");
    let path = hand_written_signoff(&f, "tpc-science-34b", "licensing", "jferrer", "approve");
    let msg = signoff_message("jferrer", "tpc-science-34b", "licensing", "approve", &subject);
    let commit = commit_by(&f, "jferrer", &msg);
    f.assert_trailers(&commit, &signoff_trailers("jferrer", "tpc-science-34b", "licensing", "approve", &subject));
    expect_findings(&f, &commit, &path, &["missing-role"]);
    // The rules agree with verify: the approval does not count.
    assert_eq!(
        f.gate_state("tpc-science-34b", "licensing").1,
        0,
        "an approval without the role does not count toward the quorum"
    );
}

#[test]
fn a_signoff_authored_by_someone_outside_the_consortium_is_reported() {
    let f = Fixture::sample();
    let subject = f.model_tree("refs/heads/main", "baseline-1.4b");
    let path = hand_written_signoff(&f, "baseline-1.4b", "intake", "rvance", "approve");
    let msg = signoff_message("rvance", "baseline-1.4b", "intake", "approve", &subject);
    let mallory_key = f.root.join("mallory_key");
    f.git(&["version"]).ok(); // (the repository exists; the key is made outside it)
    let keygen = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "mallory", "-f"])
        .arg(&mallory_key)
        .output()
        .expect("run ssh-keygen");
    assert!(keygen.status.success(), "ssh-keygen makes Mallory's key");
    let commit = f.commit_signed_as("Mallory", "mallory@elsewhere.example.com", &msg, &mallory_key);
    f.assert_trailers(&commit, &signoff_trailers("rvance", "baseline-1.4b", "intake", "approve", &subject));
    let email = f.git_ok(&["log", "-1", "--format=%ae", &commit]);
    assert_eq!(email, "mallory@elsewhere.example.com", "git records the outsider as author");
    let (code, report) = f.verify();
    assert_eq!(code, 1, "verify exits 1: {report:#}");
    let kinds = finding_kinds(&report);
    // Her signature is valid for her own key, which is no member's: a bad signature as well.
    assert_eq!(
        kinds,
        BTreeSet::from(["unknown-member".to_string(), "bad-signature".to_string()]),
        "the outsider is reported as unknown-member, and her key as listed for nobody: {report:#}"
    );
    let finding = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|x| x["kind"] == "unknown-member")
        .expect("unknown-member")
        .clone();
    assert_eq!(finding["commit"].as_str(), Some(commit.as_str()), "names the commit");
    assert!(
        finding["message"].as_str().unwrap_or("").contains("mallory@elsewhere.example.com"),
        "names the unknown author: {finding}"
    );
    assert_eq!(finding["path"].as_str().unwrap_or(&path), path, "if the finding names a file, it is the sign-off");
    f.assert_fsck_clean();
}

#[test]
fn a_decision_trailer_that_disagrees_with_the_file_is_reported() {
    let f = Fixture::sample();
    // lgarcia may sign tpc's licensing; the file says approve, the trailer says reject.
    let subject = f.model_tree("refs/heads/main", "tpc-science-34b");
    let path = hand_written_signoff(&f, "tpc-science-34b", "licensing", "lgarcia", "approve");
    let msg = signoff_message("lgarcia", "tpc-science-34b", "licensing", "reject", &subject);
    let commit = commit_by(&f, "lgarcia", &msg);
    f.assert_trailers(&commit, &signoff_trailers("lgarcia", "tpc-science-34b", "licensing", "reject", &subject));
    let report = expect_findings(&f, &commit, &path, &["trailer-mismatch"]);
    let message = report["findings"][0]["message"].as_str().unwrap_or("");
    assert!(
        message.contains("Gatehouse-Decision") && message.contains("reject") && message.contains("approve"),
        "the finding says which trailer disagrees and how: {message}"
    );
}

#[test]
fn a_card_with_broken_yaml_is_reported_and_the_rest_still_loads() {
    let f = Fixture::sample();
    let path = "models/switch-c-1.6t/card.md";
    let full = f.repo.join(path);
    let text = std::fs::read_to_string(&full).expect("read the card");
    let broken = text.replacen("---\n", "---\nlicense: [apache-2.0\n", 1);
    assert_ne!(broken, text, "the card has front matter to break");
    std::fs::write(&full, broken).expect("write");
    let msg = "model(switch-c-1.6t): update card.md\n\nGatehouse-Action: model\nGatehouse-Member: hsato\nGatehouse-Model: switch-c-1.6t\n";
    let commit = commit_by(&f, "hsato", msg);
    f.assert_trailers(
        &commit,
        &[("Gatehouse-Action", "model"), ("Gatehouse-Member", "hsato"), ("Gatehouse-Model", "switch-c-1.6t")],
    );
    let report = expect_findings(&f, &commit, path, &["malformed-file"]);
    let message = report["findings"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains(&format!("{path}:")), "the finding gives the card's path and line: {message}");

    // docs/format.md: a malformed file is reported with its path and line, and everything else
    // loads.
    let r = f.gh(&["status"]);
    assert_eq!(r.code, 0, "status still works with one broken card: {}", r.stderr);
    assert!(
        r.stderr.contains("warning:") && r.stderr.contains(&format!("{path}:")),
        "status warns about the broken card with its line: {}",
        r.stderr
    );
    for model in ["aurora-sci-200b", "baseline-1.4b", "tpc-science-34b"] {
        assert!(r.stdout.contains(model), "status still lists {model}: {}", r.stdout);
    }
}

#[test]

fn a_rewritten_main_is_reported_as_history_rewritten() {
    let f = Fixture::sample();
    f.signoff_at("2026-11-29T17:01:00Z", "mtanaka", "baseline-1.4b", "intake", "approve").ok();
    let (code, _) = f.verify();
    assert_eq!(code, 0, "clean before the rewrite");
    f.git(&["reset", "-q", "--hard", "HEAD~2"]).ok();
    let (code, report) = f.verify();
    assert_eq!(code, 1, "a tip of main seen before is no longer its ancestor: {report:#}");
    assert!(finding_kinds(&report).contains("history-rewritten"), "verify reports history-rewritten: {report:#}");
}

#[test]
fn main_reset_to_an_older_commit_with_new_commits_on_top_is_history_rewritten() {
    let f = Fixture::sample();
    f.signoff_at("2026-11-29T17:01:00Z", "mtanaka", "baseline-1.4b", "intake", "approve").ok();
    let seen = f.main();
    f.gh(&["status"]).ok();
    // Someone with push access rewinds main and writes a different, well-formed history on top:
    // every new commit is a proper signed action, so only the witness can tell.
    f.git(&["reset", "-q", "--hard", "HEAD~1"]).ok();
    f.signoff_at("2026-11-29T17:02:00Z", "akeller", "baseline-1.4b", "intake", "approve").ok();
    let (code, report) = f.verify();
    assert_eq!(code, 1, "verify exits 1: {report:#}");
    assert_eq!(
        finding_kinds(&report),
        BTreeSet::from(["history-rewritten".to_string()]),
        "only the rewrite is wrong; the new commits are valid: {report:#}"
    );
    let rewritten: Vec<_> = report["findings"].as_array().expect("findings").iter().collect();
    assert!(
        rewritten.iter().any(|x| x["commit"].as_str() == Some(seen.as_str())),
        "the finding names the tip this clone had seen: {report:#}"
    );
}

/// A proposal made and accepted with plain git, as docs/format.md describes it: a branch that
/// relaxes the safety policy, its record on main, one approve vote per `approvers` (cast weeks
/// before), and the accept merge by akeller. Every commit is signed by its author. Returns the
/// merge.
fn propose_and_accept(f: &Fixture, approvers: &[&str]) -> String {
    f.git(&["checkout", "-q", "-b", "proposals/relax", "main"]).ok();
    let policy = f.repo.join("policies/safety.md");
    let mut text = std::fs::read_to_string(&policy).expect("read the safety policy");
    text.push_str("\nRed-teaming is optional for models under 500B parameters.\n");
    std::fs::write(&policy, text).expect("write");
    commit_by(f, "akeller", "Relax the safety policy\n");
    let subject = f.git_ok(&["rev-parse", "HEAD"]);
    f.git(&["checkout", "-q", "main"]).ok();

    let record = f.repo.join("proposals/relax/proposal.md");
    std::fs::create_dir_all(f.repo.join("proposals/relax/votes")).expect("mkdir");
    std::fs::write(
        &record,
        format!(
            "---\ntitle: Relax red-teaming\nauthor: akeller\nbranch: proposals/relax\nsubject: {subject}\n---\nWhy.\n"
        ),
    )
    .expect("write the record");
    commit_by(
        f,
        "akeller",
        &format!("propose(relax): Relax red-teaming\n\nGatehouse-Action: propose\nGatehouse-Member: akeller\nGatehouse-Proposal: relax\nGatehouse-Subject: {subject}\n"),
    );
    for member in approvers {
        std::fs::write(
            f.repo.join(format!("proposals/relax/votes/{member}.toml")),
            format!("vote = \"approve\"\nsubject = \"{subject}\"\nat = \"2026-11-01T10:00:00Z\"\ncomment = \"\"\n"),
        )
        .expect("write a vote");
        commit_by(
            f,
            member,
            &format!("vote(relax): approve\n\nGatehouse-Action: vote\nGatehouse-Member: {member}\nGatehouse-Proposal: relax\nGatehouse-Vote: approve\nGatehouse-Subject: {subject}\n"),
        );
    }
    // The accept: a merge of exactly the subject that also writes the outcome file, made with
    // plain git (`merge --no-commit`, then a signed commit).
    f.git(&["merge", "-q", "--no-ff", "--no-commit", "proposals/relax"]).ok();
    std::fs::write(
        f.repo.join("proposals/relax/outcome.toml"),
        format!(
            "outcome = \"accepted\"\nmember = \"akeller\"\nsubject = \"{subject}\"\nat = \"2026-11-29T17:00:00Z\"\n"
        ),
    )
    .expect("write the outcome");
    commit_by(
        f,
        "akeller",
        &format!(
            "accept(relax): Relax red-teaming\n\nGatehouse-Action: accept\nGatehouse-Member: akeller\nGatehouse-Proposal: relax\nGatehouse-Subject: {subject}\n"
        ),
    );
    let head = f.main();
    assert_eq!(f.git_ok(&["rev-parse", &format!("{head}^2")]), subject, "the accept merges exactly the voted subject");
    head
}

#[test]
fn an_accept_without_the_quorum_is_reported() {
    let f = Fixture::sample();
    // One approve vote of eight voting members; the quorum of 2/3 needs six.
    let merge = propose_and_accept(&f, &["rvance"]);
    let report = expect_findings(&f, &merge, "proposals/relax/proposal.md", &["accept-without-quorum"]);
    let message = report["findings"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains("1 approval(s) of 8") && message.contains("needs 6"), "says how far short: {message}");
}

#[test]
fn an_accept_with_the_quorum_after_the_comment_period_verifies_clean() {
    let f = Fixture::sample();
    propose_and_accept(&f, &["rvance", "tokafor", "hsato", "mtanaka", "lgarcia", "jferrer"]);
    let (code, report) = f.verify();
    assert_eq!(code, 0, "six of eight approve, four weeks before the merge: allowed: {report:#}");
}
