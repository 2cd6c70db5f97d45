//! A card's `model-index`: the evaluation results Hugging Face cards carry in their front
//! matter, read into typed results. The front matter itself is never rewritten; this reads it.
//!
//! The schema followed is Hugging Face's: `model-index` is a list of `{name, results}`; each
//! result has a `task` (`type` required, `name`), a `dataset` (`type` and `name` required,
//! `config`, `split`, `revision`) and a list of `metrics` (`type` and `value` required,
//! `name`, `verified`). A value is a number or a string (`"85.3%"`). Other keys (`args`,
//! `source`, `verifyToken`...) are allowed and not read. The legacy key `model_index`
//! (underscore) is read the same way when `model-index` is absent.
//!
//! The YAML is read through serde, so an entry that breaks the schema is reported at the line
//! of the node at fault.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::error::Malformed;
use crate::frontmatter;

/// One `model-index` entry: a model name and its results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IndexedModel {
    pub name: String,
    #[serde(default)]
    pub results: Vec<EvalResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvalResult {
    pub task: Task,
    pub dataset: Dataset,
    pub metrics: Vec<Metric>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Task {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Dataset {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub config: Option<DatasetText>,
    #[serde(default)]
    pub split: Option<DatasetText>,
    #[serde(default)]
    pub revision: Option<DatasetText>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Metric {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: MetricValue,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub verified: Option<bool>,
}

/// A metric's value: a number, or text such as `"85.3%"` or `"n/a"`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum MetricValue {
    Number(f64),
    Text(String),
}

impl MetricValue {
    /// The value as a number: a number as it is, text when it reads as one (`"85.3"`, and
    /// `"85.3%"` as 85.3). `None` for other text and for numbers that are not finite.
    pub fn number(&self) -> Option<f64> {
        let n = match self {
            MetricValue::Number(n) => *n,
            MetricValue::Text(t) => t.trim().trim_end_matches('%').trim().parse().ok()?,
        };
        n.is_finite().then_some(n)
    }
}

impl fmt::Display for MetricValue {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            MetricValue::Number(n) => write!(f, "{n}"),
            MetricValue::Text(t) => f.write_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for MetricValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = MetricValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a metric value: a number or a string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<MetricValue, E> {
                Ok(MetricValue::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<MetricValue, E> {
                Ok(MetricValue::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<MetricValue, E> {
                Ok(MetricValue::Number(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<MetricValue, E> {
                Ok(MetricValue::Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A dataset's config, split or revision: a name, though YAML reads `2023` or `1.0` as a
/// number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DatasetText(pub String);

impl DatasetText {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for DatasetText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DatasetText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DatasetText, E> {
                Ok(DatasetText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DatasetText, E> {
                Ok(DatasetText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DatasetText, E> {
                Ok(DatasetText(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DatasetText, E> {
                Ok(DatasetText(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// Only the two keys read here; every other key of the front matter is skipped unread.
#[derive(Deserialize)]
struct Front {
    #[serde(rename = "model-index", default)]
    current: Option<Vec<IndexedModel>>,
    #[serde(rename = "model_index", default)]
    legacy: Option<Vec<IndexedModel>>,
}

/// The `model-index` of the card `text` (the whole file, front matter and body); empty when
/// the card has none. `path` names the file in errors, each with its line.
pub fn parse(path: &str, text: &str) -> Result<Vec<IndexedModel>, Malformed> {
    let split = frontmatter::split(path, text)?;
    let Some(yaml) = split.yaml.filter(|y| !y.trim().is_empty()) else {
        return Ok(Vec::new());
    };
    // The card's own parser has judged the YAML; this reads it again for the schema.
    let front: serde_yaml_ng::Value = frontmatter::parse(path, yaml, split.yaml_line)?;
    if !front.is_mapping() {
        return Ok(Vec::new());
    }
    let front: Front = serde_yaml_ng::from_str(yaml).map_err(|e| {
        let mut m = frontmatter::yaml_error(path, yaml, split.yaml_line, &e);
        m.message = m.message.replacen("front matter: ", "model-index: ", 1);
        m
    })?;
    // The front matter's size limit bounds how many entries there can be.
    Ok(front.current.or(front.legacy).unwrap_or_default())
}

/// Every result of every entry, flattened with the entry's name: what a results table lists.
pub fn rows(models: &[IndexedModel]) -> impl Iterator<Item = (&IndexedModel, &EvalResult, &Metric)> {
    models.iter().flat_map(|m| m.results.iter().flat_map(move |r| r.metrics.iter().map(move |x| (m, r, x))))
}

/// The key a metric is compared by across models: `<dataset name>/<metric type>`
/// (`HellaSwag/acc_norm`), as `[cards] compare` names it.
pub fn metric_key(result: &EvalResult, metric: &Metric) -> String {
    format!("{}/{}", result.dataset.name, metric.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARD: &str = "---\nlicense: mit\nmodel-index:\n- name: tiny\n  results:\n  - task:\n      type: text-generation\n    dataset:\n      name: HellaSwag\n      type: hellaswag\n      split: validation\n      config: 2023\n    metrics:\n    - type: acc_norm\n      value: 81.2\n      name: normalized accuracy\n      verified: false\n    - type: acc\n      value: \"79.5%\"\n---\n# Tiny\n";

    #[test]
    fn reads_results_with_numbers_and_text() {
        let m = parse("c.md", CARD).unwrap();
        assert_eq!(m[0].name, "tiny");
        let r = &m[0].results[0];
        assert_eq!(r.task.kind, "text-generation");
        assert_eq!(
            r.dataset.config.as_ref().map(DatasetText::as_str),
            Some("2023"),
            "a numeric config is kept as text"
        );
        assert_eq!(r.metrics[0].value, MetricValue::Number(81.2));
        assert_eq!(r.metrics[1].value.number(), Some(79.5), "a percentage in text reads as a number");
        assert_eq!(metric_key(r, &r.metrics[0]), "HellaSwag/acc_norm");
        assert_eq!(rows(&m).count(), 2);
    }

    #[test]
    fn the_legacy_key_is_read() {
        let legacy = CARD.replace("model-index:", "model_index:");
        assert_eq!(parse("c.md", &legacy).unwrap(), parse("c.md", CARD).unwrap());
    }

    #[test]
    fn no_front_matter_means_no_results() {
        assert!(parse("c.md", "# Just prose\n").unwrap().is_empty());
        assert!(parse("c.md", "---\nlicense: mit\n---\n").unwrap().is_empty());
    }

    fn err(card: &str) -> Malformed {
        parse("models/m/card.md", card).unwrap_err()
    }

    #[test]
    fn schema_breaches_name_the_file_and_line() {
        let not_a_list = "---\nlicense: mit\nmodel-index:\n- name: x\n  results:\n    task: oops\n---\n";
        let e = err(not_a_list);
        assert_eq!(e.location.path, "models/m/card.md");
        assert_eq!(e.location.line, Some(6), "the line of the mapping where a list belongs: {e}");
        assert!(e.message.starts_with("model-index: "), "{e}");

        let no_value = CARD.replace("      value: 81.2\n", "");
        let e = err(&no_value);
        assert!(e.message.contains("value"), "the missing key is named: {e}");
        assert!(e.location.line.is_some_and(|l| (14..=17).contains(&l)), "at the metric: {e}");

        let no_type = CARD.replace("    - type: acc_norm\n      value: 81.2\n", "    - value: 81.2\n");
        assert!(err(&no_type).message.contains("type"), "a metric needs a type");

        let list_value = CARD.replace("value: 81.2", "value: [1, 2]");
        let e = err(&list_value);
        assert!(e.message.contains("a number or a string"), "{e}");
        assert_eq!(e.location.line, Some(15), "the value's own line: {e}");
    }

    #[test]
    fn broken_yaml_is_the_front_matter_error() {
        let e = err("---\nmodel-index: [\n---\n");
        assert!(e.message.starts_with("front matter:"), "{e}");
        assert!(e.location.line.is_some());
    }
}
