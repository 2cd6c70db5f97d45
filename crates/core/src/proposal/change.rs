//! What a proposal's branch changes: the files that differ between its subject and the commit
//! of `main` it was cut from (their merge base), the rules every proposal's change obeys, and
//! how an accept brings the change onto `main`.

use git2::{Oid, Repository};

use crate::consortium;
use crate::error::{Error, Input, Malformed, Refusal, Result};
use crate::record::Framework;
use crate::treediff::Changed;

/// The change a proposal's subject makes.
#[derive(Debug, Clone)]
pub struct ChangeSet {
    /// The commit of `main` the branch was cut from (the merge base).
    pub base: Oid,
    pub subject: Oid,
    /// The files that differ between `base` and `subject`, in path order.
    pub files: Vec<Changed>,
}

/// Whether a proposal may change `path`.
pub fn in_scope(path: &str) -> bool {
    path == consortium::PATH || path.starts_with("policies/")
}

/// The change `subject` makes relative to `main_tip`'s history. Refused when `subject` shares
/// no history with `main`.
pub fn change_set(repo: &Repository, main_tip: Oid, subject: Oid) -> Result<ChangeSet> {
    let base = repo.merge_base(main_tip, subject).map_err(|_| {
        Error::invalid(
            Input::Branch,
            format!("{} does not descend from main (they share no history)", super::short(&subject.to_string())),
        )
    })?;
    change_set_from(repo, base, subject)
}

/// `change_set`, for a caller that already has `base`, the merge base of `main`'s tip and
/// `subject` (finding it walks the history since the branch was cut).
pub fn change_set_from(repo: &Repository, base: Oid, subject: Oid) -> Result<ChangeSet> {
    let base_tree = repo.find_commit(base)?.tree_id();
    let subject_tree = repo.find_commit(subject)?.tree_id();
    let files = crate::treediff::diff(repo, Some(base_tree), subject_tree)?;
    Ok(ChangeSet { base, subject, files })
}

impl ChangeSet {
    /// The rules a proposal's change obeys: it changes something, only `consortium.toml` and
    /// `policies/`, only as regular files, and every file it leaves there reads.
    pub fn check(&self, repo: &Repository) -> Result<()> {
        if self.files.is_empty() {
            return Err(Error::invalid(
                Input::Branch,
                format!("{} changes nothing relative to main", super::short(&self.subject.to_string())),
            ));
        }
        let outside: Vec<&str> = self.files.iter().map(|c| c.path.as_str()).filter(|p| !in_scope(p)).collect();
        if !outside.is_empty() {
            return Err(Error::invalid(
                Input::Branch,
                format!(
                    "the branch changes {}; a proposal may change only consortium.toml and policies/",
                    outside.join(", ")
                ),
            ));
        }
        for c in &self.files {
            if let Some(m) = c.new_mode.and_then(|mode| crate::repo::unreadable_mode(&c.path, mode)) {
                return Err(m.into());
            }
        }
        let tree = repo.find_commit(self.subject)?.tree()?;
        // consortium.toml must read (Framework::load fails otherwise), and the change may not
        // bring any new problem: a checklist or policy that does not read, a role it removes
        // that a gate needs, a cycle of gates.
        let fw = Framework::load(repo, &tree)?;
        let base = repo.find_commit(self.base)?.tree()?;
        if let Ok(before) = crate::record::load_consortium(repo, &base) {
            check_format_kept(Input::Branch, before.format, fw.consortium.format)?;
        }
        if fw.problems.is_empty() {
            // Nothing to compare with the base's problems.
            return Ok(());
        }
        let before = Framework::load(repo, &base).map(|f| f.problems).unwrap_or_default();
        let problem: Option<&Malformed> = fw.problems.iter().find(|p| !before.contains(p));
        match problem {
            Some(m) => Err(m.clone().into()),
            None => Ok(()),
        }
    }

    /// The files `main` changed since the branch was cut that the branch changes too: an accept
    /// would have to choose between them, so it refuses.
    pub fn conflicts(&self, repo: &Repository, main_tip: Oid) -> Result<Vec<String>> {
        let base = repo.find_commit(self.base)?.tree()?;
        let main = repo.find_commit(main_tip)?.tree()?;
        let entry = |tree: &git2::Tree, path: &str| tree.get_path(std::path::Path::new(path)).ok().map(|e| e.id());
        Ok(self
            .files
            .iter()
            .filter(|c| {
                let on_main = entry(&main, &c.path);
                on_main != entry(&base, &c.path) && on_main != c.new
            })
            .map(|c| c.path.clone())
            .collect())
    }

    /// The change as writes onto another tree: each file's content at the subject, or removal.
    pub fn writes(&self, repo: &Repository) -> Result<Vec<(String, Option<Vec<u8>>)>> {
        self.files
            .iter()
            .map(|c| {
                Ok((c.path.clone(), c.new.map(|id| repo.find_blob(id).map(|b| b.content().to_vec())).transpose()?))
            })
            .collect()
    }
}

/// A record keeps the format `init` gave it: its sign-offs stay where that format put them.
pub fn check_format_kept(input: Input, before: u32, after: u32) -> Result<()> {
    if before == after {
        return Ok(());
    }
    Err(Error::invalid(
        input,
        format!(
            "the change sets format in consortium.toml from {before} to {after}; a record keeps the format init \
             gave it, because its sign-offs stay where that format put them"
        ),
    ))
}

/// What Gatehouse reads a framework file as; one classification for `propose`, the editor's
/// preview and the proposal page, so they never disagree about a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Consortium,
    Checklist,
    Policy,
    /// `policies/accelerators.toml`, the deployment estimate's table.
    Accelerators,
}

impl FileKind {
    /// The kind of the framework file at `path`, or `None` for a file Gatehouse does not read
    /// (a `.md` below a sub-folder of `policies/` other than the checklists, an image...).
    pub fn of(path: &str) -> Option<FileKind> {
        if path == consortium::PATH {
            Some(FileKind::Consortium)
        } else if path == crate::estimate::accelerators::PATH {
            Some(FileKind::Accelerators)
        } else if path.starts_with(&format!("{}/", crate::checklist::DIR)) && path.ends_with(".md") {
            Some(FileKind::Checklist)
        } else if path.starts_with("policies/") && path.ends_with(".md") && path.matches('/').count() == 1 {
            Some(FileKind::Policy)
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Consortium => "consortium",
            FileKind::Checklist => "checklist",
            FileKind::Policy => "policy",
            FileKind::Accelerators => "table of accelerators",
        }
    }
}

/// Reads `text` as the framework file at `path` would be read: a checklist, a policy or
/// consortium.toml. Other files under `policies/` are not read and always pass.
pub fn check_file(path: &str, text: &str) -> std::result::Result<(), Malformed> {
    match FileKind::of(path) {
        Some(FileKind::Consortium) => crate::consortium::Consortium::parse(text).map(|_| ()),
        Some(FileKind::Checklist) => crate::checklist::Gate::parse(path, text).map(|_| ()),
        Some(FileKind::Policy) => crate::policy::Policy::parse(path, text).map(|_| ()),
        Some(FileKind::Accelerators) => crate::estimate::Table::parse(text).map(|_| ()),
        None => Ok(()),
    }
}

/// The refusal of an accept whose files `main` has changed meanwhile, saying how to revise.
pub fn moved_under(proposal: &str, conflicts: &[String]) -> Error {
    Error::refused(
        Refusal::MainMoved,
        format!(
            "main changed {} since proposal {proposal} was cut; bring its branch up to date with main \
             (for example `git rebase main {}`), then revise the proposal so the members vote on the new subject",
            conflicts.join(", "),
            super::branch_name(proposal)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_front_end_reads_a_path_as_the_same_kind() {
        assert_eq!(FileKind::of("consortium.toml"), Some(FileKind::Consortium));
        assert_eq!(FileKind::of("policies/checklists/safety.md"), Some(FileKind::Checklist));
        assert_eq!(FileKind::of("policies/safety.md"), Some(FileKind::Policy));
        // Not read, so neither propose nor the editor's preview judge them.
        assert_eq!(FileKind::of("policies/notes/draft.md"), None);
        assert_eq!(FileKind::of("policies/checklistsX.md"), Some(FileKind::Policy), "a policy, not a checklist");
        assert_eq!(FileKind::of("policies/logo.png"), None);
        assert_eq!(FileKind::of("policies/accelerators.toml"), Some(FileKind::Accelerators));
        assert!(check_file("policies/accelerators.toml", "format = 1\n[assumptions]\n").is_err(), "a broken table");
        assert!(check_file("policies/notes/draft.md", "no front matter").is_ok());
        assert!(check_file("policies/safety.md", "no front matter").is_err());
    }
}
