//! The comparison chart: chosen `model-index` results across the consortium's models, as
//! deterministic SVG (the same presentation-attribute SVG 1.1 as `chart`).
//!
//! The metrics compared are `[cards] compare` in `consortium.toml` (`<dataset name>/<metric
//! type>`, as `model_index::metric_key` names them); without that list, the four keys the most
//! models report (ties broken by name). A model's value for a key is the first numeric one its
//! card gives. Everything taken from cards (names, keys) is escaped: cards are untrusted.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use git2::{Repository, Tree};
use serde::Serialize;

use super::chart::{bar_row, text_width, BarRow, Bars, FONT, GAP, INK, MUTED, PAD};
use super::html::text;
use crate::error::Result;
use crate::model_index::{self, metric_key};
use crate::record::{load_consortium, model_ids};
use crate::repo::read_text;

/// How many metrics the chart picks when the consortium names none.
pub const AUTO_METRICS: usize = 4;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Comparison {
    /// The keys compared, in the chart's order.
    pub metrics: Vec<String>,
    /// Per metric (same order), the models that report it and their values, by model id.
    pub values: Vec<Vec<ComparedValue>>,
    /// The chart (SVG, every card string escaped).
    pub svg: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ComparedValue {
    pub model: String,
    pub value: f64,
}

/// Each model's numeric results by key; models whose cards cannot be read are left out.
fn results(repo: &Repository, tree: &Tree) -> Result<BTreeMap<String, BTreeMap<String, f64>>> {
    let mut out = BTreeMap::new();
    for model in model_ids(repo, tree)? {
        let path = crate::card::path(&model);
        let Ok(Some((_, text))) = read_text(repo, tree, &path) else { continue };
        let Ok(index) = model_index::parse(&path, &text) else { continue };
        let mut values = BTreeMap::new();
        for (_, result, metric) in model_index::rows(&index) {
            if let Some(n) = metric.value.number() {
                values.entry(metric_key(result, metric)).or_insert(n);
            }
        }
        out.insert(model, values);
    }
    Ok(out)
}

/// The comparison at `tree`, with its chart.
pub fn comparison(repo: &Repository, tree: &Tree) -> Result<Comparison> {
    let chosen = load_consortium(repo, tree)?.card_rules().compare;
    let by_model = results(repo, tree)?;
    Ok(compare(&by_model, &chosen))
}

/// The comparison of `by_model` (model → key → value) over `chosen`, or the most reported keys.
pub fn compare(by_model: &BTreeMap<String, BTreeMap<String, f64>>, chosen: &[String]) -> Comparison {
    let metrics = if chosen.is_empty() {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for key in by_model.values().flat_map(BTreeMap::keys) {
            *counts.entry(key).or_default() += 1;
        }
        let mut keys: Vec<(&str, usize)> = counts.into_iter().collect();
        keys.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        keys.into_iter().take(AUTO_METRICS).map(|(k, _)| k.to_string()).collect()
    } else {
        chosen.to_vec()
    };
    let values: Vec<Vec<ComparedValue>> = metrics
        .iter()
        .map(|key| {
            by_model
                .iter()
                .filter_map(|(model, v)| v.get(key).map(|value| ComparedValue { model: model.clone(), value: *value }))
                .collect()
        })
        .collect();
    let svg = svg(&metrics, &values);
    Comparison { metrics, values, svg }
}

// Smaller rows than the gate chart's: a comparison has a row per model and metric.
const BAR_AREA: u32 = 360;
const ROW: u32 = 24;
const BAR: u32 = 14;
const HEADING: u32 = 28;
const FILL: &str = "#3a4bbf";

/// A value as the chart prints it: at most two decimals, no trailing zeros.
pub fn shown(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// A bar's length relative to the largest value of its metric; nothing for values at or below 0.
fn bar_width(v: f64, max: f64) -> u32 {
    if v <= 0.0 || max <= 0.0 {
        return 0;
    }
    ((v / max * f64::from(BAR_AREA)).round() as u32).clamp(3, BAR_AREA)
}

/// One group of bars per metric, one bar per model that reports it: one `<svg>` element with
/// its own size and fonts, no script, no style sheet and no outside reference.
pub fn svg(metrics: &[String], values: &[Vec<ComparedValue>]) -> String {
    let label_w = values.iter().flatten().map(|v| text_width(&v.model)).max().unwrap_or(0).max(60);
    let value_w = values.iter().flatten().map(|v| text_width(&shown(v.value))).max().unwrap_or(7);
    let bar_x = PAD + label_w + GAP;
    let heading_w = metrics.iter().map(|m| PAD + text_width(m) + PAD).max().unwrap_or(0);
    let width = (bar_x + BAR_AREA + GAP + value_w + PAD).max(heading_w);
    let rows: u32 = values.iter().map(|v| v.len().max(1) as u32).sum();
    let height = PAD + metrics.len() as u32 * HEADING + rows.max(1) * ROW + PAD;

    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"img\" font-family=\"{FONT}\" font-size=\"12\">"
    );
    let mut title = String::from("Results compared across models");
    for (m, vs) in metrics.iter().zip(values) {
        let _ = write!(title, "; {m}:");
        for v in vs {
            let _ = write!(title, " {} {}", v.model, shown(v.value));
        }
    }
    let _ = writeln!(out, "<title>{}</title>", text(&title));
    let _ = writeln!(out, "<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>");
    if metrics.is_empty() {
        let _ = writeln!(
            out,
            "<text x=\"{PAD}\" y=\"{}\" fill=\"{MUTED}\">No model-index results to compare.</text>",
            PAD + ROW / 2 + 4
        );
    }
    let geometry = Bars { bar_x, area: BAR_AREA, row: ROW, bar: BAR };
    let mut y = PAD;
    for (metric, vs) in metrics.iter().zip(values) {
        let _ = writeln!(
            out,
            "<text x=\"{PAD}\" y=\"{}\" font-weight=\"bold\" fill=\"{INK}\">{}</text>",
            y + HEADING / 2 + 4,
            text(metric)
        );
        y += HEADING;
        if vs.is_empty() {
            let _ = writeln!(
                out,
                "<text x=\"{bar_x}\" y=\"{}\" fill=\"{MUTED}\">No model reports it.</text>",
                y + ROW / 2 + 4
            );
            y += ROW;
        }
        let max = vs.iter().map(|v| v.value).fold(0.0, f64::max);
        for v in vs {
            let value = shown(v.value);
            let row =
                BarRow { label: &v.model, width: bar_width(v.value, max), fill: FILL, value: &value, bold: false };
            bar_row(&mut out, &geometry, y, &row);
            y += ROW;
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn models(rows: &[(&str, &str, f64)]) -> BTreeMap<String, BTreeMap<String, f64>> {
        let mut out: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
        for (m, k, v) in rows {
            out.entry(m.to_string()).or_default().insert(k.to_string(), *v);
        }
        out
    }

    #[test]
    fn without_a_rule_the_most_reported_metrics_are_compared() {
        let m = models(&[("a", "MMLU/acc", 70.0), ("b", "MMLU/acc", 60.0), ("b", "GSM8K/acc", 50.0)]);
        let c = compare(&m, &[]);
        assert_eq!(c.metrics, ["MMLU/acc", "GSM8K/acc"], "most reported first");
        assert_eq!(c.values[0].len(), 2);
        let chosen = compare(&m, &["GSM8K/acc".to_string(), "None/x".to_string()]);
        assert_eq!(chosen.metrics, ["GSM8K/acc", "None/x"], "the consortium's choice, in its order");
        assert!(chosen.values[1].is_empty());
    }

    #[test]
    fn card_strings_are_escaped_and_the_bytes_are_stable() {
        let m = models(&[("x", "<script>alert(1)</script>/acc", 1.5)]);
        let c = compare(&m, &[]);
        assert!(!c.svg.contains("<script"), "{}", c.svg);
        assert!(c.svg.contains("&lt;script&gt;"));
        assert_eq!(c.svg, compare(&m, &[]).svg);
    }

    #[test]
    fn values_print_short() {
        assert_eq!(shown(81.2), "81.2");
        assert_eq!(shown(70.0), "70");
        assert_eq!(shown(0.12345), "0.12");
        assert_eq!(bar_width(-1.0, 5.0), 0);
        assert_eq!(bar_width(5.0, 5.0), BAR_AREA);
    }
}
