//! Whether the library agrees a generated history is good: `gatehouse verify` and `status`
//! summarised, and git's own signature check on a spread of its commits.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{ensure, Context, Result};

use crate::git::{self, gh};

/// What `verify` and `status` said about the record.
pub struct Check {
    /// Whether `verify` ran (the check after the measurements skips it unless asked).
    pub verified: bool,
    pub verify: Duration,
    pub commits_checked: u64,
    pub findings: usize,
    pub finding_kinds: Vec<String>,
    pub models: usize,
    pub gates_passed: usize,
    pub gates_total: usize,
}

impl Check {
    pub fn ok(&self, models: usize, commits: usize) -> bool {
        self.findings == 0
            && self.models == models
            && self.gates_passed == self.gates_total
            && (!self.verified || self.commits_checked as usize == commits)
    }

    pub fn describe(&self) -> String {
        if !self.verified {
            return format!(
                "status: {} models, {}/{} gates passed (verify not run again; pass --verify-after)",
                self.models, self.gates_passed, self.gates_total
            );
        }
        format!(
            "verify: {} finding(s){} over {} commits ({:.1} s); status: {} models, {}/{} gates passed",
            self.findings,
            if self.finding_kinds.is_empty() { String::new() } else { format!(" ({})", self.finding_kinds.join(", ")) },
            self.commits_checked,
            self.verify.as_secs_f64(),
            self.models,
            self.gates_passed,
            self.gates_total
        )
    }
}

/// `gatehouse verify --json` (unless `verify` is false) and `gatehouse status --json`,
/// summarised.
pub fn check(gatehouse: &Path, repo: &Path, gates: usize, verify: bool) -> Result<Check> {
    let t = Instant::now();
    let v: serde_json::Value = if verify {
        let (_, out, err) = git::output_any(gh(gatehouse, repo).args(["verify", "--json"]))?;
        serde_json::from_str(&out).with_context(|| format!("verify --json printed no JSON: {}", err.trim()))?
    } else {
        serde_json::json!({"findings": [], "commits_checked": 0})
    };
    let verified = verify;
    let verify = t.elapsed();
    let findings = v["findings"].as_array().cloned().unwrap_or_default();
    let mut kinds: Vec<String> = findings.iter().filter_map(|f| f["kind"].as_str().map(str::to_string)).collect();
    kinds.sort();
    kinds.dedup();
    let out = git::output(gh(gatehouse, repo).args(["status", "--json"]))?;
    let s: serde_json::Value = serde_json::from_str(&out).context("status --json")?;
    let models = s["models"].as_array().cloned().unwrap_or_default();
    let mut passed = 0;
    let mut total = 0;
    for m in &models {
        let g = m["gates"].as_array().cloned().unwrap_or_default();
        total += gates.max(g.len());
        passed += g.iter().filter(|g| g["state"] == "passed").count();
    }
    Ok(Check {
        verified,
        verify,
        commits_checked: v["commits_checked"].as_u64().unwrap_or(0),
        findings: findings.len(),
        finding_kinds: kinds,
        models: models.len(),
        gates_passed: passed,
        gates_total: total,
    })
}

/// Writes `gatehouse allowed-signers` to a file in `scratch`, for git.
pub fn allowed_signers(gatehouse: &Path, repo: &Path, scratch: &Path) -> Result<PathBuf> {
    let file = scratch.join("allowed_signers");
    std::fs::write(&file, git::output(gh(gatehouse, repo).arg("allowed-signers"))?)?;
    Ok(file)
}

/// `git verify-commit` on `n` commits spread over `main`'s history, with the allowed-signers
/// file `gatehouse allowed-signers` prints. Fails unless git accepts every one.
pub fn verify_commits_with_git(gatehouse: &Path, repo: &Path, scratch: &Path, n: usize) -> Result<usize> {
    let signers = allowed_signers(gatehouse, repo, scratch)?;
    let ids: Vec<String> =
        git::output(git::git(repo).args(["rev-list", "main"]))?.lines().map(str::to_string).collect();
    ensure!(!ids.is_empty(), "main has no commits");
    let n = n.min(ids.len());
    let config = format!("gpg.ssh.allowedSignersFile={}", signers.display());
    for k in 0..n {
        let id = &ids[k * (ids.len() - 1) / (n - 1).max(1)];
        let (ok, _, err) = git::output_any(git::git(repo).args(["-c", &config, "verify-commit", id]))?;
        ensure!(ok, "git verify-commit refused {id}: {}", err.trim());
    }
    Ok(n)
}
