//! Errors as the UI receives them: a stable `code` to branch on and a message to show.

use serde::Serialize;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ApiError {
    /// `gatehouse::Error::code()` (`missing-role`, `gate-locked`, `not-found`, ...), or one of
    /// the shell's own: `no-repository`, `internal`.
    pub code: String,
    pub message: String,
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        ApiError { code: code.to_string(), message: message.into() }
    }

    pub fn no_repository() -> Self {
        ApiError::new("no-repository", "no governance repository is open")
    }
}

impl From<gatehouse::Error> for ApiError {
    fn from(e: gatehouse::Error) -> Self {
        ApiError { code: e.code().to_string(), message: e.to_string() }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
