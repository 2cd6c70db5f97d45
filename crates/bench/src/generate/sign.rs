//! Making `main` from the scaffold: every commit again, signed as the library signs.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use anyhow::{ensure, Context, Result};
use gatehouse::signing::Signer;
use git2::{Oid, Repository, Signature};

use super::fast_import::{SCAFFOLD, SCAFFOLD_BRANCH};
use super::History;

/// Makes `main`: every scaffold commit again, in the order fast-import wrote them, with the
/// same author and message, on the same parents (made again), signed by its member's key as
/// the library signs. Proposals name their subject, a branch commit, whose id is only known
/// once it is signed: the scaffold names a placeholder, which is replaced here in the files of
/// `proposals/` and in trailers. The new objects go to an in-memory object database and are
/// written as one pack.
pub(super) fn sign_history(dir: &Path, history: &History, scaffold: usize) -> Result<()> {
    let repo = Repository::open(dir)?;
    let odb = repo.odb()?;
    // Above the loose (1) and pack (2) backends, so new objects are written here.
    let mempack = odb.add_new_mempack_backend(1000)?;
    let signers: HashMap<&str, Signer> =
        history.consortium.members.iter().enumerate().map(|(i, m)| (m.email.as_str(), history.signer(i))).collect();
    let marks_path = super::marks_file(dir);
    let marks = read_marks(&marks_path)?;
    ensure!(marks.len() == scaffold, "fast-import marked {} commits of {scaffold}", marks.len());
    // The proposals' content commits, by summary line.
    let by_summary: HashMap<String, &str> =
        history.placeholders.iter().map(|(id, ph)| (format!("proposal({id}):"), ph.as_str())).collect();
    let mut rewrite = Rewrite { subjects: HashMap::new(), done: HashMap::new(), made: Vec::new() };
    let mut signed: HashMap<Oid, Oid> = HashMap::with_capacity(marks.len());
    let mut made = Vec::with_capacity(scaffold);
    for old_id in &marks {
        let old = repo.find_commit(*old_id)?;
        let author = old.author();
        let email = author.email().context("author email")?;
        let signer = signers.get(email).with_context(|| format!("no key for {email}"))?;
        let sig = Signature::new(author.name().context("author name")?, email, &author.when())?;
        let message = rewrite.text(old.message_raw().context("commit message")?);
        let parents: Vec<git2::Commit> =
            old.parent_ids().map(|p| repo.find_commit(signed[&p])).collect::<Result<_, _>>()?;
        let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
        let tree = repo.find_tree(rewrite.root(&repo, old.tree_id())?)?;
        let id = gatehouse::write::make_commit(&repo, &sig, &message, &tree, &parent_refs, Some(signer))?;
        if let Some(ph) = message.split_once(' ').and_then(|(first, _)| by_summary.get(first)) {
            rewrite.subjects.insert(ph.to_string(), id.to_string());
        }
        signed.insert(*old_id, id);
        made.push(id);
    }
    // Only the new commits (and the trees and files of `proposals/` made again) go into the
    // pack (`Mempack::dump` would walk every commit's whole tree again, which takes minutes
    // here): everything else is in fast-import's pack already.
    let mut pack = git2::Buf::new();
    let mut builder = repo.packbuilder()?;
    for id in rewrite.made.iter().chain(&made) {
        builder.insert_object(*id, None)?;
    }
    builder.write_buf(&mut pack)?;
    drop(builder);
    let mut writer = odb.packwriter()?;
    writer.write_all(&pack)?;
    writer.commit()?;
    mempack.reset()?;
    let scaffold_tip = repo.refname_to_id(SCAFFOLD)?;
    repo.reference("refs/heads/main", signed[&scaffold_tip], true, "gatehouse-bench: the signed history")?;
    // Every proposal's branch points at its subject, as `propose` leaves it.
    for (id, ph) in &history.placeholders {
        if let Some(subject) = rewrite.subjects.get(ph) {
            repo.reference(
                &format!("refs/heads/{}", gatehouse::proposal::branch_name(id)),
                Oid::from_str(subject)?,
                true,
                "gatehouse-bench: a proposal's branch",
            )?;
        }
    }
    repo.find_reference(SCAFFOLD)?.delete()?;
    if let Ok(mut r) = repo.find_reference(SCAFFOLD_BRANCH) {
        r.delete()?;
    }
    let _ = std::fs::remove_file(&marks_path);
    Ok(())
}

/// `:mark id` lines, in mark order.
fn read_marks(path: &Path) -> Result<Vec<Oid>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut marks: Vec<(usize, Oid)> = text
        .lines()
        .filter_map(|l| {
            let (m, id) = l.strip_prefix(':')?.split_once(' ')?;
            Some((m.parse().ok()?, Oid::from_str(id.trim()).ok()?))
        })
        .collect();
    marks.sort();
    Ok(marks.into_iter().map(|(_, id)| id).collect())
}

/// Replaces placeholder subjects by the signed commits' ids in `proposals/`.
struct Rewrite {
    /// Placeholder -> the signed subject's id.
    subjects: HashMap<String, String>,
    /// Scaffold tree or blob -> the one made again (itself when nothing changed).
    done: HashMap<Oid, Oid>,
    /// Objects made here, for the pack.
    made: Vec<Oid>,
}

impl Rewrite {
    fn text(&self, text: &str) -> String {
        let mut out = text.to_string();
        let mut from = 0;
        while let Some(at) = out[from..].find("b0b0b0b0").map(|i| from + i) {
            match out.get(at..at + 40).and_then(|ph| self.subjects.get(ph)) {
                Some(subject) => {
                    out.replace_range(at..at + 40, subject);
                    from = at + 40;
                }
                None => from = at + 8,
            }
        }
        out
    }

    /// The root tree with `proposals/` made again.
    fn root(&mut self, repo: &Repository, root: Oid) -> Result<Oid> {
        if let Some(done) = self.done.get(&root) {
            return Ok(*done);
        }
        let tree = repo.find_tree(root)?;
        let new = match tree.get_name("proposals") {
            Some(entry) => {
                let sub = self.tree(repo, entry.id())?;
                if sub == entry.id() {
                    root
                } else {
                    let mut b = repo.treebuilder(Some(&tree))?;
                    b.insert("proposals", sub, 0o040000)?;
                    let id = b.write()?;
                    self.made.push(id);
                    id
                }
            }
            None => root,
        };
        self.done.insert(root, new);
        Ok(new)
    }

    fn tree(&mut self, repo: &Repository, id: Oid) -> Result<Oid> {
        if let Some(done) = self.done.get(&id) {
            return Ok(*done);
        }
        let tree = repo.find_tree(id)?;
        let mut b = repo.treebuilder(Some(&tree))?;
        let mut changed = false;
        for entry in tree.iter() {
            let name = entry.name().context("a file name")?.to_string();
            let new = match entry.kind() {
                Some(git2::ObjectType::Tree) => self.tree(repo, entry.id())?,
                _ => self.blob(repo, entry.id())?,
            };
            if new != entry.id() {
                b.insert(&name, new, entry.filemode())?;
                changed = true;
            }
        }
        let new = if changed {
            let n = b.write()?;
            self.made.push(n);
            n
        } else {
            id
        };
        self.done.insert(id, new);
        Ok(new)
    }

    fn blob(&mut self, repo: &Repository, id: Oid) -> Result<Oid> {
        if let Some(done) = self.done.get(&id) {
            return Ok(*done);
        }
        let blob = repo.find_blob(id)?;
        let text = String::from_utf8_lossy(blob.content());
        let new_text = self.text(&text);
        let new = if new_text == text {
            id
        } else {
            let n = repo.blob(new_text.as_bytes())?;
            self.made.push(n);
            n
        };
        self.done.insert(id, new);
        Ok(new)
    }
}
