//! The judgement of `accept` commits, after the parallel pass over the history.
//!
//! Whether an accept was allowed depends on every version of its proposal's vote files that
//! the history of its first parent held (`proposal::history::vote_versions`, a walk back to the
//! proposal's creation). Rather than walk back from each accept, each checker notes, for every
//! commit, its parents and what it changed in the proposals' records and vote files (a
//! `Trace`), and for each accept what the deliberation needs (a `Deferred`). After the pass,
//! the walk is replayed on those notes, in memory:
//!
//! - a commit holds a proposal's record when its change (relative to its first parent) adds
//!   or changes the record, or it makes no change to the record and its first parent holds it;
//! - the walk of `vote_versions` goes from the accept's first parent through every parent,
//!   stopping at commits that do not hold the record;
//! - a vote version held by a commit of that walk appeared (was added or changed relative to
//!   the first parent) in a commit on its first-parent line, and every commit between the two
//!   held it. As long as the proposal's record is never removed and no vote file of it
//!   appears in a commit without its record, that commit holds the record too and so is part
//!   of the walk: the versions the walk reads are exactly those that appeared in its commits.
//!
//! When a proposal's history breaks those conditions (a record removed, a vote file without
//! a record, a record that is not a file), or its id is not one the notes can name, its
//! accepts are judged by the walk itself, as before.

use std::collections::{BTreeSet, HashMap};

use git2::{Oid, Repository};

use super::objects::Objects;
use super::Finding;
use crate::consortium::Consortium;
use crate::error::Result;
use crate::proposal::deliberation::VoteVersion;
use crate::proposal::{AcceptCase, Vote};

/// What a commit changed in the proposals' files, as the replayed walk needs it.
#[derive(Debug, Clone)]
pub(super) enum Event {
    /// `proposals/<proposal>/proposal.md` added or changed (`true`) or removed (`false`).
    Record { proposal: String, present: bool },
    /// A version of `proposals/<proposal>/votes/<member>.toml` appeared.
    Vote { proposal: String, member: String, blob: Oid },
    /// Something under the record's path (a folder where the record should be).
    Odd { proposal: String },
}

impl Event {
    fn proposal(&self) -> &str {
        match self {
            Event::Record { proposal, .. } | Event::Vote { proposal, .. } | Event::Odd { proposal } => proposal,
        }
    }
}

/// One commit, as the replayed walk needs it.
#[derive(Debug, Clone)]
pub(super) struct Trace {
    pub parents: Vec<Oid>,
    pub events: Vec<Event>,
}

/// A submodule: the walk reads no blob from it.
const GITLINK: i32 = 0o160000;

impl Trace {
    /// The trace of a commit with `parents` whose changes relative to its first parent (or to
    /// nothing, for a root) are `changed`: each path with its new blob id and mode (`None`
    /// when the path is removed).
    pub fn new<'a>(parents: Vec<Oid>, changed: impl IntoIterator<Item = (&'a str, Option<(Oid, i32)>)>) -> Trace {
        let mut events = Vec::new();
        for (path, new) in changed {
            let Some(rest) = path.strip_prefix("proposals/") else { continue };
            let Some((proposal, inside)) = rest.split_once('/') else { continue };
            let proposal = proposal.to_string();
            if inside == "proposal.md" {
                events.push(Event::Record { proposal, present: new.is_some() });
            } else if inside.starts_with("proposal.md/") {
                events.push(Event::Odd { proposal });
            } else if let Some(name) = inside.strip_prefix("votes/").filter(|n| !n.contains('/')) {
                let (Some(member), Some((blob, mode))) = (name.strip_suffix(".toml"), new) else { continue };
                if mode != GITLINK {
                    events.push(Event::Vote { proposal, member: member.to_string(), blob });
                }
            }
        }
        Trace { parents, events }
    }
}

/// An accept whose judgement waits for the end of the pass: its finding, should there be
/// one, goes at `index` among the findings.
#[derive(Debug, Clone)]
pub(super) struct Deferred {
    pub index: usize,
    pub commit: Oid,
    pub proposal: String,
    /// The parent's rules.
    pub rules: Consortium,
    pub case: AcceptCase,
    /// The finding to report, without its message.
    pub finding: Finding,
}

/// The findings of the deferred accepts, each with the index it goes at.
pub(super) fn judge(
    objects: &Objects,
    ids: &[Oid],
    traces: &HashMap<Oid, Trace>,
    deferred: Vec<Deferred>,
) -> Result<Vec<(usize, Finding)>> {
    if deferred.is_empty() {
        return Ok(Vec::new());
    }
    let replay = Replay::new(ids, traces);
    let mut parsed: HashMap<Oid, Option<Vote>> = HashMap::new();
    let mut out = Vec::new();
    for d in deferred {
        let versions = match replay.as_ref().and_then(|r| r.appeared(&d.proposal, d.commit, d.case.parent)) {
            Some(appeared) => {
                let mut versions = Vec::with_capacity(appeared.len());
                for (member, blob) in appeared {
                    let vote = match parsed.get(&blob) {
                        Some(vote) => vote.clone(),
                        None => {
                            let path = crate::proposal::vote_path(&d.proposal, &member);
                            let vote = objects.text(blob, &path)?.ok().and_then(|t| Vote::parse(&path, &t).ok());
                            parsed.insert(blob, vote.clone());
                            vote
                        }
                    };
                    versions.extend(vote.map(|vote| VoteVersion { member, vote }));
                }
                versions
            }
            None => walked_versions(objects.repo(), &d),
        };
        if let Some(message) = crate::proposal::judge_case(&d.rules, &d.case, &versions) {
            out.push((d.index, Finding { message, ..d.finding }));
        }
    }
    Ok(out)
}

/// The vote versions by the walk itself, for the histories the replay does not cover.
fn walked_versions(repo: &Repository, d: &Deferred) -> Vec<VoteVersion> {
    crate::proposal::history::vote_versions(repo, d.case.parent, &d.proposal).unwrap_or_default()
}

/// The history's commits by position in `ids` (parents first), with their traces.
struct Replay<'t> {
    position: HashMap<Oid, usize>,
    /// Each commit's parents, by position.
    parents: Vec<Vec<usize>>,
    /// Each proposal's events, by position.
    events: HashMap<&'t str, Vec<(usize, &'t Event)>>,
}

impl<'t> Replay<'t> {
    /// `None` when a commit of `ids` has no trace, or its parents are not all before it.
    fn new(ids: &[Oid], traces: &'t HashMap<Oid, Trace>) -> Option<Replay<'t>> {
        let position: HashMap<Oid, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let mut parents = Vec::with_capacity(ids.len());
        let mut events: HashMap<&str, Vec<(usize, &Event)>> = HashMap::new();
        for (i, id) in ids.iter().enumerate() {
            let trace = traces.get(id)?;
            let mut these = Vec::with_capacity(trace.parents.len());
            for p in &trace.parents {
                these.push(*position.get(p).filter(|&&p| p < i)?);
            }
            parents.push(these);
            for e in &trace.events {
                events.entry(e.proposal()).or_default().push((i, e));
            }
        }
        Some(Replay { position, parents, events })
    }

    /// The vote versions (member, blob id) of `proposal` that appeared in the commits the walk
    /// from `parent`, the first parent of the accept `commit`, reads, in `vote_versions`' order
    /// (by member, then blob id); `None` when the replay cannot tell.
    fn appeared(&self, proposal: &str, commit: Oid, parent: Oid) -> Option<Vec<(String, Oid)>> {
        if !crate::id::is_valid(proposal) {
            return None;
        }
        let accept = *self.position.get(&commit)?;
        let parent = *self.position.get(&parent)?;
        let events: Vec<(usize, &Event)> =
            self.events.get(proposal)?.iter().filter(|(at, _)| *at < accept).copied().collect();
        let first = events.first()?.0;
        if parent < first {
            return None;
        }
        // Which commits from `first` on hold the record (a commit before `first` made no
        // change to the proposal's files, so holds no record: the root's change is its tree).
        let mut holds = vec![false; accept - first];
        let mut k = 0;
        for at in first..accept {
            let mut record = None;
            let mut votes = false;
            while k < events.len() && events[k].0 == at {
                match events[k].1 {
                    Event::Record { present: false, .. } | Event::Odd { .. } => return None,
                    Event::Record { present: true, .. } => record = Some(true),
                    Event::Vote { .. } => votes = true,
                }
                k += 1;
            }
            let held = record.unwrap_or_else(|| match self.parents[at].first() {
                Some(&fp) => fp >= first && holds[fp - first],
                None => false,
            });
            if votes && !held {
                // A vote file without the record: the walk would not read it where it appeared.
                return None;
            }
            holds[at - first] = held;
        }
        if !holds[parent - first] {
            return None;
        }
        // The walk: from the parent through every parent, stopping at commits without the record.
        let mut walked = vec![false; accept - first];
        let mut queue = vec![parent];
        while let Some(at) = queue.pop() {
            if at < first || walked[at - first] || !holds[at - first] {
                continue;
            }
            walked[at - first] = true;
            queue.extend(self.parents[at].iter().copied());
        }
        let mut appeared = BTreeSet::new();
        for (at, e) in events {
            if let Event::Vote { member, blob, .. } = e {
                if walked[at - first] {
                    appeared.insert((member.clone(), *blob));
                }
            }
        }
        Some(appeared.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oid(n: u8) -> Oid {
        Oid::from_bytes(&[n; 20]).unwrap()
    }

    fn record(present: bool) -> Event {
        Event::Record { proposal: "p".into(), present }
    }

    fn vote(member: &str, blob: u8) -> Event {
        Event::Vote { proposal: "p".into(), member: member.into(), blob: oid(blob) }
    }

    /// A history of commits 1, 2, ... given as (parents, events), in order.
    fn history(commits: &[(&[u8], Vec<Event>)]) -> (Vec<Oid>, HashMap<Oid, Trace>) {
        let ids: Vec<Oid> = (1..=commits.len() as u8).map(oid).collect();
        let traces = commits
            .iter()
            .enumerate()
            .map(|(i, (parents, events))| {
                (ids[i], Trace { parents: parents.iter().map(|p| oid(*p)).collect(), events: events.clone() })
            })
            .collect();
        (ids, traces)
    }

    fn appeared(commits: &[(&[u8], Vec<Event>)], accept: u8) -> Option<Vec<(String, Oid)>> {
        let (ids, traces) = history(commits);
        let parent = traces[&oid(accept)].parents[0];
        Replay::new(&ids, &traces)?.appeared("p", oid(accept), parent)
    }

    #[test]
    fn every_version_in_the_history_of_the_first_parent_counts_once() {
        let commits: Vec<(&[u8], Vec<Event>)> = vec![
            (&[], vec![]),
            (&[1], vec![record(true)]),
            (&[2], vec![vote("b", 10)]),
            (&[3], vec![vote("a", 11)]),
            (&[4], vec![vote("a", 12), record(true)]),
            (&[5], vec![vote("a", 11)]),
            (&[6, 1], vec![]),
        ];
        let found = appeared(&commits, 7).unwrap();
        assert_eq!(found, vec![("a".into(), oid(11)), ("a".into(), oid(12)), ("b".into(), oid(10))]);
    }

    #[test]
    fn versions_outside_the_history_of_the_first_parent_do_not_count() {
        // 3 votes on a line of its own, merged by 6 after the accept 5.
        let commits: Vec<(&[u8], Vec<Event>)> = vec![
            (&[], vec![record(true)]),
            (&[1], vec![vote("a", 10)]),
            (&[1], vec![vote("b", 11)]),
            (&[2], vec![vote("c", 12)]),
            (&[4, 3], vec![]),
            (&[5, 3], vec![vote("b", 11)]),
        ];
        assert_eq!(appeared(&commits, 5).unwrap(), vec![("a".into(), oid(10)), ("c".into(), oid(12))]);
        // Merged before the accept, the other line is in its history.
        let (ids, traces) = history(&commits);
        let found = Replay::new(&ids, &traces).unwrap().appeared("p", oid(6), oid(5)).unwrap();
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn the_walk_stops_where_the_record_is_not() {
        // 4 merges 2 (record and a vote) into a line without the record, and keeps it out;
        // 5 writes the record again. The walk from 5 stops at 4 and never reads 2.
        let commits: Vec<(&[u8], Vec<Event>)> = vec![
            (&[], vec![]),
            (&[1], vec![record(true), vote("a", 10)]),
            (&[1], vec![]),
            (&[3, 2], vec![]),
            (&[4], vec![record(true), vote("b", 11)]),
            (&[5, 1], vec![]),
        ];
        assert_eq!(appeared(&commits, 6).unwrap(), vec![("b".into(), oid(11))]);
    }

    #[test]
    fn a_removed_record_or_a_vote_without_one_is_left_to_the_walk() {
        let removed: Vec<(&[u8], Vec<Event>)> = vec![
            (&[], vec![record(true), vote("a", 10)]),
            (&[1], vec![record(false)]),
            (&[2], vec![record(true)]),
            (&[3, 2], vec![]),
        ];
        assert_eq!(appeared(&removed, 4), None);
        let early_vote: Vec<(&[u8], Vec<Event>)> =
            vec![(&[], vec![vote("a", 10)]), (&[1], vec![record(true)]), (&[2, 1], vec![])];
        assert_eq!(appeared(&early_vote, 3), None);
        let folder: Vec<(&[u8], Vec<Event>)> =
            vec![(&[], vec![record(true)]), (&[1], vec![Event::Odd { proposal: "p".into() }]), (&[2, 1], vec![])];
        assert_eq!(appeared(&folder, 3), None);
    }
}
