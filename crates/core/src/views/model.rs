//! One model: its card (sanitized HTML), metadata, and per gate the checklist and sign-offs.

use std::collections::{BTreeSet, HashMap};

use git2::{Oid, Repository, Tree};
use serde::Serialize;

use crate::actions::withdraw::withdrawable;
use crate::checklist_versions::{ChecklistVersion, Versions};
use crate::error::{Error, Result};
use crate::record::{model_view, Framework};
use crate::render;
use crate::rules::{is_current, is_withdrawn, withdrawn_until, GateState};
use crate::signing::SignatureStatus;
use crate::signoff::{Decision, ItemState};
use crate::views::board::BoardState;
use crate::views::ProblemView;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ModelDetail {
    pub head: String,
    pub id: String,
    pub title: String,
    pub org: Option<String>,
    pub owners: Vec<String>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub parameters: Option<u64>,
    /// Parameters active per token, for a mixture of experts.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub active_parameters: Option<u64>,
    pub architecture: Option<String>,
    pub licenses: Vec<String>,
    pub datasets: Vec<String>,
    pub base_model: Vec<String>,
    pub tags: Vec<String>,
    /// The tree id of `models/<id>`: what a current sign-off's subject is.
    pub subject: String,
    /// The card's body, rendered and sanitized: safe to insert as HTML.
    pub card_html: String,
    /// The card's Markdown body as written (untrusted), for a terminal to render through
    /// `render::to_text`; `None` when the model has no readable card. Not sent to the web view.
    #[serde(skip)]
    pub card_markdown: Option<String>,
    /// Evidence files, relative to the model's folder.
    pub evidence: Vec<String>,
    /// In the gates' order.
    pub gates: Vec<GateDetail>,
    pub problems: Vec<ProblemView>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GateDetail {
    pub id: String,
    pub title: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub order: i64,
    pub role: String,
    pub role_title: String,
    pub quorum: u32,
    pub distinct_orgs: u32,
    pub independent: bool,
    pub requires: Vec<String>,
    pub state: GateState,
    pub board_state: BoardState,
    pub approvals: u32,
    pub stale: u32,
    pub waiting_for: Option<String>,
    /// The blob id of the gate's checklist as it is now: what a sign-off made now records.
    pub checklist: String,
    /// How many of `approvals` were made against an older version of the checklist.
    pub older_checklist: u32,
    /// Those versions, each with its approvals and what changed in the checklist since
    /// (docs/format.md, "Checklist versions").
    pub checklist_versions: Vec<ChecklistVersion>,
    pub items: Vec<ItemDetail>,
    /// Oldest first (by `at`, then path): the order the CLI prints and the app lists them in.
    pub signoffs: Vec<SignoffView>,
}

/// A checklist item, as the current sign-offs on the gate left it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ItemDetail {
    pub id: String,
    /// The item's text (plain text in the checklist's model), escaped as HTML.
    pub text_html: String,
    /// As the latest current sign-off records it; `open` when none does.
    pub state: ItemState,
    /// Evidence named by any current sign-off.
    pub evidence: Vec<String>,
    pub notes: Vec<ItemNote>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ItemNote {
    pub member: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignoffView {
    pub path: String,
    pub member: String,
    pub member_name: String,
    pub org: String,
    pub decision: Decision,
    pub at: String,
    /// The commit that recorded it, when the index knows it.
    pub commit: Option<String>,
    /// That commit's signature, as `verify` judges it (`None` when the commit is unknown).
    pub signature: Option<SignatureStatus>,
    pub comment: String,
    /// Whether it speaks about the model as it is now.
    pub current: bool,
    /// The tree of the model's folder it reviewed (`views::changes` shows what changed since).
    pub subject: String,
    /// The blob id of the checklist version the reviewer saw.
    pub checklist: String,
    /// Whether it is an approval that counts toward the gate although it was made against an
    /// older version of the checklist (one of `GateDetail::checklist_versions`' approvals).
    pub on_older_checklist: bool,
    /// Named by a later withdrawal of its member: taken back (it stays on the record, and no
    /// longer counts).
    pub withdrawn: bool,
    /// For a withdrawal: the path of the sign-off it takes back.
    pub withdraws: Option<String>,
    /// Whether its member may withdraw it now (`actions::withdraw::withdrawable`): it is their
    /// latest on the gate and not a withdrawal.
    pub withdrawable: bool,
    pub items: Vec<SignedItem>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignedItem {
    pub id: String,
    pub state: ItemState,
    pub evidence: Vec<String>,
    pub note: String,
}

/// Loads `model` at `tree`; `commits` maps sign-off paths to the commits that added them.
pub fn model_detail(
    repo: &Repository,
    tree: &Tree,
    head: &str,
    fw: &Framework,
    model: &str,
    commits: &HashMap<String, String>,
) -> Result<ModelDetail> {
    model_detail_judged(repo, tree, head, fw, model, commits, &mut crate::signing::Judge::new(repo))
}

/// `model_detail`, judging the sign-offs' signatures with `judge`, whose judgements the
/// caller then reuses (an audit report needs more of them than the view keeps).
pub fn model_detail_judged(
    repo: &Repository,
    tree: &Tree,
    head: &str,
    fw: &Framework,
    model: &str,
    commits: &HashMap<String, String>,
    judge: &mut crate::signing::Judge,
) -> Result<ModelDetail> {
    crate::id::check(crate::error::Input::Model, model)?;
    let mut problems = Vec::new();
    let view = model_view(repo, tree, fw, model, &mut problems)?
        .ok_or_else(|| Error::NotFound { what: "model", id: model.to_string() })?;
    let facts = view.model.facts();
    let consortium = &fw.consortium;
    let mut versions = Versions::new(repo);
    let gates = fw
        .gates
        .iter()
        .zip(&view.gates)
        .map(|(gate, status)| {
            let mut signoffs: Vec<_> = view.signoffs.iter().filter(|s| s.file.gate == gate.id).collect();
            signoffs.sort_by(|a, b| a.file.at.cmp(&b.file.at).then(a.path.cmp(&b.path)));
            let files: Vec<&crate::signoff::SignoffFile> = signoffs.iter().map(|s| &s.file).collect();
            let withdrawn = withdrawn_until(&files);
            let current: Vec<_> = signoffs
                .iter()
                .filter(|s| is_current(consortium, &facts, &s.file) && !is_withdrawn(&withdrawn, &s.file))
                .collect();
            let checklist_versions = versions.of_gate(fw, gate, status, &view.signoffs);
            let on_older: BTreeSet<&str> =
                checklist_versions.iter().flat_map(|v| v.approvals.iter().map(|a| a.path.as_str())).collect();
            let items = gate
                .items
                .iter()
                .map(|item| {
                    let records: Vec<_> = current
                        .iter()
                        .filter_map(|s| s.file.items.get(&item.id).map(|r| (&s.file.member, r)))
                        .collect();
                    let mut evidence: Vec<String> = records.iter().flat_map(|(_, r)| r.evidence.clone()).collect();
                    evidence.sort();
                    evidence.dedup();
                    ItemDetail {
                        id: item.id.clone(),
                        text_html: render::escape_html(&item.text),
                        state: records.last().map(|(_, r)| r.state).unwrap_or(ItemState::Open),
                        evidence,
                        notes: records
                            .iter()
                            .filter(|(_, r)| !r.note.is_empty())
                            .map(|(m, r)| ItemNote { member: m.to_string(), note: r.note.clone() })
                            .collect(),
                    }
                })
                .collect();
            GateDetail {
                id: gate.id.clone(),
                title: gate.title.clone(),
                order: gate.order,
                role: gate.signers.role.clone(),
                role_title: consortium.roles.get(&gate.signers.role).cloned().unwrap_or_default(),
                quorum: gate.signers.quorum,
                distinct_orgs: gate.signers.distinct_orgs,
                independent: gate.signers.independent,
                requires: gate.requires.clone(),
                state: status.state,
                board_state: BoardState::of(status.state, status.approvals, status.stale),
                approvals: status.approvals,
                stale: status.stale,
                waiting_for: status.waiting_for.clone(),
                checklist: fw.checklist_blobs.get(&gate.id).cloned().unwrap_or_default(),
                older_checklist: status.older_checklist.len() as u32,
                items,
                signoffs: signoffs
                    .iter()
                    .map(|s| {
                        let member = consortium.member(&s.file.member);
                        let commit = commits.get(&s.path);
                        SignoffView {
                            path: s.path.clone(),
                            member: s.file.member.clone(),
                            member_name: member.map(|m| m.name.clone()).unwrap_or_default(),
                            org: member.map(|m| m.org.clone()).unwrap_or_default(),
                            decision: s.file.decision,
                            at: s.file.at.clone(),
                            commit: commit.cloned(),
                            signature: commit
                                .and_then(|c| Oid::from_str(c).ok())
                                .and_then(|c| judge.judge(c).ok())
                                .map(crate::signing::SignatureStatus::from),
                            comment: s.file.comment.clone(),
                            current: is_current(consortium, &facts, &s.file),
                            subject: s.file.subject.clone(),
                            checklist: s.file.checklist.clone(),
                            on_older_checklist: on_older.contains(s.path.as_str()),
                            // The one a withdrawal names; older ones it also silences were
                            // already superseded by it and are not marked again.
                            withdrawn: signoffs.iter().any(|w| w.file.withdraws.as_deref() == Some(s.path.as_str())),
                            withdraws: s.file.withdraws.clone(),
                            withdrawable: withdrawable(&view.signoffs, &gate.id, &s.file.member)
                                .is_some_and(|w| w.path == s.path),
                            items: s
                                .file
                                .items
                                .iter()
                                .map(|(id, r)| SignedItem {
                                    id: id.clone(),
                                    state: r.state,
                                    evidence: r.evidence.clone(),
                                    note: r.note.clone(),
                                })
                                .collect(),
                        }
                    })
                    .collect(),
                checklist_versions,
            }
        })
        .collect();
    let card = view.model.card.clone();
    Ok(ModelDetail {
        head: head.to_string(),
        id: model.to_string(),
        title: card.as_ref().map(|c| c.title.clone()).unwrap_or_else(|| model.to_string()),
        org: card.as_ref().and_then(|c| c.org.clone()),
        owners: card.as_ref().map(|c| c.owners.clone()).unwrap_or_default(),
        parameters: card.as_ref().and_then(|c| c.parameters),
        active_parameters: card.as_ref().and_then(|c| c.active_parameters),
        architecture: card.as_ref().and_then(|c| c.architecture.clone()),
        licenses: card.as_ref().map(|c| c.licenses.clone()).unwrap_or_default(),
        datasets: card.as_ref().map(|c| c.datasets.clone()).unwrap_or_default(),
        base_model: card.as_ref().map(|c| c.base_model.clone()).unwrap_or_default(),
        tags: card.as_ref().map(|c| c.tags.clone()).unwrap_or_default(),
        subject: view.model.tree.clone(),
        card_html: card.as_ref().map(|c| render::to_html(&c.body)).unwrap_or_default(),
        card_markdown: card.as_ref().map(|c| c.body.clone()),
        evidence: view.model.evidence.clone(),
        gates,
        problems: problems.iter().map(ProblemView::from).collect(),
    })
}
