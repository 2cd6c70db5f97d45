//! Commit trailers: `Trailers::parse` on any commit message. Then, as a sign-off commit is
//! written: the input's first line as the summary and the rest as the member's comment, with
//! the action trailers after them; the trailers must read back as written whatever the
//! comment says.
#![no_main]

use gatehouse::trailers::{self, Trailers};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parsed = Trailers::parse(text);
    // The direct reading of Gatehouse's own trailer block answers as libgit2's parser does.
    if let Some(fast) = Trailers::canonical(text) {
        assert_eq!(fast, Trailers::parse_full(text), "the trailer block read directly differs from libgit2's reading");
    }
    assert!(parsed.0.keys().all(|k| k.starts_with("Gatehouse-")));

    // A NUL byte cannot be in a commit message at all (git2 refuses to write it).
    if text.contains('\0') {
        return;
    }
    let (summary, comment) = text.split_once('\n').unwrap_or((text, ""));
    let written = [
        (trailers::ACTION, "signoff"),
        (trailers::MEMBER, "ada"),
        (trailers::MODEL, "switch-c-1.6t"),
        (trailers::GATE, "safety"),
        (trailers::DECISION, "approve"),
        (trailers::SUBJECT, "4b825dc642cb6eb9a060e54bf8d69288fbee4904"),
    ];
    let message = trailers::message(summary, comment, &written);
    let back = Trailers::parse(&message);
    if let Some(fast) = Trailers::canonical(&message) {
        assert_eq!(fast, Trailers::parse_full(&message));
    }
    for (key, value) in written {
        assert_eq!(back.get(key), Some(value), "{key} lost in:\n{message}");
    }
});
