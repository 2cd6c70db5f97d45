//! A sign-off: the input's first line is the file's path (`SignoffPath::parse`), the rest its
//! TOML (`SignoffFile::parse`). A file that parses serialises again (`to_toml`) to the same.
//! The direct reading of Gatehouse's own layout (`signoff::canonical`) answers as the TOML
//! parser does wherever it answers at all.
#![no_main]

use gatehouse::id;
use gatehouse::signoff::{canonical, SignoffFile, SignoffPath};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let (path, text) = input.split_once('\n').unwrap_or((input, ""));
    if let Some(p) = SignoffPath::parse(path) {
        assert!(id::is_valid(&p.model) && id::is_valid(&p.gate) && id::is_valid(&p.member), "{p:?}");
        assert_eq!(p.to_path(), path);
    }
    if canonical::parse(text).is_some() {
        assert_eq!(SignoffFile::parse(path, text), SignoffFile::parse_full(path, text), "read directly and by TOML");
    }
    let Ok(file) = SignoffFile::parse(path, text) else { return };
    assert!(file.items.keys().all(|k| id::is_valid(k)));
    let again = file.to_toml();
    match SignoffFile::parse(path, &again) {
        Ok(back) => assert_eq!(back, file, "re-serialised as:\n{again}"),
        Err(e) => panic!("re-serialised sign-off does not parse: {e}\n{again}"),
    }
});
