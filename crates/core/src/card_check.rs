//! Checking a card against the fields the consortium requires (`[cards] required` in
//! `consortium.toml`), offline: what is missing, in the rule's order.
//!
//! Legacy Hugging Face keys count for the keys they were renamed to (`model_index` for
//! `model-index`, `languages` for `language`), and a `license: other` needs the
//! `license_name` or `license_link` that says which license that is.

use serde::Serialize;
use serde_yaml_ng::{Mapping, Value};

use crate::consortium::CardRules;
use crate::error::Malformed;
use crate::frontmatter;

/// Older names a card may use for a key, read as that key and never rewritten.
pub const LEGACY_KEYS: &[(&str, &str)] = &[("model-index", "model_index"), ("language", "languages")];

/// A required field the card does not give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MissingField {
    pub field: String,
    /// Why it counts as missing, in a few words.
    pub reason: String,
}

fn given(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Sequence(s)) => !s.is_empty(),
        Some(Value::Mapping(m)) => !m.is_empty(),
        Some(_) => true,
    }
}

/// The card's front matter as a mapping (empty without front matter). Errors are the YAML's,
/// with the file and line.
fn front(path: &str, text: &str) -> Result<Mapping, Malformed> {
    let split = frontmatter::split(path, text)?;
    let Some(yaml) = split.yaml.filter(|y| !y.trim().is_empty()) else {
        return Ok(Mapping::new());
    };
    match frontmatter::parse(path, yaml, split.yaml_line)? {
        Value::Mapping(m) => Ok(m),
        Value::Null => Ok(Mapping::new()),
        _ => Err(Malformed::new(path, Some(split.yaml_line), "front matter must be a mapping of keys")),
    }
}

/// The required fields the card `text` lacks, in the order the rule lists them.
pub fn missing(path: &str, text: &str, rules: &CardRules) -> Result<Vec<MissingField>, Malformed> {
    let map = front(path, text)?;
    let get = |key: &str| map.get(Value::String(key.to_string()));
    let mut out = Vec::new();
    for field in &rules.required {
        let legacy = LEGACY_KEYS.iter().find(|(k, _)| k == field).map(|(_, old)| *old);
        let present = given(get(field)) || legacy.is_some_and(|old| given(get(old)));
        if !present {
            let reason = if map.is_empty() { "the card has no front matter" } else { "not in the front matter" };
            out.push(MissingField { field: field.clone(), reason: reason.into() });
        } else if field == "license"
            && get("license").and_then(Value::as_str) == Some("other")
            && !given(get("license_name"))
            && !given(get("license_link"))
        {
            out.push(MissingField {
                field: "license_name".into(),
                reason: "license is \"other\" without license_name or license_link".into(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(fields: &[&str]) -> CardRules {
        CardRules { required: fields.iter().map(|f| f.to_string()).collect(), compare: vec![] }
    }

    fn fields(m: Vec<MissingField>) -> Vec<String> {
        m.into_iter().map(|m| m.field).collect()
    }

    #[test]
    fn lists_what_is_missing_in_the_rules_order() {
        let card = "---\nlicense: mit\ndatasets: []\nbase_model: ''\n---\n# M\n";
        let m = missing("c.md", card, &rules(&["model-index", "license", "datasets", "base_model"])).unwrap();
        assert_eq!(fields(m), ["model-index", "datasets", "base_model"], "empty values count as missing");
    }

    #[test]
    fn legacy_keys_count_for_their_new_names() {
        let card = "---\nlicense: mit\nlanguages: [en]\nmodel_index:\n- name: m\n---\n";
        assert!(missing("c.md", card, &rules(&["language", "model-index"])).unwrap().is_empty());
    }

    #[test]
    fn license_other_needs_its_name_or_link() {
        let other = "---\nlicense: other\n---\n";
        assert_eq!(fields(missing("c.md", other, &rules(&["license"])).unwrap()), ["license_name"]);
        let named = "---\nlicense: other\nlicense_name: llama3\nlicense_link: LICENSE\n---\n";
        assert!(missing("c.md", named, &rules(&["license"])).unwrap().is_empty());
    }

    #[test]
    fn a_card_without_front_matter_lacks_everything() {
        let m = missing("c.md", "# Prose only\n", &rules(&["license", "datasets"])).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].reason, "the card has no front matter");
    }

    #[test]
    fn broken_yaml_names_the_line() {
        let e = missing("c.md", "---\nlicense: mit\ndatasets: [a,\n---\n", &rules(&["license"])).unwrap_err();
        assert_eq!(e.location.path, "c.md");
        assert!(e.location.line.is_some_and(|l| l >= 3), "{e}");
    }
}
