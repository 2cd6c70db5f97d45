//! Policy proposals in the synthetic history, made as Gatehouse makes them (docs/format.md,
//! "Policy proposals"): a content commit on the proposal's branch changing one policy or
//! checklist, the `propose` commit with the record on `main`, ten `vote` commits by voting
//! members, and, a round later, the `accept` merge (with `outcome.toml`) or a `withdraw`.
//!
//! Proposals come in rounds of `PER_ROUND`, spread evenly over the sign-off history. A round
//! first closes the previous round's proposals (the clock jumps forward, when it must, so that
//! their final comment period has ended), then proposes its own, each changing a different
//! file, so no accept meets a file `main` changed since its branch was cut. The last round
//! stays open. A commit's id is only known once it is signed (after fast-import), so records,
//! votes, outcomes and trailers name a placeholder subject that signing replaces (`sign`).

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use anyhow::Result;
use chrono::DateTime;
use gatehouse::consortium::Consortium;
use gatehouse::proposal::{self, Outcome, OutcomeKind, Record, Vote, VoteKind};
use gatehouse::signoff::format_at;
use gatehouse::trailers::{self, message};

use super::fast_import::Stream;

/// Proposals per round: each changes a different file.
pub const PER_ROUND: usize = 10;
/// Votes per proposal.
pub const VOTES: usize = 10;
/// The synthetic consortium's quorum: a third of its 24 voting members (8 approvals).
pub const QUORUM: &str = "1/3";

/// Where a proposal ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    Accepted,
    Withdrawn,
    Open,
}

pub struct ProposalInfo {
    pub id: String,
    pub fate: Fate,
    /// Whether one of its votes is an objection.
    pub objected: bool,
}

/// The placeholder a proposal's subject is written as until signing knows the commit's id.
pub fn placeholder(k: usize) -> String {
    format!("b0b0b0b0{k:032x}")
}

/// The files proposals change, one per proposal of a round: the framework's policies, and one
/// checklist per round (in turn).
fn targets(framework: &BTreeMap<String, String>, round: usize) -> Vec<String> {
    let policies: Vec<&String> =
        framework.keys().filter(|p| p.starts_with("policies/") && !p.starts_with("policies/checklists/")).collect();
    let checklists: Vec<&String> = framework.keys().filter(|p| p.starts_with("policies/checklists/")).collect();
    let mut t: Vec<String> = policies.iter().take(PER_ROUND - 1).map(|p| p.to_string()).collect();
    t.push(checklists[round % checklists.len()].clone());
    t
}

/// `text` with a paragraph after its first Markdown heading: a change that keeps every
/// checklist item (and so every gate's state) as it was.
pub fn amend(text: &str, paragraph: &str) -> String {
    match text.find("\n# ") {
        Some(h) => {
            let end = text[h + 1..].find('\n').map(|e| h + 1 + e + 1).unwrap_or(text.len());
            format!("{}\n{paragraph}\n\n{}", &text[..end], &text[end..])
        }
        None => format!("{text}\n{paragraph}\n"),
    }
}

struct Pending {
    k: usize,
    id: String,
    title: String,
    author: usize,
    branch_mark: usize,
    path: String,
    content: String,
    /// When the comment period ends (the quorum-th approval + final_comment_days).
    ends: i64,
    withdraw: bool,
}

/// The proposals' state while the history is written.
pub struct Proposals {
    total: usize,
    made: usize,
    round: usize,
    pending: Vec<Pending>,
    /// The framework's files as `main` holds them now.
    framework: BTreeMap<String, String>,
    pub info: Vec<ProposalInfo>,
    /// Proposal id → placeholder subject.
    pub placeholders: HashMap<String, String>,
    pub commits: usize,
}

impl Proposals {
    pub fn new(total: usize, framework: &[(String, &[u8])]) -> Proposals {
        Proposals {
            total,
            made: 0,
            round: 0,
            pending: vec![],
            framework: framework
                .iter()
                .filter(|(p, _)| p.ends_with(".md"))
                .map(|(p, b)| (p.clone(), String::from_utf8_lossy(b).into_owned()))
                .collect(),
            info: vec![],
            placeholders: HashMap::new(),
            commits: 0,
        }
    }

    pub fn rounds(&self) -> usize {
        self.total.div_ceil(PER_ROUND)
    }

    /// The framework's files as `main` holds them at the end.
    pub fn framework(&self) -> &BTreeMap<String, String> {
        &self.framework
    }

    /// One round: closes the previous round's proposals, then proposes and votes on the next.
    pub(super) fn round<W: Write>(&mut self, s: &mut Stream<W>, c: &Consortium) -> Result<()> {
        self.close_pending(s, c)?;
        let n = PER_ROUND.min(self.total - self.made);
        let targets = targets(&self.framework, self.round);
        let mut round: Vec<Pending> = Vec::new();
        let members = &c.members;
        for (j, path) in targets.iter().take(n).enumerate() {
            let k = self.made;
            self.made += 1;
            let id = format!("p{k:04}-{}", slug(path));
            let title = format!("Amend {} ({})", path.trim_start_matches("policies/"), k + 1);
            let author = (k * 5 + j) % members.len();
            let a = &members[author];
            let subject = placeholder(k);
            self.placeholders.insert(id.clone(), subject.clone());
            let paragraph = format!(
                "Amendment {} (proposal {id}): reviewers record the tools and versions they used, \
                 and the evidence they relied on, in the sign-off's comment.",
                k + 1
            );
            let content = amend(&self.framework[path], &paragraph);
            let branch_mark =
                s.branch_commit(a, &format!("proposal({id}): {title}\n"), &[(path.clone(), content.as_bytes())])?;
            let record = Record {
                title: title.clone(),
                author: a.id.clone(),
                branch: proposal::branch_name(&id),
                subject: subject.clone(),
            };
            let text = record.to_text(&format!(
                "The {} should say what reviewers record about their tools.\n\nRound {} of the synthetic history.",
                path,
                self.round + 1
            ));
            let msg = message(
                &format!("propose({id}): {title}"),
                "",
                &[
                    (trailers::ACTION, "propose"),
                    (trailers::MEMBER, &a.id),
                    (trailers::PROPOSAL, &id),
                    (trailers::SUBJECT, &subject),
                ],
            );
            s.commit(a, &msg, &[(proposal::record_path(&id), text.as_bytes())])?;
            self.commits += 2;
            round.push(Pending {
                k,
                id,
                title,
                author,
                branch_mark,
                path: path.clone(),
                content,
                ends: 0,
                withdraw: k % 40 == 17,
            });
        }
        // Ten votes on each, interleaved: the members go through the round's proposals.
        let needed = gatehouse::proposal::deliberation::needed(members.len(), &c.rules.proposal_quorum) as usize;
        for v in 0..VOTES {
            for p in round.iter_mut() {
                let voter = (p.k * 3 + v * 7 + 1) % members.len();
                let m = &members[voter];
                // A proposal to be withdrawn, and every fifth still open at the end, meets one
                // objection (its last vote).
                let last_round = self.made == self.total;
                let objects = v == VOTES - 1 && (p.withdraw || (last_round && p.k.is_multiple_of(5)));
                let (kind, comment) = if objects {
                    (VoteKind::Object, "The wording is too vague to review against.".to_string())
                } else {
                    (VoteKind::Approve, String::new())
                };
                let at = DateTime::from_timestamp(s.clock, 0).expect("a valid time");
                if v + 1 == needed {
                    p.ends = s.clock + i64::from(c.rules.final_comment_days) * 86_400;
                }
                let subject = placeholder(p.k);
                let vote = Vote { vote: kind, subject: subject.clone(), at: format_at(at), comment: comment.clone() };
                let msg = message(
                    &format!("vote({}): {kind}", p.id),
                    &comment,
                    &[
                        (trailers::ACTION, "vote"),
                        (trailers::MEMBER, &m.id),
                        (trailers::PROPOSAL, &p.id),
                        (trailers::VOTE, kind.as_str()),
                        (trailers::SUBJECT, &subject),
                    ],
                );
                s.commit(m, &msg, &[(proposal::vote_path(&p.id, &m.id), vote.to_toml().as_bytes())])?;
                self.commits += 1;
            }
        }
        let last = self.made == self.total;
        for p in &round {
            self.info.push(ProposalInfo {
                id: p.id.clone(),
                fate: if last {
                    Fate::Open
                } else if p.withdraw {
                    Fate::Withdrawn
                } else {
                    Fate::Accepted
                },
                objected: p.withdraw || (last && p.k.is_multiple_of(5)),
            });
        }
        if !last {
            self.pending = round;
        }
        self.round += 1;
        Ok(())
    }

    /// Accepts (or withdraws) the proposals of the round before, once their period ended.
    fn close_pending<W: Write>(&mut self, s: &mut Stream<W>, c: &Consortium) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        if let Some(ends) = pending.iter().filter(|p| !p.withdraw).map(|p| p.ends).max() {
            // The members wait for the comment period to end.
            s.clock = s.clock.max(ends);
        }
        for p in pending {
            let (kind, member) = if p.withdraw {
                (OutcomeKind::Withdrawn, p.author)
            } else {
                (OutcomeKind::Accepted, (p.k * 11 + 3) % c.members.len())
            };
            let m = &c.members[member];
            let subject = placeholder(p.k);
            let at = DateTime::from_timestamp(s.clock, 0).expect("a valid time");
            let outcome = Outcome {
                outcome: kind,
                member: m.id.clone(),
                subject: subject.clone(),
                at: format_at(at),
                comment: "".into(),
            };
            let summary = match kind {
                OutcomeKind::Accepted => format!("accept({}): {}", p.id, p.title),
                other => format!("{}({})", other.action(), p.id),
            };
            let msg = message(
                &summary,
                "",
                &[
                    (trailers::ACTION, kind.action()),
                    (trailers::MEMBER, &m.id),
                    (trailers::PROPOSAL, &p.id),
                    (trailers::SUBJECT, &subject),
                ],
            );
            let outcome_text = outcome.to_toml();
            let outcome_file = (proposal::outcome_path(&p.id), outcome_text.as_bytes());
            if kind == OutcomeKind::Accepted {
                s.merge(m, &msg, p.branch_mark, &[(p.path.clone(), p.content.as_bytes()), outcome_file])?;
                self.framework.insert(p.path.clone(), p.content.clone());
            } else {
                s.commit(m, &msg, &[outcome_file])?;
            }
            self.commits += 1;
        }
        Ok(())
    }
}

fn slug(path: &str) -> String {
    path.trim_start_matches("policies/").trim_end_matches(".md").replace('/', "-")
}
