//! Parsing `models/<model>/reproducibility.toml`. Every path and digest is checked here, with
//! the line it sits on, before anything is hashed: a manifest naming `/etc/shadow` or
//! `../../consortium.toml` is a malformed file, not a file to read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::Malformed;

/// The manifest's name inside a model's folder.
pub const MANIFEST: &str = "reproducibility.toml";

/// File entries one manifest may hold; each is hashed, so this bounds the work of a check.
pub const MAX_ENTRIES: usize = 10_000;

/// What a file entry is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ReproRole"))]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Tokenizer,
    Preprocessing,
    /// The configuration file of an evaluation harness.
    EvaluationConfig,
    Artifact,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Tokenizer => "tokenizer",
            Role::Preprocessing => "preprocessing",
            Role::EvaluationConfig => "evaluation-config",
            Role::Artifact => "artifact",
        }
    }
}

/// Where a file is kept: in the model's folder in git, or in an artifacts folder outside git
/// (weights of hundreds of gigabytes), given when checking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ReproKept"))]
#[serde(rename_all = "kebab-case")]
pub enum Kept {
    Model,
    Artifacts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ReproSeed"))]
pub struct Seed {
    pub name: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub value: i64,
}

/// A file the manifest vouches for, by its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileEntry {
    pub role: Role,
    /// Relative to the model's folder (`Kept::Model`) or to the artifacts folder.
    pub path: String,
    /// 64 lowercase hex digits.
    pub sha256: String,
    pub kept: Kept,
    /// The manifest's line naming the path.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ReproDataset"))]
pub struct Dataset {
    pub name: String,
    /// A commit id, tag or revision name, as the dataset's host names it.
    pub revision: String,
    pub source: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ReproHarness"))]
pub struct Harness {
    pub harness: String,
    pub version: String,
    /// The configuration file's path: one of the manifest's files (role `evaluation-config`).
    pub config: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ReproContainer"))]
pub struct Container {
    pub name: String,
    pub image: String,
    /// `sha256:` and 64 lowercase hex digits: an OCI content digest.
    pub digest: String,
    pub line: u32,
}

/// A parsed, checked manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Manifest {
    pub seeds: Vec<Seed>,
    pub datasets: Vec<Dataset>,
    pub evaluation: Vec<Harness>,
    pub containers: Vec<Container>,
    /// Tokenizer, preprocessing, evaluation configuration and artifacts, in that order.
    pub files: Vec<FileEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    path: Spanned<String>,
    sha256: Spanned<String>,
    #[serde(default)]
    kept_in: Option<Kept>,
    /// The size, for people; the hash is what is checked.
    #[serde(default)]
    #[allow(dead_code)]
    bytes: Option<u64>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDataset {
    name: Spanned<String>,
    revision: Spanned<String>,
    #[serde(default)]
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHarness {
    harness: Spanned<String>,
    version: Spanned<String>,
    config: RawFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContainer {
    name: Spanned<String>,
    #[serde(default)]
    image: String,
    digest: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    seeds: BTreeMap<String, Spanned<i64>>,
    #[serde(default)]
    tokenizer: Vec<RawFile>,
    #[serde(default)]
    preprocessing: Vec<RawFile>,
    #[serde(default)]
    datasets: Vec<RawDataset>,
    #[serde(default)]
    evaluation: Vec<RawHarness>,
    #[serde(default)]
    containers: Vec<RawContainer>,
    #[serde(default)]
    artifacts: Vec<RawFile>,
}

/// The line (from 1) of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1
}

/// Parses the manifest `text`, read from `path` (named in errors, with the line).
pub fn parse(path: &str, text: &str) -> Result<Manifest, Malformed> {
    let raw: Raw = toml::from_str(text).map_err(|e: toml::de::Error| {
        Malformed::new(path, e.span().map(|s| line_of(text, s.start)), e.message().trim().to_string())
    })?;
    let at = |span: std::ops::Range<usize>| line_of(text, span.start);
    let bad = |span: std::ops::Range<usize>, message: String| Malformed::new(path, Some(at(span)), message);

    let mut manifest = Manifest::default();
    for (name, value) in &raw.seeds {
        if *value.get_ref() < 0 {
            return Err(bad(value.span(), format!("seed {name:?} is negative; a seed is a whole number from 0")));
        }
        manifest.seeds.push(Seed { name: name.clone(), value: *value.get_ref() });
    }
    let text_field = |field: &Spanned<String>, what: &str| -> Result<String, Malformed> {
        let value = field.get_ref().trim();
        if value.is_empty() || value.chars().any(char::is_control) {
            return Err(bad(field.span(), format!("{what} must be one line of text, not empty")));
        }
        Ok(value.to_string())
    };
    for d in &raw.datasets {
        let name = text_field(&d.name, "a dataset's name")?;
        let revision = text_field(&d.revision, "a dataset's revision")?;
        manifest.datasets.push(Dataset { name, revision, source: d.source.clone(), line: at(d.name.span()) as u32 });
    }
    for c in &raw.containers {
        let name = text_field(&c.name, "a container's name")?;
        let digest = c.digest.get_ref();
        if !is_oci_sha256(digest) {
            return Err(bad(
                c.digest.span(),
                format!("container digest {digest:?} is not \"sha256:\" followed by 64 lowercase hex digits"),
            ));
        }
        manifest.containers.push(Container {
            name,
            image: c.image.clone(),
            digest: digest.clone(),
            line: at(c.name.span()) as u32,
        });
    }
    let mut file = |raw: &RawFile, role: Role, default: Kept| -> Result<(), Malformed> {
        if manifest.files.len() >= MAX_ENTRIES {
            return Err(bad(raw.path.span(), format!("more than {MAX_ENTRIES} files; at most that many are checked")));
        }
        let kept = raw.kept_in.unwrap_or(default);
        let entry_path = check_path(raw.path.get_ref(), kept).map_err(|m| bad(raw.path.span(), m))?;
        let sha = raw.sha256.get_ref();
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad(raw.sha256.span(), format!("sha256 {sha:?} is not 64 hex digits")));
        }
        manifest.files.push(FileEntry {
            role,
            path: entry_path,
            sha256: sha.to_ascii_lowercase(),
            kept,
            line: at(raw.path.span()),
        });
        Ok(())
    };
    for f in &raw.tokenizer {
        file(f, Role::Tokenizer, Kept::Model)?;
    }
    for f in &raw.preprocessing {
        file(f, Role::Preprocessing, Kept::Model)?;
    }
    let mut harnesses = Vec::new();
    for h in &raw.evaluation {
        file(&h.config, Role::EvaluationConfig, Kept::Model)?;
        harnesses.push((h, raw_path(&h.config)));
    }
    for f in &raw.artifacts {
        file(f, Role::Artifact, Kept::Artifacts)?;
    }
    for (h, config) in harnesses {
        let harness = text_field(&h.harness, "an evaluation harness's name")?;
        let version = text_field(&h.version, "an evaluation harness's version")?;
        manifest.evaluation.push(Harness { harness, version, config, line: at(h.harness.span()) as u32 });
    }
    Ok(manifest)
}

/// A model file's destination that names the manifest (`reproducibility.toml`, or
/// `models/<model>/reproducibility.toml`): the one file besides the card and evidence that
/// `model add/update` writes, checked before it is written.
pub fn as_destination(model: &str, dest: &str) -> Option<&'static str> {
    let rel = dest.strip_prefix(&format!("models/{model}/")).unwrap_or(dest);
    (rel == MANIFEST).then_some(MANIFEST)
}

/// Checks a manifest given by the caller (`source` names it in errors) before it is written.
pub fn check_upload(source: &str, bytes: &[u8]) -> Result<Manifest, Malformed> {
    let text = crate::repo::blob_text(source, bytes)?;
    parse(source, &text)
}

fn raw_path(f: &RawFile) -> String {
    f.path.get_ref().clone()
}

/// `sha256:` and 64 lowercase hex digits, as OCI registries name an image's content.
pub fn is_oci_sha256(digest: &str) -> bool {
    digest
        .strip_prefix("sha256:")
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

/// A file's path as the manifest may name it: relative, inside its folder (`..` could leave
/// it), without `.git` (git's own folder, never part of a tree). Whether it goes through a
/// symbolic link is known only where it is kept, when it is checked.
pub fn check_path(raw: &str, kept: Kept) -> Result<String, String> {
    let folder = match kept {
        Kept::Model => "the model's folder",
        Kept::Artifacts => "the artifacts folder",
    };
    if raw.is_empty() {
        return Err("an empty path".into());
    }
    if raw.chars().any(char::is_control) {
        return Err(format!("path {raw:?} contains control characters"));
    }
    let drive = raw.len() >= 2 && raw.as_bytes()[1] == b':' && raw.as_bytes()[0].is_ascii_alphabetic();
    if raw.starts_with('/') || raw.starts_with('\\') || raw.starts_with('~') || drive {
        return Err(format!("path {raw:?} is absolute; name files relative to {folder}"));
    }
    if raw.contains('\\') {
        return Err(format!("path {raw:?} contains a backslash; paths are separated by /"));
    }
    let components: Vec<&str> = raw.split('/').collect();
    if components.contains(&"..") {
        return Err(format!("path {raw:?} goes up with \"..\" and could leave {folder}"));
    }
    if components.iter().any(|c| c.is_empty() || *c == ".") {
        return Err(format!("path {raw:?} has an empty or \".\" part"));
    }
    if components.iter().any(|c| {
        let c = c.trim_end_matches(['.', ' ']);
        c.eq_ignore_ascii_case(".git") || c.eq_ignore_ascii_case("git~1")
    }) {
        return Err(format!("path {raw:?} names a .git folder, which git keeps for itself"));
    }
    Ok(raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    fn good() -> String {
        format!(
            r#"[seeds]
init = 1337
data_order = 20260608

[[tokenizer]]
path = "tokenizer/tokenizer_config.json"
sha256 = "{HASH}"

[[preprocessing]]
path = "preprocessing/clean.py"
sha256 = "{HASH}"

[[datasets]]
name = "tpc-web-ja"
revision = "6a77b971818f484123daf26e497665c245422a4e"
source = "git.tpc-consortium.org/data/tpc-web-ja"

[[evaluation]]
harness = "lm-evaluation-harness"
version = "0.4.5"
config = {{ path = "eval/lm-eval.yaml", sha256 = "{HASH}" }}

[[containers]]
name = "training"
image = "registry.example.org/megatron"
digest = "sha256:{HASH}"

[[artifacts]]
path = "checkpoints/model-00001-of-00002.safetensors"
sha256 = "{}"
bytes = 4
"#,
            HASH.to_uppercase()
        )
    }

    #[test]
    fn a_full_manifest_parses_with_lines() {
        let m = parse("models/m/reproducibility.toml", &good()).unwrap();
        assert_eq!(m.seeds.len(), 2, "both seeds are kept");
        assert_eq!(m.files.len(), 4, "tokenizer, preprocessing, evaluation config, artifact");
        let roles: Vec<Role> = m.files.iter().map(|f| f.role).collect();
        assert_eq!(roles, [Role::Tokenizer, Role::Preprocessing, Role::EvaluationConfig, Role::Artifact]);
        assert_eq!(m.files[0].line, 6, "an entry's line is its path's line");
        assert_eq!(m.files[3].kept, Kept::Artifacts, "artifacts are kept outside git by default");
        assert_eq!(m.files[3].sha256, HASH, "hex digits are kept in lowercase");
        assert_eq!(m.evaluation[0].config, "eval/lm-eval.yaml");
        assert_eq!(m.containers[0].digest, format!("sha256:{HASH}"));
        assert_eq!(m.datasets[0].line, 14, "a dataset's line is its name's");
    }

    #[test]
    fn bad_paths_and_digests_name_their_line() {
        let cases = [
            ("path = \"tokenizer/tokenizer_config.json\"", "path = \"/etc/passwd\"", "absolute"),
            ("path = \"tokenizer/tokenizer_config.json\"", "path = \"../other/card.md\"", "\"..\""),
            ("path = \"tokenizer/tokenizer_config.json\"", "path = \"a/../../x\"", "\"..\""),
            ("path = \"tokenizer/tokenizer_config.json\"", "path = \"C:\\\\x\"", "absolute"),
            ("path = \"tokenizer/tokenizer_config.json\"", "path = \"a//b\"", "empty"),
            ("path = \"tokenizer/tokenizer_config.json\"", "path = \".git/config\"", ".git"),
            ("path = \"tokenizer/tokenizer_config.json\"", "path = \"a\\u0000b\"", "control"),
            ("path = \"tokenizer/tokenizer_config.json\"", "path = \"\"", "empty path"),
        ];
        for (from, to, says) in cases {
            let text = good().replacen(from, to, 1);
            let e = parse("models/m/reproducibility.toml", &text).unwrap_err();
            assert_eq!(e.location.line, Some(6), "{to}: the entry's line is named: {e}");
            assert!(e.message.contains(says), "{to}: the message says why ({says}): {e}");
        }
        let short = good().replacen(&format!("sha256 = \"{HASH}\""), "sha256 = \"abc\"", 1);
        let e = parse("models/m/reproducibility.toml", &short).unwrap_err();
        assert_eq!((e.location.line, e.message.contains("64 hex")), (Some(7), true), "{e}");
        let nonhex = good().replacen(&format!("sha256 = \"{HASH}\""), &format!("sha256 = \"{}\"", "g".repeat(64)), 1);
        assert!(parse("m", &nonhex).is_err(), "64 characters that are not hex are refused");
        for digest in [format!("sha256:{}", HASH.to_uppercase()), "sha256:abc".into(), HASH.to_string()] {
            let text = good().replacen(&format!("digest = \"sha256:{HASH}\""), &format!("digest = \"{digest}\""), 1);
            let e = parse("models/m/reproducibility.toml", &text).unwrap_err();
            assert_eq!(e.location.line, Some(26), "{digest}: the digest's line is named: {e}");
        }
        let e = parse("p", "[seeds]\ninit = -1\n").unwrap_err();
        assert_eq!(e.location.line, Some(2), "{e}");
        let e = parse("p", "[seeds]\ninit = \"x\"\n").unwrap_err();
        assert_eq!(e.location.line, Some(2), "a seed that is not a number: {e}");
        let e = parse("p", "\n\nunknown = 1\n").unwrap_err();
        assert_eq!(e.location.line, Some(3), "unknown keys are refused with their line: {e}");
        let e = parse("p", "[[artifacts]]\npath = \"a\"\nsha256 = \"").unwrap_err();
        assert!(e.location.line.is_some(), "broken TOML names its line: {e}");
        let e = parse("p", "[[datasets]]\nname = \"d\"\nrevision = \"\"\n").unwrap_err();
        assert_eq!(e.location.line, Some(3), "{e}");
        let e = parse("p", &format!("[[artifacts]]\npath = \"a\"\nsha256 = \"{HASH}\"\nkept_in = \"elsewhere\"\n"))
            .unwrap_err();
        assert_eq!(e.location.line, Some(4), "{e}");
    }

    #[test]
    fn an_empty_manifest_is_valid() {
        assert_eq!(parse("p", "").unwrap(), Manifest::default());
    }
}
