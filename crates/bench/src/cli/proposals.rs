//! Policy proposals: the list and one proposal's page from a warm index (`gatehouse
//! proposals`, `gatehouse show proposal P`), and one accept end to end (`gatehouse accept P`)
//! beside `git merge --no-ff` of the same branch in a copy of the repository.

use std::path::Path;

use anyhow::{ensure, Context, Result};
use chrono::DateTime;
use gatehouse::actions::proposal::{propose, vote, FileEdit, ProposeRequest, Source, VoteRequest};
use gatehouse::proposal::{branch_name, VoteKind};
use gatehouse::signoff::format_at;
use gatehouse::write::CommitSigner;
use gatehouse::Governance;

use crate::generate::proposals::{amend, Fate, VOTES};
use crate::generate::{History, STEP};
use crate::git::{self, gh};
use crate::stats::Sample;

pub struct ProposalTimes {
    /// `gatehouse proposals`, every proposal, from a warm index.
    pub list: Sample,
    /// `gatehouse show proposal P` on an open proposal.
    pub show: Sample,
    /// The proposal shown.
    pub shown: String,
    /// `gatehouse accept P`, end to end, on a fresh proposal ready to accept.
    pub accept: Sample,
    /// `git merge --no-ff -S` of the same branch onto the same commit, in a copy.
    pub merge: Sample,
    /// Commits each accept round added to `main` (content, propose, votes, accept).
    pub commits_per_accept: usize,
}

/// The list and one open proposal's page, alternating, each after an untimed warm-up round;
/// the index is brought up to date first (untimed).
pub fn list_and_show(
    gatehouse: &Path,
    repo: &Path,
    history: &History,
    reps: usize,
) -> Result<(Sample, Sample, String)> {
    println!("Proposals: gatehouse proposals and gatehouse show proposal, from a warm index ...");
    let shown = history
        .proposals
        .iter()
        .rev()
        .find(|p| p.fate == Fate::Open && !p.objected)
        .or(history.proposals.last())
        .context("the history has no proposals (--proposals 0)")?
        .id
        .clone();
    git::output(gh(gatehouse, repo).arg("index"))?;
    let at = format_at(DateTime::from_timestamp(history.clock, 0).expect("a valid time"));
    let (mut list, mut show) = (Vec::new(), Vec::new());
    for rep in 0..=reps {
        let l = git::timed(gh(gatehouse, repo).args(["--at", &at, "proposals"]))?;
        let s = git::timed(gh(gatehouse, repo).args(["--at", &at, "show", "proposal", &shown]))?;
        if rep > 0 {
            list.push(l);
            show.push(s);
        }
    }
    Ok((Sample::new(list), Sample::new(show), shown))
}

/// Each round makes a fresh proposal ready to accept (untimed, in process: a content commit
/// changing one policy, the record, ten approvals, then `gatehouse index`), times
/// `gatehouse accept` on it eight days later, then puts a copy of the repository on the commit
/// the accept was made on (untimed) and times `git merge --no-ff -S` of the same branch there,
/// signed by the same member with the same message. The first round is a warm-up.
pub fn accept_vs_git_merge(
    gatehouse: &Path,
    repo: &Path,
    scratch: &Path,
    history: &mut History,
    reps: usize,
) -> Result<(Sample, Sample, usize)> {
    println!("One accept end to end: gatehouse accept vs git merge --no-ff -S ...");
    let copy = scratch.join("consortium-copy");
    git::output(git::git(scratch).arg("clone").arg("-q").arg(repo).arg(&copy))?;
    let n = history.consortium.members.len();
    let (mut accepts, mut merges) = (Vec::new(), Vec::new());
    let mut commits_per_accept = 0;
    for rep in 0..=reps {
        let id = format!("bench-accept-{rep:02}");
        let gov = Governance::open(repo)?;
        let before_prepare = gov.head()?;
        let (path, content) = policy_edit(&gov, rep, &id)?;
        let author = (rep * 5) % n;
        let t0 = history.clock;
        let time = |t: i64| DateTime::from_timestamp(t, 0).expect("a valid time");
        let signer = history.signer(author);
        propose(
            &gov,
            &ProposeRequest {
                proposal: id.clone(),
                title: format!("Amend {path} (benchmark {rep})"),
                rationale: "Reviewers should record their tools.".into(),
                member: history.member(author).id.clone(),
                source: Source::Files(vec![FileEdit { path: path.clone(), content: Some(content.into_bytes()) }]),
                at: time(t0),
            },
            Some(&signer as &dyn CommitSigner),
        )?;
        for v in 0..VOTES {
            let voter = (rep * 3 + v * 7 + 1) % n;
            let signer = history.signer(voter);
            vote(
                &gov,
                &VoteRequest {
                    proposal: id.clone(),
                    member: history.member(voter).id.clone(),
                    vote: VoteKind::Approve,
                    comment: String::new(),
                    at: time(t0 + (v as i64 + 1) * STEP),
                },
                Some(&signer as &dyn CommitSigner),
            )?;
        }
        let before = gov.head()?;
        drop(gov);
        git::output(gh(gatehouse, repo).arg("index"))?;
        // Eight days later: the seven-day comment period has ended.
        let at = t0 + 8 * 86_400;
        history.clock = at + STEP;
        let acceptor = (rep * 11 + 3) % n;
        let who = history.member(acceptor).clone();
        let key = history.key_file(repo, acceptor);
        let accepted = git::timed(gh(gatehouse, repo).arg("--key").arg(&key).args([
            "--as",
            &who.id,
            "--at",
            &format_at(time(at)),
            "accept",
            &id,
        ]))?;
        let after = Governance::open(repo)?.head()?;
        commits_per_accept =
            git::output(git::git(repo).args(["rev-list", "--count", &format!("{before_prepare}..{after}")]))?
                .trim()
                .parse()?;

        // The same merge with git, in the copy, on the same commit.
        let branch = branch_name(&id);
        git::output(git::git(&copy).args([
            "fetch",
            "-q",
            "origin",
            &format!("+refs/heads/{branch}:refs/heads/{branch}"),
            "+refs/heads/main:refs/remotes/origin/main",
        ]))?;
        git::output(git::git(&copy).args(["reset", "-q", "--hard", &before.to_string()]))?;
        let msg = git::output(git::git(repo).args(["log", "-1", "--format=%B", &after.to_string()]))?;
        let msg_file = scratch.join("merge-msg");
        std::fs::write(&msg_file, msg.trim_end())?;
        let date = format!("@{at} +0000");
        let signing_key = format!("user.signingkey={}", key.display());
        let merged = git::timed(
            git::git(&copy)
                .args(["-c", "gpg.format=ssh", "-c", &signing_key, "merge", "--no-ff", "-S", "-q", "-F"])
                .arg(&msg_file)
                .arg(&branch)
                .envs(git::member_env(&who.name, &who.email, &date)),
        )?;
        let parents = git::output(git::git(&copy).args(["log", "-1", "--format=%P"]))?;
        ensure!(parents.split_whitespace().count() == 2, "git merge --no-ff made no merge: {parents}");
        if rep > 0 {
            accepts.push(accepted);
            merges.push(merged);
        }
    }
    Ok((Sample::new(accepts), Sample::new(merges), commits_per_accept))
}

/// A policy of `main` (in turn) with one more paragraph.
fn policy_edit(gov: &Governance, rep: usize, id: &str) -> Result<(String, String)> {
    let repo = gov.repo();
    let tree = repo.find_commit(gov.head()?)?.tree()?;
    let policies = repo.find_tree(tree.get_name("policies").context("no policies/")?.id())?;
    let names: Vec<String> = policies
        .iter()
        .filter(|e| e.kind() == Some(git2::ObjectType::Blob))
        .filter_map(|e| e.name().filter(|n| n.ends_with(".md")).map(str::to_string))
        .collect();
    ensure!(!names.is_empty(), "no policies to change");
    let name = &names[rep % names.len()];
    let blob = repo.find_blob(policies.get_name(name).expect("listed").id())?;
    let text = String::from_utf8_lossy(blob.content()).into_owned();
    let paragraph = format!("Amendment by {id}: reviewers record the tools and versions they used.");
    Ok((format!("policies/{name}"), amend(&text, &paragraph)))
}
