//! Comparing two trees by walking only the subtrees whose ids differ. Cost follows the size
//! of the change, not of the repository (libgit2's tree diff expands every subtree).

use git2::{ObjectType, Oid, Repository, Tree};

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
    walk(repo, old, Some(new), "", &mut out)?;
    Ok(out)
}

/// (name, id, kind, file mode): a file that becomes a symbolic link with the same bytes keeps
/// its blob id, so the mode is compared too.
type Entry = (String, Oid, Option<ObjectType>, i32);

fn entries(tree: Option<&Tree>) -> Vec<Entry> {
    tree.map(|t| t.iter().filter_map(|e| Some((e.name()?.to_string(), e.id(), e.kind(), e.filemode()))).collect())
        .unwrap_or_default()
}

fn walk(repo: &Repository, old: Option<&Tree>, new: Option<&Tree>, prefix: &str, out: &mut Vec<Changed>) -> Result<()> {
    let (a, b) = (entries(old), entries(new));
    let (mut i, mut j) = (0, 0);
    // git sorts tree entries with folders compared as if their names ended in '/'.
    let key = |e: &Entry| {
        let mut k = e.0.clone().into_bytes();
        if e.2 == Some(ObjectType::Tree) {
            k.push(b'/');
        }
        k
    };
    while i < a.len() || j < b.len() {
        let order = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => key(x).cmp(&key(y)),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match order {
            std::cmp::Ordering::Less => {
                side(repo, &a[i], prefix, true, out)?;
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                side(repo, &b[j], prefix, false, out)?;
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                let (x, y) = (&a[i], &b[j]);
                if x.1 != y.1 || x.3 != y.3 {
                    let path = join(prefix, &x.0);
                    if x.2 == Some(ObjectType::Tree) {
                        let (tx, ty) = (repo.find_tree(x.1)?, repo.find_tree(y.1)?);
                        walk(repo, Some(&tx), Some(&ty), &path, out)?;
                    } else {
                        out.push(Changed { path, old: Some(x.1), new: Some(y.1) });
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
fn side(repo: &Repository, e: &Entry, prefix: &str, is_old: bool, out: &mut Vec<Changed>) -> Result<()> {
    let path = join(prefix, &e.0);
    if e.2 == Some(ObjectType::Tree) {
        let t = repo.find_tree(e.1)?;
        if is_old {
            walk(repo, Some(&t), None, &path, out)
        } else {
            walk(repo, None, Some(&t), &path, out)
        }
    } else {
        out.push(if is_old {
            Changed { path, old: Some(e.1), new: None }
        } else {
            Changed { path, old: None, new: Some(e.1) }
        });
        Ok(())
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
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
