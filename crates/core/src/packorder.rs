//! Where objects sit in git's pack files, so that many objects can be read in the order they
//! are stored.
//!
//! git stores most objects as deltas on an object stored before them in the same pack, in
//! chains up to 50 deep. libgit2 keeps the bases it resolved in a cache of 16 MiB per pack,
//! and empties it whole when it is full. Read in the order of the tree, a record's sign-off
//! files resolve their chains again and again once they outgrow such a cache: a reader with
//! a cache of that size inflated 2.6 zlib streams per object at the tip of the benchmark's
//! 1,000-model history, and 12.8 at 5,000 models (docs/benchmarks.md). Read in the order of
//! the pack, each delta's base is, most of the time, the object read just before it.
//!
//! Only the order is taken from here: objects are still read through libgit2. A pack index
//! this does not know (not version 2, or cut short) orders its objects last, as loose objects
//! are, which costs time and nothing else.

use std::collections::HashMap;
use std::path::Path;

use git2::Oid;

use crate::error::Result;

/// The version 2 pack indexes of one object database.
pub struct PackOrder {
    indexes: Vec<Vec<u8>>,
}

/// An object's place: its pack (in the order the folder lists them), then its offset. Objects
/// in no known pack come last.
pub type Place = (usize, u64);

const MAGIC: &[u8; 8] = b"\xfftOc\x00\x00\x00\x02";
const FANOUT: usize = 8;
const NAMES: usize = FANOUT + 256 * 4;

impl PackOrder {
    /// Reads the pack indexes in `objects/pack` of the repository at `git_dir`. A folder that
    /// cannot be read gives an order that knows no pack.
    pub fn open(git_dir: &Path) -> PackOrder {
        let mut indexes = Vec::new();
        if let Ok(dir) = std::fs::read_dir(git_dir.join("objects").join("pack")) {
            let mut paths: Vec<_> = dir
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "idx"))
                .collect();
            paths.sort();
            indexes.extend(paths.iter().filter_map(|p| std::fs::read(p).ok()).filter(|i| count(i).is_some()));
        }
        PackOrder { indexes }
    }

    /// Where `id` sits.
    pub fn place(&self, id: Oid) -> Place {
        self.indexes
            .iter()
            .enumerate()
            .find_map(|(pack, index)| offset(index, id.as_bytes()).map(|o| (pack, o)))
            .unwrap_or((usize::MAX, 0))
    }
}

/// Objects read in the order the packs store them, their bytes held in one allocation.
pub struct InOrder {
    /// Where each object's bytes sit in `bytes`.
    at: HashMap<Oid, (usize, usize)>,
    bytes: Vec<u8>,
}

impl InOrder {
    /// Reads each of `ids` once with `read`, in the order of `order`.
    pub fn read<B: AsRef<[u8]>>(
        order: &PackOrder,
        ids: impl IntoIterator<Item = Oid>,
        mut read: impl FnMut(Oid) -> Result<B>,
    ) -> Result<InOrder> {
        let mut wanted: Vec<(Place, Oid)> = ids.into_iter().map(|id| (order.place(id), id)).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let (mut at, mut bytes) = (HashMap::with_capacity(wanted.len()), Vec::new());
        for (_, id) in wanted {
            let object = read(id)?;
            let data = object.as_ref();
            at.insert(id, (bytes.len(), data.len()));
            bytes.extend_from_slice(data);
        }
        Ok(InOrder { at, bytes })
    }

    /// The bytes of `id`, if it was read.
    pub fn get(&self, id: Oid) -> Option<&[u8]> {
        self.at.get(&id).map(|&(at, len)| &self.bytes[at..at + len])
    }
}

/// The number of objects in a well-formed version 2 index.
fn count(index: &[u8]) -> Option<usize> {
    if index.get(..8)? != MAGIC {
        return None;
    }
    let n = be32(index, FANOUT + 255 * 4)? as usize;
    // Names, checksums and small offsets, then the two trailing hashes at least.
    (index.len() >= NAMES + n * 28 + 40).then_some(n)
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The offset of `id` in the pack `index` describes.
fn offset(index: &[u8], id: &[u8]) -> Option<u64> {
    let n = count(index)?;
    let first = *id.first()? as usize;
    let mut lo = if first == 0 { 0 } else { be32(index, FANOUT + (first - 1) * 4)? as usize };
    let mut hi = (be32(index, FANOUT + first * 4)? as usize).min(n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        let name = index.get(NAMES + mid * 20..NAMES + mid * 20 + 20)?;
        match name.cmp(id) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => {
                let small = be32(index, NAMES + n * 24 + mid * 4)?;
                if small & 0x8000_0000 == 0 {
                    return Some(u64::from(small));
                }
                // Packs over 2 GiB: the offset is in the table of large ones.
                let at = NAMES + n * 28 + (small & 0x7fff_ffff) as usize * 8;
                return Some(u64::from_be_bytes(index.get(at..at + 8)?.try_into().ok()?));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    #[test]
    fn places_are_git_s_own_offsets() {
        // A pack written by git, with deltas: every object's offset must be the one
        // `git verify-pack` reports, and an object in no pack comes last.
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let who = git2::Signature::new("A", "a@example.org", &git2::Time::new(1_764_000_000, 0)).unwrap();
        let mut parent = None;
        for i in 0..40 {
            let text = format!("{}\nline {i}\n", "shared text of every version\n".repeat(20));
            let blob = repo.blob(text.as_bytes()).unwrap();
            let mut tb = repo.treebuilder(None).unwrap();
            tb.insert("file.txt", blob, 0o100644).unwrap();
            let tree = repo.find_tree(tb.write().unwrap()).unwrap();
            let parents: Vec<git2::Commit> = parent.iter().map(|p| repo.find_commit(*p).unwrap()).collect();
            let refs: Vec<&git2::Commit> = parents.iter().collect();
            parent = Some(repo.commit(Some("HEAD"), &who, &who, &format!("c{i}"), &tree, &refs).unwrap());
        }
        let git = |args: &[&str]| Command::new("git").arg("-C").arg(dir.path()).args(args).output().unwrap();
        assert!(git(&["gc", "-q"]).status.success(), "git gc packs the objects");
        let loose = repo.blob(b"written after the pack").unwrap();

        let order = PackOrder::open(repo.path());
        let idx = std::fs::read_dir(repo.path().join("objects/pack"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "idx"))
            .unwrap();
        let listed = git(&["verify-pack", "-v", idx.to_str().unwrap()]);
        let mut checked = 0;
        for line in String::from_utf8(listed.stdout).unwrap().lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() >= 5 && f[0].len() == 40 {
                let id = Oid::from_str(f[0]).unwrap();
                assert_eq!(order.place(id), (0, f[4].parse().unwrap()), "offset of {id}");
                checked += 1;
            }
        }
        assert_eq!(checked, 120, "40 commits, trees and blobs");
        assert_eq!(order.place(loose), (usize::MAX, 0), "a loose object sorts last");
    }

    #[test]
    fn an_index_it_does_not_know_orders_nothing() {
        // A truncated index must not be read past its end.
        assert_eq!(count(MAGIC), None);
        let mut short = MAGIC.to_vec();
        short.extend([0u8; 1024]);
        short[NAMES - 1] = 9;
        assert_eq!(count(&short), None, "claims 9 objects it does not hold");
        assert_eq!(offset(&short, &[0u8; 20]), None);
    }
}
