//! The SQLite index at .git/gatehouse/index.sqlite is a cache of main: deleting or damaging it
//! loses nothing, plain-git commits are picked up incrementally, and a rewritten main makes
//! it rebuild.

mod common;

use std::io::{Seek, SeekFrom, Write};

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
