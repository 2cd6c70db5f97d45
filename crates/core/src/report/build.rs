//! Reads the repository at one commit into a [`Report`]. Everything comes from git objects
//! reachable from that commit: the index (which follows `main`'s tip) is not read, so a report
//! of an older commit says what the record said then.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, SecondsFormat};
use git2::{Oid, Repository, Sort, Tree};
use sha2::{Digest, Sha256};

use super::*;
use crate::card::Card;
use crate::checklist;
use crate::error::{Error, Input, Result};
use crate::estimate::{self, Unavailable};
use crate::progress::Progress;
use crate::proposal::{self, ProposalState};
use crate::record::{self, Framework};
use crate::repo::{subtree_id, Governance};
use crate::rules::{current_gate, GateState};
use crate::signing::{self, Judgement};
use crate::signoff::{ItemState, Layout};
use crate::trailers::{self, Trailers};
use crate::views::model::model_detail_judged;

/// What a report describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Model(String),
    /// Every model's standing.
    Consortium,
    /// A proposal's decision record.
    Proposal(String),
}

/// Choices that change what a report holds.
#[derive(Debug, Clone)]
pub struct Options {
    /// Run `verify` over the history up to the commit and list its findings (on by default).
    pub verify: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { verify: true }
    }
}

/// The commit `rev` names (a commit id, a branch, a tag, `main~3`); `None`: the tip of `main`.
pub fn resolve(gov: &Governance, rev: Option<&str>) -> Result<Oid> {
    let Some(rev) = rev else { return gov.head() };
    let not_found = || Error::invalid(Input::Revision, format!("{rev:?} names no commit of this repository"));
    if rev.is_empty() || rev.starts_with('-') || rev.chars().any(char::is_control) {
        return Err(not_found());
    }
    let object = gov.repo().revparse_single(rev).map_err(|_| not_found())?;
    let commit = object.peel_to_commit().map_err(|_| not_found())?;
    Ok(commit.id())
}

/// The report of `scope` at `commit`.
pub fn build(
    gov: &Governance,
    commit: Oid,
    scope: &Scope,
    options: &Options,
    progress: &mut dyn Progress,
) -> Result<Report> {
    let repo = gov.repo();
    let c = repo.find_commit(commit)?;
    let tree = c.tree()?;
    let fw = Framework::load(repo, &tree)?;
    match scope {
        Scope::Model(m) | Scope::Proposal(m) => {
            let input = if matches!(scope, Scope::Model(_)) { Input::Model } else { Input::Proposal };
            crate::id::check(input, m)?;
        }
        Scope::Consortium => {}
    }
    let mut report = Report {
        format: FORMAT.to_string(),
        generator: Generator { name: "gatehouse".into(), version: env!("CARGO_PKG_VERSION").into() },
        scope: ScopeInfo { kind: ScopeKind::Consortium, id: String::new(), title: String::new() },
        consortium: fw.consortium.name.clone(),
        commit: commit_info(repo, &c)?,
        model: None,
        consortium_report: None,
        proposal: None,
        policies: policies_in_force(repo, commit, &tree, &fw)?,
        crosswalk: Vec::new(),
        findings: Vec::new(),
        commits_verified: 0,
    };
    match scope {
        Scope::Model(m) => {
            let model = model_report(repo, commit, &tree, &fw, m)?;
            report.scope =
                ScopeInfo { kind: ScopeKind::Model, id: m.clone(), title: format!("Audit report: {}", model.title) };
            report.crosswalk = model
                .gates
                .iter()
                .flat_map(|g| {
                    g.items.iter().flat_map(move |i| {
                        i.controls.iter().map(move |c| row(&g.id, &i.id, &c.catalog, &c.control, Some(i.state)))
                    })
                })
                .collect();
            report.model = Some(model);
        }
        Scope::Consortium => {
            report.scope = ScopeInfo {
                kind: ScopeKind::Consortium,
                id: fw.consortium.name.clone(),
                title: format!("Consortium report: {}", fw.consortium.name),
            };
            report.consortium_report = Some(consortium_report(repo, &tree, &fw, progress)?);
            report.crosswalk = fw
                .gates
                .iter()
                .flat_map(|g| {
                    g.items.iter().flat_map(move |i| {
                        i.controls.iter().map(move |c| row(&g.id, &i.id, &c.catalog, &c.control, None))
                    })
                })
                .collect();
        }
        Scope::Proposal(p) => {
            let proposal = proposal_report(repo, commit, &tree, p)?;
            report.scope = ScopeInfo {
                kind: ScopeKind::Proposal,
                id: p.clone(),
                title: format!("Decision record: {}", proposal.title),
            };
            report.proposal = Some(proposal);
        }
    }
    report.crosswalk.sort_by(|a, b| {
        (&a.catalog, control_key(&a.control), &a.gate, &a.item).cmp(&(
            &b.catalog,
            control_key(&b.control),
            &b.gate,
            &b.item,
        ))
    });
    if options.verify {
        let verified = crate::verify::check_history(gov, commit, Default::default(), progress)?;
        report.commits_verified = verified.commits_checked as u64;
        // A finding touches a model when it is about the model's folder or its sign-offs, or
        // its commit changed them; a proposal, its record's folder.
        let dirs: Vec<String> = match scope {
            Scope::Consortium => vec![],
            // A sign-off in the other layout than the record's is still about the model.
            Scope::Model(m) => vec![format!("models/{m}"), Layout::Flat.model_dir(m), Layout::Bucketed.model_dir(m)],
            Scope::Proposal(p) => vec![proposal::dir(p)],
        };
        let touches = |f: &crate::verify::Finding| -> Result<bool> {
            if dirs.is_empty() {
                return Ok(true);
            }
            for dir in &dirs {
                if f.path.as_deref().is_some_and(|p| p.starts_with(&format!("{dir}/"))) {
                    return Ok(true);
                }
                if commit_touches(repo, &f.commit, dir)? {
                    return Ok(true);
                }
            }
            Ok(false)
        };
        for f in verified.findings {
            if touches(&f)? {
                report.findings.push(FindingReport {
                    kind: f.kind.as_str().to_string(),
                    commit: f.commit,
                    path: f.path,
                    member: f.member,
                    message: f.message,
                });
            }
        }
    }
    Ok(report)
}

/// One row of the crosswalk: a control an item names.
fn row(gate: &str, item: &str, catalog: &str, control: &str, state: Option<ItemState>) -> CrosswalkRow {
    CrosswalkRow {
        catalog: catalog.to_string(),
        control: control.to_string(),
        gate: gate.to_string(),
        item: item.to_string(),
        state,
    }
}

/// Orders `MEASURE 2.10` after `MEASURE 2.9`: digit runs compare as numbers.
fn control_key(control: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut digits = String::new();
    for ch in control.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
        } else {
            if !digits.is_empty() {
                out.push((std::mem::take(&mut text), digits.parse().unwrap_or(u64::MAX)));
                digits.clear();
            }
            text.push(ch);
        }
    }
    out.push((text, if digits.is_empty() { 0 } else { digits.parse().unwrap_or(u64::MAX) }));
    out
}

/// Whether commit `id` changed anything under `dir` relative to its first parent.
fn commit_touches(repo: &Repository, id: &str, dir: &str) -> Result<bool> {
    let Ok(c) = Oid::from_str(id).and_then(|id| repo.find_commit(id)) else { return Ok(false) };
    let now = subtree_id(repo, &c.tree()?, dir);
    let before = match c.parent(0) {
        Ok(p) => subtree_id(repo, &p.tree()?, dir),
        Err(_) => None,
    };
    Ok(now != before)
}

/// RFC 3339 in UTC, to the second.
fn rfc3339(seconds: i64) -> String {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default().to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn commit_info(repo: &Repository, c: &git2::Commit) -> Result<CommitInfo> {
    let author = c.author();
    Ok(CommitInfo {
        id: c.id().to_string(),
        tree: c.tree_id().to_string(),
        date: rfc3339(c.committer().when().seconds()),
        author: format!(
            "{} <{}>",
            String::from_utf8_lossy(author.name_bytes()),
            String::from_utf8_lossy(author.email_bytes())
        ),
        summary: String::from_utf8_lossy(c.summary_bytes().unwrap_or_default()).into_owned(),
        signature: signature_check(&mut signing::Judge::new(repo), c.id())?,
    })
}

/// The signature of commit `id`, as verify judges it.
fn signature_check(judge: &mut signing::Judge, id: Oid) -> Result<SignatureCheck> {
    Ok(match judge.judge(id)? {
        Judgement::Good { fingerprint } => {
            SignatureCheck { status: SignatureState::Good, fingerprint: Some(fingerprint), reason: None }
        }
        Judgement::Unsigned => SignatureCheck { status: SignatureState::Unsigned, fingerprint: None, reason: None },
        Judgement::Bad { fingerprint, reason } => {
            SignatureCheck { status: SignatureState::Bad, fingerprint, reason: Some(reason) }
        }
        Judgement::KeyNotListed { fingerprint, reason } => SignatureCheck {
            status: SignatureState::KeyNotListed,
            fingerprint: Some(fingerprint),
            reason: Some(reason),
        },
    })
}

/// For each file under `dir` at `head`, the commit that added it: the first commit, oldest
/// first, whose tree has the file where its first parent's has not.
pub(crate) fn adding_commits(repo: &Repository, head: Oid, dir: &str) -> Result<HashMap<String, String>> {
    let mut walk = repo.revwalk()?;
    walk.push(head)?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    let mut dir_of: HashMap<Oid, Option<Oid>> = HashMap::new();
    let mut dir_at = |repo: &Repository, id: Oid| -> Result<Option<Oid>> {
        if let Some(d) = dir_of.get(&id) {
            return Ok(*d);
        }
        let d = subtree_id(repo, &repo.find_commit(id)?.tree()?, dir);
        dir_of.insert(id, d);
        Ok(d)
    };
    let mut out = HashMap::new();
    for id in walk {
        let id = id?;
        let now = dir_at(repo, id)?;
        let Some(now) = now else { continue };
        let parent = repo.find_commit(id)?.parent_id(0).ok();
        let before = match parent {
            Some(p) => dir_at(repo, p)?,
            None => None,
        };
        if before == Some(now) {
            continue;
        }
        for changed in crate::treediff::diff(repo, before, now)? {
            if changed.new.is_some() {
                out.entry(format!("{dir}/{}", changed.path)).or_insert_with(|| id.to_string());
            }
        }
    }
    Ok(out)
}

/// The blob at `path` in `tree`, with its SHA-256 and size.
fn file_facts(repo: &Repository, tree: &Tree, path: &str) -> Result<Option<(Oid, String, u64)>> {
    let Ok(entry) = tree.get_path(std::path::Path::new(path)) else { return Ok(None) };
    if entry.kind() != Some(git2::ObjectType::Blob) {
        return Ok(None);
    }
    let blob = repo.find_blob(entry.id())?;
    let digest = Sha256::digest(blob.content());
    Ok(Some((entry.id(), hex::encode(digest), blob.size() as u64)))
}

fn model_report(repo: &Repository, commit: Oid, tree: &Tree, fw: &Framework, m: &str) -> Result<ModelReport> {
    let commits = adding_commits(repo, commit, &fw.layout().model_dir(m))?;
    let mut judge = signing::Judge::new(repo);
    let detail = model_detail_judged(repo, tree, &commit.to_string(), fw, m, &commits, &mut judge)?;
    let model_dir = format!("models/{m}");
    let mut evidence_cache: BTreeMap<String, EvidenceRef> = BTreeMap::new();
    let mut evidence = |path: &str| -> Result<EvidenceRef> {
        if let Some(e) = evidence_cache.get(path) {
            return Ok(e.clone());
        }
        let facts = file_facts(repo, tree, &format!("{model_dir}/{path}"))?;
        let e = EvidenceRef {
            path: path.to_string(),
            blob: facts.as_ref().map(|f| f.0.to_string()),
            sha256: facts.as_ref().map(|f| f.1.clone()),
            size: facts.as_ref().map(|f| f.2),
        };
        evidence_cache.insert(path.to_string(), e.clone());
        Ok(e)
    };
    let mut gates = Vec::with_capacity(detail.gates.len());
    for (g, gate) in detail.gates.iter().zip(&fw.gates) {
        let current: Vec<_> = g.signoffs.iter().filter(|s| s.current).collect();
        let mut items = Vec::with_capacity(g.items.len());
        for item in &g.items {
            let def = gate.item(&item.id);
            // The latest current sign-off that records the item decides its state; its note
            // is the reason for `not-applicable`.
            let last = current.iter().rev().find_map(|s| s.items.iter().find(|i| i.id == item.id));
            let reason = match (item.state, last) {
                (ItemState::NotApplicable, Some(r)) if !r.note.trim().is_empty() => Some(r.note.clone()),
                _ => None,
            };
            items.push(ItemReport {
                id: item.id.clone(),
                text: def.map(|d| d.text.clone()).unwrap_or_default(),
                state: item.state,
                reason,
                evidence: item.evidence.iter().map(|p| evidence(p)).collect::<Result<_>>()?,
                notes: item
                    .notes
                    .iter()
                    .map(|n| NoteReport { member: n.member.clone(), note: n.note.clone() })
                    .collect(),
                controls: def
                    .map(|d| {
                        d.controls
                            .iter()
                            .map(|c| ControlRef { catalog: c.catalog.clone(), control: c.control.clone() })
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
        let mut signoffs = Vec::with_capacity(g.signoffs.len());
        for s in &g.signoffs {
            let blob = tree.get_path(std::path::Path::new(&s.path)).map(|e| e.id().to_string()).unwrap_or_default();
            let signature = match s.commit.as_deref().and_then(|c| Oid::from_str(c).ok()) {
                Some(c) => signature_check(&mut judge, c)?,
                None => SignatureCheck { status: SignatureState::Unsigned, fingerprint: None, reason: None },
            };
            signoffs.push(SignoffReport {
                path: s.path.clone(),
                blob,
                member: s.member.clone(),
                member_name: s.member_name.clone(),
                org: s.org.clone(),
                decision: s.decision,
                at: s.at.clone(),
                comment: s.comment.clone(),
                commit: s.commit.clone(),
                signature,
                current: s.current,
                checklist_in_force: s.checklist == g.checklist,
                checklist: s.checklist.clone(),
                items: s
                    .items
                    .iter()
                    .map(|i| SignedItemReport {
                        id: i.id.clone(),
                        state: i.state,
                        evidence: i.evidence.clone(),
                        note: i.note.clone(),
                    })
                    .collect(),
            });
        }
        gates.push(GateReport {
            id: g.id.clone(),
            title: g.title.clone(),
            order: g.order,
            state: g.state,
            role: g.role.clone(),
            quorum: g.quorum,
            distinct_orgs: g.distinct_orgs,
            independent: g.independent,
            approvals: g.approvals,
            stale: g.stale,
            waiting_for: g.waiting_for.clone(),
            checklist: FileRef { path: checklist::path(&g.id), blob: g.checklist.clone() },
            policy: gate.policy.clone(),
            items,
            signoffs,
        });
    }
    let card = ["card.md", "README.md"].iter().map(|name| format!("{model_dir}/{name}")).find_map(|path| {
        tree.get_path(std::path::Path::new(&path)).ok().map(|e| FileRef { path, blob: e.id().to_string() })
    });
    let standing = standing_of(gates.iter().map(|g| (g.id.as_str(), g.state)));
    let table = &fw.accelerators;
    let card_read = card_at(repo, tree, m);
    let deployment = deployment_of(m, card_read.as_ref().map_err(String::as_str), table);
    Ok(ModelReport {
        id: detail.id,
        title: detail.title,
        org: detail.org,
        owners: detail.owners,
        parameters: detail.parameters,
        active_parameters: detail.active_parameters,
        architecture: detail.architecture,
        licenses: detail.licenses,
        datasets: detail.datasets,
        base_model: detail.base_model,
        card: detail.card_markdown.as_ref().and(card),
        subject: detail.subject,
        standing,
        gates,
        problems: detail.problems.iter().map(|p| p.message.clone()).collect(),
        deployment,
    })
}

/// The model's card at the commit, parsed, or why there is none to read.
fn card_at(repo: &Repository, tree: &Tree, model: &str) -> std::result::Result<Card, String> {
    let path = crate::card::path(model);
    match crate::repo::read_text(repo, tree, &path) {
        Ok(Some((_, text))) => Card::parse(&path, model, &text).map_err(|e| e.to_string()),
        Ok(None) => Err(format!("the model has no {path}")),
        Err(e) => Err(e.to_string()),
    }
}

/// The deployment estimate a report carries for `model`: never an error, so that one card
/// the estimate cannot read does not stop the report; the reason is given instead.
fn deployment_of(model: &str, card: std::result::Result<&Card, &str>, table: &estimate::TableRead) -> DeploymentReport {
    match estimate::at_defaults(model, card, table) {
        Ok(e) => DeploymentReport { estimate: Some(e), unavailable: None },
        Err(why) => DeploymentReport {
            estimate: None,
            unavailable: Some(match why {
                Unavailable::Card(why) => format!("no deployment estimate: the card does not read ({why})"),
                Unavailable::NoDeployment => "no deployment estimate: the card has no `deployment:` mapping (the \
                                              weights' format, the attention's shape, the context length)"
                    .into(),
                Unavailable::Table(why) => {
                    format!("no deployment estimate: the accelerator table does not read ({why})")
                }
                Unavailable::Estimate(why) => format!("no deployment estimate: {why}"),
            }),
        },
    }
}

fn standing_of<'a>(gates: impl Iterator<Item = (&'a str, GateState)>) -> Standing {
    let mut passed = 0;
    let mut total = 0;
    let mut at_gate = None;
    for (id, state) in gates {
        total += 1;
        if state == GateState::Passed {
            passed += 1;
        } else if at_gate.is_none() {
            at_gate = Some(id.to_string());
        }
    }
    Standing { passed, gates: total, at_gate }
}

fn consortium_report(
    repo: &Repository,
    tree: &Tree,
    fw: &Framework,
    progress: &mut dyn Progress,
) -> Result<ConsortiumReport> {
    let ids = record::model_ids(repo, tree)?;
    let table = &fw.accelerators;
    progress.begin("reading models", ids.len() as u64);
    let mut models = Vec::with_capacity(ids.len());
    for id in ids {
        let mut problems = Vec::new();
        let view = record::model_view(repo, tree, fw, &id, &mut problems)?;
        progress.advance(1);
        let Some(view) = view else { continue };
        let at = current_gate(&view.gates).map(|g| g.gate.clone());
        let passed = view.gates.iter().filter(|g| g.state == GateState::Passed).count() as u32;
        let card = view.model.card.as_ref();
        // The parsed card when it read; otherwise read again for the reason it does not.
        let deployment = match card {
            Some(c) => deployment_of(&id, Ok(c), table),
            None => deployment_of(&id, card_at(repo, tree, &id).as_ref().map_err(String::as_str), table),
        };
        models.push(ModelStanding {
            title: card.map(|c| c.title.clone()).unwrap_or_else(|| id.clone()),
            org: card.and_then(|c| c.org.clone()),
            parameters: card.and_then(|c| c.parameters),
            active_parameters: card.and_then(|c| c.active_parameters),
            standing: Standing { passed, gates: view.gates.len() as u32, at_gate: at },
            gates: view.gates.iter().map(|g| g.state).collect(),
            problems: problems.len() as u32,
            deployment,
            id,
        });
    }
    progress.end();
    let mut by_gate: Vec<GateCount> = fw
        .gates
        .iter()
        .map(|g| GateCount {
            gate: g.id.clone(),
            title: g.title.clone(),
            models: models.iter().filter(|m| m.standing.at_gate.as_deref() == Some(g.id.as_str())).count() as u32,
        })
        .collect();
    by_gate.push(GateCount {
        gate: "released".into(),
        title: "Past every gate".into(),
        models: models.iter().filter(|m| m.standing.at_gate.is_none()).count() as u32,
    });
    Ok(ConsortiumReport {
        gates: fw.gates.iter().map(|g| GateHeader { id: g.id.clone(), title: g.title.clone() }).collect(),
        models,
        by_gate,
        compared: super::compare::comparison(repo, tree)?,
    })
}

/// Every framework file in force (`consortium.toml`, the policies, the checklists), with the
/// commit that last changed it and the accepted proposals that changed it, from one walk of
/// `main`'s first-parent history.
fn policies_in_force(repo: &Repository, commit: Oid, tree: &Tree, fw: &Framework) -> Result<Vec<PolicyInForce>> {
    let mut out: Vec<PolicyInForce> = Vec::new();
    let mut add = |path: String, id: String, title: String, version: Option<String>| {
        if let Ok(entry) = tree.get_path(std::path::Path::new(&path)) {
            out.push(PolicyInForce {
                id,
                title,
                version,
                file: FileRef { path, blob: entry.id().to_string() },
                changed_in: None,
                changed_at: None,
                proposals: Vec::new(),
            });
        }
    };
    add(crate::consortium::PATH.to_string(), "consortium".into(), "Consortium rules and members".into(), None);
    for p in &fw.policies {
        add(crate::policy::path(&p.id), p.id.clone(), p.title.clone(), p.version.clone());
    }
    for g in &fw.gates {
        add(checklist::path(&g.id), format!("checklist/{}", g.id), format!("Checklist: {}", g.title), None);
    }
    // Newest first along the first parents: the first change seen of a file is its last.
    let mut last_change: HashMap<String, (Oid, i64)> = HashMap::new();
    let mut by_proposal: HashMap<String, Vec<ProposalRef>> = HashMap::new();
    let mut current = Some(repo.find_commit(commit)?);
    let framework_of = |t: &Tree| -> (Option<Oid>, Option<Oid>) {
        (subtree_id(repo, t, crate::policy::DIR), t.get_name(crate::consortium::PATH).map(|e| e.id()))
    };
    while let Some(c) = current {
        let parent = c.parent(0).ok();
        let now_tree = c.tree()?;
        let before_tree = match &parent {
            Some(p) => Some(p.tree()?),
            None => None,
        };
        let now = framework_of(&now_tree);
        let before = before_tree.as_ref().map(framework_of).unwrap_or((None, None));
        if now != before {
            let mut changed: Vec<String> = Vec::new();
            if let Some(n) = now.0 {
                if before.0 != Some(n) {
                    changed.extend(
                        crate::treediff::diff(repo, before.0, n)?
                            .into_iter()
                            .map(|ch| format!("{}/{}", crate::policy::DIR, ch.path)),
                    );
                }
            }
            if now.1 != before.1 {
                changed.push(crate::consortium::PATH.to_string());
            }
            let trailers = Trailers::parse(&String::from_utf8_lossy(c.message_bytes()));
            let accepted = (trailers.action() == Some("accept")).then(|| trailers.get(trailers::PROPOSAL)).flatten();
            for path in changed {
                last_change.entry(path.clone()).or_insert((c.id(), c.committer().when().seconds()));
                if let Some(p) = accepted {
                    let title =
                        proposal::load(repo, &now_tree, p).ok().flatten().map(|f| f.record.title).unwrap_or_default();
                    by_proposal.entry(path).or_default().push(ProposalRef {
                        id: p.to_string(),
                        title,
                        commit: c.id().to_string(),
                        at: rfc3339(c.committer().when().seconds()),
                    });
                }
            }
        }
        // On to the root even once every file's last change is known: older accepts changed
        // them too.
        current = parent;
    }
    for p in &mut out {
        if let Some((id, at)) = last_change.get(&p.file.path) {
            p.changed_in = Some(id.to_string());
            p.changed_at = Some(rfc3339(*at));
        }
        if let Some(mut refs) = by_proposal.remove(&p.file.path) {
            refs.reverse();
            p.proposals = refs;
        }
    }
    Ok(out)
}

fn proposal_report(repo: &Repository, commit: Oid, tree: &Tree, id: &str) -> Result<ProposalReport> {
    let files =
        proposal::load(repo, tree, id)?.ok_or_else(|| Error::NotFound { what: "proposal", id: id.to_string() })?;
    let consortium = record::load_consortium(repo, tree)?;
    let deliberation = crate::actions::proposal::deliberation_at(repo, commit, &files)?;
    let state = files.state();
    // The accept merge, if accepted: the commit that added the outcome.
    let outcome_commits = adding_commits(repo, commit, &proposal::dir(id))?;
    let merged_by = match state {
        ProposalState::Accepted => outcome_commits.get(&proposal::outcome_path(id)).cloned(),
        _ => None,
    };
    let subject = Oid::from_str(&files.record.subject).ok().filter(|s| repo.find_commit(*s).is_ok());
    let mut changed = Vec::new();
    if let Some(s) = subject {
        let main_side = match merged_by.as_deref().and_then(|m| Oid::from_str(m).ok()) {
            Some(m) => repo.find_commit(m)?.parent_id(0).unwrap_or(m),
            None => commit,
        };
        let base =
            repo.merge_base(main_side, s).ok().or_else(|| repo.find_commit(s).ok().and_then(|c| c.parent_id(0).ok()));
        if let Some(base) = base {
            let old_tree = repo.find_commit(base)?.tree()?;
            let new_tree = repo.find_commit(s)?.tree()?;
            for d in crate::views::proposals::file_diffs(repo, base, s)? {
                let blob = |t: &Tree| t.get_path(std::path::Path::new(&d.path)).ok().map(|e| e.id().to_string());
                changed.push(ChangedFile {
                    old_blob: blob(&old_tree),
                    new_blob: blob(&new_tree),
                    path: d.path,
                    added_lines: d.added_lines,
                    removed_lines: d.removed_lines,
                });
            }
        }
    }
    // The last commit that wrote each vote file: the newest first-parent commit changing it.
    let mut votes = Vec::new();
    let mut judge = signing::Judge::new(repo);
    for (member, v) in &files.votes {
        let path = proposal::vote_path(id, member);
        let wrote = last_writer(repo, commit, &path)?;
        let signature = match wrote {
            Some(c) => signature_check(&mut judge, c)?,
            None => SignatureCheck { status: SignatureState::Unsigned, fingerprint: None, reason: None },
        };
        let m = consortium.member(member);
        votes.push(VoteReport {
            member: member.clone(),
            member_name: m.map(|m| m.name.clone()).unwrap_or_default(),
            org: m.map(|m| m.org.clone()).unwrap_or_default(),
            vote: v.vote,
            at: v.at.clone(),
            comment: v.comment.clone(),
            outdated: v.subject != files.record.subject,
            subject: v.subject.clone(),
            commit: wrote.map(|c| c.to_string()),
            signature,
        });
    }
    votes.sort_by(|a, b| (a.outdated, &a.at, &a.member).cmp(&(b.outdated, &b.at, &b.member)));
    Ok(ProposalReport {
        id: id.to_string(),
        title: files.record.title.clone(),
        author: files.record.author.clone(),
        branch: files.record.branch.clone(),
        subject: files.record.subject.clone(),
        state,
        rationale: files.rationale.clone(),
        files: changed,
        votes,
        deliberation,
        outcome: files.outcome.as_ref().map(|o| OutcomeReport {
            outcome: Some(o.outcome).into(),
            member: o.member.clone(),
            at: o.at.clone(),
            comment: o.comment.clone(),
        }),
        merged_by,
    })
}

/// The newest commit on the first-parent chain from `head` that changed `path`.
fn last_writer(repo: &Repository, head: Oid, path: &str) -> Result<Option<Oid>> {
    let blob_at = |c: &git2::Commit| -> Result<Option<Oid>> {
        Ok(c.tree()?.get_path(std::path::Path::new(path)).ok().map(|e| e.id()))
    };
    let mut c = repo.find_commit(head)?;
    let mut now = blob_at(&c)?;
    loop {
        let Ok(parent) = c.parent(0) else {
            return Ok(now.map(|_| c.id()));
        };
        let before = blob_at(&parent)?;
        if before != now {
            return Ok(now.map(|_| c.id()));
        }
        c = parent;
        now = before;
    }
}
