//! The app's own preferences, in `preferences.json` in the app's data folder (beside the
//! recent list). One so far: whether WebKitGTK composites the page with OpenGL
//! ("accelerated compositing"). It must be decided before the web view exists, so it is read
//! once at the very start of `run` and a change applies at the next start.
//!
//! The default follows the machine: compositing on where the kernel offers a GPU render node
//! (`/dev/dri/renderD*`) and GL is not forced to software; off otherwise. Without a GPU,
//! WebKitGTK composites through a software GL (llvmpipe), which costs memory (about 130 MB of
//! the process tree, measured in docs/app-benchmarks.md) and buys nothing a board needs.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The environment variable through which WebKitGTK is told not to composite.
pub const WEBKIT_ENV: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// What the member chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum CompositingChoice {
    /// As the machine decides (the default rule).
    #[default]
    Auto,
    On,
    Off,
}

/// The file's content. Unknown fields are ignored, so a newer app's file still reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    #[serde(default)]
    pub compositing: CompositingChoice,
}

/// What the machine offers, as far as the default rule looks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Machine {
    /// A DRM render node exists (`/dev/dri/renderD*`).
    pub render_node: bool,
    /// GL is forced to software (`LIBGL_ALWAYS_SOFTWARE` set to something other than 0).
    pub software_gl: bool,
}

impl Machine {
    /// Looks at this machine.
    pub fn detect() -> Machine {
        Machine {
            render_node: has_render_node(Path::new("/dev/dri")),
            software_gl: std::env::var("LIBGL_ALWAYS_SOFTWARE").is_ok_and(|v| !v.is_empty() && v != "0"),
        }
    }

    /// The default rule: composite only with a GPU that GL may use.
    pub fn default_compositing(&self) -> bool {
        self.render_node && !self.software_gl
    }

    /// The rule's reason, in the preference's words.
    pub fn reason(&self) -> &'static str {
        match (self.render_node, self.software_gl) {
            (true, false) => "this machine has a GPU render node",
            (true, true) => "GL is forced to software on this machine (LIBGL_ALWAYS_SOFTWARE)",
            (false, _) => "this machine has no GPU render node (/dev/dri/renderD*)",
        }
    }
}

/// True when `dir` holds a `renderD*` node.
pub fn has_render_node(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| entries.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
        .unwrap_or(false)
}

/// Whether to composite: the choice, else the machine's default.
pub fn compositing(choice: CompositingChoice, machine: &Machine) -> bool {
    match choice {
        CompositingChoice::Auto => machine.default_compositing(),
        CompositingChoice::On => true,
        CompositingChoice::Off => false,
    }
}

/// The preferences file in a data folder.
pub struct PrefsFile {
    file: PathBuf,
}

impl PrefsFile {
    pub fn new(data_dir: &Path) -> PrefsFile {
        PrefsFile { file: data_dir.join("preferences.json") }
    }

    pub fn path(&self) -> &Path {
        &self.file
    }

    /// The preferences; a missing or unreadable file gives the defaults (a damaged file must
    /// never keep the app from starting).
    pub fn load(&self) -> Preferences {
        std::fs::read(&self.file).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    pub fn save(&self, prefs: &Preferences) -> std::io::Result<()> {
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // Written aside and renamed, so a crash never leaves half a file.
        let tmp = self.file.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(prefs).map_err(std::io::Error::other)?)?;
        std::fs::rename(&tmp, &self.file)
    }
}

/// What this run of the app does about compositing, decided before the window exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub compositing: bool,
    /// `WEBKIT_DISABLE_COMPOSITING_MODE` was set before the app started: it wins.
    pub from_environment: bool,
}

/// The data folder as the app will use it, found before Tauri starts (the preference must be
/// applied before the web view exists): `GATEHOUSE_DATA_DIR`, else, on Linux, the folder Tauri's
/// `app_data_dir` names (`$XDG_DATA_HOME` or `~/.local/share`, then the app's identifier).
pub fn early_data_dir(identifier: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("GATEHOUSE_DATA_DIR").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    if !cfg!(target_os = "linux") {
        return None;
    }
    let base = std::env::var_os("XDG_DATA_HOME").map(PathBuf::from).filter(|p| p.is_absolute()).or_else(|| {
        std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|h| PathBuf::from(h).join(".local/share"))
    })?;
    Some(base.join(identifier))
}

/// Reads the preference and tells WebKitGTK, through its environment variable, before any
/// thread or web view exists (the only moment changing the environment is sound). An explicit
/// `WEBKIT_DISABLE_COMPOSITING_MODE` in the environment is left as it is and wins.
pub fn apply_at_start(data_dir: Option<&Path>) -> Applied {
    if let Some(v) = std::env::var_os(WEBKIT_ENV) {
        // WebKitGTK reads any value but "0" as "do not composite".
        return Applied { compositing: v == "0", from_environment: true };
    }
    let choice = data_dir.map(|d| PrefsFile::new(d).load().compositing).unwrap_or_default();
    let on = compositing(choice, &Machine::detect());
    if !on && cfg!(target_os = "linux") {
        std::env::set_var(WEBKIT_ENV, "1");
    }
    Applied { compositing: on, from_environment: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("gatehouse-prefs-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn the_default_composites_only_with_a_gpu_that_gl_may_use() {
        let gpu = Machine { render_node: true, software_gl: false };
        let none = Machine { render_node: false, software_gl: false };
        let forced = Machine { render_node: true, software_gl: true };
        assert!(compositing(CompositingChoice::Auto, &gpu), "a GPU: composite, as WebKitGTK would");
        assert!(!compositing(CompositingChoice::Auto, &none), "no render node: software GL, so off (saves memory)");
        assert!(!compositing(CompositingChoice::Auto, &forced), "GL forced to software: off");
        assert!(compositing(CompositingChoice::On, &none), "the member's choice beats the rule");
        assert!(!compositing(CompositingChoice::Off, &gpu), "the member's choice beats the rule");
        assert!(none.reason().contains("no GPU"), "the reason names what was looked at: {}", none.reason());
    }

    #[test]
    fn a_render_node_is_found_by_its_name() {
        let dir = temp("dri");
        assert!(!has_render_node(&dir), "a missing /dev/dri: no GPU");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("card0"), "").unwrap();
        assert!(!has_render_node(&dir), "a display card alone is no render node");
        std::fs::write(dir.join("renderD128"), "").unwrap();
        assert!(has_render_node(&dir), "renderD128 is a render node");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_choice_round_trips_through_its_file() {
        let dir = temp("roundtrip");
        let file = PrefsFile::new(&dir);
        assert_eq!(file.load(), Preferences::default(), "no file yet: the machine decides");
        for choice in [CompositingChoice::Off, CompositingChoice::On, CompositingChoice::Auto] {
            file.save(&Preferences { compositing: choice }).unwrap();
            assert_eq!(file.load().compositing, choice, "what was saved is what the next start reads");
        }
        let text = std::fs::read_to_string(dir.join("preferences.json")).unwrap();
        assert!(text.contains("\"compositing\": \"auto\""), "a person can read and edit the file: {text}");
        std::fs::write(dir.join("preferences.json"), "{ not json").unwrap();
        assert_eq!(file.load(), Preferences::default(), "a damaged file never keeps the app from starting");
        std::fs::write(dir.join("preferences.json"), r#"{"compositing":"off","later":1}"#).unwrap();
        assert_eq!(file.load().compositing, CompositingChoice::Off, "fields of a newer app are ignored");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
