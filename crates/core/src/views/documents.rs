//! Policies and checklists, rendered, each with its file's history.

use git2::{Oid, Repository};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::record::Framework;
use crate::render;
use crate::views::history::{file_history, HistoryEntry};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DocumentList {
    /// The charter and policies, in file order.
    pub policies: Vec<DocumentSummary>,
    /// The gates' checklists, in gate order.
    pub checklists: Vec<DocumentSummary>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DocumentSummary {
    /// `policy` or `checklist`.
    pub kind: String,
    pub id: String,
    pub title: String,
    pub path: String,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DocumentView {
    pub kind: String,
    pub id: String,
    pub title: String,
    pub path: String,
    pub version: Option<String>,
    /// Rendered and sanitized.
    pub html: String,
    /// For a checklist: who signs it and how many.
    pub signers: Option<String>,
    /// Commits that changed the file, newest first.
    pub history: Vec<HistoryEntry>,
}

pub fn documents(fw: &Framework) -> DocumentList {
    DocumentList {
        policies: fw
            .policies
            .iter()
            .map(|p| DocumentSummary {
                kind: "policy".into(),
                id: p.id.clone(),
                title: p.title.clone(),
                path: format!("{}/{}.md", crate::policy::DIR, p.id),
                summary: p.summary.clone(),
            })
            .collect(),
        checklists: fw
            .gates
            .iter()
            .map(|g| DocumentSummary {
                kind: "checklist".into(),
                id: g.id.clone(),
                title: g.title.clone(),
                path: format!("{}/{}.md", crate::checklist::DIR, g.id),
                summary: Some(format!("{} items · signed by {} × {}", g.items.len(), g.signers.quorum, g.signers.role)),
            })
            .collect(),
    }
}

/// One policy or checklist (`kind` is `policy` or `checklist`) with up to 200 commits of history.
pub fn document(repo: &Repository, head: Oid, fw: &Framework, kind: &str, id: &str) -> Result<DocumentView> {
    crate::id::check(crate::error::Input::Document, id)?;
    let (title, path, version, body, signers) = match kind {
        "policy" => {
            let p = fw.policy(id).ok_or_else(|| Error::NotFound { what: "policy", id: id.to_string() })?;
            (p.title.clone(), format!("{}/{}.md", crate::policy::DIR, p.id), p.version.clone(), p.body.clone(), None)
        }
        "checklist" => {
            let g = fw.gate(id).ok_or_else(|| Error::NotFound { what: "gate", id: id.to_string() })?;
            let s = &g.signers;
            let signers = format!(
                "{} approval(s) by {} from {} organisation(s){}",
                s.quorum,
                s.role,
                s.distinct_orgs,
                if s.independent { ", none from the model's own organisation" } else { "" }
            );
            (g.title.clone(), format!("{}/{}.md", crate::checklist::DIR, g.id), None, g.body.clone(), Some(signers))
        }
        other => {
            return Err(Error::invalid(
                crate::error::Input::Document,
                format!("{other:?} is neither policy nor checklist"),
            ))
        }
    };
    Ok(DocumentView {
        kind: kind.to_string(),
        id: id.to_string(),
        title,
        history: file_history(repo, head, &path, 200, &crate::words::Names::of_framework(fw))?,
        path,
        version,
        html: render::to_html(&body),
        signers,
    })
}
