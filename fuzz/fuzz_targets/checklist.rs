//! A checklist (= a gate): `Gate::parse` on any text. The file is named after the text's own
//! `gate:` line when it has one, so that inputs get past the name check to the items.
#![no_main]

use gatehouse::checklist::{self, Gate};
use gatehouse::id;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let gate = text
        .lines()
        .find_map(|l| l.strip_prefix("gate:"))
        .map(|g| g.trim().trim_matches(['"', '\'']))
        .filter(|g| id::is_valid(g))
        .unwrap_or("fuzz");
    let path = checklist::path(gate);
    let lines = text.split_inclusive('\n').count().max(1);
    match Gate::parse(&path, text) {
        Ok(g) => {
            assert_eq!(g.id, gate);
            assert!(g.signers.quorum >= 1);
            assert!(id::is_valid(&g.signers.role), "{:?}", g.signers.role);
            assert!(g.requires.iter().all(|r| id::is_valid(r) && *r != g.id), "{:?}", g.requires);
            assert!(g.policy.as_deref().is_none_or(id::is_valid), "{:?}", g.policy);
            assert!(g.items.len() <= checklist::MAX_ITEMS);
            for (n, item) in g.items.iter().enumerate() {
                assert!(id::is_valid(&item.id), "item id {:?}", item.id);
                assert!(g.items[..n].iter().all(|i| i.id != item.id), "item {:?} twice", item.id);
                assert!((1..=lines).contains(&item.line), "item {:?} on line {}", item.id, item.line);
            }
            assert!(text.ends_with(&g.body));
        }
        Err(e) => {
            assert_eq!(e.location.path, path);
            assert!(e.location.line.is_none_or(|l| (1..=lines + 1).contains(&l)), "{e}");
        }
    }
});
