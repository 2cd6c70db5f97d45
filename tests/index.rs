//! The SQLite index at .git/gatehouse/index.sqlite is a cache of main: deleting or damaging it
//! loses nothing, plain-git commits are picked up incrementally, and a rewritten main makes
//! it rebuild.

mod common;

use std::io::{Seek, SeekFrom, Write};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{assert_index_eq, Fixture, IndexDump};

const T1: &str = "2026-11-29T17:01:00Z";
const T2: &str = "2026-11-29T17:02:00Z";
const T3: &str = "2026-11-29T17:03:00Z";
const T4: &str = "2026-11-29T17:04:00Z";

/// A few sign-offs through the CLI, so the index has been updated incrementally.
fn some_signoffs(f: &Fixture) {
    for (at, member, gate) in
        [(T1, "mtanaka", "intake"), (T2, "tokafor", "data-provenance"), (T3, "lgarcia", "licensing")]
    {
        let model = if gate == "intake" { "switch-c-1.6t" } else { "tpc-science-34b" };
        signoff(f, at, member, model, gate);
    }
    f.assert_fsck_clean();
}

/// One approval through the CLI, checked as one well-formed commit.
fn signoff(f: &Fixture, at: &str, member: &str, model: &str, gate: &str) {
    let before = f.main();
    f.signoff_at(at, member, model, gate, "approve").ok();
    let new = f.commits_since(&before);
    assert_eq!(new.len(), 1, "a sign-off is one commit");
    f.assert_signoff_commit(&new[0], member, model, gate, "approve");
}

fn remove_index(f: &Fixture) {
    let path = f.index_path();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let p = format!("{}{suffix}", path.display());
        if std::path::Path::new(&p).exists() {
            std::fs::remove_file(&p).expect("remove index file");
        }
    }
    assert!(!path.exists(), "the index is gone");
}

/// The index as a fresh rebuild from history makes it.
fn rebuilt(f: &Fixture) -> IndexDump {
    let r = f.gh(&["index", "--rebuild"]).ok();
    assert!(r.stdout.starts_with("Rebuilt the index from"), "index --rebuild reports a rebuild: {}", r.stdout);
    f.index_dump()
}

#[test]
fn deleting_the_index_loses_nothing() {
    let f = Fixture::sample();
    some_signoffs(&f);
    let status = f.status_json();
    let search = f.gh(&["--json", "search", "adversarial"]).ok().json();
    let dump = f.index_dump();
    remove_index(&f);

    assert_eq!(f.status_json(), status, "status --json is identical after deleting the index");
    assert!(f.index_path().exists(), "the next command rebuilt the index");
    assert_index_eq(&dump, &f.index_dump(), "rebuilt after deletion");
    assert_eq!(
        f.gh(&["--json", "search", "adversarial"]).ok().json(),
        search,
        "search finds the same documents after the rebuild"
    );
}

#[test]
fn a_record_packed_by_git_rebuilds_to_the_same_index() {
    // The rebuild reads packed objects out of git's pack files itself, loose ones through
    // libgit2: the index must not depend on which, nor on how git stored the deltas.
    let f = Fixture::sample();
    some_signoffs(&f);
    let loose = rebuilt(&f);
    f.git_ok(&["gc", "-q"]);
    let packs = std::fs::read_dir(f.repo.join(".git/objects/pack")).unwrap().count();
    assert!(packs >= 2, "git gc wrote a pack and its index");
    assert_index_eq(&loose, &rebuilt(&f), "rebuilt from a pack with deltas by offset");
    f.git_ok(&["-c", "repack.useDeltaBaseOffset=false", "repack", "-a", "-d", "-f", "-q"]);
    assert_index_eq(&loose, &rebuilt(&f), "rebuilt from a pack with deltas by id");
    f.assert_fsck_clean();
}

#[test]
fn a_garbage_index_is_rebuilt_and_nothing_is_lost() {
    let f = Fixture::sample();
    some_signoffs(&f);
    let status = f.status_json();
    let dump = f.index_dump();
    let garbage: Vec<u8> = (0..64 * 1024u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    std::fs::write(f.index_path(), &garbage).expect("overwrite the index with garbage");

    let r = f.gh(&["--json", "status"]);
    assert_eq!(r.code, 0, "status works on a garbage index: {}", r.stderr);
    assert_eq!(r.json(), status, "status --json is identical after the rebuild");
    assert_index_eq(&dump, &f.index_dump(), "rebuilt after garbage");

    // A writing command works on a damaged index too.
    std::fs::write(f.index_path(), &garbage).expect("overwrite the index again");
    signoff(&f, T4, "nbrunner", "tpc-science-34b", "licensing");
    f.assert_fsck_clean();
    let (state, approvals, ..) = f.gate_state("tpc-science-34b", "licensing");
    assert_eq!((state.as_str(), approvals), ("passed", 2), "the index knows the new sign-off");
    let current = f.index_dump();
    assert_index_eq(&rebuilt(&f), &current, "index after a write on a garbage index");
}

#[test]
fn a_truncated_index_is_rebuilt() {
    let f = Fixture::sample();
    some_signoffs(&f);
    let status = f.status_json();
    checkpoint(&f);
    let len = std::fs::metadata(f.index_path()).expect("index").len();
    let file = std::fs::OpenOptions::new().write(true).open(f.index_path()).expect("open");
    file.set_len(len / 3).expect("truncate");
    drop(file);
    let r = f.gh(&["--json", "status"]);
    assert_eq!(r.code, 0, "status works on a truncated index: {}", r.stderr);
    assert_eq!(r.json(), status, "status --json is identical");
}

/// Moves everything from the WAL into the database file, so that the file is the index.
fn checkpoint(f: &Fixture) {
    let conn = rusqlite::Connection::open(f.index_path()).expect("open index");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).expect("checkpoint");
    drop(conn);
}

/// Overwrites the first page of `table`'s b-tree with garbage, keeping the file's header and
/// size: the kind of damage a torn write or a bad disk leaves.
fn damage_table(f: &Fixture, table: &str) {
    checkpoint(f);
    let conn = rusqlite::Connection::open(f.index_path()).expect("open index");
    let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).expect("page size");
    let root: i64 = conn
        .query_row("SELECT rootpage FROM sqlite_master WHERE name = ?1", [table], |r| r.get(0))
        .expect("the table's root page");
    drop(conn);
    assert!(root > 1, "{table} is not on the header page");
    let mut file = std::fs::OpenOptions::new().write(true).open(f.index_path()).expect("open index file");
    file.seek(SeekFrom::Start(((root - 1) * page_size) as u64)).expect("seek");
    file.write_all(&vec![0xA5u8; page_size as usize]).expect("write garbage");
}

#[test]

fn a_damaged_page_in_the_index_is_rebuilt_not_fatal() {
    let f = Fixture::sample();
    some_signoffs(&f);
    let status = f.status_json();
    damage_table(&f, "gate_states");
    let r = f.gh(&["--json", "status"]);
    assert_eq!(r.code, 0, "the index is rebuilt when corrupt; status must still work\n{}", r.stderr);
    assert_eq!(r.json(), status, "status --json is identical after the rebuild");
}

#[test]

fn a_damaged_search_table_is_rebuilt_not_fatal() {
    let f = Fixture::sample();
    let hits = f.gh(&["--json", "search", "adversarial"]).ok().json();
    damage_table(&f, "docs_data");
    let r = f.gh(&["--json", "search", "adversarial"]);
    assert_eq!(r.code, 0, "the index is rebuilt when corrupt; search must still work\n{}", r.stderr);
    assert_eq!(r.json(), hits, "the same hits after the rebuild");
}

#[test]
fn a_commit_made_with_plain_git_is_indexed_incrementally() {
    let f = Fixture::sample();
    signoff(&f, T1, "mtanaka", "baseline-1.4b", "intake");
    let up = f.gh(&["index"]).ok();
    assert_eq!(up.stdout.trim(), "The index is up to date.", "the CLI sign-off was indexed");

    std::fs::write(f.repo.join("README.md"), "# Sample consortium\n\nA readme.\n").expect("write README");
    let member = f.member("akeller");
    let commit = f.commit_as(&member.name, &member.email, "Add a README\n");
    f.assert_fsck_clean();
    assert_eq!(f.trailers(&commit), vec![], "a plain commit carries no action trailers");

    let r = f.gh(&["index"]).ok();
    assert!(
        r.stdout.contains("Indexed 1 new commit"),
        "the index picks up exactly the one plain-git commit: {}",
        r.stdout
    );
    let r = f.gh(&["--json", "index"]).ok().json();
    assert_eq!(r["kind"], "up-to-date", "and then it is up to date: {r}");

    let dump = f.index_dump();
    let row = dump["commits"]
        .iter()
        .find(|row| row.contains(&commit))
        .unwrap_or_else(|| panic!("the commits table has the plain-git commit {commit}"));
    assert!(row.contains("Add a README"), "with its summary: {row}");
    assert!(row.contains(&member.email), "and its author: {row}");
    assert_eq!(f.status_json()["head"], commit, "status describes the new tip");
    assert_index_eq(&rebuilt(&f), &dump, "incremental index after a plain-git commit");
}

#[test]
fn rewriting_main_makes_the_index_rebuild() {
    let f = Fixture::sample();
    let original = f.main();
    let status_original = f.status_json();
    some_signoffs(&f);
    assert_eq!(f.commits_since(&original).len(), 3, "three sign-offs");
    let dropped = f.commits_since(&original);

    f.git(&["reset", "-q", "--hard", "HEAD~3"]).ok();
    assert_eq!(f.main(), original, "main is back where it was");
    signoff(&f, T4, "akeller", "baseline-1.4b", "intake");
    f.assert_fsck_clean();
    f.assert_worktree_clean();

    let dump = f.index_dump();
    for c in &dropped {
        assert!(
            !dump["commits"].iter().any(|row| row.contains(c.as_str())),
            "the index forgot commit {c}, which main no longer has"
        );
    }
    assert!(
        !dump["signoffs"].iter().any(|row| row.contains("2026-11-29T17:0") && !row.contains("akeller")),
        "the index forgot the dropped sign-offs"
    );
    let status = f.status_json();
    assert_eq!(
        status["models"].as_array().expect("models").iter().filter(|m| m["id"] != "baseline-1.4b").collect::<Vec<_>>(),
        status_original["models"]
            .as_array()
            .expect("models")
            .iter()
            .filter(|m| m["id"] != "baseline-1.4b")
            .collect::<Vec<_>>(),
        "models other than baseline-1.4b are as in the original sample"
    );
    assert_eq!(common::gate_of(&status, "baseline-1.4b", "intake").0, "passed", "the new sign-off counts");
    assert_index_eq(&rebuilt(&f), &dump, "index after main was rewritten");
}

// ---- proposals -------------------------------------------------------------------------------

use common::proposals::{day, SAFETY};

/// Six of the sample's eight voting members: its quorum of 2/3.
const SIX: [&str; 6] = ["rvance", "tokafor", "hsato", "mtanaka", "jferrer", "nbrunner"];

/// What the proposal commands print at `at`, as JSON: the list, each proposal's page, and the
/// inbox of a voting member who objects and one who has not voted. Rendered HTML is left out:
/// the sanitizer may order an element's attributes differently from one process to the next.
fn proposal_outputs(f: &Fixture, at: &str, ids: &[&str]) -> Vec<serde_json::Value> {
    let mut out = vec![f.gh_at(at, &["--json", "proposals"]).ok().json()];
    for id in ids {
        out.push(f.proposal_json(at, id));
    }
    for member in ["tokafor", "lgarcia"] {
        out.push(f.gh_at(at, &["--json", "--as", member, "inbox"]).ok().json());
    }
    out.iter_mut().for_each(without_html);
    out
}

fn without_html(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            map.retain(|k, _| !k.ends_with("_html"));
            map.values_mut().for_each(without_html);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(without_html),
        _ => {}
    }
}

/// The incrementally updated index, and what the commands print from it, are exactly what a
/// rebuild from history gives.
fn assert_same_as_rebuilt(f: &Fixture, at: &str, ids: &[&str], what: &str) {
    let before = proposal_outputs(f, at, ids);
    let dump = f.index_dump();
    let fresh = rebuilt(f);
    assert_index_eq(&fresh, &dump, what);
    assert_eq!(proposal_outputs(f, at, ids), before, "{what}: the commands print the same after a rebuild");
}

#[test]
fn proposals_kept_up_incrementally_equal_a_rebuild_through_propose_vote_revise_and_accept() {
    let f = Fixture::sample();
    let ids = ["watermarks", "charter"];
    let watermark = f.safety_with_item("watermark", "Outputs carry a watermark.");
    f.propose_file(&day(1, 9), "akeller", "watermarks", SAFETY, &watermark).ok();
    let charter = f.main_text("policies/charter.md") + "\nMembers meet twice a year.\n";
    let charter = f.draft("charter.md", &charter);
    f.propose_file(&day(1, 10), "hsato", "charter", "policies/charter.md", &charter).ok();
    assert_same_as_rebuilt(&f, &day(1, 11), &ids, "after two proposals");

    f.approve_by(2, "watermarks", &SIX);
    f.vote_at(&day(2, 8), "tokafor", "charter", "object", "Twice is too often.").ok();
    f.vote_at(&day(2, 9), "rvance", "charter", "approve", "").ok();
    let list = f.gh_at(&day(3, 0), &["--json", "proposals"]).ok().json();
    let w = list["proposals"].as_array().unwrap().iter().find(|p| p["id"] == "watermarks").unwrap().clone();
    assert_eq!((w["approvals"].as_u64(), w["needed"].as_u64()), (Some(6), Some(6)), "the votes are indexed: {w}");
    assert_eq!(w["period_ends"], day(9, 6), "the period runs from the sixth approval");
    assert_same_as_rebuilt(&f, &day(3, 0), &ids, "after votes and an objection");

    // A revision makes every vote outdated; the members vote again and the objection is lifted.
    let second = f.safety_with_last_item("watermark", "Outputs carry a watermark.");
    f.gh_at(&day(3, 9), &["--as", "akeller", "revise", "watermarks", "--change", &format!("{SAFETY}={second}")]).ok();
    let shown = f.proposal_json(&day(3, 10), "watermarks");
    assert_eq!(shown["deliberation"]["outdated"].as_array().unwrap().len(), 6, "{shown:#}");
    assert_same_as_rebuilt(&f, &day(3, 10), &ids, "after a revision");
    f.approve_by(4, "watermarks", &SIX);
    f.vote_at(&day(4, 10), "tokafor", "charter", "abstain", "Fine after all.").ok();
    assert_same_as_rebuilt(&f, &day(5, 0), &ids, "after voting again and lifting the objection");

    f.gh_at(&day(11, 7), &["--as", "lgarcia", "accept", "watermarks"]).ok();
    let list = f.gh_at(&day(11, 8), &["--json", "proposals"]).ok().json();
    let w = list["proposals"].as_array().unwrap().iter().find(|p| p["id"] == "watermarks").unwrap().clone();
    assert_eq!(w["state"], "accepted", "{w}");
    assert_same_as_rebuilt(&f, &day(11, 8), &ids, "after an accept");
}

#[test]
fn a_vote_committed_with_plain_git_is_picked_up_incrementally() {
    let f = Fixture::sample();
    let watermark = f.safety_with_item("watermark", "Outputs carry a watermark.");
    f.propose_file(&day(1, 9), "akeller", "watermarks", SAFETY, &watermark).ok();
    f.approve_by(2, "watermarks", &SIX);
    f.vote_at(&day(2, 7), "lgarcia", "watermarks", "approve", "").ok();
    let shown = f.proposal_json(&day(3, 0), "watermarks");
    assert_eq!(shown["deliberation"]["period_started"], day(2, 6), "the sixth approval reached the quorum");
    let up = f.gh(&["index"]).ok();
    assert_eq!(up.stdout.trim(), "The index is up to date.");
    let subject = shown["subject"].as_str().unwrap().to_string();
    let path = f.repo.join("proposals/watermarks/votes/lgarcia.toml");
    let approval = std::fs::read_to_string(&path).unwrap();
    let objection =
        format!("vote = \"object\"\nsubject = \"{subject}\"\nat = \"{}\"\ncomment = \"Not yet.\"\n", day(3, 1));
    let lg = f.member("lgarcia");

    // Two plain commits before the next refresh: lgarcia objects, then puts her approval back
    // byte for byte. The files end as they were, but the objection happened in between, and
    // the comment period is judged on every version of the votes.
    std::fs::write(&path, &objection).unwrap();
    f.commit_as(&lg.name, &lg.email, "Object to watermarks\n");
    std::fs::write(&path, &approval).unwrap();
    f.commit_as(&lg.name, &lg.email, "Approve watermarks after all\n");
    let r = f.gh(&["index"]).ok();
    assert!(r.stdout.contains("Indexed 2 new commit"), "{}", r.stdout);
    assert_same_as_rebuilt(&f, &day(4, 0), &["watermarks"], "after a vote changed and changed back by hand");
    let shown = f.proposal_json(&day(4, 0), "watermarks");
    assert_ne!(shown["deliberation"]["period_started"], day(2, 6), "the objection in between counts: {shown:#}");

    // Now she objects with plain git, one commit.
    std::fs::write(&path, &objection).unwrap();
    let commit = f.commit_as(&lg.name, &lg.email, "Object to watermarks\n");
    let r = f.gh(&["index"]).ok();
    assert!(r.stdout.contains("Indexed 1 new commit"), "{}", r.stdout);
    let summary = f.proposal_summary(&day(4, 0), "watermarks");
    assert_eq!(summary["objections"], serde_json::json!(["lgarcia"]), "the hand-made objection is indexed: {summary}");
    assert_eq!(summary["period_ends"], serde_json::Value::Null, "an objection stops the period");
    let shown = f.proposal_json(&day(20, 0), "watermarks");
    assert_eq!(shown["accept"]["code"], "standing-objection", "{shown:#}");
    assert_eq!(shown["head"], commit.as_str());
    assert_same_as_rebuilt(&f, &day(4, 0), &["watermarks"], "after a plain-git vote");
}

#[test]
fn a_sign_off_file_missing_from_git_fails_the_rebuild_and_names_it() {
    // The rebuild reads every sign-off file on one thread while another waits to parse them:
    // a file that cannot be read must end the rebuild with an error that names it, not leave
    // the other thread waiting. `git fsck` would report the same object missing.
    let f = Fixture::sample();
    signoff(&f, T1, "mtanaka", "switch-c-1.6t", "intake");
    let path = f.signoff_of("switch-c-1.6t", "intake", "mtanaka");
    let blob = f.git_ok(&["rev-parse", &format!("refs/heads/main:{path}")]);
    let loose = f.repo.join(".git/objects").join(&blob[..2]).join(&blob[2..]);
    assert!(loose.exists(), "a sign-off just made is a loose object: {}", loose.display());
    std::fs::remove_file(&loose).expect("remove the sign-off's blob");

    let mut child =
        f.gh_command_at(T2, &["index", "--rebuild"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("the rebuild still runs after a minute: a reading thread waits for files never read");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "a rebuild that could not read a sign-off fails; stderr: {stderr}");
    assert!(stderr.contains(&blob), "the error names the missing object {blob}: {stderr}");
}
