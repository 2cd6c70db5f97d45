//! Comparing two trees by walking only the subtrees whose ids differ. Cost follows the size
//! of the change, not of the repository (libgit2's tree diff expands every subtree).
//!
//! Trees are read as git stores them (`<mode> <name>\0<20-byte id>` per entry) rather than
//! through libgit2's parsed trees: a governance tree has folders with an entry per model
//! (`models/`, `signoffs/`), and consecutive versions of such a folder differ in one entry.
//! The bytes both versions share at the start and at the end are skipped without parsing an
//! entry, so a diff costs a memory compare plus the entries that changed.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

use git2::{ObjectType, Odb, OdbObject, Oid, Repository};

use crate::error::Result;

/// One path that differs between two trees. `old`/`new` are `None` where the path is absent;
/// the modes are git's (`git2::FileMode` values), normalised as libgit2 normalises them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub path: String,
    pub old: Option<Oid>,
    pub new: Option<Oid>,
    pub old_mode: Option<i32>,
    pub new_mode: Option<i32>,
}

impl Changed {
    pub fn added(&self) -> bool {
        self.old.is_none()
    }

    pub fn deleted(&self) -> bool {
        self.new.is_none()
    }
}

/// Every file (blob, link or submodule) that differs between the trees `old` and `new`, in
/// path order.
pub fn diff(repo: &Repository, old: Option<Oid>, new: Oid) -> Result<Vec<Changed>> {
    let odb = repo.odb()?;
    let mut cache = TreeCache::default();
    diff_cached(&odb, &mut cache, old, new)
}

/// `diff`, reading trees through `cache`: a caller diffing consecutive commits reads each
/// tree once instead of once as the new side and again as the old side of the next diff.
pub fn diff_cached<'o>(odb: &'o Odb, cache: &mut TreeCache<'o>, old: Option<Oid>, new: Oid) -> Result<Vec<Changed>> {
    let mut out = Vec::new();
    let mut walk = Walk { odb, cache };
    let old = old.map(|id| walk.tree(id)).transpose()?;
    let new = walk.tree(new)?;
    walk.walk(old.as_ref().map(|t| t.data()), Some(new.data()), "", &mut out)?;
    Ok(out)
}

/// Raw trees read by the last two rounds of diffs, by id. Call `next_round` between commits;
/// a tree not used in two rounds is let go, so the cache stays the size of a few changes.
#[derive(Default)]
pub struct TreeCache<'o> {
    current: HashMap<Oid, Rc<OdbObject<'o>>>,
    previous: HashMap<Oid, Rc<OdbObject<'o>>>,
    check_ids: bool,
}

impl<'o> TreeCache<'o> {
    /// A cache that checks every tree it reads against its id (`repo::check_id`), for callers
    /// that must not trust the disk (`verify`); libgit2 itself does not re-hash what it reads.
    pub fn checking_ids() -> Self {
        TreeCache { check_ids: true, ..TreeCache::default() }
    }

    /// The raw tree `id`, read once per two rounds.
    pub fn get(&mut self, odb: &'o Odb, id: Oid) -> Result<Rc<OdbObject<'o>>> {
        if let Some(t) = self.current.get(&id) {
            return Ok(t.clone());
        }
        let t = match self.previous.remove(&id) {
            Some(t) => t,
            None => {
                let object = read_tree(odb, id)?;
                if self.check_ids {
                    crate::repo::check_id(id, ObjectType::Tree, object.data())?;
                }
                Rc::new(object)
            }
        };
        self.current.insert(id, t.clone());
        Ok(t)
    }

    pub fn next_round(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }
}

fn corrupt(id: Oid, what: &str) -> git2::Error {
    git2::Error::from_str(&format!("tree {id} {what}"))
}

const MODE_TYPE: i32 = 0o170000;
pub(crate) const TREE: i32 = 0o040000;

/// libgit2's `normalize_filemode`, so that modes compare as `TreeEntry::filemode` does.
fn normalize(mode: i32) -> i32 {
    use git2::FileMode;
    if mode & MODE_TYPE == TREE {
        TREE
    } else if mode & 0o111 != 0 {
        FileMode::BlobExecutable.into()
    } else if mode & MODE_TYPE == i32::from(FileMode::Commit) {
        FileMode::Commit.into()
    } else if mode & MODE_TYPE == i32::from(FileMode::Link) {
        FileMode::Link.into()
    } else {
        FileMode::Blob.into()
    }
}

/// The raw tree `id`, refused if the object is something else.
pub(crate) fn read_tree<'o>(odb: &'o Odb<'_>, id: Oid) -> Result<OdbObject<'o>> {
    let object = odb.read(id)?;
    if object.kind() != ObjectType::Tree {
        return Err(corrupt(id, "is not a tree").into());
    }
    Ok(object)
}

/// The entries of the raw tree `id` whose bytes are `data`, in order; a malformed entry ends
/// them with an error.
pub(crate) fn entries(id: Oid, data: &[u8]) -> impl Iterator<Item = Result<Entry<'_>>> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= data.len() {
            return None;
        }
        let entry = entry_at(data, at);
        at = entry.as_ref().map_or(data.len(), |e| e.end);
        Some(entry.map_err(|what| corrupt(id, what).into()))
    })
}

/// One entry of a raw tree: its mode, name and id, and where the next entry starts.
pub(crate) struct Entry<'a> {
    pub(crate) mode: i32,
    pub(crate) name: &'a [u8],
    pub(crate) id: &'a [u8],
    pub(crate) end: usize,
}

impl Entry<'_> {
    pub(crate) fn is_tree(&self) -> bool {
        self.mode == TREE
    }

    pub(crate) fn oid(&self) -> Oid {
        Oid::from_bytes(self.id).expect("20 bytes")
    }
}

/// The entry of raw tree `data` that starts at `at`.
pub(crate) fn entry_at(data: &[u8], at: usize) -> std::result::Result<Entry<'_>, &'static str> {
    let rest = &data[at..];
    let space = rest.iter().position(|b| *b == b' ').ok_or("has an entry without a mode")?;
    let mut mode = 0i32;
    for d in &rest[..space] {
        if !(b'0'..=b'7').contains(d) || mode > 0o177777 {
            return Err("has an entry with a bad mode");
        }
        mode = mode * 8 + i32::from(d - b'0');
    }
    let name_start = space + 1;
    let nul = rest[name_start..].iter().position(|b| *b == 0).ok_or("has an entry without an id")?;
    let id_start = name_start + nul + 1;
    if space == 0 || nul == 0 || id_start + 20 > rest.len() {
        return Err("has a truncated entry");
    }
    Ok(Entry {
        mode: normalize(mode),
        name: &rest[name_start..name_start + nul],
        id: &rest[id_start..id_start + 20],
        end: at + id_start + 20,
    })
}

/// How many bytes `a` and `b` share at their start, compared a block at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    i + a[i..n].iter().zip(&b[i..n]).take_while(|(x, y)| x == y).count()
}

/// How many bytes `a` and `b` share at their end, not counting the first `skip`.
fn common_suffix(a: &[u8], b: &[u8], skip: usize) -> usize {
    const BLOCK: usize = 64;
    let n = a.len().min(b.len()) - skip;
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut k = 0;
    while k + BLOCK <= n && a[n - k - BLOCK..n - k] == b[n - k - BLOCK..n - k] {
        k += BLOCK;
    }
    k + a[..n - k].iter().rev().zip(b[..n - k].iter().rev()).take_while(|(x, y)| x == y).count()
}

/// git sorts tree entries with folders compared as if their names ended in '/'.
pub(crate) fn entry_order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> Ordering {
    let n = a.len().min(b.len());
    match a[..n].cmp(&b[..n]) {
        Ordering::Equal => {
            let next = |name: &[u8], tree: bool| name.get(n).copied().or(if tree { Some(b'/') } else { None });
            next(a, a_tree).cmp(&next(b, b_tree))
        }
        other => other,
    }
}

struct Walk<'a, 'o> {
    odb: &'o Odb<'o>,
    cache: &'a mut TreeCache<'o>,
}

impl<'o> Walk<'_, 'o> {
    fn tree(&mut self, id: Oid) -> Result<Rc<OdbObject<'o>>> {
        self.cache.get(self.odb, id)
    }

    fn walk(&mut self, old: Option<&[u8]>, new: Option<&[u8]>, prefix: &str, out: &mut Vec<Changed>) -> Result<()> {
        let (a, b) = (old.unwrap_or_default(), new.unwrap_or_default());
        let bad = |what| -> crate::error::Error {
            let at = if prefix.is_empty() { "the root tree".to_string() } else { format!("the tree {prefix}/") };
            git2::Error::from_str(&format!("{at} {what}")).into()
        };
        // Entries wholly inside the bytes both trees share at their start are the same
        // entries: parse them only to find where the first differing entry starts.
        let shared = common_prefix(a, b);
        if shared == a.len() && shared == b.len() {
            return Ok(());
        }
        let mut start = 0;
        while start < a.len() {
            let e = entry_at(a, start).map_err(bad)?;
            if e.end > shared {
                break;
            }
            start = e.end;
        }
        // Past this many bytes from the end, both trees are the same again.
        let tail = common_suffix(a, b, start);
        let (mut i, mut j) = (start, start);
        while i < a.len() || j < b.len() {
            if a.len() - i == b.len() - j && a.len() - i <= tail {
                break; // both at an entry's start, with the same entries after it
            }
            let x = (i < a.len()).then(|| entry_at(a, i)).transpose().map_err(bad)?;
            let y = (j < b.len()).then(|| entry_at(b, j)).transpose().map_err(bad)?;
            let order = match (&x, &y) {
                (Some(x), Some(y)) => entry_order(x.name, x.is_tree(), y.name, y.is_tree()),
                (Some(_), None) => Ordering::Less,
                _ => Ordering::Greater,
            };
            match order {
                Ordering::Less => {
                    let x = x.expect("an old entry");
                    i = x.end;
                    self.side(&x, prefix, true, out)?;
                }
                Ordering::Greater => {
                    let y = y.expect("a new entry");
                    j = y.end;
                    self.side(&y, prefix, false, out)?;
                }
                Ordering::Equal => {
                    let (x, y) = (x.expect("an old entry"), y.expect("a new entry"));
                    (i, j) = (x.end, y.end);
                    // A file that becomes a symbolic link with the same bytes keeps its blob id,
                    // so the mode is compared too.
                    if x.id == y.id && x.mode == y.mode {
                        continue;
                    }
                    // Entries whose names are not UTF-8 are not paths Gatehouse knows.
                    let Some(path) = join(prefix, x.name) else { continue };
                    if x.is_tree() {
                        let (tx, ty) = (self.tree(x.oid())?, self.tree(y.oid())?);
                        self.walk(Some(tx.data()), Some(ty.data()), &path, out)?;
                    } else {
                        out.push(Changed {
                            path,
                            old: Some(x.oid()),
                            new: Some(y.oid()),
                            old_mode: Some(x.mode),
                            new_mode: Some(y.mode),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// An entry present on one side only: every file below it is added or deleted.
    fn side(&mut self, e: &Entry, prefix: &str, is_old: bool, out: &mut Vec<Changed>) -> Result<()> {
        let Some(path) = join(prefix, e.name) else { return Ok(()) };
        if e.is_tree() {
            let t = self.tree(e.oid())?;
            if is_old {
                self.walk(Some(t.data()), None, &path, out)
            } else {
                self.walk(None, Some(t.data()), &path, out)
            }
        } else {
            let (id, mode) = (Some(e.oid()), Some(e.mode));
            out.push(if is_old {
                Changed { path, old: id, new: None, old_mode: mode, new_mode: None }
            } else {
                Changed { path, old: None, new: id, old_mode: None, new_mode: mode }
            });
            Ok(())
        }
    }
}

/// `prefix/name`, or `None` when the name is not UTF-8.
fn join(prefix: &str, name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    Some(if prefix.is_empty() { name.to_string() } else { format!("{prefix}/{name}") })
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::build::TreeUpdateBuilder;
    use git2::FileMode;
    use git2::Tree;

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
        let ours: Vec<String> = diff(&repo, Some(old.id()), new.id()).unwrap().into_iter().map(|c| c.path).collect();
        let mut sorted = ours.clone();
        sorted.sort();
        assert_eq!(sorted, libgit2_paths(&repo, &old, &new), "the same changed files as libgit2");
        let edited = diff(&repo, Some(old.id()), new.id()).unwrap().into_iter().find(|c| c.path == "a.txt").unwrap();
        assert!(!edited.added() && !edited.deleted(), "an edited file has both sides");
        assert!(diff(&repo, Some(old.id()), old.id()).unwrap().is_empty(), "a tree does not differ from itself");
        let from_nothing = diff(&repo, None, old.id()).unwrap();
        assert_eq!(from_nothing.len(), 5, "every file is added against no tree");
        assert!(from_nothing.iter().all(Changed::added));
    }

    /// A tree for the property test: up to 40 top-level names (a long, shared prefix and
    /// suffix, as in `signoffs/`), each absent, a file (content, executable) or a folder.
    #[derive(Debug, Clone)]
    enum Node {
        File(u8, bool),
        Folder(Vec<Option<u8>>),
    }

    fn node() -> impl proptest::strategy::Strategy<Value = Option<Node>> {
        use proptest::prelude::*;
        prop_oneof![
            Just(None),
            (0u8..3, any::<bool>()).prop_map(|(c, x)| Some(Node::File(c, x))),
            proptest::collection::vec(proptest::option::of(0u8..3), 3).prop_map(|f| Some(Node::Folder(f))),
        ]
    }

    fn build(repo: &Repository, nodes: &[Option<Node>]) -> Oid {
        let mut root = repo.treebuilder(None).unwrap();
        for (i, n) in nodes.iter().enumerate() {
            let name = format!("model-{i:03}");
            match n {
                None => {}
                Some(Node::File(c, exec)) => {
                    let mode = if *exec { FileMode::BlobExecutable } else { FileMode::Blob };
                    root.insert(&name, repo.blob(&[*c]).unwrap(), mode.into()).unwrap();
                }
                Some(Node::Folder(files)) => {
                    let mut sub = repo.treebuilder(None).unwrap();
                    for (k, f) in files.iter().enumerate() {
                        if let Some(c) = f {
                            sub.insert(format!("f{k}"), repo.blob(&[*c]).unwrap(), FileMode::Blob.into()).unwrap();
                        }
                    }
                    if !files.iter().all(Option::is_none) {
                        root.insert(&name, sub.write().unwrap(), FileMode::Tree.into()).unwrap();
                    }
                }
            }
        }
        root.write().unwrap()
    }

    /// libgit2's diff as (path, old id, new id), absent sides as `None`.
    fn libgit2_changes(repo: &Repository, old: Oid, new: Oid) -> Vec<(String, Option<Oid>, Option<Oid>)> {
        let (old, new) = (repo.find_tree(old).unwrap(), repo.find_tree(new).unwrap());
        let diff = repo.diff_tree_to_tree(Some(&old), Some(&new), None).unwrap();
        let side = |id: Oid| (!id.is_zero()).then_some(id);
        let mut out: Vec<_> = diff
            .deltas()
            .map(|d| {
                let path = d.new_file().path().or(d.old_file().path()).unwrap().to_string_lossy().into_owned();
                (path, side(d.old_file().id()), side(d.new_file().id()))
            })
            .collect();
        out.sort();
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// Skipping the bytes two trees share must never skip a change: on trees that differ
        /// anywhere (first entry, last, a folder inside, a file turned folder, a mode), the
        /// raw diff names exactly the files libgit2 names, with the same ids.
        #[test]
        fn raw_diff_agrees_with_libgit2(
            old in proptest::collection::vec(node(), 40),
            edits in proptest::collection::vec(proptest::option::of(node()), 40),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let repo = Repository::init(dir.path()).unwrap();
            let new: Vec<Option<Node>> =
                old.iter().zip(&edits).map(|(o, e)| e.clone().unwrap_or_else(|| o.clone())).collect();
            let (a, b) = (build(&repo, &old), build(&repo, &new));
            let mut ours: Vec<_> = diff(&repo, Some(a), b).unwrap().into_iter().map(|c| (c.path, c.old, c.new)).collect();
            ours.sort();
            proptest::prop_assert_eq!(ours, libgit2_changes(&repo, a, b));
        }
    }

    #[test]
    fn a_mode_change_with_the_same_bytes_is_a_change_and_odd_names_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let blob = repo.blob(b"card.md").unwrap();
        let tree = |mode: FileMode| {
            let mut b = repo.treebuilder(None).unwrap();
            b.insert("evidence", blob, mode.into()).unwrap();
            b.insert(
                b"\xff\xfe-not-utf8".as_slice(),
                repo.blob(&[u8::from(mode == FileMode::Link)]).unwrap(),
                0o100644,
            )
            .unwrap();
            b.write().unwrap()
        };
        let (file, link) = (tree(FileMode::Blob), tree(FileMode::Link));
        let changes = diff(&repo, Some(file), link).unwrap();
        assert_eq!(changes.len(), 1, "the non-UTF-8 name is no path Gatehouse knows: {changes:?}");
        let c = &changes[0];
        assert_eq!((c.path.as_str(), c.old, c.new), ("evidence", Some(blob), Some(blob)), "same blob, both sides");
        assert_eq!(
            (c.old_mode, c.new_mode),
            (Some(i32::from(FileMode::Blob)), Some(i32::from(FileMode::Link))),
            "a file that became a link is reported with both modes"
        );
    }
}
