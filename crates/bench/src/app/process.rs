//! The app's process tree, from `/proc`: finding it, its CPU time, and stopping all of it.

use std::process::Child;
use std::time::{Duration, Instant};

use crate::stats::clock_ticks;

/// A started process group, stopped when dropped (also on errors).
pub struct Running {
    pub child: Child,
    pub pid: i32,
    stopped: bool,
}

impl Running {
    pub fn new(child: Child) -> Running {
        let pid = child.id() as i32;
        Running { child, pid, stopped: false }
    }

    /// SIGTERM to the process group and to any process of the tree outside it, SIGKILL to
    /// what is left after 3 s; waits until the whole tree is gone (up to 5 s more).
    pub fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let tree: Vec<Proc> = tree(self.pid);
        let signal_all = |sig: i32| {
            // SAFETY: kill(2) with a process group id (negative) and with pids seen in
            // /proc a moment ago (checked again by start time before each signal).
            unsafe { libc::kill(-self.pid, sig) };
            for p in &tree {
                if still_same(p) {
                    unsafe { libc::kill(p.pid, sig) };
                }
            }
        };
        signal_all(libc::SIGTERM);
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(3) {
            if matches!(self.child.try_wait(), Ok(Some(_))) && !tree.iter().any(still_same) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        signal_all(libc::SIGKILL);
        let _ = self.child.wait();
        let t = Instant::now();
        while tree.iter().any(still_same) && t.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One process, as `/proc/<pid>/stat` shows it.
#[derive(Clone)]
pub struct Proc {
    pub pid: i32,
    ppid: i32,
    /// Clock ticks on CPU: its own (user + system) and its waited-for children's.
    ticks: u64,
    /// Start time (clock ticks after boot): tells a process from a later one with its pid.
    start: u64,
}

fn read_proc(pid: i32) -> Option<Proc> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (in parentheses): state is the first; see proc(5).
    let f: Vec<&str> = s[s.rfind(')')? + 1..].split_whitespace().collect();
    let num = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok());
    if f.first() == Some(&"Z") {
        return None;
    }
    Some(Proc { pid, ppid: f.get(1)?.parse().ok()?, ticks: num(11)? + num(12)? + num(13)? + num(14)?, start: num(19)? })
}

pub fn all_procs() -> Vec<Proc> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for e in entries.flatten() {
            if let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) {
                if let Some(p) = read_proc(pid) {
                    out.push(p);
                }
            }
        }
    }
    out
}

/// `root` and all its descendants, found through the parent pids in `/proc/*/stat`.
pub fn tree(root: i32) -> Vec<Proc> {
    let all = all_procs();
    let mut out: Vec<Proc> = all.iter().filter(|p| p.pid == root).cloned().collect();
    let mut i = 0;
    while i < out.len() {
        let parent = out[i].pid;
        out.extend(all.iter().filter(|p| p.ppid == parent && p.pid != root).cloned());
        i += 1;
    }
    out
}

fn still_same(p: &Proc) -> bool {
    read_proc(p.pid).is_some_and(|q| q.start == p.start)
}

/// CPU time used so far by the whole tree (user + system, clock ticks).
pub fn tree_cpu(root: i32) -> Duration {
    let ticks: u64 = tree(root).iter().map(|p| p.ticks).sum();
    Duration::from_secs_f64(ticks as f64 / clock_ticks())
}
