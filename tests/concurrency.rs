//! Many reviewers at once: sixteen `gatehouse signoff` processes started together on one
//! repository must all land on main, each as its own commit, with nothing lost.

mod common;

use std::collections::BTreeSet;
use std::process::Stdio;

use common::{assert_index_eq, Fixture, AT, STAMP};

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

#[test]
fn sixteen_simultaneous_signoffs_all_land() {
    let f = Fixture::sample();
    f.gh(&["status"]).ok(); // the index exists before the race, as it would in use
    race(&f);
}

#[test]
fn sixteen_simultaneous_signoffs_on_a_repository_without_an_index_all_land() {
    let f = Fixture::sample();
    assert!(!f.index_path().exists(), "a fresh sample has no index yet");
    // All sixteen create and fill the index while racing for main.
    race(&f);
}

fn race(f: &Fixture) {
    assert_eq!(SIGNOFFS.len(), 16, "the scenario is sixteen distinct sign-offs");
    let distinct: BTreeSet<_> = SIGNOFFS.iter().collect();
    assert_eq!(distinct.len(), 16, "each (member, gate) pair is different");

    let start = f.main();
    let head_before = f.main();

    // Start all sixteen before waiting for any.
    let children: Vec<_> = SIGNOFFS
        .iter()
        .map(|(member, gate)| {
            let mut cmd = f.gh_command_at(
                AT,
                &[
                    "--as",
                    member,
                    "signoff",
                    "--model",
                    MODEL,
                    "--gate",
                    gate,
                    "--decision",
                    "approve",
                    "--item",
                    "all=done",
                    "--comment",
                    "concurrent review",
                ],
            );
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
    assert_eq!(new.len(), 16, "main has exactly sixteen more commits, one per sign-off");
    let linear = f.git_ok(&["rev-list", "--min-parents=2", &format!("{start}..refs/heads/main")]);
    assert_eq!(linear, "", "writers rebuild on the new tip: no merges");

    // Every sign-off is there once: a file each, a commit each.
    let mut seen = BTreeSet::new();
    for commit in &new {
        let trailers = f.trailers(commit);
        let get = |k: &str| {
            trailers
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("commit {commit} has trailer {k}"))
        };
        let (member, gate) = (get("Gatehouse-Member"), get("Gatehouse-Gate"));
        f.assert_signoff_commit(commit, &member, MODEL, &gate, "approve");
        assert!(seen.insert((member.clone(), gate.clone())), "{member}'s sign-off on {gate} was committed twice");
        let path = format!("signoffs/{MODEL}/{gate}/{STAMP}-{member}.toml");
        let added = f.git_ok(&["show", "--name-status", "--format=", commit]);
        assert_eq!(added, format!("A\t{path}"), "commit {commit} adds exactly its own file");
    }
    for (member, gate) in SIGNOFFS {
        let path = format!("signoffs/{MODEL}/{gate}/{STAMP}-{member}.toml");
        assert!(f.git(&["cat-file", "-e", &format!("refs/heads/main:{path}")]).code == 0, "{path} is in main's tree");
        assert!(f.repo.join(&path).is_file(), "{path} is in the work tree");
    }

    f.assert_fsck_clean();
    f.assert_worktree_clean();

    // The index kept up with all of it: it equals one rebuilt from history.
    let status_after = f.status_json();
    assert_eq!(status_after["head"], f.main(), "status describes the new tip of main");
    assert_ne!(status_after["head"], head_before, "the head moved");
    let incremental = f.index_dump();
    let r = f.gh(&["index", "--rebuild"]).ok();
    assert!(r.stdout.contains("Rebuilt"), "index --rebuild says it rebuilt: {}", r.stdout);
    let rebuilt = f.index_dump();
    assert_index_eq(&rebuilt, &incremental, "the index after sixteen racing writers");
    assert_eq!(status_after, f.status_json(), "status is the same from the incremental and the rebuilt index");

    let (code, report) = f.verify();
    assert_eq!(code, 0, "the raced history verifies clean: {report}");
}
