fn main() {
    tauri_build::build();
    // Linked at a fixed address on Linux, as the `gatehouse` command is (see its build.rs):
    // a position-independent app had the loader apply 130,000 relocations over 2.2 MB at
    // start, which kept those pages, and the binary's pages read only to relocate them, in the
    // app process for good: about 6 MB of its PSS with the sample (97 -> 91 MB, measured by
    // hand with three alternating starts under Xvfb).
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    // The functions that run from the start until the board has settled, laid out together
    // (`startup-order.txt`, written by scripts/startup-order): the kernel maps code in blocks
    // around each page that runs, and the same functions scattered over the binary kept 12 MB
    // of its code mapped where, together, they keep 4 MB (about 7 MB less PSS with the sample,
    // measured by hand in alternation; docs/app-benchmarks.md). The option is LLD's, Rust's
    // default linker on x86_64 Linux since Rust 1.90 (older toolchains link with the system's
    // `ld`, which has no such option, so they link without it); a name the binary no longer
    // has is skipped, silently.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("x86_64")
        && rustc_at_least(1, 90)
    {
        let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
        let order = std::path::Path::new(&dir).join("startup-order.txt");
        println!("cargo:rerun-if-changed={}", order.display());
        println!("cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}", order.display());
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}

/// Whether the compiler building this is at least `major.minor`, from `rustc -vV`.
fn rustc_at_least(major: u32, minor: u32) -> bool {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let Ok(out) = std::process::Command::new(rustc).arg("-vV").output() else { return false };
    let text = String::from_utf8_lossy(&out.stdout);
    let Some(release) = text.lines().find_map(|l| l.strip_prefix("release: ")) else { return false };
    let mut parts = release.split(['.', '-']).map(|p| p.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0)) >= (major, minor)
}
