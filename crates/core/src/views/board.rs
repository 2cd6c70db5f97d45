//! The pipeline board: gates as ordered columns, each model in the column of the gate it is at.

use serde::Serialize;

use crate::checklist_versions::ChecklistVersion;
use crate::error::Result;
use crate::index::{GateStatusRow, Index};
use crate::rules::GateState;
use crate::views::ProblemView;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BoardView {
    /// The commit of `main` the board shows.
    pub head: String,
    pub consortium: String,
    /// In gate order.
    pub gates: Vec<GateColumn>,
    pub models: Vec<BoardModel>,
    /// Organisations of the models, sorted, for the filter.
    pub orgs: Vec<String>,
    pub problems: Vec<ProblemView>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GateColumn {
    pub id: String,
    pub title: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub order: i64,
    pub role: String,
    pub quorum: u32,
}

/// What a reader sees on a model's card: the gate state, with `stale` singled out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum BoardState {
    Locked,
    Open,
    InReview,
    /// Not passed, and approvals were given on an earlier version of the model.
    Stale,
    ChangesRequested,
    Rejected,
    Passed,
}

impl BoardState {
    /// The board's word for a gate in `state` with `approvals` counting and `stale` sign-offs.
    pub fn of(state: GateState, approvals: u32, stale: u32) -> BoardState {
        match state {
            GateState::Locked => BoardState::Locked,
            GateState::Passed => BoardState::Passed,
            GateState::Rejected => BoardState::Rejected,
            GateState::ChangesRequested => BoardState::ChangesRequested,
            GateState::Open | GateState::InReview if stale > 0 && approvals == 0 => BoardState::Stale,
            GateState::InReview => BoardState::InReview,
            GateState::Open => BoardState::Open,
        }
    }

    fn of_row(gate: &GateStatusRow) -> BoardState {
        BoardState::of(gate.state, gate.approvals, gate.stale)
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BoardModel {
    pub id: String,
    pub title: String,
    pub org: Option<String>,
    /// The column: the first gate in order not passed, or the last gate when all have passed.
    pub column: String,
    pub state: BoardState,
    pub gates: Vec<BoardGate>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BoardGate {
    pub gate: String,
    pub state: GateState,
    pub board_state: BoardState,
    pub approvals: u32,
    pub quorum: u32,
    pub stale: u32,
    pub waiting_for: Option<String>,
    /// How many of `approvals` were made against an older version of the gate's checklist.
    pub older_checklist: u32,
    /// Those versions, as the card tells of them.
    pub older_versions: Vec<OlderVersion>,
}

/// An older version of a gate's checklist as a board card tells of it: who approved against
/// it, and which items changed since. Only that: the board holds every model's gates, and the
/// sign-offs' paths and times (`ChecklistVersion`, on the model page) were most of its size.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OlderVersion {
    /// The approvals made against it that count, oldest first.
    pub approvals: Vec<Approver>,
    /// Why the version cannot be compared with the checklist as it is now; `None` when the
    /// three lists say what changed.
    pub problem: Option<String>,
    /// The ids of the items added since, removed since, and reworded.
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub reworded: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Approver {
    pub member: String,
    /// The member's name in `consortium.toml` (empty if they are no longer listed).
    pub member_name: String,
}

impl OlderVersion {
    fn of(v: ChecklistVersion) -> OlderVersion {
        OlderVersion {
            approvals: v
                .approvals
                .into_iter()
                .map(|a| Approver { member: a.member, member_name: a.member_name })
                .collect(),
            problem: v.problem,
            added: v.added.into_iter().map(|i| i.id).collect(),
            removed: v.removed.into_iter().map(|i| i.id).collect(),
            reworded: v.reworded.into_iter().map(|i| i.id).collect(),
        }
    }
}

/// The board, from the index alone (no tree is read).
pub fn board(index: &Index, consortium: &str) -> Result<BoardView> {
    let status = index.status(None)?;
    let head = status.head;
    let gates: Vec<GateColumn> = index
        .gates()?
        .into_iter()
        .map(|g| GateColumn { id: g.id, title: g.title, order: g.order, role: g.role, quorum: g.quorum })
        .collect();
    let last = gates.last().map(|g| g.id.clone()).unwrap_or_default();
    let mut orgs: Vec<String> = status.models.iter().filter_map(|m| m.org.clone()).collect();
    orgs.sort();
    orgs.dedup();
    let models = status
        .models
        .into_iter()
        .map(|m| {
            let at = m.at_gate();
            let column = at.map(|g| g.gate.clone()).unwrap_or_else(|| last.clone());
            let state = at.map(BoardState::of_row).unwrap_or(BoardState::Passed);
            BoardModel {
                id: m.id,
                title: m.title,
                org: m.org,
                column,
                state,
                gates: m
                    .gates
                    .into_iter()
                    .map(|g| BoardGate {
                        board_state: BoardState::of_row(&g),
                        gate: g.gate,
                        state: g.state,
                        approvals: g.approvals,
                        quorum: g.quorum,
                        stale: g.stale,
                        waiting_for: g.waiting_for,
                        older_checklist: g.older_checklist,
                        older_versions: g.checklist_versions.into_iter().map(OlderVersion::of).collect(),
                    })
                    .collect(),
            }
        })
        .collect();
    let problems = index
        .problems()?
        .into_iter()
        .map(|p| ProblemView { path: p.path, line: p.line.map(|l| l as u32), message: p.message })
        .collect();
    Ok(BoardView { head, consortium: consortium.to_string(), gates, models, orgs, problems })
}
