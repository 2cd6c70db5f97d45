//! git's pack files, read directly where many objects are read at once (the cold build), in
//! the order the packs store them.
//!
//! git stores most objects as deltas on an object stored before them in the same pack, in
//! chains up to 50 deep. libgit2 resolves each object's chain on its own and keeps only the
//! chain's stored end as a base, so every delta of a chain inflates again the deltas below it:
//! the tip's sign-off files and folders cost three zlib streams each through libgit2 on the
//! benchmark's 1,000-model history, even read in the packs' order (docs/benchmarks.md). Read in
//! that order with every object resolved kept for a while (`object::Reader`), a delta's base is
//! most often the object read just before: one stream per object.
//!
//! This is a fast path only. An object in no pack known here (a loose object, a pack whose
//! index is not version 2, an alternate object store), or one this does not read (`object`
//! says which), is read through libgit2, which gives the error if there is one. Like libgit2
//! with the settings of `repo.rs`, objects are not hashed again on reading; `verify` does that.

mod folders;
mod index;
mod object;

use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use git2::{ObjectType, Oid};
use memmap2::Mmap;

use crate::error::Result;
pub use folders::folders_at;
pub use object::Reader;

/// The packs of one object database whose indexes are version 2.
pub struct Packs {
    packs: Vec<Pack>,
}

struct Pack {
    index: Mmap,
    data: Mmap,
}

/// An object's place: its pack (in the order the folder lists them), then its offset. Objects
/// in no known pack come last.
pub type Place = (usize, u64);

/// Where a place is not in a known pack.
const NOWHERE: Place = (usize::MAX, 0);

impl Packs {
    /// The packs in `objects/pack` of the repository at `git_dir`. A folder that cannot be
    /// read gives no packs, and a pack that cannot be read is left out: their objects are read
    /// through libgit2.
    pub fn open(git_dir: &Path) -> Packs {
        let mut packs = Vec::new();
        if let Ok(dir) = std::fs::read_dir(git_dir.join("objects").join("pack")) {
            let mut paths: Vec<_> = dir
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "idx"))
                .collect();
            paths.sort();
            packs.extend(paths.iter().filter_map(|p| Pack::open(p)));
        }
        Packs { packs }
    }

    /// Where `id` sits.
    pub fn place(&self, id: Oid) -> Place {
        self.place_near(id, 0)
    }

    /// Where `id` sits, looked for first in pack `first`: objects read one after another are
    /// most often in the same pack.
    fn place_near(&self, id: Oid, first: usize) -> Place {
        let id = id.as_bytes();
        if let Some(offset) = self.packs.get(first).and_then(|p| index::offset(&p.index, id)) {
            return (first, offset);
        }
        self.packs
            .iter()
            .enumerate()
            .filter(|(pack, _)| *pack != first)
            .find_map(|(pack, p)| index::offset(&p.index, id).map(|o| (pack, o)))
            .unwrap_or(NOWHERE)
    }
}

impl Pack {
    fn open(idx: &Path) -> Option<Pack> {
        // SAFETY (both maps): git never writes into a pack or its index after naming it: it
        // writes new ones beside them and renames them into place, and removes old ones whole
        // (a mapping of a removed file stays valid). libgit2 maps the same files the same way.
        let index = unsafe { Mmap::map(&File::open(idx).ok()?) }.ok()?;
        let count = index::count(&index)?;
        let data = unsafe { Mmap::map(&File::open(idx.with_extension("pack")).ok()?) }.ok()?;
        // "PACK", version 2 or 3, the same number of objects as the index, and the trailing
        // checksum's 20 bytes after the entries.
        let known = data.len() >= 32
            && &data[..4] == b"PACK"
            && matches!(data[4..8], [0, 0, 0, 2 | 3])
            && u32::from_be_bytes([data[8], data[9], data[10], data[11]]) as usize == count;
        known.then_some(Pack { index, data })
    }
}

/// A raw commit's root tree and parents, read as git writes them (the `tree` line first, then
/// each `parent` line); `None` for anything else, which libgit2 then reads and judges.
pub fn commit_links(data: &[u8]) -> Option<(Oid, Vec<Oid>)> {
    let id = |hex: &[u8]| (hex.len() == 40).then(|| Oid::from_str(std::str::from_utf8(hex).ok()?).ok()).flatten();
    let mut lines = data.split(|b| *b == b'\n');
    let tree = id(lines.next()?.strip_prefix(b"tree ")?)?;
    let mut parents = Vec::new();
    for line in lines {
        let Some(hex) = line.strip_prefix(b"parent ") else { break };
        parents.push(id(hex)?);
    }
    Some((tree, parents))
}

/// Objects of one type read in the order the packs store them.
pub struct InOrder {
    by_id: HashMap<Oid, Arc<[u8]>>,
}

impl InOrder {
    /// Reads each of `ids`, of type `kind`, once, in the order of `packs`: through `reader`
    /// where it can, else with `fallback` (libgit2).
    pub fn read<B: AsRef<[u8]>>(
        reader: &mut Reader,
        ids: impl IntoIterator<Item = Oid>,
        kind: ObjectType,
        mut fallback: impl FnMut(Oid) -> Result<B>,
    ) -> Result<InOrder> {
        let mut wanted: Vec<(Place, Oid)> = ids.into_iter().map(|id| (reader.place(id), id)).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut by_id = HashMap::with_capacity(wanted.len());
        for (place, id) in wanted {
            let bytes = match reader.read(place) {
                Some((k, data)) if k == kind => data,
                _ => Arc::from(fallback(id)?.as_ref()),
            };
            by_id.insert(id, bytes);
        }
        Ok(InOrder { by_id })
    }

    /// The bytes of `id`, if it was read.
    pub fn get(&self, id: Oid) -> Option<&[u8]> {
        self.by_id.get(&id).map(|b| &b[..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    /// An object as `git verify-pack -v` lists it: id, type, offset and delta depth.
    struct Listed {
        id: Oid,
        kind: String,
        offset: u64,
        depth: usize,
    }

    /// A repository of 40 commits of one file, packed by `git gc` with `config`, and
    /// the objects of its one pack.
    fn packed(config: &[&str]) -> (tempfile::TempDir, git2::Repository, Vec<Listed>) {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let who = git2::Signature::new("A", "a@example.org", &git2::Time::new(1_764_000_000, 0)).unwrap();
        let mut parent = None;
        for i in 0..40 {
            // One line of 200 changed in each version: git stores them as deltas on deltas.
            let text: String = (0..200)
                .map(|k| {
                    if k == i {
                        format!("changed in version {i}\n")
                    } else {
                        format!("line {k} of the shared text\n")
                    }
                })
                .collect();
            let blob = repo.blob(text.as_bytes()).unwrap();
            let mut tb = repo.treebuilder(None).unwrap();
            tb.insert("file.txt", blob, 0o100644).unwrap();
            let tree = repo.find_tree(tb.write().unwrap()).unwrap();
            let parents: Vec<git2::Commit> = parent.iter().map(|p| repo.find_commit(*p).unwrap()).collect();
            let refs: Vec<&git2::Commit> = parents.iter().collect();
            parent = Some(repo.commit(Some("HEAD"), &who, &who, &format!("c{i}"), &tree, &refs).unwrap());
        }
        let git = |args: &[&str]| Command::new("git").arg("-C").arg(dir.path()).args(args).output().unwrap();
        let mut gc: Vec<&str> = config.iter().flat_map(|c| ["-c", c]).collect();
        gc.extend(["gc", "-q"]);
        assert!(git(&gc).status.success(), "git gc packs the objects");
        let idx = std::fs::read_dir(repo.path().join("objects/pack"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "idx"))
            .unwrap();
        let listed = git(&["verify-pack", "-v", idx.to_str().unwrap()]);
        let objects = String::from_utf8(listed.stdout)
            .unwrap()
            .lines()
            .map(|line| line.split_whitespace().collect::<Vec<_>>())
            .filter(|f| f.len() >= 5 && f[0].len() == 40)
            .map(|f| Listed {
                id: Oid::from_str(f[0]).unwrap(),
                kind: f[1].to_string(),
                offset: f[4].parse().unwrap(),
                depth: f.get(5).map_or(0, |d| d.parse().unwrap()),
            })
            .collect();
        (dir, repo, objects)
    }

    #[test]
    fn places_are_git_s_own_offsets() {
        // Every object's offset must be the one `git verify-pack` reports, and an object in
        // no pack comes last.
        let (_dir, repo, objects) = packed(&[]);
        let loose = repo.blob(b"written after the pack").unwrap();
        let packs = Packs::open(repo.path());
        for o in &objects {
            assert_eq!(packs.place(o.id), (0, o.offset), "offset of {}", o.id);
        }
        assert_eq!(objects.len(), 120, "40 commits, trees and blobs");
        assert_eq!(packs.place(loose), NOWHERE, "a loose object sorts last");
    }

    #[test]
    fn every_object_reads_as_libgit2_reads_it() {
        // Deltas by offset (git's default) and by id: each object's type and bytes must be
        // libgit2's, and in the pack's order each object costs one zlib stream, its base
        // having been read just before.
        for config in [&[][..], &["repack.useDeltaBaseOffset=false"][..]] {
            let (_dir, repo, objects) = packed(config);
            let deepest = objects.iter().map(|o| o.depth).max().unwrap();
            assert!(deepest >= 3, "{config:?}: git stored deltas on deltas (deepest {deepest})");
            let packs = Packs::open(repo.path());
            let mut reader = Reader::new(&packs);
            let odb = repo.odb().unwrap();
            let mut in_order: Vec<&Listed> = objects.iter().collect();
            in_order.sort_by_key(|o| o.offset);
            for o in in_order {
                let (kind, bytes) = reader.read(packs.place(o.id)).unwrap_or_else(|| panic!("{} is read", o.id));
                let expected = odb.read(o.id).unwrap();
                assert_eq!(kind, expected.kind(), "{config:?}: type of {}", o.id);
                assert_eq!(kind.str(), o.kind, "{config:?}: the type git lists for {}", o.id);
                assert_eq!(&bytes[..], expected.data(), "{config:?}: bytes of {}", o.id);
            }
            assert_eq!(reader.streams(), objects.len(), "{config:?}: one stream per object");
        }
    }

    #[test]
    fn a_commit_s_links_are_libgit2_s() {
        // Every commit of the packed history, then a merge and malformed headers by hand.
        let (_dir, repo, objects) = packed(&[]);
        let packs = Packs::open(repo.path());
        let mut reader = Reader::new(&packs);
        for o in objects.iter().filter(|o| o.kind == "commit") {
            let (_, data) = reader.read(packs.place(o.id)).unwrap();
            let commit = repo.find_commit(o.id).unwrap();
            let expected = (commit.tree_id(), commit.parent_ids().collect::<Vec<_>>());
            assert_eq!(commit_links(&data), Some(expected), "commit {}", o.id);
        }
        let (a, b, c) = ("a".repeat(40), "b".repeat(40), "c".repeat(40));
        let merge = format!("tree {a}\nparent {b}\nparent {c}\nauthor A <a@b> 1 +0000\n\nparent {a}\n");
        let ids = |hex: &[&String]| hex.iter().map(|h| Oid::from_str(h).unwrap()).collect::<Vec<_>>();
        assert_eq!(commit_links(merge.as_bytes()), Some((ids(&[&a])[0], ids(&[&b, &c]))), "two parents, no more");
        assert_eq!(commit_links(format!("tree {a}").as_bytes()), Some((ids(&[&a])[0], vec![])), "a root commit");
        for bad in [
            format!("tree {}\n", &a[..39]),
            format!("author x\ntree {a}\n"),
            format!("tree {a}\nparent zz\n"),
            String::new(),
        ] {
            assert_eq!(commit_links(bad.as_bytes()), None, "{bad:?} is left to libgit2");
        }
    }

    #[test]
    fn what_is_not_in_a_pack_is_read_through_the_fallback() {
        let (_dir, repo, objects) = packed(&[]);
        let loose = repo.blob(b"written after the pack").unwrap();
        let packs = Packs::open(repo.path());
        let mut reader = Reader::new(&packs);
        let blobs: Vec<Oid> = objects.iter().filter(|o| o.kind == "blob").map(|o| o.id).collect();
        let odb = repo.odb().unwrap();
        let mut asked = Vec::new();
        let wanted = blobs.iter().copied().chain([loose]);
        let read = InOrder::read(&mut reader, wanted, ObjectType::Blob, |id| {
            asked.push(id);
            Ok(odb.read(id)?.data().to_vec())
        })
        .unwrap();
        assert_eq!(asked, [loose], "only the loose blob goes to libgit2");
        assert_eq!(read.get(loose), Some(&b"written after the pack"[..]));
        for id in blobs {
            assert_eq!(read.get(id), Some(odb.read(id).unwrap().data()), "blob {id}");
        }

        // A commit asked for as a blob is not taken from the pack: the fallback judges it.
        let commit = objects.iter().find(|o| o.kind == "commit").unwrap().id;
        let refused = InOrder::read(&mut reader, [commit], ObjectType::Blob, |id| {
            Err::<Vec<u8>, _>(git2::Error::from_str(&format!("{id} is not a blob")).into())
        });
        assert!(refused.is_err(), "the fallback's error is the answer");
    }

    #[test]
    fn a_damaged_pack_is_never_read_past_its_bounds() {
        // Bytes of the pack overwritten at many places: reading every object must never
        // panic or read out of bounds, and damage the checks notice leaves the object to
        // libgit2 (which then reports it).
        let (_dir, repo, objects) = packed(&[]);
        let pack = std::fs::read_dir(repo.path().join("objects/pack"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "pack"))
            .unwrap();
        let original = std::fs::read(&pack).unwrap();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as usize
        };
        let mut left_to_libgit2 = 0;
        for _ in 0..200 {
            let mut damaged = original.clone();
            for _ in 0..1 + next(4) {
                let at = 12 + next(damaged.len() - 32);
                damaged[at] = next(256) as u8;
            }
            let copy = tempfile::tempdir().unwrap();
            let packs_dir = copy.path().join("objects/pack");
            std::fs::create_dir_all(&packs_dir).unwrap();
            std::fs::write(packs_dir.join(pack.file_name().unwrap()), &damaged).unwrap();
            let idx = pack.with_extension("idx");
            std::fs::copy(&idx, packs_dir.join(idx.file_name().unwrap())).unwrap();
            let packs = Packs::open(copy.path());
            let mut reader = Reader::new(&packs);
            for o in &objects {
                if reader.read(packs.place(o.id)).is_none() {
                    left_to_libgit2 += 1;
                }
            }
        }
        assert!(left_to_libgit2 > 0, "some damage is noticed and left to libgit2");
    }
}
