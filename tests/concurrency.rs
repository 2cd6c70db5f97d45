//! Many reviewers at once: sixteen, then thirty-two `gatehouse signoff` processes started
//! together on one repository must all land on main, each as its own commit, with nothing lost.

mod common;

use std::collections::BTreeSet;
use std::process::Stdio;

use common::{assert_index_eq, signoff_args, signoffs_dir, Fixture, AT, STAMP};

/// (member, gate) on switch-c-1.6t, each allowed: the member holds the gate's role and, on
/// independent gates, is not from riken (the model's organisation).
const SIGNOFFS: &[(&str, &str)] = &[
    ("rvance", "intake"),
    ("mtanaka", "intake"),
    ("akeller", "intake"),
    ("rvance", "licensing"),
    ("hsato", "licensing"),
    ("lgarcia", "licensing"),
    ("nbrunner", "licensing"),
    ("tokafor", "data-provenance"),
    ("mtanaka", "data-provenance"),
    ("lgarcia", "data-provenance"),
    ("nbrunner", "data-provenance"),
    ("tokafor", "deployment"),
    ("mtanaka", "deployment"),
    ("jferrer", "deployment"),
    ("tokafor", "reproducibility"),
    ("jferrer", "reproducibility"),
];

const MODEL: &str = "switch-c-1.6t";

/// One racing sign-off: who, which gate, the time it records and that time's stamp.
type Racer = (&'static str, &'static str, String, String);

/// The sixteen sign-offs, all at `AT`.
fn sixteen() -> Vec<Racer> {
    SIGNOFFS.iter().map(|(m, g)| (*m, *g, AT.to_string(), STAMP.to_string())).collect()
}

#[test]
fn sixteen_simultaneous_signoffs_all_land() {
    let f = Fixture::sample();
    f.gh(&["status"]).ok(); // the index exists before the race, as it would in use
    race(&f, &sixteen());
}

#[test]
fn sixteen_simultaneous_signoffs_on_a_repository_without_an_index_all_land() {
    let f = Fixture::sample();
    assert!(!f.index_path().exists(), "a fresh sample has no index yet");
    // All sixteen create and fill the index while racing for main.
    race(&f, &sixteen());
}

/// Thirty-two processes, each with its own `--at` (so its own file name); every member and
/// gate pair of the sixteen signs twice, at different seconds, which the rules allow.
#[test]
fn thirty_two_simultaneous_signoffs_all_land_in_one_linear_history() {
    let f = Fixture::sample();
    f.gh(&["status"]).ok();
    let racers: Vec<Racer> = (0..32)
        .map(|i| {
            let (member, gate) = SIGNOFFS[i % SIGNOFFS.len()];
            (member, gate, format!("2026-11-29T18:00:{i:02}Z"), format!("20261129T1800{i:02}Z"))
        })
        .collect();
    let start = f.main();
    race(&f, &racers);

    // As an outside client sees it: `git log` lists all 32, each with exactly one parent, each
    // the child of the one before, back to where the race started.
    let log = f.git_ok(&["log", "--format=%H %P", &format!("{start}..refs/heads/main")]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 32, "git log must show all 32 sign-off commits on main: a lost one is a lost review");
    let mut expected_child_of = f.main();
    for line in &lines {
        let ids: Vec<&str> = line.split(' ').collect();
        assert_eq!(ids.len(), 2, "each sign-off commit has exactly one parent (a linear record, no merges): {line}");
        assert_eq!(
            ids[0], expected_child_of,
            "the history is one chain: each commit is the parent of the one after it"
        );
        expected_child_of = ids[1].to_string();
    }
    assert_eq!(expected_child_of, start, "the chain of 32 starts at the tip main had before the race");
}

fn race(f: &Fixture, racers: &[Racer]) {
    let n = racers.len();
    let distinct: BTreeSet<_> = racers.iter().map(|(m, g, _, s)| (m, g, s)).collect();
    assert_eq!(distinct.len(), n, "each racer writes a file of its own (member, gate, stamp)");

    let start = f.main();
    let head_before = f.main();

    // Start them all before waiting for any.
    let children: Vec<_> = racers
        .iter()
        .map(|(member, gate, at, _)| {
            let rest = ["--item", "all=done", "--comment", "concurrent review"];
            let mut cmd = f.gh_command_at(at, &signoff_args(member, MODEL, gate, "approve", &rest));
            cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
            let child = cmd.spawn().expect("start gatehouse signoff");
            (member, gate, child)
        })
        .collect();
    for (member, gate, child) in children {
        let out = child.wait_with_output().expect("wait for gatehouse signoff");
        assert!(
            out.status.success(),
            "{member}'s sign-off on {gate} must succeed despite the others racing it (exit {:?})\n{}\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let new = f.commits_since(&start);
    assert_eq!(new.len(), n, "main has exactly one more commit per sign-off: none lost, none doubled");
    let linear = f.git_ok(&["rev-list", "--min-parents=2", &format!("{start}..refs/heads/main")]);
    assert_eq!(linear, "", "writers that lost the race must rebuild on the new tip, keeping history linear: no merges");

    // Every sign-off is there once: a file each, a commit each.
    let mut seen = BTreeSet::new();
    for commit in &new {
        let trailers = f.trailers(commit);
        let get = |k: &str| {
            trailers
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("commit {commit} must carry trailer {k}: it says whose sign-off this is"))
        };
        let (member, gate) = (get("Gatehouse-Member"), get("Gatehouse-Gate"));
        f.assert_signoff_commit(commit, &member, MODEL, &gate, "approve");
        let added = f.git_ok(&["show", "--name-status", "--format=", commit]);
        assert!(
            seen.insert(added.clone()),
            "{member}'s sign-off on {gate} ({added}) was committed twice: a writer that lost the race must not also land"
        );
        let ours = racers.iter().any(|(m, g, _, stamp)| {
            *m == member && *g == gate && added == format!("A\t{}/{gate}/{stamp}-{member}.toml", signoffs_dir(MODEL))
        });
        assert!(ours, "commit {commit} adds exactly one racer's own file, nothing else: {added}");
    }
    for (member, gate, _, stamp) in racers {
        let path = format!("{}/{gate}/{stamp}-{member}.toml", signoffs_dir(MODEL));
        assert!(
            f.git(&["cat-file", "-e", &format!("refs/heads/main:{path}")]).code == 0,
            "{path} must be in main's tree: its sign-off must not be lost"
        );
        assert!(f.repo.join(&path).is_file(), "{path} must be in the work tree, which follows main");
    }

    f.assert_fsck_clean();
    f.assert_worktree_clean();

    // The index kept up with all of it: it equals one rebuilt from history.
    let status_after = f.status_json();
    assert_eq!(
        status_after["head"],
        f.main(),
        "status must describe the new tip of main, or readers see a record without the racers' sign-offs"
    );
    assert_ne!(status_after["head"], head_before, "the head must have moved: the race wrote something");
    let incremental = f.index_dump();
    let r = f.gh(&["index", "--rebuild"]).ok();
    assert!(
        r.stdout.contains("Rebuilt"),
        "index --rebuild must say it rebuilt, so the comparison is against a fresh index: {}",
        r.stdout
    );
    let rebuilt = f.index_dump();
    assert_index_eq(
        &rebuilt,
        &incremental,
        &format!("the index after {n} racing writers must equal one rebuilt from main"),
    );
    assert_eq!(
        status_after,
        f.status_json(),
        "status must be the same from the incremental and the rebuilt index: the cache adds and loses nothing"
    );

    let (code, report) = f.verify();
    assert_eq!(code, 0, "the raced history must verify clean: racing writers must not produce commits that breach the contract: {report}");
}

/// A sign-off that finds the index held by another writer, on an index that is not yet in WAL
/// mode (a fresh one being created, or one left by an older build), waits its turn instead of
/// failing: SQLite declines to wait by itself when waiting could deadlock, so Gatehouse must.
#[test]
fn a_signoff_waits_for_an_index_another_process_is_writing() {
    let f = Fixture::sample();
    std::fs::create_dir_all(f.index_path().parent().unwrap()).unwrap();
    let holder = rusqlite::Connection::open(f.index_path()).unwrap();
    holder.pragma_update(None, "journal_mode", "DELETE").unwrap();
    holder.execute_batch("BEGIN IMMEDIATE; CREATE TABLE busy(x); INSERT INTO busy VALUES (1);").unwrap();
    let start = f.main();
    let rest = ["--item", "all=done", "--comment", "while the index was busy"];
    let mut cmd = f.gh_command_at(AT, &signoff_args("rvance", MODEL, "intake", "approve", &rest));
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let child = cmd.spawn().expect("start gatehouse signoff");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    holder.execute_batch("COMMIT;").unwrap();
    drop(holder);
    let out = child.wait_with_output().expect("wait for gatehouse signoff");
    assert!(
        out.status.success(),
        "the sign-off must wait for the other writer and then land (exit {:?})\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(f.commits_since(&start).len(), 1, "exactly one sign-off commit landed");
}
