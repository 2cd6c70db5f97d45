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
}
