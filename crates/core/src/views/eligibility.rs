//! Whether the acting member may sign a gate, asked before the form is filled in, and whether
//! the form's draft may be signed as it stands: by the same rules the commit applies
//! (`actions::signoff::may_sign` and `actions::signoff::check_draft`).

use git2::{Repository, Tree};
use serde::Serialize;

use crate::actions::signoff::{check_draft, may_sign, DraftCheck, ItemInput};
use crate::error::{Error, ErrorCode, Result};
use crate::record::{model_view, Framework, ModelView};

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
    let g = fw.gate(gate).ok_or_else(|| Error::NotFound { what: "gate", id: gate.to_string() })?;
    let view = model_of(repo, tree, fw, model)?;
    let acting = match acting(fw, member, key)? {
        Ok(m) => m,
        Err(refused) => return Ok(refused),
    };
    let status = view.gates.iter().find(|s| s.gate == g.id).expect("every gate is evaluated");
    judge(may_sign(acting, g, view.model.org(), model, status))
}

/// One gate of a model as its Sign button needs it: whether the acting member may sign it now,
/// and who may (by role and organisation) whatever the gate's state.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GateEligibility {
    pub gate: String,
    pub eligibility: Eligibility,
    /// The members who hold the gate's role and, for an independent gate, are not of the
    /// model's organisation; by name.
    pub signers: Vec<EligibleSigner>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EligibleSigner {
    pub id: String,
    pub name: String,
    pub org: String,
}

/// `eligibility` for every gate of `model`, in the gates' order, judged on one reading of it.
pub fn for_model(
    repo: &Repository,
    tree: &Tree,
    fw: &Framework,
    model: &str,
    member: Option<&str>,
    key: Option<&ssh_key::PublicKey>,
) -> Result<Vec<GateEligibility>> {
    let view = model_of(repo, tree, fw, model)?;
    let acting = acting(fw, member, key)?;
    let org = view.model.org();
    let mut out = Vec::new();
    for status in &view.gates {
        let Some(gate) = fw.gate(&status.gate) else { continue };
        let eligibility = match &acting {
            Ok(m) => judge(may_sign(m, gate, org, model, status))?,
            Err(refused) => refused.clone(),
        };
        let signers = fw
            .consortium
            .members
            .iter()
            .filter(|m| m.has_role(&gate.signers.role) && !(gate.signers.independent && org == Some(m.org.as_str())))
            .map(|m| EligibleSigner { id: m.id.clone(), name: m.name.clone(), org: m.org.clone() })
            .collect();
        out.push(GateEligibility { gate: gate.id.clone(), eligibility, signers });
    }
    Ok(out)
}

/// The acting member, or the refusal that stops them before any gate is looked at (nobody
/// chosen, not a member, a key that cannot sign for them).
fn acting<'f>(
    fw: &'f Framework,
    member: Option<&str>,
    key: Option<&ssh_key::PublicKey>,
) -> Result<std::result::Result<&'f crate::consortium::Member, Eligibility>> {
    let Some(member) = member else {
        return Ok(Err(Eligibility {
            allowed: false,
            code: Some(ErrorCode::NoMember),
            reason: Some("choose which member you are (Identity) before signing".into()),
        }));
    };
    let member = match crate::actions::acting_member(&fw.consortium, member) {
        Ok(m) => m,
        Err(e) => return Eligibility::refused(e).map(Err),
    };
    if let Err(e) = crate::actions::check_signing(&fw.consortium, member, key) {
        return Eligibility::refused(e).map(Err);
    }
    Ok(Ok(member))
}

/// `model` as the rules see it at `tree`, or `not-found`.
fn model_of(repo: &Repository, tree: &Tree, fw: &Framework, model: &str) -> Result<ModelView> {
    model_view(repo, tree, fw, model, &mut Vec::new())?
        .ok_or_else(|| Error::NotFound { what: "model", id: model.to_string() })
}

fn judge(verdict: Result<()>) -> Result<Eligibility> {
    match verdict {
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
