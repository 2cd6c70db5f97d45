//! The record: the board, one model, signing, policies and checklists, history.

use gatehouse::actions::signoff::{signoff_with, DraftCheck, SignoffOutcome};
use gatehouse::error::ErrorCode;
use gatehouse::index::Index;
use gatehouse::record::{load_consortium, Framework};
use gatehouse::signing::FoundKey;
use gatehouse::views::board::{board as board_view, BoardView};
use gatehouse::views::documents::{self, DocumentList, DocumentView};
use gatehouse::views::eligibility::{
    check_form, eligibility as eligibility_view, for_model, Eligibility, GateEligibility, SignForm,
};
use gatehouse::views::evidence::{self, AttachEffect, EvidenceView, FormAttachment};
use gatehouse::views::history::{self, HistoryEntry, HistoryFacets, HistoryFilter};
use gatehouse::views::model::{model_detail, ModelDetail};
use gatehouse::views::verify::{verify_view, VerifyView};
use gatehouse::write::CommitSigner;
use gatehouse::Governance;
use tauri::{AppHandle, State};

use crate::commands::people::acting_member;
use crate::error::{ApiError, ApiResult};
use crate::progress::EventProgress;
use crate::state::{AppState, Session};

fn framework(gov: &Governance) -> ApiResult<(git2::Oid, Framework)> {
    let head = gov.head()?;
    Ok((head, Framework::load(gov.repo(), &gov.tree_of(head)?)?))
}

/// Runs `f` on the index brought up to date with `main` (rebuilt, with progress, if needed).
pub(crate) fn query<T>(app: &AppHandle, gov: &Governance, f: impl Fn(&Index) -> gatehouse::Result<T>) -> ApiResult<T> {
    Ok(Index::query(gov, &mut EventProgress::new(app), f)?)
}

#[tauri::command(async)]
pub fn board(app: AppHandle, state: State<'_, AppState>) -> ApiResult<BoardView> {
    crate::startup::mark("board called");
    let (gov, _) = state.open()?;
    // The board comes from the index; of the record itself only the consortium's name is needed.
    let consortium = load_consortium(gov.repo(), &gov.tree_of(gov.head()?)?)?;
    let view = query(&app, &gov, |index| board_view(index, &consortium.name));
    crate::startup::mark("board answers");
    view
}

#[tauri::command(async)]
pub fn model(app: AppHandle, state: State<'_, AppState>, id: String) -> ApiResult<ModelDetail> {
    let (gov, _) = state.open()?;
    let (head, fw) = framework(&gov)?;
    let commits = query(&app, &gov, |index| index.signoff_commits(&id))?;
    let tree = gov.tree_of(head)?;
    Ok(model_detail(gov.repo(), &tree, &head.to_string(), &fw, &id, &commits)?)
}

#[tauri::command(async)]
pub fn eligibility(state: State<'_, AppState>, model: String, gate: String) -> ApiResult<Eligibility> {
    let (gov, session) = state.open()?;
    let (head, fw) = framework(&gov)?;
    let (member, key) = member_and_key(&state, &gov, &session, &fw)?;
    let public = key.as_ref().map(|k| k.public_key());
    let tree = gov.tree_of(head)?;
    Ok(eligibility_view(gov.repo(), &tree, &fw, &model, &gate, member.as_deref(), public)?)
}

/// Every gate of `model` as its Sign button needs it: may the acting member sign it, and who may.
#[tauri::command(async)]
pub fn gate_eligibilities(state: State<'_, AppState>, model: String) -> ApiResult<Vec<GateEligibility>> {
    let (gov, session) = state.open()?;
    let (head, fw) = framework(&gov)?;
    let (member, key) = member_and_key(&state, &gov, &session, &fw)?;
    let public = key.as_ref().map(|k| k.public_key());
    let tree = gov.tree_of(head)?;
    Ok(for_model(gov.repo(), &tree, &fw, &model, member.as_deref(), public)?)
}

/// The acting member, and the key that would sign their commits, as eligibility judges them.
fn member_and_key(
    state: &AppState,
    gov: &Governance,
    session: &Session,
    fw: &Framework,
) -> ApiResult<(Option<String>, Option<FoundKey>)> {
    let member = acting_member(gov, session, fw);
    let key = match &member {
        Some(m) => state.keyring.find(gov, m)?,
        None => None,
    };
    Ok((member, key))
}

/// Whether the form's draft may be signed as it stands (an approval needs every item done or
/// not applicable), by the rule the commit applies, against the gate's checklist on `main`.
#[tauri::command(async)]
pub fn check_signoff_draft(state: State<'_, AppState>, form: SignForm) -> ApiResult<DraftCheck> {
    let (gov, _) = state.open()?;
    let (_, fw) = framework(&gov)?;
    Ok(check_form(&fw, &form)?)
}

/// Records a sign-off, signed with the acting member's key, adding the `attachments` (new
/// evidence) in the same commit. A protected key answers `passphrase-required` until the
/// window sends the passphrase.
#[tauri::command(async)]
pub fn sign(
    state: State<'_, AppState>,
    form: SignForm,
    passphrase: Option<String>,
    attachments: Option<Vec<FormAttachment>>,
) -> ApiResult<SignoffOutcome> {
    let at = crate::now();
    let attachments = evidence::read_attachments(&attachments.unwrap_or_default(), at)?;
    let (gov, session) = state.open()?;
    let (_, fw) = framework(&gov)?;
    let member = acting_member(&gov, &session, &fw)
        .ok_or_else(|| ApiError::new(ErrorCode::NoMember, "choose which member you are (Identity) before signing"))?;
    let signer = state.keyring.signer(&gov, &session.path, &member, passphrase)?;
    let signer = signer.as_deref().map(|s| s as &dyn CommitSigner);
    Ok(signoff_with(&gov, &form.into_request(member, at), &attachments, signer)?)
}

/// One evidence file of a model as `main` has it (docs/format.md, "Evidence").
#[tauri::command(async)]
pub fn evidence_file(state: State<'_, AppState>, model: String, path: String) -> ApiResult<EvidenceView> {
    let (gov, _) = state.open()?;
    let head = gov.head()?;
    let tree = gov.tree_of(head)?;
    Ok(evidence::open(gov.repo(), &tree, &head.to_string(), &model, &path)?)
}

/// The first pages of a PDF evidence file, each an SVG document for an `<img>` (where it can
/// run no script), and how many pages the file has.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct PdfPages {
    pub pages: Vec<String>,
    #[ts(type = "number")]
    pub total: usize,
}

/// How many pages of a PDF the viewer draws: enough to read a form or a short report; the
/// rest is one "Save a copy" away.
const PDF_PAGES: usize = 12;

/// A PDF evidence file of `main`, drawn page by page (`gatehouse_pdf::preview`).
#[tauri::command(async)]
pub fn evidence_pdf_pages(state: State<'_, AppState>, model: String, path: String) -> ApiResult<PdfPages> {
    let (gov, _) = state.open()?;
    let tree = gov.tree_of(gov.head()?)?;
    let rel = gatehouse::paths::evidence_path(gatehouse::error::Input::Evidence, &model, &path)?;
    let (bytes, _) = evidence::read_blob(gov.repo(), &tree, &model, &rel)?;
    let (pages, total) = gatehouse_pdf::preview::svg_pages(&bytes, PDF_PAGES)
        .map_err(|e| gatehouse::Error::Render { format: "PDF", message: format!("models/{model}/{rel}: {e}") })?;
    Ok(PdfPages { pages, total })
}

/// Writes a copy of an evidence file to `dest` (chosen in the save dialog), to open elsewhere.
#[tauri::command(async)]
pub fn save_evidence_copy(state: State<'_, AppState>, model: String, path: String, dest: String) -> ApiResult<()> {
    let (gov, _) = state.open()?;
    let tree = gov.tree_of(gov.head()?)?;
    Ok(evidence::save_copy(gov.repo(), &tree, &model, &path, std::path::Path::new(&dest))?)
}

/// What attaching evidence to a sign-off of `model` would do to its current sign-offs.
#[tauri::command(async)]
pub fn attach_effect(state: State<'_, AppState>, model: String) -> ApiResult<AttachEffect> {
    let (gov, _) = state.open()?;
    let (head, fw) = framework(&gov)?;
    let tree = gov.tree_of(head)?;
    Ok(evidence::attach_effect(gov.repo(), &tree, &fw, &model)?)
}

/// Checks the whole history of `main` (docs/format.md, "Verification"), with progress.
#[tauri::command(async)]
pub fn verify_record(app: AppHandle, state: State<'_, AppState>) -> ApiResult<VerifyView> {
    crate::startup::mark("verify called");
    let (gov, _) = state.open()?;
    let view = verify_view(&gov, &mut EventProgress::new(&app));
    crate::startup::mark("verify answers");
    crate::memory::release_freed();
    Ok(view?)
}

#[tauri::command(async)]
pub fn documents_list(state: State<'_, AppState>) -> ApiResult<DocumentList> {
    let (gov, _) = state.open()?;
    let (_, fw) = framework(&gov)?;
    Ok(documents::documents(&fw))
}

#[tauri::command(async)]
pub fn document(state: State<'_, AppState>, kind: String, id: String) -> ApiResult<DocumentView> {
    let (gov, _) = state.open()?;
    let (head, fw) = framework(&gov)?;
    Ok(documents::document(gov.repo(), head, &fw, &kind, &id)?)
}

#[tauri::command(async)]
pub fn history_entries(
    app: AppHandle,
    state: State<'_, AppState>,
    filter: HistoryFilter,
) -> ApiResult<Vec<HistoryEntry>> {
    let (gov, _) = state.open()?;
    query(&app, &gov, |index| history::history(gov.repo(), index, &filter))
}

#[tauri::command(async)]
pub fn history_facets(app: AppHandle, state: State<'_, AppState>) -> ApiResult<HistoryFacets> {
    let (gov, _) = state.open()?;
    query(&app, &gov, history::facets)
}
