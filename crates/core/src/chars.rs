//! Character checks made byte by byte, for the readers of the canonical forms Gatehouse writes
//! (trailer blocks, sign-off files), which the cold index runs on every commit and file.

/// Whether `text` holds a control character (`char::is_control`: U+0000 to U+001F, U+007F,
/// U+0080 to U+009F, which UTF-8 writes as C2 80 to C2 9F), looked for byte by byte.
pub(crate) fn has_control(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().any(|(at, &c)| {
        c < 0x20 || c == 0x7f || (c == 0xc2 && b.get(at + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_as_char_finds_them() {
        // Byte by byte, the same characters as `char::is_control`, alone and inside text.
        for c in (0..0x800).chain(0xfff0..0x10000).filter_map(char::from_u32) {
            for text in [c.to_string(), format!("a{c}b")] {
                assert_eq!(has_control(&text), c.is_control(), "{:?}", c);
            }
        }
    }
}
