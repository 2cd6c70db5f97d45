//! Where the members stand on a proposal's current subject: approvals against the quorum,
//! standing objections, and the final comment period. Pure: it is given the rules, the vote
//! files of the tree and every version of them `main` ever held (`history`), so `verify`, the
//! actions and the index all judge alike.
//!
//! The comment period starts when quorum is reached with no standing objection. An objection
//! stops it; once the last objection is lifted (and quorum still stands) the full period starts
//! again. The moments come from the votes' own `at`, replayed in order.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{short, Vote, VoteKind, VOTING_ROLE};
use crate::consortium::{parse_ratio, Consortium};
use crate::error::Refusal;
use crate::signoff::{format_at, parse_at};

/// One version of a member's vote file, as some commit held it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteVersion {
    pub member: String,
    pub vote: Vote,
}

/// A standing objection on the current subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Objection {
    pub member: String,
    pub comment: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Deliberation {
    /// The commit the votes are about.
    pub subject: String,
    /// The members holding `voting-member`.
    pub voters: Vec<String>,
    /// Approvals the quorum needs.
    pub needed: u32,
    /// The quorum rule, as consortium.toml gives it (`2/3`).
    pub quorum: String,
    pub final_comment_days: u32,
    /// Voting members whose latest vote approves the current subject.
    pub approvals: Vec<String>,
    pub objections: Vec<Objection>,
    pub abstentions: Vec<String>,
    /// Voting members whose latest vote is about an older subject: it no longer counts.
    pub outdated: Vec<String>,
    /// Voting members with no vote on the current subject (the outdated among them).
    pub waiting: Vec<String>,
    /// Vote files by members who do not hold `voting-member`: they do not count.
    pub ignored: Vec<String>,
    /// When the comment period started (quorum with no standing objection), if it runs.
    pub period_started: Option<String>,
    /// When it ends: from then on the proposal may be accepted.
    pub period_ends: Option<String>,
}

/// Why a proposal cannot be accepted yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocker {
    /// Nobody voted on the current subject.
    NoVotes {
        subject: String,
    },
    Quorum {
        have: u32,
        needed: u32,
        voters: u32,
        quorum: String,
    },
    Objection {
        members: Vec<String>,
    },
    Period {
        ends: DateTime<Utc>,
        days: u32,
    },
}

impl Blocker {
    pub fn refusal(&self) -> Refusal {
        match self {
            Blocker::NoVotes { .. } | Blocker::Quorum { .. } => Refusal::QuorumNotReached,
            Blocker::Objection { .. } => Refusal::StandingObjection,
            Blocker::Period { .. } => Refusal::CommentPeriod,
        }
    }
}

impl std::fmt::Display for Blocker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Blocker::NoVotes { subject } => {
                write!(f, "nobody has voted on the current subject {}", short(subject))
            }
            Blocker::Quorum { have, needed, voters, quorum } => {
                write!(f, "{have} approval(s) of {voters} voting members; the quorum {quorum} needs {needed}")
            }
            Blocker::Objection { members } => write!(f, "objection(s) stand from {}", members.join(", ")),
            Blocker::Period { ends, days } => {
                write!(f, "the final comment period of {days} day(s) runs until {}", format_at(*ends))
            }
        }
    }
}

/// The smallest number of approvals whose share of `voters` reaches `quorum` (at least one).
pub fn needed(voters: usize, quorum: &str) -> u32 {
    let (num, den) = parse_ratio(quorum).unwrap_or((2, 3));
    (voters as u64 * u64::from(num)).div_ceil(u64::from(den.max(1))).max(1) as u32
}

impl Deliberation {
    /// Judges `current` (the vote files of the tree, by member) on `subject` under `rules`,
    /// with `versions` every version of the vote files held before (the current ones may be
    /// among them).
    pub fn new(rules: &Consortium, subject: &str, current: &BTreeMap<String, Vote>, versions: &[VoteVersion]) -> Self {
        let voters: Vec<String> =
            rules.members.iter().filter(|m| m.has_role(VOTING_ROLE)).map(|m| m.id.clone()).collect();
        let needed = needed(voters.len(), &rules.rules.proposal_quorum);
        let mut d = Deliberation {
            subject: subject.to_string(),
            voters: voters.clone(),
            needed,
            quorum: rules.rules.proposal_quorum.clone(),
            final_comment_days: rules.rules.final_comment_days,
            approvals: vec![],
            objections: vec![],
            abstentions: vec![],
            outdated: vec![],
            waiting: vec![],
            ignored: vec![],
            period_started: None,
            period_ends: None,
        };
        for (member, vote) in current {
            if !voters.contains(member) {
                d.ignored.push(member.clone());
                continue;
            }
            if vote.subject != subject {
                d.outdated.push(member.clone());
                continue;
            }
            match vote.vote {
                // An approval whose time cannot be read cannot start a period: it does not count.
                VoteKind::Approve if parse_at(&vote.at).is_some() => d.approvals.push(member.clone()),
                VoteKind::Approve => {}
                VoteKind::Object => d.objections.push(Objection {
                    member: member.clone(),
                    comment: vote.comment.clone(),
                    at: vote.at.clone(),
                }),
                VoteKind::Abstain => d.abstentions.push(member.clone()),
            }
        }
        d.waiting = voters.iter().filter(|m| current.get(*m).is_none_or(|v| v.subject != subject)).cloned().collect();
        if d.approvals.len() as u32 >= needed && d.objections.is_empty() {
            let started = period_start(&voters, needed, subject, current, versions);
            d.period_started = Some(format_at(started));
            d.period_ends = Some(format_at(started + Duration::days(i64::from(d.final_comment_days))));
        }
        d
    }

    /// What keeps the proposal from being accepted at `at`, if anything.
    pub fn blocker(&self, at: DateTime<Utc>) -> Option<Blocker> {
        if !self.objections.is_empty() {
            return Some(Blocker::Objection { members: self.objections.iter().map(|o| o.member.clone()).collect() });
        }
        if self.approvals.is_empty() && self.abstentions.is_empty() {
            return Some(Blocker::NoVotes { subject: self.subject.clone() });
        }
        if (self.approvals.len() as u32) < self.needed {
            return Some(Blocker::Quorum {
                have: self.approvals.len() as u32,
                needed: self.needed,
                voters: self.voters.len() as u32,
                quorum: self.quorum.clone(),
            });
        }
        let ends = self.period_ends.as_deref().and_then(parse_at)?;
        (at < ends).then_some(Blocker::Period { ends, days: self.final_comment_days })
    }
}

/// When the current run of "quorum with no standing objection" began: the votes are replayed
/// in the order of their `at`; the start is the last moment the condition became true. When the
/// times disagree with the files (a replay that does not end where the files stand), the latest
/// time of a current vote counts, which can only make the period later.
fn period_start(
    voters: &[String],
    needed: u32,
    subject: &str,
    current: &BTreeMap<String, Vote>,
    versions: &[VoteVersion],
) -> DateTime<Utc> {
    let mut events: Vec<(DateTime<Utc>, &str, &Vote)> = versions
        .iter()
        .map(|v| (&v.member, &v.vote))
        .chain(current.iter())
        .filter(|(m, _)| voters.contains(m))
        .filter_map(|(m, v)| parse_at(&v.at).map(|at| (at, m.as_str(), v)))
        .collect();
    events.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
    events.dedup();
    let holds = |state: &HashMap<&str, &Vote>| {
        let on_subject = || state.values().filter(|v| v.subject == subject);
        on_subject().filter(|v| v.vote == VoteKind::Approve).count() as u32 >= needed
            && !on_subject().any(|v| v.vote == VoteKind::Object)
    };
    let mut state: HashMap<&str, &Vote> = HashMap::new();
    let mut start = None;
    let mut i = 0;
    while i < events.len() {
        // Votes cast at the same second count as one moment.
        let at = events[i].0;
        while i < events.len() && events[i].0 == at {
            state.insert(events[i].1, events[i].2);
            i += 1;
        }
        match (holds(&state), start) {
            (true, None) => start = Some(at),
            (false, Some(_)) => start = None,
            _ => {}
        }
    }
    let replay_matches = voters.iter().all(|m| state.get(m.as_str()).copied() == current.get(m));
    match start {
        Some(s) if replay_matches => s,
        _ => current
            .iter()
            .filter(|(m, v)| voters.contains(m) && v.subject == subject)
            .filter_map(|(_, v)| parse_at(&v.at))
            .max()
            .unwrap_or(DateTime::<Utc>::MIN_UTC),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: &str = "1111111111111111111111111111111111111111";

    fn rules(voters: usize, quorum: &str, days: u32) -> Consortium {
        let members: String = (0..voters)
            .map(|i| format!("[[members]]\nid = \"m{i}\"\nname = \"M\"\nemail = \"m{i}@x.org\"\norg = \"o\"\nroles = [\"voting-member\"]\n"))
            .collect();
        let text = format!(
            "name = \"C\"\nformat = 1\n[rules]\nproposal_quorum = \"{quorum}\"\nfinal_comment_days = {days}\n[roles]\nvoting-member = \"v\"\n{members}"
        );
        Consortium::parse(&text).unwrap()
    }

    fn vote(kind: VoteKind, day: u32, comment: &str) -> Vote {
        Vote { vote: kind, subject: S.into(), at: format!("2026-01-{day:02}T00:00:00Z"), comment: comment.into() }
    }

    /// Replays `events` (member, vote) as successive versions and judges the final state.
    fn judge(r: &Consortium, events: &[(&str, Vote)]) -> Deliberation {
        let versions: Vec<VoteVersion> =
            events.iter().map(|(m, v)| VoteVersion { member: m.to_string(), vote: v.clone() }).collect();
        let mut current = BTreeMap::new();
        for (m, v) in events {
            current.insert(m.to_string(), v.clone());
        }
        Deliberation::new(r, S, &current, &versions)
    }

    fn day(d: u32) -> DateTime<Utc> {
        parse_at(&format!("2026-01-{d:02}T00:00:00Z")).unwrap()
    }

    use VoteKind::{Abstain, Approve, Object};

    #[test]
    fn the_period_starts_when_the_quorum_is_reached() {
        let r = rules(3, "2/3", 7);
        let d = judge(&r, &[("m0", vote(Approve, 1, "")), ("m1", vote(Approve, 3, ""))]);
        assert_eq!(d.needed, 2);
        assert_eq!(d.period_started.as_deref(), Some("2026-01-03T00:00:00Z"), "the second approval reached 2 of 3");
        assert_eq!(d.blocker(day(9)), Some(Blocker::Period { ends: day(10), days: 7 }), "one day short");
        assert_eq!(d.blocker(day(10)), None, "seven full days after quorum");
    }

    #[test]
    fn an_objection_stops_the_period_and_lifting_it_restarts_the_full_period() {
        let r = rules(3, "2/3", 7);
        let mut events =
            vec![("m0", vote(Approve, 1, "")), ("m1", vote(Approve, 2, "")), ("m2", vote(Object, 5, "too lax"))];
        let d = judge(&r, &events);
        assert_eq!(d.period_started, None, "a standing objection stops the period");
        assert_eq!(d.blocker(day(30)), Some(Blocker::Objection { members: vec!["m2".into()] }));
        events.push(("m2", vote(Abstain, 8, "fine now")));
        let d = judge(&r, &events);
        assert_eq!(d.period_started.as_deref(), Some("2026-01-08T00:00:00Z"), "restarts when lifted, not at day 2");
        assert!(
            matches!(d.blocker(day(14)), Some(Blocker::Period { .. })),
            "day 9 would have sufficed without the objection"
        );
        assert_eq!(d.blocker(day(15)), None);
    }

    #[test]
    fn an_objection_raised_before_quorum_delays_the_start_until_lifted() {
        let r = rules(3, "2/3", 7);
        let d = judge(
            &r,
            &[
                ("m2", vote(Object, 1, "no")),
                ("m0", vote(Approve, 2, "")),
                ("m1", vote(Approve, 3, "")),
                ("m2", vote(Approve, 6, "")),
            ],
        );
        assert_eq!(d.period_started.as_deref(), Some("2026-01-06T00:00:00Z"));
    }

    #[test]
    fn votes_on_an_older_subject_are_outdated_and_do_not_count() {
        let r = rules(3, "2/3", 7);
        let mut old = vote(Approve, 1, "");
        old.subject = "2222222222222222222222222222222222222222".into();
        let d = judge(&r, &[("m0", old), ("m1", vote(Approve, 2, ""))]);
        assert_eq!(d.outdated, ["m0"]);
        assert_eq!(d.approvals, ["m1"]);
        assert_eq!(d.waiting, ["m0", "m2"], "m0 must vote again on the new subject");
        assert!(matches!(d.blocker(day(30)), Some(Blocker::Quorum { have: 1, needed: 2, .. })));
    }

    #[test]
    fn nobody_voting_is_its_own_reason_and_non_voters_are_ignored() {
        let mut r = rules(3, "2/3", 7);
        assert_eq!(judge(&r, &[]).blocker(day(1)), Some(Blocker::NoVotes { subject: S.into() }));
        r.members[2].roles.clear();
        let d = judge(&r, &[("m2", vote(Approve, 1, ""))]);
        assert_eq!(d.ignored, ["m2"], "m2 holds no voting-member role");
        assert_eq!(d.voters.len(), 2);
    }

    #[test]
    fn the_quorum_is_a_share_of_voting_members_rounded_up() {
        assert_eq!(needed(6, "2/3"), 4);
        assert_eq!(needed(7, "2/3"), 5);
        assert_eq!(needed(3, "1/2"), 2);
        assert_eq!(needed(0, "2/3"), 1, "never zero");
        assert_eq!(needed(4, "1/1"), 4);
    }

    #[test]
    fn losing_and_regaining_quorum_restarts_the_period() {
        let r = rules(3, "2/3", 7);
        let d = judge(
            &r,
            &[
                ("m0", vote(Approve, 1, "")),
                ("m1", vote(Approve, 2, "")),
                ("m1", vote(Abstain, 4, "")),
                ("m2", vote(Approve, 6, "")),
            ],
        );
        assert_eq!(d.period_started.as_deref(), Some("2026-01-06T00:00:00Z"));
    }
}
