//! Everything the CLI benchmark measured, for its table and its report.

use std::time::Duration;

use crate::check::Check;
use crate::stats::Sample;

use super::audit::AuditTimes;
use super::cold_build::ColdInProcess;
use super::figures::Figures;
use super::proposals::ProposalTimes;

pub struct Results {
    pub models: usize,
    pub gates: usize,
    pub signoffs: usize,
    pub commits: usize,
    pub files: usize,
    pub pack_bytes: u64,
    pub reps: usize,
    pub generate: Duration,
    pub checkout: Duration,
    pub check_before: Check,
    pub check_after: Check,
    /// The figures measured again on the scale step's history: the cold build, status, the
    /// incremental update, the sign-offs and verify, each with its reference.
    pub figures: Figures,
    pub cold: ColdInProcess,
    /// libgit2's `diff_tree_to_tree` of the tip and its parent, with a fresh repository
    /// handle and with a warm object cache.
    pub diff_cold: Sample,
    pub diff_warm: Sample,
    pub gatehouse_start: Sample,
    pub git_start: Sample,
    pub load_before: String,
    pub load_after: String,
    pub proposals: ProposalTimes,
    pub reports: AuditTimes,
    pub sync: super::sync::SyncTimes,
    pub ecosystem: super::ecosystem::EcosystemTimes,
    /// The same figures on the larger history of `--scale-models`, when one was asked for.
    pub scale: Option<super::scale::Scale>,
    pub proposal_count: usize,
    pub proposal_commits: usize,
    pub proposals_open: usize,
    pub proposals_withdrawn: usize,
}

impl Results {
    /// Whether this run has the size the targets are set for.
    pub fn full_size(&self) -> bool {
        self.models == crate::targets::FULL_MODELS
    }
}

/// `gatehouse verify` on the whole generated history, beside git reading the same history.
pub struct VerifyTimes {
    /// The `gatehouse verify --json` process (every commit, every signature).
    pub verify: Sample,
    /// `git rev-list --objects main`: git walking every commit and tree of the same history.
    pub rev_list: Sample,
    /// `git log --format=%H%x00%G? -n N main` with the allowed-signers file: git checking the
    /// same signatures (one ssh-keygen process per commit), on the newest `git_sigs_commits`.
    pub git_sigs: Sample,
    pub git_sigs_commits: usize,
    pub commits: usize,
    /// Commits `git verify-commit` accepted after generating (with `gatehouse allowed-signers`).
    pub verify_commit_checked: usize,
}

impl VerifyTimes {
    /// git's signature check extrapolated to the whole history.
    pub fn git_sigs_whole(&self) -> f64 {
        self.git_sigs.median() * self.commits as f64 / self.git_sigs_commits.max(1) as f64
    }
}
