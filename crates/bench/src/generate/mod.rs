//! The synthetic consortium history: one `init` commit, then per model one `model` commit and
//! 8 gates x 3 approvals as `signoff` commits.
//!
//! Every commit is what Gatehouse itself would write (same files, same trailers, author = the
//! acting member, author time = the sign-off's `at`, an SSH signature by the member's key made
//! with `gatehouse::write::make_commit` and `gatehouse::signing::Signer`), at fixed times and
//! with keys derived from fixed seeds, so the history is the same on every run and
//! `gatehouse verify` finds nothing wrong with it. The consortium requires signed commits.
//!
//! git 2.47's fast-import cannot write signed commits, so the history is made in two steps:
//! `git fast-import` writes the trees (and an unsigned scaffold of commits on a scratch ref,
//! which is deleted afterwards: its commits stay in the pack, unreachable), then every commit
//! is made again with libgit2 on the same tree, signed, into an in-memory `mempack` object
//! database whose commits are written out as one more pack at the end.

mod cards;
mod fast_import;
mod members;
pub mod proposals;
mod sign;

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, ensure, Context, Result};
use chrono::{DateTime, Utc};
use gatehouse::checklist::Gate;
use gatehouse::consortium::{Consortium, Member, SignedCommits};
use gatehouse::signing::Signer;
use gatehouse::signoff::{format_at, Decision, ItemRecord, ItemState, SignoffFile, SignoffPath};
use gatehouse::trailers::{self, message};
use git2::{ObjectType, Oid};
use ssh_key::{LineEnding, PrivateKey};

use crate::git;

use cards::{bom, card, model_tree_id, FAMILIES};
use fast_import::Stream;
use members::{key_file, member_key, members, ORGS};
use proposals::{ProposalInfo, Proposals};
use sign::sign_history;

/// 2025-01-01T00:00:00Z; every commit is a minute after the one before.
pub const START: i64 = 1_735_689_600;
pub const STEP: i64 = 60;
/// Approvals recorded per gate and model.
pub const APPROVALS: usize = 3;
/// Models registered together, then walked through the gates together (the history
/// interleaves the models of a batch, as a consortium's review queue would).
const BATCH: usize = 50;

/// A gate as the generator and the benchmark need it.
pub struct GateInfo {
    pub id: String,
    pub role: String,
    pub independent: bool,
    pub distinct_orgs: u32,
    pub items: Vec<String>,
    /// Blob id of `policies/checklists/<gate>.md`: a sign-off's `checklist`.
    pub checklist: String,
}

pub struct ModelInfo {
    pub id: String,
    pub org: String,
    /// Tree id of `models/<model>`: a sign-off's `subject`.
    pub subject: String,
}

/// What was generated, and enough state to make further allowed sign-offs.
pub struct History {
    pub consortium: Consortium,
    pub gates: Vec<GateInfo>,
    pub models: Vec<ModelInfo>,
    /// Members who have signed each (model, gate), by index.
    pub signed: HashMap<(usize, usize), Vec<usize>>,
    pub commits: usize,
    pub signoffs: usize,
    /// The time of the next commit to make.
    pub clock: i64,
    /// Files in `main`'s tree.
    pub files: usize,
    /// How many sign-offs `next_signoff` has planned.
    planned: usize,
    /// Each member's private key (by index), as written to `.git/gatehouse/keys/<member>`.
    pub keys: Vec<PrivateKey>,
    /// The policy proposals, in the order they were made.
    pub proposals: Vec<ProposalInfo>,
    /// Commits the proposals added to `main`'s history (accepted branches' commits included).
    pub proposal_commits: usize,
    /// Proposal id -> the placeholder its subject was written as before signing.
    pub placeholders: HashMap<String, String>,
}

/// One sign-off to make: allowed by the rules (the member holds the gate's role and, on an
/// independent gate, is not of the model's organisation).
pub struct Planned {
    pub model: usize,
    pub gate: usize,
    pub member: usize,
    pub at: DateTime<Utc>,
}

impl History {
    pub fn member(&self, i: usize) -> &Member {
        &self.consortium.members[i]
    }

    /// A signer with member `i`'s key.
    pub fn signer(&self, i: usize) -> Signer {
        Signer::from_private(self.keys[i].clone())
    }

    /// Where member `i`'s private key is, in the repository at `dir`.
    pub fn key_file(&self, dir: &Path, i: usize) -> std::path::PathBuf {
        key_file(dir, &self.member(i).id)
    }

    fn eligible(&self, model: usize, gate: usize) -> Vec<usize> {
        let g = &self.gates[gate];
        let org = &self.models[model].org;
        self.consortium
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.has_role(&g.role) && !(g.independent && &m.org == org))
            .map(|(i, _)| i)
            .collect()
    }

    /// A fresh allowed sign-off: a different model and gate each time, by a member who has
    /// not yet signed that gate of that model when there is one, at the next free minute.
    pub fn next_signoff(&mut self) -> Planned {
        // 7919 is prime, so consecutive calls visit different models.
        let model = (self.planned * 7919 + 11) % self.models.len();
        self.signoff_on(model)
    }

    /// A fresh allowed sign-off on `model`: the gates in turn, by a member who has not yet
    /// signed that gate of that model when there is one (else again by one who has, a minute
    /// later), at the next free minute.
    pub fn signoff_on(&mut self, model: usize) -> Planned {
        let k = self.planned;
        self.planned += 1;
        let gate = k % self.gates.len();
        let eligible = self.eligible(model, gate);
        let signed = self.signed.entry((model, gate)).or_default();
        let member = eligible.iter().copied().find(|m| !signed.contains(m)).unwrap_or(eligible[k % eligible.len()]);
        signed.push(member);
        let at = DateTime::from_timestamp(self.clock, 0).expect("a valid time");
        self.clock += STEP;
        Planned { model, gate, member, at }
    }

    /// The file and commit message Gatehouse writes for an approval with every item done.
    pub fn signoff_file(&self, p: &Planned) -> (String, String, String) {
        let (model, gate, member) = (&self.models[p.model], &self.gates[p.gate], self.member(p.member));
        let file = SignoffFile {
            model: model.id.clone(),
            gate: gate.id.clone(),
            member: member.id.clone(),
            decision: Decision::Approve,
            at: format_at(p.at),
            subject: model.subject.clone(),
            checklist: gate.checklist.clone(),
            comment: String::new(),
            withdraws: None,
            items: gate
                .items
                .iter()
                .map(|i| (i.clone(), ItemRecord { state: ItemState::Done, evidence: vec![], note: String::new() }))
                .collect(),
        };
        let path = SignoffPath::new(self.consortium.layout(), &model.id, &gate.id, p.at, &member.id).to_path();
        let msg = message(
            &format!("signoff({}/{}): approve", model.id, gate.id),
            "",
            &[
                (trailers::ACTION, "signoff"),
                (trailers::MEMBER, &member.id),
                (trailers::MODEL, &model.id),
                (trailers::GATE, &gate.id),
                (trailers::DECISION, "approve"),
                (trailers::SUBJECT, &model.subject),
            ],
        );
        (path, file.to_toml(), msg)
    }
}

/// Writes the history into the (new, empty) repository at `dir` and returns what it holds.
pub fn generate(dir: &Path, n_models: usize, n_proposals: usize) -> Result<History> {
    ensure!(n_models > 0, "--models must be at least 1");
    let members = members();
    let mut consortium = gatehouse::framework::consortium(
        "Synthetic Consortium (gatehouse-bench)",
        members.clone(),
        SignedCommits::Required,
    );
    consortium.rules.proposal_quorum = proposals::QUORUM.to_string();
    let toml = consortium.to_toml();
    Consortium::parse(&toml).map_err(|e| anyhow::anyhow!("generated consortium.toml: {e}"))?;
    let framework = gatehouse::framework::files();
    let mut gates = Vec::new();
    for (path, bytes) in &framework {
        if let Some(name) = path.strip_prefix("policies/checklists/") {
            let text = std::str::from_utf8(bytes)?;
            let g = Gate::parse(path, text).map_err(|e| anyhow::anyhow!("{e}"))?;
            ensure!(name == format!("{}.md", g.id), "{path}: gate id");
            gates.push((
                g.order,
                GateInfo {
                    id: g.id.clone(),
                    role: g.signers.role.clone(),
                    independent: g.signers.independent,
                    distinct_orgs: g.signers.distinct_orgs,
                    items: g.items.iter().map(|i| i.id.clone()).collect(),
                    checklist: Oid::hash_object(ObjectType::Blob, bytes)?.to_string(),
                },
            ));
            ensure!(g.signers.quorum as usize <= APPROVALS, "gate {} needs a quorum of {}", g.id, g.signers.quorum);
        }
    }
    gates.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
    let gates: Vec<GateInfo> = gates.into_iter().map(|(_, g)| g).collect();

    let mut child = Command::new("git")
        .args(["fast-import", "--quiet", "--done"])
        .arg(format!("--export-marks={}", marks_file(dir).display()))
        .current_dir(dir)
        .envs(git::ENV)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting git fast-import")?;
    let stdin = child.stdin.take().expect("piped");
    let mut s = Stream { out: BufWriter::with_capacity(1 << 20, stdin), mark: 0, main: 0, clock: START };

    let mut history = History {
        consortium,
        gates,
        models: Vec::new(),
        signed: HashMap::new(),
        commits: 0,
        signoffs: 0,
        clock: 0,
        files: 0,
        planned: 0,
        keys: Vec::new(),
        proposals: Vec::new(),
        proposal_commits: 0,
        placeholders: HashMap::new(),
    };
    let mut props = Proposals::new(n_proposals, &framework);
    // Proposal rounds are spread evenly over the points between gates of a batch.
    let points = n_models.div_ceil(BATCH) * 8;
    let rounds = props.rounds();
    let mut round = 0;
    let mut point = 0;
    history.keys = history.consortium.members.iter().enumerate().map(|(n, m)| member_key(n, &m.email)).collect();
    for (m, key) in history.consortium.members.iter().zip(&history.keys) {
        let private = key.to_openssh(LineEnding::LF)?;
        gatehouse::keys::write_private(&key_file(dir, &m.id), &private)?;
    }

    // 1. init: consortium.toml and the default framework.
    let founder = history.member(0).clone();
    let mut files: Vec<(String, &[u8])> = vec![("consortium.toml".into(), toml.as_bytes())];
    files.extend(framework.iter().map(|(p, b)| (p.clone(), *b)));
    let msg = message(
        &format!("init: {}", history.consortium.name),
        "The default Gatehouse governance framework.",
        &[(trailers::ACTION, "init"), (trailers::MEMBER, &founder.id)],
    );
    s.commit(&founder, &msg, &files)?;
    history.files = files.len();

    for batch in (0..n_models).collect::<Vec<_>>().chunks(BATCH) {
        // 2a. Register the batch's models, each by one of its owners.
        for &n in batch {
            let family = FAMILIES[n % FAMILIES.len()].0;
            let id = format!("{family}-{n:04}");
            let org = ORGS[n % ORGS.len()];
            let in_org: Vec<&Member> = history.consortium.members.iter().filter(|m| m.org == org).collect();
            let owners: Vec<&Member> = (0..1 + n % 2).map(|k| in_org[(n / ORGS.len() + k) % in_org.len()]).collect();
            let text = card(n, &id, org, &owners);
            let bill = bom(n);
            // git sorts a folder's entries by name: bom.toml before card.md.
            let mut files: Vec<(&str, &[u8])> = Vec::new();
            if let Some(b) = &bill {
                files.push(("bom.toml", b.as_bytes()));
            }
            files.push(("card.md", text.as_bytes()));
            let subject = model_tree_id(&files)?;
            let msg = message(
                &format!("model({id}): register"),
                "",
                &[(trailers::ACTION, "model"), (trailers::MEMBER, &owners[0].id), (trailers::MODEL, &id)],
            );
            let by = owners[0].clone();
            let files: Vec<(String, &[u8])> =
                files.iter().map(|(name, bytes)| (format!("models/{id}/{name}"), *bytes)).collect();
            s.commit(&by, &msg, &files)?;
            history.files += files.len();
            history.models.push(ModelInfo { id, org: org.to_string(), subject: subject.to_string() });
        }
        // 2b. Every gate in order, three approvals each, the batch's models interleaved.
        for gate in 0..history.gates.len() {
            for round in 0..APPROVALS {
                for &n in batch {
                    let eligible = history.eligible(n, gate);
                    let signers = pick_signers(&history, &eligible, n, gate);
                    let member = signers[round];
                    history.signed.entry((n, gate)).or_default().push(member);
                    let at = DateTime::from_timestamp(s.clock, 0).expect("a valid time");
                    let planned = Planned { model: n, gate, member, at };
                    let (path, toml, msg) = history.signoff_file(&planned);
                    let who = history.member(member).clone();
                    s.commit(&who, &msg, &[(path, toml.as_bytes())])?;
                    history.signoffs += 1;
                    history.files += 1;
                }
            }
            while round < rounds && round * points / rounds <= point {
                props.round(&mut s, &history.consortium)?;
                round += 1;
            }
            point += 1;
        }
    }
    while round < rounds {
        props.round(&mut s, &history.consortium)?;
        round += 1;
    }
    // Sign-offs made after the history name the checklists as they are now.
    for g in &mut history.gates {
        let path = format!("policies/checklists/{}.md", g.id);
        if let Some(text) = props.framework().get(&path) {
            g.checklist = Oid::hash_object(ObjectType::Blob, text.as_bytes())?.to_string();
        }
    }
    history.files +=
        props.info.iter().map(|p| 1 + proposals::VOTES + usize::from(p.fate != proposals::Fate::Open)).sum::<usize>();
    // The branch commits of proposals never accepted are not in `main`'s history.
    let unmerged = props.info.iter().filter(|p| p.fate != proposals::Fate::Accepted).count();
    history.proposal_commits = props.commits - unmerged;
    history.placeholders = std::mem::take(&mut props.placeholders);
    history.proposals = std::mem::take(&mut props.info);
    s.out.write_all(b"done\n")?;
    s.out.flush()?;
    drop(s.out.into_inner().map_err(|e| e.into_error())?);
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!("git fast-import failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    history.commits = s.mark - unmerged;
    history.clock = s.clock;
    sign_history(dir, &history, s.mark)?;
    Ok(history)
}

/// Where fast-import writes the scaffold's marks (mark -> commit id), for signing.
fn marks_file(dir: &Path) -> std::path::PathBuf {
    dir.join(".git").join("gatehouse-bench-marks")
}

/// Three signers for (model, gate) from `eligible`, from distinct organisations where
/// possible, rotated by model and gate so the work is spread over the members.
fn pick_signers(h: &History, eligible: &[usize], model: usize, gate: usize) -> Vec<usize> {
    let g = &h.gates[gate];
    let start = (model * 5 + gate) % eligible.len();
    let rotated: Vec<usize> = (0..eligible.len()).map(|k| eligible[(start + k) % eligible.len()]).collect();
    let mut picked: Vec<usize> = Vec::new();
    for &m in &rotated {
        if picked.len() < APPROVALS && !picked.iter().any(|p| h.member(*p).org == h.member(m).org) {
            picked.push(m);
        }
    }
    for &m in &rotated {
        if picked.len() < APPROVALS && !picked.contains(&m) {
            picked.push(m);
        }
    }
    let orgs: std::collections::BTreeSet<&str> = picked.iter().map(|p| h.member(*p).org.as_str()).collect();
    assert!(
        picked.len() == APPROVALS && orgs.len() >= g.distinct_orgs as usize,
        "the generated consortium cannot sign gate {} of model {model}",
        g.id
    );
    picked
}

/// A Hugging Face-style card for import (number `n`, a family's shape as the history's cards,
/// with its own id `imported-NNNN`): the id, the card, and the index of the member who
/// registers it (an owner, of the card's organisation).
pub fn import_card(history: &History, n: usize) -> (String, String, usize) {
    let id = format!("imported-{n:04}");
    let org = ORGS[n % ORGS.len()];
    let in_org: Vec<usize> =
        history.consortium.members.iter().enumerate().filter(|(_, m)| m.org == org).map(|(i, _)| i).collect();
    let owners: Vec<usize> = (0..1 + n % 2).map(|k| in_org[(n / ORGS.len() + k) % in_org.len()]).collect();
    let members: Vec<&Member> = owners.iter().map(|i| history.member(*i)).collect();
    let text = card(n, &id, org, &members);
    (id, text, owners[0])
}
