//! A checked-out work tree of 25,000 files follows every action's commit the way a checkout by
//! git would leave it: after each action `git status`, `git diff --cached` and `git diff` are
//! empty, git's index holds the written file's exact stat data (so git trusts it without
//! hashing it, and `git diff-files`, which never re-hashes, lists nothing), the index's cached
//! tree is `main`'s tree, and `git fsck` is clean. A user's own change is never overwritten.
#![cfg(unix)]

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use common::proposals::{day, SAFETY};
use common::{signoff_args, Fixture};
use gatehouse::gitindex::{IndexFile, Parsed};

/// Files committed beside the record, in a folder Gatehouse does not read.
const FILES: usize = 25_000;

fn big_fixture() -> Fixture {
    let f = Fixture::sample();
    for i in 0..FILES {
        let path = f.repo.join(format!("archive/{:03}/{i:05}.txt", i / 100));
        if i % 100 == 0 {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        }
        std::fs::write(&path, format!("archived file {i}\n")).unwrap();
    }
    f.commit_as("Archivist", "archivist@tests.invalid", "Archive 25,000 files beside the record\n");
    // Packed, as a clone would have them: git fsck checks a pack much faster than 25,000 loose objects.
    f.git(&["repack", "-adq"]).ok();
    assert!(f.git_ok(&["ls-files"]).lines().count() > FILES, "git's index holds the 25,000 files");
    f
}

/// The (ctime, mtime, dev, ino, uid, gid, size) `git ls-files --debug` shows for `path`.
fn index_stat(f: &Fixture, path: &str) -> Vec<u64> {
    let out = f.git_ok(&["ls-files", "--debug", "--", path]);
    let mut values = Vec::new();
    for word in out.split_whitespace().skip(1) {
        for part in word.split(':') {
            if let Ok(n) = part.parse::<u64>() {
                values.push(n);
            }
        }
    }
    // ctime s:ns, mtime s:ns, dev, ino, uid, gid, size, flags.
    assert_eq!(values.len(), 10, "git ls-files --debug shows the stat data of {path}: {out}");
    values[..9].to_vec()
}

fn disk_stat(path: &Path) -> Vec<u64> {
    let m = std::fs::symlink_metadata(path).expect("the file is on disk");
    let low = |n: i64| u64::from(n as u32);
    vec![
        low(m.ctime()),
        low(m.ctime_nsec()),
        low(m.mtime()),
        low(m.mtime_nsec()),
        u64::from(m.dev() as u32),
        u64::from(m.ino() as u32),
        u64::from(m.uid()),
        u64::from(m.gid()),
        u64::from(m.size() as u32),
    ]
}

/// Everything a user would check after an action that wrote or removed `paths` on main.
fn assert_in_step(f: &Fixture, what: &str, paths: &[String]) {
    for path in paths {
        let on_disk = f.repo.join(path);
        let committed = f.git(&["cat-file", "blob", &format!("main:{path}")]);
        if committed.code == 0 {
            let bytes = std::fs::read(&on_disk).unwrap_or_else(|e| panic!("{what}: {path} is in the work tree: {e}"));
            let want = f.git_ok(&["rev-parse", &format!("main:{path}")]);
            let got = f.git_ok(&["hash-object", "--", path]);
            assert_eq!(got, want, "{what}: {path} holds the committed bytes ({} bytes on disk)", bytes.len());
            // Before any git command refreshes the index: the entry is the file's own lstat.
            assert_eq!(index_stat(f, path), disk_stat(&on_disk), "{what}: git's index has {path}'s stat data");
        } else {
            assert!(!on_disk.exists(), "{what}: {path}, removed on main, is gone from the work tree");
        }
    }
    // diff-files compares stat data and re-hashes nothing but racily clean files: a wrong stat
    // anywhere in the 25,000 entries shows here.
    assert_eq!(f.git_ok(&["diff-files", "--name-only"]), "", "{what}: no entry's stat data is off");
    let bytes = std::fs::read(f.repo.join(".git/index")).unwrap();
    let Parsed::Plain(index) = IndexFile::parse(bytes) else {
        panic!("{what}: git's index is still a plain version 2 index");
    };
    assert_eq!(
        index.cached_root().map(|id| id.to_string()),
        Some(f.git_ok(&["rev-parse", "main^{tree}"])),
        "{what}: the index's cached tree is main's tree, so git commit and status keep their shortcut"
    );
    f.assert_worktree_clean();
    assert_eq!(f.git(&["diff", "--cached", "--quiet"]).code, 0, "{what}: git diff --cached is empty");
    assert_eq!(f.git(&["diff", "--quiet"]).code, 0, "{what}: git diff is empty");
    assert_eq!(f.git_ok(&["write-tree"]), f.git_ok(&["rev-parse", "main^{tree}"]), "{what}: the index is main's tree");
    f.assert_fsck_clean();
}

/// The paths the last commit on main changed.
fn changed_by_tip(f: &Fixture) -> Vec<String> {
    f.git_ok(&["diff-tree", "--no-commit-id", "--name-only", "-r", "-m", "--first-parent", "main"])
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_work_tree_of_25000_files_follows_every_action_with_git_seeing_nothing_to_do() {
    let f = big_fixture();
    assert_in_step(&f, "before any action", &[]);

    let model = "tpc-science-34b";
    f.gh_at("2026-11-30T10:00:00Z", &signoff_args("rvance", model, "licensing", "approve", &["--item", "all=done"]))
        .ok();
    assert_in_step(&f, "a sign-off", &changed_by_tip(&f));

    let withdraw = ["--as", "rvance", "signoff", "--model", model, "--gate", "licensing", "--decision", "withdraw"];
    let mut args = withdraw.to_vec();
    args.extend(["--comment", "Signed the wrong revision."]);
    f.gh_at("2026-11-30T11:00:00Z", &args).ok();
    assert_in_step(&f, "a withdrawal", &changed_by_tip(&f));

    let card_text = f.main_text("models/baseline-1.4b/card.md");
    let card = f.draft("card.md", &format!("{card_text}\nOne more line.\n"));
    f.gh_at("2026-11-30T12:00:00Z", &["--as", "akeller", "model", "update", "baseline-1.4b", "--card", &card]).ok();
    assert_in_step(&f, "a model update", &changed_by_tip(&f));

    let evidence = f.draft("eval-notes.md", "# Evaluation notes\n");
    f.gh_at("2026-11-30T13:00:00Z", &["--as", "akeller", "model", "update", "baseline-1.4b", "--evidence", &evidence])
        .ok();
    assert_in_step(&f, "new evidence", &changed_by_tip(&f));

    let new_card = f.draft("new-card.md", &card_text);
    f.gh_at("2026-11-30T14:00:00Z", &["--as", "akeller", "model", "add", "archive-7b", "--card", &new_card]).ok();
    assert_in_step(&f, "a model added", &changed_by_tip(&f));

    // A proposal: its record, six votes, then the accept's merge.
    let draft = f.safety_with_item("watermark", "Outputs carry a watermark.");
    f.propose_file(&day(1, 9), "akeller", "watermarks", SAFETY, &draft).ok();
    assert_in_step(&f, "a proposal", &changed_by_tip(&f));
    f.approve_by(2, "watermarks", &["rvance", "tokafor", "hsato", "mtanaka", "jferrer", "nbrunner"]);
    assert_in_step(&f, "six votes", &changed_by_tip(&f));
    f.gh_at(&day(10, 0), &["--as", "akeller", "accept", "watermarks"]).ok();
    let accepted = changed_by_tip(&f);
    assert!(accepted.iter().any(|p| p == SAFETY), "the accept brings the changed checklist: {accepted:?}");
    assert!(f.main_text(SAFETY).contains("`watermark`"), "main has the accepted checklist");
    assert_in_step(&f, "an accept", &accepted);
}

#[test]
fn a_users_own_changes_are_kept_and_only_untouched_files_follow() {
    let f = big_fixture();
    let model = "tpc-science-34b";

    // An edit of a file no action touches: the work tree still follows, the edit stays.
    let mine = f.repo.join("archive/007/00700.txt");
    std::fs::write(&mine, "my own edit\n").unwrap();
    f.gh_at("2026-11-30T10:00:00Z", &signoff_args("rvance", model, "licensing", "approve", &["--item", "all=done"]))
        .ok();
    let signed = changed_by_tip(&f);
    assert!(f.repo.join(&signed[0]).is_file(), "the sign-off's file is in the work tree");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "my own edit\n", "the user's edit is kept");
    assert_eq!(
        f.git_ok(&["status", "--porcelain"]),
        "M archive/007/00700.txt",
        "git status shows the user's change and nothing else"
    );
    assert_eq!(f.git(&["diff", "--cached", "--quiet"]).code, 0, "nothing is staged");

    // An edit of the very file the next action changes: the commit lands, the file is left.
    let card_path = "models/baseline-1.4b/card.md";
    let card_text = f.main_text(card_path);
    std::fs::write(f.repo.join(card_path), format!("{card_text}\nMy draft paragraph.\n")).unwrap();
    let before = f.main();
    let card = f.draft("card.md", &format!("{card_text}\nThe owners' new line.\n"));
    f.gh_at("2026-11-30T11:00:00Z", &["--as", "akeller", "model", "update", "baseline-1.4b", "--card", &card]).ok();
    assert_eq!(f.commits_since(&before).len(), 1, "the update's commit lands on main");
    assert!(f.main_text(card_path).contains("The owners' new line."), "main has the owners' card");
    assert_eq!(
        std::fs::read_to_string(f.repo.join(card_path)).unwrap(),
        format!("{card_text}\nMy draft paragraph.\n"),
        "the user's draft in the work tree is not overwritten"
    );
    assert_eq!(f.git_ok(&["rev-parse", "HEAD"]), f.main(), "HEAD is main");

    // A staged change: git's index is the user's, so nothing of it or the work tree moves.
    f.git(&["reset", "-q", "--hard", "main"]).ok();
    std::fs::write(f.repo.join("archive/001/00100.txt"), "staged by me\n").unwrap();
    f.git(&["add", "archive/001/00100.txt"]).ok();
    let index_before = std::fs::read(f.repo.join(".git/index")).unwrap();
    let before = f.main();
    f.gh_at("2026-11-30T12:00:00Z", &signoff_args("rvance", model, "licensing", "approve", &["--item", "all=done"]))
        .ok();
    assert_eq!(f.commits_since(&before).len(), 1, "the sign-off's commit lands on main");
    let signed = changed_by_tip(&f);
    assert!(!f.repo.join(&signed[0]).exists(), "the work tree is left where the user has it");
    assert_eq!(std::fs::read(f.repo.join(".git/index")).unwrap(), index_before, "git's index is not touched");
    assert_eq!(
        f.git_ok(&["diff", "--cached", "--name-only", "HEAD~1"]),
        "archive/001/00100.txt",
        "the staged change is still staged, against the commit the index was made from"
    );
}

#[test]
fn a_racily_clean_entry_the_user_changed_is_not_hidden_by_the_new_index() {
    // The user changes a file in the same second git wrote the index that records it, keeping
    // its size: only git's racy rule (an entry as new as its index is checked by content)
    // shows the change. The action's new index is a second later, so it must mark that entry
    // for a check (size 0), as git's own writer does.
    let f = big_fixture();
    let path = "archive/003/00300.txt";
    let file = f.repo.join(path);
    let index_path = f.repo.join(".git/index");
    let secs = |p: &Path| {
        let m = std::fs::metadata(p).unwrap();
        (m.mtime(), m.ctime())
    };
    let mut raced = false;
    let original = std::fs::read_to_string(&file).unwrap();
    let edited = original.replace('3', "9");
    assert_eq!(edited.len(), original.len());
    for _ in 0..20 {
        // The committed content again, its stat data recorded by git (a refresh keeps the
        // index's cached tree: it still is main's tree), then
        // the user's edit of the same size.
        std::fs::write(&file, &original).unwrap();
        f.git(&["update-index", "-q", "--refresh"]);
        std::fs::write(&file, &edited).unwrap();
        let (mtime, ctime) = secs(&file);
        if mtime == ctime && mtime == secs(&index_path).0 {
            raced = true;
            break;
        }
    }
    assert!(raced, "the edit and git's index fell in the same second once in 20 tries");
    // The action writes its index in a later second.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let model = "tpc-science-34b";
    f.gh_at("2026-11-30T10:00:00Z", &signoff_args("rvance", model, "licensing", "approve", &["--item", "all=done"]))
        .ok();
    let status = f.git_ok(&["status", "--porcelain"]);
    assert_eq!(status, format!("M {path}"), "git still sees the user's edit");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), edited, "the edit is kept");
}

#[test]
fn an_index_in_another_form_is_still_followed_whole() {
    // Version 4 (what `feature.manyFiles` turns on) is left to libgit2, which reads and writes
    // it whole; an index without a checksum (`index.skipHash`) is patched like any other.
    let f = Fixture::sample();
    let model = "tpc-science-34b";
    // libgit2 reads no split index, which init turns on: this is about the forms it reads.
    f.git(&["config", "core.splitIndex", "false"]).ok();
    f.git(&["update-index", "--no-split-index", "--index-version", "4"]).ok();
    f.gh_at("2026-11-30T10:00:00Z", &signoff_args("rvance", model, "licensing", "approve", &["--item", "all=done"]))
        .ok();
    let written = changed_by_tip(&f);
    assert!(f.repo.join(&written[0]).is_file(), "the sign-off's file is in the work tree");
    assert_eq!(f.git_ok(&["update-index", "--show-index-version"]), "4", "the index keeps its version");
    f.assert_worktree_clean();
    assert_eq!(f.git(&["diff", "--cached", "--quiet"]).code, 0, "git diff --cached is empty");

    f.git(&["update-index", "--index-version", "2"]).ok();
    f.git(&["config", "index.skipHash", "true"]).ok();
    f.git(&["update-index", "--really-refresh"]);
    f.gh_at("2026-11-30T11:00:00Z", &signoff_args("hsato", model, "licensing", "approve", &["--item", "all=done"]))
        .ok();
    assert_in_step_small(&f, &changed_by_tip(&f));
}

/// `assert_in_step` for a small repository: the same checks git users make.
fn assert_in_step_small(f: &Fixture, paths: &[String]) {
    for path in paths {
        // (libgit2, which writes these forms, records no device number; git does not compare it.)
        assert!(f.repo.join(path).is_file(), "{path} is in the work tree");
    }
    assert_eq!(f.git_ok(&["diff-files", "--name-only"]), "", "no entry's stat data is off");
    f.assert_worktree_clean();
    assert_eq!(f.git(&["diff", "--cached", "--quiet"]).code, 0, "git diff --cached is empty");
    f.assert_fsck_clean();
}

#[test]
fn the_old_index_is_set_aside_and_a_leftover_one_is_replaced() {
    // The replaced index gets a second name, removed by a thread of its own; one left by a
    // process that ended first must neither stop the next action nor be mistaken for the index.
    let f = Fixture::sample();
    let model = "tpc-science-34b";
    let aside = f.repo.join(".git/gatehouse/index.old");
    std::fs::write(&aside, "left over by a process that was killed").unwrap();
    let before = std::fs::read(f.repo.join(".git/index")).unwrap();
    f.gh_at("2026-11-30T10:00:00Z", &signoff_args("rvance", model, "licensing", "approve", &["--item", "all=done"]))
        .ok();
    assert_in_step_small(&f, &changed_by_tip(&f));
    // Either already removed, or still the index that was replaced: never the leftover.
    if let Ok(left) = std::fs::read(&aside) {
        // Compared whole, reported by size: the files are megabytes of binary.
        assert!(
            left == before,
            "what is set aside is the replaced index ({} bytes), found {} bytes of something else",
            before.len(),
            left.len()
        );
    }
    assert!(std::fs::read(f.repo.join(".git/index")).unwrap() != before, "git's index was rewritten");

    // Where the second name cannot be made (here a folder holds it), the index is replaced
    // all the same.
    std::fs::remove_file(&aside).ok();
    std::fs::create_dir_all(aside.join("in the way")).unwrap();
    f.gh_at("2026-11-30T11:00:00Z", &signoff_args("hsato", model, "licensing", "approve", &["--item", "all=done"]))
        .ok();
    assert_in_step_small(&f, &changed_by_tip(&f));
    assert!(aside.join("in the way").is_dir(), "a folder in the way is left alone");
}

/// The small file of a split index, read with the library's own reader (git has no porcelain
/// command that prints the shared index's name).
fn split_index(f: &Fixture) -> IndexFile {
    let Parsed::Plain(index) = IndexFile::parse(std::fs::read(f.repo.join(".git/index")).unwrap()) else {
        panic!("git's index reads as a version 2 index");
    };
    index
}

#[test]
fn a_split_index_keeps_its_shared_part_while_actions_only_add_files() {
    // `gatehouse init` turns on git's split index. Sign-offs only add files, so after the
    // first action splits the index anew, each one rewrites the small file alone, and the
    // shared index (every other entry) stays byte for byte as it was. Git, reading the pair,
    // sees nothing to do after every action, including after git itself wrote the index.
    let f = Fixture::sample();
    assert_eq!(f.git_ok(&["config", "core.splitIndex"]), "true", "init turns on git's split index");
    for i in 0..3_000 {
        let path = f.repo.join(format!("archive/{:02}/{i:04}.txt", i / 100));
        if i % 100 == 0 {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        }
        std::fs::write(&path, format!("archived file {i}\n")).unwrap();
    }
    // Files written a day ago, as a clone's would be: an entry as new as its index is kept in
    // the small file (git re-checks it there), which is not what this test is about.
    f.git(&["-c", "core.splitIndex=false", "add", "archive"]).ok();
    let run = std::process::Command::new("find")
        .args(["archive", "-type", "f", "-exec", "touch", "-d", "yesterday", "{}", "+"])
        .current_dir(&f.repo)
        .status()
        .unwrap();
    assert!(run.success(), "the archive's files are dated back");
    f.git(&["update-index", "-q", "--refresh"]);
    f.commit_as("Archivist", "archivist@tests.invalid", "Archive 3,000 files beside the record\n");
    assert!(split_index(&f).is_split(), "git, told by init's config, wrote a split index");

    let model = "tpc-science-34b";
    let sign = |at: &str, args: &[&str]| {
        f.gh_at(at, args).ok();
        let changed = changed_by_tip(&f);
        assert_in_step(&f, &format!("after `{}`", args.join(" ")), &changed);
        changed
    };
    sign("2026-11-30T10:00:00Z", &signoff_args("rvance", model, "licensing", "approve", &["--item", "all=done"]));
    let first = split_index(&f);
    let hash = first.shared().expect("the index is still split");
    let shared_path = f.repo.join(format!(".git/sharedindex.{hash}"));
    let shared = std::fs::read(&shared_path).expect("the shared index named is beside the index");
    assert!(first.len() < 200, "the small file holds only the newest entries, not {} of them", first.len());

    let withdraw = ["--as", "rvance", "signoff", "--model", model, "--gate", "licensing", "--decision", "withdraw"];
    let mut args = withdraw.to_vec();
    args.extend(["--comment", "Signed the wrong revision."]);
    for (at, args) in [
        ("2026-11-30T11:00:00Z", signoff_args("hsato", model, "licensing", "approve", &["--item", "all=done"])),
        ("2026-11-30T12:00:00Z", args),
    ] {
        let changed = sign(at, &args);
        assert_eq!(changed.len(), 1, "the action added one file: {changed:?}");
        let index = split_index(&f);
        assert_eq!(index.shared().as_deref(), Some(hash.as_str()), "the same shared index is named");
        assert!(std::fs::read(&shared_path).unwrap() == shared, "the shared index is not rewritten");
        assert!(index.adds_only(), "the small file only adds entries");
        assert!(
            std::fs::metadata(f.repo.join(".git/index")).unwrap().len() * 4 < shared.len() as u64,
            "the small file is a fraction of the shared index"
        );
    }

    // A changed file: the index is put together, patched and split anew.
    let card_text = f.main_text("models/baseline-1.4b/card.md");
    let card = f.draft("card.md", &format!("{card_text}\nOne more line.\n"));
    sign("2026-11-30T13:00:00Z", &["--as", "akeller", "model", "update", "baseline-1.4b", "--card", &card]);
    assert!(split_index(&f).shared().is_some_and(|h| h != hash), "a changed entry makes a new shared index");

    // Git's own commit of a change and a removal records them as replacements and deletions
    // of shared entries; the next action reads them as git does.
    std::fs::write(f.repo.join("archive/05/0500.txt"), "amended\n").unwrap();
    f.git(&["rm", "-q", "archive/06/0600.txt"]).ok();
    f.git(&["add", "archive/05/0500.txt"]).ok();
    f.commit_as("Archivist", "archivist@tests.invalid", "Amend one archived file, remove another\n");
    assert!(!split_index(&f).adds_only(), "git recorded replacements or deletions in the small file");
    let comment = ["--comment", "The uplift study is missing."];
    sign("2026-11-30T14:00:00Z", &signoff_args("lgarcia", "aurora-sci-200b", "safety", "changes-requested", &comment));
    assert_eq!(
        f.git_ok(&["ls-files"]).lines().count(),
        f.git_ok(&["ls-tree", "-r", "--name-only", "main"]).lines().count(),
        "git's index lists exactly main's files"
    );

    // `core.splitIndex = false` turns it off, as for git.
    f.git(&["config", "core.splitIndex", "false"]).ok();
    sign("2026-11-30T15:00:00Z", &signoff_args("rvance", model, "licensing", "approve", &["--item", "all=done"]));
    assert!(!split_index(&f).is_split(), "the index is written whole again");
}

#[test]
fn a_split_index_whose_shared_part_is_gone_is_left_as_it_is() {
    // Git cannot read such an index either; the action's commit lands, and neither the work
    // tree nor the index is touched (nothing half-written for the user to untangle).
    let f = Fixture::sample();
    let model = "tpc-science-34b";
    f.gh_at("2026-11-30T10:00:00Z", &signoff_args("rvance", model, "licensing", "approve", &["--item", "all=done"]))
        .ok();
    let hash = split_index(&f).shared().expect("the index is split");
    std::fs::remove_file(f.repo.join(format!(".git/sharedindex.{hash}"))).unwrap();
    let index_before = std::fs::read(f.repo.join(".git/index")).unwrap();
    let card_path = "models/baseline-1.4b/card.md";
    let card_text = f.main_text(card_path);
    let before = f.main();
    let card = f.draft("card.md", &format!("{card_text}\nOne more line.\n"));
    f.gh_at("2026-11-30T11:00:00Z", &["--as", "akeller", "model", "update", "baseline-1.4b", "--card", &card]).ok();
    assert_eq!(f.commits_since(&before).len(), 1, "the update's commit lands on main");
    assert_eq!(
        std::fs::read_to_string(f.repo.join(card_path)).unwrap(),
        card_text,
        "the card in the work tree is not rewritten"
    );
    assert!(std::fs::read(f.repo.join(".git/index")).unwrap() == index_before, "git's index is not touched");
    assert!(!f.repo.join(".git/index.lock").exists(), "git's lock is released");
}
