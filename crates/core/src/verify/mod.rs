//! `gatehouse verify`: walks `main` from its root and reports every breach of the contract
//! (SPEC section 2). Membership, roles and ownership are judged as they stood in each commit's
//! parent, and so are the keys a commit's signature may be made with.

use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use git2::{Delta, Odb, Oid, Repository, Sort, Tree};
use serde::Serialize;

use crate::card::Card;
use crate::checklist::Gate;
use crate::consortium::{self, Consortium, SignedCommits};
use crate::error::{Malformed, Result};
use crate::policy::Policy;
use crate::progress::Progress;
use crate::repo::{blob_text, Governance};
use crate::signing::SignatureStatus;
use crate::signoff::{SignoffFile, SignoffPath};
use crate::trailers::{self, Trailers};
use crate::treediff::TreeCache;
use ssh_key::public::KeyData;

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

/// `verify --json`, as SPEC section 3 gives it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub head: String,
    pub commits_checked: usize,
    pub findings: Vec<Finding>,
}

const ACTIONS: &[&str] =
    &["init", "model", "signoff", "propose", "revise", "vote", "accept", "withdraw", "reject", "sync"];

/// The rules in one consortium.toml, with each member's keys parsed once.
struct Rules {
    consortium: Consortium,
    keys: HashMap<String, Vec<KeyData>>,
}

impl Rules {
    fn new(consortium: Consortium) -> Rules {
        let keys = consortium.members.iter().map(|m| (m.id.clone(), crate::signing::members_keys(m))).collect();
        Rules { consortium, keys }
    }
}

/// Parsed files, cached by blob id: most commits share their parent's consortium and checklists.
/// Trees and parsed files are kept here rather than left to libgit2's object cache, whose
/// random evictions would make verify read (and hash) them again.
#[derive(Default)]
struct Cache<'r> {
    consortium: HashMap<Oid, Option<Rc<Rules>>>,
    /// By the id of `policies/` and the gate's id.
    gates: HashMap<(Oid, String), Option<Rc<Gate>>>,
    cards: HashMap<Oid, Option<Rc<Card>>>,
    /// The last `models/` read: the same tree for every commit that does not change a card.
    models: Option<Tree<'r>>,
}

/// Parses the file at `path` in `tree` once per blob id; `None` when absent or malformed.
fn cached<T>(
    map: &mut HashMap<Oid, Option<Rc<T>>>,
    repo: &Repository,
    tree: &Tree,
    path: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Option<Rc<T>> {
    let id = tree.get_path(Path::new(path)).ok()?.id();
    map.entry(id)
        .or_insert_with(|| {
            let blob = repo.find_blob(id).ok()?;
            parse(&blob_text(path, blob.content()).ok()?).map(Rc::new)
        })
        .clone()
}

impl<'r> Cache<'r> {
    fn rules(&mut self, repo: &Repository, tree: &Tree) -> Option<Rc<Rules>> {
        cached(&mut self.consortium, repo, tree, consortium::PATH, |t| Consortium::parse(t).ok().map(Rules::new))
    }

    fn gate(&mut self, repo: &Repository, tree: &Tree, gate: &str) -> Option<Rc<Gate>> {
        let policies = tree.get_name("policies")?.id();
        self.gates
            .entry((policies, gate.to_string()))
            .or_insert_with(|| {
                let path = crate::checklist::path(gate);
                let blob = repo.find_blob(tree.get_path(Path::new(&path)).ok()?.id()).ok()?;
                Gate::parse(&path, &blob_text(&path, blob.content()).ok()?).ok().map(Rc::new)
            })
            .clone()
    }

    /// The id of `models/<model>` in `tree` (`crate::repo::subtree_id`), reading `models/`
    /// once for all the commits that share it.
    fn model_tree(&mut self, repo: &'r Repository, tree: &Tree, model: &str) -> Option<Oid> {
        let is_tree = |e: &git2::TreeEntry| e.kind() == Some(git2::ObjectType::Tree);
        if model.contains('/') {
            return crate::repo::subtree_id(tree, &crate::card::dir(model));
        }
        let id = tree.get_name("models").filter(is_tree)?.id();
        if self.models.as_ref().map(Tree::id) != Some(id) {
            self.models = Some(repo.find_tree(id).ok()?);
        }
        let entry = self.models.as_ref()?.get_name(model).filter(is_tree)?;
        Some(entry.id())
    }

    fn card(&mut self, repo: &Repository, tree: &Tree, model: &str) -> Option<Rc<Card>> {
        let path = crate::card::path(model);
        cached(&mut self.cards, repo, tree, &path, |t| Card::parse(&path, model, t).ok())
    }
}

/// What one thread keeps between the commits it checks.
struct Checker<'r> {
    repo: &'r Repository,
    odb: &'r Odb<'r>,
    cache: Cache<'r>,
    trees: TreeCache<'r>,
    /// The commit checked last, with its tree: the next commit's parent, most of the time.
    last: Option<(Oid, Tree<'r>)>,
}

impl<'r> Checker<'r> {
    fn new(repo: &'r Repository, odb: &'r Odb<'r>) -> Self {
        Checker { repo, odb, cache: Cache::default(), trees: TreeCache::default(), last: None }
    }

    fn check(&mut self, id: Oid, findings: &mut Vec<Finding>) -> Result<()> {
        self.trees.next_round();
        check_commit(self, id, findings)
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
    // Every object read is checked against its id: a verification must not trust the disk.
    git2::opts::strict_hash_verification(true);
    let repo = gov.repo();
    let head = gov.head()?;
    let mut walk = repo.revwalk()?;
    walk.push(head)?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    let ids: Vec<Oid> = walk.collect::<Result<_, _>>()?;
    progress.begin("verifying history", ids.len() as u64);
    // A proposal branch's commits are judged by the vote its accept merge records.
    let proposal_content = proposal_content(repo, &ids)?;
    let to_check: Vec<Oid> = ids.iter().filter(|id| !proposal_content.contains(id)).copied().collect();
    let mut findings = check_all(repo, &to_check, progress)?;
    progress.end();
    let history: std::collections::HashSet<Oid> = ids.iter().copied().collect();
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
fn proposal_content(repo: &Repository, ids: &[Oid]) -> Result<std::collections::HashSet<Oid>> {
    let mut content = std::collections::HashSet::new();
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

/// What one commit changed, relative to its first parent.
struct Change {
    path: String,
    status: Delta,
    new_id: Oid,
    new_mode: Option<i32>,
}

fn changes<'r>(odb: &'r Odb<'r>, trees: &mut TreeCache<'r>, parent: Option<Oid>, tree: Oid) -> Result<Vec<Change>> {
    Ok(crate::treediff::diff_cached(odb, trees, parent, tree)?
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

fn is_governed_framework(path: &str) -> bool {
    path == consortium::PATH || path.starts_with("policies/")
}

fn check_commit(checker: &mut Checker, id: Oid, findings: &mut Vec<Finding>) -> Result<()> {
    let Checker { repo, odb, cache, trees, last } = checker;
    let repo: &Repository = repo;
    // The signature first: it reads the commit's raw bytes, which the parse below then reuses
    // from libgit2's cache instead of reading and hashing the commit a second time.
    let signature = crate::signing::signature_parts(repo, id)?;
    let commit = repo.find_commit(id)?;
    let tree = repo.find_tree(commit.tree_id())?;
    let parent_tree = match (commit.parent_id(0).ok(), last.take()) {
        (None, _) => None,
        (Some(p), Some((l, t))) if p == l => Some(t),
        (Some(p), _) => Some(repo.find_commit(p)?.tree()?),
    };
    *last = Some((id, tree.clone()));
    let message = String::from_utf8_lossy(commit.message_bytes()).to_string();
    let t = Trailers::parse(&message);
    let action = t.action();
    let hex = id.to_string();
    let author_email = String::from_utf8_lossy(commit.author().email_bytes()).into_owned();
    let speaker = t.get(trailers::MEMBER).map(str::to_string).unwrap_or(author_email);
    let mut find = |kind: FindingKind, path: Option<&str>, message: String| {
        findings.push(Finding {
            kind,
            commit: hex.clone(),
            path: path.map(str::to_string),
            member: Some(speaker.clone()),
            message,
        });
    };

    // Rules as they stood before this commit (the init commit is judged by what it creates).
    let rules_tree = parent_tree.as_ref().unwrap_or(&tree);
    let Some(rules) = cache.rules(repo, rules_tree) else {
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
    let changed = changes(odb, trees, parent_tree.as_ref().map(Tree::id), commit.tree_id())?;
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
                if let Some(reason) = crate::proposal::judge_accept(repo, consortium, pt, &commit, p) {
                    find(FindingKind::AcceptWithoutQuorum, Some(&crate::proposal::record_path(p)), reason);
                }
            }
            _ => find(FindingKind::TrailerMismatch, None, "an accept commit without Gatehouse-Proposal".into()),
        }
    }

    if is_merge && action == Some("sync") {
        check_sync_merge(repo, &commit, &tree, &changed, &mut find)?;
    }

    let mut signoffs_added = 0;
    for c in &changed {
        // Malformed files are reported at the commit that brings them in.
        let mut signoff_file = None;
        if c.status != Delta::Deleted {
            match c.new_mode.and_then(|mode| crate::repo::unreadable_mode(&c.path, mode)) {
                Some(m) => find(FindingKind::MalformedFile, Some(&c.path), m.to_string()),
                None => match parse_changed(repo, &c.path, c.new_id) {
                    Some(Err(m)) => find(FindingKind::MalformedFile, Some(&c.path), m.to_string()),
                    Some(Ok(parsed)) => signoff_file = parsed,
                    None => {}
                },
            }
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
                        repo,
                        cache,
                        consortium,
                        parent_tree.as_ref(),
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
                    let owners =
                        parent_tree.as_ref().and_then(|pt| cache.card(repo, pt, model)).map(|c| c.owners.clone());
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
                _ => find(
                    FindingKind::TrailerMismatch,
                    Some(&c.path),
                    format!("changes a model without a model action (action: {})", action.unwrap_or("none")),
                ),
            }
        }
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

/// Parses a file a commit brings in, when it is of a kind Gatehouse reads: `None` for other
/// files (and unreadable blobs), `Some(Err)` when malformed, and for a sign-off the parsed file.
fn parse_changed(
    repo: &Repository,
    path: &str,
    blob: Oid,
) -> Option<std::result::Result<Option<SignoffFile>, Malformed>> {
    let kind_known = path == consortium::PATH
        || (path.starts_with("policies/") && path.ends_with(".md"))
        || (path.starts_with("models/") && path.ends_with("/card.md") && path.matches('/').count() == 2)
        || path.starts_with("signoffs/");
    if !kind_known {
        return None;
    }
    let content = repo.find_blob(blob).ok()?;
    let text = match blob_text(path, content.content()) {
        Ok(t) => t,
        Err(m) => return Some(Err(m)),
    };
    let result = if path == consortium::PATH {
        Consortium::parse(&text).map(|_| ())
    } else if path.starts_with("policies/checklists/") {
        Gate::parse(path, &text).map(|_| ())
    } else if path.starts_with("policies/") {
        Policy::parse(path, &text).map(|_| ())
    } else if path.starts_with("models/") {
        let model = path.split('/').nth(1).unwrap_or("");
        Card::parse(path, model, &text).map(|_| ())
    } else {
        return Some(SignoffFile::parse(path, &text).map(Some));
    };
    Some(result.map(|_| None))
}

#[allow(clippy::too_many_arguments)]
fn check_added_signoff<'r>(
    repo: &'r Repository,
    cache: &mut Cache<'r>,
    consortium: &Consortium,
    parent_tree: Option<&Tree>,
    t: &Trailers,
    c: &Change,
    file: Option<&SignoffFile>,
    find: &mut impl FnMut(FindingKind, Option<&str>, String),
) -> Result<()> {
    let path = c.path.as_str();
    if t.action() != Some("signoff") {
        find(
            FindingKind::TrailerMismatch,
            Some(path),
            format!("a sign-off file added by a commit whose action is {}", t.action().unwrap_or("none")),
        );
    }
    let Some(name) = SignoffPath::parse(path) else {
        return Ok(());
    };
    let Some(file) = file else {
        return Ok(()); // reported as malformed-file
    };
    if t.action() == Some("signoff") {
        let expected = [
            (trailers::MEMBER, file.member.as_str()),
            (trailers::MODEL, file.model.as_str()),
            (trailers::GATE, file.gate.as_str()),
            (trailers::DECISION, file.decision.as_str()),
            (trailers::SUBJECT, file.subject.as_str()),
        ];
        for (key, value) in expected {
            if t.get(key) != Some(value) {
                find(
                    FindingKind::TrailerMismatch,
                    Some(path),
                    format!("{key} is {:?} but the file says {value:?}", t.get(key).unwrap_or("")),
                );
            }
        }
    }
    let current_subject = parent_tree.and_then(|pt| cache.model_tree(repo, pt, &name.model));
    if current_subject.map(|s| s.to_string()).as_deref() != Some(file.subject.as_str()) {
        find(
            FindingKind::TrailerMismatch,
            Some(path),
            format!("subject {} is not the tree of models/{} in the parent commit", file.subject, name.model),
        );
    }
    match consortium.member(&file.member) {
        None => find(FindingKind::UnknownMember, Some(path), format!("{:?} signed but is not a member", file.member)),
        Some(member) => {
            let gate = parent_tree.and_then(|pt| cache.gate(repo, pt, &file.gate));
            match gate {
                None => find(
                    FindingKind::MalformedFile,
                    Some(path),
                    format!("gate {:?} does not exist in the parent commit", file.gate),
                ),
                Some(g) if !member.has_role(&g.signers.role) => find(
                    FindingKind::MissingRole,
                    Some(path),
                    format!("{} signed {} without the role {}", member.id, g.id, g.signers.role),
                ),
                Some(_) => {}
            }
        }
    }
    Ok(())
}

/// A `sync` merge may only combine its parents: every path it changes relative to the first
/// parent must have the content it has in another parent.
fn check_sync_merge(
    repo: &Repository,
    commit: &git2::Commit,
    tree: &Tree,
    changed: &[Change],
    find: &mut impl FnMut(FindingKind, Option<&str>, String),
) -> Result<()> {
    let others: Vec<Tree> = commit.parents().skip(1).map(|p| p.tree()).collect::<Result<_, _>>()?;
    for c in changed {
        let ours = tree.get_path(Path::new(&c.path)).ok().map(|e| e.id());
        let from_other = others.iter().any(|t| t.get_path(Path::new(&c.path)).ok().map(|e| e.id()) == ours);
        if !from_other {
            find(FindingKind::BadMerge, Some(&c.path), format!("the merge brings {} from neither parent", c.path));
        }
    }
    let _ = repo;
    Ok(())
}
