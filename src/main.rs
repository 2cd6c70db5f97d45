//! `gatehouse`: the command line over the Gatehouse library. One file per subcommand; this
//! file parses arguments, runs the command and turns errors into exit codes
//! (docs/format.md, "Errors and exit codes").

mod accept;
mod allowed_signers;
mod attest;
mod bom;
mod estimate;
mod fetch;
mod flags;
mod inbox;
mod index;
mod init;
mod model;
mod model_cards;
mod output;
mod proposal_args;
mod proposals;
mod propose;
mod reject;
mod remote;
mod report;
mod repro;
mod revise;
mod search;
mod session;
mod show;
mod show_evidence;
mod show_proposal;
mod signoff;
mod status;
mod sync;
mod verify;
mod vote;
mod withdraw;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

// Indexing allocates many small strings; mimalloc spends far less time on them than glibc's
// allocator (a cold index build went from about 1.9 s to 1.5 s). Its `override` feature also
// serves C's malloc, so libgit2, zlib (a stream for every object read) and SQLite allocate
// through it too: the cold build's CPU time fell by another 8%. Without transparent huge pages
// (`no_thp`): each 2 MB page mimalloc touched first was zeroed whole, 22% of the cold build's
// CPU samples on one core; with 4 KB pages, 1%.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ABOUT: &str = "Governance records for large AI models, kept in git.";
const LONG_ABOUT: &str = "Governance records for large AI models, kept in git.

A consortium keeps its policies, model cards and audit checklists in a git repository. \
Reviewers walk each model through ordered gates (intake, licensing, data provenance, \
reproducibility, evaluation, safety, deployment, release) by completing each gate's checklist; \
every sign-off is a git commit whose author is the reviewer. Members change the policies and \
checklists by proposal: voting members approve or object, and an accepted change is merged.

Start with:  gatehouse init ./tpc --sample   then   gatehouse --repo ./tpc status";

const AFTER_HELP: &str = "Exit status: 0 done; 1 refused by the rules (not allowed, gate locked) or verify found \
breaches; 2 bad input or usage, with `error: ...` on stderr naming the file, line or argument; 3 `repro check` \
found a file that differs from its manifest or is missing.";

#[derive(Parser)]
#[command(name = "gatehouse", version, about = ABOUT, long_about = LONG_ABOUT, after_help = AFTER_HELP)]
struct Cli {
    /// The governance repository [default: $GATEHOUSE_REPO, then the current directory]
    #[arg(long, global = true, env = "GATEHOUSE_REPO", value_name = "DIR")]
    repo: Option<PathBuf>,

    /// Print data as JSON instead of tables
    #[arg(long, global = true)]
    json: bool,

    /// Act as this member [default: the member whose email is git's user.email]
    #[arg(long = "as", global = true, value_name = "MEMBER")]
    as_member: Option<String>,

    /// SSH key to sign commits with: an OpenSSH private key, or a public key whose private half
    /// the ssh-agent holds [default: git's user.signingkey, then a sample's demo key]
    #[arg(hide_env_values = true)]
    #[arg(long, global = true, env = "GATEHOUSE_SIGNING_KEY", value_name = "FILE")]
    key: Option<PathBuf>,

    /// When to colour the output
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    color: ColorWhen,

    /// The time to record instead of now (RFC 3339), for scripted and reproducible histories
    #[arg(long, global = true, env = "GATEHOUSE_NOW", hide = true, value_name = "TIME")]
    at: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    Init(init::Args),
    Status(status::Args),
    Show(show::Args),
    Signoff(signoff::Args),
    Model(model::Args),
    Search(search::Args),
    Verify(verify::Args),
    AllowedSigners(allowed_signers::Args),
    Index(index::Args),
    Propose(propose::Args),
    Revise(revise::Args),
    Vote(vote::Args),
    Accept(accept::Args),
    Withdraw(withdraw::Args),
    Reject(reject::Args),
    Proposals(proposals::Args),
    Inbox(inbox::Args),
    Report(report::Args),
    Sync(sync::Args),
    Fetch(fetch::Args),
    Remote(remote::Args),
    Attest(attest::Args),
    Bom(bom::Args),
    Repro(repro::Args),
    Estimate(estimate::Args),
}

fn main() -> ExitCode {
    // `gatehouse status | head` should end quietly, as other command-line tools do.
    #[cfg(unix)]
    // SAFETY: restores the default action for SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // `report --at REV` names a revision; elsewhere `--at` (or GATEHOUSE_NOW) is the time to
    // record at, which a report never reads from the environment.
    let rev = (matches.subcommand_matches("report").and_then(|m| m.value_source("at"))
        == Some(ValueSource::CommandLine)
        || matches.value_source("at") == Some(ValueSource::CommandLine))
    .then(|| cli.at.clone())
    .flatten();
    let out =
        output::Output::new(cli.json, matches!(cli.color, ColorWhen::Always), matches!(cli.color, ColorWhen::Never));
    let flags = flags::Flags::of(&cli.command);
    let ctx = session::Context { repo: cli.repo, as_member: cli.as_member, key: cli.key, at: cli.at, out };
    let result = match cli.command {
        Command::Init(a) => init::run(&ctx, a),
        Command::Status(a) => status::run(&ctx, a),
        Command::Show(a) => show::run(&ctx, a),
        Command::Signoff(a) => signoff::run(&ctx, a),
        Command::Model(a) => model::run(&ctx, a),
        Command::Search(a) => search::run(&ctx, a),
        Command::Verify(a) => verify::run(&ctx, a),
        Command::AllowedSigners(a) => allowed_signers::run(&ctx, a),
        Command::Index(a) => index::run(&ctx, a),
        Command::Propose(a) => propose::run(&ctx, a),
        Command::Revise(a) => revise::run(&ctx, a),
        Command::Vote(a) => vote::run(&ctx, a),
        Command::Accept(a) => accept::run(&ctx, a),
        Command::Withdraw(a) => withdraw::run(&ctx, a),
        Command::Reject(a) => reject::run(&ctx, a),
        Command::Proposals(a) => proposals::run(&ctx, a),
        Command::Inbox(a) => inbox::run(&ctx, a),
        Command::Report(a) => report::run(&ctx, a, rev),
        Command::Sync(a) => sync::run(&ctx, a),
        Command::Fetch(a) => fetch::run(&ctx, a),
        Command::Remote(a) => remote::run(&ctx, a),
        Command::Attest(a) => attest::run(&ctx, a),
        Command::Bom(a) => bom::run(&ctx, a),
        Command::Repro(a) => repro::run(&ctx, a),
        Command::Estimate(a) => estimate::run(&ctx, a),
    };
    match result {
        Ok(code) => code,
        Err(e) => ctx.out.error(&e, flags),
    }
}
