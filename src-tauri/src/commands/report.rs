//! Audit reports: where one goes by default, the HTML preview, and an export in one format or
//! as a bundle folder. The report is the library's (`gatehouse::report`); the shell picks the
//! default folder, passes the PDF typesetter, and streams the build's progress to the dialog.
//!
//! A report describes one commit, so what the preview built is kept (the last one only) and
//! the export that usually follows writes it without building it again: a model's report runs
//! verify over the history, which takes seconds on a large record.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use gatehouse::error::{Error, Input};
use gatehouse::progress::Progress;
use gatehouse::report::{self, Format, Options, Report, Scope};
use gatehouse::Governance;
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};

use crate::error::ApiResult;
use crate::progress::ProgressEvent;
use crate::state::AppState;

/// What a report describes, as the window names it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ReportScope {
    Model { id: String },
    Consortium,
    Proposal { id: String },
}

impl ReportScope {
    fn scope(&self) -> Scope {
        match self {
            ReportScope::Model { id } => Scope::Model(id.clone()),
            ReportScope::Consortium => Scope::Consortium,
            ReportScope::Proposal { id } => Scope::Proposal(id.clone()),
        }
    }
}

/// The commit a revision names, and the folder a report goes to unless the user says otherwise.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ReportTarget {
    /// The full commit id.
    pub commit: String,
    pub summary: String,
    /// The committer time (the report's date), seconds since the epoch.
    #[ts(type = "number")]
    pub time: i64,
    /// The user's Downloads folder, else their home folder (empty when neither is known).
    pub folder: String,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Exported {
    /// The file, or the bundle's folder.
    pub path: String,
    /// The commit the report describes.
    pub commit: String,
    /// The file's size; for a bundle, the size of every file in it.
    #[ts(type = "number")]
    pub bytes: u64,
    /// 1 for a file; the number of files in a bundle.
    pub files: u32,
}

/// The last report built.
#[derive(Default)]
pub struct ReportCache(Mutex<Option<Cached>>);

/// A report and what names it: the repository, the commit and the scope.
pub struct Cached {
    key: (PathBuf, git2::Oid, ReportScope),
    report: Arc<Report>,
}

/// The library's progress, sent to the window over the channel the command was given.
struct ChannelProgress {
    channel: Channel<ProgressEvent>,
    event: ProgressEvent,
    last: std::time::Instant,
}

impl ChannelProgress {
    fn new(channel: Channel<ProgressEvent>) -> Self {
        let event = ProgressEvent { task: String::new(), done: 0, total: 0, finished: false };
        ChannelProgress { channel, event, last: std::time::Instant::now() }
    }

    fn send(&mut self, finished: bool) {
        self.event.finished = finished;
        // A closed window is no reason to stop the work.
        let _ = self.channel.send(self.event.clone());
    }
}

impl Progress for ChannelProgress {
    fn begin(&mut self, what: &str, total: u64) {
        self.event = ProgressEvent { task: what.to_string(), done: 0, total, finished: false };
        self.send(false);
    }

    fn advance(&mut self, steps: u64) {
        self.event.done += steps;
        // A moving bar needs ~20 updates a second, not one per model.
        if self.last.elapsed() >= std::time::Duration::from_millis(50) {
            self.last = std::time::Instant::now();
            self.send(false);
        }
    }

    fn end(&mut self) {
        self.send(true);
    }
}

/// The report of `scope` at `revision`, from the cache when it holds that one.
fn build(
    state: &AppState,
    cache: &ReportCache,
    scope: &ReportScope,
    revision: Option<&str>,
    progress: &mut dyn Progress,
) -> ApiResult<(Governance, Arc<Report>)> {
    let (gov, _) = state.open()?;
    let commit = report::resolve(&gov, revision)?;
    let key = (gov.root().to_path_buf(), commit, scope.clone());
    // A build that panicked left the slot as it was: still a consistent cache.
    let mut slot = cache.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(cached) = slot.as_ref().filter(|c| c.key == key) {
        return Ok((gov, cached.report.clone()));
    }
    // Building under the lock: a second request for the same report waits for this one.
    let built = Arc::new(report::build(&gov, commit, &scope.scope(), &Options::default(), progress)?);
    *slot = Some(Cached { key, report: built.clone() });
    Ok((gov, built))
}

/// Typesets a report as PDF (with the JSON report attached).
fn pdf(report: &Report) -> gatehouse::Result<Vec<u8>> {
    gatehouse_pdf::render(report).map_err(|e| Error::Render { format: "PDF", message: e.to_string() })
}

/// An output path from the window: a full path, since the app's working folder means nothing
/// to the user.
fn output_path(output: &str) -> ApiResult<PathBuf> {
    let path = PathBuf::from(output.trim());
    if !path.is_absolute() {
        return Err(Error::invalid(Input::Output, format!("{output:?} is not a full path; give the folder too")).into());
    }
    Ok(path)
}

/// A file the report can go to, checked before the work of making it (a consortium-wide PDF
/// takes seconds).
fn output_file(output: &str) -> ApiResult<PathBuf> {
    let path = output_path(output)?;
    report::check_output(&path)?;
    Ok(path)
}

/// The folder a report goes to by default: Downloads if there is one, else home.
fn default_folder(app: &AppHandle) -> String {
    let paths = app.path();
    [paths.download_dir(), paths.home_dir()]
        .into_iter()
        .flatten()
        .find(|d| d.is_dir())
        .map(|d| d.display().to_string())
        .unwrap_or_default()
}

/// Every file under `dir` and their total size.
fn count_files(dir: &Path) -> (u32, u64) {
    let mut found = (0, 0);
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        match entry.file_type() {
            Ok(t) if t.is_dir() => {
                let (n, b) = count_files(&entry.path());
                found = (found.0 + n, found.1 + b);
            }
            Ok(_) => found = (found.0 + 1, found.1 + entry.metadata().map(|m| m.len()).unwrap_or(0)),
            Err(_) => {}
        }
    }
    found
}

/// The commit `revision` names (`null`: the tip of `main`) and the default folder.
#[tauri::command(async)]
pub fn report_target(app: AppHandle, state: State<'_, AppState>, revision: Option<String>) -> ApiResult<ReportTarget> {
    let (gov, _) = state.open()?;
    let id = report::resolve(&gov, revision.as_deref())?;
    let commit = gov.repo().find_commit(id).map_err(Error::from)?;
    let summary = commit.summary().unwrap_or_default().to_string();
    Ok(ReportTarget { commit: id.to_string(), summary, time: commit.time().seconds(), folder: default_folder(&app) })
}

/// The report as one HTML file (inert: no script, nothing fetched), for the preview.
#[tauri::command(async)]
pub fn report_preview(
    state: State<'_, AppState>,
    cache: State<'_, ReportCache>,
    scope: ReportScope,
    revision: Option<String>,
    progress: Channel<ProgressEvent>,
) -> ApiResult<String> {
    let (_, report) = build(&state, &cache, &scope, revision.as_deref(), &mut ChannelProgress::new(progress))?;
    Ok(report::html::render(&report))
}

/// Writes the report in `format` to the file `output`, whole or not at all.
#[tauri::command(async)]
pub fn report_export(
    state: State<'_, AppState>,
    cache: State<'_, ReportCache>,
    scope: ReportScope,
    revision: Option<String>,
    format: String,
    output: String,
    progress: Channel<ProgressEvent>,
) -> ApiResult<Exported> {
    let format = Format::parse(&format)
        .ok_or_else(|| Error::invalid(Input::Format, format!("{format:?} is not one of md, html, pdf, json, oscal")))?;
    let path = output_file(&output)?;
    let mut progress = ChannelProgress::new(progress);
    let (_, report) = build(&state, &cache, &scope, revision.as_deref(), &mut progress)?;
    progress.begin(&format!("writing the {} report", format.as_str()), 0);
    let bytes = report::render(&report, format, &pdf)?;
    report::write_file(&path, &bytes)?;
    progress.end();
    Ok(Exported {
        path: path.display().to_string(),
        commit: report.commit.id.clone(),
        bytes: bytes.len() as u64,
        files: 1,
    })
}

/// Writes the bundle (the report in every format, the evidence it cites, `SHA256SUMS`) into the
/// folder `output`, which must not exist or be empty.
#[tauri::command(async)]
pub fn report_export_bundle(
    state: State<'_, AppState>,
    cache: State<'_, ReportCache>,
    scope: ReportScope,
    revision: Option<String>,
    output: String,
    progress: Channel<ProgressEvent>,
) -> ApiResult<Exported> {
    let dir = output_path(&output)?;
    // A folder that cannot take the bundle is named before the work of making one.
    report::bundle::target(&dir)?;
    let mut progress = ChannelProgress::new(progress);
    let (gov, report) = build(&state, &cache, &scope, revision.as_deref(), &mut progress)?;
    progress.begin("writing the bundle", Format::ALL.len() as u64);
    let mut rendered = Vec::new();
    for format in Format::ALL {
        rendered.push((format, report::render(&report, format, &pdf)?));
        progress.advance(1);
    }
    report::bundle::write(&gov, &report, &rendered, &dir)?;
    progress.end();
    let (files, bytes) = count_files(&dir);
    Ok(Exported { path: dir.display().to_string(), commit: report.commit.id.clone(), bytes, files })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_names_a_scope_by_kind_and_id() {
        let s: ReportScope = serde_json::from_str(r#"{"kind":"model","id":"tpc-science-34b"}"#).unwrap();
        assert_eq!(s.scope(), Scope::Model("tpc-science-34b".into()));
        let s: ReportScope = serde_json::from_str(r#"{"kind":"consortium"}"#).unwrap();
        assert_eq!(s.scope(), Scope::Consortium);
    }

    #[test]
    fn an_output_path_must_be_full_and_names_the_output_field_when_not() {
        let e = output_path("report.html").unwrap_err();
        assert_eq!((e.code, e.field), (gatehouse::error::ErrorCode::InvalidArgument, Some(Input::Output)));
        assert!(e.message.starts_with("output: "), "{}", e.message);
        assert!(output_path("/tmp/report.html").is_ok());
    }

    #[test]
    fn a_file_in_a_folder_that_does_not_exist_is_refused_before_any_work() {
        let dir = std::env::temp_dir().join(format!("gatehouse-report-output-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let e = output_file(dir.join("nope/report.html").to_str().unwrap()).unwrap_err();
        assert_eq!(e.field, Some(Input::Output));
        assert!(e.message.contains("does not exist"), "{}", e.message);
        let e = output_file(dir.to_str().unwrap()).unwrap_err();
        assert!(e.message.contains("is a folder"), "{}", e.message);
        assert!(output_file(dir.join("report.html").to_str().unwrap()).is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
