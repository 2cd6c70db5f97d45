//! Sync: `gatehouse sync` over `git daemon` on loopback, taking in 1,000 sign-offs made in
//! another clone while this clone has one of its own (so both sides fetch, merge and push),
//! beside plain `git fetch` + `git merge` + `git push` of the same commits; and a clone of the
//! whole history with the first `gatehouse status` after it (the record usable).

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use anyhow::{ensure, Context, Result};

use gatehouse::signoff::Layout;

use crate::generate::History;
use crate::git::{self, gh};
use crate::stats::{ms, ratio, Sample};

use super::audit::bring_to;

/// Sign-offs the other clone makes: 50 on each of 20 models.
pub const NEW_SIGNOFFS: usize = 1000;
const PER_MODEL: usize = 50;
/// Rounds of the comparison after a warm-up (each copies the member's clone twice).
pub const SYNC_REPS: usize = 3;

pub struct SyncTimes {
    /// `gatehouse sync`, end to end (fetch, incoming verification, merge, push).
    pub sync: Sample,
    /// `git fetch` + `git merge` + `git push`, summed.
    pub git: Sample,
    /// `git clone` of the whole history from the daemon.
    pub clone: Sample,
    /// The first `gatehouse status` in the new clone (the index built from scratch).
    pub first_status: Sample,
    /// Commits the sync took in.
    pub incoming: usize,
}

/// `git daemon` serving `base` on a free port of 127.0.0.1, with pushes; stopped on drop.
struct Daemon {
    child: Child,
    port: u16,
}

impl Daemon {
    fn start(base: &Path) -> Result<Daemon> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let exec_path = git::output(git::git(base).arg("--exec-path"))?;
        // git-daemon itself: `git daemon` would run it as a child that outlives a kill.
        let child = Command::new(Path::new(exec_path.trim()).join("git-daemon"))
            .args(["--reuseaddr", "--export-all", "--enable=receive-pack", "--listen=127.0.0.1"])
            .arg(format!("--port={port}"))
            .arg(format!("--base-path={}", base.display()))
            .arg(base)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting git-daemon")?;
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(Daemon { child, port });
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        anyhow::bail!("git-daemon did not start on port {port}")
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(to);
    let out = Command::new("cp").arg("-a").arg(from).arg(to).output()?;
    ensure!(out.status.success(), "cp -a: {}", String::from_utf8_lossy(&out.stderr));
    Ok(())
}

/// Measures sync and clone on a remote holding `repo`'s history.
pub fn sync_vs_git(gatehouse: &Path, repo: &Path, scratch: &Path, history: &mut History) -> Result<SyncTimes> {
    println!("Sync over git daemon: {NEW_SIGNOFFS} sign-offs from another clone, beside git fetch + merge + push ({SYNC_REPS} runs each) ...");
    let served = scratch.join("served");
    std::fs::create_dir_all(&served)?;
    let remote = served.join("record.git");
    git::output(git::git(scratch).args(["clone", "-q", "--bare"]).arg(repo).arg(&remote))?;
    let daemon = Daemon::start(&served)?;
    let url = format!("git://127.0.0.1:{}/record.git", daemon.port);

    // A member's clone of the whole history, and the record usable after it.
    let (mut clone, mut first_status) = (Vec::new(), Vec::new());
    let member = scratch.join("member");
    for round in 0..=SYNC_REPS {
        let _ = std::fs::remove_dir_all(&member);
        let c = git::timed(git::git(scratch).args(["clone", "-q", &url]).arg(&member))?;
        let s = git::timed(gh(gatehouse, &member).args(["--json", "status"]))?;
        if round > 0 {
            clone.push(c);
            first_status.push(s);
        }
    }
    // The member has verified their record (as every sync and verify leaves it) and signs once.
    git::timed(gh(gatehouse, &member).args(["verify"]))?;
    let first = history.models.len() / 3;
    let have = |m: usize| -> Result<usize> {
        let path = Layout::Bucketed.model_dir(&history.models[m].id);
        Ok(git::output(git::git(&member).args(["ls-tree", "-r", "--name-only", "main", "--", &path]))?.lines().count())
    };
    let n = have(first)?;
    bring_to(&member, history, first, n + 1)?;

    // Another clone's 1,000 sign-offs, pushed with plain git.
    let colleague = scratch.join("colleague.git");
    git::output(git::git(scratch).args(["clone", "-q", "--bare", &url]).arg(&colleague))?;
    for k in 0..NEW_SIGNOFFS / PER_MODEL {
        let m = first + 1 + k;
        let path = Layout::Bucketed.model_dir(&history.models[m].id);
        let n = git::output(git::git(&colleague).args(["ls-tree", "-r", "--name-only", "main", "--", &path]))?;
        bring_to(&colleague, history, m, n.lines().count() + PER_MODEL)?;
    }
    git::output(git::git(&colleague).args(["push", "-q", &url, "main"]))?;
    let theirs = git::output(git::git(&colleague).args(["rev-parse", "main"]))?.trim().to_string();

    let who = history.member(0).id.clone();
    let key = history.key_file(repo, 0);
    let reset = || git::output(git::git(&remote).args(["update-ref", "refs/heads/main", &theirs]));
    let identity = ["-c", "user.name=Bench", "-c", "user.email=bench@bench.invalid"];
    let (mut ours, mut plain) = (Vec::new(), Vec::new());
    let mut incoming = 0;
    let here = scratch.join("syncing");
    for round in 0..=SYNC_REPS {
        reset()?;
        copy(&member, &here)?;
        let (out, t) =
            git::timed_output(gh(gatehouse, &here).arg("--json").arg("--key").arg(&key).args(["--as", &who, "sync"]))?;
        let outcome: serde_json::Value = serde_json::from_str(&out).context("sync --json")?;
        ensure!(outcome["action"] == "merged", "the sync merged: {outcome}");
        incoming = outcome["incoming"].as_u64().unwrap_or(0) as usize;
        reset()?;
        copy(&member, &here)?;
        let fetch = git::timed(git::git(&here).args(["fetch", "-q", "origin"]))?;
        let merge = git::timed(git::git(&here).args(identity).args(["merge", "-q", "--no-edit", "origin/main"]))?;
        let push = git::timed(git::git(&here).args(["push", "-q", "origin", "main"]))?;
        if round > 0 {
            ours.push(t);
            plain.push(fetch + merge + push);
        }
    }
    let _ = std::fs::remove_dir_all(&here);
    drop(daemon);
    let times = SyncTimes {
        sync: Sample::new(ours),
        git: Sample::new(plain),
        clone: Sample::new(clone),
        first_status: Sample::new(first_status),
        incoming,
    };
    println!(
        "  sync {} (took in {}), git fetch + merge + push {} ({}); clone {}, first status {}",
        ms(times.sync.median()),
        times.incoming,
        ms(times.git.median()),
        ratio(times.sync.median(), times.git.median()),
        ms(times.clone.median()),
        ms(times.first_status.median())
    );
    Ok(times)
}
