//! Gate states are the fixpoint of the rules over `requires`, whatever the gates' `order`: on
//! random requirement graphs and random sign-offs, `rules::evaluate` agrees with the plainest
//! possible reference, which starts from every gate locked and re-judges every gate until
//! nothing changes.

use std::collections::{BTreeMap, BTreeSet};

use gatehouse::checklist::{Gate, Signers};
use gatehouse::consortium::Consortium;
use gatehouse::rules::{evaluate, GateState, GateStatus, ModelFacts};
use gatehouse::signoff::{Decision, SignoffFile};
use proptest::prelude::*;

const CONSORTIUM: &str = "name = \"Test\"\nformat = 1\n[roles]\nreviewer = \"Reviews\"\n\n[[members]]\nid = \"ana\"\nname = \"Ana\"\nemail = \"ana@example.org\"\norg = \"one\"\nroles = [\"reviewer\"]\n";
const SUBJECT: &str = "tree";

/// One gate of a random framework: its display order, the gates it requires (by index; some
/// past the end, naming no gate) and what its own reviewer decided, if anything.
#[derive(Debug, Clone)]
struct GateSpec {
    order: i64,
    requires: Vec<usize>,
    decision: Option<Decision>,
}

fn decision() -> impl Strategy<Value = Option<Decision>> {
    prop_oneof![
        3 => Just(Some(Decision::Approve)),
        1 => Just(None),
        1 => Just(Some(Decision::Reject)),
        1 => Just(Some(Decision::ChangesRequested)),
    ]
}

/// Up to 9 gates; with `acyclic`, gate i requires only gates of a lower rank in a random
/// ranking (a DAG whose ranking is unrelated to the display order), otherwise anything.
fn framework(acyclic: bool) -> impl Strategy<Value = Vec<GateSpec>> {
    (1usize..10).prop_flat_map(move |n| {
        let rank = Just((0..n).collect::<Vec<usize>>()).prop_shuffle();
        let gates = proptest::collection::vec((0i64..4, proptest::collection::vec(0usize..n + 1, 0..4), decision()), n);
        (rank, gates).prop_map(move |(rank, gates)| {
            gates
                .into_iter()
                .enumerate()
                .map(|(i, (order, requires, decision))| {
                    let requires = requires
                        .into_iter()
                        .filter(|&r| r != i && (!acyclic || r == n || rank[r] < rank[i]))
                        .collect::<BTreeSet<usize>>()
                        .into_iter()
                        .collect();
                    GateSpec { order, requires, decision }
                })
                .collect()
        })
    })
}

fn id(i: usize) -> String {
    format!("g{i}")
}

/// The gates as `Framework::load` hands them to the rules: sorted by order, then id.
fn gates_of(specs: &[GateSpec]) -> Vec<Gate> {
    let mut gates: Vec<Gate> = specs
        .iter()
        .enumerate()
        .map(|(i, s)| Gate {
            id: id(i),
            title: id(i),
            order: s.order,
            requires: s.requires.iter().map(|&r| id(r)).collect(),
            policy: None,
            signers: Signers { role: "reviewer".into(), quorum: 1, distinct_orgs: 1, independent: false },
            body: String::new(),
            items: Vec::new(),
        })
        .collect();
    gates.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
    gates
}

fn signoffs_of(specs: &[GateSpec]) -> Vec<SignoffFile> {
    specs
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            Some(SignoffFile {
                model: "m".into(),
                gate: id(i),
                member: "ana".into(),
                decision: s.decision?,
                at: "2026-11-29T17:00:00Z".into(),
                subject: SUBJECT.into(),
                checklist: "blob".into(),
                comment: String::new(),
                withdraws: None,
                items: Default::default(),
            })
        })
        .collect()
}

/// The reference: each gate's own verdict (the library's, on the gate with no requirements),
/// then, from every gate locked, every gate re-judged (its own verdict once everything it
/// requires passed, locked otherwise) until no state changes.
fn naive_fixpoint(consortium: &Consortium, gates: &[Gate], signoffs: &[&SignoffFile]) -> BTreeMap<String, GateStatus> {
    let model = ModelFacts { org: None, subject: SUBJECT };
    let own: BTreeMap<String, GateStatus> = gates
        .iter()
        .map(|g| {
            let alone = Gate { requires: Vec::new(), ..g.clone() };
            (g.id.clone(), evaluate(consortium, &[alone], &BTreeMap::new(), &model, signoffs).remove(0))
        })
        .collect();
    let mut states: BTreeMap<String, GateState> = gates.iter().map(|g| (g.id.clone(), GateState::Locked)).collect();
    loop {
        let mut changed = false;
        for g in gates {
            let ready = g.requires.iter().all(|r| states.get(r) == Some(&GateState::Passed));
            let state = if ready { own[&g.id].state } else { GateState::Locked };
            changed |= states.insert(g.id.clone(), state) != Some(state);
        }
        if !changed {
            break;
        }
    }
    states
        .into_iter()
        .map(|(gate, state)| {
            let status = if state == GateState::Locked { locked(&own[&gate]) } else { own[&gate].clone() };
            (gate, status)
        })
        .collect()
}

fn locked(own: &GateStatus) -> GateStatus {
    GateStatus { state: GateState::Locked, approvals: 0, waiting_for: None, older_checklist: Vec::new(), ..own.clone() }
}

/// Gates from which `requires` leads back to themselves.
fn in_cycles(gates: &[Gate]) -> BTreeSet<String> {
    let requires: BTreeMap<&str, &[String]> = gates.iter().map(|g| (g.id.as_str(), g.requires.as_slice())).collect();
    gates
        .iter()
        .filter(|g| {
            let mut seen = BTreeSet::new();
            let mut todo: Vec<&str> = g.requires.iter().map(String::as_str).collect();
            while let Some(r) = todo.pop() {
                if r == g.id {
                    return true;
                }
                if seen.insert(r) {
                    todo.extend(requires.get(r).into_iter().flat_map(|rs| rs.iter().map(String::as_str)));
                }
            }
            false
        })
        .map(|g| g.id.clone())
        .collect()
}

/// `evaluate`'s statuses by gate; they come back in the order of the gates given.
fn evaluated(specs: &[GateSpec]) -> (Vec<Gate>, BTreeMap<String, GateStatus>, BTreeMap<String, GateStatus>) {
    let consortium = Consortium::parse(CONSORTIUM).expect("the test consortium");
    let gates = gates_of(specs);
    let signoffs = signoffs_of(specs);
    let refs: Vec<&SignoffFile> = signoffs.iter().collect();
    let statuses = evaluate(&consortium, &gates, &BTreeMap::new(), &ModelFacts { org: None, subject: SUBJECT }, &refs);
    let order: Vec<&str> = statuses.iter().map(|s| s.gate.as_str()).collect();
    let given: Vec<&str> = gates.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(order, given, "one status per gate, in the order of the gates given");
    let actual = statuses.into_iter().map(|s| (s.gate.clone(), s)).collect();
    let expected = naive_fixpoint(&consortium, &gates, &refs);
    (gates, actual, expected)
}

/// A locked status without its reason, to compare with the reference's.
fn comparable(s: &GateStatus) -> GateStatus {
    if s.state == GateState::Locked {
        GateStatus { waiting_for: None, ..s.clone() }
    } else {
        s.clone()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn states_are_the_fixpoint_over_requires_whatever_the_order(specs in framework(true)) {
        let (_, actual, expected) = evaluated(&specs);
        for (gate, want) in &expected {
            let got = &actual[gate];
            prop_assert_eq!(comparable(got), want.clone(), "gate {} of {:?}", gate, specs);
            if got.state == GateState::Locked && want.waiting_for.is_none() {
                let reason = got.waiting_for.as_deref().unwrap_or("");
                let index: usize = gate[1..].parse().expect("gate ids are g<index>");
                let missing: Vec<String> = specs[index]
                    .requires
                    .iter()
                    .map(|&r| id(r))
                    .filter(|r| actual.get(r).map(|s| s.state) != Some(GateState::Passed))
                    .collect();
                prop_assert!(!missing.is_empty(), "a locked gate of a DAG waits for a requirement: {}", gate);
                for r in &missing {
                    prop_assert!(reason.contains(r.as_str()), "{} says it waits for {}: {:?}", gate, r, reason);
                }
            }
        }
    }

    #[test]
    fn gates_in_a_cycle_are_locked_saying_so_and_the_rest_is_the_fixpoint(specs in framework(false)) {
        let (gates, actual, expected) = evaluated(&specs);
        let cyclic = in_cycles(&gates);
        for (gate, want) in &expected {
            let got = &actual[gate];
            prop_assert_eq!(comparable(got), want.clone(), "gate {} of {:?}", gate, specs);
            if cyclic.contains(gate) {
                let reason = got.waiting_for.as_deref().unwrap_or("");
                prop_assert!(
                    reason.contains("require each other") && reason.contains(&format!(" {gate} ")),
                    "{} is in a cycle and says so: {:?}", gate, reason
                );
            }
        }
    }
}
