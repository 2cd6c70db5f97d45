//! `gatehouse verify`: walks `main` from its root and reports every breach of the contract
//! (`docs/format.md`, Verification). Membership, roles and ownership are judged as they stood
//! in each commit's parent, and so are the keys a commit's signature may be made with. Every
//! object verify reads is checked against its id (`objects`).

mod added_signoff;
mod commit;
mod objects;
mod parsed;
mod proposals;

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use git2::{Odb, Oid, Repository, Sort, Tree};
use serde::Serialize;

use crate::error::Result;
use crate::progress::Progress;
use crate::repo::Governance;
use crate::trailers::Trailers;
use objects::Objects;
use parsed::Parsed;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    UnknownMember,
    MissingRole,
    Unsigned,
    BadSignature,
    EditedSignoff,
    DeletedSignoff,
    UngovernedChange,
    NotOwner,
    BadMerge,
    AcceptWithoutQuorum,
    ForgedVote,
    ClosedProposal,
    TrailerMismatch,
    MalformedFile,
    HistoryRewritten,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        use FindingKind::*;
        match self {
            UnknownMember => "unknown-member",
            MissingRole => "missing-role",
            Unsigned => "unsigned",
            BadSignature => "bad-signature",
            EditedSignoff => "edited-signoff",
            DeletedSignoff => "deleted-signoff",
            UngovernedChange => "ungoverned-change",
            NotOwner => "not-owner",
            BadMerge => "bad-merge",
            AcceptWithoutQuorum => "accept-without-quorum",
            ForgedVote => "forged-vote",
            ClosedProposal => "closed-proposal",
            TrailerMismatch => "trailer-mismatch",
            MalformedFile => "malformed-file",
            HistoryRewritten => "history-rewritten",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub commit: String,
    pub path: Option<String>,
    /// The member the commit speaks for (`Gatehouse-Member`, else its author's email).
    pub member: Option<String>,
    pub message: String,
}

/// `verify --json`, as `docs/format.md` gives it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub head: String,
    pub commits_checked: usize,
    pub findings: Vec<Finding>,
}

/// What one thread keeps between the commits it checks.
struct Checker<'r> {
    objects: Objects<'r>,
    parsed: Parsed<'r>,
    /// The commit checked last, with its tree: the next commit's parent, most of the time.
    last: Option<(Oid, Tree<'r>)>,
}

impl<'r> Checker<'r> {
    fn new(repo: &'r Repository, odb: &'r Odb<'r>) -> Self {
        Checker { objects: Objects::new(repo, odb), parsed: Parsed::default(), last: None }
    }

    fn check(&mut self, id: Oid, findings: &mut Vec<Finding>) -> Result<()> {
        self.objects.next_commit();
        commit::check_commit(self, id, findings)
    }
}

/// Commits a thread checks at a time; findings are gathered per batch and put back in
/// history order.
const BATCH: usize = 256;

/// Checks `ids` in order, on as many threads as there are cores; the findings come out in
/// history order, each commit's in the order it found them.
fn check_all(repo: &Repository, ids: &[Oid], progress: &mut dyn Progress) -> Result<Vec<Finding>> {
    let batches: Vec<&[Oid]> = ids.chunks(BATCH).collect();
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8).min(batches.len());
    if threads <= 1 {
        let odb = repo.odb()?;
        let mut checker = Checker::new(repo, &odb);
        let mut findings = Vec::new();
        for batch in &batches {
            for id in *batch {
                checker.check(*id, &mut findings)?;
            }
            progress.advance(batch.len() as u64);
        }
        return Ok(findings);
    }
    // Each thread opens its own handle: a git2::Repository is not shared between threads.
    let path = repo.path().to_path_buf();
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<Vec<Finding>>> = vec![None; batches.len()];
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = mpsc::channel::<(usize, Result<Vec<Finding>>)>();
        for _ in 0..threads {
            let (tx, batches, next, path) = (tx.clone(), &batches, &next, &path);
            scope.spawn(move || {
                let repo = match Repository::open(path) {
                    Ok(r) => r,
                    Err(e) => {
                        let _ = tx.send((usize::MAX, Err(e.into())));
                        return;
                    }
                };
                let odb = match repo.odb() {
                    Ok(o) => o,
                    Err(e) => {
                        let _ = tx.send((usize::MAX, Err(e.into())));
                        return;
                    }
                };
                let mut checker = Checker::new(&repo, &odb);
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= batches.len() {
                        return;
                    }
                    let mut findings = Vec::new();
                    let result = batches[k].iter().try_for_each(|id| checker.check(*id, &mut findings));
                    let failed = result.is_err();
                    if tx.send((k, result.map(|_| findings))).is_err() || failed {
                        return;
                    }
                }
            });
        }
        drop(tx);
        for (k, result) in rx {
            match result {
                Ok(findings) => {
                    progress.advance(batches[k].len() as u64);
                    results[k] = Some(findings);
                }
                Err(e) => {
                    // The other threads stop after their current batch.
                    next.store(batches.len(), Ordering::Relaxed);
                    return Err(e);
                }
            }
        }
        Ok(())
    })?;
    Ok(results.into_iter().flatten().flatten().collect())
}

/// Checks every commit reachable from `main`.
pub fn verify(gov: &Governance, progress: &mut dyn Progress) -> Result<Report> {
    let repo = gov.repo();
    let head = gov.head()?;
    let mut walk = repo.revwalk()?;
    walk.push(head)?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    let ids: Vec<Oid> = walk.collect::<Result<_, _>>()?;
    progress.begin("verifying history", ids.len() as u64);
    // A proposal branch's commits are judged by the vote its accept merge records; they are
    // checked against their ids here, as every other commit is where it is judged.
    let proposal_content = proposal_content(repo, &ids)?;
    let odb = repo.odb()?;
    let objects = Objects::new(repo, &odb);
    for id in &proposal_content {
        objects.commit(*id)?;
    }
    let to_check: Vec<Oid> = ids.iter().filter(|id| !proposal_content.contains(id)).copied().collect();
    let mut findings = check_all(repo, &to_check, progress)?;
    progress.end();
    let history: HashSet<Oid> = ids.iter().copied().collect();
    for tip in crate::witness::missing_from(gov, &history)? {
        findings.push(Finding {
            kind: FindingKind::HistoryRewritten,
            commit: tip.to_string(),
            path: None,
            member: None,
            message: format!("main was at {tip} in this clone, and that commit is no longer in main's history"),
        });
    }
    crate::witness::record(gov, head)?;
    Ok(Report { head: head.to_string(), commits_checked: ids.len(), findings })
}

/// Commits brought into `main` only by the second parent of an `accept` merge: the content
/// of an accepted proposal's branch.
fn proposal_content(repo: &Repository, ids: &[Oid]) -> Result<HashSet<Oid>> {
    let mut content = HashSet::new();
    for id in ids {
        let commit = repo.find_commit(*id)?;
        if commit.parent_count() != 2 {
            continue;
        }
        let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
        if Trailers::parse(&message).action() != Some("accept") {
            continue;
        }
        let mut walk = repo.revwalk()?;
        walk.push(commit.parent_id(1)?)?;
        walk.hide(commit.parent_id(0)?)?;
        for c in walk {
            content.insert(c?);
        }
    }
    Ok(content)
}
