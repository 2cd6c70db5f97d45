//! Handing memory back to the system after work that allocated much and is done.

/// glibc keeps what a thread freed in that thread's arena, for its next allocations. Verify
/// reads the whole history on worker threads; without this, what it freed stayed with the
/// window for as long as it ran (with 5,000 models, about 56 MB of the app's own 160 MB).
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only gives free pages back to the kernel; glibc makes it safe to call
    // while other threads allocate.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The environment variable through which JavaScriptCore is told whether to compile scripts.
pub const JIT_ENV: &str = "JSC_useJIT";

/// Has JavaScriptCore run the window's script in its interpreter, through the environment the
/// web process inherits (so: before the web view exists, while this is the one thread). Its
/// compilers' code and memory took about 10 MB of the web process's 123 MB with the sample
/// (measured by hand on 2026-12-07; `docs/app-benchmarks.md`), and the board's script is
/// small: starts with 1,000 and 5,000 models were as fast within the machine's noise. A
/// `JSC_useJIT` already in the environment is left as it is and wins.
pub fn interpret_scripts() {
    if cfg!(target_os = "linux") && std::env::var_os(JIT_ENV).is_none() {
        std::env::set_var(JIT_ENV, "0");
    }
}
