//! "Size": the release binary, stripped, the .deb, and the system's WebKitGTK beside them.

use std::fmt::Write as _;

use crate::format::{mb, thousands};

use super::super::results::AppResults;

pub fn size(w: &mut String, r: &AppResults) {
    let z = &r.sizes;
    let _ = writeln!(w, "## Size\n");
    let _ = writeln!(w, "| | bytes | MB |\n|---|---:|---:|");
    let _ = writeln!(
        w,
        "| release binary `target/release/gatehouse-app` (Rust code and the built UI) | {} | {:.1} |",
        thousands(z.binary as usize),
        mb(z.binary)
    );
    match z.stripped {
        Some(b) => {
            let _ = writeln!(w, "| the same, stripped (`strip`) | {} | {:.1} |", thousands(b as usize), mb(b));
        }
        None => {
            let _ = writeln!(w, "| the same, stripped | not measured (`strip` failed or is missing) | |");
        }
    }
    match &z.deb {
        Some((name, b, older)) => {
            let _ = writeln!(
                w,
                "| Debian package `{name}`{} | {} | {:.1} |",
                if *older { " (built before the binary above)" } else { "" },
                thousands(*b as usize),
                mb(*b)
            );
        }
        None => {
            let _ = writeln!(w, "| Debian package | not built (`scripts/deb` makes it) | |");
        }
    }
    if let Some((pkgs, b)) = &z.webkit {
        let _ = writeln!(
            w,
            "| for fairness, not shipped: the system's WebKitGTK, installed size ({pkgs}) | {} | {:.1} |",
            thousands(*b as usize),
            mb(*b)
        );
    }
    let _ = writeln!(w);
}
