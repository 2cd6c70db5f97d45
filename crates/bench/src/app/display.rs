//! The display the app is shown on: Xvfb under `scripts/bench-app`.

use std::path::PathBuf;

use anyhow::{ensure, Result};

/// `DISPLAY`; fails unless there is a display (X or Wayland).
pub fn required() -> Result<String> {
    let display = std::env::var("DISPLAY").unwrap_or_default();
    ensure!(
        !display.is_empty() || std::env::var_os("WAYLAND_DISPLAY").is_some(),
        "no display: run this under Xvfb (`xvfb-run -a -s \"-screen 0 1280x800x24\" ...`, as scripts/bench-app does)"
    );
    Ok(display)
}

/// Fails if the X server of `display` (":N") is gone: its socket was removed.
pub fn alive(display: &str) -> Result<()> {
    let n = display.strip_prefix(':').and_then(|d| d.split('.').next()).filter(|d| !d.is_empty());
    if let Some(n) = n {
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        ensure!(
            socket.exists(),
            "the X server of DISPLAY={display} is gone ({} no longer exists): it stopped during the run \
             (was it stopped by something else on this machine?); run the benchmark again",
            socket.display()
        );
    }
    Ok(())
}
