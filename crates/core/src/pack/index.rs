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
pub(super) fn offset(index: &[u8], id: &[u8]) -> Option<u64> {
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
