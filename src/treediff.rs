//! Comparing two trees by walking only the subtrees whose ids differ. Cost follows the size
//! of the change, not of the repository (libgit2's tree diff expands every subtree).

use std::cmp::Ordering;
use std::collections::HashMap;

use git2::{ObjectType, Oid, Repository, Tree, TreeEntry};

use crate::error::Result;

/// One path that differs between two trees. `old`/`new` are `None` where the path is absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub path: String,
    pub old: Option<Oid>,
    pub new: Option<Oid>,
}

impl Changed {
    pub fn added(&self) -> bool {
        self.old.is_none()
    }

    pub fn deleted(&self) -> bool {
        self.new.is_none()
    }
}

/// Every file (blob or link) that differs between `old` and `new`, in path order.
pub fn diff(repo: &Repository, old: Option<&Tree>, new: &Tree) -> Result<Vec<Changed>> {
    let mut out = Vec::new();
    Walk { repo, cache: None }.walk(old, Some(new), "", &mut out)?;
    Ok(out)
}

/// `diff`, reading subtrees through `cache`: a caller diffing consecutive commits reads each
/// tree once instead of once as the new side and again as the old side of the next diff.
pub fn diff_cached<'r>(
    repo: &'r Repository,
    cache: &mut TreeCache<'r>,
    old: Option<&Tree>,
    new: &Tree,
) -> Result<Vec<Changed>> {
    let mut out = Vec::new();
    Walk { repo, cache: Some(cache) }.walk(old, Some(new), "", &mut out)?;
    Ok(out)
}

/// Trees read by the last two rounds of diffs, by id. Call `next_round` between commits; a
/// tree not used in two rounds is let go, so the cache stays the size of a few changes.
#[derive(Default)]
pub struct TreeCache<'r> {
    current: HashMap<Oid, Tree<'r>>,
    previous: HashMap<Oid, Tree<'r>>,
}

impl<'r> TreeCache<'r> {
    pub fn get(&mut self, repo: &'r Repository, id: Oid) -> Result<Tree<'r>> {
        if let Some(t) = self.current.get(&id) {
            return Ok(t.clone());
        }
        let t = match self.previous.remove(&id) {
            Some(t) => t,
            None => repo.find_tree(id)?,
        };
        self.current.insert(id, t.clone());
        Ok(t)
    }

    pub fn next_round(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }
}

/// git sorts tree entries with folders compared as if their names ended in '/'.
fn entry_order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> Ordering {
    let n = a.len().min(b.len());
    match a[..n].cmp(&b[..n]) {
        Ordering::Equal => {
            let next = |name: &[u8], tree: bool| name.get(n).copied().or(if tree { Some(b'/') } else { None });
            next(a, a_tree).cmp(&next(b, b_tree))
        }
        other => other,
    }
}

struct Walk<'a, 'r> {
    repo: &'r Repository,
    cache: Option<&'a mut TreeCache<'r>>,
}

impl<'r> Walk<'_, 'r> {
    fn tree(&mut self, id: Oid) -> Result<Tree<'r>> {
        match &mut self.cache {
            Some(c) => c.get(self.repo, id),
            None => Ok(self.repo.find_tree(id)?),
        }
    }

    fn walk(&mut self, old: Option<&Tree>, new: Option<&Tree>, prefix: &str, out: &mut Vec<Changed>) -> Result<()> {
        let len = |t: Option<&Tree>| t.map_or(0, |t| t.len());
        let (a_len, b_len) = (len(old), len(new));
        let (mut i, mut j) = (0, 0);
        while i < a_len || j < b_len {
            let x = old.and_then(|t| t.get(i)).filter(|_| i < a_len);
            let y = new.and_then(|t| t.get(j)).filter(|_| j < b_len);
            // Entries whose names are not UTF-8 are not paths Gatehouse knows; they are skipped.
            if x.as_ref().is_some_and(|x| std::str::from_utf8(x.name_bytes()).is_err()) {
                i += 1;
                continue;
            }
            if y.as_ref().is_some_and(|y| std::str::from_utf8(y.name_bytes()).is_err()) {
                j += 1;
                continue;
            }
            let order = match (&x, &y) {
                (Some(x), Some(y)) => entry_order(
                    x.name_bytes(),
                    x.kind() == Some(ObjectType::Tree),
                    y.name_bytes(),
                    y.kind() == Some(ObjectType::Tree),
                ),
                (Some(_), None) => Ordering::Less,
                _ => Ordering::Greater,
            };
            match order {
                Ordering::Less => {
                    let x = x.expect("an old entry");
                    self.side(&x, prefix, true, out)?;
                    i += 1;
                }
                Ordering::Greater => {
                    let y = y.expect("a new entry");
                    self.side(&y, prefix, false, out)?;
                    j += 1;
                }
                Ordering::Equal => {
                    let (x, y) = (x.expect("an old entry"), y.expect("a new entry"));
                    // A file that becomes a symbolic link with the same bytes keeps its blob id,
                    // so the mode is compared too.
                    if x.id() != y.id() || x.filemode() != y.filemode() {
                        let path = join(prefix, x.name_bytes());
                        if x.kind() == Some(ObjectType::Tree) {
                            let (tx, ty) = (self.tree(x.id())?, self.tree(y.id())?);
                            self.walk(Some(&tx), Some(&ty), &path, out)?;
                        } else {
                            out.push(Changed { path, old: Some(x.id()), new: Some(y.id()) });
                        }
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        Ok(())
    }

    /// An entry present on one side only: every file below it is added or deleted.
    fn side(&mut self, e: &TreeEntry, prefix: &str, is_old: bool, out: &mut Vec<Changed>) -> Result<()> {
        let path = join(prefix, e.name_bytes());
        if e.kind() == Some(ObjectType::Tree) {
            let t = self.tree(e.id())?;
            if is_old {
                self.walk(Some(&t), None, &path, out)
            } else {
                self.walk(None, Some(&t), &path, out)
            }
        } else {
            out.push(if is_old {
                Changed { path, old: Some(e.id()), new: None }
            } else {
                Changed { path, old: None, new: Some(e.id()) }
            });
            Ok(())
        }
    }
}

fn join(prefix: &str, name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    if prefix.is_empty() {
        name.into_owned()
    } else {
        format!("{prefix}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::build::TreeUpdateBuilder;
    use git2::FileMode;

    fn tree_with(repo: &Repository, base: &Tree, changes: &[(&str, Option<&str>)]) -> Oid {
        let mut b = TreeUpdateBuilder::new();
        for (path, content) in changes {
            match content {
                Some(c) => b.upsert(*path, repo.blob(c.as_bytes()).unwrap(), FileMode::Blob),
                None => b.remove(*path),
            };
        }
        b.create_updated(repo, base).unwrap()
    }

    /// libgit2's own (slower) tree diff is the reference: both must name the same files.
    fn libgit2_paths(repo: &Repository, old: &Tree, new: &Tree) -> Vec<String> {
        let diff = repo.diff_tree_to_tree(Some(old), Some(new), None).unwrap();
        let mut paths: Vec<String> = diff
            .deltas()
            .map(|d| d.new_file().path().or(d.old_file().path()).unwrap().to_string_lossy().into_owned())
            .collect();
        paths.sort();
        paths
    }

    #[test]
    fn agrees_with_libgit2_on_adds_deletes_edits_and_folder_swaps() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let empty = repo.find_tree(repo.treebuilder(None).unwrap().write().unwrap()).unwrap();
        let old = tree_with(
            &repo,
            &empty,
            &[
                ("a.txt", Some("1")),
                ("m/x/card.md", Some("c")),
                ("m/y", Some("file")),
                ("s/b.toml", Some("b")),
                ("z", Some("z")),
            ],
        );
        let old = repo.find_tree(old).unwrap();
        // Two steps: git2's tree updater cannot replace a file by a folder in one pass.
        let step = tree_with(&repo, &old, &[("a.txt", Some("2")), ("m/x/card.md", None), ("m/y", None)]);
        let step = repo.find_tree(step).unwrap();
        let new = tree_with(
            &repo,
            &step,
            &[
                ("m/y/inside.md", Some("i")), // a file became a folder of the same name
                ("s/c.toml", Some("c")),      // added next to an unchanged file
                ("new/deep/f", Some("f")),    // added with new folders
            ],
        );
        let new = repo.find_tree(new).unwrap();
        let ours: Vec<String> = diff(&repo, Some(&old), &new).unwrap().into_iter().map(|c| c.path).collect();
        let mut sorted = ours.clone();
        sorted.sort();
        assert_eq!(sorted, libgit2_paths(&repo, &old, &new), "the same changed files as libgit2");
        let edited = diff(&repo, Some(&old), &new).unwrap().into_iter().find(|c| c.path == "a.txt").unwrap();
        assert!(!edited.added() && !edited.deleted(), "an edited file has both sides");
        assert!(diff(&repo, Some(&old), &old).unwrap().is_empty(), "a tree does not differ from itself");
        let from_nothing = diff(&repo, None, &old).unwrap();
        assert_eq!(from_nothing.len(), 5, "every file is added against no tree");
        assert!(from_nothing.iter().all(Changed::added));
    }
}
