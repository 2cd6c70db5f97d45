//! "My gates": every gate the acting member may sign now, on every model: the gate is not
//! passed and `actions::signoff::may_sign` lets them (the role, the model's organisation at an
//! independent gate, not locked). `status --may-sign` prints it and the app's inbox lists it.

use serde::Serialize;

use crate::actions::signoff::may_sign;
use crate::error::Result;
use crate::record::{model_ids, model_view, Framework};
use crate::repo::Governance;
use crate::rules::{is_current, is_withdrawn, withdrawn_until, GateState};
use crate::signoff::{Decision, SignoffFile};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MyGate {
    pub model: String,
    pub model_title: String,
    pub gate: String,
    pub gate_title: String,
    pub state: GateState,
    /// The member's own decision that stands on the gate (current, not withdrawn), if any:
    /// `None` means the gate waits on them.
    pub decision: Option<Decision>,
}

/// Every gate `member` may sign now, model by model (by id), gates in their order.
pub fn my_gates(gov: &Governance, member: &str) -> Result<Vec<MyGate>> {
    let repo = gov.repo();
    let tree = repo.find_commit(gov.head()?)?.tree()?;
    let fw = Framework::load(repo, &tree)?;
    let m = crate::actions::acting_member(&fw.consortium, member)?;
    let mut out = Vec::new();
    for model in model_ids(repo, &tree)? {
        let Some(view) = model_view(repo, &tree, &fw, &model, &mut Vec::new())? else { continue };
        let Some(card) = view.model.card.as_ref() else { continue };
        let facts = view.model.facts();
        for (gate, status) in fw.gates.iter().zip(&view.gates) {
            if status.state == GateState::Passed || may_sign(m, gate, card.org.as_deref(), &model, status).is_err() {
                continue;
            }
            let on_gate: Vec<&SignoffFile> =
                view.signoffs.iter().map(|s| &s.file).filter(|s| s.gate == gate.id).collect();
            let withdrawn = withdrawn_until(&on_gate);
            let decision = on_gate
                .iter()
                .filter(|s| s.member == m.id && is_current(&fw.consortium, &facts, s) && !is_withdrawn(&withdrawn, s))
                .max_by(|a, b| a.at.cmp(&b.at))
                .map(|s| s.decision);
            out.push(MyGate {
                model: model.clone(),
                model_title: card.title.clone(),
                gate: gate.id.clone(),
                gate_title: gate.title.clone(),
                state: status.state,
                decision,
            });
        }
    }
    Ok(out)
}
