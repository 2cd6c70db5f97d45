//! The checks of one commit: its trailers and author against the parent's consortium.toml,
//! its signature, and every file it changes.

use git2::{Delta, Oid, Tree};

use super::accepts::{Deferred, Trace};
use super::added_signoff::check_added_signoff;
use super::objects::Objects;
use super::parsed::{Parsed, Rules};
use super::{Checker, Finding, FindingKind};
use crate::card::Card;
use crate::checklist::Gate;
use crate::consortium::{self, Consortium, SignedCommits};
use crate::error::{Malformed, Result};
use crate::policy::Policy;
use crate::proposal::{Outcome, Record, Vote};
use crate::rules::requires::{self, Cycle};
use crate::signing::SignatureStatus;
use crate::signoff::SignoffFile;
use crate::trailers::{self, Trailers};

const ACTIONS: &[&str] =
    &["init", "model", "signoff", "propose", "revise", "vote", "accept", "withdraw", "reject", "sync"];

/// What one commit changed, relative to its first parent.
pub(super) struct Change {
    pub path: String,
    pub status: Delta,
    pub new_id: Oid,
    pub new_mode: Option<i32>,
}

fn changes(objects: &mut Objects, parent: Option<Oid>, tree: Oid) -> Result<Vec<Change>> {
    Ok(objects
        .diff(parent, tree)?
        .into_iter()
        .map(|c| {
            let status = match (c.old, c.new) {
                (None, _) => Delta::Added,
                (_, None) => Delta::Deleted,
                _ => Delta::Modified,
            };
            Change { new_id: c.new.unwrap_or_else(Oid::zero), new_mode: c.new_mode, path: c.path, status }
        })
        .collect())
}

/// The sign-off files a commit adds.
fn signoffs_in(changed: &[Change]) -> usize {
    changed.iter().filter(|c| c.path.starts_with("signoffs/") && c.status == Delta::Added).count()
}

fn is_governed_framework(path: &str) -> bool {
    path == consortium::PATH || path.starts_with("policies/")
}

pub(super) fn check_commit(checker: &mut Checker, id: Oid, findings: &mut Vec<Finding>) -> Result<()> {
    let Checker { objects, parsed, last, traces, deferred } = checker;
    // The commit is read (and checked) first; the signature's extraction then finds the same
    // bytes in libgit2's cache.
    let commit = objects.commit(id)?;
    let signature = crate::signing::signature_parts(objects.repo(), id)?;
    let tree = objects.tree(commit.tree_id())?;
    let parent_tree = match (commit.parent_id(0).ok(), last.take()) {
        (None, _) => None,
        (Some(p), Some((l, t))) if p == l => Some(t),
        (Some(p), _) => {
            let parent = objects.commit(p)?;
            Some(objects.tree(parent.tree_id())?)
        }
    };
    *last = Some((id, tree.clone()));
    let message = String::from_utf8_lossy(commit.message_bytes()).to_string();
    let t = Trailers::parse(&message);
    let action = t.action();
    let hex = id.to_string();
    let author_email = String::from_utf8_lossy(commit.author().email_bytes()).into_owned();
    let speaker = t.get(trailers::MEMBER).map(str::to_string).unwrap_or(author_email);
    // Where among `findings` an accept's finding, judged after the pass, goes.
    let (first_finding, found) = (findings.len(), std::cell::Cell::new(0));
    let mut find = |kind: FindingKind, path: Option<&str>, message: String| {
        found.set(found.get() + 1);
        findings.push(Finding {
            kind,
            commit: hex.clone(),
            path: path.map(str::to_string),
            member: Some(speaker.clone()),
            message,
        });
    };

    // What the commit changes; its changes to proposals' files are noted for the judgement of
    // accepts, even when the commit itself cannot be judged.
    let changed = changes(objects, parent_tree.as_ref().map(Tree::id), commit.tree_id())?;
    let new = |c: &Change| (c.status != Delta::Deleted).then(|| (c.new_id, c.new_mode.unwrap_or_default()));
    traces.push((id, Trace::new(commit.parent_ids().collect(), changed.iter().map(|c| (c.path.as_str(), new(c))))));

    // Rules as they stood before this commit (the init commit is judged by what it creates).
    let rules_tree = parent_tree.as_ref().unwrap_or(&tree);
    let Some(rules) = parsed.rules(objects, rules_tree)? else {
        if parent_tree.is_some() {
            // Without readable rules nothing can be judged; the malformed file was reported
            // at the commit that broke it.
            return Ok(());
        }
        find(
            FindingKind::MalformedFile,
            Some(consortium::PATH),
            "the first commit has no readable consortium.toml".into(),
        );
        return Ok(());
    };

    let consortium = &rules.consortium;
    let is_merge = commit.parent_count() > 1;

    if let Some(action) = action {
        if !ACTIONS.contains(&action) {
            find(FindingKind::TrailerMismatch, None, format!("unknown Gatehouse-Action {action:?}"));
        }
        let author = commit.author();
        let email = String::from_utf8_lossy(author.email_bytes()).to_string();
        match t.get(trailers::MEMBER) {
            None => find(FindingKind::TrailerMismatch, None, "an action commit without Gatehouse-Member".into()),
            Some(m) => match consortium.member(m) {
                None => find(FindingKind::UnknownMember, None, format!("{m:?} is not a member of the consortium")),
                Some(member) if !member.email.eq_ignore_ascii_case(&email) => {
                    match consortium.member_by_email(&email) {
                        None => find(
                            FindingKind::UnknownMember,
                            None,
                            format!("the author <{email}> is nobody in consortium.toml"),
                        ),
                        Some(other) => find(
                            FindingKind::TrailerMismatch,
                            None,
                            format!("Gatehouse-Member is {m} but the author is {}", other.id),
                        ),
                    }
                }
                Some(_) => {}
            },
        }
    }

    check_signature(signature.as_ref(), &commit, &rules, &t, &mut find);

    if action == Some("accept") {
        match (t.get(trailers::PROPOSAL), parent_tree.as_ref()) {
            (Some(p), Some(pt)) => {
                // accept_case reads the proposal's files through libgit2: check them first.
                objects.check_folder(pt, &format!("proposals/{p}"))?;
                let path = crate::proposal::record_path(p);
                match crate::proposal::accept_case(objects.repo(), pt, &commit, p) {
                    Err(reason) => find(FindingKind::AcceptWithoutQuorum, Some(&path), reason),
                    Ok(None) => {}
                    // The deliberation needs the vote versions of the whole history before
                    // the accept: it is judged after the pass (`accepts`).
                    Ok(Some(case)) => deferred.push(Deferred {
                        index: first_finding + found.get(),
                        commit: id,
                        proposal: p.to_string(),
                        rules: consortium.clone(),
                        case,
                        finding: Finding {
                            kind: FindingKind::AcceptWithoutQuorum,
                            commit: hex.clone(),
                            path: Some(path),
                            member: Some(speaker.clone()),
                            message: String::new(),
                        },
                    }),
                }
            }
            _ => find(FindingKind::TrailerMismatch, None, "an accept commit without Gatehouse-Proposal".into()),
        }
    }

    if (!is_merge || action == Some("accept")) && changed.iter().any(|c| c.path.starts_with("proposals/")) {
        let member = match t.get(trailers::MEMBER) {
            Some(m) => Some(m.to_string()),
            None => consortium
                .member_by_email(&String::from_utf8_lossy(commit.author().email_bytes()))
                .map(|m| m.id.clone()),
        };
        super::proposals::check_proposal_changes(
            objects,
            consortium,
            parent_tree.as_ref(),
            &tree,
            &t,
            member.as_deref(),
            &changed,
            &mut find,
        )?;
    }

    if is_merge && action == Some("accept") {
        check_accept_content(objects, &commit, &changed, &mut find)?;
    }

    if is_merge && action == Some("sync") {
        check_sync_merge(objects, &commit, &tree, &changed, &mut find)?;
    }

    let mut signoffs_added = 0;
    for c in &changed {
        // Malformed files are reported at the commit that brings them in.
        let mut signoff_file = None;
        if c.status != Delta::Deleted {
            match c.new_mode.and_then(|mode| crate::repo::unreadable_mode(&c.path, mode)) {
                Some(m) => find(FindingKind::MalformedFile, Some(&c.path), m.to_string()),
                None => match parse_changed(objects, &c.path, c.new_id)? {
                    Some(Err(m)) => find(FindingKind::MalformedFile, Some(&c.path), m.to_string()),
                    Some(Ok(parsed)) => signoff_file = parsed,
                    None => {}
                },
            }
        }
        if c.path == consortium::PATH && c.status == Delta::Modified {
            check_format_kept(objects, consortium, c, &mut find)?;
        }
        if action == Some("accept") && !is_governed_framework(&c.path) && !c.path.starts_with("proposals/") {
            find(
                FindingKind::TrailerMismatch,
                Some(&c.path),
                format!("an accept may change only policies/ and consortium.toml; it changes {}", c.path),
            );
            continue;
        }
        if is_governed_framework(&c.path) && !matches!(action, Some("init") | Some("accept")) && !is_merge {
            find(
                FindingKind::UngovernedChange,
                Some(&c.path),
                format!("{} changed outside an accepted proposal", c.path),
            );
            continue;
        }
        if c.path.starts_with("signoffs/") {
            match c.status {
                Delta::Modified | Delta::Typechange => find(
                    FindingKind::EditedSignoff,
                    Some(&c.path),
                    "a sign-off was edited; sign-offs are never changed".into(),
                ),
                Delta::Deleted => find(
                    FindingKind::DeletedSignoff,
                    Some(&c.path),
                    "a sign-off was deleted; sign-offs are never removed".into(),
                ),
                _ if is_merge => {}
                _ => {
                    signoffs_added += 1;
                    check_added_signoff(
                        objects,
                        parsed,
                        consortium,
                        parent_tree.as_ref(),
                        &tree,
                        &changed,
                        &t,
                        c,
                        signoff_file.as_ref(),
                        &mut find,
                    )?;
                }
            }
            continue;
        }
        if let Some(rest) = c.path.strip_prefix("models/") {
            if is_merge {
                continue;
            }
            let model = rest.split('/').next().unwrap_or("");
            match action {
                Some("model") if t.get(trailers::MODEL) != Some(model) => find(
                    FindingKind::TrailerMismatch,
                    Some(&c.path),
                    format!("changes model {model} but Gatehouse-Model is {:?}", t.get(trailers::MODEL).unwrap_or("")),
                ),
                Some("model") => {
                    let card = match parent_tree.as_ref() {
                        Some(pt) => parsed.card(objects, pt, model)?,
                        None => None,
                    };
                    let owners = card.map(|c| c.owners.clone());
                    let member = t.get(trailers::MEMBER).unwrap_or("");
                    if let Some(owners) = owners.filter(|o| !o.iter().any(|x| x == member)) {
                        find(
                            FindingKind::NotOwner,
                            Some(&c.path),
                            format!("{member} changed {model}, whose owners are {}", owners.join(", ")),
                        );
                    }
                }
                Some("init") => {}
                // Evidence attached while signing: judged with the sign-off that cites it.
                Some("signoff") if signoffs_in(&changed) == 1 => {}
                _ => find(
                    FindingKind::TrailerMismatch,
                    Some(&c.path),
                    format!("changes a model without a model action (action: {})", action.unwrap_or("none")),
                ),
            }
        }
    }
    if changed.iter().any(|c| c.path.starts_with("policies/checklists/")) {
        check_requirement_cycles(objects, parsed, parent_tree.as_ref(), &tree, &mut find)?;
    }
    if action == Some("signoff") && signoffs_added != 1 {
        find(
            FindingKind::TrailerMismatch,
            None,
            format!("a signoff commit must add exactly one sign-off file; this one adds {signoffs_added}"),
        );
    }
    Ok(())
}

/// `unsigned` for an action commit where signing is required, `bad-signature` for any commit
/// whose signature does not hold or is by a key not listed for its member in the parent's
/// consortium.toml.
fn check_signature(
    signature: Option<&crate::signing::SignatureParts>,
    commit: &git2::Commit,
    rules: &Rules,
    t: &Trailers,
    find: &mut impl FnMut(FindingKind, Option<&str>, String),
) {
    let consortium = &rules.consortium;
    let member = crate::signing::member_of(consortium, commit, t);
    let keys = member.map(|m| (m.id.as_str(), rules.keys.get(&m.id).map(Vec::as_slice).unwrap_or(&[])));
    match crate::signing::status_of_parts(signature, keys) {
        SignatureStatus::Valid { .. } => {}
        SignatureStatus::Unsigned => {
            if t.action().is_some() && consortium.rules.signed_commits == SignedCommits::Required {
                find(
                    FindingKind::Unsigned,
                    None,
                    format!(
                        "an unsigned {} commit; {} requires signed commits",
                        t.action().unwrap_or(""),
                        consortium.name
                    ),
                );
            }
        }
        SignatureStatus::Invalid { reason } => find(FindingKind::BadSignature, None, reason),
    }
}

/// Gates that require each other make the framework malformed; reported at the commit whose
/// checklists close the loop.
fn check_requirement_cycles<'r>(
    objects: &mut Objects<'r>,
    parsed: &mut Parsed<'r>,
    parent_tree: Option<&Tree<'r>>,
    tree: &Tree<'r>,
    find: &mut impl FnMut(FindingKind, Option<&str>, String),
) -> Result<()> {
    let before: Vec<String> = match parent_tree {
        Some(pt) => requires::cycles(&parsed.gates(objects, pt)?).iter().map(Cycle::message).collect(),
        None => Vec::new(),
    };
    let gates = parsed.gates(objects, tree)?;
    for cycle in requires::cycles(&gates).iter().filter(|c| !before.contains(&c.message())) {
        let problem = cycle.problem(&gates);
        find(FindingKind::MalformedFile, Some(&problem.location.path), problem.to_string());
    }
    Ok(())
}

/// A record's format decides where its sign-offs are: it is set by `init`, and a change to it
/// would leave every earlier sign-off where the new format does not look.
fn check_format_kept(
    objects: &Objects,
    before: &Consortium,
    c: &Change,
    find: &mut impl FnMut(FindingKind, Option<&str>, String),
) -> Result<()> {
    let Ok(text) = objects.text(c.new_id, &c.path)? else { return Ok(()) };
    if let Ok(after) = Consortium::parse(&text) {
        if after.format != before.format {
            find(
                FindingKind::MalformedFile,
                Some(&c.path),
                format!(
                    "format changed from {} to {}; a record keeps the format init gave it",
                    before.format, after.format
                ),
            );
        }
    }
    Ok(())
}

/// What a file a commit brings in says: `None` for files Gatehouse does not read, `Some(Err)`
/// when malformed, and for a sign-off the parsed file.
type ChangedFile = Option<std::result::Result<Option<SignoffFile>, Malformed>>;

/// Parses a file a commit brings in, when it is of a kind Gatehouse reads.
fn parse_changed(objects: &Objects, path: &str, blob: Oid) -> Result<ChangedFile> {
    let kind_known = path == consortium::PATH
        || (path.starts_with("policies/") && path.ends_with(".md"))
        || path == crate::estimate::accelerators::PATH
        || (path.starts_with("models/") && path.ends_with("/card.md") && path.matches('/').count() == 2)
        || (path.starts_with("models/") && path.ends_with("/registration.toml") && path.matches('/').count() == 2)
        || path.starts_with("signoffs/")
        || is_proposal_file(path);
    if !kind_known {
        return Ok(None);
    }
    let text = match objects.text(blob, path)? {
        Ok(t) => t,
        Err(m) => return Ok(Some(Err(m))),
    };
    let result = if path == consortium::PATH {
        Consortium::parse(&text).map(|_| ())
    } else if path == crate::estimate::accelerators::PATH {
        crate::estimate::Table::parse(&text).map(|_| ())
    } else if path.starts_with("policies/checklists/") {
        Gate::parse(path, &text).map(|_| ())
    } else if path.starts_with("policies/") {
        Policy::parse(path, &text).map(|_| ())
    } else if path.starts_with("models/") && path.ends_with("/registration.toml") {
        crate::registration::Registration::parse(path, &text).map(|_| ())
    } else if path.starts_with("models/") {
        let model = path.split('/').nth(1).unwrap_or("");
        Card::parse(path, model, &text).map(|_| ())
    } else if path.ends_with("/proposal.md") {
        Record::parse(path, &text).map(|_| ())
    } else if path.ends_with("/outcome.toml") {
        Outcome::parse(path, &text).map(|_| ())
    } else if path.starts_with("proposals/") {
        Vote::parse(path, &text).and_then(|v| v.problem(path).map_or(Ok(()), Err))
    } else {
        return Ok(Some(SignoffFile::parse(path, &text).map(Some)));
    };
    Ok(Some(result.map(|_| None)))
}

/// The files of a proposal's folder Gatehouse reads: the record, the outcome and the votes.
fn is_proposal_file(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["proposals", _, "proposal.md" | "outcome.toml"] => true,
        ["proposals", _, "votes", name] => name.ends_with(".toml"),
        _ => false,
    }
}

/// An `accept` brings to the framework exactly what its subject holds: every file of
/// `consortium.toml` and `policies/` it changes has the content it has in the second parent,
/// so nothing reaches the rules that the members did not vote on.
fn check_accept_content<'r>(
    objects: &mut Objects<'r>,
    commit: &git2::Commit,
    changed: &[Change],
    find: &mut impl FnMut(FindingKind, Option<&str>, String),
) -> Result<()> {
    let Ok(subject) = commit.parent_id(1) else { return Ok(()) };
    let subject = objects.commit(subject)?;
    let subject_tree = objects.tree(subject.tree_id())?;
    for c in changed.iter().filter(|c| is_governed_framework(&c.path)) {
        let theirs = objects.entry(&subject_tree, &c.path)?.map(|e| e.id());
        let ours = (c.status != Delta::Deleted).then_some(c.new_id);
        if theirs != ours {
            find(
                FindingKind::BadMerge,
                Some(&c.path),
                format!("the accept gives {} content its voted subject does not have", c.path),
            );
        }
    }
    Ok(())
}

/// A `sync` merge may only combine its parents: every path it changes relative to the first
/// parent must have the content it has in another parent.
fn check_sync_merge<'r>(
    objects: &mut Objects<'r>,
    commit: &git2::Commit,
    tree: &Tree<'r>,
    changed: &[Change],
    find: &mut impl FnMut(FindingKind, Option<&str>, String),
) -> Result<()> {
    let mut others = Vec::new();
    for parent in commit.parent_ids().skip(1) {
        let parent = objects.commit(parent)?;
        others.push(objects.tree(parent.tree_id())?);
    }
    for c in changed {
        let ours = objects.entry(tree, &c.path)?.map(|e| e.id());
        let mut from_other = false;
        for other in &others {
            from_other |= objects.entry(other, &c.path)?.map(|e| e.id()) == ours;
        }
        if !from_other {
            find(FindingKind::BadMerge, Some(&c.path), format!("the merge brings {} from neither parent", c.path));
        }
    }
    Ok(())
}
