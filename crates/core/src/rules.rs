//! The gate rules of SPEC section 1, as a pure function of the record: no git, no index.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::checklist::Gate;
use crate::consortium::Consortium;
use crate::signoff::{Decision, SignoffFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum GateState {
    Locked,
    Open,
    InReview,
    Passed,
    ChangesRequested,
    Rejected,
}

impl GateState {
    pub fn as_str(self) -> &'static str {
        match self {
            GateState::Locked => "locked",
            GateState::Open => "open",
            GateState::InReview => "in-review",
            GateState::Passed => "passed",
            GateState::ChangesRequested => "changes-requested",
            GateState::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<GateState> {
        use GateState::*;
        [Locked, Open, InReview, Passed, ChangesRequested, Rejected].into_iter().find(|g| g.as_str() == s)
    }
}

impl std::fmt::Display for GateState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the rules need to know of a model.
#[derive(Debug, Clone)]
pub struct ModelFacts<'a> {
    pub org: Option<&'a str>,
    /// The git tree id of `models/<model>` now.
    pub subject: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GateStatus {
    pub gate: String,
    pub state: GateState,
    /// Approvals that count toward the quorum.
    pub approvals: u32,
    pub quorum: u32,
    /// Sign-offs on this gate whose subject is no longer the model's tree.
    pub stale: u32,
    /// Why the gate is not passed, in words, when it is not.
    pub waiting_for: Option<String>,
}

/// Whether a sign-off still speaks about the model as it is.
pub fn is_current(consortium: &Consortium, model: &ModelFacts, s: &SignoffFile) -> bool {
    !consortium.rules.stale_on_change || s.subject == model.subject
}

/// Evaluates every gate for one model. `gates` must be sorted by order; `signoffs` are all of
/// the model's sign-offs, in any order.
pub fn evaluate(
    consortium: &Consortium,
    gates: &[Gate],
    model: &ModelFacts,
    signoffs: &[&SignoffFile],
) -> Vec<GateStatus> {
    let mut by_gate: HashMap<&str, Vec<&SignoffFile>> = HashMap::new();
    for s in signoffs {
        by_gate.entry(s.gate.as_str()).or_default().push(s);
    }
    let mut passed: BTreeSet<&str> = BTreeSet::new();
    let mut out = Vec::with_capacity(gates.len());
    // Gates are evaluated in order; a gate that requires a later gate sees it as not passed,
    // so a second pass settles requirements that point forward.
    let mut states: BTreeMap<&str, GateStatus> = BTreeMap::new();
    for _ in 0..2 {
        for gate in gates {
            let status = evaluate_gate(consortium, gate, model, by_gate.get(gate.id.as_str()), &passed);
            if status.state == GateState::Passed {
                passed.insert(gate.id.as_str());
            } else {
                passed.remove(gate.id.as_str());
            }
            states.insert(gate.id.as_str(), status);
        }
    }
    for gate in gates {
        out.push(states.remove(gate.id.as_str()).expect("every gate was evaluated"));
    }
    out
}

fn evaluate_gate(
    consortium: &Consortium,
    gate: &Gate,
    model: &ModelFacts,
    signoffs: Option<&Vec<&SignoffFile>>,
    passed: &BTreeSet<&str>,
) -> GateStatus {
    let empty = Vec::new();
    let signoffs = signoffs.unwrap_or(&empty);
    let stale = signoffs.iter().filter(|s| !is_current(consortium, model, s)).count() as u32;
    let quorum = gate.signers.quorum;
    let status = |state, approvals, waiting_for: Option<String>| GateStatus {
        gate: gate.id.clone(),
        state,
        approvals,
        quorum,
        stale,
        waiting_for,
    };
    let missing: Vec<&str> = gate.requires.iter().map(String::as_str).filter(|r| !passed.contains(r)).collect();
    if !missing.is_empty() {
        return status(GateState::Locked, 0, Some(format!("requires {} to pass first", missing.join(", "))));
    }

    // Each eligible member's latest current sign-off speaks for them.
    let mut latest: BTreeMap<&str, &SignoffFile> = BTreeMap::new();
    for s in signoffs.iter().filter(|s| is_current(consortium, model, s)) {
        let Some(member) = consortium.member(&s.member) else {
            continue;
        };
        if !member.has_role(&gate.signers.role) {
            continue;
        }
        match latest.get(s.member.as_str()) {
            Some(prev) if prev.at >= s.at => {}
            _ => {
                latest.insert(s.member.as_str(), s);
            }
        }
    }
    if latest.values().any(|s| s.decision == Decision::Reject) {
        return status(GateState::Rejected, 0, Some("a reviewer rejected it".into()));
    }
    if latest.values().any(|s| s.decision == Decision::ChangesRequested) {
        return status(GateState::ChangesRequested, 0, Some("a reviewer requested changes".into()));
    }

    let mut approvers = 0u32;
    let mut orgs = BTreeSet::new();
    for s in latest.values().filter(|s| s.decision == Decision::Approve) {
        let member = consortium.member(&s.member).expect("filtered to members above");
        if gate.signers.independent && model.org == Some(member.org.as_str()) {
            continue;
        }
        let settled = gate.items.iter().all(|item| s.items.get(&item.id).is_some_and(|r| r.state.is_settled()));
        if !settled {
            continue;
        }
        approvers += 1;
        orgs.insert(member.org.as_str());
    }
    let orgs_count = orgs.len() as u32;
    if approvers >= quorum && orgs_count >= gate.signers.distinct_orgs {
        return status(GateState::Passed, approvers, None);
    }
    let waiting = if approvers < quorum {
        let orgs = if gate.signers.distinct_orgs > 1 {
            format!(" (from {} organisations)", gate.signers.distinct_orgs)
        } else {
            String::new()
        };
        format!("needs {} more {} approval(s){orgs}", quorum - approvers, gate.signers.role)
    } else {
        format!("needs an approval from another organisation ({orgs_count} of {})", gate.signers.distinct_orgs)
    };
    let state = if latest.is_empty() { GateState::Open } else { GateState::InReview };
    status(state, approvers, Some(waiting))
}

/// The gate a model is "at": the first gate, in order, that has not passed.
pub fn current_gate(statuses: &[GateStatus]) -> Option<&GateStatus> {
    statuses.iter().find(|s| s.state != GateState::Passed)
}
