//! Commits as the index stores them, read straight from git's object database: each commit of
//! the history is inflated and parsed once (a revision walk followed by a commit lookup reads
//! and parses each one twice), which is most of the cold build's walk.

use std::collections::HashSet;

use git2::{ObjectType, Odb, Oid, Repository, Sort};

use crate::error::Result;
use crate::pack::{Packs, Reader};
use crate::trailers::Trailers;

/// One commit as the index stores it.
#[derive(Debug)]
pub(super) struct CommitRow {
    pub(super) id: Oid,
    pub(super) parents: String,
    pub(super) author_name: String,
    pub(super) author_email: String,
    pub(super) time: i64,
    pub(super) summary: String,
    pub(super) body: String,
    pub(super) trailers: Trailers,
}

/// Reads commit `id`.
pub(super) fn read_commit(odb: &Odb, id: Oid) -> Result<CommitRow> {
    Ok(read(odb, id)?.0)
}

/// Reads commit `id`, and its parents' ids.
fn read(odb: &Odb, id: Oid) -> Result<(CommitRow, Vec<Oid>)> {
    let object = odb.read(id)?;
    if object.kind() != ObjectType::Commit {
        return Err(git2::Error::from_str(&format!("object {id} is a {}, not a commit", object.kind())).into());
    }
    parse(id, object.data())
}

/// Reads commit `id` out of the packs where it can (`pack` says why: a walk meets the commits
/// about in the order the packs store them), else through libgit2.
fn read_packed(reader: &mut Reader, odb: &Odb, id: Oid) -> Result<(CommitRow, Vec<Oid>)> {
    match reader.read_as(id, ObjectType::Commit) {
        Some(data) => parse(id, &data),
        None => read(odb, id),
    }
}

/// Calls `each` with every commit reachable from `head`, in no particular order, until it
/// answers false; returns how many were read. A shallow clone's history ends at commits whose
/// parents are absent, which libgit2's revision walk knows how to stop at, so it walks there.
pub(super) fn walk(repo: &Repository, head: Oid, each: impl FnMut(CommitRow) -> bool) -> Result<usize> {
    walk_in_spans(repo, head, CACHE_SPAN, each)
}

/// Commits read through one repository handle. libgit2 keeps every object read in its handle's
/// cache (32 MiB for the process's handles, `repo.rs`), and a walk reads each commit once: past
/// the cache's size, every commit stored evicts others, and eviction scans the cache's table
/// from its start. At 5,000 models (138,000 commits) that was the cold build's fastest-growing
/// cost. A fresh handle after this many commits (about 16 MB of signed commits) drops the cache
/// whole instead. Packed commits are read out of the packs (`pack`) and do not pass through
/// that cache; loose ones (a history not yet packed by git) do.
const CACHE_SPAN: usize = 16_384;

fn walk_in_spans(repo: &Repository, head: Oid, span: usize, mut each: impl FnMut(CommitRow) -> bool) -> Result<usize> {
    let mut count = 0;
    if repo.is_shallow() {
        let odb = repo.odb()?;
        let mut walk = repo.revwalk()?;
        walk.push(head)?;
        walk.set_sorting(Sort::NONE)?;
        for id in walk {
            count += 1;
            if !each(read_commit(&odb, id?)?) {
                break;
            }
        }
        return Ok(count);
    }
    let mut seen = HashSet::from([head]);
    let mut next = vec![head];
    let packs = Packs::open(repo.path());
    let mut reader = Reader::new(&packs);
    while !next.is_empty() {
        let handle = Repository::open(repo.path())?;
        let odb = handle.odb()?;
        for _ in 0..span {
            let Some(id) = next.pop() else { break };
            let (row, parents) = read_packed(&mut reader, &odb, id)?;
            next.extend(parents.into_iter().filter(|p| seen.insert(*p)));
            count += 1;
            if !each(row) {
                return Ok(count);
            }
        }
    }
    Ok(count)
}

/// Parses a commit object's bytes as libgit2 does for the fields the index keeps: the
/// `parent` and `author` headers (other headers, and a signature's continuation lines, are
/// skipped) and the message after the first blank line.
fn parse(id: Oid, data: &[u8]) -> Result<(CommitRow, Vec<Oid>)> {
    let malformed = |what: &str| git2::Error::from_str(&format!("commit {id}: {what}"));
    let (header, message) = match data.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data.strip_suffix(b"\n").unwrap_or(data), &[][..]),
    };
    let mut parents = Vec::new();
    let mut author = None;
    for line in header.split(|b| *b == b'\n') {
        if let Some(hex) = line.strip_prefix(b"parent ") {
            let hex = std::str::from_utf8(hex).map_err(|_| malformed("a parent id is not hexadecimal"))?;
            parents.push(Oid::from_str(hex)?);
        } else if let Some(sig) = line.strip_prefix(b"author ") {
            author.get_or_insert(sig);
        }
    }
    let (author_name, author_email, time) = signature(author.ok_or_else(|| malformed("no author"))?)
        .ok_or_else(|| malformed("the author is not `name <email> time zone`"))?;
    let message = String::from_utf8_lossy(message);
    let trailers = Trailers::parse(&message);
    let (summary, body) = match message.split_once('\n') {
        Some((s, b)) => (s.to_string(), b.trim().to_string()),
        None => (message.to_string(), String::new()),
    };
    let mut parent_list = String::with_capacity(parents.len() * 41);
    for (n, p) in parents.iter().enumerate() {
        if n > 0 {
            parent_list.push(' ');
        }
        push_hex(&mut parent_list, p);
    }
    let row = CommitRow { id, parents: parent_list, author_name, author_email, time, summary, body, trailers };
    Ok((row, parents))
}

/// Appends `id` in lowercase hexadecimal, as `Oid`'s `Display` writes it without going through
/// the formatting machinery (two parents' ids for each commit of the history).
pub(super) fn push_hex(out: &mut String, id: &Oid) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in id.as_bytes() {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
}

/// `name <email> seconds zone`, read as libgit2 reads a signature: the e-mail between the last
/// `<` and the last `>`, name and e-mail trimmed, and a time that does not read as 0.
fn signature(sig: &[u8]) -> Option<(String, String, i64)> {
    let open = sig.iter().rposition(|b| *b == b'<')?;
    let close = sig.iter().rposition(|b| *b == b'>')?;
    if close <= open {
        return None;
    }
    let text = |b: &[u8]| String::from_utf8_lossy(b.trim_ascii()).into_owned();
    let time = sig
        .get(close + 2..)
        .and_then(|rest| {
            let digits = rest.iter().take_while(|b| b.is_ascii_digit() || **b == b'-').count();
            std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()
        })
        .unwrap_or(0);
    Some((text(&sig[..open]), text(&sig[open + 1..close]), time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_reads_as_libgit2_reads_it() {
        // Signed, with an odd author line and a message with trailers: the fields the index
        // keeps must be libgit2's own.
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let tree = repo.treebuilder(None).unwrap().write().unwrap();
        let tree = repo.find_tree(tree).unwrap();
        let who =
            git2::Signature::new("  Ada  Lovelace ", "ada@example.org", &git2::Time::new(1_764_000_000, 60)).unwrap();
        let first = repo.commit(None, &who, &who, "first", &tree, &[]).unwrap();
        let parent = repo.find_commit(first).unwrap();
        let message = "signoff(m/g): approve\n\nLooks good.\n\nGatehouse-Action: signoff\nGatehouse-Member: ada\n";
        let buf = repo.commit_create_buffer(&who, &who, message, &tree, &[&parent]).unwrap();
        let signed = repo
            .commit_signed(
                buf.as_str().unwrap(),
                "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----",
                None,
            )
            .unwrap();
        let odb = repo.odb().unwrap();
        for id in [first, signed] {
            let c = repo.find_commit(id).unwrap();
            let row = read_commit(&odb, id).unwrap();
            assert_eq!(row.author_name, c.author().name().unwrap());
            assert_eq!(row.author_email, c.author().email().unwrap());
            assert_eq!(row.time, c.author().when().seconds());
            assert_eq!(row.parents, c.parent_ids().map(|p| p.to_string()).collect::<Vec<_>>().join(" "));
            assert_eq!(row.summary, c.summary().unwrap());
            assert_eq!(row.trailers, Trailers::parse(c.message().unwrap()));
        }
        let mut seen = Vec::new();
        assert_eq!(
            walk(&repo, signed, |row| {
                seen.push(row.id);
                true
            })
            .unwrap(),
            2
        );
        assert_eq!(seen, [signed, first]);
        // Read one commit per handle, the walk meets the same commits in the same order.
        let mut spanned = Vec::new();
        let walked = walk_in_spans(&repo, signed, 1, |row| {
            spanned.push(row.id);
            true
        });
        assert_eq!(walked.unwrap(), 2);
        assert_eq!(spanned, seen);
        // Packed by git, the commits are read out of the pack: the same rows.
        let rows = |repo: &Repository| {
            let mut rows = Vec::new();
            walk(repo, signed, |row| {
                rows.push(format!("{row:?}"));
                true
            })
            .unwrap();
            rows
        };
        let loose = rows(&repo);
        let gc = std::process::Command::new("git").arg("-C").arg(dir.path()).args(["gc", "-q"]).status().unwrap();
        assert!(gc.success());
        assert!(Packs::open(repo.path()).place(signed).0 != usize::MAX, "the commit is in a pack now");
        assert_eq!(rows(&repo), loose);
        // A tree is not a commit: a clear error, not a misreading.
        assert!(read_commit(&odb, tree.id()).unwrap_err().to_string().contains("not a commit"));
    }
}
