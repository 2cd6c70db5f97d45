//! `gatehouse verify`: walks `main` from its root and reports every breach of the contract
//! (`docs/format.md`, Verification). Membership, roles and ownership are judged as they stood
//! in each commit's parent, and so are the keys a commit's signature may be made with. Every
//! object verify reads is checked against its id (`objects`).

mod accepts;
mod added_signoff;
pub mod cache;
mod commit;
mod objects;
mod parsed;
mod proposals;
mod withdrawal;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use git2::{Odb, Oid, Repository, Sort, Tree};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::progress::Progress;
use crate::repo::Governance;
use crate::trailers::Trailers;
use crate::treediff;
use accepts::{Deferred, Trace};
use objects::Objects;
use parsed::Parsed;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    BadWithdrawal,
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
            BadWithdrawal => "bad-withdrawal",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Every commit of the history, checked by this run or an earlier one.
    pub commits_checked: usize,
    /// Of those, the commits whose findings an earlier run of this clone recorded (`cache`).
    pub commits_reused: usize,
    pub findings: Vec<Finding>,
}

/// What one thread keeps between the commits it checks.
struct Checker<'r> {
    objects: Objects<'r>,
    parsed: Parsed<'r>,
    /// The commit checked last, with its tree: the next commit's parent, most of the time.
    last: Option<(Oid, Tree<'r>)>,
    /// The commits checked, as the judgement of accepts after the pass needs them.
    traces: Vec<(Oid, Trace)>,
    /// The accepts checked, whose judgement waits for the end of the pass. Their `index` counts
    /// the findings of the `Vec` being filled.
    deferred: Vec<Deferred>,
}

impl<'r> Checker<'r> {
    fn new(repo: &'r Repository, odb: &'r Odb<'r>) -> Self {
        Checker {
            objects: Objects::new(repo, odb),
            parsed: Parsed::default(),
            last: None,
            traces: Vec::new(),
            deferred: Vec::new(),
        }
    }

    fn check(&mut self, id: Oid, findings: &mut Vec<Finding>) -> Result<()> {
        self.objects.next_commit();
        commit::check_commit(self, id, findings)
    }
}

/// Commits a thread checks at a time; findings are gathered per batch and put back in
/// history order.
const BATCH: usize = 256;

/// What the pass over the history found: the findings in history order, each commit's in the
/// order it found them, but for the accepts, whose judgement waits (`accepts`); and the traces
/// of the commits checked.
#[derive(Default)]
struct Pass {
    findings: Vec<Finding>,
    deferred: Vec<Deferred>,
    traces: Vec<(Oid, Trace)>,
}

impl Pass {
    /// Appends `other`, a pass over later commits.
    fn append(&mut self, other: Pass) {
        let offset = self.findings.len();
        self.findings.extend(other.findings);
        self.deferred.extend(other.deferred.into_iter().map(|d| Deferred { index: d.index + offset, ..d }));
        self.traces.extend(other.traces);
    }
}

/// Checks `batch` with `checker` into a pass of its own.
fn check_batch(checker: &mut Checker, batch: &[Oid]) -> Result<Pass> {
    let mut findings = Vec::new();
    batch.iter().try_for_each(|id| checker.check(*id, &mut findings))?;
    Ok(Pass { findings, deferred: std::mem::take(&mut checker.deferred), traces: std::mem::take(&mut checker.traces) })
}

/// Checks `ids` in order, on as many threads as there are cores.
fn check_all(repo: &Repository, ids: &[Oid], progress: &mut dyn Progress) -> Result<Pass> {
    let batches: Vec<&[Oid]> = ids.chunks(BATCH).collect();
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8).min(batches.len());
    if threads <= 1 {
        let odb = repo.odb()?;
        let mut checker = Checker::new(repo, &odb);
        let mut pass = Pass::default();
        for batch in &batches {
            pass.append(check_batch(&mut checker, batch)?);
            progress.advance(batch.len() as u64);
        }
        return Ok(pass);
    }
    // Each thread opens its own handle: a git2::Repository is not shared between threads.
    let path = repo.path().to_path_buf();
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<Pass>> = std::iter::repeat_with(|| None).take(batches.len()).collect();
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = mpsc::channel::<(usize, Result<Pass>)>();
        for _ in 0..threads {
            let (tx, batches, next, path) = (tx.clone(), &batches, &next, &path);
            scope.spawn(move || check_on_thread(path, batches, next, &tx));
        }
        drop(tx);
        for (k, result) in rx {
            match result {
                Ok(pass) => {
                    progress.advance(batches[k].len() as u64);
                    results[k] = Some(pass);
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
    let mut pass = Pass::default();
    for result in results.into_iter().flatten() {
        pass.append(result);
    }
    Ok(pass)
}

/// Batches one thread checks through one repository handle. libgit2 keeps what a handle reads
/// in its cache (32 MiB, `repo.rs`); past that size every object stored evicts others by
/// scanning the cache's table, which made verify of a 138,000-commit history slower per commit
/// than of a 27,000-commit one. A fresh handle now and then drops the cache whole. What the
/// checker keeps across batches (the last tree, files parsed by blob id) only saves reading.
const BATCHES_PER_HANDLE: usize = 32;

/// One thread of `check_all`: takes the next batch until none is left or one fails.
fn check_on_thread(path: &Path, batches: &[&[Oid]], next: &AtomicUsize, tx: &mpsc::Sender<(usize, Result<Pass>)>) {
    loop {
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
        for _ in 0..BATCHES_PER_HANDLE {
            let k = next.fetch_add(1, Ordering::Relaxed);
            if k >= batches.len() {
                return;
            }
            let result = check_batch(&mut checker, batches[k]);
            let failed = result.is_err();
            if tx.send((k, result)).is_err() || failed {
                return;
            }
        }
    }
}

/// How verify goes about it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Check every commit again, without reusing what earlier runs found (`verify --full`).
    pub full: bool,
}

/// Checks every commit reachable from `main`, and whether `main` still holds every tip this
/// clone has seen (the witness), which it then records.
pub fn verify(gov: &Governance, progress: &mut dyn Progress) -> Result<Report> {
    verify_with(gov, Options::default(), progress)
}

/// `verify`, as `options` say.
pub fn verify_with(gov: &Governance, options: Options, progress: &mut dyn Progress) -> Result<Report> {
    let head = gov.head()?;
    let mut report = check_history(gov, head, options, progress)?;
    let mut walk = gov.repo().revwalk()?;
    walk.push(head)?;
    let history: HashSet<Oid> = walk.collect::<Result<_, _>>()?;
    for tip in crate::witness::missing_from(gov, &history)? {
        report.findings.push(Finding {
            kind: FindingKind::HistoryRewritten,
            commit: tip.to_string(),
            path: None,
            member: None,
            message: format!("main was at {tip} in this clone, and that commit is no longer in main's history"),
        });
    }
    crate::witness::record(gov, head)?;
    Ok(report)
}

/// What verify finds in the history of `head` (an older commit of `main`, for a report):
/// every commit reachable from it, checked against the contract, the findings ordered by
/// commit date, then commit id, then as each commit's checks found them. A function of `head`
/// alone: the witness is not read. Unless `options.full`, what an earlier run found at `head`,
/// or at an ancestor of it, is reused (`cache`), and what this run finds is recorded.
pub fn check_history(gov: &Governance, head: Oid, options: Options, progress: &mut dyn Progress) -> Result<Report> {
    let repo = gov.repo();
    let report = |commits, reused, findings| Report {
        head: head.to_string(),
        commits_checked: commits,
        commits_reused: reused,
        findings,
    };
    if !options.full {
        if let Some(entry) = cache::exact(gov, head) {
            // Written again, so that it counts among the recent ones as a base for the next.
            cache::save(gov, head, entry.commits, &entry.findings);
            return Ok(report(entry.commits, entry.commits, entry.findings));
        }
        // The closest base: the checked ancestor with the longest history.
        let base = cache::recent(gov)
            .into_iter()
            .filter(|b| repo.graph_descendant_of(head, b.head).unwrap_or(false))
            .max_by_key(|b| b.commits);
        if let Some(base) = base {
            if let Some((commits, findings)) = check_commits(repo, head, Some(base.head), progress)? {
                let mut all = base.findings;
                all.extend(findings);
                let all = in_order(repo, all);
                cache::save(gov, head, base.commits + commits, &all);
                return Ok(report(base.commits + commits, base.commits, all));
            }
        }
    }
    let (commits, findings) = check_commits(repo, head, None, progress)?.expect("a check from the root needs no base");
    let findings = in_order(repo, findings);
    cache::save(gov, head, commits, &findings);
    Ok(report(commits, 0, findings))
}

/// `findings` by their commit's date, then its id; a commit's own in the order found.
fn in_order(repo: &Repository, mut findings: Vec<Finding>) -> Vec<Finding> {
    let mut dates: HashMap<String, i64> = HashMap::new();
    for f in &findings {
        if !dates.contains_key(&f.commit) {
            let date = Oid::from_str(&f.commit)
                .and_then(|id| repo.find_commit(id))
                .map(|c| c.committer().when().seconds())
                .unwrap_or(i64::MAX);
            dates.insert(f.commit.clone(), date);
        }
    }
    findings.sort_by(|a, b| (dates[&a.commit], &a.commit).cmp(&(dates[&b.commit], &b.commit)));
    findings
}

/// Checks the commits reachable from `head` but not from `base`: how many, and what they
/// break. `None` when an accept among them makes proposal content of a commit reachable from
/// `base` (checked as part of `main` then): only a check of the whole history can tell.
fn check_commits(
    repo: &Repository,
    head: Oid,
    base: Option<Oid>,
    progress: &mut dyn Progress,
) -> Result<Option<(usize, Vec<Finding>)>> {
    let mut walk = repo.revwalk()?;
    walk.push(head)?;
    if let Some(base) = base {
        walk.hide(base)?;
    }
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    let ids: Vec<Oid> = walk.collect::<Result<_, _>>()?;
    // A proposal branch's commits are judged by the vote its accept merge records; they are
    // checked against their ids here, as every other commit is where it is judged.
    let proposal_content = proposal_content(repo, &ids)?;
    if base.is_some() {
        let new: HashSet<&Oid> = ids.iter().collect();
        if proposal_content.iter().any(|c| !new.contains(c)) {
            return Ok(None);
        }
    }
    progress.begin("verifying history", ids.len() as u64);
    // Their changes to proposals' files count for the accepts' judgement all the same.
    let odb = repo.odb()?;
    let mut objects = Objects::new(repo, &odb);
    let mut traces = HashMap::with_capacity(ids.len());
    for id in &proposal_content {
        objects.next_commit();
        let commit = objects.commit(*id)?;
        let parent_tree = match commit.parent_id(0) {
            Ok(p) => Some(objects.commit(p)?.tree_id()),
            Err(_) => None,
        };
        let changed = objects.diff(parent_tree, commit.tree_id())?;
        let new = |c: &treediff::Changed| c.new.map(|id| (id, c.new_mode.unwrap_or_default()));
        traces
            .insert(*id, Trace::new(commit.parent_ids().collect(), changed.iter().map(|c| (c.path.as_str(), new(c)))));
    }
    let to_check: Vec<Oid> = ids.iter().filter(|id| !proposal_content.contains(id)).copied().collect();
    let pass = check_all(repo, &to_check, progress)?;
    traces.extend(pass.traces);
    // With a base, the replay lacks the older commits' traces and each accept is judged by
    // walking its proposal's history instead (`accepts`).
    let judged = accepts::judge(&objects, &ids, &traces, pass.deferred)?;
    let mut findings = Vec::with_capacity(pass.findings.len() + judged.len());
    let mut judged = judged.into_iter().peekable();
    for (i, finding) in pass.findings.into_iter().enumerate() {
        while let Some((_, f)) = judged.next_if(|(at, _)| *at == i) {
            findings.push(f);
        }
        findings.push(finding);
    }
    findings.extend(judged.map(|(_, f)| f));
    progress.end();
    Ok(Some((ids.len(), findings)))
}

/// Commits brought into `main` only by the second parent of an `accept` merge: the content
/// of an accepted proposal's branch.
fn proposal_content(repo: &Repository, ids: &[Oid]) -> Result<HashSet<Oid>> {
    let mut content = HashSet::new();
    // Every commit is read once: through fresh handles, as the threads do (`BATCHES_PER_HANDLE`).
    for span in ids.chunks(BATCH * BATCHES_PER_HANDLE) {
        let repo = Repository::open(repo.path())?;
        for id in span {
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
    }
    Ok(content)
}
