//! Creating a governance repository: the framework and `consortium.toml` in one `init` commit.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use git2::{build::TreeUpdateBuilder, FileMode, Repository, RepositoryInitOptions};

use crate::consortium::{Consortium, Member, SignedCommits};
use crate::error::{Error, Input, Result};
use crate::framework;
use crate::id;
use crate::repo::{Governance, MAIN};
use crate::signing::Signer;
use crate::trailers::{self, message};
use crate::write::{make_commit, Author, CommitSigner};

#[derive(Debug, Clone)]
pub struct InitRequest {
    pub dir: PathBuf,
    pub name: String,
    /// The first member, who holds every role until the consortium changes that by proposal.
    pub founder: Member,
    pub at: DateTime<Utc>,
}

/// A new governance repository with the default framework and one founding member.
pub fn init(req: &InitRequest) -> Result<Governance> {
    let mut founder = req.founder.clone();
    id::check(Input::Member, &founder.id)?;
    id::check(Input::Organisation, &founder.org)?;
    if founder.roles.is_empty() {
        founder.roles = framework::all_roles();
    }
    let consortium = framework::consortium(&req.name, vec![founder.clone()], SignedCommits::Optional);
    create(&req.dir, &consortium, &founder, req.at, None)
}

/// Refuses a folder that exists and is not empty: init never writes over anything.
pub fn check_target(dir: &Path) -> Result<()> {
    if dir.exists() {
        let empty = dir.is_dir() && std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?.next().is_none();
        if !empty {
            return Err(Error::invalid(Input::Folder, format!("{} already exists and is not empty", dir.display())));
        }
    }
    Ok(())
}

pub(crate) fn create(
    dir: &Path,
    consortium: &Consortium,
    founder: &Member,
    at: DateTime<Utc>,
    signer: Option<&Signer>,
) -> Result<Governance> {
    check_target(dir)?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let repo = Repository::init_opts(dir, RepositoryInitOptions::new().initial_head("main"))?;
    // Git's split index: a record only grows, and with it git's index, which every action
    // (and every `git add`) would otherwise rewrite and hash whole.
    repo.config()?.set_bool("core.splitIndex", true)?;
    write_init_commit(&repo, consortium, founder, at, signer)?;
    repo.set_head(MAIN)?;
    repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))?;
    let gov = Governance::from_repo(repo);
    crate::checkout::follow_main(&gov)?;
    Ok(gov)
}

fn write_init_commit(
    repo: &Repository,
    consortium: &Consortium,
    founder: &Member,
    at: DateTime<Utc>,
    signer: Option<&Signer>,
) -> Result<()> {
    let mut builder = TreeUpdateBuilder::new();
    let toml = consortium.to_toml();
    // The file must read back as it was written; a failure here is a bug, not user input.
    Consortium::parse(&toml).map_err(Error::from)?;
    for (path, content) in framework::files() {
        builder.upsert(Path::new(&path), repo.blob(content)?, FileMode::Blob);
    }
    // The first tree is built from the root commit's own files; no empty tree is written.
    let mut root = repo.treebuilder(None)?;
    root.insert(crate::consortium::PATH, repo.blob(toml.as_bytes())?, i32::from(FileMode::Blob))?;
    let base = repo.find_tree(root.write()?)?;
    let tree = repo.find_tree(builder.create_updated(repo, &base)?)?;
    let author = Author { name: founder.name.clone(), email: founder.email.clone(), at };
    let msg = message(
        &format!("init: {}", consortium.name),
        "The default Gatehouse governance framework.",
        &[(trailers::ACTION, "init"), (trailers::MEMBER, &founder.id)],
    );
    let commit = make_commit(repo, &author.signature()?, &msg, &tree, &[], signer.map(|s| s as &dyn CommitSigner))?;
    repo.reference(MAIN, commit, false, "gatehouse: init")?;
    Ok(())
}
