//! `consortium.toml`: `Consortium::parse` on any text. A file that parses serialises again
//! (`to_toml`) to a file that parses to the same consortium.
#![no_main]

use gatehouse::consortium::Consortium;
use gatehouse::id;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(c) = Consortium::parse(text) else { return };
    assert!(c.members.iter().all(|m| id::is_valid(&m.id) && id::is_valid(&m.org)));
    assert!(c.roles.keys().all(|r| id::is_valid(r)));
    let again = c.to_toml();
    match Consortium::parse(&again) {
        Ok(back) => assert_eq!(back, c, "re-serialised as:\n{again}"),
        Err(e) => panic!("re-serialised consortium does not parse: {e}\n{again}"),
    }
});
