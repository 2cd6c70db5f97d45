//! `gatehouse bom`: a model's license bill of materials read from `main`, its compatibility
//! warnings, its bad input (file, line, exit code, nothing changed), and its SPDX 3.0.1 and
//! CycloneDX 1.6 exports as the SPDX and CycloneDX projects' own Python libraries judge them.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Fixture, MODELS};
use serde_json::Value;

const SCIENCE: &str = "tpc-science-34b";
const BASELINE: &str = "baseline-1.4b";

fn warning_codes(v: &Value) -> Vec<String> {
    v["warnings"].as_array().expect("warnings").iter().map(|w| w["kind"].as_str().unwrap().to_string()).collect()
}

/// The test tools' Python, installed by scripts/setup; a test that needs it fails without it
/// (the exports must be judged by the projects' own tools, not skipped).
fn python() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/.venv/bin/python");
    assert!(p.exists(), "{} is missing: run scripts/setup (it installs tests/tools/requirements.txt)", p.display());
    p
}

/// Runs tests/tools/`script` on `file`: (passed, what it printed).
fn validate(script: &str, file: &Path, min_datasets: usize) -> (bool, String) {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools").join(script);
    let out = Command::new(python())
        .arg(&tool)
        .arg(file)
        .arg(min_datasets.to_string())
        .output()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", tool.display()));
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), said)
}

fn datasets_in_card(f: &Fixture, model: &str) -> usize {
    let card = std::fs::read_to_string(f.repo.join(format!("models/{model}/card.md"))).unwrap();
    let front = card.split("---").nth(1).unwrap();
    let list = front.split("datasets:").nth(1).unwrap();
    list.lines().skip(1).take_while(|l| l.trim_start().starts_with("- ")).count()
}

#[test]
fn the_sample_has_one_deliberate_license_conflict() {
    let f = Fixture::sample();
    for model in MODELS {
        let v = f.gh(&["--json", "bom", model]).ok().json();
        assert_eq!(v["bom"]["origin"], "file", "{model}: every sample model has a bom.toml");
        let codes = warning_codes(&v);
        if *model == SCIENCE {
            assert_eq!(codes, ["non-commercial-component"], "the one conflict the sample shows: {v}");
            assert_eq!(v["warnings"][0]["component"], "tpc-consortium/pmc-oa-noncomm-2025");
            assert!(v["warnings"][0]["line"].as_u64().is_some(), "the warning points into bom.toml");
        } else {
            assert!(codes.is_empty(), "{model} is consistent: {codes:?}");
        }
    }
    let text = f.gh(&["bom", SCIENCE]).ok().stdout;
    assert!(text.contains("released under Apache-2.0 (the card's license)"), "{text}");
    assert!(text.contains("CC-BY-NC-4.0 AND CC-BY-NC-SA-4.0 AND CC-BY-NC-ND-4.0"), "the table shows licenses: {text}");
    assert!(text.contains("warning:") && text.contains("[non-commercial-component]"), "{text}");
    let clean = f.gh(&["bom", "aurora-sci-200b"]).ok().stdout;
    assert!(clean.contains("LicenseRef-tpc-science-rail-1.0") && clean.contains("no license warnings"), "{clean}");
}

/// Replaces baseline-1.4b's bom.toml on main by a plain git commit.
fn commit_bom(f: &Fixture, text: &str) {
    std::fs::write(f.repo.join(format!("models/{BASELINE}/bom.toml")), text).unwrap();
    f.commit_as("Anna Keller", "akeller@cscs.ch", "bom\n");
}

#[test]
fn each_kind_of_warning_is_reported_with_its_code() {
    let f = Fixture::sample();
    commit_bom(
        &f,
        r#"format = 1
[weights]
license = "MIT"
[[code]]
name = "gpl-trainer"
license = "GPL-3.0-or-later"
[[dataset]]
name = "HuggingFaceFW/fineweb"
license = "CC-BY-NC-SA-4.0"
[[dataset]]
name = "wikimedia/wikipedia"
license = "NOASSERTION"
"#,
    );
    let v = f.gh(&["--json", "bom", BASELINE]).ok().json();
    assert_eq!(
        warning_codes(&v),
        [
            "non-commercial-component",
            "copyleft-component",
            "unknown-license",
            "card-license-mismatch",
            "not-in-bom",
            "not-in-bom"
        ],
        "NC data, GPL code, an unknown license, MIT weights under an apache-2.0 card, two datasets missing: {v}"
    );
    let lines: Vec<Option<u64>> = v["warnings"].as_array().unwrap().iter().map(|w| w["line"].as_u64()).collect();
    assert_eq!(&lines[..4], [Some(9), Some(6), Some(12), Some(3)], "each names its line in bom.toml");
}

#[test]
fn without_a_bom_the_bill_comes_from_the_card() {
    let f = Fixture::sample();
    std::fs::remove_file(f.repo.join(format!("models/{BASELINE}/bom.toml"))).unwrap();
    f.commit_as("Anna Keller", "akeller@cscs.ch", "no bom\n");
    let v = f.gh(&["--json", "bom", BASELINE]).ok().json();
    assert_eq!(v["bom"]["origin"], "card");
    assert_eq!(v["bom"]["outbound"]["license"], "Apache-2.0", "the card's apache-2.0 in the SPDX list's spelling");
    let codes = warning_codes(&v);
    assert_eq!(codes[0], "no-bom", "the bill says where it came from: {codes:?}");
    assert_eq!(codes.iter().filter(|c| *c == "unknown-license").count(), 4, "the card's four datasets: {codes:?}");
}

#[test]
fn bad_input_names_the_file_and_line_and_changes_nothing() {
    let f = Fixture::sample();
    let good = std::fs::read_to_string(f.repo.join(format!("models/{BASELINE}/bom.toml"))).unwrap();
    let line_of = |needle: &str| good.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let path = format!("models/{BASELINE}/bom.toml");
    let cases = [
        ("\"ODC-By-1.0\"", "\"ODC-By-1.0 AND (MIT\"", "not a valid SPDX license expression"),
        ("\"ODC-By-1.0\"", "\"Open-Data-Whatever\"", "Open-Data-Whatever"),
        ("\"ODC-By-1.0\"", "\"odc-by-1.0\"", "ODC-By-1.0"),
        ("\"ODC-By-1.0\"", "[1, 2]", "invalid type"),
    ];
    for (from, to, says) in cases {
        commit_bom(&f, &good.replace(from, to));
        let at = format!("{path}:{}", line_of(from));
        let r = f.assert_refused(&["bom", BASELINE], 2, &[&at, says]);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        for format in ["spdx", "cyclonedx"] {
            f.assert_refused(&["bom", BASELINE, "--format", format], 2, &[&at]);
        }
    }
    let out = f.root.join("never-written.json");
    let o = out.display().to_string();
    f.assert_refused(&["bom", BASELINE, "--format", "spdx", "--out", &o], 2, &[&path]);
    assert!(!out.exists(), "a refused export writes no file");
    f.assert_refused(&["bom", "no-such-model"], 2, &["no-such-model"]);
    f.assert_refused(&["bom", "../etc"], 2, &["etc"]);
}

#[test]
fn the_exports_pass_the_official_validators() {
    let f = Fixture::sample();
    for model in MODELS {
        let datasets = datasets_in_card(&f, model);
        for (format, script) in [("spdx", "validate_spdx.py"), ("cyclonedx", "validate_cyclonedx.py")] {
            let file = f.root.join(format!("{model}.{format}.json"));
            f.gh(&["bom", model, "--format", format, "--out", &file.display().to_string()]).ok();
            let (ok, said) = validate(script, &file, datasets);
            assert!(ok, "{model} {format}: the official validator refused it:\n{said}");
            let again = f.gh(&["bom", model, "--format", format]).ok().stdout;
            assert_eq!(again, std::fs::read_to_string(&file).unwrap(), "{model} {format}: deterministic");
        }
    }
}

#[test]
fn the_validators_refuse_broken_documents() {
    let f = Fixture::sample();
    let doc = |format: &str| -> Value {
        serde_json::from_str(&f.gh(&["bom", SCIENCE, "--format", format]).ok().stdout).unwrap()
    };
    let write = |name: &str, v: &Value| {
        let p = f.root.join(name);
        std::fs::write(&p, serde_json::to_string_pretty(v).unwrap()).unwrap();
        p
    };
    // SPDX: a dataset without its required type, and a relationship to an element not there.
    let mut spdx = doc("spdx");
    for e in spdx["@graph"].as_array_mut().unwrap() {
        if e["type"] == "dataset_DatasetPackage" {
            e.as_object_mut().unwrap().remove("dataset_datasetType");
        }
    }
    let (ok, said) = validate("validate_spdx.py", &write("no-type.spdx.json", &spdx), 0);
    assert!(!ok, "a DatasetPackage without dataset_datasetType must fail: {said}");
    let mut spdx = doc("spdx");
    spdx["@graph"].as_array_mut().unwrap().retain(|e| e["type"] != "CreationInfo");
    let (ok, said) = validate("validate_spdx.py", &write("no-creation.spdx.json", &spdx), 0);
    assert!(!ok, "a document without its CreationInfo must fail: {said}");
    // CycloneDX: an unknown component type, and a document without its required bomFormat.
    let mut cdx = doc("cyclonedx");
    cdx["components"][0]["type"] = "dataset".into();
    let (ok, said) = validate("validate_cyclonedx.py", &write("bad-type.cdx.json", &cdx), 0);
    assert!(!ok, "`dataset` is no CycloneDX component type: {said}");
    let mut cdx = doc("cyclonedx");
    cdx.as_object_mut().unwrap().remove("bomFormat");
    let (ok, said) = validate("validate_cyclonedx.py", &write("no-format.cdx.json", &cdx), 0);
    assert!(!ok && said.contains("bomFormat"), "a document without bomFormat must fail: {said}");
}
