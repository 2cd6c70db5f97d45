//! The memory of a process tree, from `/proc/<pid>/smaps_rollup`.

use std::path::Path;

use super::process::{all_procs, tree, Proc};

/// One process of the app's tree, at one moment.
#[derive(Clone)]
pub struct ProcMem {
    pub name: String,
    pub rss: u64,
    pub pss: u64,
    /// The parts of the PSS: anonymous memory (heaps, the JavaScript engine's), file-backed
    /// pages (the executable and the libraries' code and data), shared memory (buffers
    /// shared between WebKit's processes).
    pub pss_anon: u64,
    pub pss_file: u64,
    pub pss_shmem: u64,
}

/// The app's whole process tree at one moment (bytes).
#[derive(Clone, Default)]
pub struct Mem {
    pub rss: u64,
    pub pss: u64,
    pub procs: Vec<ProcMem>,
    /// Processes outside the tree that map WebKitGTK at the same moment (another app, a
    /// test run): they take a share of its pages, which lowers the tree's PSS.
    pub others: usize,
}

/// RSS and PSS of every process of the tree, from `/proc/<pid>/smaps_rollup`.
pub fn memory(root: i32) -> Mem {
    let mut m = Mem::default();
    let procs = tree(root);
    m.others = webkit_users_outside(&procs);
    for p in procs {
        let Ok(text) = std::fs::read_to_string(format!("/proc/{}/smaps_rollup", p.pid)) else { continue };
        let field = |name: &str| {
            text.lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l[name.len()..].split_whitespace().next()?.parse::<u64>().ok())
                .map(|kb| kb * 1024)
                .unwrap_or(0)
        };
        let (rss, pss) = (field("Rss:"), field("Pss:"));
        m.rss += rss;
        m.pss += pss;
        m.procs.push(ProcMem {
            name: proc_name(p.pid),
            rss,
            pss,
            pss_anon: field("Pss_Anon:"),
            pss_file: field("Pss_File:"),
            pss_shmem: field("Pss_Shmem:"),
        });
    }
    m
}

/// How many processes outside `tree` (and other than this one) map WebKitGTK's libraries.
fn webkit_users_outside(tree: &[Proc]) -> usize {
    let me = std::process::id() as i32;
    all_procs()
        .iter()
        .filter(|p| p.pid != me && !tree.iter().any(|t| t.pid == p.pid))
        .filter(|p| {
            std::fs::read_to_string(format!("/proc/{}/maps", p.pid))
                .is_ok_and(|m| m.contains("libwebkit2gtk-") || m.contains("libjavascriptcoregtk-"))
        })
        .count()
}

/// The process's name: its executable's file name (`comm` is cut at 15 characters).
fn proc_name(pid: i32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .ok()
        .and_then(|b| {
            let first = b.split(|c| *c == 0).next()?.to_vec();
            let s = String::from_utf8_lossy(&first).into_owned();
            let name = Path::new(&s).file_name()?.to_string_lossy().into_owned();
            (!name.is_empty()).then_some(name)
        })
        .or_else(|| std::fs::read_to_string(format!("/proc/{pid}/comm")).ok().map(|s| s.trim().to_string()))
        .unwrap_or_else(|| format!("pid {pid}"))
}
