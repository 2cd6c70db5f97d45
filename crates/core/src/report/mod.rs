//! Audit reports (docs/format.md, "Audit reports"): what a model went through, the standing of
//! every model, or a proposal's decision record, at one commit, exactly and reproducibly.
//!
//! `build` reads the repository into a [`Report`]; the renderers turn it into bytes:
//! [`markdown`], [`html`], [`json`] (with its published schema, `docs/report.schema.json`) and
//! [`oscal`] (OSCAL 1.1 assessment results). The PDF is made by the `gatehouse-pdf` crate, which
//! keeps its typesetting dependencies out of the core. Every date in a report comes from a
//! commit and every id from git, so the same commit gives the same bytes on any machine.
//! [`bundle`] writes every format, the evidence the report cites and a SHA-256 manifest, and
//! checks such a folder offline.

pub mod build;
pub mod bundle;
pub mod chart;
pub mod compare;
pub mod html;
pub mod json;
pub mod markdown;
pub mod oscal;

use serde::Serialize;

use crate::proposal::deliberation::Deliberation;
use crate::proposal::{ProposalState, VoteKind};
use crate::rules::GateState;
use crate::signoff::{Decision, ItemState};

pub use build::{build, resolve, Options, Scope};

/// The value of `Report::format`: the JSON report's own version.
pub const FORMAT: &str = "gatehouse-report/1";

/// One report. Exactly one of `model`, `consortium` and `proposal` is set, as `scope.kind` says.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Report {
    /// Always [`FORMAT`].
    pub format: String,
    pub generator: Generator,
    pub scope: ScopeInfo,
    /// The consortium's name, as `consortium.toml` gives it at the commit.
    pub consortium: String,
    /// The commit the report describes.
    pub commit: CommitInfo,
    pub model: Option<ModelReport>,
    pub consortium_report: Option<ConsortiumReport>,
    pub proposal: Option<ProposalReport>,
    /// The policies in force at the commit, with the proposals that changed them.
    pub policies: Vec<PolicyInForce>,
    /// Every checklist item in scope that names an external control, by catalog and control.
    pub crosswalk: Vec<CrosswalkRow>,
    /// What `verify` finds in the history up to the commit that touches the scope (for the
    /// consortium-wide report: every finding).
    pub findings: Vec<FindingReport>,
    /// How many commits `verify` checked for `findings`.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub commits_verified: u64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Generator {
    /// `gatehouse`.
    pub name: String,
    /// The version of the Gatehouse library that wrote the report.
    pub version: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum ScopeKind {
    Model,
    Consortium,
    Proposal,
}

impl ScopeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeKind::Model => "model",
            ScopeKind::Consortium => "consortium",
            ScopeKind::Proposal => "proposal",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScopeInfo {
    pub kind: ScopeKind,
    /// The model or proposal id; the consortium's name for a consortium-wide report.
    pub id: String,
    /// A one-line title for the document.
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CommitInfo {
    pub id: String,
    pub tree: String,
    /// The committer time, RFC 3339 in UTC: the report's date.
    pub date: String,
    pub author: String,
    pub summary: String,
    pub signature: SignatureCheck,
}

/// A commit signature as an auditor reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignatureCheck {
    pub status: SignatureState,
    /// The signing key's SHA-256 fingerprint, when the commit is signed with a readable key.
    pub fingerprint: Option<String>,
    /// Why the signature is bad or its key not listed.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum SignatureState {
    /// Made with one of the member's keys in `consortium.toml`, and it matches the commit.
    Good,
    Unsigned,
    /// The signature does not match the commit, or cannot be read.
    Bad,
    /// A valid signature by a key that is not among the member's keys (or by a non-member).
    KeyNotListed,
}

impl SignatureState {
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureState::Good => "good",
            SignatureState::Unsigned => "unsigned",
            SignatureState::Bad => "bad",
            SignatureState::KeyNotListed => "key not listed",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ModelReport {
    pub id: String,
    pub title: String,
    pub org: Option<String>,
    pub owners: Vec<String>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub parameters: Option<u64>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub active_parameters: Option<u64>,
    pub architecture: Option<String>,
    pub licenses: Vec<String>,
    pub datasets: Vec<String>,
    pub base_model: Vec<String>,
    /// The card's path and blob id (`None` when the model has no readable card).
    pub card: Option<FileRef>,
    /// The tree id of `models/<id>` at the commit: what a current sign-off speaks about.
    pub subject: String,
    /// The furthest gate passed in order, and the gate the model waits at.
    pub standing: Standing,
    pub gates: Vec<GateReport>,
    /// Files of the model that cannot be read, as `status` lists them.
    pub problems: Vec<String>,
    /// What serving the model takes, from its card and the accelerator table at the commit.
    pub deployment: DeploymentReport,
}

/// A model's deployment estimate in a report (docs/format.md, "Deployment estimate"), made from
/// the card and `policies/accelerators.toml` at the report's commit, at the card's
/// `context_length` (else 4,096 tokens) and a batch of 1: what `gatehouse estimate MODEL`
/// gives when that commit is `main`'s tip. Exactly one of `estimate` and `unavailable` is set.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeploymentReport {
    pub estimate: Option<crate::estimate::Estimate>,
    /// Why no estimate is made: the card has no `deployment:` mapping, or the card or the
    /// accelerator table does not read.
    pub unavailable: Option<String>,
}

impl DeploymentReport {
    /// Where a one-line summary looks: the accelerator that decodes a million tokens for the
    /// fewest dollars (the first in the table's order on a tie); `None` without an estimate or
    /// without the parameter count the fits need.
    pub fn cheapest(&self) -> Option<&crate::estimate::Fit> {
        let fits = &self.estimate.as_ref()?.fits;
        fits.iter().fold(None, |best: Option<&crate::estimate::Fit>, f| match best {
            Some(b) if b.usd_per_million_tokens <= f.usd_per_million_tokens => Some(b),
            _ => Some(f),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Standing {
    /// Gates passed, of how many.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub passed: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub gates: u32,
    /// The first gate in order that has not passed (`None` when every gate passed).
    pub at_gate: Option<String>,
}

/// A file of the repository at the report's commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FileRef {
    pub path: String,
    pub blob: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GateReport {
    pub id: String,
    pub title: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub order: i64,
    pub state: GateState,
    /// The role that signs it, the approvals it needs, from how many organisations, and
    /// whether signers must come from outside the model's organisation.
    pub role: String,
    pub quorum: u32,
    pub distinct_orgs: u32,
    pub independent: bool,
    pub approvals: u32,
    pub stale: u32,
    /// What the gate waits for, in words, when it has not passed.
    pub waiting_for: Option<String>,
    /// The checklist in force at the commit.
    pub checklist: FileRef,
    /// The policy the gate applies, if its checklist names one.
    pub policy: Option<String>,
    pub items: Vec<ItemReport>,
    /// Oldest first.
    pub signoffs: Vec<SignoffReport>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ItemReport {
    pub id: String,
    /// The item's text, plain text.
    pub text: String,
    /// As the latest current sign-off records it; `open` when none does.
    pub state: ItemState,
    /// For a `not-applicable` item: the reason the sign-off gives (its note); `None` when it
    /// gives none, which a report shows as missing. Always `None` for other states.
    pub reason: Option<String>,
    /// Evidence named by the current sign-offs.
    pub evidence: Vec<EvidenceRef>,
    /// Notes by the current sign-offs.
    pub notes: Vec<NoteReport>,
    /// The external controls the item serves, as its checklist names them.
    pub controls: Vec<ControlRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NoteReport {
    pub member: String,
    pub note: String,
}

/// An evidence file a sign-off cites, as found at the report's commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvidenceRef {
    /// Relative to the model's folder, as the sign-off names it.
    pub path: String,
    /// The git blob id; `None` when the file is not in the tree at the commit.
    pub blob: Option<String>,
    /// The SHA-256 of the file's bytes, hex; `None` when the file is missing.
    pub sha256: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub size: Option<u64>,
}

/// One external control: a catalog id (for example `nist-ai-rmf`) and a control in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ControlRef {
    pub catalog: String,
    pub control: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignoffReport {
    pub path: String,
    pub blob: String,
    pub member: String,
    pub member_name: String,
    pub org: String,
    pub decision: Decision,
    /// When the reviewer signed, as the sign-off records it.
    pub at: String,
    pub comment: String,
    /// The commit that added the file (`None` when the history up to the report's commit has
    /// no such commit, which verify reports).
    pub commit: Option<String>,
    pub signature: SignatureCheck,
    /// Whether it speaks about the model as it is at the report's commit.
    pub current: bool,
    /// The checklist version the reviewer saw (blob id), and whether it is the one in force.
    pub checklist: String,
    pub checklist_in_force: bool,
    pub items: Vec<SignedItemReport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignedItemReport {
    pub id: String,
    pub state: ItemState,
    pub evidence: Vec<String>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConsortiumReport {
    /// The gates in order.
    pub gates: Vec<GateHeader>,
    /// Every model by id.
    pub models: Vec<ModelStanding>,
    /// How many models wait at each gate, in the gates' order, then those past every gate.
    pub by_gate: Vec<GateCount>,
    /// Chosen `model-index` results across the models, with their chart (`compare`).
    pub compared: compare::Comparison,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GateHeader {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ModelStanding {
    pub id: String,
    pub title: String,
    pub org: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub parameters: Option<u64>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub active_parameters: Option<u64>,
    pub standing: Standing,
    /// Each gate's state, in the gates' order.
    pub gates: Vec<GateState>,
    pub problems: u32,
    /// The model's deployment estimate, as its model report gives it.
    pub deployment: DeploymentReport,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GateCount {
    /// A gate id, or `released` for the models past every gate.
    pub gate: String,
    pub title: String,
    pub models: u32,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProposalReport {
    pub id: String,
    pub title: String,
    pub author: String,
    pub branch: String,
    pub subject: String,
    pub state: ProposalState,
    pub rationale: String,
    /// The files it changes, with their blob ids before and after.
    pub files: Vec<ChangedFile>,
    pub votes: Vec<VoteReport>,
    pub deliberation: Deliberation,
    pub outcome: Option<OutcomeReport>,
    /// The commit on `main` that accepted it (its merge), when it was accepted.
    pub merged_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChangedFile {
    pub path: String,
    pub old_blob: Option<String>,
    pub new_blob: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub added_lines: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub removed_lines: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VoteReport {
    pub member: String,
    pub member_name: String,
    pub org: String,
    pub vote: VoteKind,
    pub at: String,
    pub comment: String,
    /// The subject it was cast on, and whether that is the proposal's current subject.
    pub subject: String,
    pub outdated: bool,
    /// The last commit that wrote the vote file, and its signature.
    pub commit: Option<String>,
    pub signature: SignatureCheck,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OutcomeReport {
    pub outcome: ProposalState,
    pub member: String,
    pub at: String,
    pub comment: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PolicyInForce {
    pub id: String,
    pub title: String,
    /// The version its front matter gives.
    pub version: Option<String>,
    pub file: FileRef,
    /// The commit that last changed the file, and when.
    pub changed_in: Option<String>,
    pub changed_at: Option<String>,
    /// The accepted proposals that changed it, oldest first.
    pub proposals: Vec<ProposalRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProposalRef {
    pub id: String,
    pub title: String,
    /// The accept merge.
    pub commit: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CrosswalkRow {
    pub catalog: String,
    pub control: String,
    pub gate: String,
    pub item: String,
    /// The item's state in a model report; `None` in a consortium-wide report.
    pub state: Option<ItemState>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FindingReport {
    /// The finding's kind, as `verify` names it (`unsigned`, `edited-signoff`, ...).
    pub kind: String,
    pub commit: String,
    pub path: Option<String>,
    pub member: Option<String>,
    pub message: String,
}

impl ConsortiumReport {
    /// The formulas (their general form) and the assumptions the models' deployment estimates
    /// state, each once, in the order the estimates first give them, ending with where the
    /// accelerator table was read: what a consortium report states under its table of
    /// estimates. An assumption that names a model's own figures (its context, its weights'
    /// format) is listed once for each version of it.
    pub fn deployment_terms(&self) -> (Vec<String>, Vec<String>) {
        let mut formulas: Vec<String> = Vec::new();
        let mut assumptions: Vec<String> = Vec::new();
        fn push(list: &mut Vec<String>, s: String) {
            if !list.contains(&s) {
                list.push(s);
            }
        }
        let estimates = self.models.iter().filter_map(|m| m.deployment.estimate.as_ref());
        for e in estimates.clone() {
            for f in &e.formulas {
                push(&mut formulas, f.general.clone());
            }
            for a in &e.assumptions {
                push(&mut assumptions, a.clone());
            }
        }
        for e in estimates {
            push(&mut assumptions, format!("Accelerators from {}.", e.table_source));
        }
        (formulas, assumptions)
    }
}

impl Report {
    /// Every evidence file the report cites, by path in the repository, once each, in order.
    pub fn cited_evidence(&self) -> Vec<(String, &EvidenceRef)> {
        let mut out: Vec<(String, &EvidenceRef)> = Vec::new();
        if let Some(m) = &self.model {
            for e in m.gates.iter().flat_map(|g| g.items.iter().flat_map(|i| i.evidence.iter())) {
                let path = format!("models/{}/{}", m.id, e.path);
                if !out.iter().any(|(p, _)| *p == path) {
                    out.push((path, e));
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

/// The formats a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Md,
    Html,
    Pdf,
    Json,
    Oscal,
}

impl Format {
    pub const ALL: [Format; 5] = [Format::Md, Format::Html, Format::Pdf, Format::Json, Format::Oscal];

    /// As `--format` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Json => "json",
            Format::Oscal => "oscal",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// The file name's ending a bundle gives it (`report.<extension>`).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Json => "json",
            Format::Oscal => "oscal.json",
        }
    }
}

/// Typesets a report as PDF: a front end passes the `gatehouse-pdf` crate's renderer, which
/// the core does not depend on (its typesetting engine is large).
pub type PdfRenderer = dyn Fn(&Report) -> crate::error::Result<Vec<u8>>;

/// The report's bytes in `format`.
pub fn render(report: &Report, format: Format, pdf: &PdfRenderer) -> crate::error::Result<Vec<u8>> {
    Ok(match format {
        Format::Md => markdown::render(report).into_bytes(),
        Format::Html => html::render(report).into_bytes(),
        Format::Json => json::render(report).into_bytes(),
        Format::Oscal => oscal::render(report).into_bytes(),
        Format::Pdf => pdf(report)?,
    })
}

/// Whether a report can go to the file `path` (its folder exists, and it is not a folder):
/// checked before the work of making one, and again by `write_file`. Returns the folder.
pub fn check_output(path: &std::path::Path) -> crate::error::Result<&std::path::Path> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    if path.is_dir() {
        return Err(crate::error::Error::invalid(
            crate::error::Input::Output,
            format!("{} is a folder; give a file name", path.display()),
        ));
    }
    if !dir.is_dir() {
        return Err(crate::error::Error::invalid(
            crate::error::Input::Output,
            format!("the folder {} does not exist", dir.display()),
        ));
    }
    Ok(dir)
}

/// Writes `bytes` to `path` whole or not at all: into a temporary file beside it, then renamed
/// over it, so a failed export leaves no partial file behind. The folder must exist.
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> crate::error::Result<()> {
    use std::io::Write;
    let io = |e| crate::error::Error::io(path, e);
    let dir = check_output(path)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    // A temporary file is private to its owner; a report is a document to share.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644)).map_err(io)?;
    }
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
