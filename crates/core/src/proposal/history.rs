//! Every version of a proposal's vote files that the history up to a commit ever held: the
//! comment period depends on when objections were raised and lifted, which the latest files
//! alone do not tell. The walk covers every parent (votes made in another clone arrive by a
//! merge) and stops at commits that do not have the proposal yet.

use std::collections::HashSet;

use git2::{Oid, Repository};

use super::deliberation::VoteVersion;
use super::{record_path, votes_dir, Vote};
use crate::error::Result;
use crate::repo::{blob_text, subtree_id};

/// The vote versions of `proposal` held by `from` and its ancestors, each once. Files that
/// cannot be read are skipped: they never counted.
pub fn vote_versions(repo: &Repository, from: Oid, proposal: &str) -> Result<Vec<VoteVersion>> {
    let record = record_path(proposal);
    let votes = votes_dir(proposal);
    let mut seen_commits = HashSet::new();
    let mut seen_dirs = HashSet::new();
    let mut seen_blobs = HashSet::new();
    let mut versions = Vec::new();
    let mut queue = vec![from];
    while let Some(id) = queue.pop() {
        if !seen_commits.insert(id) {
            continue;
        }
        let commit = repo.find_commit(id)?;
        let tree = commit.tree()?;
        if tree.get_path(std::path::Path::new(&record)).is_err() {
            // Before the proposal was made: nothing older can hold its votes.
            continue;
        }
        if let Some(dir) = subtree_id(&tree, &votes) {
            if seen_dirs.insert(dir) {
                for entry in repo.find_tree(dir)?.iter() {
                    let (Some(name), id) = (entry.name(), entry.id()) else { continue };
                    let Some(member) = name.strip_suffix(".toml") else { continue };
                    if !seen_blobs.insert((member.to_string(), id)) {
                        continue;
                    }
                    let Ok(blob) = repo.find_blob(id) else { continue };
                    let path = format!("{votes}/{name}");
                    if let Some(vote) = blob_text(&path, blob.content()).ok().and_then(|t| Vote::parse(&path, &t).ok())
                    {
                        versions.push(VoteVersion { member: member.to_string(), vote });
                    }
                }
            }
        }
        queue.extend(commit.parent_ids());
    }
    Ok(versions)
}
