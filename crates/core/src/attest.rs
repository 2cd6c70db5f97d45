//! A sign-off as an in-toto attestation: a Statement whose subjects are the tree the sign-off
//! reviewed and the card in it, whose predicate is the sign-off itself, wrapped in a DSSE
//! envelope signed with the member's own key. Anyone holding the member's public key (it is in
//! `consortium.toml`) can check it with in-toto tooling, without Gatehouse or the repository.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use git2::{ObjectType, Oid};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::actions::acting_member;
use crate::consortium::Member;
use crate::error::{Error, Malformed, Refusal, Result, SigningProblem};
use crate::record::{model_view, Framework, Signoff};
use crate::repo::Governance;
use crate::signing::{fingerprint, Signer};
use crate::write::CommitSigner;

/// The in-toto Statement layer this module writes.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
/// What the predicate is: a Gatehouse sign-off, version 1 of its shape (documented in
/// docs/format.md). A URN, so that the name claims no web address.
pub const PREDICATE_TYPE: &str = "urn:gatehouse:signoff:v1";
/// DSSE's payload type for in-toto Statements.
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// Which sign-off to attest, and who asks.
#[derive(Debug, Clone)]
pub struct AttestRequest {
    pub model: String,
    pub gate: String,
    /// The acting member: only a sign-off's own member can sign its attestation.
    pub member: String,
    /// A sign-off file (`signoffs/<bucket>/<model>/<gate>/<stamp>-<member>.toml`); by default the
    /// member's latest sign-off on the gate.
    pub signoff: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    #[serde(rename = "_type")]
    pub statement_type: String,
    pub subject: Vec<Subject>,
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    pub predicate: Predicate,
}

#[derive(Debug, Clone, Serialize)]
pub struct Subject {
    pub name: String,
    /// Algorithm name to lowercase hex digest, with in-toto's names for git's ids
    /// (`gitTree`, `gitBlob`).
    pub digest: std::collections::BTreeMap<String, String>,
}

/// The sign-off, as its file says, with where it sits in the record.
#[derive(Debug, Clone, Serialize)]
pub struct Predicate {
    pub consortium: String,
    pub model: String,
    pub gate: String,
    pub gate_title: String,
    pub member: String,
    pub member_name: String,
    pub organisation: String,
    pub decision: String,
    pub at: String,
    pub comment: String,
    /// The sign-off file and its blob id.
    pub signoff: String,
    pub signoff_blob: String,
    /// The commit that added the sign-off to `main`.
    pub commit: String,
    /// The checklist's blob id the sign-off was made against.
    pub checklist: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdraws: Option<String>,
    pub items: Vec<PredicateItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PredicateItem {
    pub id: String,
    pub state: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

/// A DSSE envelope, as its JSON form is written.
#[derive(Debug, Clone, Serialize)]
pub struct Envelope {
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    /// The Statement's JSON, base64 (standard alphabet, padded).
    pub payload: String,
    pub signatures: Vec<EnvelopeSignature>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnvelopeSignature {
    /// The key's SHA-256 fingerprint as `ssh-keygen -l` prints it (`SHA256:...`).
    pub keyid: String,
    /// The Ed25519 signature over DSSE's pre-authentication encoding, base64.
    pub sig: String,
}

/// What `attest` made: the envelope to save, and the statement inside it for display.
#[derive(Debug, Clone, Serialize)]
pub struct Attestation {
    pub envelope: Envelope,
    pub statement: Statement,
}

impl Attestation {
    /// The envelope as it is saved: pretty JSON with a final newline.
    pub fn envelope_json(&self) -> String {
        // Strings and string-keyed maps only: serializing cannot fail.
        serde_json::to_string_pretty(&self.envelope).unwrap_or_default() + "\n"
    }
}

/// DSSE's pre-authentication encoding: what the signature covers.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!("DSSEv1 {} {} {} ", payload_type.len(), payload_type, payload.len()).into_bytes();
    out.extend_from_slice(payload);
    out
}

/// The in-toto Statement of one sign-off on `main`, signed as a DSSE envelope by `signer`,
/// which must be one of the sign-off's member's keys.
pub fn attest(gov: &Governance, req: &AttestRequest, signer: &Signer) -> Result<Attestation> {
    // The member as the statement's own commit lists them: one read of `main`, so the key is
    // judged against the same consortium.toml the statement was made from.
    let (statement, member) = statement_and_member(gov, req)?;
    let member = &member;
    let public = signer.public_key();
    if !crate::signing::is_members_key(member, public) {
        return Err(Error::refused(
            Refusal::KeyNotListed,
            format!("the signing key {} is not one of {}'s keys in consortium.toml", fingerprint(public), member.id),
        ));
    }
    let payload =
        serde_json::to_vec(&statement).map_err(|e| Error::Render { format: "in-toto", message: e.to_string() })?;
    let sig = signer.sign_raw(&pae(PAYLOAD_TYPE, &payload))?;
    let envelope = Envelope {
        payload_type: PAYLOAD_TYPE.to_string(),
        payload: BASE64.encode(&payload),
        signatures: vec![EnvelopeSignature { keyid: fingerprint(public), sig: BASE64.encode(sig) }],
    };
    Ok(Attestation { envelope, statement })
}

/// The Statement alone: what `attest` signs.
pub fn statement(gov: &Governance, req: &AttestRequest) -> Result<Statement> {
    Ok(statement_and_member(gov, req)?.0)
}

/// The Statement, and the member it names as `main`'s consortium.toml lists them.
fn statement_and_member(gov: &Governance, req: &AttestRequest) -> Result<(Statement, Member)> {
    let repo = gov.repo();
    let head = gov.head()?;
    let tree = gov.tree_of(head)?;
    let fw = Framework::load(repo, &tree)?;
    let member = acting_member(&fw.consortium, &req.member)?;
    let gate = fw.gate(&req.gate).ok_or_else(|| Error::NotFound { what: "gate", id: req.gate.clone() })?;
    let view = model_view(repo, &tree, &fw, &req.model, &mut Vec::new())?
        .ok_or_else(|| Error::NotFound { what: "model", id: req.model.clone() })?;
    let signoff = pick(&view.signoffs, req, &gate.id)?;
    if signoff.file.member != member.id {
        return Err(Error::refused(
            Refusal::NotAuthor,
            format!(
                "{} is {}'s sign-off; only the member who signed it can sign its attestation",
                signoff.path, signoff.file.member
            ),
        ));
    }
    let commit = crate::report::build::adding_commits(repo, head, &fw.layout().model_dir(&req.model))?
        .remove(&signoff.path)
        .ok_or_else(|| Error::NotFound { what: "commit adding", id: signoff.path.clone() })?;

    let mut subject = Vec::new();
    let folder = crate::card::dir(&req.model);
    let reviewed = Oid::from_str(&signoff.file.subject).map_err(|_| {
        Malformed::new(&signoff.path, None, format!("subject {:?} is not a tree id", signoff.file.subject))
    })?;
    subject.push(Subject { name: folder.clone(), digest: [("gitTree".to_string(), reviewed.to_string())].into() });
    // The card as the reviewer read it: the one in the reviewed tree.
    if let Ok(reviewed_tree) = repo.find_tree(reviewed) {
        if let Some(entry) = reviewed_tree.get_name("card.md").filter(|e| e.kind() == Some(ObjectType::Blob)) {
            let blob = repo.find_blob(entry.id())?;
            let sha = hex::encode(Sha256::digest(blob.content()));
            subject.push(Subject {
                name: crate::card::path(&req.model),
                digest: [("gitBlob".to_string(), entry.id().to_string()), ("sha256".to_string(), sha)].into(),
            });
        }
    }

    let items = signoff
        .file
        .items
        .iter()
        .map(|(id, item)| PredicateItem {
            id: id.clone(),
            state: item.state.as_str().to_string(),
            note: item.note.clone(),
            evidence: item.evidence.clone(),
        })
        .collect();
    let statement = Statement {
        statement_type: STATEMENT_TYPE.to_string(),
        subject,
        predicate_type: PREDICATE_TYPE.to_string(),
        predicate: Predicate {
            consortium: fw.consortium.name.clone(),
            model: req.model.clone(),
            gate: gate.id.clone(),
            gate_title: gate.title.clone(),
            member: member.id.clone(),
            member_name: member.name.clone(),
            organisation: member.org.clone(),
            decision: signoff.file.decision.as_str().to_string(),
            at: signoff.file.at.clone(),
            comment: signoff.file.comment.clone(),
            signoff: signoff.path.clone(),
            signoff_blob: signoff.blob.clone(),
            commit,
            checklist: signoff.file.checklist.clone(),
            withdraws: signoff.file.withdraws.clone(),
            items,
        },
    };
    Ok((statement, member.clone()))
}

/// The sign-off asked for: the named file, else the member's latest on the gate.
fn pick<'s>(signoffs: &'s [Signoff], req: &AttestRequest, gate: &str) -> Result<&'s Signoff> {
    match &req.signoff {
        Some(path) => signoffs
            .iter()
            .find(|s| &s.path == path && s.file.gate == gate)
            .ok_or_else(|| Error::NotFound { what: "sign-off", id: path.clone() }),
        None => signoffs
            .iter()
            .filter(|s| s.file.gate == gate && s.file.member == req.member)
            .max_by(|a, b| a.file.at.cmp(&b.file.at).then_with(|| a.path.cmp(&b.path)))
            .ok_or_else(|| Error::NotFound {
                what: "sign-off",
                id: format!("{} by {} on gate {gate}", req.model, req.member),
            }),
    }
}

impl Signer {
    /// A raw signature over `data` (no SSH wrapping), as DSSE wants it. Only Ed25519 keys: the
    /// signature is then the plain 64 bytes every Ed25519 verifier reads.
    pub fn sign_raw(&self, data: &[u8]) -> Result<Vec<u8>> {
        let public = self.public_key();
        if public.algorithm() != ssh_key::Algorithm::Ed25519 {
            return Err(Error::signing(
                SigningProblem::KeyUnusable,
                format!(
                    "attestations are signed with Ed25519 keys; {} is an {} key",
                    fingerprint(public),
                    public.algorithm()
                ),
            ));
        }
        let signature: ssh_key::Signature = match self {
            Signer::Key(key) => signature::Signer::try_sign(key.as_ref(), data)
                .map_err(|e| Error::signing(SigningProblem::KeyUnusable, e.to_string()))?,
            Signer::Agent { socket, public } => {
                let agent_error = |e: ssh_agent_client_rs::Error| {
                    Error::signing(
                        SigningProblem::AgentUnavailable,
                        format!("the ssh-agent at {} did not sign with {}: {e}", socket.display(), fingerprint(public)),
                    )
                };
                let mut client = ssh_agent_client_rs::Client::connect(socket).map_err(agent_error)?;
                client.sign(public, data).map_err(agent_error)?
            }
        };
        Ok(signature.as_bytes().to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_is_dsse_v1s_encoding() {
        // The DSSE protocol's own worked example: type "http://example.com/HelloWorld", body
        // "hello world".
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec(),
            "the signature must cover exactly DSSE's pre-authentication encoding, or no verifier accepts it"
        );
    }
}
