//! One object out of a pack file: its entry's header, the chain of deltas down to a stored
//! object, each part inflated and the deltas applied. Anything this does not read (a type it
//! does not know, a size past the limit, a chain deeper than git writes, bytes cut short or
//! out of range) answers `None`, and the caller reads the object through libgit2.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use git2::ObjectType;

use super::{index, Packs, Place};

/// The largest object read here; a larger one (no sign-off file, folder or commit is near
/// it) is read through libgit2.
const MAX_SIZE: usize = 64 << 20;

/// git writes chains of at most 4,095 deltas (`pack.depth`); a deeper one, or a loop of
/// deltas by id, is not followed.
const MAX_DEPTH: usize = 4_096;

/// The objects resolved last, kept as bases for the deltas that follow them: in the packs'
/// order a delta's base is most often among the objects just read.
const CACHE_BYTES: usize = 8 << 20;

/// Reads objects out of `packs`, keeping what it resolved as bases for what it reads next.
pub struct Reader<'p> {
    packs: &'p Packs,
    inflater: libdeflater::Decompressor,
    cache: Bases,
    streams: usize,
    /// The pack the last object was found in.
    last: usize,
}

/// An object as read: its type and its bytes.
pub type Object = (ObjectType, Arc<[u8]>);

impl<'p> Reader<'p> {
    pub fn new(packs: &'p Packs) -> Reader<'p> {
        Reader { packs, inflater: libdeflater::Decompressor::new(), cache: Bases::default(), streams: 0, last: 0 }
    }

    /// Where `id` sits in the packs.
    pub fn place(&mut self, id: git2::Oid) -> Place {
        let place = self.packs.place_near(id, self.last);
        if place.0 < self.packs.packs.len() {
            self.last = place.0;
        }
        place
    }

    /// How many zlib streams this reader has inflated: one per object when each delta's base
    /// was at hand.
    pub fn streams(&self) -> usize {
        self.streams
    }

    /// The bytes of object `id` if it is read here and is of type `kind`.
    pub fn read_as(&mut self, id: git2::Oid, kind: ObjectType) -> Option<Arc<[u8]>> {
        let place = self.place(id);
        self.read(place).and_then(|(k, data)| (k == kind).then_some(data))
    }

    /// The object at `place`, or `None` if it is not read here.
    pub fn read(&mut self, place: Place) -> Option<Object> {
        let (pack, offset) = place;
        let data = &self.packs.packs.get(pack)?.data[..];
        // From the object asked for down to one stored whole (or found in the cache): the
        // deltas on the way, each as (its offset, where its zlib stream starts, its size).
        let mut deltas = Vec::new();
        let mut at = offset;
        let (kind, mut bytes) = loop {
            if let Some(hit) = self.cache.get((pack, at)) {
                break hit;
            }
            if deltas.len() > MAX_DEPTH {
                return None;
            }
            let entry = Entry::parse(data, at)?;
            match entry.base {
                Base::None(kind) => {
                    let mut bytes = zeroed(entry.size);
                    self.inflate(data, entry.stream, Arc::get_mut(&mut bytes)?)?;
                    self.cache.put((pack, at), (kind, bytes.clone()));
                    break (kind, bytes);
                }
                Base::Offset(base) => {
                    deltas.push((at, entry.stream, entry.size));
                    at = base;
                }
                Base::Id(id) => {
                    deltas.push((at, entry.stream, entry.size));
                    at = index::offset(&self.packs.packs[pack].index, id)?;
                }
            }
        };
        let mut delta = Vec::new();
        for &(at, stream, size) in deltas.iter().rev() {
            delta.resize(size, 0);
            self.inflate(data, stream, &mut delta)?;
            bytes = apply(&bytes, &delta)?;
            self.cache.put((pack, at), (kind, bytes.clone()));
        }
        Some((kind, bytes))
    }

    /// Fills `out` from the zlib stream at `at`, which must make exactly that many bytes.
    fn inflate(&mut self, data: &[u8], at: usize, out: &mut [u8]) -> Option<()> {
        self.streams += 1;
        match self.inflater.zlib_decompress(data.get(at..)?, out) {
            Ok(n) if n == out.len() => Some(()),
            _ => None,
        }
    }
}

/// A pack entry's header.
struct Entry<'a> {
    base: Base<'a>,
    /// The (inflated) size of the object, or of the delta.
    size: usize,
    /// Where its zlib stream starts.
    stream: usize,
}

enum Base<'a> {
    /// Stored whole, of this type.
    None(ObjectType),
    /// A delta on the object at this offset, before it in the same pack.
    Offset(u64),
    /// A delta on the object with this id, in the same pack.
    Id(&'a [u8]),
}

impl Entry<'_> {
    fn parse(data: &[u8], offset: u64) -> Option<Entry<'_>> {
        let mut at = usize::try_from(offset).ok()?;
        let mut byte = *data.get(at)?;
        at += 1;
        let kind = (byte >> 4) & 7;
        let mut size = usize::from(byte & 15);
        let mut shift = 4;
        while byte & 0x80 != 0 {
            byte = *data.get(at)?;
            at += 1;
            if shift > 32 {
                return None;
            }
            size |= usize::from(byte & 0x7f) << shift;
            shift += 7;
        }
        if size > MAX_SIZE {
            return None;
        }
        let base = match kind {
            1 => Base::None(ObjectType::Commit),
            2 => Base::None(ObjectType::Tree),
            3 => Base::None(ObjectType::Blob),
            4 => Base::None(ObjectType::Tag),
            6 => {
                // The distance back to the base, in git's variable-length form, in which each
                // continuation also adds one.
                let mut byte = *data.get(at)?;
                at += 1;
                let mut back = u64::from(byte & 0x7f);
                while byte & 0x80 != 0 {
                    byte = *data.get(at)?;
                    at += 1;
                    back = back.checked_add(1)?.checked_mul(128)? | u64::from(byte & 0x7f);
                }
                // A base starts after the pack's 12-byte header and before its delta.
                match offset.checked_sub(back) {
                    Some(base) if back > 0 && base >= 12 => Base::Offset(base),
                    _ => return None,
                }
            }
            7 => {
                let id = data.get(at..at + 20)?;
                at += 20;
                Base::Id(id)
            }
            _ => return None,
        };
        Some(Entry { base, size, stream: at })
    }
}

/// Applies git's `delta` to `base`: a header of both sizes, then instructions that copy a
/// range of the base or insert the bytes that follow them.
fn apply(base: &[u8], delta: &[u8]) -> Option<Arc<[u8]>> {
    let mut at = 0;
    let mut size = || -> Option<usize> {
        let (mut value, mut shift) = (0usize, 0);
        loop {
            let byte = *delta.get(at)?;
            at += 1;
            if shift > 56 {
                return None;
            }
            value |= usize::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
    };
    let (source, target) = (size()?, size()?);
    if source != base.len() || target > MAX_SIZE {
        return None;
    }
    let mut made = zeroed(target);
    let out = Arc::get_mut(&mut made)?;
    let mut len_out = 0;
    let mut put = |piece: &[u8]| -> Option<()> {
        // More than the target, whose size the header gave, is refused here.
        out.get_mut(len_out..len_out + piece.len())?.copy_from_slice(piece);
        len_out += piece.len();
        Some(())
    };
    while let Some(&op) = delta.get(at) {
        at += 1;
        if op & 0x80 != 0 {
            let (mut from, mut len) = (0usize, 0usize);
            for bit in 0..4 {
                if op & (1 << bit) != 0 {
                    from |= usize::from(*delta.get(at)?) << (8 * bit);
                    at += 1;
                }
            }
            for bit in 0..3 {
                if op & (0x10 << bit) != 0 {
                    len |= usize::from(*delta.get(at)?) << (8 * bit);
                    at += 1;
                }
            }
            if len == 0 {
                len = 0x10000;
            }
            put(base.get(from..from.checked_add(len)?)?)?;
        } else if op != 0 {
            let len = usize::from(op);
            put(delta.get(at..at + len)?)?;
            at += len;
        } else {
            return None;
        }
    }
    (len_out == target).then_some(made)
}

/// `size` zero bytes, shared: filled in place while no one else holds them.
fn zeroed(size: usize) -> Arc<[u8]> {
    std::iter::repeat_n(0, size).collect()
}

/// Resolved objects by place, the oldest dropped first once they pass `CACHE_BYTES`.
#[derive(Default)]
struct Bases {
    // foldhash: seeded per process as std's hasher is, and several times faster on these
    // small keys (every object read is put here, and most are dropped from here later).
    by_place: HashMap<Place, Object, foldhash::fast::RandomState>,
    order: VecDeque<Place>,
    bytes: usize,
}

impl Bases {
    fn get(&self, place: Place) -> Option<Object> {
        self.by_place.get(&place).cloned()
    }

    fn put(&mut self, place: Place, object: Object) {
        let len = object.1.len();
        if len > CACHE_BYTES || self.by_place.contains_key(&place) {
            return;
        }
        while self.bytes + len > CACHE_BYTES {
            let Some(oldest) = self.order.pop_front() else { break };
            if let Some((_, dropped)) = self.by_place.remove(&oldest) {
                self.bytes -= dropped.len();
            }
        }
        self.bytes += len;
        self.order.push_back(place);
        self.by_place.insert(place, object);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delta_copies_and_inserts() {
        // Header: source 11, target 9; copy 5 bytes from 6 ("world"), insert "ly!!".
        let delta = [11, 9, 0x80 | 0x01 | 0x10, 6, 5, 4, b'l', b'y', b'!', b'!'];
        assert_eq!(apply(b"hello world", &delta).as_deref(), Some(&b"worldly!!"[..]));
    }

    #[test]
    fn a_delta_out_of_range_is_refused() {
        // Each must answer None, never panic or read past the base.
        let copy_past_end = [11, 5, 0x80 | 0x01 | 0x10, 8, 5];
        assert_eq!(apply(b"hello world", &copy_past_end), None, "copies past the base's end");
        let wrong_source = [3, 1, 1, b'x'];
        assert_eq!(apply(b"hello world", &wrong_source), None, "names a base of another size");
        let short_insert = [11, 4, 4, b'a'];
        assert_eq!(apply(b"hello world", &short_insert), None, "inserts bytes it does not hold");
        let too_long = [11, 1, 2, b'a', b'b'];
        assert_eq!(apply(b"hello world", &too_long), None, "makes more than its target");
        let reserved = [11, 1, 0];
        assert_eq!(apply(b"hello world", &reserved), None, "uses the reserved instruction 0");
        let endless_size = [0xff; 12];
        assert_eq!(apply(b"", &endless_size), None, "a size that never ends");
    }

    /// `entry` at `offset` of a pack.
    fn at(offset: usize, entry: &[u8]) -> Vec<u8> {
        let mut pack = vec![0; offset];
        pack.extend_from_slice(entry);
        pack
    }

    fn at_20(entry: &[u8]) -> Vec<u8> {
        at(20, entry)
    }

    #[test]
    fn an_entry_is_read_as_git_writes_it() {
        let delta = at_20(&[0x60, 0x05, 0x78]);
        let parsed = Entry::parse(&delta, 20).expect("an offset delta of size 0, 5 bytes back");
        assert!(matches!(parsed.base, Base::Offset(15)));
        assert_eq!((parsed.size, parsed.stream), (0, 22));
        // A continued distance adds one before each shift: 0x80 then 0x01 is (0 + 1) * 128 + 1.
        let pack = at(200, &[0x60, 0x80, 0x01]);
        let far = Entry::parse(&pack, 200).expect("129 bytes back");
        assert!(matches!(far.base, Base::Offset(71)));
        let blob = Entry::parse(&[0xb1, 0x02, 0x78], 0).expect("a blob of 0x21 bytes");
        assert!(matches!(blob.base, Base::None(ObjectType::Blob)));
        assert_eq!((blob.size, blob.stream), (0x21, 2));
    }

    #[test]
    fn an_entry_cut_short_or_pointing_forward_is_refused() {
        assert!(Entry::parse(&[0x95], 0).is_none(), "a size that continues past the end");
        // An offset delta whose base would be at or after itself, or inside the header.
        assert!(Entry::parse(&at_20(&[0x60, 0x00]), 20).is_none(), "a distance of 0");
        assert!(Entry::parse(&at_20(&[0x60, 0x10]), 20).is_none(), "a base inside the pack's header");
        assert!(Entry::parse(&at_20(&[0x60, 0x7f]), 20).is_none(), "a base before the pack's start");
        assert!(Entry::parse(&[0x70, 1, 2], 0).is_none(), "a base id cut short");
        assert!(Entry::parse(&[0x50], 0).is_none(), "type 5 is reserved");
        let huge = [0xf0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
        assert!(Entry::parse(&huge, 0).is_none(), "a size past the limit");
    }
}
