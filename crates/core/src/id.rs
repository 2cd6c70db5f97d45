//! Ids become paths, so they are checked before anything is read or written.

use crate::error::{Error, Input, Result};

/// True when `s` matches `^[a-z0-9][a-z0-9._-]{0,62}$` and is not made of dots alone.
pub fn is_valid(s: &str) -> bool {
    let bytes = s.as_bytes();
    let Some(first) = bytes.first() else {
        return false;
    };
    let allowed = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    bytes.len() <= 63
        && allowed(first)
        && bytes[1..].iter().all(|b| allowed(b) || matches!(b, b'.' | b'_' | b'-'))
        && !bytes.iter().all(|b| *b == b'.')
}

/// Checks an id given for `input`, naming the input in the error.
pub fn check(input: Input, s: &str) -> Result<()> {
    if is_valid(s) {
        Ok(())
    } else {
        Err(Error::invalid(
            input,
            format!(
                "{s:?} is not a valid id (lowercase letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters)"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_ids() {
        for id in ["a", "switch-c-1.6t", "safety", "0", "a.b_c-d", &"x".repeat(63)] {
            assert!(is_valid(id), "{id} should be valid");
        }
    }

    #[test]
    fn refuses_ids_that_could_escape_or_mislead() {
        for id in [
            "",
            "..",
            ".",
            "../x",
            "A",
            "A B",
            "a b",
            "-a",
            ".a",
            "a/b",
            "a\\b",
            "é",
            "a\0b",
            "/abs",
            "a\n",
            &"x".repeat(64),
        ] {
            assert!(!is_valid(id), "{id:?} must be refused");
        }
    }
}
