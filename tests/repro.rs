//! `gatehouse repro check`: the reproducibility manifest's files hashed where they are kept
//! (the model's folder from git, artifacts from a folder given on the command line), compared
//! with the SHA-256 the manifest records, and every bad manifest refused with its file and
//! line, the repository untouched.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Fixture;

const MODEL: &str = "baseline-1.4b";
const MANIFEST: &str = "models/baseline-1.4b/reproducibility.toml";
const EXIT_MISMATCH: i32 = 3;

/// The SHA-256 of a file as the coreutils `sha256sum` command computes it: the check must
/// agree with the tool a release manager would use by hand.
fn sha256sum(file: &Path) -> String {
    let out = Command::new("sha256sum").arg(file).output().expect("sha256sum runs");
    assert!(out.status.success(), "sha256sum {} failed", file.display());
    String::from_utf8(out.stdout).unwrap().split_whitespace().next().unwrap().to_string()
}

/// A model with a tokenizer config, a preprocessing script and an evaluation config in its
/// folder (committed with plain git), and two weight shards in an artifacts folder outside git.
struct Setup {
    f: Fixture,
    artifacts: PathBuf,
}

impl Setup {
    fn model_file(&self, rel: &str) -> PathBuf {
        self.f.repo.join("models").join(MODEL).join(rel)
    }

    fn new() -> Setup {
        let f = Fixture::sample();
        let artifacts = f.root.join("artifacts");
        let s = Setup { f, artifacts };
        for (rel, content) in [
            ("tokenizer/tokenizer_config.json", "{\"model_max_length\": 4096}\n"),
            ("preprocessing/clean.py", "def clean(text):\n    return text.strip()\n"),
            ("eval/lm-eval.yaml", "tasks: [hellaswag, arc_easy]\nnum_fewshot: 0\n"),
        ] {
            let path = s.model_file(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        }
        std::fs::create_dir_all(s.artifacts.join("step-100000")).unwrap();
        for shard in ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"] {
            // Two MiB and a bit: more than one read of the streaming hash.
            let data: Vec<u8> = (0..(2 * 1024 * 1024 + 5)).map(|i| ((i * 7 + shard.len()) % 256) as u8).collect();
            std::fs::write(s.artifacts.join("step-100000").join(shard), data).unwrap();
        }
        s.write_manifest(&s.manifest());
        s
    }

    /// The manifest with the hashes `sha256sum` gives for the files as they are now.
    fn manifest(&self) -> String {
        let model = |rel: &str| sha256sum(&self.model_file(rel));
        let art = |rel: &str| sha256sum(&self.artifacts.join(rel));
        format!(
            r#"# The run of baseline-1.4b as the reproducibility reviewers checked it.
[seeds]
init = 1234
data_order = 20260101

[[tokenizer]]
path = "tokenizer/tokenizer_config.json"
sha256 = "{}"

[[preprocessing]]
path = "preprocessing/clean.py"
sha256 = "{}"

[[datasets]]
name = "tpc-web-en"
revision = "6a77b971818f484123daf26e497665c245422a4e"

[[evaluation]]
harness = "lm-evaluation-harness"
version = "0.4.5"
config = {{ path = "eval/lm-eval.yaml", sha256 = "{}" }}

[[containers]]
name = "training"
image = "registry.example.org/megatron"
digest = "sha256:fff5ba9a10437073fe1d3879c0df281fb4c82ebdda1b4b88d5711f67736612db"

[[artifacts]]
path = "step-100000/model-00001-of-00002.safetensors"
sha256 = "{}"

[[artifacts]]
path = "step-100000/model-00002-of-00002.safetensors"
sha256 = "{}"
"#,
            model("tokenizer/tokenizer_config.json"),
            model("preprocessing/clean.py"),
            model("eval/lm-eval.yaml"),
            art("step-100000/model-00001-of-00002.safetensors"),
            art("step-100000/model-00002-of-00002.safetensors"),
        )
    }

    /// Writes the manifest and commits everything in the model's folder with plain git.
    fn write_manifest(&self, text: &str) {
        std::fs::write(self.f.repo.join(MANIFEST), text).unwrap();
        self.f.commit_as("Ada Owner", "owner@example.org", "baseline-1.4b: reproducibility manifest");
    }

    fn check(&self, extra: &[&str]) -> common::Run {
        let mut args = vec!["repro", "check", MODEL];
        args.extend_from_slice(extra);
        self.f.gh(&args)
    }

    fn artifacts_arg(&self) -> String {
        self.artifacts.display().to_string()
    }
}

fn statuses(json: &serde_json::Value) -> Vec<(String, String)> {
    json["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["status"]["status"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn every_file_matches_and_artifacts_are_checked_only_with_a_folder() {
    let s = Setup::new();
    let dir = s.artifacts_arg();
    let r = s.check(&["--artifacts", &dir]).ok();
    assert!(r.stdout.contains("5 match, 0 mismatch, 0 missing, 0 not checked"), "all five files match:\n{}", r.stdout);
    assert!(
        r.stdout.contains("lm-evaluation-harness 0.4.5 (eval/lm-eval.yaml)"),
        "the harness is shown:\n{}",
        r.stdout
    );
    assert!(r.stdout.contains("sha256:fff5ba9a"), "the container digest is shown:\n{}", r.stdout);

    let json = s.f.gh(&["--json", "repro", "check", MODEL, "--artifacts", &dir]).ok().json();
    assert!(statuses(&json).iter().all(|(_, st)| st == "match"), "every file matches: {json}");
    assert_eq!(json["seeds"][0]["name"], "data_order", "seeds are listed: {json}");

    // Without a folder, the files of git are still checked and the artifacts are left out,
    // which is no failure: nothing checked differs.
    let r = s.check(&[]).ok();
    assert!(r.stdout.contains("3 match, 0 mismatch, 0 missing, 2 not checked"), "{}", r.stdout);
    assert!(r.stdout.contains("--artifacts DIR"), "the output says how to check the artifacts:\n{}", r.stdout);
}

#[test]
fn a_changed_artifact_is_a_mismatch_with_the_hash_sha256sum_gives() {
    let s = Setup::new();
    let shard = s.artifacts.join("step-100000/model-00002-of-00002.safetensors");
    let expected = sha256sum(&shard);
    std::fs::write(&shard, b"truncated download").unwrap();
    let found = sha256sum(&shard);
    s.f.gh(&["status"]).ok();
    let before = s.f.state();
    let dir = s.artifacts_arg();
    let r = s.check(&["--artifacts", &dir]);
    assert_eq!(r.code, EXIT_MISMATCH, "a mismatch has its own exit status:\n{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("MISMATCH"), "the mismatch is shown:\n{}", r.stdout);
    assert!(r.stdout.contains(&format!("expected {expected}")), "the manifest's hash:\n{}", r.stdout);
    assert!(r.stdout.contains(&format!("found    {found}")), "the file's hash, as sha256sum gives it:\n{}", r.stdout);
    let json = s.f.gh(&["--json", "repro", "check", MODEL, "--artifacts", &dir]);
    assert_eq!(json.code, EXIT_MISMATCH, "--json exits as the text output does");
    let json = json.json();
    let entry = json["files"].as_array().unwrap().iter().find(|f| f["status"]["status"] == "mismatch").unwrap();
    assert_eq!(entry["status"]["found"], found.as_str(), "the hash found is sha256sum's: {entry}");
    assert_eq!(entry["expected"], expected.as_str());
    assert_eq!(json["summary"]["mismatched"], 1);
    common::assert_state_eq(&before, &s.f.state(), "a check writes nothing");
}

#[test]
fn a_file_of_the_model_that_changed_in_git_is_a_mismatch_without_any_folder() {
    let s = Setup::new();
    std::fs::write(s.model_file("preprocessing/clean.py"), "def clean(text):\n    return text\n").unwrap();
    s.f.commit_as("Ada Owner", "owner@example.org", "preprocessing changed after the run");
    let r = s.check(&[]);
    assert_eq!(r.code, EXIT_MISMATCH, "{}\n{}", r.stdout, r.stderr);
    let found = sha256sum(&s.model_file("preprocessing/clean.py"));
    assert!(r.stdout.contains(&found), "the hash of the committed file is shown:\n{}", r.stdout);
}

#[test]
fn a_missing_artifact_or_file_is_reported() {
    let s = Setup::new();
    std::fs::remove_file(s.artifacts.join("step-100000/model-00001-of-00002.safetensors")).unwrap();
    let dir = s.artifacts_arg();
    let r = s.check(&["--artifacts", &dir]);
    assert_eq!(r.code, EXIT_MISMATCH, "a missing artifact fails the check:\n{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("MISSING"), "{}", r.stdout);
    assert!(r.stdout.contains("4 match, 0 mismatch, 1 missing"), "{}", r.stdout);

    std::fs::remove_file(s.model_file("eval/lm-eval.yaml")).unwrap();
    s.f.commit_as("Ada Owner", "owner@example.org", "drop the evaluation config");
    let json = s.f.gh(&["--json", "repro", "check", MODEL]);
    assert_eq!(json.code, EXIT_MISMATCH);
    let st = statuses(&json.json());
    assert!(st.contains(&("eval/lm-eval.yaml".into(), "missing".into())), "{st:?}");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_in_the_artifacts_folder_is_refused() {
    let s = Setup::new();
    let dir = s.artifacts.join("step-100000");
    let shard = dir.join("model-00002-of-00002.safetensors");
    let elsewhere = s.f.root.join("elsewhere.safetensors");
    std::fs::rename(&shard, &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &shard).unwrap();
    let arg = s.artifacts_arg();
    s.f.assert_refused(
        &["repro", "check", MODEL, "--artifacts", &arg],
        2,
        &[&format!("{MANIFEST}:33"), "symbolic link", "model-00002-of-00002.safetensors"],
    );
    // A link to the folder on the way is refused the same.
    std::fs::remove_file(&shard).unwrap();
    std::fs::rename(&elsewhere, &shard).unwrap();
    std::fs::rename(&dir, s.f.root.join("real-step")).unwrap();
    std::os::unix::fs::symlink(s.f.root.join("real-step"), &dir).unwrap();
    s.f.assert_refused(&["repro", "check", MODEL, "--artifacts", &arg], 2, &[&format!("{MANIFEST}:29"), "step-100000"]);
    // The folder given may itself be a link: the caller chose it.
    let link = s.f.root.join("artifacts-link");
    std::fs::remove_file(&dir).unwrap();
    std::fs::rename(s.f.root.join("real-step"), &dir).unwrap();
    std::os::unix::fs::symlink(&s.artifacts, &link).unwrap();
    s.check(&["--artifacts", &link.display().to_string()]).ok();
}

#[test]
fn a_folder_that_is_not_there_names_the_flag() {
    let s = Setup::new();
    let nowhere = s.f.root.join("nowhere").display().to_string();
    s.f.assert_refused(&["repro", "check", MODEL, "--artifacts", &nowhere], 2, &["--artifacts", "nowhere"]);
    s.f.assert_refused(&["repro", "check", "aurora-sci-200b-nope"], 2, &["model not found"]);
}

/// Each bad manifest: (what it replaces, with what, the line named, words of the message).
#[test]
fn every_bad_manifest_names_its_file_and_line_and_changes_nothing() {
    let s = Setup::new();
    let good = s.manifest();
    let tokenizer = "path = \"tokenizer/tokenizer_config.json\"";
    let artifact = "path = \"step-100000/model-00001-of-00002.safetensors\"";
    let cases: &[(&str, &str, usize, &str)] = &[
        (tokenizer, "path = \"../../../consortium.toml\"", 7, "\"..\""),
        (tokenizer, "path = \"tokenizer/../../switch-c-1.6t/card.md\"", 7, "\"..\""),
        (tokenizer, "path = \"/etc/passwd\"", 7, "absolute"),
        (artifact, "path = \"/home/me/.ssh/id_ed25519\"", 29, "absolute"),
        (artifact, "path = \"../outside.bin\"", 29, "\"..\""),
        ("sha256 = \"", "sha256 = \"abc", 8, "64 hex digits"),
        ("digest = \"sha256:fff5", "digest = \"sha256:FFF5", 26, "container digest"),
        ("init = 1234", "init = \"1234\"", 3, ""),
        ("[[datasets]]", "[[dataset]]", 14, "dataset"),
    ];
    let arg = s.artifacts_arg();
    for (from, to, line, says) in cases {
        assert!(good.contains(from), "the case {from:?} applies to the manifest");
        s.write_manifest(&good.replacen(from, to, 1));
        s.f.assert_refused(&["repro", "check", MODEL, "--artifacts", &arg], 2, &[&format!("{MANIFEST}:{line}"), says]);
        let json = s.f.gh(&["--json", "repro", "check", MODEL]);
        assert_eq!(json.code, 2, "{to}: --json exits 2 too");
        assert_eq!(json.json()["error"]["code"], "malformed-file", "{to}: a stable code");
    }
}

#[cfg(unix)]
#[test]
fn a_path_through_a_link_committed_in_git_is_refused() {
    let s = Setup::new();
    // `tok` is a symbolic link committed in the model's folder, to another model's folder.
    std::os::unix::fs::symlink("../switch-c-1.6t", s.model_file("tok")).unwrap();
    let good = s.manifest();
    s.write_manifest(&good.replacen("tokenizer/tokenizer_config.json", "tok/card.md", 1));
    assert_eq!(
        s.f.git_ok(&["ls-tree", "main", &format!("models/{MODEL}/tok")]).split_whitespace().next(),
        Some("120000"),
        "git holds the link as a link"
    );
    s.f.assert_refused(
        &["repro", "check", MODEL],
        2,
        &[&format!("{MANIFEST}:7"), "symbolic link", &format!("models/{MODEL}/tok")],
    );
    // The link as the file itself.
    s.write_manifest(&good.replacen("tokenizer/tokenizer_config.json", "tok", 1));
    s.f.assert_refused(&["repro", "check", MODEL], 2, &[&format!("{MANIFEST}:7"), "symbolic link"]);
}

#[test]
fn a_model_without_a_manifest_is_not_found() {
    let f = Fixture::sample();
    let manifest = f.repo.join("models/switch-c-1.6t/reproducibility.toml");
    if manifest.exists() {
        std::fs::remove_file(manifest).unwrap();
        f.commit_as("Ada Owner", "owner@example.org", "no manifest");
    }
    f.assert_refused(&["repro", "check", "switch-c-1.6t"], 2, &["reproducibility manifest not found"]);
}

#[test]
fn the_sample_shows_one_mismatch_in_git_and_leaves_the_weights_to_the_artifacts_folder() {
    let f = Fixture::sample();
    for model in common::MODELS {
        let r = f.gh(&["--json", "repro", "check", model]);
        let json = r.json();
        let st = statuses(&json);
        let mismatched: Vec<&(String, String)> = st.iter().filter(|(_, s)| s == "mismatch").collect();
        if *model == "switch-c-1.6t" {
            assert_eq!(r.code, EXIT_MISMATCH, "the sample's deliberate mismatch fails the check");
            assert_eq!(
                mismatched,
                [&("evidence/tokenizer/tokenizer_config.json".to_string(), "mismatch".to_string())],
                "one deliberate mismatch, on a file of the model's folder: {st:?}"
            );
            let file = f.repo.join("models/switch-c-1.6t/evidence/tokenizer/tokenizer_config.json");
            let entry = &json["files"].as_array().unwrap()[0];
            assert_eq!(entry["status"]["found"], sha256sum(&file).as_str(), "the hash found is sha256sum's");
        } else {
            assert_eq!(r.code, 0, "{model}: every file in git matches:\n{}", r.stdout);
            assert!(mismatched.is_empty(), "{model}: {st:?}");
        }
        assert!(
            st.iter().filter(|(p, _)| p.ends_with(".safetensors")).all(|(_, s)| s == "not-checked"),
            "{model}: weight shards are artifacts outside git, not checked without a folder: {st:?}"
        );
        assert!(
            json["containers"][0]["digest"].as_str().unwrap().starts_with("sha256:"),
            "{model}: a container digest"
        );
    }
}

#[test]
fn a_manifest_given_to_model_update_is_checked_before_it_is_written() {
    let f = Fixture::sample();
    let bad = f.root.join("manifest.toml");
    std::fs::write(&bad, "[[artifacts]]\npath = \"../../etc/passwd\"\nsha256 = \"00\"\n").unwrap();
    let arg = format!("{}=reproducibility.toml", bad.display());
    f.assert_refused(
        &["--as", "akeller", "model", "update", MODEL, "--evidence", &arg],
        2,
        &[&format!("{}:2", bad.display()), "\"..\""],
    );
    let text = std::fs::read_to_string(f.repo.join(MANIFEST)).unwrap().replace("init = 42", "init = 43");
    std::fs::write(&bad, text).unwrap();
    f.gh(&["--as", "akeller", "model", "update", MODEL, "--evidence", &arg]).ok();
    let committed = f.git_ok(&["show", &format!("main:{MANIFEST}")]);
    assert!(committed.contains("init = 43"), "the manifest is written at the model's folder's root:\n{committed}");
}
