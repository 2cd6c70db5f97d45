//! Importing Hugging Face model cards (tests/fixtures/cards: a dense card, a mixture-of-experts
//! card, one with legacy metadata, one without front matter): the card is stored byte for
//! byte, its `model-index` results read into tables, the fields the consortium requires
//! checked, the comparison chart drawn; bad cards refused with their file and line, nothing
//! written.

mod common;

use std::path::{Path, PathBuf};

use common::Fixture;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cards").join(name)
}

fn import(f: &Fixture, args: &[&str]) -> common::Run {
    let mut all = vec!["--as", "hsato", "model", "import"];
    all.extend_from_slice(args);
    f.gh(&all)
}

fn missing(f: &Fixture, model: &str) -> (i32, Vec<String>) {
    let r = f.gh(&["--json", "model", "check", model]);
    let fields =
        r.json()["missing"].as_array().unwrap().iter().map(|m| m["field"].as_str().unwrap().to_string()).collect();
    (r.code, fields)
}

#[test]
fn real_cards_import_byte_for_byte_and_their_results_are_read() {
    let f = Fixture::sample();
    // (source, --id, expected id, fields the sample's [cards] rule finds missing)
    let cases: [(&str, Option<&str>, &str, &[&str]); 4] = [
        ("mistral-dense", None, "mistral-7b-v0.1", &[]),
        ("mixtral-moe/README.md", None, "mixtral-8x7b-v0.1", &["datasets", "base_model"]),
        ("legacy-card", Some("distilbert-legacy"), "distilbert-legacy", &["base_model"]),
        ("plain-card", None, "plain-card", &["license", "language", "datasets", "base_model", "model-index"]),
    ];
    for (source, id, model, lacks) in cases {
        let path = fixture(source).display().to_string();
        let mut args = vec![path.as_str()];
        if let Some(id) = id {
            args.extend(["--id", id]);
        }
        let r = import(&f, &args).ok();
        assert!(r.stdout.contains(&format!("Imported {model}")), "the id is {model}: {}", r.stdout);
        for field in lacks {
            assert!(r.stderr.contains(&format!("card lacks {field}")), "import warns of {field}:\n{}", r.stderr);
        }
        let readme = fixture(source.trim_end_matches("/README.md")).join("README.md");
        let stored = f.git(&["show", &format!("main:models/{model}/card.md")]).stdout;
        assert_eq!(
            stored.as_bytes(),
            std::fs::read(&readme).unwrap(),
            "{model}: the card round-trips byte for byte (front matter kept as is)"
        );
        let registration = f.git_ok(&["show", &format!("main:models/{model}/registration.toml")]);
        assert!(
            registration.contains("org = \"riken\"") && registration.contains("hsato"),
            "org and owners the card lacks are recorded beside it: {registration}"
        );
        let (code, fields) = missing(&f, model);
        assert_eq!(fields, lacks, "{model}: model check lists what the rule requires and the card lacks");
        assert_eq!(code, i32::from(!lacks.is_empty()), "{model}: check exits 1 while fields are missing");
    }
    f.assert_fsck_clean();
    f.assert_worktree_clean();

    let page = f.gh(&["--json", "show", "model", "distilbert-legacy"]).ok().json();
    assert_eq!(page["org"], "riken", "the registration's org is the model's org");
    assert_eq!(page["owners"][0], "hsato", "and its owners");

    let moe = f.gh(&["--json", "model", "results", "mixtral-8x7b-v0.1"]).ok().json();
    let results = &moe["entries"][0]["results"];
    assert_eq!(moe["entries"][0]["name"], "Mixtral-8x7B-v0.1");
    assert_eq!(results.as_array().unwrap().len(), 4, "every result of the card");
    assert_eq!(results[0]["dataset"]["config"], "ARC-Challenge");
    assert_eq!(results[0]["metrics"][0]["type"], "acc_norm");
    assert_eq!(results[0]["metrics"][0]["value"]["value"], 66.38);

    let legacy = f.gh(&["--json", "model", "results", "distilbert-legacy"]).ok().json();
    let metrics = &legacy["entries"][0]["results"][0]["metrics"];
    assert_eq!(metrics[0]["verified"], true, "the legacy model_index key is read");
    assert_eq!(metrics[1]["value"], serde_json::json!({"kind": "text", "value": "91.4%"}), "text values are kept");

    let table = f.gh(&["model", "results", "mistral-7b-v0.1"]).ok().stdout;
    for cell in ["HellaSwag (10-Shot)", "normalized accuracy", "83.31", "MMLU (5-Shot)", "64.16"] {
        assert!(table.contains(cell), "the results table shows {cell}:\n{table}");
    }
    let none = f.gh(&["model", "results", "plain-card"]).ok().stdout;
    assert!(none.contains("no model-index results"), "{none}");
}

#[test]
fn the_comparison_chart_is_deterministic_escaped_svg() {
    let f = Fixture::sample();
    import(&f, &[&fixture("mistral-dense").display().to_string()]).ok();
    import(&f, &[&fixture("mixtral-moe").display().to_string()]).ok();
    let svg = f.gh(&["model", "compare", "--svg"]).ok().stdout;
    assert_eq!(svg, f.gh(&["model", "compare", "--svg"]).ok().stdout, "same record, same bytes");
    assert!(svg.contains("HellaSwag (10-Shot)/acc_norm"), "a metric both imported cards report:\n{svg}");
    // Parsed as XML by an outside tool (Python's standard library), as a browser would.
    let check = std::process::Command::new("python3")
        .args(["-c", "import sys, xml.etree.ElementTree as E; r = E.fromstring(sys.stdin.read()); assert r.tag.endswith('svg'), r.tag"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(svg.as_bytes())?;
            c.wait_with_output()
        })
        .expect("python3 runs");
    assert!(check.status.success(), "the chart is well-formed XML: {}", String::from_utf8_lossy(&check.stderr));
    insta::assert_snapshot!("compare_chart", svg);
}

#[test]
fn a_hostile_card_is_escaped_in_the_chart() {
    let f = Fixture::sample();
    let dir = f.root.join("evil");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("README.md"),
        "---\nlicense: mit\nmodel-index:\n- name: evil\n  results:\n  - task: {type: x}\n    dataset: {name: \"<script>alert(1)</script>\", type: d}\n    metrics:\n    - {type: \"a&b\", value: 1}\n---\n",
    )
    .unwrap();
    import(&f, &[&dir.display().to_string()]).ok();
    let svg = f.gh(&["model", "compare", "--svg"]).ok().stdout;
    assert!(!svg.contains("<script"), "card text never reaches the SVG as markup:\n{svg}");
}

fn bad_card(f: &Fixture, name: &str, text: &str) -> String {
    let dir = f.root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("README.md"), text).unwrap();
    dir.display().to_string()
}

#[test]
fn broken_cards_are_refused_with_file_and_line_and_nothing_written() {
    let f = Fixture::sample();
    let broken = bad_card(&f, "broken-yaml", "---\nlicense: mit\nlanguage: [en,\n---\n# X\n");
    f.assert_refused(&["--as", "hsato", "model", "import", &broken], 2, &["README.md:", "front matter"]);

    let off_schema = bad_card(
        &f,
        "bad-index",
        "---\nlicense: mit\nmodel-index:\n- name: bad\n  results:\n  - task:\n      type: text-generation\n    dataset:\n      name: MMLU\n      type: mmlu\n    metrics:\n    - type: acc\n      value: [1, 2]\n---\n",
    );
    let r = f.assert_refused(
        &["--as", "hsato", "model", "import", &off_schema],
        2,
        &["model-index", "a number or a string"],
    );
    assert!(r.stderr.contains("README.md:13:"), "the value's line is named: {}", r.stderr);

    let not_a_list = bad_card(&f, "not-a-list", "---\nmodel-index:\n- name: x\n  results: 3\n---\n");
    let r = f.assert_refused(&["--as", "hsato", "model", "import", &not_a_list], 2, &["model-index"]);
    assert!(r.stderr.contains("README.md:4:"), "results is on line 4: {}", r.stderr);

    let no_value = bad_card(
        &f,
        "no-value",
        "---\nmodel-index:\n- name: x\n  results:\n  - task: {type: t}\n    dataset: {name: d, type: d}\n    metrics:\n    - type: acc\n---\n",
    );
    f.assert_refused(&["--as", "hsato", "model", "import", &no_value], 2, &["missing field `value`"]);

    let bad_id = bad_card(&f, "Bad Name", "# no front matter\n");
    f.assert_refused(&["--as", "hsato", "model", "import", &bad_id], 2, &["not a valid model id", "--id"]);
}
