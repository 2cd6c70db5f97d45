//! Many folders of one tree found at once, level by level: each level's folders read in the
//! packs' order, and each folder listed once however many paths go through it.

use std::collections::HashMap;

use git2::{ObjectType, Odb, Oid};

use super::{InOrder, Reader};
use crate::treediff::{entries, TREE};

/// The folder at each of `paths` (names joined by `/`) below the tree `root`, as
/// `repo::subtree_id` finds it one at a time: `None` where there is no folder, and where a
/// folder on the way cannot be read.
pub fn folders_at(reader: &mut Reader, odb: &Odb, root: Oid, paths: &[String]) -> Vec<Option<Oid>> {
    let names: Vec<Vec<&str>> = paths.iter().map(|p| p.split('/').collect()).collect();
    let mut at: Vec<Option<Oid>> = vec![Some(root); paths.len()];
    let depth = names.iter().map(Vec::len).max().unwrap_or(0);
    for level in 0..depth {
        let wanted = at.iter().zip(&names).filter(|(_, n)| n.len() > level).filter_map(|(id, _)| *id);
        // A folder that cannot be read is read as an empty one: nothing is found in it.
        let Ok(read) = InOrder::read(reader, wanted, ObjectType::Tree, |id| {
            Ok(odb.read(id).ok().filter(|o| o.kind() == ObjectType::Tree).map_or_else(Vec::new, |o| o.data().to_vec()))
        }) else {
            return vec![None; paths.len()];
        };
        let mut listed: HashMap<Oid, HashMap<&[u8], (Oid, i32)>> = HashMap::new();
        for (id, names) in at.iter_mut().zip(&names) {
            let (Some(folder), Some(name)) = (*id, names.get(level)) else { continue };
            let listing = listed.entry(folder).or_insert_with(|| list(folder, read.get(folder).unwrap_or_default()));
            *id = listing.get(name.as_bytes()).filter(|(_, mode)| *mode == TREE).map(|(id, _)| *id);
        }
    }
    at
}

/// The entries of the raw tree `id`, by name: the first of a name, up to the first malformed
/// entry (as a search entry by entry finds them).
fn list(id: Oid, data: &[u8]) -> HashMap<&[u8], (Oid, i32)> {
    let mut by_name = HashMap::new();
    for e in entries(id, data).map_while(Result::ok) {
        by_name.entry(e.name).or_insert((e.oid(), e.mode));
    }
    by_name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::Packs;

    #[test]
    fn folders_are_found_as_one_at_a_time_finds_them() {
        // Folders two and three levels down, shared parents, a file where a folder is asked
        // for, a missing name and an empty path: each answer must be `repo::subtree_id`'s,
        // with the objects loose and again once git has packed them.
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let blob = repo.blob(b"a file").unwrap();
        let tree = |entries: &[(&str, Oid, i32)]| {
            let mut b = repo.treebuilder(None).unwrap();
            for (name, id, mode) in entries {
                b.insert(name, *id, *mode).unwrap();
            }
            b.write().unwrap()
        };
        let gate = tree(&[("a.toml", blob, 0o100644)]);
        let model_a = tree(&[("intake", gate, TREE), ("notes", blob, 0o100644)]);
        let model_b = tree(&[("intake", gate, TREE)]);
        let bucket = tree(&[("model-a", model_a, TREE), ("model-b", model_b, TREE), ("file", blob, 0o100644)]);
        let signoffs = tree(&[("ab", bucket, TREE), ("cd", model_b, TREE)]);
        let root = tree(&[("signoffs", signoffs, TREE), ("README", blob, 0o100644)]);
        let who = git2::Signature::new("A", "a@example.org", &git2::Time::new(1_764_000_000, 0)).unwrap();
        let root_tree = repo.find_tree(root).unwrap();
        repo.commit(Some("HEAD"), &who, &who, "c", &root_tree, &[]).unwrap();
        let paths: Vec<String> = [
            "signoffs/ab/model-a",
            "signoffs/ab/model-b",
            "signoffs/ab/model-a/intake",
            "signoffs/cd",
            "signoffs/ab/file",
            "signoffs/ab/model-a/notes",
            "signoffs/ab/missing",
            "README/below",
            "nothing/here",
            "signoffs",
        ]
        .map(String::from)
        .to_vec();
        for packed in [false, true] {
            if packed {
                let gc = std::process::Command::new("git").arg("-C").arg(dir.path()).args(["gc", "-q"]).status();
                assert!(gc.unwrap().success());
            }
            let packs = Packs::open(repo.path());
            assert_eq!(packs.place(root).0 != usize::MAX, packed, "the objects are packed: {packed}");
            let found = folders_at(&mut Reader::new(&packs), &repo.odb().unwrap(), root, &paths);
            for (path, found) in paths.iter().zip(found) {
                let expected = crate::repo::subtree_id(&repo, &root_tree, path);
                assert_eq!(found, expected, "{path} (packed: {packed})");
            }
        }
        let expected = [Some(model_a), Some(model_b), Some(gate), Some(model_b), None, None, None, None, None];
        let found = folders_at(&mut Reader::new(&Packs::open(repo.path())), &repo.odb().unwrap(), root, &paths);
        assert_eq!(found[..9], expected, "the answers themselves");
        assert_eq!(found[9], Some(signoffs));
    }
}
