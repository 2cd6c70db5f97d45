//! The gate rules (`docs/format.md`, Gate states), as a pure function of the record: no git,
//! no index.

pub mod requires;

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
    /// The counted approvals (of `approvals`) made against another version of the gate's
    /// checklist than the one in this commit, by member.
    pub older_checklist: Vec<OlderChecklistApproval>,
}

/// An approval that counts toward its gate and was made against another version of the gate's
/// checklist (its `checklist` is not the checklist's blob id now).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OlderChecklistApproval {
    pub member: String,
    /// The sign-off's `at`: with `member`, which sign-off it is.
    pub at: String,
    /// The blob id of the checklist version the sign-off records.
    pub checklist: String,
}

/// Whether a sign-off still speaks about the model as it is.
pub fn is_current(consortium: &Consortium, model: &ModelFacts, s: &SignoffFile) -> bool {
    !consortium.rules.stale_on_change || s.subject == model.subject
}

/// Evaluates every gate for one model, returning their states in the order of `gates`;
/// `signoffs` are all of the model's sign-offs, in any order; `checklists` maps a gate to the
/// blob id of its checklist in the commit judged (`Framework::checklist_blobs`; a gate missing
/// from it is judged as if every sign-off were made against its checklist as it is).
///
/// A gate's state depends on its own sign-offs and on whether the gates it requires passed,
/// so each gate is judged after the gates it requires (`requires::judging_order`), whatever
/// their `order`: the states are the fixpoint of the rules. Gates that require each other
/// can never pass: they are locked, with the cycle as the reason (`Framework::load` reports
/// it as a malformed framework). A requirement naming no gate is never passed either.
pub fn evaluate(
    consortium: &Consortium,
    gates: &[Gate],
    checklists: &BTreeMap<String, String>,
    model: &ModelFacts,
    signoffs: &[&SignoffFile],
) -> Vec<GateStatus> {
    let mut by_gate: HashMap<&str, Vec<&SignoffFile>> = HashMap::new();
    for s in signoffs {
        by_gate.entry(s.gate.as_str()).or_default().push(s);
    }
    let mut passed: BTreeSet<&str> = BTreeSet::new();
    let mut states: Vec<Option<GateStatus>> = vec![None; gates.len()];
    for (component, cycle) in requires::judging_order(gates) {
        let cycle = cycle.map(|c| c.message());
        for i in component {
            let gate = &gates[i];
            let checklist = checklists.get(&gate.id).map(String::as_str);
            let signoffs = by_gate.get(gate.id.as_str());
            let status = evaluate_gate(consortium, gate, checklist, model, signoffs, &passed, cycle.clone());
            if status.state == GateState::Passed {
                passed.insert(gate.id.as_str());
            }
            states[i] = Some(status);
        }
    }
    states.into_iter().map(|s| s.expect("every gate is in one component")).collect()
}

/// One gate's state, given the blob id of its checklist (when known), the gates that passed
/// (all those it requires were judged before it) and, for a gate in a cycle, the cycle's
/// message.
fn evaluate_gate(
    consortium: &Consortium,
    gate: &Gate,
    checklist: Option<&str>,
    model: &ModelFacts,
    signoffs: Option<&Vec<&SignoffFile>>,
    passed: &BTreeSet<&str>,
    cycle: Option<String>,
) -> GateStatus {
    let empty = Vec::new();
    let signoffs = signoffs.unwrap_or(&empty);
    // A withdrawal is no statement about the model, so it is never stale itself.
    let stale =
        signoffs.iter().filter(|s| s.decision != Decision::Withdraw && !is_current(consortium, model, s)).count()
            as u32;
    let quorum = gate.signers.quorum;
    let status = |state, approvals, waiting_for: Option<String>| GateStatus {
        gate: gate.id.clone(),
        state,
        approvals,
        quorum,
        stale,
        waiting_for,
        older_checklist: Vec::new(),
    };
    if let Some(cycle) = cycle {
        return status(GateState::Locked, 0, Some(cycle));
    }
    let missing: Vec<&str> = gate.requires.iter().map(String::as_str).filter(|r| !passed.contains(r)).collect();
    if !missing.is_empty() {
        return status(GateState::Locked, 0, Some(format!("requires {} to pass first", missing.join(", "))));
    }

    // A withdrawal silences every sign-off of its member on the gate up to it, current or
    // not, so that taking back a decision never brings an older one back.
    let withdrawn = withdrawn_until(signoffs);
    // Each eligible member's latest current sign-off speaks for them.
    let mut latest: BTreeMap<&str, &SignoffFile> = BTreeMap::new();
    for s in signoffs.iter().filter(|s| is_current(consortium, model, s) && !is_withdrawn(&withdrawn, s)) {
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
    let mut older_checklist = Vec::new();
    for s in latest.values().filter(|s| s.decision == Decision::Approve) {
        let member = consortium.member(&s.member).expect("filtered to members above");
        if gate.signers.independent && model.org == Some(member.org.as_str()) {
            continue;
        }
        // Made against another version of the checklist: the items it does not mention are
        // items added since, which the reviewer never saw; they do not hold it back.
        let older = checklist.is_some_and(|c| c != s.checklist);
        let settled = gate.items.iter().all(|item| match s.items.get(&item.id) {
            Some(r) => r.state.is_settled(),
            None => older,
        });
        if !settled {
            continue;
        }
        approvers += 1;
        orgs.insert(member.org.as_str());
        if older {
            older_checklist.push(OlderChecklistApproval {
                member: s.member.clone(),
                at: s.at.clone(),
                checklist: s.checklist.clone(),
            });
        }
    }
    let status =
        |state, approvals, waiting_for| GateStatus { older_checklist, ..status(state, approvals, waiting_for) };
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

/// Each member's latest withdrawal on one gate, by its `at`.
pub fn withdrawn_until<'a>(signoffs: &[&'a SignoffFile]) -> BTreeMap<&'a str, &'a str> {
    let mut until: BTreeMap<&str, &str> = BTreeMap::new();
    for s in signoffs.iter().filter(|s| s.decision == Decision::Withdraw) {
        let at = until.entry(s.member.as_str()).or_insert(s.at.as_str());
        if s.at.as_str() > *at {
            *at = s.at.as_str();
        }
    }
    until
}

/// Whether `s` is a withdrawal or a sign-off its member has withdrawn (`withdrawn_until`).
pub fn is_withdrawn(until: &BTreeMap<&str, &str>, s: &SignoffFile) -> bool {
    s.decision == Decision::Withdraw || until.get(s.member.as_str()).is_some_and(|at| s.at.as_str() <= *at)
}

/// The gate a model is "at": the first gate, in order, that has not passed.
pub fn current_gate(statuses: &[GateStatus]) -> Option<&GateStatus> {
    statuses.iter().find(|s| s.state != GateState::Passed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::Signers;
    use crate::signoff::{Decision, SignoffFile};

    const CONSORTIUM: &str = "name = \"Test\"\nformat = 1\n[roles]\nreviewer = \"Reviews\"\n\n[[members]]\nid = \"ana\"\nname = \"Ana\"\nemail = \"ana@example.org\"\norg = \"one\"\nroles = [\"reviewer\"]\n";

    const AT: &str = "2026-11-29T17:00:00Z";

    pub(crate) fn gate(id: &str, order: i64, requires: &[&str]) -> Gate {
        Gate {
            id: id.into(),
            title: id.into(),
            order,
            requires: requires.iter().map(|r| r.to_string()).collect(),
            policy: None,
            signers: Signers { role: "reviewer".into(), quorum: 1, distinct_orgs: 1, independent: false },
            body: String::new(),
            items: Vec::new(),
        }
    }

    fn approval(gate: &str) -> SignoffFile {
        SignoffFile {
            model: "m".into(),
            gate: gate.into(),
            member: "ana".into(),
            decision: Decision::Approve,
            at: AT.into(),
            subject: "tree".into(),
            checklist: "blob".into(),
            comment: String::new(),
            withdraws: None,
            items: Default::default(),
        }
    }

    /// (gate, state) for `gates`, each approved by an eligible member.
    fn states_all_approved(gates: &[Gate]) -> Vec<(String, GateState)> {
        let consortium = Consortium::parse(CONSORTIUM).unwrap();
        let approvals: Vec<SignoffFile> = gates.iter().map(|g| approval(&g.id)).collect();
        let refs: Vec<&SignoffFile> = approvals.iter().collect();
        let model = ModelFacts { org: None, subject: "tree" };
        evaluate(&consortium, gates, &BTreeMap::new(), &model, &refs).into_iter().map(|s| (s.gate, s.state)).collect()
    }

    #[test]
    fn an_approval_on_another_checklist_version_counts_and_is_named() {
        use crate::checklist::Item;
        use crate::signoff::{ItemRecord, ItemState};
        let consortium = Consortium::parse(CONSORTIUM).unwrap();
        let mut g = gate("safety", 1, &[]);
        let item = |id: &str| Item { id: id.into(), text: id.into(), line: 1, controls: vec![] };
        g.items = vec![item("kept"), item("added")];
        let checklists: BTreeMap<String, String> = [("safety".to_string(), "new-blob".to_string())].into();
        let record = |state| ItemRecord { state, evidence: Vec::new(), note: String::new() };
        let signed = |checklist: &str, kept: ItemState| SignoffFile {
            checklist: checklist.into(),
            items: [("kept".to_string(), record(kept)), ("removed".to_string(), record(ItemState::Open))].into(),
            ..approval("safety")
        };
        let judge = |s: &SignoffFile| {
            evaluate(
                &consortium,
                std::slice::from_ref(&g),
                &checklists,
                &ModelFacts { org: None, subject: "tree" },
                &[s],
            )
            .remove(0)
        };

        let older = judge(&signed("old-blob", ItemState::Done));
        assert_eq!(older.state, GateState::Passed, "an item added since does not hold it back");
        let named = OlderChecklistApproval { member: "ana".into(), at: AT.into(), checklist: "old-blob".into() };
        assert_eq!(older.older_checklist, [named]);

        let current = judge(&signed("new-blob", ItemState::Done));
        assert_eq!(current.state, GateState::InReview, "on the current checklist a missing item is open");
        assert!(current.older_checklist.is_empty());

        let open = judge(&signed("old-blob", ItemState::Open));
        assert_eq!(open.state, GateState::InReview, "an item it leaves open still holds it back");
        assert!(open.older_checklist.is_empty(), "only approvals that count are named");

        let unknown = evaluate(
            &consortium,
            std::slice::from_ref(&g),
            &BTreeMap::new(),
            &ModelFacts { org: None, subject: "tree" },
            &[&signed("old-blob", ItemState::Done)],
        );
        assert_eq!(unknown[0].state, GateState::InReview, "without the checklist's blob id, every item is needed");
    }

    #[test]
    fn a_chain_of_forward_requirements_passes_whatever_the_order() {
        // a requires b requires c, shown in the order a, b, c: every gate approved.
        let gates = [gate("a", 1, &["b"]), gate("b", 2, &["c"]), gate("c", 3, &[])];
        let states = states_all_approved(&gates);
        let passed = GateState::Passed;
        assert_eq!(states, [("a".into(), passed), ("b".into(), passed), ("c".into(), passed)], "in the given order");
    }

    #[test]
    fn gates_that_require_each_other_are_locked_naming_the_cycle() {
        let gates =
            [gate("intake", 1, &[]), gate("safety", 2, &["release", "intake"]), gate("release", 3, &["safety"])];
        let consortium = Consortium::parse(CONSORTIUM).unwrap();
        let approvals: Vec<SignoffFile> = gates.iter().map(|g| approval(&g.id)).collect();
        let refs: Vec<&SignoffFile> = approvals.iter().collect();
        let statuses =
            evaluate(&consortium, &gates, &BTreeMap::new(), &ModelFacts { org: None, subject: "tree" }, &refs);
        assert_eq!(statuses[0].state, GateState::Passed, "a gate outside the cycle is judged as usual");
        for s in &statuses[1..] {
            assert_eq!(s.state, GateState::Locked, "{} can never pass", s.gate);
            assert_eq!(s.waiting_for.as_deref(), Some("gates safety -> release -> safety require each other"));
        }
    }

    #[test]
    fn a_gate_requiring_an_unknown_gate_stays_locked_and_says_which() {
        let gates = [gate("a", 1, &["nowhere"]), gate("b", 2, &["a"])];
        let consortium = Consortium::parse(CONSORTIUM).unwrap();
        let approvals: Vec<SignoffFile> = gates.iter().map(|g| approval(&g.id)).collect();
        let refs: Vec<&SignoffFile> = approvals.iter().collect();
        let statuses =
            evaluate(&consortium, &gates, &BTreeMap::new(), &ModelFacts { org: None, subject: "tree" }, &refs);
        assert_eq!(statuses[0].state, GateState::Locked);
        assert_eq!(statuses[0].waiting_for.as_deref(), Some("requires nowhere to pass first"));
        assert_eq!(statuses[1].state, GateState::Locked, "and so does a gate requiring it");
    }
}
