//! The machine a run is on, for the reports.

use std::fmt::Write;
use std::path::Path;
use std::process::Command;

pub struct Machine {
    pub nproc: String,
    pub cpu: String,
    pub git: String,
    pub rustc: String,
    pub kernel: String,
    pub date: String,
}

impl Machine {
    pub fn probe(repo: &Path) -> Machine {
        let run = |cmd: &mut Command| {
            cmd.output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .unwrap_or_else(|| "unknown".into())
        };
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split_once(':'))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_else(|| "unknown".into());
        Machine {
            nproc: run(&mut Command::new("nproc")),
            cpu,
            git: run(crate::git::git(repo).arg("--version")),
            rustc: run(Command::new("rustc").arg("--version")),
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .map(|s| format!("Linux {}", s.trim()))
                .unwrap_or_else(|_| std::env::consts::OS.to_string()),
            date: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        }
    }
}

/// The load average (1, 5, 15 min): the machine is shared, so the reports say how busy it was.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

impl Machine {
    /// The report's "Machine" table: this machine, `extra` rows (what only one benchmark
    /// knows, such as the web engine) after the OS, and the load average around the run.
    pub fn table(&self, w: &mut String, extra: &[(&str, String)], load_before: &str, load_after: &str) {
        let _ = writeln!(w, "## Machine\n");
        let _ = writeln!(w, "| | |\n|---|---|");
        let rows = [("date", &self.date), ("CPU", &self.cpu), ("nproc", &self.nproc), ("OS", &self.kernel)];
        for (k, v) in rows.into_iter().chain(extra.iter().map(|(k, v)| (*k, v))) {
            let _ = writeln!(w, "| {k} | {v} |");
        }
        let _ = writeln!(w, "| git | {} |", self.git);
        let _ = writeln!(w, "| rustc | {} |", self.rustc);
        let _ = writeln!(w, "| load average (1, 5, 15 min) | {load_before} before, {load_after} after |");
    }
}
