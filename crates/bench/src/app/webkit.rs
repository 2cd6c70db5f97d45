//! The system's WebKitGTK: its version and packages, and its MiniBrowser.

use std::path::PathBuf;
use std::process::Command;

pub fn find_minibrowser() -> Option<PathBuf> {
    let mut candidates = vec![PathBuf::from("/usr/libexec/webkit2gtk-4.1/MiniBrowser")];
    if let Ok(entries) = std::fs::read_dir("/usr/lib") {
        for e in entries.flatten() {
            candidates.push(e.path().join("webkit2gtk-4.1/MiniBrowser"));
        }
    }
    candidates.into_iter().find(|p| p.is_file())
}

/// The system's WebKitGTK packages: (name version, ...) and their installed size.
pub fn webkit_packages() -> Option<(String, u64)> {
    let out = Command::new("dpkg-query")
        .args([
            "-W",
            "-f",
            "${Package} ${Version} ${Installed-Size}\n",
            "libwebkit2gtk-4.1-0",
            "libjavascriptcoregtk-4.1-0",
        ])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut names = Vec::new();
    let mut kib = 0;
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if let [name, version, size] = f[..] {
            names.push(format!("{name} {version}"));
            kib += size.parse::<u64>().ok()?;
        }
    }
    (!names.is_empty()).then(|| (names.join(", "), kib * 1024))
}

pub fn webkit_version() -> String {
    Command::new("pkg-config")
        .args(["--modversion", "webkit2gtk-4.1"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| format!("WebKitGTK {}", String::from_utf8_lossy(&o.stdout).trim()))
        .or_else(|| webkit_packages().map(|(n, _)| n))
        .unwrap_or_else(|| "unknown".into())
}

/// Whether the app composites in this benchmark's runs, and why: its preference is left at
/// `auto` (each run has a fresh data folder), so its default rule decides, unless
/// `WEBKIT_DISABLE_COMPOSITING_MODE` is set in this environment (the app passes it on).
pub fn app_compositing() -> (bool, &'static str) {
    if let Some(v) = std::env::var_os(super::launch::WEBKIT_ENV) {
        return (v == "0", "`WEBKIT_DISABLE_COMPOSITING_MODE` was set in the benchmark's environment");
    }
    let render_node = std::fs::read_dir("/dev/dri")
        .map(|entries| entries.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
        .unwrap_or(false);
    let software = std::env::var("LIBGL_ALWAYS_SOFTWARE").is_ok_and(|v| !v.is_empty() && v != "0");
    match (render_node, software) {
        (true, false) => (true, "its default on a machine with a GPU render node (`/dev/dri/renderD*`)"),
        (true, true) => (false, "its default where GL is forced to software (`LIBGL_ALWAYS_SOFTWARE`)"),
        (false, _) => (false, "its default on a machine without a GPU render node (no `/dev/dri/renderD*`)"),
    }
}
