//! Where a record keeps its sign-offs: format 2 (what `init` writes) in buckets named by the
//! model id's SHA-256, format 1 (records made before) directly under `signoffs/`. Each layout
//! is checked with plain git and coreutils, not with Gatehouse's own code.

mod common;

use common::proposals::day;
use common::{finding_kinds, signoff_toml, signoffs_dir, Fixture, SignoffSpec, AT, MODELS, STAMP};

/// Every sign-off of the sample, as `git ls-tree` lists them.
fn signoff_files(f: &Fixture) -> Vec<String> {
    f.git_ok(&["ls-tree", "-r", "--name-only", "refs/heads/main", "signoffs"]).lines().map(String::from).collect()
}

#[test]
fn a_new_record_keeps_each_signoff_in_its_models_bucket() {
    let f = Fixture::sample();
    assert!(f.main_text("consortium.toml").contains("\nformat = 2\n"), "init writes format 2");
    let files = signoff_files(&f);
    assert_eq!(files.len(), 31, "the sample's 31 sign-offs");
    for file in &files {
        let parts: Vec<&str> = file.split('/').collect();
        assert_eq!(parts.len(), 5, "signoffs/<bucket>/<model>/<gate>/<file>: {file}");
        assert!(MODELS.contains(&parts[2]), "the third part is a model of the sample: {file}");
        // The bucket is what `printf %s <model> | sha256sum | cut -c1-2` prints.
        assert!(file.starts_with(&format!("{}/", signoffs_dir(parts[2]))), "{file} is in its model's bucket");
    }
    // The top of signoffs/ holds buckets only, never a model's folder.
    let top = f.git_ok(&["ls-tree", "--name-only", "refs/heads/main", "signoffs/"]);
    for name in top.lines() {
        let name = name.trim_start_matches("signoffs/");
        assert!(
            name.len() == 2 && name.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
            "{name:?} under signoffs/ is a bucket"
        );
    }
    let (code, report) = f.verify();
    assert_eq!(code, 0, "the bucketed sample verifies clean: {report:#}");
}

/// A record made before format 2: `gatehouse init`, then its root commit made again with
/// `format = 1`, by plain git, as an older Gatehouse wrote it.
fn format_1_record() -> Fixture {
    let f = Fixture::empty();
    let dir = f.repo.display().to_string();
    f.gatehouse_raw(&[
        "--at",
        AT,
        "init",
        &dir,
        "--name",
        "Old consortium",
        "--as",
        "ana",
        "--founder-name",
        "Ana Lima",
        "--email",
        "ana@example.org",
        "--org",
        "one",
    ])
    .ok();
    let toml = std::fs::read_to_string(f.repo.join("consortium.toml")).expect("consortium.toml");
    assert!(toml.contains("\nformat = 2\n"), "init writes format 2: {toml}");
    std::fs::write(f.repo.join("consortium.toml"), toml.replace("\nformat = 2\n", "\nformat = 1\n")).expect("write");
    f.git_ok(&["add", "consortium.toml"]);
    let date = "2026-11-29T17:00:00Z";
    let amend = f
        .git_command_in(&f.repo, &["commit", "-q", "--amend", "--no-edit", "--date", date])
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_COMMITTER_NAME", "Ana Lima")
        .env("GIT_COMMITTER_EMAIL", "ana@example.org")
        .output()
        .expect("git commit --amend");
    assert!(amend.status.success(), "{}", String::from_utf8_lossy(&amend.stderr));
    // What Gatehouse kept of the record it saw (its witness of the old root) goes: this is a
    // record made as it was, not one rewritten later.
    std::fs::remove_dir_all(f.repo.join(".git/gatehouse")).expect("remove .git/gatehouse");
    f
}

#[test]
fn a_format_1_record_keeps_its_signoffs_where_format_1_put_them() {
    let f = format_1_record();
    let card = f.root.join("card.md");
    std::fs::write(&card, "---\nlicense: apache-2.0\n---\n# Old model\n").expect("a card");
    f.gh_at(AT, &["--as", "ana", "model", "add", "old-model", "--card", &card.display().to_string()]).ok();
    f.gh_at(
        AT,
        &[
            "--as",
            "ana",
            "signoff",
            "--model",
            "old-model",
            "--gate",
            "intake",
            "--decision",
            "approve",
            "--item",
            "all=done",
        ],
    )
    .ok();

    let files = signoff_files(&f);
    assert_eq!(
        files,
        vec![format!("signoffs/old-model/intake/{STAMP}-ana.toml")],
        "a format 1 record's sign-off has no bucket"
    );
    let (_, approvals, ..) = f.gate_state("old-model", "intake");
    assert_eq!(approvals, 1, "and it counts");
    let (code, report) = f.verify();
    assert_eq!(code, 0, "the format 1 record verifies clean: {report:#}");
    f.assert_fsck_clean();

    // Changing the format with plain git would leave that sign-off where format 2 does not
    // look: verify says so, besides the change being outside a proposal.
    let toml = std::fs::read_to_string(f.repo.join("consortium.toml")).expect("consortium.toml");
    std::fs::write(f.repo.join("consortium.toml"), toml.replace("\nformat = 1\n", "\nformat = 2\n")).expect("write");
    f.git_ok(&["add", "consortium.toml"]);
    let commit = f.commit_as("Ana Lima", "ana@example.org", "Format 2");
    let (code, report) = f.verify();
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        finding_kinds(&report),
        ["malformed-file".to_string(), "ungoverned-change".to_string()].into(),
        "{report:#}"
    );
    let format = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|x| x["kind"] == "malformed-file")
        .expect("the format finding");
    assert_eq!(format["commit"].as_str(), Some(commit.as_str()));
    assert!(format["message"].as_str().unwrap_or_default().contains("format changed from 1 to 2"), "{format:#}");
}

#[test]
fn a_signoff_outside_its_formats_place_is_reported_and_does_not_count() {
    let f = Fixture::sample();
    let (model, gate, member) = ("baseline-1.4b", "intake", "rvance");
    let (_, before, ..) = f.gate_state(model, gate);

    // By hand, format 1's place in a format 2 record.
    let subject = f.model_tree("refs/heads/main", model);
    let checklist = f.git_ok(&["rev-parse", &format!("refs/heads/main:policies/checklists/{gate}.md")]);
    let items = f.checklist_items(gate);
    let flat = format!("signoffs/{model}/{gate}/{STAMP}-{member}.toml");
    let text = signoff_toml(&SignoffSpec {
        model,
        gate,
        member,
        decision: "approve",
        at: AT,
        subject: &subject,
        checklist: &checklist,
        items: &items,
        state: "done",
    });
    let full = f.repo.join(&flat);
    std::fs::create_dir_all(full.parent().expect("a parent")).expect("mkdir");
    std::fs::write(&full, text).expect("write the sign-off");
    f.git_ok(&["add", &flat]);
    let m = f.member(member);
    let message = format!(
        "signoff({model}/{gate}): approve\n\nBy hand.\n\nGatehouse-Action: signoff\nGatehouse-Member: {member}\nGatehouse-Model: {model}\nGatehouse-Gate: {gate}\nGatehouse-Decision: approve\nGatehouse-Subject: {subject}\n"
    );
    let commit = f.commit_signed_as(&m.name, &m.email, &message, &f.demo_key(member));

    let (code, report) = f.verify();
    assert_eq!(code, 1, "verify reports it: {report:#}");
    assert_eq!(finding_kinds(&report), ["malformed-file".to_string()].into(), "{report:#}");
    let finding = &report["findings"][0];
    assert_eq!(finding["commit"].as_str(), Some(commit.as_str()));
    assert_eq!(finding["path"].as_str(), Some(flat.as_str()));
    let expected = format!("{}/{gate}/{STAMP}-{member}.toml", signoffs_dir(model));
    let message = finding["message"].as_str().unwrap_or_default();
    assert!(message.contains(&expected), "the finding names where the sign-off belongs: {message}");
    let (_, after, ..) = f.gate_state(model, gate);
    assert_eq!(after, before, "a sign-off where the record's format does not keep it does not count");
}

#[test]
fn a_proposal_that_changes_the_format_is_refused_and_changes_nothing() {
    let f = Fixture::sample();
    let toml = f.main_text("consortium.toml");
    let draft = f.draft("consortium.toml", &toml.replace("\nformat = 2\n", "\nformat = 1\n"));
    let change = format!("consortium.toml={draft}");
    let args = [
        "--as",
        "akeller",
        "propose",
        "back-to-one",
        "--title",
        "Format 1",
        "--change",
        &change,
        "--rationale",
        "Because.",
    ];
    let r = f.assert_command_refused(
        f.gh_command_at(&day(1, 9), &args),
        "propose a format change",
        2,
        &["sets format in consortium.toml from 2 to 1", "keeps the format init gave it"],
    );
    assert!(r.stderr.contains("format"), "{}", r.stderr);

    // A format this Gatehouse does not know makes consortium.toml malformed: refused too.
    let draft = f.draft("consortium.toml", &toml.replace("\nformat = 2\n", "\nformat = 3\n"));
    let change = format!("consortium.toml={draft}");
    let args =
        ["--as", "akeller", "propose", "three", "--title", "Format 3", "--change", &change, "--rationale", "Because."];
    f.assert_command_refused(
        f.gh_command_at(&day(1, 9), &args),
        "propose format 3",
        2,
        &["format 3 is not supported (this Gatehouse reads formats 1 and 2)"],
    );
}
