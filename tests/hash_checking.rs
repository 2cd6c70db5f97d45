//! `verify` checks every object it reads against its id, and only its own reads: in one
//! process, a corrupted loose object reads the same outside verify before and after verify
//! runs (libgit2, like git, does not re-hash what it reads), while verify itself stops at it.
//! The desktop app runs verify in the background beside every other command, so a verify that
//! switched on libgit2's process-wide re-hashing would change every later read in the app.
//! These are whole checks (`--full`): an incremental run does not read again the objects of
//! commits an earlier run checked, so an object damaged in place since is found by `--full`.

mod common;

use std::path::Path;

use common::Fixture;
use gatehouse::progress::Silent;
use gatehouse::Governance;
use git2::Oid;

/// What a read of object `id` outside verify gives: its bytes, or the error, as a fresh
/// command in the app would see them.
fn read_outside_verify(repo: &Path, id: &str) -> Result<Vec<u8>, String> {
    let gov = Governance::open(repo).map_err(|e| e.to_string())?;
    let odb = gov.repo().odb().map_err(|e| e.to_string())?;
    let object = odb.read(Oid::from_str(id).expect("an object id")).map_err(|e| e.to_string())?;
    Ok(object.data().to_vec())
}

/// A read's outcome in a few words, for failure messages.
fn describe(read: &Result<Vec<u8>, String>) -> String {
    match read {
        Ok(bytes) => format!("{} bytes read without error", bytes.len()),
        Err(e) => format!("the error {e:?}"),
    }
}

/// Replaces the loose file of object `id` with that of `forged` (another object of the same
/// kind): the repository then holds different content under `id`.
fn swap_loose_object(f: &Fixture, id: &str, forged: &str) {
    let file = |id: &str| f.repo.join(".git/objects").join(&id[..2]).join(&id[2..]);
    let target = file(id);
    assert!(target.is_file(), "{id} is a loose object in the sample");
    assert_ne!(id, forged, "the forged content differs");
    let mut permissions = std::fs::metadata(&target).expect("object file").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&target, permissions).expect("make the object file writable");
    std::fs::copy(file(forged), &target).expect("overwrite the object file");
}

/// Writes `content` as an object of `kind` with plain git; returns its id.
fn git_object(f: &Fixture, kind: &str, content: &str) -> String {
    let out = if kind == "tree" {
        f.git_with_input(&["mktree"], content).ok()
    } else {
        f.git_with_input(&["hash-object", "-t", kind, "-w", "--stdin"], content).ok()
    };
    out.stdout.trim().to_string()
}

/// Corrupts object `id` (of `kind`) so that it reads as `forged` (in the form `git cat-file -p`
/// prints, which `git mktree` and `git hash-object` take back), then checks in this one
/// process: a read outside verify gives the forged content without complaint; verify fails
/// naming the object; the same read afterwards behaves exactly as before verify.
fn assert_only_verify_checks_hashes(f: &Fixture, id: &str, kind: &str, forged: &str) {
    let original = read_outside_verify(&f.repo, id).expect("the intact object reads");
    let forged_id = git_object(f, kind, forged);
    swap_loose_object(f, id, &forged_id);

    let before = read_outside_verify(&f.repo, id);
    let bytes = before.as_ref().expect("outside verify, a corrupted object reads without error, as in git");
    assert_ne!(bytes, &original, "the read gives the forged content: the corruption is in place");

    let gov = Governance::open(&f.repo).expect("open the repository");
    // In full: the object was read and checked by the fixture's first verify, before the
    // corruption, and an incremental run reads only the commits since.
    let full = gatehouse::verify::Options { full: true };
    match gatehouse::verify::verify_with(&gov, full, &mut Silent) {
        Ok(report) => panic!("verify must catch the corrupted {kind} {id}; it reported {:#?}", report.findings),
        Err(e) => {
            let message = e.to_string();
            assert_eq!(e.code(), "git", "a corrupted object is a failure of the repository: {message}");
            assert!(
                message.contains("hash mismatch") && message.contains(id) && message.contains(&forged_id),
                "the error names the object, what it should hash to and what it hashes to: {message}"
            );
        }
    }
    drop(gov);

    let after = read_outside_verify(&f.repo, id);
    assert!(
        after == before,
        "after verify, a read outside verify behaves exactly as it did before verify: before {}, after {}",
        describe(&before),
        describe(&after)
    );
}

/// The path's blob id on main and its text.
fn blob_on_main(f: &Fixture, path: &str) -> (String, String) {
    let id = f.git_ok(&["rev-parse", &format!("refs/heads/main:{path}")]);
    let text = f.git_ok(&["cat-file", "blob", &id]);
    (id, text)
}

/// The first sign-off file of the sample, by path.
fn a_signoff_path(f: &Fixture) -> String {
    let files = f.git_ok(&["ls-tree", "-r", "--name-only", "refs/heads/main", "signoffs"]);
    files.lines().next().expect("the sample has sign-offs").to_string()
}

#[test]
fn a_corrupted_signoff_is_caught_by_verify_alone() {
    let f = Fixture::sample();
    let (id, text) = blob_on_main(&f, &a_signoff_path(&f));
    // Still a well-formed sign-off: only its id gives it away.
    let forged = text.lines().map(|l| if l.starts_with("comment = ") { "comment = \"forged\"" } else { l });
    let forged: String = forged.map(|l| format!("{l}\n")).collect();
    assert_only_verify_checks_hashes(&f, &id, "blob", &forged);
}

#[test]
fn a_corrupted_consortium_toml_is_caught_by_verify_alone() {
    let f = Fixture::sample();
    let (id, text) = blob_on_main(&f, "consortium.toml");
    let forged = text.replacen("name = \"", "name = \"Forged ", 1);
    assert_only_verify_checks_hashes(&f, &id, "blob", &format!("{forged}\n"));
}

#[test]
fn a_corrupted_checklist_is_caught_by_verify_alone() {
    let f = Fixture::sample();
    let (id, text) = blob_on_main(&f, "policies/checklists/safety.md");
    let forged = text.replacen("title: ", "title: Forged ", 1);
    assert_only_verify_checks_hashes(&f, &id, "blob", &format!("{forged}\n"));
}

#[test]
fn a_corrupted_card_is_caught_by_verify_alone() {
    let f = Fixture::sample();
    let (id, text) = blob_on_main(&f, "models/baseline-1.4b/card.md");
    assert_only_verify_checks_hashes(&f, &id, "blob", &format!("{text}\nForged line.\n"));
}

#[test]
fn a_corrupted_tree_is_caught_by_verify_alone() {
    let f = Fixture::sample();
    let signoff = a_signoff_path(&f);
    let folder = &signoff[..signoff.rfind('/').expect("a folder")];
    let id = f.git_ok(&["rev-parse", &format!("refs/heads/main:{folder}")]);
    // The same folder with one sign-off more, as if one had been slipped in.
    let listing = f.git_ok(&["ls-tree", &id]);
    let extra = listing.lines().next().expect("an entry").replace(".toml", "-forged.toml");
    assert_only_verify_checks_hashes(&f, &id, "tree", &format!("{listing}\n{extra}\n"));
}

#[test]
fn a_corrupted_commit_is_caught_by_verify_alone() {
    let f = Fixture::sample();
    let id = f.git_ok(&["rev-parse", "refs/heads/main~3"]);
    let raw = f.git_ok(&["cat-file", "commit", &id]);
    let forged = raw.replacen("\n\n", "\n\nForged: ", 1);
    assert_only_verify_checks_hashes(&f, &id, "commit", &format!("{forged}\n"));
}

#[test]
fn the_cli_reports_a_corrupted_object_and_exits_2() {
    let f = Fixture::sample();
    let (id, text) = blob_on_main(&f, &a_signoff_path(&f));
    let forged_id = git_object(&f, "blob", &text.replacen("comment = \"", "comment = \"forged ", 1));
    swap_loose_object(&f, &id, &forged_id);
    let r = f.gh(&["verify", "--full"]);
    assert_eq!(r.code, 2, "a corrupted repository is a failure, not a finding: {}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("hash mismatch") && r.stderr.contains(&id), "says which object: {}", r.stderr);
}
