//! Errors of the library. Every error says which file, line or argument is at fault, and
//! carries a stable `code` the front ends branch on (never on message text).

use std::path::PathBuf;

/// Where in the repository a problem sits: a path inside the tree and, when known, a line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub path: String,
    pub line: Option<usize>,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.path, line),
            None => write!(f, "{}", self.path),
        }
    }
}

/// A file that could not be understood. The rest of the repository still loads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, thiserror::Error)]
#[error("{location}: {message}")]
pub struct Malformed {
    pub location: Location,
    pub message: String,
}

impl Malformed {
    pub fn new(path: impl Into<String>, line: Option<usize>, message: impl Into<String>) -> Self {
        Malformed { location: Location { path: path.into(), line }, message: message.into() }
    }
}

/// Why an action was not allowed. These are the rules of the record, not mistakes in input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Refusal {
    NotMember,
    MissingRole,
    OwnOrganisation,
    GateLocked,
    NotOwner,
    Exists,
    SigningRequired,
    /// The key given is not one of the acting member's keys in consortium.toml.
    KeyNotListed,
}

/// Why a signing key cannot be used (exit 2: the caller can mend it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningProblem {
    /// The key is protected: ask the user for its passphrase and try again.
    PassphraseRequired,
    BadPassphrase,
    KeyUnreadable,
    /// The key lives in an ssh-agent that is not running or does not hold it.
    AgentUnavailable,
    KeyUnusable,
}

impl SigningProblem {
    pub fn code(self) -> &'static str {
        match self {
            SigningProblem::PassphraseRequired => "passphrase-required",
            SigningProblem::BadPassphrase => "bad-passphrase",
            SigningProblem::KeyUnreadable => "key-unreadable",
            SigningProblem::AgentUnavailable => "agent-unavailable",
            SigningProblem::KeyUnusable => "key-unusable",
        }
    }
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::NotMember => "not-member",
            Refusal::MissingRole => "missing-role",
            Refusal::OwnOrganisation => "own-organisation",
            Refusal::GateLocked => "gate-locked",
            Refusal::NotOwner => "not-owner",
            Refusal::Exists => "exists",
            Refusal::SigningRequired => "signing-required",
            Refusal::KeyNotListed => "key-not-listed",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An argument given by the caller is wrong (exit 2).
    #[error("{argument}: {message}")]
    InvalidArgument { argument: String, message: String },
    /// A file (in the repository or given by the caller) cannot be understood (exit 2).
    #[error(transparent)]
    Malformed(#[from] Malformed),
    /// The record's rules forbid the action (exit 1).
    #[error("{message}")]
    Refused { reason: Refusal, message: String },
    /// Something named does not exist (exit 2).
    #[error("{what} not found: {id}")]
    NotFound { what: &'static str, id: String },
    #[error("{path}: not a governance repository: {reason}")]
    NotGovernance { path: PathBuf, reason: String },
    /// The signing key cannot be used (exit 2).
    #[error("{message}")]
    Signing { problem: SigningProblem, message: String },
    #[error("main kept moving while writing; gave up after {attempts} attempts")]
    Contention { attempts: u32 },
    #[error("git: {0}")]
    Git(#[from] git2::Error),
    #[error("index: {0}")]
    Index(#[from] rusqlite::Error),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(argument: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidArgument { argument: argument.into(), message: message.into() }
    }

    pub fn refused(reason: Refusal, message: impl Into<String>) -> Self {
        Error::Refused { reason, message: message.into() }
    }

    pub fn signing(problem: SigningProblem, message: impl Into<String>) -> Self {
        Error::Signing { problem, message: message.into() }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    /// A stable, machine-readable code for front ends.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidArgument { .. } => "invalid-argument",
            Error::Malformed(_) => "malformed-file",
            Error::Refused { reason, .. } => reason.code(),
            Error::NotFound { .. } => "not-found",
            Error::NotGovernance { .. } => "not-governance-repository",
            Error::Signing { problem, .. } => problem.code(),
            Error::Contention { .. } => "contention",
            Error::Git(_) => "git",
            Error::Index(_) => "index",
            Error::Io { .. } => "io",
        }
    }

    /// True for refusals by the rules (exit 1), false for bad input and failures (exit 2).
    pub fn is_refusal(&self) -> bool {
        matches!(self, Error::Refused { .. })
    }
}
