//! Making `main` from the scaffold: every commit again, signed as the library signs.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use anyhow::{ensure, Context, Result};
use gatehouse::signing::Signer;
use git2::{Repository, Signature, Sort};

use super::fast_import::SCAFFOLD;
use super::History;

/// Makes `main`: every scaffold commit again, on its own tree, with the same author and
/// message, signed by its member's key as the library signs. The new commits go to an
/// in-memory object database and are written as one pack.
pub(super) fn sign_history(dir: &Path, history: &History) -> Result<()> {
    let repo = Repository::open(dir)?;
    let odb = repo.odb()?;
    // Above the loose (1) and pack (2) backends, so new objects are written here.
    let mempack = odb.add_new_mempack_backend(1000)?;
    let signers: HashMap<&str, Signer> =
        history.consortium.members.iter().enumerate().map(|(i, m)| (m.email.as_str(), history.signer(i))).collect();
    let mut walk = repo.revwalk()?;
    walk.push_ref(SCAFFOLD)?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    let mut parent: Option<git2::Commit> = None;
    let mut made = Vec::with_capacity(history.commits);
    for id in walk {
        let old = repo.find_commit(id?)?;
        let author = old.author();
        let email = author.email().context("author email")?;
        let signer = signers.get(email).with_context(|| format!("no key for {email}"))?;
        let sig = Signature::new(author.name().context("author name")?, email, &author.when())?;
        let message = old.message_raw().context("commit message")?;
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        let id = gatehouse::write::make_commit(&repo, &sig, message, &old.tree()?, &parents, Some(signer))?;
        parent = Some(repo.find_commit(id)?);
        made.push(id);
    }
    ensure!(made.len() == history.commits, "signed {} commits of {}", made.len(), history.commits);
    // Only the new commits go into the pack (`Mempack::dump` would walk every commit's whole
    // tree again, which takes minutes here): their trees are in fast-import's pack already.
    let mut pack = git2::Buf::new();
    let mut builder = repo.packbuilder()?;
    for id in &made {
        builder.insert_object(*id, None)?;
    }
    builder.write_buf(&mut pack)?;
    drop(builder);
    let mut writer = odb.packwriter()?;
    writer.write_all(&pack)?;
    writer.commit()?;
    mempack.reset()?;
    let tip = parent.context("no commits")?.id();
    repo.reference("refs/heads/main", tip, true, "gatehouse-bench: the signed history")?;
    repo.find_reference(SCAFFOLD)?.delete()?;
    Ok(())
}
