//! Errors of the library. Every error says which file, line or input is at fault, and carries
//! a stable `code` the front ends branch on (never on message text). Messages are plain words:
//! the library knows no flags and no form fields, so an input at fault is data (`Input`), and
//! each front end names it its own way (`--item` on the command line, "checklist item" in the
//! app).

use std::path::PathBuf;

/// Which input of an action was wrong, or is wanted. Front ends name it in their own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum Input {
    /// The acting member, or the founding member of a new record.
    Member,
    /// A member's organisation.
    Organisation,
    /// An owner given for a new model.
    Owner,
    Model,
    Gate,
    Policy,
    /// A policy or checklist asked for by kind and id.
    Document,
    /// A checklist item of a sign-off.
    Item,
    /// An evidence file: on the caller's disk, or in a model's folder.
    Evidence,
    /// A sign-off's comment (and, for the size of the file, its notes).
    Comment,
    /// A model card on the caller's disk.
    Card,
    /// A sign-off's decision.
    Decision,
    /// The signing key.
    Key,
    /// The folder a record is created or cloned into.
    Folder,
    /// The address a record is cloned from.
    Url,
    /// A search.
    Query,
    /// The time an action is recorded at.
    Time,
    /// A person's full name.
    Name,
    Email,
    /// A policy proposal's id.
    Proposal,
    /// A proposal's title.
    Title,
    /// The branch (or commit) that holds a proposal's change.
    Branch,
    /// A vote on a proposal.
    Vote,
    /// A proposal's rationale.
    Rationale,
    /// A file of the framework a proposal changes (its path, or its new content).
    File,
    /// A revision of the record a report describes (a commit id, branch or tag).
    Revision,
    /// The file or folder a report is written to.
    Output,
    /// A report's format.
    Format,
    /// A git remote's name, or its URL.
    Remote,
    /// Whose version of a file both sides of a sync changed stands.
    Keep,
}

impl Input {
    pub const ALL: [Input; 30] = [
        Input::Member,
        Input::Organisation,
        Input::Owner,
        Input::Model,
        Input::Gate,
        Input::Policy,
        Input::Document,
        Input::Item,
        Input::Evidence,
        Input::Comment,
        Input::Card,
        Input::Decision,
        Input::Key,
        Input::Folder,
        Input::Url,
        Input::Query,
        Input::Time,
        Input::Name,
        Input::Email,
        Input::Proposal,
        Input::Title,
        Input::Branch,
        Input::Vote,
        Input::Rationale,
        Input::File,
        Input::Revision,
        Input::Output,
        Input::Format,
        Input::Remote,
        Input::Keep,
    ];

    /// The input in plain words, for a reader who has no front end's words for it.
    pub fn noun(self) -> &'static str {
        match self {
            Input::Member => "member",
            Input::Organisation => "organisation",
            Input::Owner => "owner",
            Input::Model => "model",
            Input::Gate => "gate",
            Input::Policy => "policy",
            Input::Document => "document",
            Input::Item => "checklist item",
            Input::Evidence => "evidence file",
            Input::Comment => "comment",
            Input::Card => "model card",
            Input::Decision => "decision",
            Input::Key => "signing key",
            Input::Folder => "folder",
            Input::Url => "repository URL",
            Input::Query => "search",
            Input::Time => "time",
            Input::Name => "name",
            Input::Email => "email",
            Input::Proposal => "proposal",
            Input::Title => "title",
            Input::Branch => "branch",
            Input::Vote => "vote",
            Input::Rationale => "rationale",
            Input::File => "framework file",
            Input::Revision => "revision",
            Input::Output => "output",
            Input::Format => "report format",
            Input::Remote => "remote",
            Input::Keep => "version to keep",
        }
    }
}

impl std::fmt::Display for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.noun())
    }
}

/// Every code a front end can report, as one type: the UI's TypeScript union is generated from
/// it, so a code the UI does not handle fails its type check. The strings are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    /// An input is wrong; `Error::input` says which.
    InvalidArgument,
    /// A file cannot be understood; the message names it and the line.
    MalformedFile,
    NotFound,
    /// The folder is no governance repository (no git, no `main`, no consortium.toml).
    NotGovernanceRepository,
    /// Refused: the acting member is not in consortium.toml.
    NotMember,
    /// Refused: the member lacks the role the gate's signers need.
    MissingRole,
    /// Refused: an independent gate, signed from the model's own organisation.
    OwnOrganisation,
    /// Refused: the gates this one requires have not passed.
    GateLocked,
    /// Refused: only a model's owners may change it.
    NotOwner,
    /// Refused: it is already recorded.
    Exists,
    /// Refused: the consortium requires signed commits and no key was given.
    SigningRequired,
    /// Refused: the key is not one of the acting member's keys in consortium.toml.
    KeyNotListed,
    /// Refused: the proposal was accepted, withdrawn or rejected.
    ProposalClosed,
    /// Refused: only the proposal's author may do this.
    NotAuthor,
    /// Refused: the approvals on the current subject do not reach the quorum.
    QuorumNotReached,
    /// Refused: an objection stands on the current subject.
    StandingObjection,
    /// Refused: the final comment period has not ended.
    CommentPeriod,
    /// Refused: main changed the proposal's files since its branch was cut.
    MainMoved,
    /// Refused: a rejection needs a standing objection.
    NoObjection,
    /// Refused: a request for changes or a rejection of a gate says nothing about why.
    CommentRequired,
    /// Refused: the member has no sign-off on the gate to withdraw (none, or withdrawn already).
    NothingToWithdraw,
    /// The key is protected: ask for its passphrase and try again.
    PassphraseRequired,
    BadPassphrase,
    KeyUnreadable,
    /// The key lives in an ssh-agent that is not running or does not hold it.
    AgentUnavailable,
    KeyUnusable,
    /// `main` kept moving while writing.
    Contention,
    Git,
    Index,
    Io,
    /// A report could not be typeset (the PDF renderer failed).
    RenderFailed,
    /// Refused: the remote's new commits break the rules (verify's findings say how).
    IncomingBreach,
    /// Refused: the remote's `main` no longer holds commits it held at the last sync.
    RemoteRewritten,
    /// Refused: the remote holds another consortium's record (no commit in common).
    OtherConsortium,
    /// Refused: both sides changed the same files differently; nothing was merged.
    SyncConflict,
    /// The remote cannot be reached: no such host, repository or path, or the network failed.
    RemoteUnreachable,
    /// The remote asked for credentials that were missing or wrong.
    RemoteAuthentication,
    /// The remote refused the push (a hook, a protected branch, no write access).
    PushRejected,
    /// A front end's own: no acting member is chosen (the app's sign-off form and `sign`).
    NoMember,
    /// The app's own: no repository is open.
    NoRepository,
    /// The app's own: the request failed outside the record (the IPC layer, a bug).
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 41] = [
        ErrorCode::InvalidArgument,
        ErrorCode::MalformedFile,
        ErrorCode::NotFound,
        ErrorCode::NotGovernanceRepository,
        ErrorCode::NotMember,
        ErrorCode::MissingRole,
        ErrorCode::OwnOrganisation,
        ErrorCode::GateLocked,
        ErrorCode::NotOwner,
        ErrorCode::Exists,
        ErrorCode::SigningRequired,
        ErrorCode::KeyNotListed,
        ErrorCode::ProposalClosed,
        ErrorCode::NotAuthor,
        ErrorCode::QuorumNotReached,
        ErrorCode::StandingObjection,
        ErrorCode::CommentPeriod,
        ErrorCode::MainMoved,
        ErrorCode::NoObjection,
        ErrorCode::CommentRequired,
        ErrorCode::NothingToWithdraw,
        ErrorCode::PassphraseRequired,
        ErrorCode::BadPassphrase,
        ErrorCode::KeyUnreadable,
        ErrorCode::AgentUnavailable,
        ErrorCode::KeyUnusable,
        ErrorCode::Contention,
        ErrorCode::Git,
        ErrorCode::Index,
        ErrorCode::Io,
        ErrorCode::RenderFailed,
        ErrorCode::IncomingBreach,
        ErrorCode::RemoteRewritten,
        ErrorCode::OtherConsortium,
        ErrorCode::SyncConflict,
        ErrorCode::RemoteUnreachable,
        ErrorCode::RemoteAuthentication,
        ErrorCode::PushRejected,
        ErrorCode::NoMember,
        ErrorCode::NoRepository,
        ErrorCode::Internal,
    ];

    /// The stable string, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidArgument => "invalid-argument",
            ErrorCode::MalformedFile => "malformed-file",
            ErrorCode::NotFound => "not-found",
            ErrorCode::NotGovernanceRepository => "not-governance-repository",
            ErrorCode::NotMember => "not-member",
            ErrorCode::MissingRole => "missing-role",
            ErrorCode::OwnOrganisation => "own-organisation",
            ErrorCode::GateLocked => "gate-locked",
            ErrorCode::NotOwner => "not-owner",
            ErrorCode::Exists => "exists",
            ErrorCode::SigningRequired => "signing-required",
            ErrorCode::KeyNotListed => "key-not-listed",
            ErrorCode::ProposalClosed => "proposal-closed",
            ErrorCode::NotAuthor => "not-author",
            ErrorCode::QuorumNotReached => "quorum-not-reached",
            ErrorCode::StandingObjection => "standing-objection",
            ErrorCode::CommentPeriod => "comment-period",
            ErrorCode::MainMoved => "main-moved",
            ErrorCode::NoObjection => "no-objection",
            ErrorCode::CommentRequired => "comment-required",
            ErrorCode::NothingToWithdraw => "nothing-to-withdraw",
            ErrorCode::PassphraseRequired => "passphrase-required",
            ErrorCode::BadPassphrase => "bad-passphrase",
            ErrorCode::KeyUnreadable => "key-unreadable",
            ErrorCode::AgentUnavailable => "agent-unavailable",
            ErrorCode::KeyUnusable => "key-unusable",
            ErrorCode::Contention => "contention",
            ErrorCode::Git => "git",
            ErrorCode::Index => "index",
            ErrorCode::Io => "io",
            ErrorCode::NoMember => "no-member",
            ErrorCode::NoRepository => "no-repository",
            ErrorCode::Internal => "internal",
            ErrorCode::RenderFailed => "render-failed",
            ErrorCode::IncomingBreach => "incoming-breach",
            ErrorCode::RemoteRewritten => "remote-rewritten",
            ErrorCode::OtherConsortium => "other-consortium",
            ErrorCode::SyncConflict => "sync-conflict",
            ErrorCode::RemoteUnreachable => "remote-unreachable",
            ErrorCode::RemoteAuthentication => "remote-authentication",
            ErrorCode::PushRejected => "push-rejected",
        }
    }

    /// Refusals by the rules of the record (exit 1), as opposed to input the caller can mend
    /// and failures (exit 2): the codes of `Refusal`s.
    pub fn is_refusal(self) -> bool {
        Refusal::ALL.iter().any(|r| r.code() == self)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

// The strings are the contract (scripts read `--json` errors), so comparing with one is fine.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

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
    ProposalClosed,
    NotAuthor,
    QuorumNotReached,
    StandingObjection,
    CommentPeriod,
    MainMoved,
    NoObjection,
    /// A sign-off that requests changes or rejects, without a comment.
    CommentRequired,
    /// A withdrawal with no sign-off of the member's standing on the gate.
    NothingToWithdraw,
    /// A sync: the remote's new commits break the rules.
    IncomingBreach,
    /// A sync: the remote dropped commits it held before.
    RemoteRewritten,
    /// A sync: the remote is another consortium's record.
    OtherConsortium,
    /// A sync: both sides changed the same files differently.
    SyncConflict,
}

impl Refusal {
    pub const ALL: [Refusal; 21] = [
        Refusal::NotMember,
        Refusal::MissingRole,
        Refusal::OwnOrganisation,
        Refusal::GateLocked,
        Refusal::NotOwner,
        Refusal::Exists,
        Refusal::SigningRequired,
        Refusal::KeyNotListed,
        Refusal::ProposalClosed,
        Refusal::NotAuthor,
        Refusal::QuorumNotReached,
        Refusal::StandingObjection,
        Refusal::CommentPeriod,
        Refusal::MainMoved,
        Refusal::NoObjection,
        Refusal::CommentRequired,
        Refusal::NothingToWithdraw,
        Refusal::IncomingBreach,
        Refusal::RemoteRewritten,
        Refusal::OtherConsortium,
        Refusal::SyncConflict,
    ];

    pub fn code(self) -> ErrorCode {
        match self {
            Refusal::NotMember => ErrorCode::NotMember,
            Refusal::MissingRole => ErrorCode::MissingRole,
            Refusal::OwnOrganisation => ErrorCode::OwnOrganisation,
            Refusal::GateLocked => ErrorCode::GateLocked,
            Refusal::NotOwner => ErrorCode::NotOwner,
            Refusal::Exists => ErrorCode::Exists,
            Refusal::SigningRequired => ErrorCode::SigningRequired,
            Refusal::KeyNotListed => ErrorCode::KeyNotListed,
            Refusal::ProposalClosed => ErrorCode::ProposalClosed,
            Refusal::NotAuthor => ErrorCode::NotAuthor,
            Refusal::QuorumNotReached => ErrorCode::QuorumNotReached,
            Refusal::StandingObjection => ErrorCode::StandingObjection,
            Refusal::CommentPeriod => ErrorCode::CommentPeriod,
            Refusal::MainMoved => ErrorCode::MainMoved,
            Refusal::NoObjection => ErrorCode::NoObjection,
            Refusal::CommentRequired => ErrorCode::CommentRequired,
            Refusal::NothingToWithdraw => ErrorCode::NothingToWithdraw,
            Refusal::IncomingBreach => ErrorCode::IncomingBreach,
            Refusal::RemoteRewritten => ErrorCode::RemoteRewritten,
            Refusal::OtherConsortium => ErrorCode::OtherConsortium,
            Refusal::SyncConflict => ErrorCode::SyncConflict,
        }
    }

    /// The input that would lift the refusal if the caller gave it; each front end says how
    /// (a flag, a screen).
    pub fn wants(self) -> Option<Input> {
        match self {
            Refusal::SigningRequired => Some(Input::Key),
            Refusal::SyncConflict => Some(Input::Keep),
            Refusal::CommentRequired => Some(Input::Comment),
            _ => None,
        }
    }
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
    pub fn code(self) -> ErrorCode {
        match self {
            SigningProblem::PassphraseRequired => ErrorCode::PassphraseRequired,
            SigningProblem::BadPassphrase => ErrorCode::BadPassphrase,
            SigningProblem::KeyUnreadable => ErrorCode::KeyUnreadable,
            SigningProblem::AgentUnavailable => ErrorCode::AgentUnavailable,
            SigningProblem::KeyUnusable => ErrorCode::KeyUnusable,
        }
    }
}

/// Why a remote could not be used (exit 2: the network, the address or the credentials).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoteProblem {
    Unreachable,
    Authentication,
    PushRejected,
}

impl RemoteProblem {
    pub fn code(self) -> ErrorCode {
        match self {
            RemoteProblem::Unreachable => ErrorCode::RemoteUnreachable,
            RemoteProblem::Authentication => ErrorCode::RemoteAuthentication,
            RemoteProblem::PushRejected => ErrorCode::PushRejected,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input given by the caller is wrong (exit 2). `message` does not name the input:
    /// front ends do, from `input`.
    #[error("{input}: {message}")]
    InvalidArgument { input: Input, message: String },
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
    /// A report could not be rendered in `format` (exit 2).
    #[error("the {format} report could not be made: {message}")]
    Render { format: &'static str, message: String },
    /// A git remote failed (exit 2). `message` is git's own, without credentials.
    #[error("{remote}: {message}")]
    Remote { remote: String, problem: RemoteProblem, message: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(input: Input, message: impl Into<String>) -> Self {
        Error::InvalidArgument { input, message: message.into() }
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
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidArgument { .. } => ErrorCode::InvalidArgument,
            Error::Malformed(_) => ErrorCode::MalformedFile,
            Error::Refused { reason, .. } => reason.code(),
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::NotGovernance { .. } => ErrorCode::NotGovernanceRepository,
            Error::Signing { problem, .. } => problem.code(),
            Error::Contention { .. } => ErrorCode::Contention,
            Error::Git(_) => ErrorCode::Git,
            Error::Index(_) => ErrorCode::Index,
            Error::Io { .. } => ErrorCode::Io,
            Error::Render { .. } => ErrorCode::RenderFailed,
            Error::Remote { problem, .. } => problem.code(),
        }
    }

    /// The input at fault, or the one that would lift a refusal: for a front end to name it
    /// (`--key FILE`) or point at its field.
    pub fn input(&self) -> Option<Input> {
        match self {
            Error::InvalidArgument { input, .. } => Some(*input),
            Error::Refused { reason, .. } => reason.wants(),
            Error::Signing { .. } => Some(Input::Key),
            _ => None,
        }
    }

    /// True for refusals by the rules (exit 1), false for bad input and failures (exit 2).
    pub fn is_refusal(&self) -> bool {
        matches!(self, Error::Refused { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_their_stable_strings_and_every_one_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str(), "{code:?}");
            assert_eq!(serde_json::from_value::<ErrorCode>(code.as_str().into()).unwrap(), code);
            assert!(seen.insert(code.as_str()), "{code:?} is listed twice");
        }
        let mut inputs = std::collections::HashSet::new();
        for input in Input::ALL {
            assert!(inputs.insert(serde_json::to_string(&input).unwrap()), "{input:?} is listed twice");
            assert!(!input.noun().is_empty() && input.noun().chars().all(|c| c.is_alphabetic() || c == ' '));
        }
    }

    #[test]
    fn refusals_and_only_refusals_exit_1() {
        let refusals = Refusal::ALL;
        for reason in refusals {
            let e = Error::refused(reason, "no");
            assert!(e.is_refusal() && e.code().is_refusal(), "{reason:?}");
        }
        let refusing: Vec<ErrorCode> = ErrorCode::ALL.into_iter().filter(|c| c.is_refusal()).collect();
        assert_eq!(refusing, refusals.map(Refusal::code), "every refusal code comes from a Refusal");
        assert!(!Error::invalid(Input::Item, "x").code().is_refusal());
    }

    #[test]
    fn an_invalid_input_is_named_in_plain_words_and_carried_as_data() {
        let e = Error::invalid(Input::Item, "\"x\" is not an item of gate intake");
        assert_eq!(e.to_string(), "checklist item: \"x\" is not an item of gate intake");
        assert_eq!((e.code(), e.input()), (ErrorCode::InvalidArgument, Some(Input::Item)));
        let unsigned = Error::refused(Refusal::SigningRequired, "signing is required");
        assert_eq!(unsigned.input(), Some(Input::Key), "the key is what would lift it");
        assert_eq!(Error::refused(Refusal::GateLocked, "locked").input(), None);
    }
}
