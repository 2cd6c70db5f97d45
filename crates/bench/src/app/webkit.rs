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
