//! The app binary cargo builds next to these tests is the one the end-to-end tests drive
//! (scripts/test); this test also makes cargo build it. It checks what the binary ships with.

use std::path::Path;

fn config() -> serde_json::Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../tauri.conf.json")).unwrap();
    serde_json::from_str(&text).expect("tauri.conf.json is JSON")
}

#[test]
fn the_binary_carries_the_strict_content_security_policy_of_tauri_conf_json() {
    let csp = config()["app"]["security"]["csp"].as_str().expect("a CSP is configured").to_string();
    // The policy that keeps repository Markdown inert: no inline or remote script, no frames.
    for directive in ["script-src 'self'", "object-src 'none'", "frame-src 'none'", "base-uri 'none'"] {
        assert!(csp.contains(directive), "the CSP has {directive}: {csp}");
    }
    assert!(!csp.contains("unsafe-eval") && !csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
    let binary = std::fs::read(env!("CARGO_BIN_EXE_gatehouse-app")).expect("the app binary is built");
    assert!(
        binary.windows(csp.len()).any(|w| w == csp.as_bytes()),
        "the built binary embeds exactly this policy (it was built from the checked-in configuration)"
    );
}

#[test]
fn the_window_may_use_only_the_apps_commands_events_a_folder_dialog_and_a_save_dialog() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities/default.json");
    let caps: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let granted: Vec<&str> = caps["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(
        granted,
        ["core:event:allow-listen", "core:event:allow-unlisten", "dialog:allow-open", "dialog:allow-save"]
    );
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    assert_eq!(std::fs::read_dir(dir).unwrap().count(), 1, "no other capability file grants more");
}
