//! Every version of a proposal's vote files that the history up to a commit ever held: the
//! comment period depends on when objections were raised and lifted, which the latest files
//! alone do not tell. The walk covers every parent (votes made in another clone arrive by a
//! merge) and stops at commits that do not have the proposal yet.

use std::collections::{HashMap, HashSet};

use git2::{ObjectType, Odb, Oid, Repository};

use super::deliberation::{Deliberation, VoteVersion};
use super::{votes_dir, Files, ProposalState, Vote, DIR, RECORD, VOTES};
use crate::consortium::Consortium;
use crate::error::Result;
use crate::pack::{commit_links, Packs, Reader};
use crate::repo::{blob_text, entry_below, find_in_tree};
use crate::treediff::TREE;

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
    let dirs: Vec<String> = proposals.iter().map(|p| votes_dir(p)).collect();
    let odb = repo.odb()?;
    // The walk reads every commit and root tree back to the oldest open proposal: out of the
    // packs where it can (`pack`), as the history's walk does.
    let packs = Packs::open(repo.path());
    let mut reader = Reader::new(&packs);
    let mut walked: HashMap<Oid, Vec<bool>> = HashMap::new();
    // What each proposal's files are in a `proposals/` folder already read: most commits
    // (sign-offs, cards) leave that folder as their parent had it, and then only the commit
    // and its root tree are read.
    let mut folders: HashMap<Oid, Vec<Option<Held>>> = HashMap::new();
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
        let (tree, parents) = links(&mut reader, repo, id)?;
        let Some(folder) = proposals_folder(&mut reader, &odb, tree)? else { continue };
        let held = folders.entry(folder).or_insert_with(|| vec![None; n]);
        let mut onward = Vec::with_capacity(fresh.len());
        for i in fresh {
            let files = match held[i] {
                Some(files) => files,
                None => *held[i].insert(Held::read(&odb, folder, proposals[i])?),
            };
            // Before the proposal was made: nothing older can hold its votes.
            let Held::Record(votes) = files else { continue };
            onward.push(i);
            let Some(dir) = votes else { continue };
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
            queue.extend(parents.into_iter().map(|p| (p, onward.clone())));
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

/// Commit `id`'s root tree and parents.
fn links(reader: &mut Reader, repo: &Repository, id: Oid) -> Result<(Oid, Vec<Oid>)> {
    if let Some(links) = reader.read_as(id, ObjectType::Commit).and_then(|data| commit_links(&data)) {
        return Ok(links);
    }
    let commit = repo.find_commit(id)?;
    Ok((commit.tree_id(), commit.parent_ids().collect()))
}

/// The `proposals/` folder in the root tree `tree`, if there is one.
fn proposals_folder(reader: &mut Reader, odb: &Odb, tree: Oid) -> Result<Option<Oid>> {
    let found = match reader.read_as(tree, ObjectType::Tree) {
        Some(data) => find_in_tree(tree, &data, DIR.as_bytes()),
        None => entry_below(odb, tree, DIR)?,
    };
    Ok(found.filter(|(_, mode)| *mode == TREE).map(|(f, _)| f))
}

/// What one `proposals/` folder holds of a proposal.
#[derive(Clone, Copy)]
enum Held {
    /// No record: the proposal was not made yet.
    Nothing,
    /// The record, and the votes folder if there is one.
    Record(Option<Oid>),
}

impl Held {
    fn read(odb: &Odb, folder: Oid, proposal: &str) -> Result<Held> {
        let Some((dir, TREE)) = entry_below(odb, folder, proposal)? else { return Ok(Held::Nothing) };
        if entry_below(odb, dir, RECORD)?.is_none() {
            return Ok(Held::Nothing);
        }
        let votes = entry_below(odb, dir, VOTES)?.filter(|(_, mode)| *mode == TREE).map(|(v, _)| v);
        Ok(Held::Record(votes))
    }
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
