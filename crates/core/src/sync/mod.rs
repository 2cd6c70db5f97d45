//! `gatehouse sync`: one record shared through an ordinary git remote (docs/format.md, Sync).
//!
//! Fetch the remote's `main` into a quarantine (`quarantine`); refuse it, taking nothing in, when it is
//! another consortium's record, when it dropped commits it held at the last sync, or when its
//! new commits break the rules (verify's findings, checked incrementally); then combine it
//! with this clone's `main` (a fast-forward, or a `sync` merge taking every file from one side,
//! signed like every action) and push, never forced. A push the remote refuses because it
//! moved meanwhile starts over from the fetch. `main` moves here only once the remote holds
//! what it moves to (or when it only moves forward to the remote's), so a failed push leaves
//! this clone's record as it was.

pub mod lock;
pub mod merge;
pub mod quarantine;
pub mod record;
pub mod remote;
pub mod transport;

use std::collections::HashSet;

use chrono::{DateTime, SecondsFormat, Utc};
use git2::{Oid, Repository};
use serde::Serialize;

use crate::actions::{acting_member, author, check_signing};
use crate::error::{Error, Input, Refusal, Result};
use crate::progress::Progress;
use crate::proposal::short;
use crate::repo::Governance;
use crate::trailers::{self, message};
use crate::verify::{self, Finding, FindingKind};
use crate::views::verify::describe;
use crate::write::{self, CommitSigner};
use lock::SyncLock;
pub use merge::{Conflict, Keep};
use quarantine::Quarantine;
use record::{LastSync, Refused};
use transport::{Git, Prompts, Pushed};

/// Rounds of fetch, combine and push before giving up on a remote that keeps moving.
const ROUNDS: u32 = 8;

/// A sync, as a front end asks for it.
#[derive(Debug, Clone)]
pub struct SyncRequest {
    pub remote: String,
    /// Who signs the `sync` merge, if one is needed.
    pub member: String,
    /// The time recorded for the merge and the sync.
    pub at: DateTime<Utc>,
    pub prompts: Prompts,
    /// Whose version of a file both sides changed differently stands; `None`: such a file
    /// stops the sync (`sync-conflict`), for the member to choose.
    pub keep: Option<Keep>,
}

/// What a sync did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum SyncAction {
    /// Both held the same record.
    UpToDate,
    /// This clone took the remote's new commits; it had none of its own.
    FastForward,
    /// The remote took this clone's new commits; it had none of its own.
    Pushed,
    /// Both had new commits: a `sync` merge combines them, on both sides.
    Merged,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncOutcome {
    pub remote: String,
    pub action: SyncAction,
    /// `main` after the sync, here and on the remote.
    pub head: String,
    /// The `sync` merge, when one was made.
    pub merge: Option<String>,
    /// Commits taken in from the remote (verified).
    pub incoming: u32,
    /// Commits of this clone the remote took.
    pub outgoing: u32,
    /// Rounds the remote moved during (each one fetched and combined again).
    pub retries: u32,
}

/// Syncs `main` with `req.remote`'s.
pub fn sync(
    gov: &Governance,
    req: &SyncRequest,
    signer: Option<&dyn CommitSigner>,
    progress: &mut dyn Progress,
) -> Result<SyncOutcome> {
    crate::id::check(Input::Member, &req.member)?;
    check_remote(gov, &req.remote)?;
    let _lock = SyncLock::take(gov, progress)?;
    let repo = gov.repo();
    let git = Git::new(repo.path(), req.prompts);
    for round in 0..ROUNDS {
        // Combined in the quarantine too: a conflict leaves nothing here either.
        let (theirs, incoming, combined) =
            fetch_judged(gov, &git, &req.remote, req.at, progress, |fetched, theirs, progress| {
                progress.begin(&format!("combining with {}", req.remote), 0);
                let combined = combine(gov, fetched, req, theirs, signer);
                progress.end();
                combined
            })?;
        let ours = combined.ours;
        let outcome = |action, head: Oid, merge: Option<Oid>, outgoing| SyncOutcome {
            remote: req.remote.clone(),
            action,
            head: head.to_string(),
            merge: merge.map(|m| m.to_string()),
            incoming,
            outgoing,
            retries: round,
        };
        let finish = |tip: Oid| -> Result<()> {
            let last = LastSync { tip: tip.to_string(), at: Some(rfc3339(req.at)), fetched_at: None };
            record::save(gov, &req.remote, &last)?;
            set_tracking(repo, &req.remote, tip);
            Ok(())
        };
        match combined.next {
            Next::Nothing => {
                finish(theirs)?;
                return Ok(outcome(SyncAction::UpToDate, ours, None, 0));
            }
            Next::FastForward => {
                if !write::move_main(gov, ours, theirs, &format!("sync: fast-forward to {}/main", req.remote))? {
                    continue; // Someone wrote to main meanwhile: look again.
                }
                finish(theirs)?;
                return Ok(outcome(SyncAction::FastForward, theirs, None, 0));
            }
            Next::Push(tip, merge) => {
                match git.push(&req.remote, tip, progress)? {
                    Pushed::Behind => continue,
                    Pushed::Done => {}
                }
                let outgoing = only_in(repo, tip, theirs)?.len() as u32;
                // The remote holds `tip` now, so it is what this clone last saw there, whether
                // or not main here can move to it (it will, at the next sync).
                finish(tip)?;
                if tip != ours && !write::move_main(gov, ours, tip, &format!("sync: merge {}/main", req.remote))? {
                    continue; // A local action meanwhile: combine it with what was pushed.
                }
                let action = if merge.is_some() { SyncAction::Merged } else { SyncAction::Pushed };
                return Ok(outcome(action, tip, merge, outgoing));
            }
        }
    }
    Err(Error::Contention { attempts: ROUNDS })
}

/// What a fetch took in.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FetchOutcome {
    pub remote: String,
    /// The remote's `main`, now taken in (verified) but not combined with this clone's.
    pub tip: String,
    /// Commits of the remote this clone's `main` does not hold yet.
    pub incoming: u32,
}

/// Fetches `remote`'s `main` and takes it in after the checks a sync makes, combining nothing
/// and pushing nothing: `main` stays where it is on both sides. Afterwards `remote list` (and
/// the app) say how far behind this clone is, and the next sync downloads nothing more. `at`
/// is recorded as the time of the fetch.
pub fn fetch(
    gov: &Governance,
    remote: &str,
    at: DateTime<Utc>,
    prompts: Prompts,
    progress: &mut dyn Progress,
) -> Result<FetchOutcome> {
    check_remote(gov, remote)?;
    let _lock = SyncLock::take(gov, progress)?;
    let repo = gov.repo();
    let git = Git::new(repo.path(), prompts);
    let (theirs, incoming, ()) = fetch_judged(gov, &git, remote, at, progress, |_, _, _| Ok(()))?;
    let at_sync = record::last(gov, remote).and_then(|l| l.at);
    record::save(gov, remote, &LastSync { tip: theirs.to_string(), at: at_sync, fetched_at: Some(rfc3339(at)) })?;
    set_tracking(repo, remote, theirs);
    Ok(FetchOutcome { remote: remote.to_string(), tip: theirs.to_string(), incoming })
}

/// A valid name of a remote this clone has.
fn check_remote(gov: &Governance, remote: &str) -> Result<()> {
    remote::check_name(remote)?;
    if gov.repo().find_remote(remote).is_err() {
        return Err(Error::invalid(Input::Remote, format!("there is no remote named {remote}")));
    }
    Ok(())
}

/// Fetches `remote`'s `main` into a fresh quarantine, judges it there (`take_in`), runs `then`
/// on it while still there, and only then takes the objects in; on any error the quarantine
/// is deleted whole. Returns the fetched tip, how many of its commits are new here, and what
/// `then` returned. A remote taken in no longer stands refused.
fn fetch_judged<T>(
    gov: &Governance,
    git: &Git,
    remote: &str,
    at: DateTime<Utc>,
    progress: &mut dyn Progress,
    then: impl FnOnce(&Governance, Oid, &mut dyn Progress) -> Result<T>,
) -> Result<(Oid, u32, T)> {
    let quarantine = Quarantine::create(gov, remote)?;
    let fetched = git.fetch(remote, &quarantine, progress);
    let judged = fetched.and_then(|theirs| {
        // A remote without consortium.toml is named as the repository that is not a governance one.
        let fetched = quarantine.open(theirs).map_err(|e| match e {
            Error::NotGovernance { reason, .. } => Error::NotGovernance { path: remote.into(), reason },
            other => other,
        })?;
        let incoming = take_in(gov, &fetched, remote, theirs, at, progress)?;
        Ok((theirs, incoming, then(&fetched, theirs, progress)?))
    });
    match judged {
        Ok(judged) => {
            quarantine.take_in(gov)?;
            record::clear_refused(gov, remote);
            Ok(judged)
        }
        Err(e) => {
            quarantine.discard();
            Err(e)
        }
    }
}

/// The checks before anything is taken in, on the remote's history as the quarantine holds
/// it: the same consortium, no history dropped since the last sync, and no rule broken by the
/// new commits. Returns how many commits are new here. A refusal for what the remote holds
/// is recorded with its findings (`record::Refused`) for the Verify screen.
fn take_in(
    gov: &Governance,
    fetched: &Governance,
    remote: &str,
    theirs: Oid,
    at: DateTime<Utc>,
    progress: &mut dyn Progress,
) -> Result<u32> {
    let ours = gov.head()?;
    let repo = fetched.repo();
    if crate::record::load_consortium(repo, &repo.find_commit(theirs)?.tree()?).is_err() {
        return Err(Error::NotGovernance {
            path: remote.to_string().into(),
            reason: "its main holds no readable consortium.toml".into(),
        });
    }
    if repo.merge_base(ours, theirs).is_err() {
        return Err(Error::refused(
            Refusal::OtherConsortium,
            format!(
                "{} holds another consortium's record: its main ({}) shares no commit with this one's ({})",
                remote,
                short(&theirs.to_string()),
                short(&ours.to_string())
            ),
        ));
    }
    if let Some(last) = record::last(gov, remote) {
        let seen = Oid::from_str(&last.tip).expect("checked when read");
        if seen != theirs && !repo.graph_descendant_of(theirs, seen).unwrap_or(false) {
            let dropped = only_in(repo, seen, theirs)?;
            let mut named: Vec<String> = dropped.iter().take(10).map(Oid::to_string).collect();
            if dropped.len() > 10 {
                named.push(format!("and {} more", dropped.len() - 10));
            }
            let theirs_id = theirs.to_string();
            let now = short(&theirs_id);
            let findings = dropped.iter().map(|id| Finding {
                kind: FindingKind::HistoryRewritten,
                commit: id.to_string(),
                path: None,
                member: None,
                message: format!(
                    "{remote}'s main ({now}) no longer holds this commit, which it held when last taken in"
                ),
            });
            refuse(gov, fetched, remote, theirs, at, Refusal::RemoteRewritten, findings, dropped.len());
            return Err(Error::refused(
                Refusal::RemoteRewritten,
                format!(
                    "{}'s main ({}) no longer holds {} it held when last taken in ({}): its history \
                     was rewritten; nothing was taken in. The commits it dropped: {}",
                    remote,
                    now,
                    if dropped.len() == 1 { "the commit" } else { "commits" },
                    last.fetched_at.or(last.at).unwrap_or_default(),
                    named.join(", ")
                ),
            ));
        }
    }
    // The incoming history is checked as verify checks it, from what earlier runs recorded
    // (this clone's tip and the remote's as last synced) on.
    verify::check_history(fetched, ours, verify::Options::default(), progress)?;
    let found = verify::check_history(fetched, theirs, verify::Options::default(), progress)?;
    let new: HashSet<String> = only_in(repo, theirs, ours)?.iter().map(Oid::to_string).collect();
    let breaches: Vec<&Finding> = found.findings.iter().filter(|f| new.contains(&f.commit)).collect();
    if !breaches.is_empty() {
        let count = breaches.len();
        refuse(gov, fetched, remote, theirs, at, Refusal::IncomingBreach, breaches.iter().map(|f| (*f).clone()), count);
        let lines: Vec<String> = breaches
            .iter()
            .map(|f| {
                let at = f.path.as_deref().map(|p| format!(" {p}")).unwrap_or_default();
                format!("  {} {}{}: {}", f.kind.as_str(), short(&f.commit), at, f.message)
            })
            .collect();
        return Err(Error::refused(
            Refusal::IncomingBreach,
            format!(
                "{}'s new commits break the rules ({} finding{}); nothing was taken in:\n{}",
                remote,
                breaches.len(),
                if breaches.len() == 1 { "" } else { "s" },
                lines.join("\n")
            ),
        ));
    }
    Ok(new.len() as u32)
}

/// What to do once the remote's `main` is taken in.
enum Next {
    /// The remote holds everything this clone holds, and the reverse.
    Nothing,
    /// `main` moves forward to the remote's.
    FastForward,
    /// The remote takes this commit (this clone's tip, or the `sync` merge, also given).
    Push(Oid, Option<Oid>),
}

struct Combined {
    /// This clone's `main` the decision was made on.
    ours: Oid,
    next: Next,
}

/// What to do with the remote's `theirs`, decided (and the `sync` merge written) in
/// `fetched`, the quarantine, which holds both sides' objects.
fn combine(
    gov: &Governance,
    fetched: &Governance,
    req: &SyncRequest,
    theirs: Oid,
    signer: Option<&dyn CommitSigner>,
) -> Result<Combined> {
    let repo = fetched.repo();
    let ours = gov.head()?;
    let next = if ours == theirs {
        Next::Nothing
    } else if repo.graph_descendant_of(ours, theirs)? {
        Next::Push(ours, None)
    } else if repo.graph_descendant_of(theirs, ours)? {
        Next::FastForward
    } else {
        let base = repo.merge_base(ours, theirs)?;
        let tree = match merge::combine(repo, base, ours, theirs, req.keep)? {
            Ok(tree) => tree,
            Err(conflicts) => return Err(conflict(&req.remote, &conflicts)),
        };
        let merge = merge_commit(repo, req, ours, theirs, tree, signer)?;
        Next::Push(merge, Some(merge))
    };
    Ok(Combined { ours, next })
}

/// The `sync` merge of `theirs` into `ours` with `tree`, signed by the acting member.
fn merge_commit(
    repo: &Repository,
    req: &SyncRequest,
    ours: Oid,
    theirs: Oid,
    tree: Oid,
    signer: Option<&dyn CommitSigner>,
) -> Result<Oid> {
    let parent = repo.find_commit(ours)?;
    let consortium = crate::record::load_consortium(repo, &parent.tree()?)?;
    let member = acting_member(&consortium, &req.member)?;
    check_signing(&consortium, member, signer.map(|s| s.public_key()))?;
    let message = message(
        &format!("sync: merge {}/main", req.remote),
        "",
        &[(trailers::ACTION, "sync"), (trailers::MEMBER, &member.id)],
    );
    let sig = author(member, req.at).signature()?;
    let other = repo.find_commit(theirs)?;
    write::make_commit(repo, &sig, &message, &repo.find_tree(tree)?, &[&parent, &other], signer)
}

fn conflict(remote: &str, conflicts: &[Conflict]) -> Error {
    let lines: Vec<String> = conflicts
        .iter()
        .map(|c| {
            let ids = |v: &[String]| v.iter().map(|id| short(id)).collect::<Vec<_>>().join(", ");
            format!("  {} (here: {}; on {remote}: {})", c.path, ids(&c.ours), ids(&c.theirs))
        })
        .collect();
    Error::refused(
        Refusal::SyncConflict,
        format!(
            "this clone and {remote} changed the same file{} differently; nothing was merged and both \
             sides are as they were. Sync again keeping one version of each (yours or the remote's):\n{}",
            if conflicts.len() == 1 { "" } else { "s" },
            lines.join("\n")
        ),
    )
}

/// The commits of `tip`'s history that `hidden`'s lacks, newest first.
fn only_in(repo: &Repository, tip: Oid, hidden: Oid) -> Result<Vec<Oid>> {
    let mut walk = repo.revwalk()?;
    walk.push(tip)?;
    walk.hide(hidden)?;
    Ok(walk.collect::<Result<_, _>>()?)
}

/// Records why `theirs` was refused, its findings described from the quarantine (the only
/// place the refused commits are). A record that cannot be written costs the Verify screen
/// its list, not the refusal.
#[allow(clippy::too_many_arguments)]
fn refuse(
    gov: &Governance,
    fetched: &Governance,
    remote: &str,
    theirs: Oid,
    at: DateTime<Utc>,
    why: Refusal,
    findings: impl Iterator<Item = Finding>,
    count: usize,
) {
    let findings: Vec<_> = findings.take(record::LISTED).map(|f| describe(fetched.repo(), f)).collect();
    let refused = Refused {
        remote: remote.to_string(),
        tip: theirs.to_string(),
        at: rfc3339(at),
        code: why.code().as_str().to_string(),
        unlisted: (count - findings.len()) as u32,
        findings,
    };
    let _ = record::save_refused(gov, &refused);
}

/// `refs/remotes/<remote>/main` at what the remote holds, as git users expect after a sync.
fn set_tracking(repo: &Repository, remote: &str, tip: Oid) {
    let name = format!("refs/remotes/{remote}/main");
    let _ = repo.reference(&name, tip, true, "gatehouse sync");
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}
