//! Git's index file (`.git/index`), changed for the few paths an action touched without
//! rewriting every entry through libgit2. Reading, sorting and re-serialising 27,000 entries
//! is what made a sign-off in a checked-out work tree three times slower than in a bare
//! clone; here the entries that did not change are copied as bytes, and only the new ones,
//! the cached trees of their folders and the trailing checksum are made anew.
//!
//! Only the plain forms are patched: versions 2 and 3 without extended flags (no
//! intent-to-add or skip-worktree entries), no conflicts, and no split or sparse index. Any
//! other index is left to libgit2 ([`Parsed::Unsupported`]). The result is what git itself
//! would write after `git update-index` of the same paths:
//! - each new entry carries the written file's `lstat` data, so git trusts it without hashing;
//! - an unchanged entry that was racily clean in the old index (modified in the second the
//!   old index was written) and whose file no longer matches is "smudged" (size 0) as git
//!   does on every write, since the new index's later time would otherwise hide the change;
//! - the cached-tree extension (`TREE`) is brought up to date for the changed paths' folders
//!   from the commit the index now matches, so `git commit` and `git status` keep their
//!   shortcut; the resolve-undo extension is kept; every other optional extension (the
//!   untracked cache, the file-system monitor's token, the entry offset tables) describes the
//!   old entries and is dropped, which git allows and rebuilds when it wants them.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use git2::Oid;
use sha1_checked::Digest;

/// The fixed part of an entry before its path (stat data, object id, flags).
const FIXED: usize = 62;
const HASH: usize = 20;

/// A file as git's index records it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub ctime: (u32, u32),
    pub mtime: (u32, u32),
    pub dev: u32,
    pub ino: u32,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u32,
    pub id: Oid,
}

impl Entry {
    /// The entry for a file just written at `path` holding blob `id` with git mode `mode`:
    /// the numbers git compares with `lstat` on every status, truncated to 32 bits as git does.
    #[cfg(unix)]
    pub fn of_file(path: &Path, id: Oid, mode: u32) -> std::io::Result<Entry> {
        use std::os::unix::fs::MetadataExt;
        let m = fs::symlink_metadata(path)?;
        Ok(Entry {
            ctime: (m.ctime() as u32, m.ctime_nsec() as u32),
            mtime: (m.mtime() as u32, m.mtime_nsec() as u32),
            dev: m.dev() as u32,
            ino: m.ino() as u32,
            mode,
            uid: m.uid(),
            gid: m.gid(),
            size: m.size() as u32,
            id,
        })
    }

    fn write(&self, path: &[u8], out: &mut Vec<u8>) {
        for n in [
            self.ctime.0,
            self.ctime.1,
            self.mtime.0,
            self.mtime.1,
            self.dev,
            self.ino,
            self.mode,
            self.uid,
            self.gid,
            self.size,
        ] {
            out.extend_from_slice(&n.to_be_bytes());
        }
        out.extend_from_slice(self.id.as_bytes());
        // Stage 0, no flags; a name of 0xFFF bytes or more is recorded as 0xFFF.
        out.extend_from_slice(&(path.len().min(0xFFF) as u16).to_be_bytes());
        out.extend_from_slice(path);
        // One to eight NULs, so that the entry's length is a multiple of eight.
        let len = (FIXED + path.len() + 8) & !7;
        out.resize(out.len() + len - FIXED - path.len(), 0);
    }
}

/// Where one entry lies in the file.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    name_end: usize,
}

impl Span {
    fn name<'a>(&self, bytes: &'a [u8]) -> &'a [u8] {
        &bytes[self.start + FIXED..self.name_end]
    }
}

/// An index file read for patching.
pub struct IndexFile {
    bytes: Vec<u8>,
    entries: Vec<Span>,
    /// Where the extensions start (after the last entry).
    extensions: usize,
    tree: Option<Node>,
    /// Where the cached-tree extension's data lies in `bytes`.
    tree_at: std::ops::Range<usize>,
    /// Present in a split index: the shared index its entries apply to.
    link: Option<Box<Link>>,
}

/// A split index's `link` extension: the shared index (`sharedindex.<hash>` beside the index)
/// this file's entries apply to, and the positions of the shared entries it deletes and
/// replaces (ascending). The entries of the file itself are the replacements, in that order,
/// then the entries it adds.
#[derive(Debug, Clone)]
struct Link {
    shared: [u8; HASH],
    delete: Vec<usize>,
    replace: Vec<usize>,
}

/// What reading the index found.
pub enum Parsed {
    /// A form this module patches: a whole index, or the small file of a split one.
    Plain(IndexFile),
    /// Conflicts, extended flags, another version, a sparse index, or bytes this module does
    /// not understand: left to libgit2.
    Unsupported,
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl IndexFile {
    pub fn parse(bytes: Vec<u8>) -> Parsed {
        Self::parse_inner(bytes).map_or(Parsed::Unsupported, Parsed::Plain)
    }

    fn parse_inner(bytes: Vec<u8>) -> Option<IndexFile> {
        if bytes.len() < 12 + HASH || &bytes[..4] != b"DIRC" {
            return None;
        }
        let version = be32(&bytes, 4)?;
        if version != 2 && version != 3 {
            return None;
        }
        let count = be32(&bytes, 8)? as usize;
        let body_end = bytes.len() - HASH;
        let mut entries = Vec::with_capacity(count);
        let mut at = 12;
        for _ in 0..count {
            let flags = u16::from_be_bytes(bytes.get(at + 60..at + 62)?.try_into().ok()?);
            // Extended flags (intent-to-add, skip-worktree) or a conflict stage.
            if flags & 0x4000 != 0 || flags & 0x3000 != 0 {
                return None;
            }
            let name_len = usize::from(flags & 0xFFF);
            let name_end = if name_len < 0xFFF {
                at + FIXED + name_len
            } else {
                at + FIXED + bytes.get(at + FIXED..body_end)?.iter().position(|&b| b == 0)?
            };
            let end = at + ((name_end - at + 8) & !7);
            if end > body_end || bytes[name_end..end].iter().any(|&b| b != 0) {
                return None;
            }
            entries.push(Span { start: at, end, name_end });
            at = end;
        }
        let extensions = at;
        let mut tree = None;
        let mut tree_at = 0..0;
        let mut link = None;
        while at < body_end {
            let sig = bytes.get(at..at + 4)?;
            let size = be32(&bytes, at + 4)? as usize;
            let data = bytes.get(at + 8..(at + 8).checked_add(size)?)?;
            if at + 8 + size > body_end {
                return None;
            }
            if sig == b"TREE" {
                // Only the root is read here; the folders an action touches are read when it
                // writes (a record's index has a cached tree for every folder: megabytes).
                tree = Some(Node::root(data)?);
                tree_at = at + 8..at + 8 + size;
            } else if sig == b"link" {
                link = Some(Box::new(Link::parse(data)?));
            } else if !sig[0].is_ascii_uppercase() {
                // Another required extension (a sparse index): not ours to patch.
                return None;
            }
            at += 8 + size;
        }
        // Entries sorted by name: what the binary searches below rely on. A split index's
        // replacements come first, in the shared index's order, so only a file that replaces
        // nothing is one sorted list.
        let sorted_list = link.as_ref().is_none_or(|l| l.replace.is_empty());
        if sorted_list && entries.windows(2).any(|w| w[0].name(&bytes) >= w[1].name(&bytes)) {
            return None;
        }
        Some(IndexFile { bytes, entries, extensions, tree, tree_at, link })
    }

    /// Whether this is the small file of a split index.
    pub fn is_split(&self) -> bool {
        self.link.is_some()
    }

    /// The hash naming the shared index of a split index (`sharedindex.<hash>` beside it).
    pub fn shared(&self) -> Option<String> {
        self.link.as_ref().map(|l| hex::encode(l.shared))
    }

    /// Whether this split index only adds entries to its shared index (deletes and replaces
    /// none), so more can be added by rewriting this small file alone.
    pub fn adds_only(&self) -> bool {
        self.link.as_ref().is_some_and(|l| l.delete.is_empty() && l.replace.is_empty())
    }

    /// How many entries the file itself holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The whole index a split index stands for, from the bytes of its shared index: the
    /// shared entries with this file's deletions, replacements and additions applied, in
    /// order, followed by this file's cached trees and resolve-undo data, as one plain index.
    /// `None` when the shared index is not the one named, or not a form this module reads.
    pub fn merged(self, shared: Vec<u8>) -> Option<IndexFile> {
        let link = self.link.as_ref()?;
        if shared.len() < 12 + HASH || shared[shared.len() - HASH..] != link.shared {
            return None;
        }
        let Parsed::Plain(base) = IndexFile::parse(shared) else { return None };
        if base.link.is_some() || link.replace.len() > self.entries.len() {
            return None;
        }
        let own = &self.bytes[..];
        let mut replaced = vec![None; base.entries.len()];
        for (k, &at) in link.replace.iter().enumerate() {
            *replaced.get_mut(at)? = Some(self.entries[k]);
        }
        let mut deleted = vec![false; base.entries.len()];
        for &at in &link.delete {
            *deleted.get_mut(at)? = true;
        }
        // (name, fixed part of the entry) in the merged order.
        let mut merged: Vec<(&[u8], &[u8])> = Vec::with_capacity(base.entries.len() + self.entries.len());
        for (i, s) in base.entries.iter().enumerate() {
            if deleted[i] {
                continue;
            }
            match replaced[i] {
                // A replacement may leave its name out: it is the shared entry's.
                Some(r) if r.name(own).is_empty() => merged.push((s.name(&base.bytes), &own[r.start..r.start + FIXED])),
                Some(r) => merged.push((r.name(own), &own[r.start..r.start + FIXED])),
                None => merged.push((s.name(&base.bytes), &base.bytes[s.start..s.start + FIXED])),
            }
        }
        let added: Vec<(&[u8], &[u8])> =
            self.entries[link.replace.len()..].iter().map(|s| (s.name(own), &own[s.start..s.start + FIXED])).collect();
        // Git adds them one by one, an added path replacing a shared entry of the same name.
        let mut all = Vec::with_capacity(merged.len() + added.len());
        let (mut m, mut a) = (merged.into_iter().peekable(), added.into_iter().peekable());
        loop {
            match (m.peek(), a.peek()) {
                (Some(x), Some(y)) if x.0 < y.0 => all.extend(m.next()),
                (Some(x), Some(y)) if x.0 == y.0 => {
                    m.next();
                    all.extend(a.next());
                }
                (_, Some(_)) => all.extend(a.next()),
                (Some(_), None) => all.extend(m.next()),
                (None, None) => break,
            }
        }
        let mut bytes = Vec::with_capacity(base.bytes.len() + own.len());
        bytes.extend_from_slice(&base.bytes[..8]);
        bytes.extend_from_slice(&(all.len() as u32).to_be_bytes());
        for (name, fixed) in all {
            let start = bytes.len();
            bytes.extend_from_slice(fixed);
            let flags = u16::from_be_bytes([fixed[60], fixed[61]]) & !0xFFF;
            let len = (name.len().min(0xFFF) as u16) | flags;
            bytes[start + 60..start + 62].copy_from_slice(&len.to_be_bytes());
            bytes.extend_from_slice(name);
            bytes.resize(start + ((FIXED + name.len() + 8) & !7), 0);
        }
        let mut at = self.extensions;
        while at < own.len() - HASH {
            let size = be32(own, at + 4)? as usize;
            if &own[at..at + 4] != b"link" {
                bytes.extend_from_slice(&own[at..at + 8 + size]);
            }
            at += 8 + size;
        }
        // A checksum is not needed to read it back; the file written from it gets its own.
        bytes.extend_from_slice(&[0; HASH]);
        IndexFile::parse_inner(bytes)
    }

    /// The trailing checksum, or `None` when git wrote none (`index.skipHash`): then it does
    /// not tell one version of the file from another.
    pub fn checksum(&self) -> Option<String> {
        let tail = &self.bytes[self.bytes.len() - HASH..];
        (tail.iter().any(|&b| b != 0)).then(|| tail.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The tree the index holds, when its cached tree for the root is valid (git invalidates
    /// it whenever an entry changes, and `git commit` relies on that as this does).
    pub fn cached_root(&self) -> Option<Oid> {
        self.tree.as_ref().and_then(|t| t.id).and_then(|id| Oid::from_bytes(&id).ok())
    }

    /// The entry recorded for `path`: its object id and stat data, for checks and tests.
    pub fn entry(&self, path: &str) -> Option<(Oid, u32)> {
        let i = self.entries.binary_search_by(|s| s.name(&self.bytes).cmp(path.as_bytes())).ok()?;
        let s = self.entries[i];
        Some((Oid::from_bytes(&self.bytes[s.start + 40..s.start + 60]).ok()?, be32(&self.bytes, s.start + 36)?))
    }

    /// Writes the index with `changes` (path, new entry or `None` to remove; sorted by path,
    /// each path once) applied to `out`, without its checksum. `timestamp` is the old index
    /// file's modification time in seconds (for the racily-clean rule), `workdir` the work
    /// tree, and `dir` answers, for a folder of the commit the index now matches, its tree id
    /// and how many folders it holds. It streams: the new index is never held whole in memory
    /// beside the old one (at 1,000 models both are 4 MB, and fresh pages cost more to fault
    /// in and zero than the copy itself).
    pub fn write_patched(
        mut self,
        changes: &[(String, Option<Entry>)],
        timestamp: u32,
        workdir: &Path,
        dir: &mut dyn FnMut(&str) -> Option<(Oid, usize)>,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let b = &self.bytes[..];
        let find = |path: &str| self.entries.binary_search_by(|s| s.name(b).cmp(path.as_bytes())).is_ok();
        let count = changes.iter().fold(self.entries.len(), |n, (path, entry)| match (find(path), entry) {
            (true, None) => n - 1,
            (false, Some(_)) => n + 1,
            _ => n,
        });
        out.write_all(&b[..8])?;
        out.write_all(&(count as u32).to_be_bytes())?;
        let mut names: Vec<&[u8]> = Vec::with_capacity(count);
        let mut old = self.entries.iter().peekable();
        let mut new = changes.iter().peekable();
        // Unchanged entries are copied in runs, as one write each.
        let mut run = 0..0;
        let mut entry = Vec::new();
        loop {
            let next_old = old.peek().map(|s| s.name(b));
            match (next_old, new.peek()) {
                (Some(name), next) if next.is_none_or(|(path, _)| name < path.as_bytes()) => {
                    let Some(s) = old.next() else { break };
                    names.push(name);
                    if racily_clean(b, s.start, timestamp) && !still_matches(b, s.start, name, workdir) {
                        // Size 0 makes git look at the content again, as git's own writer does.
                        out.write_all(&b[run.clone()])?;
                        entry.clear();
                        entry.extend_from_slice(&b[s.start..s.end]);
                        entry[36..40].copy_from_slice(&[0; 4]);
                        out.write_all(&entry)?;
                        run = s.end..s.end;
                    } else if run.end == s.start {
                        run.end = s.end;
                    } else {
                        out.write_all(&b[run.clone()])?;
                        run = s.start..s.end;
                    }
                }
                (name, Some(_)) => {
                    let Some((path, change)) = new.next() else { break };
                    let p = path.as_bytes();
                    if name == Some(p) {
                        old.next();
                    }
                    if let Some(e) = change {
                        out.write_all(&b[run.clone()])?;
                        run = run.end..run.end;
                        entry.clear();
                        e.write(p, &mut entry);
                        out.write_all(&entry)?;
                        names.push(p);
                    }
                }
                // Both lists done ((Some, None) is the first arm's).
                _ => break,
            }
        }
        out.write_all(&b[run])?;
        debug_assert_eq!(names.len(), count, "the count written first is the entries written");

        // Extensions: the cached trees updated, resolve-undo kept, the other optional ones
        // (which describe the old entries) dropped.
        // Taken, not copied: a governance tree's index has a cached tree for every folder.
        let mut tree = self.tree.take().unwrap_or_else(|| Node { fresh: false, ..Node::new(Vec::new()) });
        let mut touched = std::collections::BTreeSet::new();
        for (path, _) in changes {
            let mut at = 0;
            touched.insert(String::new());
            while let Some(slash) = path[at..].find('/') {
                touched.insert(path[..at + slash].to_string());
                at += slash + 1;
            }
        }
        // A split index holds only some entries: a folder's count is then its old count and
        // the entries added below it (every change here is an addition, see `adds_only`).
        let added: Vec<&[u8]>;
        let counting = if self.link.is_some() {
            added = changes.iter().filter(|(_, e)| e.is_some()).map(|(p, _)| p.as_bytes()).collect();
            Counting::Added(&added)
        } else {
            Counting::All(&names)
        };
        let data = &b[self.tree_at.clone()];
        tree.update("", &touched, &counting, dir, data).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, "git's index has a cached tree that does not read")
        })?;
        let mut ext = Vec::with_capacity(data.len() + 256);
        tree.write(&mut ext, data);
        out.write_all(b"TREE")?;
        out.write_all(&(ext.len() as u32).to_be_bytes())?;
        out.write_all(&ext)?;
        let mut at = self.extensions;
        while at < b.len() - HASH {
            let size = be32(b, at + 4).unwrap_or(0) as usize;
            // The split index's link is kept as it is: the shared index and its entries are.
            if &b[at..at + 4] == b"REUC" || &b[at..at + 4] == b"link" {
                out.write_all(&b[at..at + 8 + size])?;
            }
            at += 8 + size;
        }
        Ok(())
    }
}

/// Git's SHA-1 over the index, as every reader of the file checks it. The collision check is
/// for objects from others; this file is our own.
fn hasher() -> sha1_checked::Sha1 {
    sha1_checked::Sha1::builder().detect_collision(false).build()
}

/// Whether the entry at `at` was written in the same second as the index holding it or later:
/// a change made in that second after the index was written shows in no stat field git
/// compares.
fn racily_clean(b: &[u8], at: usize, timestamp: u32) -> bool {
    be32(b, at + 8).is_some_and(|mtime| mtime >= timestamp)
}

/// Whether the file still holds what its entry says, as git checks before smudging: its stat
/// data differs (git will look at it anyway) or its content hashes to the entry's id.
fn still_matches(b: &[u8], at: usize, name: &[u8], workdir: &Path) -> bool {
    let Ok(name) = std::str::from_utf8(name) else {
        return false;
    };
    let path = workdir.join(name);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(m) = fs::symlink_metadata(&path) else {
            return true;
        };
        let same_stat = be32(b, at + 8) == Some(m.mtime() as u32)
            && be32(b, at + 20) == Some(m.ino() as u32)
            && be32(b, at + 36) == Some(m.size() as u32);
        if !same_stat {
            return true;
        }
    }
    let Ok(id) = Oid::from_bytes(&b[at + 40..at + 60]) else {
        return false;
    };
    Oid::hash_file(git2::ObjectType::Blob, &path).is_ok_and(|disk| disk == id)
}

/// One folder of the cached-tree extension: its name, the number of index entries below it
/// (-1 when invalid) and, when valid, its tree id; then its folders.
#[derive(Debug, Clone)]
struct Node {
    name: Vec<u8>,
    count: i64,
    id: Option<[u8; HASH]>,
    children: Vec<Node>,
    /// Made by this update: every entry below it is a new one.
    fresh: bool,
    /// Not read further: the folder's whole serialised form, folders included, in the
    /// extension's data (its `children` are then empty).
    raw: Option<std::ops::Range<usize>>,
}

/// A node's own line: its name, count, number of folders, id, and where the line ends.
struct Header<'a> {
    name: &'a [u8],
    count: i64,
    subtrees: usize,
    id: Option<[u8; HASH]>,
    end: usize,
}

/// A decimal number of git's cached tree (`-1` allowed), without going through `str`.
fn decimal(digits: &[u8]) -> Option<i64> {
    let (negative, digits) = match digits.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, digits),
    };
    if digits.is_empty() || digits.len() > 18 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = digits.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
    Some(if negative { -n } else { n })
}

/// Appends `n` in decimal.
fn push_decimal(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut m = n.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// `<name>\0<count> <subtrees>\n[<20-byte id> when count >= 0]` at `pos`.
fn header(data: &[u8], pos: usize) -> Option<Header<'_>> {
    let nul = pos + data.get(pos..)?.iter().position(|&b| b == 0)?;
    let space = nul + data.get(nul..)?.iter().position(|&b| b == b' ')?;
    let nl = space + data.get(space..)?.iter().position(|&b| b == b'\n')?;
    let count = decimal(&data[nul + 1..space])?;
    let subtrees = usize::try_from(decimal(&data[space + 1..nl])?).ok()?;
    let (id, end) = if count >= 0 {
        (Some(data.get(nl + 1..nl + 1 + HASH)?.try_into().ok()?), nl + 1 + HASH)
    } else {
        (None, nl + 1)
    };
    Some(Header { name: &data[pos..nul], count, subtrees, id, end })
}

/// Moves `pos` past the node there and every folder below it.
fn skip(data: &[u8], pos: &mut usize) -> Option<()> {
    let h = header(data, *pos)?;
    *pos = h.end;
    for _ in 0..h.subtrees {
        skip(data, pos)?;
    }
    Some(())
}

/// How [`Node::update`] learns how many entries lie below a folder.
enum Counting<'a> {
    /// Every entry of the index, in order.
    All(&'a [&'a [u8]]),
    /// Only the entries added, in order: the rest is the folder's old count.
    Added(&'a [&'a [u8]]),
}

/// How many of `names` (sorted) lie below `prefix` (empty, or ending with `/`).
fn count_below(names: &[&[u8]], prefix: &[u8]) -> usize {
    let first = names.partition_point(|n| *n < prefix);
    names[first..].partition_point(|n| n.starts_with(prefix))
}

impl Node {
    fn new(name: Vec<u8>) -> Node {
        Node { name, count: -1, id: None, children: Vec::new(), fresh: true, raw: None }
    }

    /// A node known by its line, whose serialised form (folders included) is `raw`.
    fn unread(h: &Header, raw: std::ops::Range<usize>) -> Node {
        Node { name: h.name.to_vec(), count: h.count, id: h.id, children: Vec::new(), fresh: false, raw: Some(raw) }
    }

    /// The node at `pos`, its folders not read yet; `pos` moves past it all.
    fn at(data: &[u8], pos: &mut usize) -> Option<Node> {
        let start = *pos;
        let h = header(data, start)?;
        skip(data, pos)?;
        Some(Node::unread(&h, start..*pos))
    }

    /// The root of a cached-tree extension's `data`, its folders not read yet.
    fn root(data: &[u8]) -> Option<Node> {
        Some(Node::unread(&header(data, 0)?, 0..data.len()))
    }

    /// Reads this node's folders (each left unread below).
    fn expand(&mut self, data: &[u8]) -> Option<()> {
        let Some(raw) = self.raw.take() else { return Some(()) };
        let h = header(data, raw.start)?;
        let mut pos = h.end;
        self.children = Vec::with_capacity(h.subtrees.min(4096));
        for _ in 0..h.subtrees {
            self.children.push(Node::at(data, &mut pos)?);
        }
        (pos <= raw.end).then_some(())
    }

    fn write(&self, out: &mut Vec<u8>, data: &[u8]) {
        if let Some(raw) = &self.raw {
            out.extend_from_slice(&data[raw.clone()]);
            return;
        }
        out.extend_from_slice(&self.name);
        out.push(0);
        let valid = self.count >= 0 && self.id.is_some();
        push_decimal(out, if valid { self.count } else { -1 });
        out.push(b' ');
        push_decimal(out, self.children.len() as i64);
        out.push(b'\n');
        if let (true, Some(id)) = (valid, self.id) {
            out.extend_from_slice(&id);
        }
        for c in &self.children {
            c.write(out, data);
        }
    }

    fn valid(&self) -> bool {
        self.count >= 0 && self.id.is_some()
    }

    /// Brings this folder (`path`, "" for the root) and its touched folders up to date from
    /// the commit the index matches. Returns false when the folder no longer exists there.
    /// A folder is valid only when every folder in it is, as git's own check requires.
    fn update(
        &mut self,
        path: &str,
        touched: &std::collections::BTreeSet<String>,
        counting: &Counting,
        dir: &mut dyn FnMut(&str) -> Option<(Oid, usize)>,
        data: &[u8],
    ) -> Option<bool> {
        let Some((id, folders)) = dir(path) else {
            return Some(false);
        };
        self.expand(data)?;
        let prefix = if path.is_empty() { String::new() } else { format!("{path}/") };
        // Folders of this one that hold a changed path, created when new.
        for t in touched.range(prefix.clone()..) {
            if !t.starts_with(&prefix) {
                break;
            }
            if t.len() > prefix.len() && !t[prefix.len()..].contains('/') {
                let name = &t.as_bytes()[prefix.len()..];
                // In git's order of folders (shorter names first), which git also reads
                // in any order.
                let key = |n: &[u8]| (n.len(), n.to_vec());
                if !self.children.iter().any(|c| c.name == name) {
                    let i = self.children.partition_point(|c| key(&c.name) < key(name));
                    self.children.insert(i, Node::new(name.to_vec()));
                }
            }
        }
        let mut unreadable = false;
        self.children.retain_mut(|c| {
            let child = format!("{prefix}{}", String::from_utf8_lossy(&c.name));
            !touched.contains(&child)
                || c.update(&child, touched, counting, dir, data).unwrap_or_else(|| {
                    unreadable = true;
                    true
                })
        });
        if unreadable {
            return None;
        }
        let below = match counting {
            Counting::All(names) => Some(count_below(names, prefix.as_bytes())),
            Counting::Added(added) => {
                let n = count_below(added, prefix.as_bytes());
                if self.fresh {
                    Some(n)
                } else {
                    self.valid().then(|| self.count as usize + n)
                }
            }
        };
        self.fresh = false;
        if let Some(below) = below.filter(|_| self.children.len() == folders && self.children.iter().all(Node::valid)) {
            self.count = below as i64;
            let mut raw = [0; HASH];
            raw.copy_from_slice(id.as_bytes());
            self.id = Some(raw);
        } else {
            self.count = -1;
            self.id = None;
        }
        Some(true)
    }
}

/// Writes the new index through the lock file git uses (`index.lock`, created beforehand by
/// [`lock`]): `write` gives its content, which is hashed as it goes out and followed by its
/// checksum; then renames it over the index. Returns the checksum.
///
/// The old index is first given a second name, `aside`, which a thread of its own removes
/// after the rename. A rename that drops a file's last name frees its blocks before it
/// returns: on ext4, 3 to 5 ms for the 4 MB index of 1,000 models, a sixth of a sign-off,
/// and more as the index grows. Kept alive by `aside`, the old file costs the rename nothing,
/// and is freed while the caller goes on (the other core brings the SQLite index up to date).
/// A process that ends first leaves `aside` behind, for the next write to remove.
pub fn commit_lock(
    lock: &Path,
    index: &Path,
    aside: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<[u8; HASH]> {
    let file = fs::OpenOptions::new().write(true).truncate(true).open(lock)?;
    let mut out = Hashing { inner: std::io::BufWriter::with_capacity(1 << 17, file), hasher: hasher() };
    write(&mut out)?;
    let mut sum = [0; HASH];
    sum.copy_from_slice(&out.hasher.finalize());
    out.inner.write_all(&sum)?;
    out.inner.into_inner().map_err(|e| e.into_error())?;
    // Only a second name for the old file: where hard links are not allowed the rename frees it.
    let _ = fs::remove_file(aside);
    let set_aside = fs::hard_link(index, aside).is_ok();
    fs::rename(lock, index)?;
    if set_aside {
        let aside = aside.to_path_buf();
        std::thread::spawn(move || fs::remove_file(aside));
    }
    Ok(sum)
}

impl Link {
    /// The shared index's hash, then (when there are any) the delete and replace bitmaps.
    fn parse(data: &[u8]) -> Option<Link> {
        let shared: [u8; HASH] = data.get(..HASH)?.try_into().ok()?;
        let mut at = HASH;
        let (delete, replace) = if at == data.len() {
            (Vec::new(), Vec::new())
        } else {
            (ewah_bits(data, &mut at)?, ewah_bits(data, &mut at)?)
        };
        (at == data.len()).then_some(Link { shared, delete, replace })
    }
}

/// The set bits of an EWAH-compressed bitmap as git writes it (`ewah/ewah_io.c`): its size in
/// bits, its number of 64-bit words, the words, and the position of the last marker word, all
/// big-endian. A marker word holds a run of identical words (bit 0 the run's bit, bits 1 to
/// 32 its length in words) and, in bits 33 to 63, how many literal words follow it.
fn ewah_bits(data: &[u8], at: &mut usize) -> Option<Vec<usize>> {
    let bit_size = be32(data, *at)? as usize;
    let words = be32(data, *at + 4)? as usize;
    let start = *at + 8;
    let end = start.checked_add(words.checked_mul(8)?)?;
    let word = |i: usize| Some(u64::from_be_bytes(data.get(start + 8 * i..start + 8 * i + 8)?.try_into().ok()?));
    be32(data, end)?;
    *at = end + 4;
    let mut bits = Vec::new();
    let (mut i, mut pos) = (0, 0usize);
    while i < words {
        let marker = word(i)?;
        let run = ((marker >> 1) & 0xFFFF_FFFF) as usize * 64;
        let literals = (marker >> 33) as usize;
        if marker & 1 == 1 {
            bits.extend(pos..(pos + run).min(bit_size));
        }
        pos += run;
        for k in 0..literals {
            let w = word(i + 1 + k)?;
            bits.extend((0..64).filter(|b| w >> b & 1 == 1).map(|b| pos + b).filter(|&b| b < bit_size));
            pos += 64;
        }
        i += 1 + literals;
    }
    Some(bits)
}

/// Where a split index's shared index named by `hash` (hex) is: beside the index, in `git_dir`.
pub fn shared_index_path(git_dir: &Path, hash: &str) -> PathBuf {
    git_dir.join(format!("sharedindex.{hash}"))
}

/// An empty bitmap as git's `ewah_new` makes it: no bits, one marker word with no run.
const EMPTY_EWAH: [u8; 20] = [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/// Writes `whole`, a plain index without its checksum, as a split index: a new shared index
/// `sharedindex.<hash>` in `git_dir` with every entry last changed before `now` (seconds), and
/// through `lock` (see [`commit_lock`]) a small index that names it and adds the entries
/// changed since, followed by `whole`'s extensions. Returns the small index's checksum and the
/// shared index's hash.
///
/// The entries changed in the current second stay out of the shared index because git
/// re-checks an entry against the file when the entry is no older than the index that holds
/// it: kept in the small file, they are re-checked by every write that rewrites it, as git
/// does; the shared index, written once, only holds entries no write needs to look at again.
/// Shared indexes of this repository unused for two weeks are removed, as git does with its
/// `splitIndex.sharedIndexExpire` default.
pub fn write_split(
    whole: Vec<u8>,
    now: u32,
    git_dir: &Path,
    lock: &Path,
    index: &Path,
    aside: &Path,
) -> std::io::Result<([u8; HASH], [u8; HASH])> {
    let bad = || std::io::Error::new(std::io::ErrorKind::InvalidData, "the index written does not read back");
    let mut bytes = whole;
    bytes.extend_from_slice(&[0; HASH]);
    let plain = IndexFile::parse_inner(bytes).ok_or_else(bad)?;
    let b = &plain.bytes[..];
    let recent = |s: &Span| be32(b, s.start + 8).is_none_or(|mtime| mtime >= now);
    let (new, old): (Vec<Span>, Vec<Span>) = plain.entries.iter().partition(|s| recent(s));

    let temp = git_dir.join(format!("sharedindex.{}.tmp", std::process::id()));
    let shared = {
        let file = fs::File::create(&temp)?;
        let mut out = Hashing { inner: std::io::BufWriter::with_capacity(1 << 17, file), hasher: hasher() };
        out.write_all(&b[..8])?;
        out.write_all(&(old.len() as u32).to_be_bytes())?;
        write_runs(b, &old, &mut out)?;
        let mut sum = [0; HASH];
        sum.copy_from_slice(&out.hasher.finalize());
        out.inner.write_all(&sum)?;
        out.inner.into_inner().map_err(|e| e.into_error())?;
        sum
    };
    let shared_path = shared_index_path(git_dir, &hex::encode(shared));
    fs::rename(&temp, &shared_path)?;

    let sum = commit_lock(lock, index, aside, |out| {
        out.write_all(&b[..8])?;
        out.write_all(&(new.len() as u32).to_be_bytes())?;
        write_runs(b, &new, out)?;
        out.write_all(b"link")?;
        out.write_all(&((HASH + 2 * EMPTY_EWAH.len()) as u32).to_be_bytes())?;
        out.write_all(&shared)?;
        out.write_all(&EMPTY_EWAH)?;
        out.write_all(&EMPTY_EWAH)?;
        out.write_all(&b[plain.extensions..b.len() - HASH])
    })?;
    expire_shared(git_dir, &shared_path);
    Ok((sum, shared))
}

/// Writes the entries `spans` of `b` (in order), consecutive ones as one write.
fn write_runs(b: &[u8], spans: &[Span], out: &mut dyn Write) -> std::io::Result<()> {
    let mut run = 0..0;
    for s in spans {
        if run.end == s.start {
            run.end = s.end;
        } else {
            out.write_all(&b[run])?;
            run = s.start..s.end;
        }
    }
    out.write_all(&b[run])
}

/// Removes the shared indexes of `git_dir` other than `keep` not used for two weeks before
/// `keep` was written (git touches the one it reads).
fn expire_shared(git_dir: &Path, keep: &Path) {
    const TWO_WEEKS: std::time::Duration = std::time::Duration::from_secs(14 * 24 * 3600);
    let Ok(now) = fs::metadata(keep).and_then(|m| m.modified()) else { return };
    let Ok(dir) = fs::read_dir(git_dir) else { return };
    for entry in dir.flatten() {
        let path = entry.path();
        let shared = entry.file_name().to_str().is_some_and(|n| n.starts_with("sharedindex."));
        let old = || {
            let modified = entry.metadata().and_then(|m| m.modified());
            modified.is_ok_and(|t| now.duration_since(t).is_ok_and(|e| e > TWO_WEEKS))
        };
        if shared && path != keep && old() {
            let _ = fs::remove_file(path);
        }
    }
}

/// How many entries the shared index at `path` holds (from its header), `None` when it cannot
/// be read.
pub fn shared_len(path: &Path) -> Option<usize> {
    use std::io::Read;
    let mut head = [0; 12];
    fs::File::open(path).ok()?.read_exact(&mut head).ok()?;
    (&head[..4] == b"DIRC").then(|| be32(&head, 8)).flatten().map(|n| n as usize)
}

/// A writer that hashes what it writes.
struct Hashing<W> {
    inner: W,
    hasher: sha1_checked::Sha1,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Takes git's lock on the index: `None` when another process holds it.
pub fn lock(lock: &Path) -> std::io::Result<Option<LockGuard>> {
    match fs::OpenOptions::new().write(true).create_new(true).open(lock) {
        Ok(_) => Ok(Some(LockGuard { path: lock.to_path_buf(), armed: true })),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(None),
        Err(e) => Err(e),
    }
}

/// Removes `index.lock` when dropped, unless the lock was committed.
pub struct LockGuard {
    path: std::path::PathBuf,
    armed: bool,
}

impl LockGuard {
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn committed(mut self) {
        self.armed = false;
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cached_tree_reads_back_as_written() {
        let mut root = Node::new(Vec::new());
        root.count = 3;
        root.id = Some([7; HASH]);
        let mut a = Node::new(b"a".to_vec());
        a.count = 12;
        a.id = Some([9; HASH]);
        let mut deep = Node::new(b"deep".to_vec());
        deep.count = 2;
        deep.id = Some([5; HASH]);
        a.children.push(deep);
        root.children.push(a);
        root.children.push(Node::new(b"b".to_vec()));
        let mut bytes = Vec::new();
        root.write(&mut bytes, &[]);
        assert!(bytes.starts_with(b"\x003 2\n"), "the root's line: no name, 3 entries, 2 folders");

        let unread = Node::root(&bytes).expect("parses");
        assert_eq!(unread.id, Some([7; HASH]), "the root's id is read without reading its folders");
        let mut again = Vec::new();
        unread.write(&mut again, &bytes);
        assert_eq!(bytes, again, "a folder not read is written back as it was");

        let mut read = Node::root(&bytes).unwrap();
        read.expand(&bytes).unwrap();
        read.children[0].expand(&bytes).unwrap();
        assert_eq!(read.children.len(), 2);
        assert_eq!(read.children[0].children[0].name, b"deep", "folders are read in order");
        assert!(!read.children[1].valid(), "an invalid folder has no id");
        let mut again = Vec::new();
        read.write(&mut again, &bytes);
        assert_eq!(bytes, again, "folders read and written give the same bytes");
        assert!(
            Node::root(&bytes[..bytes.len() - 1]).is_some_and(|mut r| r.expand(&bytes[..bytes.len() - 1]).is_none()),
            "a cut extension does not read"
        );
    }

    #[test]
    fn cached_tree_numbers_read_and_write_as_decimals() {
        for n in [-1, 0, 7, 10, 27_709, 138_564] {
            let mut out = Vec::new();
            push_decimal(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
            assert_eq!(decimal(&out), Some(n));
        }
        assert_eq!(decimal(b""), None);
        assert_eq!(decimal(b"1x"), None);
        assert_eq!(decimal(b"-"), None);
    }

    #[test]
    fn an_index_with_bad_bytes_is_left_alone() {
        assert!(matches!(IndexFile::parse(b"DIRC\0\0\0\x04\0\0\0\0".to_vec()), Parsed::Unsupported));
        assert!(matches!(IndexFile::parse(vec![0; 64]), Parsed::Unsupported));
    }
}
