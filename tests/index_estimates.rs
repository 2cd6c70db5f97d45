//! The deployment estimates the index keeps (issue 15): each model's estimate at its card's
//! defaults, computed when the index is built or updated, equal to what `gatehouse estimate`
//! computes from the card; following a card change and a change of the accelerator table;
//! keeping the reason when there is none; and shown by `gatehouse status --estimates` from
//! the index alone. The index is a cache: rebuilt, it holds the same rows.

mod common;

use std::collections::BTreeMap;

use common::Fixture;
use serde_json::Value;

const SAMPLE_MODELS: [&str; 4] = ["aurora-sci-200b", "baseline-1.4b", "switch-c-1.6t", "tpc-science-34b"];

/// `gatehouse --json estimate M`: the estimate computed from the card, now.
fn computed(f: &Fixture, model: &str) -> Value {
    f.gh(&["--json", "estimate", model]).ok().json()
}

/// `gatehouse --json status --estimates`, each model's entry by id.
fn status_estimates(f: &Fixture) -> BTreeMap<String, Value> {
    let s = f.gh(&["--json", "status", "--estimates"]).ok().json();
    s["models"]
        .as_array()
        .expect("models is a list")
        .iter()
        .map(|m| (m["id"].as_str().expect("an id").to_string(), m.clone()))
        .collect()
}

/// What `gatehouse estimate` says, in the shape a status line keeps.
fn as_row(e: &Value) -> Value {
    let fits: Vec<Value> = e["fits"]
        .as_array()
        .expect("fits is a list")
        .iter()
        .map(|f| {
            serde_json::json!({
                "accelerator": f["accelerator"]["id"],
                "count": f["count"],
                "tokens_per_second": f["tokens_per_second"],
                "usd_per_million_tokens": f["usd_per_million_tokens"],
            })
        })
        .collect();
    serde_json::json!({
        "reason": null,
        "context": e["context"],
        "dtype": e["dtype"],
        "weights_gb": e["weights_gb"],
        "kv_cache_gb": e["kv_cache"]["gb"],
        "missing": e["missing"],
        "fits": fits,
    })
}

/// The estimate part of a `status --estimates --json` entry, without the cheapest pick.
fn row_of(entry: &Value) -> Value {
    let e = &entry["estimate"];
    serde_json::json!({
        "reason": e["reason"],
        "context": e["context"],
        "dtype": e["dtype"],
        "weights_gb": e["weights_gb"],
        "kv_cache_gb": e["kv_cache_gb"],
        "missing": e["missing"],
        "fits": e["fits"],
    })
}

/// Every model of `models` has in the index exactly the estimate `gatehouse estimate` computes.
fn assert_rows_follow_the_cards(f: &Fixture, models: &[&str], what: &str) {
    let rows = status_estimates(f);
    for m in models {
        let e = computed(f, m);
        let entry = rows.get(*m).unwrap_or_else(|| panic!("{what}: status --estimates lists {m}"));
        assert_eq!(row_of(entry), as_row(&e), "{what}: {m}'s row in the index is the estimate computed from its card");
        // The line names the accelerator that costs least per million tokens.
        let cheapest = e["fits"]
            .as_array()
            .unwrap()
            .iter()
            .min_by(|a, b| {
                a["usd_per_million_tokens"].as_f64().unwrap().total_cmp(&b["usd_per_million_tokens"].as_f64().unwrap())
            })
            .expect("a sample card gives every figure");
        assert_eq!(
            entry["estimate"]["cheapest"]["accelerator"], cheapest["accelerator"]["id"],
            "{what}: {m}'s status line names the cheapest accelerator"
        );
    }
}

/// The index's estimate rows, as SQLite holds them.
fn estimate_rows(f: &Fixture) -> Vec<String> {
    assert!(f.index_path().exists(), "the index has been built");
    let conn = rusqlite::Connection::open(f.index_path()).expect("open the index with SQLite");
    let mut out = Vec::new();
    for sql in ["SELECT * FROM estimates ORDER BY model", "SELECT * FROM estimate_fits ORDER BY model, n"] {
        let mut stmt = conn.prepare(sql).expect("the index has the estimate tables");
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let cells: Vec<String> =
                    (0..n).map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap())).collect();
                Ok(cells.join(" | "))
            })
            .expect("query");
        out.extend(rows.map(|r| r.expect("a row")));
    }
    out
}

fn rebuild(f: &Fixture) {
    let r = f.gh(&["index", "--rebuild"]).ok();
    assert!(r.stdout.starts_with("Rebuilt the index from"), "index --rebuild reports a rebuild: {}", r.stdout);
}

#[test]
fn the_index_keeps_each_models_estimate_as_gatehouse_estimate_computes_it() {
    let f = Fixture::sample();
    assert_rows_follow_the_cards(&f, &SAMPLE_MODELS, "the sample");
}

#[test]
fn a_card_change_moves_the_models_row_and_no_other() {
    let f = Fixture::sample();
    let before = status_estimates(&f);
    let card = f.repo.join("models/switch-c-1.6t/card.md");
    let text = std::fs::read_to_string(&card).expect("the sample card");
    // Served in fp8 with a longer context: less memory for the weights, more for the cache.
    let changed = text.replacen("  dtype: bf16\n", "  dtype: bf16\n  quantisation: fp8\n", 1).replacen(
        "  context_length: 2048\n",
        "  context_length: 8192\n",
        1,
    );
    assert_ne!(changed, text, "the sample card has a deployment mapping to change");
    let new_card = f.root.join("switch-card.md");
    std::fs::write(&new_card, &changed).unwrap();
    f.gh(&["--as", "hsato", "model", "update", "switch-c-1.6t", "--card", new_card.to_str().unwrap()]).ok();

    let after = status_estimates(&f);
    assert_rows_follow_the_cards(&f, &SAMPLE_MODELS, "after a model update");
    let (old, new) = (&before["switch-c-1.6t"]["estimate"], &after["switch-c-1.6t"]["estimate"]);
    assert_eq!(old["weights_gb"], 3200.0, "1.6T parameters in bf16 before");
    assert_eq!(new["weights_gb"], 1600.0, "the same in fp8 after the update");
    assert_eq!(new["context"], 8192, "the card's new context");
    for m in ["aurora-sci-200b", "baseline-1.4b", "tpc-science-34b"] {
        assert_eq!(before[m]["estimate"], after[m]["estimate"], "{m}'s card did not change, nor did its estimate");
    }

    // The update was incremental; a rebuild from history holds the same rows.
    let incremental = estimate_rows(&f);
    rebuild(&f);
    assert_eq!(estimate_rows(&f), incremental, "a rebuild gives the rows the incremental update wrote");
}

#[test]
fn a_change_of_the_accelerator_table_moves_every_row() {
    let f = Fixture::sample();
    let before = status_estimates(&f);
    let path = f.repo.join("policies/accelerators.toml");
    let text = std::fs::read_to_string(&path).expect("init writes the accelerator table");
    std::fs::write(&path, text.replacen("usd_per_hour = 3.0", "usd_per_hour = 6.0", 1)).unwrap();
    f.commit_as("Mallory", "mallory@evil.example", "double the H100's price\n");
    let r = f.gh(&["--json", "index"]).ok().json();
    assert_eq!(r["kind"], "incremental", "one commit is indexed incrementally, not rebuilt: {r}");

    assert_rows_follow_the_cards(&f, &SAMPLE_MODELS, "after the table changed");
    let after = status_estimates(&f);
    for m in SAMPLE_MODELS {
        let h100 = |s: &BTreeMap<String, Value>| -> f64 {
            s[m]["estimate"]["fits"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["accelerator"] == "nvidia-h100-80gb")
                .expect("the H100 is in the table")["usd_per_million_tokens"]
                .as_f64()
                .unwrap()
        };
        let ratio = h100(&after) / h100(&before);
        assert!((ratio - 2.0).abs() < 1e-9, "{m}: doubling the H100's price doubles its cost per token ({ratio})");
    }
    let incremental = estimate_rows(&f);
    rebuild(&f);
    assert_eq!(estimate_rows(&f), incremental, "a rebuild gives the rows the incremental update wrote");

    // A table broken on main by plain git: every model keeps the table's error as its reason,
    // and status still answers.
    let broken = text.replacen("usd_per_hour = 3.0", "usd_per_hour = -3.0", 1);
    let line = broken.lines().position(|l| l.contains("usd_per_hour = -3.0")).unwrap() + 1;
    std::fs::write(&path, &broken).unwrap();
    f.commit_as("Mallory", "mallory@evil.example", "break the accelerator table\n");
    let rows = status_estimates(&f);
    for m in SAMPLE_MODELS {
        let e = &rows[m]["estimate"];
        let reason = e["reason"].as_str().unwrap_or_else(|| panic!("{m} has no estimate with a broken table: {e}"));
        assert!(
            reason.contains(&format!("policies/accelerators.toml:{line}")),
            "{m}: the reason names the table and its line: {reason}"
        );
        assert_eq!(e["fits"], serde_json::json!([]), "{m}: no figures without a table");
    }
    let human = f.gh(&["status", "--estimates"]).ok();
    assert!(
        human.stdout.contains(&format!("switch-c-1.6t: no estimate: policies/accelerators.toml:{line}")),
        "the human output says why each model has no estimate:\n{}",
        human.stdout
    );
}

#[test]
fn a_model_without_a_deployment_mapping_keeps_its_reason() {
    let f = Fixture::sample();
    let card = f.root.join("plain.md");
    std::fs::write(
        &card,
        "---\norg: cscs\nowners: [akeller]\nlicense: apache-2.0\nparameters: 7000000000\n---\n# Plain 7B\n\nA card with no deployment mapping.\n",
    )
    .unwrap();
    f.gh(&["--as", "akeller", "model", "add", "plain-7b", "--card", card.to_str().unwrap()]).ok();
    // A card broken by plain git: the reason is the card's own problem.
    std::fs::create_dir_all(f.repo.join("models/broken-1b")).unwrap();
    std::fs::write(f.repo.join("models/broken-1b/card.md"), "---\norg: [unclosed\n---\n# Broken\n").unwrap();
    f.commit_as("Mallory", "mallory@evil.example", "a broken card\n");

    let rows = status_estimates(&f);
    let plain = &rows["plain-7b"]["estimate"];
    assert_eq!(plain["reason"], "the card has no deployment: mapping", "the reason is kept: {plain}");
    assert_eq!(plain["fits"], serde_json::json!([]), "no figures without an estimate");
    assert_eq!(plain["cheapest"], Value::Null, "no accelerator named");
    let reason =
        &rows.get("broken-1b").expect("a model whose card cannot be read is still listed")["estimate"]["reason"];
    assert!(
        reason.as_str().is_some_and(|r| r.contains("models/broken-1b/card.md:")),
        "a card that cannot be read is the reason, named with its line: {reason}"
    );
    assert_rows_follow_the_cards(&f, &SAMPLE_MODELS, "beside models without estimates");

    let human = f.gh(&["status", "--estimates"]).ok();
    assert!(
        human.stdout.contains("plain-7b: no estimate: the card has no deployment: mapping"),
        "the human output gives the reason:\n{}",
        human.stdout
    );
    let line = human.stdout.lines().find(|l| l.trim_start().starts_with("plain-7b")).expect("a line for plain-7b");
    assert!(line.contains('—'), "its estimate columns are empty: {line}");
}

#[test]
fn status_with_estimates_of_the_sample() {
    let f = Fixture::sample();
    let r = f.gh(&["status", "--estimates"]).ok();
    assert_eq!(r.stderr, "", "the sample has no malformed files to warn about");
    assert!(!r.stdout.contains('\u{1b}'), "--color never prints no escape codes");
    let head = f.main();
    assert!(!r.stdout.contains(&head[..7]), "the table carries no commit id, so it can be pinned");
    insta::assert_snapshot!("status_estimates_sample", r.stdout);

    // One model: the same line, alone.
    let one = f.gh(&["status", "--estimates", "--model", "baseline-1.4b"]).ok();
    // Columns are as wide as their widest cell, so the cells are compared, not the spacing.
    let line = |s: &str| {
        s.lines()
            .find(|l| l.trim_start().starts_with("baseline-1.4b"))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    assert_eq!(line(&one.stdout), line(&r.stdout), "--model keeps the model's line");
    assert_eq!(one.stdout.lines().filter(|l| l.contains("-1.6t") || l.contains("-200b")).count(), 0);

    // JSON: status --json's fields, each model with its estimate.
    let plain = f.status_json();
    let with = f.gh(&["--json", "status", "--estimates"]).ok().json();
    assert_eq!(with["head"], plain["head"], "the same commit");
    for (a, b) in with["models"].as_array().unwrap().iter().zip(plain["models"].as_array().unwrap()) {
        assert_eq!(a["id"], b["id"]);
        assert_eq!(a["gates"], b["gates"], "{}: the gates as status --json gives them", a["id"]);
        assert!(a["estimate"]["weights_gb"].as_f64().unwrap() > 0.0, "{}: an estimate", a["id"]);
    }

    let r = f.gh(&["status", "--estimates", "--model", "no-such-model"]);
    assert_ne!(r.code, 0, "an unknown model is refused");
    assert!(r.stderr.contains("no-such-model"), "the refusal names the model: {}", r.stderr);
    let r = f.gh(&["status", "--estimates", "--may-sign"]);
    assert_eq!(r.code, 2, "--estimates and --may-sign are two different lists: {}", r.stderr);
}

#[test]
fn deleting_the_index_gives_the_same_estimates() {
    let f = Fixture::sample();
    f.gh(&["index"]).ok();
    let rows = estimate_rows(&f);
    let with_figures = |m: &str| format!("Text(\"{m}\") | Null | Integer(");
    assert_eq!(
        rows.iter().filter(|r| SAMPLE_MODELS.iter().any(|m| r.starts_with(&with_figures(m)))).count(),
        4,
        "a row per sample model, with figures and no reason: {rows:#?}"
    );
    let status = f.gh(&["--json", "status", "--estimates"]).ok().stdout;
    let path = f.index_path();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    assert!(!path.exists(), "the index is gone");
    assert_eq!(f.gh(&["--json", "status", "--estimates"]).ok().stdout, status, "the same answer after deleting it");
    assert_eq!(estimate_rows(&f), rows, "the rebuilt index holds the same estimate rows");
}
