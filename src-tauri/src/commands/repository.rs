//! Opening, creating and cloning repositories; the sample; the recent list.

use std::path::{Path, PathBuf};

use gatehouse::actions::{clone, init, sample};
use gatehouse::index::Index;
use gatehouse::{consortium, Governance};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};

use crate::error::{ApiError, ApiResult};
use crate::progress::EventProgress;
use crate::recent::RecentRepo;
use crate::state::{AppState, Session};

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct OpenedRepo {
    pub path: String,
    pub name: String,
    pub head: String,
    /// True for the built-in sample consortium.
    pub sample: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct StartInfo {
    /// The repository opened at start, if any could be.
    pub opened: Option<OpenedRepo>,
    pub recent: Vec<RecentRepo>,
    /// Why the repository asked for at start could not be opened.
    pub error: Option<ApiError>,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct CreateRequest {
    pub dir: String,
    /// The consortium's name.
    pub name: String,
    /// The founding member.
    pub member_id: String,
    pub member_name: String,
    pub email: String,
    pub org: String,
}

fn sample_dir(state: &AppState) -> PathBuf {
    state.data_dir.join("sample")
}

/// Makes `gov` the open repository: indexes it (with progress), remembers it, starts watching.
fn activate(app: &AppHandle, state: &AppState, gov: Governance) -> ApiResult<OpenedRepo> {
    let mut progress = EventProgress::new(app);
    progress.announce("opening");
    crate::startup::mark("index: opening (catching up with main)");
    let index = Index::open(&gov, &mut progress)?;
    crate::startup::mark("index: up to date");
    let head = index.indexed_head()?.map(|h| h.to_string()).unwrap_or_default();
    drop(index);
    let tree = gov.tree_of(gov.head()?)?;
    let name = gatehouse::record::load_consortium(gov.repo(), &tree)
        .map(|c| c.name)
        .unwrap_or_else(|_| consortium::PATH.to_string());
    let path = gov.root().to_path_buf();
    let remembered = state.recent.list().into_iter().find(|r| Path::new(&r.path) == path).and_then(|r| r.member);
    let member = state.env_member.clone().or(remembered);
    state.recent.remember(RecentRepo { path: path.display().to_string(), name: name.clone(), member: member.clone() });
    state.set_session(Session { path: path.clone(), member });
    Ok(OpenedRepo { sample: path.starts_with(sample_dir(state)), path: path.display().to_string(), name, head })
}

/// The sample, created from the embedded framework on first use.
fn sample(app: &AppHandle, state: &AppState) -> ApiResult<OpenedRepo> {
    let dir = sample_dir(state);
    let gov = match Governance::open(&dir) {
        Ok(gov) => gov,
        Err(_) if !dir.exists() => {
            EventProgress::new(app).announce("creating the sample consortium");
            sample::create(&dir)?
        }
        Err(e) => return Err(e.into()),
    };
    activate(app, state, gov)
}

/// Opens what the command line or `GATEHOUSE_REPO` named, else the last repository used,
/// else the sample.
#[tauri::command(async)]
pub fn app_start(app: AppHandle, state: State<'_, AppState>) -> ApiResult<StartInfo> {
    crate::startup::mark("app_start called");
    let (opened, error) = if let Some(path) = &state.start_repo {
        match Governance::open(path).map_err(ApiError::from).and_then(|g| activate(&app, &state, g)) {
            Ok(o) => (Some(o), None),
            Err(e) => (None, Some(e)),
        }
    } else {
        let last = state.recent.list().into_iter().next().and_then(|r| Governance::open(Path::new(&r.path)).ok());
        match last {
            Some(gov) => (Some(activate(&app, &state, gov)?), None),
            None => (Some(sample(&app, &state)?), None),
        }
    };
    crate::startup::mark("app_start answers");
    Ok(StartInfo { opened, recent: state.recent.list(), error })
}

#[tauri::command(async)]
pub fn open_repository(app: AppHandle, state: State<'_, AppState>, path: String) -> ApiResult<OpenedRepo> {
    activate(&app, &state, Governance::open(Path::new(&path))?)
}

#[tauri::command(async)]
pub fn open_sample(app: AppHandle, state: State<'_, AppState>) -> ApiResult<OpenedRepo> {
    sample(&app, &state)
}

#[tauri::command(async)]
pub fn create_repository(app: AppHandle, state: State<'_, AppState>, request: CreateRequest) -> ApiResult<OpenedRepo> {
    let gov = init::init(&init::InitRequest {
        dir: PathBuf::from(&request.dir),
        name: request.name,
        founder: consortium::Member {
            id: request.member_id,
            name: request.member_name,
            email: request.email,
            org: request.org,
            roles: vec![],
            keys: vec![],
        },
        at: crate::now(),
    })?;
    activate(&app, &state, gov)
}

#[tauri::command(async)]
pub fn clone_repository(app: AppHandle, state: State<'_, AppState>, url: String, dir: String) -> ApiResult<OpenedRepo> {
    EventProgress::new(&app).announce("cloning");
    let gov = clone::clone(&url, Path::new(&dir))?;
    activate(&app, &state, gov)
}

#[tauri::command]
pub fn recent_repositories(state: State<'_, AppState>) -> Vec<RecentRepo> {
    state.recent.list()
}
