//! Every version of a proposal's vote files that the history up to a commit ever held: the
//! comment period depends on when objections were raised and lifted, which the latest files
//! alone do not tell. The walk covers every parent (votes made in another clone arrive by a
//! merge) and stops at commits that do not have the proposal yet.

use std::collections::{HashMap, HashSet};

use git2::{Oid, Repository};

use super::deliberation::{Deliberation, VoteVersion};
use super::{record_path, votes_dir, Files, ProposalState, Vote};
use crate::consortium::Consortium;
use crate::error::Result;
use crate::repo::{blob_text, subtree_id};

/// The vote versions of `proposal` held by `from` and its ancestors, each once. Files that
/// cannot be read are skipped: they never counted.
pub fn vote_versions(repo: &Repository, from: Oid, proposal: &str) -> Result<Vec<VoteVersion>> {
    Ok(vote_versions_of(repo, from, &[proposal])?.pop().unwrap_or_default())
}

/// As `vote_versions`, for several proposals in one walk: a commit is read once for all the
/// proposals whose walk reaches it, and each proposal's walk stops, as its own would, at the
/// commits that do not hold its record. The versions of each proposal come out in one order
/// (by member, then by file content id), however the walk went.
pub fn vote_versions_of(repo: &Repository, from: Oid, proposals: &[&str]) -> Result<Vec<Vec<VoteVersion>>> {
    let n = proposals.len();
    let records: Vec<String> = proposals.iter().map(|p| record_path(p)).collect();
    let dirs: Vec<String> = proposals.iter().map(|p| votes_dir(p)).collect();
    let mut walked: HashMap<Oid, Vec<bool>> = HashMap::new();
    let mut seen_dirs: Vec<HashSet<Oid>> = vec![HashSet::new(); n];
    let mut seen_blobs: Vec<HashSet<(String, Oid)>> = vec![HashSet::new(); n];
    let mut found: Vec<Vec<(String, Oid, Vote)>> = vec![Vec::new(); n];
    let mut queue: Vec<(Oid, Vec<usize>)> = if n == 0 { vec![] } else { vec![(from, (0..n).collect())] };
    while let Some((id, wanted)) = queue.pop() {
        let done = walked.entry(id).or_insert_with(|| vec![false; n]);
        let fresh: Vec<usize> = wanted.into_iter().filter(|&i| !done[i]).collect();
        if fresh.is_empty() {
            continue;
        }
        for &i in &fresh {
            done[i] = true;
        }
        let commit = repo.find_commit(id)?;
        let tree = commit.tree()?;
        let mut onward = Vec::with_capacity(fresh.len());
        for i in fresh {
            if tree.get_path(std::path::Path::new(&records[i])).is_err() {
                // Before the proposal was made: nothing older can hold its votes.
                continue;
            }
            onward.push(i);
            let Some(dir) = subtree_id(repo, &tree, &dirs[i]) else { continue };
            if !seen_dirs[i].insert(dir) {
                continue;
            }
            for entry in repo.find_tree(dir)?.iter() {
                let (Some(name), blob_id) = (entry.name(), entry.id()) else { continue };
                let Some(member) = name.strip_suffix(".toml") else { continue };
                if !seen_blobs[i].insert((member.to_string(), blob_id)) {
                    continue;
                }
                let Ok(blob) = repo.find_blob(blob_id) else { continue };
                let path = format!("{}/{name}", dirs[i]);
                if let Some(vote) = blob_text(&path, blob.content()).ok().and_then(|t| Vote::parse(&path, &t).ok()) {
                    found[i].push((member.to_string(), blob_id, vote));
                }
            }
        }
        if !onward.is_empty() {
            queue.extend(commit.parent_ids().map(|p| (p, onward.clone())));
        }
    }
    Ok(found
        .into_iter()
        .map(|mut versions| {
            versions.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
            versions.into_iter().map(|(member, _, vote)| VoteVersion { member, vote }).collect()
        })
        .collect())
}

/// Where the members stand on each of `proposals` at `head`, as the list of proposals shows
/// it, under `rules` (`head`'s): an open proposal is judged with its vote history (one walk
/// serves them all); a closed one by its files alone, since its period no longer matters and
/// the walk would cost the most on the oldest proposals.
pub fn standings(repo: &Repository, head: Oid, rules: &Consortium, proposals: &[&Files]) -> Result<Vec<Deliberation>> {
    let open: Vec<&str> =
        proposals.iter().filter(|f| f.state() == ProposalState::Open).map(|f| f.id.as_str()).collect();
    let mut versions = vote_versions_of(repo, head, &open)?.into_iter();
    Ok(proposals
        .iter()
        .map(|f| {
            let history = if f.state() == ProposalState::Open { versions.next().unwrap_or_default() } else { vec![] };
            Deliberation::new(rules, &f.record.subject, &f.votes, &history)
        })
        .collect())
}
