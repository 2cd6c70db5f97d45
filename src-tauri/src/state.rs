//! What the shell holds between commands: the open repository's folder and the acting member.
//! A `Governance` is opened afresh by each command (a few milliseconds), so every command sees
//! `main` as it is now, whoever moved it.

use std::path::PathBuf;
use std::sync::Mutex;

use gatehouse::Governance;

use crate::error::{ApiError, ApiResult};
use crate::prefs::Applied;
use crate::recent::Recent;
use crate::signing::{KeyEnvironment, Keyring};

#[derive(Debug, Clone)]
pub struct Session {
    pub path: PathBuf,
    /// The member chosen in the app (or by `GATEHOUSE_MEMBER`); else git's `user.email` decides.
    pub member: Option<String>,
}

pub struct AppState {
    /// The app's data folder: the sample consortium and the recent list live here.
    pub data_dir: PathBuf,
    pub recent: Recent,
    /// The folder given on the command line or in `GATEHOUSE_REPO`, opened at start.
    pub start_repo: Option<PathBuf>,
    /// `GATEHOUSE_MEMBER`: the acting member in every repository opened.
    pub env_member: Option<String>,
    /// `GATEHOUSE_READY_FILE`: written when the first board is interactive (benchmarks).
    pub ready_file: Option<PathBuf>,
    /// Signing keys, unlocked at most once per session.
    pub keyring: Keyring,
    /// What this run does about WebKitGTK's compositing (decided before the window existed).
    pub compositing: Applied,
    session: Mutex<Option<Session>>,
}

impl AppState {
    pub fn new(
        data_dir: PathBuf,
        start_repo: Option<PathBuf>,
        env_member: Option<String>,
        ready_file: Option<PathBuf>,
        keys: KeyEnvironment,
        compositing: Applied,
    ) -> AppState {
        AppState {
            compositing,
            keyring: Keyring::new(keys),
            recent: Recent::new(&data_dir),
            data_dir,
            start_repo,
            env_member,
            ready_file,
            session: Mutex::new(None),
        }
    }

    pub fn session(&self) -> ApiResult<Session> {
        self.session.lock().expect("no command panics holding the session").clone().ok_or_else(ApiError::no_repository)
    }

    pub fn set_session(&self, session: Session) {
        *self.session.lock().expect("no command panics holding the session") = Some(session);
    }

    pub fn set_member(&self, member: Option<String>) -> ApiResult<Session> {
        let mut guard = self.session.lock().expect("no command panics holding the session");
        let session = guard.as_mut().ok_or_else(ApiError::no_repository)?;
        session.member = member;
        Ok(session.clone())
    }

    /// The open repository, opened now.
    pub fn open(&self) -> ApiResult<(Governance, Session)> {
        let session = self.session()?;
        let gov = Governance::open(&session.path)?;
        Ok((gov, session))
    }
}
