//! The built-in sample consortium: members from four organisations with demo SSH keys, four
//! models at different stages, and two policy proposals (one accepted, one held up by an
//! objection). Its history is made of real action commits, written by
//! the same functions the CLI and app use, at fixed times, so it verifies clean.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, Duration, TimeZone, Utc};
use include_dir::{include_dir, Dir};
use ssh_key::PrivateKey;

use crate::actions::model::{self, ModelRequest, Upload};
use crate::actions::proposal::{self, CloseRequest, FileEdit, ProposeRequest, Source, VoteRequest};
use crate::actions::signoff::{self, ItemInput, SignoffRequest};
use crate::consortium::{Member, SignedCommits};
use crate::error::{Error, Result};
use crate::framework;
use crate::keys;
use crate::proposal::VoteKind;
use crate::record::{load_model, Framework};
use crate::repo::Governance;
use crate::signing::Signer;
use crate::signoff::{Decision, ItemState};
use crate::write::CommitSigner;

static SAMPLE: Dir = include_dir!("$CARGO_MANIFEST_DIR/sample");

pub const NAME: &str = "Trillion Parameter Consortium (sample)";

/// (id, name, org, roles)
const MEMBERS: &[(&str, &str, &str, &[&str])] = &[
    (
        "rvance",
        "Rosa Vance",
        "argonne",
        &["voting-member", "registry-steward", "license-reviewer", "safety-reviewer", "release-manager"],
    ),
    (
        "tokafor",
        "Tunde Okafor",
        "argonne",
        &["voting-member", "data-reviewer", "reproducibility-reviewer", "evaluation-reviewer", "infra-reviewer"],
    ),
    (
        "hsato",
        "Hiroshi Sato",
        "riken",
        &["voting-member", "license-reviewer", "reproducibility-reviewer", "safety-reviewer", "release-manager"],
    ),
    (
        "mtanaka",
        "Mei Tanaka",
        "riken",
        &["voting-member", "registry-steward", "data-reviewer", "evaluation-reviewer", "infra-reviewer"],
    ),
    (
        "lgarcia",
        "Lucía García",
        "bsc",
        &["voting-member", "license-reviewer", "data-reviewer", "safety-reviewer", "release-manager"],
    ),
    (
        "jferrer",
        "Jordi Ferrer",
        "bsc",
        &["voting-member", "reproducibility-reviewer", "evaluation-reviewer", "infra-reviewer"],
    ),
    (
        "akeller",
        "Anna Keller",
        "cscs",
        &["voting-member", "registry-steward", "evaluation-reviewer", "safety-reviewer", "release-manager"],
    ),
    (
        "nbrunner",
        "Nico Brunner",
        "cscs",
        &["voting-member", "license-reviewer", "data-reviewer", "reproducibility-reviewer"],
    ),
];

/// The clock of the sample's story: each step an hour and a half after the one before.
struct Clock(DateTime<Utc>);

impl Clock {
    fn tick(&mut self) -> DateTime<Utc> {
        self.0 += Duration::minutes(90);
        self.0
    }
}

/// Creates the sample consortium in `dir` (which must be absent or empty).
pub fn create(dir: &Path) -> Result<Governance> {
    let mut members = Vec::new();
    let mut private_keys = Vec::new();
    for (id, name, org, roles) in MEMBERS {
        let email = format!("{id}@{org}.example.org");
        let (private, public) = keys::generate(&email)?;
        private_keys.push((id.to_string(), private, public.clone()));
        members.push(Member {
            id: id.to_string(),
            name: name.to_string(),
            email,
            org: org.to_string(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            keys: vec![public],
        });
    }
    // The sample shows the consortium as it should be run: every action commit signed.
    let consortium = framework::consortium(NAME, members.clone(), SignedCommits::Required);
    let mut signers = HashMap::new();
    for (id, private, _) in &private_keys {
        let key = PrivateKey::from_openssh(private)
            .map_err(|e| Error::signing(crate::error::SigningProblem::KeyUnusable, e.to_string()))?;
        signers.insert(id.clone(), Signer::from_private(key));
    }
    let mut clock = Clock(Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).single().expect("a fixed date"));
    let founder = &members[0];
    let gov = crate::actions::init::create(dir, &consortium, founder, clock.tick(), signers.get(&founder.id))?;
    for (id, private, public) in &private_keys {
        let path = keys::demo_key_path(&gov.data_dir(), id);
        keys::write_private(&path, private)?;
        std::fs::write(path.with_extension("pub"), format!("{public}\n")).map_err(|e| Error::io(&path, e))?;
    }
    Story { gov: &gov, clock, signers }.tell()?;
    Ok(gov)
}

struct Story<'a> {
    gov: &'a Governance,
    clock: Clock,
    /// Each member's demo key.
    signers: HashMap<String, Signer>,
}

impl Story<'_> {
    fn signer(&self, member: &str) -> Result<&dyn CommitSigner> {
        self.signers
            .get(member)
            .map(|s| s as &dyn CommitSigner)
            .ok_or_else(|| Error::NotFound { what: "sample member", id: member.into() })
    }

    fn tell(&mut self) -> Result<()> {
        // A 1.6T sparse mixture-of-experts that went through every gate.
        self.register("switch-c-1.6t", "hsato")?;
        let moe = "switch-c-1.6t";
        self.approve(moe, "intake", "rvance", "Registered; owners and intended use are clear.")?;
        self.approve(
            moe,
            "licensing",
            "rvance",
            "BOM covers code, weights and all 14 corpora; Apache-2.0 outbound is compatible.",
        )?;
        self.approve(moe, "licensing", "lgarcia", "Agree. NOTICE lists the two CC-BY corpora.")?;
        self.approve(moe, "data-provenance", "tokafor", "Datasheets present for every corpus; dedup pipeline pinned.")?;
        self.approve(moe, "data-provenance", "lgarcia", "PII step and opt-out handling documented.")?;
        self.approve(moe, "reproducibility", "tokafor", "Re-ran the first 2,000 steps on Polaris; loss within 0.3%.")?;
        self.approve(moe, "reproducibility", "jferrer", "Container digest and seeds reproduce the router init.")?;
        self.approve(moe, "evaluation", "akeller", "Suites pinned; three seeds; results match model-index.")?;
        self.approve(moe, "evaluation", "jferrer", "Contamination check clean for all reported suites.")?;
        self.approve(
            moe,
            "safety",
            "rvance",
            "Adversarial suite and external red team reviewed; residual risk acceptable.",
        )?;
        self.approve(moe, "safety", "lgarcia", "Bias audit covers the seven claimed languages.")?;
        self.approve(moe, "deployment", "tokafor", "Expert-parallel plan fits 64 GPUs with 80 GB; latency as stated.")?;
        self.approve(moe, "release", "rvance", "Card, datasheets and provenance record are public.")?;
        self.approve(moe, "release", "akeller", "Artifact hashes match the reproducibility manifest.")?;

        // A 200B scaled model: changes requested at safety.
        let big = "aurora-sci-200b";
        self.register(big, "rvance")?;
        self.approve(big, "intake", "mtanaka", "Registered.")?;
        self.approve(big, "licensing", "hsato", "BOM complete.")?;
        self.approve(big, "licensing", "lgarcia", "Compatible with the outbound licence.")?;
        self.approve(big, "data-provenance", "mtanaka", "Sources and dates listed.")?;
        self.approve(big, "data-provenance", "lgarcia", "Datasheets present.")?;
        self.approve(big, "reproducibility", "hsato", "Manifest hashes verified.")?;
        self.approve(big, "reproducibility", "jferrer", "Partial re-run matches.")?;
        self.approve(big, "evaluation", "mtanaka", "Results reproduce within the stated intervals.")?;
        self.approve(big, "evaluation", "akeller", "Suites pinned at the consortium versions.")?;
        self.approve(big, "safety", "hsato", "Internal adversarial suite passed.")?;
        self.sign(
            big,
            "safety",
            "lgarcia",
            Decision::ChangesRequested,
            &["bias"],
            "The bias audit covers English only, but the card claims Spanish, Catalan and Japanese. Please extend the audit before release.",
        )?;

        // A consortium science model whose card changed after review: its sign-offs went stale.
        let sci = "tpc-science-34b";
        self.register(sci, "jferrer")?;
        self.approve(sci, "intake", "akeller", "Registered.")?;
        self.approve(sci, "licensing", "rvance", "BOM complete.")?;
        self.approve(sci, "licensing", "hsato", "Compatible.")?;
        self.approve(sci, "data-provenance", "tokafor", "Sources listed with acquisition dates.")?;
        self.approve(sci, "data-provenance", "nbrunner", "Datasheets present for the literature and code corpora.")?;
        self.update_card(sci, "jferrer", "card-v2.md")?;
        self.approve(sci, "intake", "akeller", "Re-approved after the training-data revision.")?;

        // A small dense baseline, newly registered.
        self.register("baseline-1.4b", "akeller")?;

        // The consortium changes its own rules. After aurora-sci-200b, the bias item of the
        // safety checklist is reworded by an accepted proposal: the approvals given before
        // it were given under the older wording, which the board and model pages point out.
        let safety = "policies/checklists/safety.md";
        let reworded = self.framework_text(safety)?.replacen(
            "covering every language in the card's `language` key",
            "covering every language in the card's `language` key (each one audited, not only English)",
            1,
        );
        self.propose(
            "bias-audit-languages",
            "lgarcia",
            "Bias audits cover every claimed language",
            "aurora-sci-200b reached the safety gate with a bias audit in English only while its card \
             claims four languages. The item already asks for every language in `language`; this makes \
             it impossible to read otherwise.",
            &[(safety, reworded)],
        )?;
        for by in ["rvance", "tokafor", "hsato", "mtanaka", "akeller", "jferrer"] {
            self.vote("bias-audit-languages", by, VoteKind::Approve, "")?;
        }
        self.clock.0 += Duration::days(8);
        self.accept("bias-audit-languages", "lgarcia")?;

        // An open proposal held up by a blocking concern.
        let evaluation = "policies/checklists/evaluation.md";
        let seeds = self.framework_text(evaluation)?.replacen(
            "- [ ] `suites`",
            "- [ ] `seeds` Three seeds. Evidence: `evidence/eval-results.json` reports every score as the mean and spread over at least three training seeds.\n- [ ] `suites`",
            1,
        );
        self.propose(
            "evaluation-three-seeds",
            "akeller",
            "Require three seeds for every reported evaluation",
            "Single-seed scores hide variance of several points on the reasoning suites.",
            &[(evaluation, seeds)],
        )?;
        self.vote("evaluation-three-seeds", "jferrer", VoteKind::Approve, "Overdue.")?;
        self.vote("evaluation-three-seeds", "mtanaka", VoteKind::Approve, "")?;
        self.vote("evaluation-three-seeds", "tokafor", VoteKind::Approve, "")?;
        self.vote(
            "evaluation-three-seeds",
            "hsato",
            VoteKind::Object,
            "Three seeds of a 1.6T model cost about 40,000 GPU-hours. Allow one seed above 500B \
             parameters with the spread estimated on a smaller sibling.",
        )?;
        Ok(())
    }

    /// A framework file's text at the tip of `main`.
    fn framework_text(&self, path: &str) -> Result<String> {
        let tree = self.gov.tree_of(self.gov.head()?)?;
        crate::repo::read_text(self.gov.repo(), &tree, path)?
            .map(|(_, t)| t)
            .ok_or_else(|| Error::NotFound { what: "framework file", id: path.into() })
    }

    fn propose(&mut self, id: &str, by: &str, title: &str, rationale: &str, files: &[(&str, String)]) -> Result<()> {
        let edits = files
            .iter()
            .map(|(p, t)| FileEdit { path: p.to_string(), content: Some(t.clone().into_bytes()) })
            .collect();
        let req = ProposeRequest {
            proposal: id.into(),
            title: title.into(),
            rationale: rationale.into(),
            member: by.into(),
            source: Source::Files(edits),
            at: self.clock.tick(),
        };
        proposal::propose(self.gov, &req, Some(self.signer(by)?))?;
        Ok(())
    }

    fn vote(&mut self, id: &str, by: &str, vote: VoteKind, comment: &str) -> Result<()> {
        let req = VoteRequest {
            proposal: id.into(),
            member: by.into(),
            vote,
            comment: comment.into(),
            at: self.clock.tick(),
        };
        proposal::vote(self.gov, &req, Some(self.signer(by)?))?;
        Ok(())
    }

    fn accept(&mut self, id: &str, by: &str) -> Result<()> {
        let req =
            CloseRequest { proposal: id.into(), member: by.into(), comment: String::new(), at: self.clock.tick() };
        proposal::accept(self.gov, &req, Some(self.signer(by)?))?;
        Ok(())
    }

    fn files(&self, model: &str) -> Result<Vec<(String, Vec<u8>)>> {
        let dir = SAMPLE
            .get_dir(format!("models/{model}"))
            .ok_or_else(|| Error::NotFound { what: "sample model", id: model.into() })?;
        let mut out = Vec::new();
        fn walk(dir: &Dir, out: &mut Vec<(String, Vec<u8>)>) {
            for f in dir.files() {
                out.push((f.path().to_string_lossy().replace('\\', "/"), f.contents().to_vec()));
            }
            for d in dir.dirs() {
                walk(d, out);
            }
        }
        walk(dir, &mut out);
        Ok(out)
    }

    fn register(&mut self, model: &str, by: &str) -> Result<()> {
        let files = self.files(model)?;
        let prefix = format!("models/{model}/");
        let mut card = None;
        let mut evidence = Vec::new();
        for (path, content) in files {
            let rel = path.strip_prefix(&prefix).unwrap_or(&path).to_string();
            let upload = Upload { source: path.clone(), content };
            if rel == "card.md" {
                card = Some(upload);
            } else if rel.starts_with("evidence/") || rel == crate::repro::MANIFEST {
                evidence.push((rel, upload));
            }
        }
        let req = ModelRequest {
            model: model.into(),
            member: by.into(),
            card,
            org: None,
            owners: vec![],
            evidence,
            at: self.clock.tick(),
        };
        model::add(self.gov, &req, Some(self.signer(by)?))?;
        Ok(())
    }

    fn update_card(&mut self, model: &str, by: &str, file: &str) -> Result<()> {
        let (source, content) = self
            .files(model)?
            .into_iter()
            .find(|(p, _)| p.ends_with(file))
            .ok_or_else(|| Error::NotFound { what: "sample card", id: file.into() })?;
        let req = ModelRequest {
            model: model.into(),
            member: by.into(),
            card: Some(Upload { source, content }),
            org: None,
            owners: vec![],
            evidence: vec![],
            at: self.clock.tick(),
        };
        model::update(self.gov, &req, Some(self.signer(by)?))?;
        Ok(())
    }

    fn approve(&mut self, model: &str, gate: &str, by: &str, comment: &str) -> Result<()> {
        self.sign(model, gate, by, Decision::Approve, &[], comment)
    }

    /// Signs with every item done except `open`; each item gets the evidence file its text
    /// names, when the model has it.
    fn sign(
        &mut self,
        model: &str,
        gate: &str,
        by: &str,
        decision: Decision,
        open: &[&str],
        comment: &str,
    ) -> Result<()> {
        let repo = self.gov.repo();
        let tree = self.gov.tree_of(self.gov.head()?)?;
        let fw = Framework::load(repo, &tree)?;
        let g = fw.gate(gate).ok_or_else(|| Error::NotFound { what: "gate", id: gate.into() })?;
        let entry = load_model(repo, &tree, model, &mut Vec::new())?
            .ok_or_else(|| Error::NotFound { what: "model", id: model.into() })?;
        let mut items = Vec::new();
        let mut evidence = Vec::new();
        for item in &g.items {
            let is_open = open.contains(&item.id.as_str());
            items.push(ItemInput {
                id: item.id.clone(),
                state: if is_open { ItemState::Open } else { ItemState::Done },
                note: if is_open { "Not yet satisfied; see the comment.".into() } else { String::new() },
            });
            if let Some(file) = entry.evidence.iter().find(|e| item.text.contains(e.as_str())) {
                evidence.push((item.id.clone(), file.clone()));
            }
        }
        let req = SignoffRequest {
            model: model.into(),
            gate: gate.into(),
            member: by.into(),
            decision,
            items,
            evidence,
            comment: comment.into(),
            at: self.clock.tick(),
        };
        signoff::signoff(self.gov, &req, Some(self.signer(by)?))?;
        Ok(())
    }
}
