//! Links the `gatehouse` command as a position-dependent executable on Linux.
//!
//! Every command is a new process, and a position-independent one spends most of its start in
//! the dynamic loader: about 120,000 relative relocations over 2 MB of read-only data, each
//! page of it copied on write. Linked at a fixed address, that work is done once by the linker,
//! and a command starts in about half the time (3.6 → 1.7 ms for `gatehouse --version`,
//! by hand with `perf stat`; `docs/benchmarks.md` times it in every run: 3.9 ms before, 1.9
//! after). The shared libraries, the stack and the heap are still placed at random; only the
//! executable's own image is not.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
