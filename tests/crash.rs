//! Crashes: a `gatehouse signoff` (or a first index build) killed with SIGKILL at a random
//! point must never leave a corrupt repository, a half-made sign-off on `main`, a wrong index,
//! or a lock that wedges the next command.
//!
//! The kill delays come from a seeded generator. The seed is printed; set
//! `GATEHOUSE_CRASH_SEED=<seed>` to replay the same delays (the machine's speed decides where
//! in the program each delay lands, so a replay hits the same region, not the same instruction).
//! Run with `--nocapture` to see every trial's delay and outcome.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{assert_index_eq, signoffs_dir, Fixture, IndexDump};

const MODEL: &str = "switch-c-1.6t";

/// (member, gate) sign-offs on switch-c-1.6t that the sample allows (the member holds the
/// gate's role and, on independent gates, is not from riken, the model's organisation). They
/// repeat across trials with a distinct `--at`, so every trial writes a file of its own.
const SIGNERS: &[(&str, &str)] = &[
    ("rvance", "intake"),
    ("hsato", "licensing"),
    ("tokafor", "data-provenance"),
    ("jferrer", "deployment"),
    ("lgarcia", "licensing"),
    ("mtanaka", "data-provenance"),
    ("tokafor", "reproducibility"),
    ("akeller", "intake"),
];

const TRIALS: usize = 100;
const INDEX_TRIALS: usize = 20;

/// SplitMix64: small, seedable, good enough to spread delays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A delay uniform in [0, max).
    fn delay(&mut self, max: Duration) -> Duration {
        let micros = max.as_micros().max(1) as u64;
        Duration::from_micros(self.next() % micros)
    }
}

/// `GATEHOUSE_CRASH_SEED` when set, else a fresh seed (printed, so a failure can be replayed).
fn seed(test: &str) -> u64 {
    let seed = match std::env::var("GATEHOUSE_CRASH_SEED") {
        Ok(s) => s.trim().parse().unwrap_or_else(|_| panic!("GATEHOUSE_CRASH_SEED={s:?} must be an integer")),
        Err(_) => {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock after 1970");
            now.as_nanos() as u64 ^ u64::from(std::process::id()).rotate_left(32)
        }
    };
    eprintln!("{test}: seed {seed} (replay with GATEHOUSE_CRASH_SEED={seed})");
    seed
}

/// The `n`th distinct time a trial records: one minute apart from 2026-11-30T00:00:00Z.
fn at(n: usize) -> (String, String) {
    let (h, m) = (n / 60, n % 60);
    assert!(h < 24, "the trials fit in one day of stamps");
    (format!("2026-11-30T{h:02}:{m:02}:00Z"), format!("20261130T{h:02}{m:02}00Z"))
}

fn trial_args<'a>(member: &'a str, gate: &'a str) -> Vec<&'a str> {
    common::signoff_args(member, MODEL, gate, "approve", &["--item", "all=done", "--comment", "crash trial"])
}

/// A commit on main as `git log` shows it.
#[derive(Debug)]
struct Logged {
    id: String,
    parents: Vec<String>,
    /// `git log --name-status` lines: `A\tpath`.
    files: Vec<String>,
}

/// Commits on main after `since`, newest first, with parents and files: one `git log`.
fn commits_since(f: &Fixture, since: &str) -> Vec<Logged> {
    let out = f.git_ok(&["log", "--format=@%H %P", "--name-status", &format!("{since}..refs/heads/main")]);
    let mut commits: Vec<Logged> = Vec::new();
    for line in out.lines().filter(|l| !l.is_empty()) {
        if let Some(ids) = line.strip_prefix('@') {
            let mut ids = ids.split(' ').map(str::to_string);
            let id = ids.next().expect("git log prints the commit id");
            commits.push(Logged { id, parents: ids.collect(), files: vec![] });
        } else {
            commits.last_mut().expect("files follow their commit").files.push(line.to_string());
        }
    }
    commits
}

/// Lock and journal files a killed process may leave behind, for the report.
fn leftovers(f: &Fixture) -> Vec<String> {
    let git = f.repo.join(".git");
    let candidates: Vec<PathBuf> = vec![
        git.join("refs/heads/main.lock"),
        git.join("index.lock"),
        git.join("HEAD.lock"),
        git.join("logs/refs/heads/main.lock"),
        f.index_path().with_extension("sqlite-journal"),
    ];
    candidates.into_iter().filter(|p| p.exists()).map(|p| rel(&git, &p)).collect()
}

fn rel(base: &Path, p: &Path) -> String {
    p.strip_prefix(base).unwrap_or(p).display().to_string()
}

/// Spawns `cmd`, kills it with SIGKILL after `delay` unless it finished; true when it was
/// killed before it finished.
fn kill_after(mut cmd: Command, delay: Duration) -> bool {
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    let mut child = cmd.spawn().expect("start gatehouse");
    std::thread::sleep(delay);
    let finished = child.try_wait().expect("poll the child").is_some();
    if !finished {
        child.kill().expect("SIGKILL the child"); // Child::kill is SIGKILL on Unix
    }
    child.wait().expect("reap the child");
    !finished
}

/// How long `cmd` takes uninterrupted: the shortest of three runs, from spawn to exit.
fn time_uninterrupted(mut make: impl FnMut(usize) -> Command, what: &str) -> Duration {
    let mut best = Duration::MAX;
    for i in 0..3 {
        let mut cmd = make(i);
        cmd.stdout(Stdio::null()).stderr(Stdio::piped());
        let started = Instant::now();
        let out = cmd.output().expect("run gatehouse");
        let took = started.elapsed();
        assert!(
            out.status.success(),
            "the uninterrupted {what} must succeed to time it: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        best = best.min(took);
    }
    best
}

/// The index as the last command left it must equal one rebuilt from scratch. Rebuilds it.
fn assert_index_matches_rebuild(f: &Fixture, what: &str) {
    let incremental: IndexDump = f.index_dump();
    let r = f.gh(&["index", "--rebuild"]);
    assert_eq!(r.code, 0, "{what}: `index --rebuild` must work after a crash, or the cache is stuck:\n{}", r.stderr);
    let rebuilt = f.index_dump();
    assert_index_eq(&rebuilt, &incremental, &format!("{what}: the index must say what main says (rebuilt = expected)"));
}

fn assert_fsck(f: &Fixture, what: &str) {
    let r = f.git(&["fsck", "--strict", "--no-progress"]);
    assert_eq!(
        r.code, 0,
        "{what}: git fsck --strict must accept the repository, or the crash corrupted the record\n{}\n{}",
        r.stdout, r.stderr
    );
    for line in r.stdout.lines().chain(r.stderr.lines()) {
        let l = line.to_lowercase();
        assert!(
            !l.contains("error") && !l.contains("warning") && !l.contains("missing") && !l.contains("broken"),
            "{what}: git fsck --strict must find nothing wrong (dangling objects from a killed writer are fine), got: {line}"
        );
    }
}

#[test]
fn signoffs_killed_at_random_points_leave_a_sound_repository() {
    let started = Instant::now();
    let f = Fixture::sample();
    f.gh(&["status"]).ok(); // the index exists, as it does in use

    let mut n = 0;
    let mut next_at = || {
        n += 1;
        at(n - 1)
    };

    // An uninterrupted sign-off on this machine and build, to spread the kills over its run.
    let full = time_uninterrupted(
        |i| {
            let (member, gate) = SIGNERS[i % SIGNERS.len()];
            f.gh_command_at(&next_at_for_timing(i).0, &trial_args(member, gate))
        },
        "sign-off",
    );
    // Kills land anywhere from spawn to a little after the usual exit.
    let window = full + full / 10;
    let mut rng = Rng(seed("signoffs_killed_at_random_points_leave_a_sound_repository"));
    eprintln!("an uninterrupted sign-off takes {full:?}; kills spread over [0, {window:?})");

    let (mut killed, mut landed_while_killed, mut finished) = (0, 0, 0);
    let mut tip = f.main();
    let mut left: std::collections::BTreeMap<String, usize> = Default::default();
    for trial in 0..TRIALS {
        let (member, gate) = SIGNERS[trial % SIGNERS.len()];
        let (when, stamp) = next_at();
        let path = format!("{}/{gate}/{stamp}-{member}.toml", signoffs_dir(MODEL));
        let delay = rng.delay(window);
        let what = format!("trial {trial} ({member} on {gate} at {when}, SIGKILL after {delay:?})");
        let was_killed = kill_after(f.gh_command_at(&when, &trial_args(member, gate)), delay);
        let after_kill = leftovers(&f);
        for l in &after_kill {
            *left.entry(l.clone()).or_default() += 1;
        }

        // The object store and refs are sound: nothing half-written.
        assert_fsck(&f, &what);

        // main is the old tip, or exactly one new commit holding exactly this sign-off.
        let new = commits_since(&f, &tip);
        assert!(new.len() <= 1, "{what}: main must gain at most the one sign-off commit, got {new:?}");
        if let Some(c) = new.first() {
            assert_eq!(
                c.parents,
                vec![tip.clone()],
                "{what}: the new commit must sit directly on the old tip, with one parent (no rewrite, no merge)"
            );
            assert_eq!(
                c.files,
                vec![format!("A\t{path}")],
                "{what}: the commit must add exactly this trial's sign-off file, nothing else and nothing less"
            );
            tip = c.id.clone();
        } else {
            assert!(was_killed, "{what}: a sign-off that ran to the end must have moved main, or a success was lost");
        }
        match (was_killed, new.is_empty()) {
            (true, false) => landed_while_killed += 1,
            (true, true) => killed += 1,
            (false, _) => finished += 1,
        }

        // The next read works and the index it leaves is what main says.
        let status = f.gh(&["--json", "status"]);
        assert_eq!(
            status.code, 0,
            "{what}: a read after the crash must work (left behind: {after_kill:?})\n{}",
            status.stderr
        );
        assert_eq!(status.json()["head"], tip.as_str(), "{what}: status must describe main as it is after the crash");
        assert_index_matches_rebuild(&f, &what);

        // The next sign-off works: nothing the killed process left (a ref lock, an index
        // journal) wedges the repository.
        let (member2, gate2) = SIGNERS[(trial + 3) % SIGNERS.len()];
        let (when2, stamp2) = next_at();
        let r = f.gh_at(&when2, &trial_args(member2, gate2));
        assert_eq!(
            r.code, 0,
            "{what}: the next sign-off must succeed after the crash (left behind: {after_kill:?})\n{}",
            r.stderr
        );
        let landed = commits_since(&f, &tip);
        let path2 = format!("{}/{gate2}/{stamp2}-{member2}.toml", signoffs_dir(MODEL));
        assert_eq!(landed.len(), 1, "{what}: the next sign-off must add exactly one commit");
        assert_eq!(
            (&landed[0].parents, &landed[0].files),
            (&vec![tip.clone()], &vec![format!("A\t{path2}")]),
            "{what}: the next sign-off's commit must add its own file on the tip the crash left"
        );
        tip = landed[0].id.clone();
        assert!(
            !f.repo.join(".git/refs/heads/main.lock").exists(),
            "{what}: a ref lock left by the killed Gatehouse writer must be gone once the next one has written"
        );
        eprintln!(
            "{what}: {}{}",
            match (was_killed, new.is_empty()) {
                (true, true) => "killed before main moved",
                (true, false) => "killed after main moved",
                (false, _) => "finished before the kill",
            },
            if after_kill.is_empty() { String::new() } else { format!(", left {after_kill:?}") }
        );
    }

    // Everything together: a clean history, and an index in step with it.
    assert_fsck(&f, "after all trials");
    assert_index_matches_rebuild(&f, "after all trials");
    let (code, report) = f.verify();
    assert_eq!(code, 0, "the history the trials left must verify clean: killed writers add no bad commit: {report}");
    eprintln!(
        "{TRIALS} trials in {:?}: {killed} killed before main moved, {landed_while_killed} killed after, \
         {finished} finished first; left behind after a kill: {left:?}",
        started.elapsed()
    );
    assert!(killed > 0, "the delays must hit some runs before main moved, or the test proves little");
}

/// Stamps for the timing runs, apart from those of the trials.
fn next_at_for_timing(i: usize) -> (String, String) {
    (format!("2026-11-29T23:5{i}:00Z"), format!("20261129T235{i}00Z"))
}

#[test]
fn first_index_builds_killed_at_random_points_are_rebuilt() {
    let f = Fixture::sample();
    let remove_index = |f: &Fixture| {
        let p = f.index_path();
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
        }
    };
    let full = time_uninterrupted(
        |_| {
            remove_index(&f);
            f.gh_command_at(common::AT, &["status"])
        },
        "first index build (status with no index)",
    );
    let window = full + full / 10;
    let mut rng = Rng(seed("first_index_builds_killed_at_random_points_are_rebuilt"));
    eprintln!("a status that builds the index takes {full:?}; kills spread over [0, {window:?})");
    for trial in 0..INDEX_TRIALS {
        remove_index(&f);
        let delay = rng.delay(window);
        let what = format!("index trial {trial} (SIGKILL after {delay:?})");
        let was_killed = kill_after(f.gh_command_at(common::AT, &["status"]), delay);
        let r = f.gh(&["--json", "status"]);
        assert_eq!(r.code, 0, "{what}: a read after a killed index build must work\n{}", r.stderr);
        assert_eq!(r.json()["head"], f.main(), "{what}: status must describe main");
        assert_index_matches_rebuild(&f, &what);
        eprintln!("{what}: {}", if was_killed { "killed" } else { "finished first" });
    }
    assert_fsck(&f, "after the index trials");
}

// ---- locks left behind ------------------------------------------------------------------------

/// A sign-off on switch-c-1.6t by rvance at `AT`, the one the lock tests try.
const LOCK_TEST_SIGNOFF: &[&str] =
    &["--as", "rvance", "signoff", "--model", MODEL, "--gate", "intake", "--decision", "approve", "--item", "all=done"];

/// A commit on main's tip, made with plain git, standing for the one a killed writer was moving
/// main to: it exists only as an object.
fn orphan_commit(f: &Fixture) -> String {
    let tree = f.git_ok(&["rev-parse", "refs/heads/main^{tree}"]);
    let main = f.main();
    f.git_ok(&["commit-tree", &tree, "-p", &main, "-m", "the killed writer's commit"])
}

#[test]
fn a_ref_lock_of_a_crashed_git_process_is_named_and_left_alone() {
    let f = Fixture::sample();
    let lock = f.repo.join(".git/refs/heads/main.lock");
    // What `git` leaves when killed while updating main: the lock, with or without the new id.
    std::fs::write(&lock, "").expect("write a stale main.lock");
    f.assert_refused(LOCK_TEST_SIGNOFF, 2, &["refs/heads/main.lock", "delete the file"]);
    assert!(lock.exists(), "Gatehouse must not remove a ref lock it cannot prove is a dead Gatehouse writer's");

    // Even when a Gatehouse writer died earlier, a lock older than its move is not its.
    let orphan = orphan_commit(&f);
    std::fs::write(f.repo.join(".git/gatehouse/main.move"), format!("4000000 {orphan}\n")).expect("write main.move");
    let r = Command::new("touch").args(["-d", "2020-01-01 00:00:00"]).arg(&lock).status().expect("run touch");
    assert!(r.success(), "touch sets the lock's time before the dead writer's move");
    f.assert_refused(LOCK_TEST_SIGNOFF, 2, &["refs/heads/main.lock"]);
    assert!(lock.exists(), "a lock older than the dead Gatehouse writer's move is someone else's and must stay");

    // Once the user removes it, as the message says, signing works again.
    std::fs::remove_file(&lock).expect("remove the lock as the message says");
    f.gh(LOCK_TEST_SIGNOFF).ok();
}

#[test]
fn a_ref_lock_left_by_a_killed_gatehouse_writer_is_removed_by_the_next_writer() {
    for (case, content) in [("holding the dead writer's commit", true), ("empty, killed before writing it", false)] {
        let f = Fixture::sample();
        let start = f.main();
        let orphan = orphan_commit(&f);
        // What a writer killed inside the move of main leaves: its move recorded in main.move,
        // and git's lock on main, made after that record.
        std::fs::create_dir_all(f.repo.join(".git/gatehouse")).expect("create .git/gatehouse");
        std::fs::write(f.repo.join(".git/gatehouse/main.move"), format!("4000000 {orphan}\n")).expect("main.move");
        std::thread::sleep(Duration::from_millis(20));
        let lock = f.repo.join(".git/refs/heads/main.lock");
        std::fs::write(&lock, if content { format!("{orphan}\n") } else { String::new() }).expect("main.lock");

        let r = f.gh(LOCK_TEST_SIGNOFF);
        assert_eq!(
            r.code, 0,
            "{case}: a lock provably left by a dead Gatehouse writer must not wedge the next sign-off\n{}",
            r.stderr
        );
        assert!(!lock.exists(), "{case}: the dead writer's lock must be gone");
        let new = f.commits_since(&start);
        assert_eq!(new.len(), 1, "{case}: main gains the new sign-off only; the dead writer's commit never landed");
        assert_ne!(new[0], orphan, "{case}: the dead writer's commit must not be put on main by removing its lock");
        assert_eq!(
            f.git_ok(&["rev-parse", &format!("{}^", new[0])]),
            start,
            "{case}: the new sign-off sits on the tip main had, not on the dead writer's commit"
        );
        assert_fsck(&f, case);
        let moving = std::fs::read_to_string(f.repo.join(".git/gatehouse/main.move")).expect("read main.move");
        assert_eq!(moving, "", "{case}: no move is recorded once the writer has finished");
    }
}
