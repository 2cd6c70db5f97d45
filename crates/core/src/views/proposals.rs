//! Policy proposals as the members read them: the list with where each stands, and one
//! proposal with its rationale, the change file by file, the votes and what accepting would do.
//! Every figure derives from the signed files at the tip of `main` (and the earlier versions
//! of the vote files, for the comment period), judged once when the index is brought up to
//! date (`index`, table `proposals`); the change and the accept check are read from git.

use chrono::{DateTime, Utc};
use git2::{Oid, Repository};
use serde::Serialize;

use crate::actions::proposal::accept_writes;
use crate::consortium::Consortium;
use crate::error::{Error, ErrorCode, Result};
use crate::index::{Index, ProposalRow};
use crate::proposal::change::FileKind;
use crate::proposal::deliberation::Deliberation;
use crate::proposal::{Files, ProposalState, VoteKind};
use crate::record::load_consortium;
use crate::repo::Governance;
use crate::signoff::parse_at;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProposalSummary {
    pub id: String,
    pub title: String,
    pub author: String,
    pub state: ProposalState,
    pub subject: String,
    pub approvals: u32,
    pub needed: u32,
    pub voters: u32,
    /// Members whose objection stands on the current subject.
    pub objections: Vec<String>,
    /// Voting members with no vote on the current subject.
    pub waiting: Vec<String>,
    /// When the comment period ends, while it runs.
    pub period_ends: Option<String>,
    /// Whole seconds from `now` to the end of the period (0 once ended), while it runs.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub seconds_left: Option<i64>,
    /// Whether an accept would be allowed now.
    pub acceptable: bool,
    /// When it was accepted, withdrawn or rejected.
    pub closed_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProposalList {
    pub head: String,
    pub proposals: Vec<ProposalSummary>,
    /// Proposal files that cannot be read.
    pub problems: Vec<super::ProblemView>,
}

/// One member's latest vote, as its file says.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VoteView {
    pub member: String,
    pub name: String,
    pub vote: VoteKind,
    pub at: String,
    pub comment: String,
    pub subject: String,
    /// Cast on an older subject: it no longer counts.
    pub outdated: bool,
    /// Whether it counts at all (a current vote by a voting member).
    pub counts: bool,
}

/// One changed file of the proposal.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FileDiff {
    pub path: String,
    /// `added`, `modified` or `deleted`.
    pub status: String,
    /// `consortium`, `checklist` or `policy`; in a model's folder `card`, `evidence` or `file`.
    pub kind: String,
    /// The git blob ids before and after (`None` where the file is absent).
    pub old_blob: Option<String>,
    pub new_blob: Option<String>,
    pub old_text: Option<String>,
    pub new_text: Option<String>,
    /// The Markdown body before and after, rendered and sanitized (policies and checklists).
    pub old_html: Option<String>,
    pub new_html: Option<String>,
    /// The unified diff, as `git diff` shows it.
    pub patch: String,
    pub added_lines: u32,
    pub removed_lines: u32,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OutcomeView {
    pub outcome: ProposalState,
    pub member: String,
    pub at: String,
    pub comment: String,
}

/// What accepting would do now, or why it cannot yet.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AcceptCheck {
    pub allowed: bool,
    /// The refusal's code when not allowed: the UI branches on it.
    pub code: Option<ErrorCode>,
    pub reason: Option<String>,
    /// The files the accept would change on `main`.
    pub changes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProposalDetail {
    pub head: String,
    pub id: String,
    pub title: String,
    pub author: String,
    pub branch: String,
    pub subject: String,
    pub state: ProposalState,
    pub rationale: String,
    /// The rationale rendered and sanitized.
    pub rationale_html: String,
    /// The commit of `main` the branch was cut from.
    pub base: Option<String>,
    pub files: Vec<FileDiff>,
    pub votes: Vec<VoteView>,
    pub deliberation: Deliberation,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub seconds_left: Option<i64>,
    pub outcome: Option<OutcomeView>,
    pub accept: AcceptCheck,
    pub problems: Vec<super::ProblemView>,
}

/// One line of the list, from the index's row: `now` only decides the time left and whether
/// the accept would be allowed now.
pub(crate) fn summary(id: &str, row: &ProposalRow, now: DateTime<Utc>) -> ProposalSummary {
    let d = &row.deliberation;
    let state = row.state;
    ProposalSummary {
        id: id.to_string(),
        title: row.title.clone(),
        author: row.author.clone(),
        state,
        subject: row.subject.clone(),
        approvals: d.approvals.len() as u32,
        needed: d.needed,
        voters: d.voters.len() as u32,
        objections: d.objections.iter().map(|o| o.member.clone()).collect(),
        waiting: if state == ProposalState::Open { d.waiting.clone() } else { vec![] },
        seconds_left: seconds_left(d, now),
        period_ends: d.period_ends.clone(),
        acceptable: state == ProposalState::Open && d.blocker(now).is_none(),
        closed_at: row.closed_at.clone(),
    }
}

fn seconds_left(d: &Deliberation, now: DateTime<Utc>) -> Option<i64> {
    d.period_ends.as_deref().and_then(parse_at).map(|end| (end - now).num_seconds().max(0))
}

/// The commit the index describes (`main`'s tip once refreshed).
fn indexed_head(gov: &Governance, index: &Index) -> Result<Oid> {
    match index.indexed_head()? {
        Some(h) => Ok(h),
        None => gov.head(),
    }
}

/// The merge base of `head` and `subject`, as `Repository::merge_base` finds it (`None` when
/// they share no history). When the index is at `head` (`indexed`), it holds every commit of
/// `head`'s history: the walk from `subject` stops at the first commits it finds there, and if
/// that is one commit, every commit the two share is it or its ancestor, so it is the merge
/// base; this reads the branch's few commits instead of walking `main` back to where the
/// branch was cut. Otherwise libgit2 finds it.
fn merge_base_of_main(repo: &Repository, index: &Index, indexed: bool, head: Oid, subject: Oid) -> Result<Option<Oid>> {
    /// Branch commits read before leaving it to libgit2.
    const BRANCH_LIMIT: usize = 64;
    if indexed {
        let mut on_main = std::collections::BTreeSet::new();
        let mut seen = std::collections::HashSet::new();
        let mut queue = vec![subject];
        let mut read = 0;
        while let Some(id) = queue.pop() {
            if !seen.insert(id) {
                continue;
            }
            if index.has_commit(id)? {
                on_main.insert(id);
                continue;
            }
            read += 1;
            if read > BRANCH_LIMIT {
                on_main.clear();
                break;
            }
            match repo.find_commit(id) {
                Ok(commit) => queue.extend(commit.parent_ids()),
                Err(_) => {
                    on_main.clear();
                    break;
                }
            }
        }
        if on_main.len() == 1 {
            return Ok(on_main.pop_first());
        }
    }
    Ok(repo.merge_base(head, subject).ok())
}

/// Every proposal at the tip of `main`, from the index: open ones first, then by id. Each
/// one's standing (quorum, objections, comment period) was judged when the index was brought
/// up to date; only the time left depends on `now`.
pub fn list(index: &Index, now: DateTime<Utc>) -> Result<ProposalList> {
    let head = index.indexed_head()?.map(|h| h.to_string()).unwrap_or_default();
    let mut proposals = Vec::new();
    let mut problems = Vec::new();
    for p in index.proposals()? {
        problems.extend(p.problems.iter().map(super::ProblemView::from));
        if let Some(row) = &p.summary {
            proposals.push(summary(&p.id, row, now));
        }
    }
    proposals.sort_by(|a, b| (a.state != ProposalState::Open, &a.id).cmp(&(b.state != ProposalState::Open, &b.id)));
    Ok(ProposalList { head, proposals, problems })
}

/// One proposal, as `show proposal` and the app's proposal page give it: its files and where
/// the members stand from the index, the change file by file and what accepting would do
/// from git (at the indexed commit, so both describe the same tip).
pub fn detail(gov: &Governance, index: &Index, id: &str, now: DateTime<Utc>) -> Result<ProposalDetail> {
    crate::id::check(crate::error::Input::Proposal, id)?;
    let repo = gov.repo();
    let head = indexed_head(gov, index)?;
    let indexed = index.indexed_head()? == Some(head);
    let (files, d) = match index.proposal(id)? {
        Some(Ok(found)) => found,
        Some(Err(m)) => return Err(m.into()),
        None => return Err(Error::NotFound { what: "proposal", id: id.to_string() }),
    };
    let tree = repo.find_commit(head)?.tree()?;
    let consortium = load_consortium(repo, &tree)?;
    let state = files.state();
    let subject = Oid::from_str(&files.record.subject).ok().filter(|s| repo.find_commit(*s).is_ok());
    let mut merge_base = None;
    let (base, diffs) = match subject {
        Some(s) => {
            // An accepted proposal's subject is part of main: its change is against its parent.
            let base = match state {
                ProposalState::Accepted => {
                    repo.merge_base(repo.find_commit(head)?.parent_id(0).unwrap_or(head), s).ok()
                }
                _ => merge_base_of_main(repo, index, indexed, head, s)?,
            };
            // The accept check below needs the same merge base of main's tip and the subject.
            merge_base = base;
            let base = base.or_else(|| repo.find_commit(s).ok().and_then(|c| c.parent_id(0).ok()));
            (
                base,
                match base {
                    Some(b) => file_diffs(repo, b, s)?,
                    None => vec![],
                },
            )
        }
        None => (None, vec![]),
    };
    let accept = match state {
        // The indexed deliberation is the one `deliberation_at(head)` gives; the accept action
        // itself judges again from git.
        ProposalState::Open => match accept_writes(repo, head, &files, &d, now, merge_base) {
            Ok((_, writes)) => AcceptCheck {
                allowed: true,
                code: None,
                reason: None,
                changes: writes.into_iter().map(|(p, _)| p).collect(),
            },
            Err(e @ (Error::Refused { .. } | Error::InvalidArgument { .. } | Error::Malformed(_))) => {
                AcceptCheck { allowed: false, code: Some(e.code()), reason: Some(e.to_string()), changes: vec![] }
            }
            Err(e) => return Err(e),
        },
        other => AcceptCheck {
            allowed: false,
            code: Some(ErrorCode::ProposalClosed),
            reason: Some(format!("the proposal was {other}")),
            changes: vec![],
        },
    };
    Ok(ProposalDetail {
        head: head.to_string(),
        id: id.to_string(),
        title: files.record.title.clone(),
        author: files.record.author.clone(),
        branch: files.record.branch.clone(),
        subject: files.record.subject.clone(),
        state,
        rationale_html: crate::render::to_html(&files.rationale),
        rationale: files.rationale.clone(),
        base: base.map(|b| b.to_string()),
        files: diffs,
        votes: votes(&consortium, &files, &d),
        seconds_left: seconds_left(&d, now),
        deliberation: d,
        outcome: files.outcome.as_ref().map(|o| OutcomeView {
            outcome: Some(o.outcome).into(),
            member: o.member.clone(),
            at: o.at.clone(),
            comment: o.comment.clone(),
        }),
        accept,
        problems: files.problems.iter().map(super::ProblemView::from).collect(),
    })
}

fn votes(consortium: &Consortium, files: &Files, d: &Deliberation) -> Vec<VoteView> {
    let mut out: Vec<VoteView> = files
        .votes
        .iter()
        .map(|(member, v)| VoteView {
            member: member.clone(),
            name: consortium.member(member).map(|m| m.name.clone()).unwrap_or_else(|| member.clone()),
            vote: v.vote,
            at: v.at.clone(),
            comment: v.comment.clone(),
            subject: v.subject.clone(),
            outdated: v.subject != files.record.subject,
            counts: d.voters.contains(member) && v.subject == files.record.subject,
        })
        .collect();
    // Current votes first, each group by time.
    out.sort_by(|a, b| (a.outdated, &a.at, &a.member).cmp(&(b.outdated, &b.at, &b.member)));
    out
}

/// The files `subject` changes relative to `base`, each with both texts and the patch.
pub fn file_diffs(repo: &Repository, base: Oid, subject: Oid) -> Result<Vec<FileDiff>> {
    let old_tree = repo.find_commit(base)?.tree_id();
    let new_tree = repo.find_commit(subject)?.tree_id();
    // Files under policies/ that Gatehouse does not read are shown as policies' neighbours.
    tree_diffs(repo, old_tree, new_tree, |path| FileKind::of(path).unwrap_or(FileKind::Policy).as_str())
}

/// The files that differ between two trees, each with both texts (`None` for a binary file),
/// the rendered Markdown and the patch; `kind` names each path's kind.
pub(crate) fn tree_diffs(
    repo: &Repository,
    old_tree: Oid,
    new_tree: Oid,
    kind: impl Fn(&str) -> &'static str,
) -> Result<Vec<FileDiff>> {
    let mut out = Vec::new();
    for c in crate::treediff::diff(repo, Some(old_tree), new_tree)? {
        let text = |id: Option<Oid>| -> Result<Option<String>> {
            Ok(match id {
                Some(id) => {
                    let blob = repo.find_blob(id)?;
                    (!blob.is_binary()).then(|| String::from_utf8_lossy(blob.content()).into_owned())
                }
                None => None,
            })
        };
        let (old_text, new_text) = (text(c.old)?, text(c.new)?);
        let kind = kind(&c.path);
        let render = |t: &Option<String>| {
            t.as_ref().filter(|_| c.path.ends_with(".md")).map(|t| {
                let body = crate::frontmatter::split(&c.path, t).map(|s| s.body).unwrap_or(t);
                crate::render::to_html(body)
            })
        };
        let binary = (c.old.is_some() && old_text.is_none()) || (c.new.is_some() && new_text.is_none());
        let (patch, added, removed) = if binary {
            (format!("Binary file {}\n", c.path), 0, 0)
        } else {
            unified(&c.path, old_text.as_deref(), new_text.as_deref())?
        };
        out.push(FileDiff {
            old_blob: c.old.map(|o| o.to_string()),
            new_blob: c.new.map(|o| o.to_string()),
            status: if c.added() {
                "added"
            } else if c.deleted() {
                "deleted"
            } else {
                "modified"
            }
            .into(),
            kind: kind.into(),
            old_html: render(&old_text),
            new_html: render(&new_text),
            path: c.path,
            old_text,
            new_text,
            patch,
            added_lines: added,
            removed_lines: removed,
        });
    }
    Ok(out)
}

fn unified(path: &str, old: Option<&str>, new: Option<&str>) -> Result<(String, u32, u32)> {
    let mut opts = git2::DiffOptions::new();
    opts.context_lines(3);
    let p = std::path::Path::new(path);
    let patch = git2::Patch::from_buffers(
        old.unwrap_or("").as_bytes(),
        old.map(|_| p),
        new.unwrap_or("").as_bytes(),
        new.map(|_| p),
        Some(&mut opts),
    )?;
    let (_, added, removed) = patch.line_stats()?;
    let mut patch = patch;
    let text = String::from_utf8_lossy(&patch.to_buf()?).into_owned();
    Ok((text, added as u32, removed as u32))
}

/// A checklist item as the editor's preview lists it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PreviewItem {
    pub id: String,
    pub text: String,
}

/// A framework file being drafted, read as the record would read it: the editor shows the
/// problem (file, line, message) as the member types, and the rendered page when it reads.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FilePreview {
    pub path: String,
    /// `consortium`, `checklist` or `policy`.
    pub kind: String,
    pub ok: bool,
    pub problem: Option<super::ProblemView>,
    pub title: Option<String>,
    /// The body rendered and sanitized.
    pub html: String,
    /// A checklist's items, in order.
    pub items: Vec<PreviewItem>,
}

/// Reads `text` as the file at `path` (a checklist, policy or consortium.toml): the same
/// parsers `propose` applies to the branch.
pub fn preview_file(path: &str, text: &str) -> Result<FilePreview> {
    use crate::error::Input;
    if !crate::proposal::change::in_scope(path) || path.split('/').any(|c| c.is_empty() || c == "..") {
        return Err(Error::invalid(
            Input::File,
            format!("{path:?}: a proposal may change only consortium.toml and policies/"),
        ));
    }
    let mut p = FilePreview {
        path: path.to_string(),
        kind: String::new(),
        ok: true,
        problem: None,
        title: None,
        html: String::new(),
        items: vec![],
    };
    // The same reading `propose` applies (proposal::change::check_file), keeping what it read.
    let kind = FileKind::of(path);
    p.kind = kind.unwrap_or(FileKind::Policy).as_str().into();
    let result = match kind {
        Some(FileKind::Consortium) => Consortium::parse(text).map(|c| p.title = Some(c.name)),
        Some(FileKind::Checklist) => crate::checklist::Gate::parse(path, text).map(|g| {
            p.title = Some(g.title.clone());
            p.html = crate::render::to_html(&g.body);
            p.items = g.items.iter().map(|i| PreviewItem { id: i.id.clone(), text: i.text.clone() }).collect();
        }),
        Some(FileKind::Policy) => crate::policy::Policy::parse(path, text).map(|pol| {
            p.title = Some(pol.title.clone());
            p.html = crate::render::to_html(&pol.body);
        }),
        Some(FileKind::Accelerators) => crate::estimate::Table::parse(text)
            .map(|_| p.title = Some("Accelerators of the deployment estimate".into())),
        // A file `propose` does not read passes; its Markdown is still shown.
        None => {
            if path.ends_with(".md") {
                p.html = crate::render::to_html(text);
            }
            Ok(())
        }
    };
    if let Err(m) = result {
        p.ok = false;
        p.problem = Some((&m).into());
        // Still show what the body would look like while the front matter is being fixed.
        if p.html.is_empty() && path.ends_with(".md") {
            let body = crate::frontmatter::split(path, text).map(|s| s.body).unwrap_or(text);
            p.html = crate::render::to_html(body);
        }
    }
    Ok(p)
}
