//! Whether the acting member may sign a gate, asked before the form is filled in, and whether
//! the form's draft may be signed as it stands: by the same rules the commit applies
//! (`actions::signoff::may_sign` and `actions::signoff::check_draft`).

use git2::{Repository, Tree};
use serde::Serialize;

use crate::actions::signoff::{check_draft, may_sign, DraftCheck, ItemInput};
use crate::error::{Error, ErrorCode, Result};
use crate::record::{model_view, Framework};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Eligibility {
    pub allowed: bool,
    /// The refusal's code when not allowed (`not-member`, `missing-role`, `own-organisation`,
    /// `gate-locked`, `signing-required`, `key-not-listed`, `no-member`): the UI branches on it.
    pub code: Option<ErrorCode>,
    /// Why not, in words, naming the member, gate and rule.
    pub reason: Option<String>,
}

impl Eligibility {
    fn refused(e: Error) -> Result<Eligibility> {
        match e {
            Error::Refused { .. } => {
                Ok(Eligibility { allowed: false, code: Some(e.code()), reason: Some(e.to_string()) })
            }
            other => Err(other),
        }
    }
}

/// May `member` (None: nobody chosen) sign `gate` of `model` at `tree`? `key` is the public key
/// the front end would sign the commit with, if any.
pub fn eligibility(
    repo: &Repository,
    tree: &Tree,
    fw: &Framework,
    model: &str,
    gate: &str,
    member: Option<&str>,
    key: Option<&ssh_key::PublicKey>,
) -> Result<Eligibility> {
    let Some(member) = member else {
        return Ok(Eligibility {
            allowed: false,
            code: Some(ErrorCode::NoMember),
            reason: Some("choose which member you are (Identity) before signing".into()),
        });
    };
    let member = match crate::actions::acting_member(&fw.consortium, member) {
        Ok(m) => m,
        Err(e) => return Eligibility::refused(e),
    };
    if let Err(e) = crate::actions::check_signing(&fw.consortium, member, key) {
        return Eligibility::refused(e);
    }
    let g = fw.gate(gate).ok_or_else(|| Error::NotFound { what: "gate", id: gate.to_string() })?;
    let mut problems = Vec::new();
    let view = model_view(repo, tree, fw, model, &mut problems)?
        .ok_or_else(|| Error::NotFound { what: "model", id: model.to_string() })?;
    let status = view.gates.iter().find(|s| s.gate == g.id).expect("every gate is evaluated");
    match may_sign(member, g, view.model.org(), model, status) {
        Ok(()) => Ok(Eligibility { allowed: true, code: None, reason: None }),
        Err(e) => Eligibility::refused(e),
    }
}

/// Whether the form's draft may be signed as it stands, by the rule the commit applies
/// (`actions::signoff::check_draft`) to the gate's checklist at `fw`.
pub fn check_form(fw: &Framework, form: &SignForm) -> Result<DraftCheck> {
    let gate = fw.gate(&form.gate).ok_or_else(|| Error::NotFound { what: "gate", id: form.gate.clone() })?;
    Ok(check_draft(gate, form.decision, &form.item_inputs(), &form.comment))
}

/// The sign-off form as the app submits it; the member and time are the app's to add.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignForm {
    pub model: String,
    pub gate: String,
    pub decision: crate::signoff::Decision,
    pub items: Vec<FormItem>,
    /// Evidence files of the model (relative to its folder) attached to items.
    pub evidence: Vec<FormEvidence>,
    pub comment: String,
}

#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FormItem {
    pub id: String,
    pub state: crate::signoff::ItemState,
    pub note: String,
}

#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FormEvidence {
    pub item: String,
    pub path: String,
}

impl SignForm {
    fn item_inputs(&self) -> Vec<ItemInput> {
        self.items.iter().map(|i| ItemInput { id: i.id.clone(), state: i.state, note: i.note.clone() }).collect()
    }

    pub fn into_request(
        self,
        member: String,
        at: chrono::DateTime<chrono::Utc>,
    ) -> crate::actions::signoff::SignoffRequest {
        let items = self.item_inputs();
        crate::actions::signoff::SignoffRequest {
            model: self.model,
            gate: self.gate,
            member,
            decision: self.decision,
            items,
            evidence: self.evidence.into_iter().map(|e| (e.item, e.path)).collect(),
            comment: self.comment,
            at,
        }
    }
}
