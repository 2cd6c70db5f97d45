//! `gatehouse estimate`: the deployment estimate on the sample consortium, the accelerator
//! table as a framework file (read from main, changed by proposal), and absurd cards refused
//! with their file and line, nothing written.

mod common;

use common::Fixture;
use serde_json::Value;

fn estimate(f: &Fixture, args: &[&str]) -> Value {
    let mut all = vec!["--json", "estimate"];
    all.extend_from_slice(args);
    f.gh(&all).ok().json()
}

fn fit<'a>(e: &'a Value, accelerator: &str) -> &'a Value {
    e["fits"]
        .as_array()
        .expect("fits is a list")
        .iter()
        .find(|f| f["accelerator"]["id"] == accelerator)
        .unwrap_or_else(|| panic!("{accelerator} is in the default table: {e:#}"))
}

#[test]
fn every_sample_model_has_a_complete_estimate() {
    let f = Fixture::sample();
    for model in ["switch-c-1.6t", "aurora-sci-200b", "tpc-science-34b", "baseline-1.4b"] {
        let e = estimate(&f, &[model]);
        assert_eq!(
            e["missing"],
            serde_json::json!([]),
            "{model}: the sample card gives every figure the estimate needs"
        );
        assert!(e["kv_cache"]["gb"].as_f64().unwrap() > 0.0, "{model}: a KV cache from the card's attention");
        assert_eq!(e["table_source"], "policies/accelerators.toml", "{model}: the table is main's framework file");
        assert!(e["fits"].as_array().unwrap().len() >= 4, "{model}: one row per accelerator of the table");
        for f in e["fits"].as_array().unwrap() {
            assert!(f["count"].as_u64().unwrap() >= 1, "{model}: {f}");
            assert!(f["tokens_per_second"].as_f64().unwrap() > 0.0, "{model}: {f}");
            assert!(f["usd_per_million_tokens"].as_f64().unwrap() > 0.0, "{model}: {f}");
        }
        let names: Vec<&str> = e["formulas"].as_array().unwrap().iter().map(|x| x["name"].as_str().unwrap()).collect();
        for name in ["weights", "KV cache", "accelerators", "tokens per second", "cost per million tokens"] {
            assert!(names.contains(&name), "{model}: the {name} formula is shown: {names:?}");
        }
    }
}

#[test]
fn the_mixture_of_experts_needs_its_whole_weights_in_memory_but_reads_its_active_share() {
    let f = Fixture::sample();
    let moe = estimate(&f, &["switch-c-1.6t", "--accelerator", "nvidia-h100-80gb"]);
    let dense = estimate(&f, &["baseline-1.4b", "--accelerator", "nvidia-h100-80gb"]);
    assert_eq!(moe["parameters"]["experts"]["experts"], 2048, "the card's experts");
    assert_eq!(moe["parameters"]["experts"]["shared_given"], false, "shared parameters derived from active_parameters");
    let weights = moe["weights_gb"].as_f64().unwrap();
    assert!((weights - 3200.0).abs() < 1.0, "1.6T parameters in bf16 are 3.2 TB: {weights}");
    assert!(fit(&moe, "nvidia-h100-80gb")["count"].as_u64().unwrap() >= 45, "3.2 TB need at least 45 H100s");
    assert_eq!(fit(&dense, "nvidia-h100-80gb")["count"], 1, "the 1.4B dense twin fits one");
    // Per token the mixture reads about what its dense twin of the same active size reads.
    let read = |e: &Value| e["step_read_gb"].as_f64().unwrap() - e["kv_cache"]["gb"].as_f64().unwrap();
    let ratio = read(&moe) / read(&dense);
    assert!((0.9..1.1).contains(&ratio), "a step of the 1.6T MoE reads its 1.4B active share: ratio {ratio}");
}

#[test]
fn context_and_batch_scale_the_kv_cache_and_the_human_output_shows_formulas_and_assumptions() {
    let f = Fixture::sample();
    let one = estimate(&f, &["aurora-sci-200b", "--context", "1000"]);
    let many = estimate(&f, &["aurora-sci-200b", "--context", "4000", "--batch", "8"]);
    let (a, b) = (one["kv_cache"]["gb"].as_f64().unwrap(), many["kv_cache"]["gb"].as_f64().unwrap());
    assert!((b / a - 32.0).abs() < 1e-9, "the KV cache grows with context × batch: {a} → {b}");
    // 2 × 96 layers × 8 KV heads × 128 × 2 bytes × 1000 tokens.
    assert!((a - 0.393216).abs() < 1e-9, "the KV formula on the card's figures: {a}");
    let text = f.gh(&["estimate", "aurora-sci-200b"]).ok().stdout;
    for needle in [
        "Deployment estimate of aurora-sci-200b",
        "context 32768 tokens",
        "KV cache = 2 (keys and values) × layers × kv_heads × head_dim × bytes × context × batch",
        "2 × 96 × 8 × 128 × 2 B × 32768 × 1",
        "Assumptions",
        "nvidia-h100-80gb",
        "Accelerators from policies/accelerators.toml",
    ] {
        assert!(text.contains(needle), "the output shows {needle:?}:\n{text}");
    }
}

#[test]
fn bad_requests_are_refused_naming_what_is_wrong() {
    let f = Fixture::sample();
    f.assert_refused(&["estimate", "no-such-model"], 2, &["no-such-model"]);
    f.assert_refused(&["estimate", "baseline-1.4b", "--accelerator", "abacus"], 2, &["abacus"]);
    f.assert_refused(&["estimate", "baseline-1.4b", "--batch", "0"], 2, &["--batch"]);
    f.assert_refused(&["estimate", "baseline-1.4b", "--context", "0"], 2, &["--context"]);
}

#[test]
fn absurd_parameter_counts_are_refused_with_the_card_and_line_and_nothing_is_written() {
    let f = Fixture::sample();
    for (front, needle, why) in [
        ("parameters: 0\n", "0 parameters", "zero"),
        ("parameters: -70000000000\n", "negative", "negative"),
        ("parameters: 100000000000000000000\n", "parameters", "10^20"),
        ("parameters: 1.0e20\n", "not a plausible parameter count", "10^20 as a float"),
        ("parameters: 7000000000\nactive_parameters: 9000000000\n", "more than parameters", "active above total"),
        (
            "parameters: 46700000000\nactive_parameters: 30000000000\ndeployment:\n  experts: 8\n  experts_per_token: 2\n  shared_parameters: 1600000000\n",
            "differs by more than 2%",
            "active parameters the experts contradict",
        ),
    ] {
        let card = f.root.join("bad-card.md");
        std::fs::write(&card, format!("---\norg: cscs\nowners: [akeller]\n{front}---\n# Bad\n")).unwrap();
        let line = if front.contains("active_parameters: 30") || front.contains("active_parameters: 9") { 5 } else { 4 };
        let r = f.assert_refused(
            &["--as", "akeller", "model", "add", "bad-1b", "--card", card.to_str().unwrap()],
            2,
            &["card.md", needle],
        );
        assert!(r.stderr.contains(&format!(":{line}")), "{why}: the message names line {line}:\n{}", r.stderr);
    }
}

#[test]
fn the_accelerator_table_is_a_framework_file_checked_where_it_is_read() {
    let f = Fixture::sample();
    let path = f.repo.join("policies/accelerators.toml");
    let text = std::fs::read_to_string(&path).expect("init writes the accelerator table");

    // A proposal that breaks the table is refused, naming the file and line.
    let clone = f.root.join("clone");
    f.git_in(&f.root, &["clone", "-q", f.repo.to_str().unwrap(), clone.to_str().unwrap()]).ok();
    f.git_in(&clone, &["checkout", "-q", "-b", "proposals/cheap"]).ok();
    let broken = text.replacen("usd_per_hour = 3.0", "usd_per_hour = -3.0", 1);
    assert_ne!(broken, text, "the default table prices the H100 at 3.0");
    std::fs::write(clone.join("policies/accelerators.toml"), &broken).unwrap();
    let ak = f.member("akeller");
    let (name, email) = (format!("user.name={}", ak.name), format!("user.email={}", ak.email));
    f.git_in(&clone, &["-c", &name, "-c", &email, "commit", "-qam", "Cheaper H100s"]).ok();
    f.git_in(&clone, &["push", "-q", "origin", "proposals/cheap"]).ok();
    let line = broken.lines().position(|l| l.contains("usd_per_hour = -3.0")).unwrap() + 1;
    f.assert_refused(
        &["--as", "akeller", "propose", "cheap", "--title", "Cheaper H100s", "--branch", "proposals/cheap"],
        2,
        &[&format!("policies/accelerators.toml:{line}"), "usd_per_hour"],
    );

    // A table broken on main by plain git: the estimate names it, and verify finds it.
    std::fs::write(&path, &broken).unwrap();
    f.commit_as("Mallory", "mallory@evil.example", "break the accelerator table\n");
    let r = f.gh(&["estimate", "baseline-1.4b"]);
    assert_eq!(r.code, 2, "a malformed table is bad input:\n{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("policies/accelerators.toml:{line}")),
        "the error names the table and its line:\n{}",
        r.stderr
    );
    let (_, report) = f.verify();
    assert!(
        report["findings"].to_string().contains("policies/accelerators.toml"),
        "verify reports the malformed table: {report:#}"
    );

    // A valid change on main is what the estimate uses.
    std::fs::write(&path, text.replacen("usd_per_hour = 3.0", "usd_per_hour = 6.0", 1)).unwrap();
    f.commit_as("Mallory", "mallory@evil.example", "double the H100's price\n");
    let e = estimate(&f, &["baseline-1.4b", "--accelerator", "nvidia-h100-80gb"]);
    assert_eq!(fit(&e, "nvidia-h100-80gb")["accelerator"]["usd_per_hour"], 6.0, "the table is read from main's tree");
}
