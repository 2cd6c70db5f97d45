//! "Waiting on me": what the record waits on one member for. Proposals they may vote on and
//! have not (on the current subject), objections they raised that block a proposal, and gates
//! they may sign that have no decision from them on the model as it is.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::my_gates::{my_gates, MyGate};
use super::proposals::{summary, ProposalSummary};
use crate::error::Result;
use crate::index::{Index, ProposalRow};
use crate::proposal::{ProposalState, VOTING_ROLE};
use crate::record::Framework;
use crate::repo::Governance;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InboxObjection {
    pub proposal: String,
    pub title: String,
    pub comment: String,
    pub at: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Inbox {
    pub member: String,
    /// Open proposals the member may vote on with no vote of theirs on the current subject.
    pub votes: Vec<ProposalSummary>,
    /// Their objections that stand on an open proposal: only they can lift them.
    pub objections: Vec<InboxObjection>,
    /// Gates they may sign, not passed, with no decision of theirs on the model as it is.
    pub signoffs: Vec<MyGate>,
}

impl Inbox {
    pub fn is_empty(&self) -> bool {
        self.votes.is_empty() && self.objections.is_empty() && self.signoffs.is_empty()
    }
}

pub fn inbox(gov: &Governance, index: &Index, member: &str, now: DateTime<Utc>) -> Result<Inbox> {
    let repo = gov.repo();
    let tree = repo.find_commit(gov.head()?)?.tree()?;
    let fw = Framework::load(repo, &tree)?;
    let m = crate::actions::acting_member(&fw.consortium, member)?;
    let mut inbox = Inbox { member: m.id.clone(), votes: vec![], objections: vec![], signoffs: vec![] };
    // The proposals as the list shows them, from the index.
    let mut open: Vec<(String, ProposalRow)> = index
        .proposals()?
        .into_iter()
        .filter_map(|p| Some((p.id, p.summary?)))
        .filter(|(_, row)| row.state == ProposalState::Open)
        .collect();
    open.sort_by(|a, b| a.0.cmp(&b.0));
    for (id, row) in &open {
        if let Some(o) = row.deliberation.objections.iter().find(|o| o.member == m.id) {
            inbox.objections.push(InboxObjection {
                proposal: id.clone(),
                title: row.title.clone(),
                comment: o.comment.clone(),
                at: o.at.clone(),
            });
        } else if m.has_role(VOTING_ROLE) && row.deliberation.waiting.contains(&m.id) {
            inbox.votes.push(summary(id, row, now));
        }
    }
    inbox.signoffs = my_gates(gov, &m.id)?.into_iter().filter(|g| g.decision.is_none()).collect();
    Ok(inbox)
}
