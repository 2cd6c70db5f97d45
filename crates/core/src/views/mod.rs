//! What the desktop app shows, as plain data: each screen's view, built from the record and
//! the index by one function. The app's web view receives these as JSON; with the `ts`
//! feature their TypeScript types are generated from these definitions (never written twice).

pub mod board;
pub mod cards;
pub mod changes;
pub mod documents;
pub mod eligibility;
pub mod evidence;
pub mod history;
pub mod identity;
pub mod inbox;
pub mod members;
pub mod model;
pub mod my_gates;
pub mod proposals;
pub mod status;
pub mod verify;

/// A malformed file, shown to the reader instead of silently skipped.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProblemView {
    pub path: String,
    pub line: Option<u32>,
    pub message: String,
}

impl From<&crate::error::Malformed> for ProblemView {
    fn from(m: &crate::error::Malformed) -> Self {
        ProblemView {
            path: m.location.path.clone(),
            line: m.location.line.map(|l| l as u32),
            message: m.message.clone(),
        }
    }
}

/// Writes the TypeScript declarations of every view type into `dir`.
#[cfg(feature = "ts")]
pub fn export_typescript(dir: &std::path::Path) -> Result<(), ts_rs::ExportError> {
    use ts_rs::TS;
    let cfg = ts_rs::Config::new().with_out_dir(dir);
    board::BoardView::export_all(&cfg)?;
    cards::CardResults::export_all(&cfg)?;
    crate::report::compare::Comparison::export_all(&cfg)?;
    changes::ModelChanges::export_all(&cfg)?;
    my_gates::MyGate::export_all(&cfg)?;
    model::ModelDetail::export_all(&cfg)?;
    eligibility::Eligibility::export_all(&cfg)?;
    eligibility::GateEligibility::export_all(&cfg)?;
    eligibility::SignForm::export_all(&cfg)?;
    evidence::EvidenceView::export_all(&cfg)?;
    evidence::AttachEffect::export_all(&cfg)?;
    evidence::FormAttachment::export_all(&cfg)?;
    history::HistoryEntry::export_all(&cfg)?;
    history::HistoryFilter::export_all(&cfg)?;
    history::HistoryFacets::export_all(&cfg)?;
    documents::DocumentList::export_all(&cfg)?;
    documents::DocumentView::export_all(&cfg)?;
    members::MemberView::export_all(&cfg)?;
    identity::IdentityView::export_all(&cfg)?;
    crate::search::Hit::export_all(&cfg)?;
    crate::actions::signoff::SignoffOutcome::export_all(&cfg)?;
    crate::actions::signoff::DraftCheck::export_all(&cfg)?;
    crate::signoff::Decision::export_all(&cfg)?;
    crate::signoff::ItemState::export_all(&cfg)?;
    verify::VerifyView::export_all(&cfg)?;
    proposals::ProposalList::export_all(&cfg)?;
    proposals::ProposalDetail::export_all(&cfg)?;
    proposals::FilePreview::export_all(&cfg)?;
    inbox::Inbox::export_all(&cfg)?;
    crate::actions::proposal::ProposalOutcome::export_all(&cfg)?;
    crate::proposal::VoteKind::export_all(&cfg)?;
    crate::signing::SignatureStatus::export_all(&cfg)?;
    crate::signing::KeyOrigin::export_all(&cfg)?;
    crate::sync::remote::RemoteStatus::export_all(&cfg)?;
    crate::sync::SyncOutcome::export_all(&cfg)?;
    crate::sync::Keep::export_all(&cfg)?;
    crate::sync::FetchOutcome::export_all(&cfg)?;
    crate::repro::ReproCheck::export_all(&cfg)?;
    Ok(())
}
