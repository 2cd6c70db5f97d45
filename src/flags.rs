//! How the command line names the library's inputs. The library says which input was wrong
//! (`Input::Item`); only here does that become `--item`, so the app's reviewer never reads a
//! flag and the terminal's user always does.

use gatehouse::error::Input;
use gatehouse::Error;

/// The words of one command: most inputs are the same flag everywhere, but `model add MODEL`
/// and `show model MODEL` take the model as an argument where `signoff --model` and `status
/// --model` take a flag (and `show gate GATE` the gate).
#[derive(Debug, Clone, Copy, Default)]
pub struct Flags {
    model_argument: bool,
    gate_argument: bool,
    /// `remote add NAME URL` takes the remote as an argument where `sync --remote` a flag.
    remote_argument: bool,
    /// `signoff --attach` (or `--link`) gives new evidence where `--evidence` cites a file.
    attaching: bool,
    /// `show evidence MODEL PATH` takes the evidence file as an argument.
    evidence_argument: bool,
    /// `repro check --artifacts DIR` names the folder a check reads.
    artifacts_folder: bool,
}

impl Flags {
    pub fn of(command: &crate::Command) -> Flags {
        match command {
            crate::Command::Show(_) => {
                Flags { model_argument: true, gate_argument: true, evidence_argument: true, ..Flags::default() }
            }
            crate::Command::Attest(_) => Flags { model_argument: true, gate_argument: true, ..Flags::default() },
            crate::Command::Model(_) | crate::Command::Bom(_) | crate::Command::Estimate(_) => {
                Flags { model_argument: true, ..Flags::default() }
            }
            crate::Command::Repro(_) => Flags { model_argument: true, artifacts_folder: true, ..Flags::default() },
            crate::Command::Remote(_) => Flags { remote_argument: true, ..Flags::default() },
            crate::Command::Signoff(a) if a.evidence.is_empty() && !(a.attach.is_empty() && a.link.is_empty()) => {
                Flags { attaching: true, ..Flags::default() }
            }
            _ => Flags::default(),
        }
    }

    /// The flag (or argument) that gives `input`.
    pub fn name(self, input: Input) -> &'static str {
        match input {
            Input::Member => "--as",
            Input::Organisation => "--org",
            Input::Owner => "--owner",
            Input::Model if self.model_argument => "MODEL",
            Input::Model => "--model",
            Input::Gate if self.gate_argument => "GATE",
            Input::Gate => "--gate",
            Input::Policy => "POLICY",
            Input::Document => "ID",
            Input::Item => "--item",
            Input::Evidence if self.attaching => "--attach",
            Input::Evidence if self.evidence_argument => "PATH",
            Input::Evidence => "--evidence",
            Input::Comment => "--comment",
            Input::Card => "--card",
            Input::Decision => "--decision",
            Input::Key => "--key",
            Input::Folder if self.artifacts_folder => "--artifacts",
            Input::Folder => "DIR",
            Input::Url => "URL",
            Input::Query => "QUERY",
            Input::Time => "--at",
            Input::Name => "--founder-name",
            Input::Email => "--email",
            Input::Proposal => "PROPOSAL",
            Input::Title => "--title",
            Input::Branch => "--branch",
            Input::Vote => "--vote",
            Input::Rationale => "--rationale",
            Input::File => "--change",
            Input::Revision => "--at",
            Input::Output => "--output",
            Input::Format => "--format",
            Input::Keep => "--keep",
            Input::Remote if self.remote_argument => "NAME",
            Input::Remote => "--remote",
        }
    }

    /// The flag with its value's name, for a message that asks the user to give it.
    fn asking(self, input: Input) -> String {
        match input {
            Input::Key => format!("{} FILE", self.name(input)),
            Input::Keep => format!("{} mine|theirs", self.name(input)),
            Input::Comment => format!("{} TEXT", self.name(input)),
            other => self.name(other).to_string(),
        }
    }

    /// A library error as this command's user reads it: a wrong input by its flag, and a
    /// refusal that a flag would lift with that flag.
    pub fn message(self, e: &Error) -> String {
        match e {
            Error::InvalidArgument { input, message } => format!("{}: {message}", self.name(*input)),
            Error::Refused { reason, message } => match reason.wants() {
                Some(input) => format!("{message} ({})", self.asking(input)),
                None => message.clone(),
            },
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use gatehouse::error::{ErrorCode, Malformed, Refusal, RemoteProblem, SigningProblem};

    use super::*;

    /// An error of each code as the library makes it, or `None` for the codes only the app
    /// sends. The match has no catch-all: a new code does not compile until it is worded here.
    fn example(code: ErrorCode) -> Option<Error> {
        let refused = |reason| Some(Error::refused(reason, "the rules say no"));
        let signing = |problem| Some(Error::signing(problem, "signing key /k: cannot be used"));
        let remote = |problem| {
            Some(Error::Remote { remote: "origin".into(), problem, message: "could not read from remote".into() })
        };
        match code {
            ErrorCode::InvalidArgument => Some(Error::invalid(Input::Item, "\"x\" is not an item of gate intake")),
            ErrorCode::MalformedFile => Some(Malformed::new("models/m/card.md", Some(3), "bad").into()),
            ErrorCode::NotFound => Some(Error::NotFound { what: "model", id: "m".into() }),
            ErrorCode::NotGovernanceRepository => {
                Some(Error::NotGovernance { path: PathBuf::from("/x"), reason: "no main".into() })
            }
            ErrorCode::NotMember => refused(Refusal::NotMember),
            ErrorCode::MissingRole => refused(Refusal::MissingRole),
            ErrorCode::OwnOrganisation => refused(Refusal::OwnOrganisation),
            ErrorCode::GateLocked => refused(Refusal::GateLocked),
            ErrorCode::NotOwner => refused(Refusal::NotOwner),
            ErrorCode::Exists => refused(Refusal::Exists),
            ErrorCode::SigningRequired => refused(Refusal::SigningRequired),
            ErrorCode::KeyNotListed => refused(Refusal::KeyNotListed),
            ErrorCode::ProposalClosed => refused(Refusal::ProposalClosed),
            ErrorCode::NotAuthor => refused(Refusal::NotAuthor),
            ErrorCode::QuorumNotReached => refused(Refusal::QuorumNotReached),
            ErrorCode::StandingObjection => refused(Refusal::StandingObjection),
            ErrorCode::CommentPeriod => refused(Refusal::CommentPeriod),
            ErrorCode::MainMoved => refused(Refusal::MainMoved),
            ErrorCode::NoObjection => refused(Refusal::NoObjection),
            ErrorCode::CommentRequired => refused(Refusal::CommentRequired),
            ErrorCode::NothingToWithdraw => refused(Refusal::NothingToWithdraw),
            ErrorCode::PassphraseRequired => signing(SigningProblem::PassphraseRequired),
            ErrorCode::BadPassphrase => signing(SigningProblem::BadPassphrase),
            ErrorCode::KeyUnreadable => signing(SigningProblem::KeyUnreadable),
            ErrorCode::AgentUnavailable => signing(SigningProblem::AgentUnavailable),
            ErrorCode::KeyUnusable => signing(SigningProblem::KeyUnusable),
            ErrorCode::Contention => Some(Error::Contention { attempts: 8 }),
            ErrorCode::Git => Some(git2::Error::from_str("bad object").into()),
            ErrorCode::Index => Some(rusqlite::Error::InvalidQuery.into()),
            ErrorCode::Io => Some(Error::io("/x", std::io::Error::other("gone"))),
            ErrorCode::RenderFailed => Some(Error::Render { format: "PDF", message: "a font is missing".into() }),
            ErrorCode::IncomingBreach => refused(Refusal::IncomingBreach),
            ErrorCode::RemoteRewritten => refused(Refusal::RemoteRewritten),
            ErrorCode::OtherConsortium => refused(Refusal::OtherConsortium),
            ErrorCode::SyncConflict => refused(Refusal::SyncConflict),
            ErrorCode::RemoteUnreachable => remote(RemoteProblem::Unreachable),
            ErrorCode::RemoteAuthentication => remote(RemoteProblem::Authentication),
            ErrorCode::PushRejected => remote(RemoteProblem::PushRejected),
            // The app's own: on the command line, a missing member is `--as` (invalid-argument).
            ErrorCode::NoMember | ErrorCode::NoRepository | ErrorCode::Internal => None,
        }
    }

    #[test]
    fn every_code_the_library_sends_has_words_on_the_command_line() {
        for code in ErrorCode::ALL {
            let Some(e) = example(code) else { continue };
            assert_eq!(e.code(), code);
            let line = Flags::default().message(&e);
            assert!(!line.is_empty() && !line.contains("Error {") && !line.contains("Some("), "{code}: {line}");
            assert_eq!(e.is_refusal(), code.is_refusal(), "{code}: exit 1 exactly for refusals");
        }
    }

    #[test]
    fn a_wrong_input_is_named_by_the_flag_of_the_command_that_took_it() {
        let signoff = Flags::default();
        let show = Flags { model_argument: true, gate_argument: true, ..Flags::default() };
        let model = Flags { model_argument: true, ..Flags::default() };
        let bad = |input| Error::invalid(input, "\"A\" is not a valid id");
        assert_eq!(signoff.message(&bad(Input::Model)), "--model: \"A\" is not a valid id");
        assert_eq!(signoff.message(&bad(Input::Gate)), "--gate: \"A\" is not a valid id");
        assert_eq!(show.message(&bad(Input::Gate)), "GATE: \"A\" is not a valid id");
        assert_eq!(model.message(&bad(Input::Model)), "MODEL: \"A\" is not a valid id");
        assert_eq!(model.message(&bad(Input::Gate)), "--gate: \"A\" is not a valid id");
        assert_eq!(signoff.message(&bad(Input::Member)), "--as: \"A\" is not a valid id");
        assert_eq!(signoff.message(&bad(Input::Folder)), "DIR: \"A\" is not a valid id");
        for input in Input::ALL {
            let name = signoff.name(input);
            assert!(name.starts_with("--") || name.chars().all(|c| c.is_ascii_uppercase()), "{input:?}: {name}");
        }
    }

    #[test]
    fn a_refusal_that_a_key_would_lift_says_how_to_give_one() {
        let e = Error::refused(Refusal::SigningRequired, "TPC requires signed commits; give a signing key");
        assert_eq!(Flags::default().message(&e), "TPC requires signed commits; give a signing key (--key FILE)");
        let e = Error::refused(Refusal::GateLocked, "gate safety is locked");
        assert_eq!(Flags::default().message(&e), "gate safety is locked", "nothing to give: no hint");
    }
}
