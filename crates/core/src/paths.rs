//! Where a model's files may be: a path given for a model's file stays inside its folder, and
//! evidence lives under its `evidence/`. Paths come from people and from sign-off files, so
//! they are checked before they become tree paths.

use crate::error::{Error, Input, Result};

/// A path given for a file of a model, relative to its folder (`evidence/x.pdf`), or to the
/// repository (`models/<model>/evidence/x.pdf`). Anything that could leave the folder is refused.
pub fn model_relative_path(input: Input, model: &str, raw: &str) -> Result<String> {
    let outside = || Error::invalid(input, format!("{raw:?} is outside the model's folder models/{model}/"));
    if raw.is_empty() || raw.starts_with('/') || raw.contains('\\') || raw.contains(':') {
        return Err(outside());
    }
    if raw.chars().any(char::is_control) {
        return Err(Error::invalid(input, format!("{raw:?} contains control characters")));
    }
    let prefix = format!("models/{model}/");
    let rel = raw.strip_prefix(&prefix).unwrap_or(raw);
    if rel.starts_with("models/") {
        return Err(outside());
    }
    let rel = rel.strip_prefix("./").unwrap_or(rel);
    if rel.split('/').any(|c| c.is_empty() || c == "." || c == "..") {
        return Err(outside());
    }
    if rel.split('/').any(is_git_dir) {
        return Err(Error::invalid(input, format!("{raw:?} names a .git folder, which git keeps for itself")));
    }
    Ok(rel.to_string())
}

/// `.git` in any spelling a checkout on Windows or macOS would treat as git's own folder.
fn is_git_dir(component: &str) -> bool {
    let c = component.trim_end_matches(['.', ' ']);
    c.eq_ignore_ascii_case(".git") || c.eq_ignore_ascii_case("git~1")
}

/// An evidence path: inside the model's folder and under `evidence/`.
pub fn evidence_path(input: Input, model: &str, raw: &str) -> Result<String> {
    let rel = model_relative_path(input, model, raw)?;
    if !rel.starts_with("evidence/") {
        return Err(Error::invalid(input, format!("{raw:?}: evidence lives under models/{model}/evidence/")));
    }
    Ok(rel)
}

/// A file given with a model's card: evidence under `evidence/`, or one of the model's own
/// data files directly beside the card (`bom.toml` and the other `*.toml` files docs/format.md
/// describes), which Gatehouse parses where it shows them.
pub fn model_file_path(input: Input, model: &str, raw: &str) -> Result<String> {
    let rel = model_relative_path(input, model, raw)?;
    if !rel.contains('/') && rel.ends_with(".toml") {
        return Ok(rel);
    }
    evidence_path(input, model, raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_paths_stay_inside_the_model() {
        assert_eq!(evidence_path(Input::Evidence, "m", "evidence/a.pdf").unwrap(), "evidence/a.pdf");
        assert_eq!(evidence_path(Input::Evidence, "m", "models/m/evidence/a/b.md").unwrap(), "evidence/a/b.md");
        for bad in [
            "../x",
            "evidence/../../x",
            "/etc/passwd",
            "models/other/evidence/a",
            "evidence//a",
            "C:\\x",
            "card.md",
            "evidence/a\0b",
            "evidence/a\nb",
            "evidence/.git/config",
            "evidence/.GIT./hooks",
        ] {
            assert!(evidence_path(Input::Evidence, "m", bad).is_err(), "{bad} must be refused");
        }
    }
}
