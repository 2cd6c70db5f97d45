//! Registering a model and changing its card and evidence.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::actions::{acting_member, author, check_signing};
use crate::card::{self, Card};
use crate::error::{Error, Input, Malformed, Refusal, Result};
use crate::id;
use crate::record::{load_model, Framework};
use crate::registration::{self, Registration};
use crate::repo::Governance;
use crate::trailers::{self, message};
use crate::write::{commit_to_main, CommitSigner, Draft};

/// A card or evidence file given by the caller, with the name to use in errors.
#[derive(Debug, Clone)]
pub struct Upload {
    /// Where the content came from (the user's file path), for messages.
    pub source: String,
    pub content: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct ModelRequest {
    pub model: String,
    pub member: String,
    pub card: Option<Upload>,
    /// Used when the card names no `org`.
    pub org: Option<String>,
    /// Used when the card names no `owners`.
    pub owners: Vec<String>,
    /// (destination under `evidence/`, `reproducibility.toml` (checked first), or a data file beside the card such as `bom.toml`, content)
    pub evidence: Vec<(String, Upload)>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelOutcome {
    pub commit: String,
    pub tree: String,
    pub changed: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Add,
    Update,
    /// As `Add`, with the card stored byte for byte (`actions::import`).
    Import,
}

/// Registers a new model. Any member may; `org` and `owners` come from the card, else the
/// request, else the acting member.
pub fn add(gov: &Governance, req: &ModelRequest, signer: Option<&dyn CommitSigner>) -> Result<ModelOutcome> {
    run(gov, req, signer, Mode::Add)
}

/// Registers a new model keeping its card's bytes: the org and owners the card lacks go to
/// `registration.toml` instead of its front matter.
pub(crate) fn add_as_is(
    gov: &Governance,
    req: &ModelRequest,
    signer: Option<&dyn CommitSigner>,
) -> Result<ModelOutcome> {
    run(gov, req, signer, Mode::Import)
}

/// Changes a model's card or evidence. Only its owners may.
pub fn update(gov: &Governance, req: &ModelRequest, signer: Option<&dyn CommitSigner>) -> Result<ModelOutcome> {
    run(gov, req, signer, Mode::Update)
}

fn card_text(upload: &Upload) -> Result<String> {
    crate::repo::blob_text(&upload.source, &upload.content).map_err(Error::from)
}

fn run(gov: &Governance, req: &ModelRequest, signer: Option<&dyn CommitSigner>, mode: Mode) -> Result<ModelOutcome> {
    id::check(Input::Model, &req.model)?;
    id::check(Input::Member, &req.member)?;
    if let Some(org) = &req.org {
        id::check(Input::Organisation, org)?;
    }
    for o in &req.owners {
        id::check(Input::Owner, o)?;
    }
    if mode != Mode::Update && req.card.is_none() {
        return Err(Error::invalid(Input::Card, "a new model needs a card"));
    }
    if mode == Mode::Update && req.card.is_none() && req.evidence.is_empty() {
        return Err(Error::invalid(Input::Model, "nothing to change: give a new card or evidence files"));
    }
    let mut evidence = Vec::new();
    for (dest, upload) in &req.evidence {
        let rel = match crate::repro::manifest::as_destination(&req.model, dest) {
            Some(rel) => {
                crate::repro::manifest::check_upload(&upload.source, &upload.content)?;
                rel.to_string()
            }
            None => crate::paths::model_file_path(Input::Evidence, &req.model, dest)?,
        };
        evidence.push((rel, upload.content.clone()));
    }
    // A card is checked before anything else is read, so a broken one is reported as the
    // user's file with its line. It does not depend on the parent, so it is parsed once even
    // when the commit is rebuilt on a moved `main`.
    let card = match &req.card {
        Some(upload) => {
            let text = card_text(upload)?;
            let parsed = Card::parse(&upload.source, &req.model, &text)?;
            Some((upload, text, parsed))
        }
        None => None,
    };

    let mut changed = Vec::new();
    let commit = commit_to_main(gov, signer, |repo, parent| {
        let tree = parent.tree()?;
        let fw = Framework::load(repo, &tree)?;
        let member = acting_member(&fw.consortium, &req.member)?;
        check_signing(&fw.consortium, member, signer.map(|s| s.public_key()))?;
        let mut problems = Vec::new();
        let existing = load_model(repo, &tree, &req.model, &mut problems)?;
        let mut changes: Vec<(String, Option<Vec<u8>>)> = Vec::new();
        match (mode, &existing) {
            (Mode::Add | Mode::Import, Some(_)) => {
                return Err(Error::refused(Refusal::Exists, format!("model {} is already registered", req.model)))
            }
            (Mode::Update, None) => return Err(Error::NotFound { what: "model", id: req.model.clone() }),
            _ => {}
        }
        let current = existing.as_ref().and_then(|e| e.card.clone());
        if mode == Mode::Update {
            let owners = current.as_ref().map(|c| c.owners.clone()).unwrap_or_default();
            if !owners.contains(&member.id) {
                return Err(Error::refused(
                    Refusal::NotOwner,
                    format!("{} is not an owner of {} (owners: {})", member.id, req.model, owners.join(", ")),
                ));
            }
        }
        if let Some((upload, text, parsed)) = &card {
            // Org and owners: the new card's, else the current card's, else the flags, else the member.
            let org = parsed
                .org
                .clone()
                .or_else(|| current.as_ref().and_then(|c| c.org.clone()))
                .or_else(|| req.org.clone())
                .or_else(|| Some(member.org.clone()));
            let owners = if !parsed.owners.is_empty() {
                parsed.owners.clone()
            } else if let Some(c) = current.as_ref().filter(|c| !c.owners.is_empty()) {
                c.owners.clone()
            } else if !req.owners.is_empty() {
                req.owners.clone()
            } else {
                vec![member.id.clone()]
            };
            if let Some(unknown) = owners.iter().find(|o| fw.consortium.member(o).is_none()) {
                return Err(Error::invalid(Input::Owner, format!("owner {unknown:?} is not a member")));
            }
            if mode == Mode::Import {
                changes.push((card::path(&req.model), Some(text.as_bytes().to_vec())));
                if parsed.org.is_none() || parsed.owners.is_empty() {
                    let reg = Registration { org: org.unwrap_or_else(|| member.org.clone()), owners };
                    changes.push((registration::path(&req.model), Some(reg.to_toml().into_bytes())));
                }
            } else {
                let text = card::with_org_and_owners(
                    &upload.source,
                    text,
                    if parsed.org.is_none() { org.as_deref() } else { None },
                    if parsed.owners.is_empty() { &owners } else { &[] },
                )?;
                changes.push((card::path(&req.model), Some(text.into_bytes())));
            }
        }
        for (rel, content) in &evidence {
            changes.push((format!("models/{}/{rel}", req.model), Some(content.clone())));
        }
        // Only what differs from the parent is a change.
        let mut effective = Vec::new();
        for (path, content) in changes {
            let same = tree
                .get_path(std::path::Path::new(&path))
                .ok()
                .and_then(|e| repo.find_blob(e.id()).ok())
                .is_some_and(|b| Some(b.content()) == content.as_deref());
            if !same {
                effective.push((path, content));
            }
        }
        if effective.is_empty() {
            return Err(Error::invalid(
                Input::Model,
                format!("nothing to change: {} already has this card and evidence", req.model),
            ));
        }
        changed = effective.iter().map(|(p, _)| p.clone()).collect();
        let what = match mode {
            Mode::Add | Mode::Import => "register".to_string(),
            Mode::Update => {
                let names: Vec<&str> = changed.iter().map(|p| p.rsplit('/').next().unwrap_or(p)).collect();
                format!("update {}", names.join(", "))
            }
        };
        let msg = message(
            &format!("model({}): {what}", req.model),
            "",
            &[(trailers::ACTION, "model"), (trailers::MEMBER, &member.id), (trailers::MODEL, &req.model)],
        );
        Ok(Draft { message: msg, author: author(member, req.at), changes: effective, merge: None })
    })?;
    let tree = gov.repo().find_commit(commit)?.tree()?;
    let model_tree = crate::repo::subtree_id(gov.repo(), &tree, &card::dir(&req.model))
        .ok_or_else(|| Error::from(Malformed::new(card::dir(&req.model), None, "missing after commit")))?;
    Ok(ModelOutcome { commit: commit.to_string(), tree: model_tree.to_string(), changed })
}
