//! A pack's index (`.idx`, version 2): where each object of the pack starts.

/// The first eight bytes of a version 2 index.
pub(super) const MAGIC: &[u8; 8] = b"\xfftOc\x00\x00\x00\x02";
const FANOUT: usize = 8;
const NAMES: usize = FANOUT + 256 * 4;

/// The number of objects in a well-formed version 2 index.
pub(super) fn count(index: &[u8]) -> Option<usize> {
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
///
/// Object ids are spread evenly, so where an id sits between two others is about where its
/// value sits between theirs: the first steps guess so, and a lookup touches about three of
/// the index's names instead of the dozen a halving search touches, most of them a cache miss
/// apart. Ids chosen to defeat the guess only make it fall back to halving.
pub(super) fn offset(index: &[u8], id: &[u8]) -> Option<u64> {
    let n = count(index)?;
    let first = *id.first()? as usize;
    let mut lo = if first == 0 { 0 } else { be32(index, FANOUT + (first - 1) * 4)? as usize };
    let mut hi = (be32(index, FANOUT + first * 4)? as usize).min(n);
    let name = |at: usize| index.get(NAMES + at * 20..NAMES + at * 20 + 20);
    // Within one first byte, the next eight bytes as a number.
    let value = |name: &[u8]| Some(u64::from_be_bytes(name.get(1..9)?.try_into().ok()?));
    let wanted = value(id)?;
    let mut guesses = 4;
    while lo < hi {
        let mid = if guesses > 0 && hi - lo > 8 {
            guesses -= 1;
            let (low, high) = (value(name(lo)?)?, value(name(hi - 1)?)?);
            if wanted < low || wanted > high {
                return None;
            }
            let span = u128::from(high - low).max(1);
            lo + (u128::from(wanted - low) * (hi - 1 - lo) as u128 / span) as usize
        } else {
            (lo + hi) / 2
        };
        match name(mid)?.cmp(id) {
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

    /// A version 2 index of `ids` (sorted here), object `i` at offset `12 + i`.
    fn index_of(mut ids: Vec<[u8; 20]>) -> (Vec<u8>, Vec<[u8; 20]>) {
        ids.sort();
        ids.dedup();
        let mut index = MAGIC.to_vec();
        for byte in 0..256 {
            let below = ids.iter().filter(|id| usize::from(id[0]) <= byte).count() as u32;
            index.extend(below.to_be_bytes());
        }
        ids.iter().for_each(|id| index.extend(id));
        ids.iter().for_each(|_| index.extend([0; 4]));
        (0..ids.len()).for_each(|i| index.extend((12 + i as u32).to_be_bytes()));
        index.extend([0; 40]);
        (index, ids)
    }

    #[test]
    fn every_id_is_found_however_the_ids_are_spread() {
        // Spread evenly (as hashes are), all in one first byte and packed at one end of the
        // range (as ids chosen against the guess would be): each id is found at its offset,
        // and an id that is not there is not.
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut random = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let even: Vec<[u8; 20]> = (0..5000)
            .map(|_| {
                let mut id = [0u8; 20];
                id.chunks_mut(8).for_each(|c| c.copy_from_slice(&random().to_be_bytes()[..c.len()]));
                id
            })
            .collect();
        let skewed: Vec<[u8; 20]> = (0..3000u32)
            .map(|i| {
                let mut id = [0x42u8; 20];
                id[1..9].copy_from_slice(&u64::from(i).pow(3).to_be_bytes());
                id[19] = i as u8;
                id
            })
            .chain([[0x42; 20], [0xff; 20]])
            .collect();
        for ids in [even, skewed] {
            let (index, sorted) = index_of(ids);
            for (i, id) in sorted.iter().enumerate() {
                assert_eq!(offset(&index, id), Some(12 + i as u64), "id {i}");
                let mut absent = *id;
                absent[19] ^= 0x80;
                if sorted.binary_search(&absent).is_err() {
                    assert_eq!(offset(&index, &absent), None, "an id next to {i}");
                }
            }
        }
    }
}
