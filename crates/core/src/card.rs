//! `models/<model>/card.md`: a model card. Hugging Face model-card front matter is accepted as
//! it is; Gatehouse reads a few keys of its own (`org`, `owners`, `parameters`,
//! `active_parameters`, `architecture`) and keeps every other key untouched.

use serde::Serialize;
use serde_yaml_ng::{Mapping, Value};

use crate::error::Malformed;
use crate::estimate::deployment;
use crate::frontmatter::{self, line_of};
use crate::id;

/// The largest card read; a card is prose and metadata, not a data dump.
pub const MAX_CARD_BYTES: usize = crate::limits::MAX_MARKDOWN_BYTES;

pub fn dir(model: &str) -> String {
    format!("models/{model}")
}

pub fn path(model: &str) -> String {
    format!("models/{model}/card.md")
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    pub title: String,
    pub org: Option<String>,
    pub owners: Vec<String>,
    pub parameters: Option<u64>,
    pub active_parameters: Option<u64>,
    pub architecture: Option<String>,
    /// The `deployment:` mapping the deployment estimate reads (`estimate::deployment`).
    pub deployment: Option<crate::estimate::Deployment>,
    pub licenses: Vec<String>,
    pub datasets: Vec<String>,
    pub base_model: Vec<String>,
    pub tags: Vec<String>,
    /// The whole front matter, for display; keys Gatehouse does not know are kept.
    pub front: serde_json::Value,
    pub body: String,
}

fn strings(path: &str, line: usize, key: &str, v: Option<&Value>) -> Result<Vec<String>, Malformed> {
    match v {
        None | Some(Value::Null) => Ok(vec![]),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Sequence(seq)) => seq
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) => Ok(n.to_string()),
                _ => Err(Malformed::new(path, Some(line), format!("{key}: expected a list of strings"))),
            })
            .collect(),
        Some(_) => Err(Malformed::new(path, Some(line), format!("{key}: expected a string or a list of strings"))),
    }
}

impl Card {
    pub fn parse(path: &str, model: &str, text: &str) -> Result<Card, Malformed> {
        crate::limits::check_size(path, "the card", text.len(), MAX_CARD_BYTES)?;
        let split = frontmatter::split(path, text)?;
        let yaml = split.yaml.unwrap_or("");
        let value: Value = if yaml.trim().is_empty() {
            Value::Mapping(Mapping::new())
        } else {
            frontmatter::parse(path, yaml, split.yaml_line)?
        };
        let map = match value {
            Value::Mapping(m) => m,
            Value::Null => Mapping::new(),
            _ => return Err(Malformed::new(path, Some(split.yaml_line), "front matter must be a mapping of keys")),
        };
        let line = |key: &str| {
            yaml.find(&format!("{key}:")).map(|o| split.yaml_line + line_of(yaml, o) - 1).unwrap_or(split.yaml_line)
        };
        let get = |key: &str| map.get(Value::String(key.to_string()));
        let org = match get("org") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if id::is_valid(s) => Some(s.clone()),
            Some(_) => return Err(Malformed::new(path, Some(line("org")), "org: expected an organisation id")),
        };
        let owners = strings(path, line("owners"), "owners", get("owners"))?;
        if let Some(bad) = owners.iter().find(|o| !id::is_valid(o)) {
            return Err(Malformed::new(path, Some(line("owners")), format!("owners: {bad:?} is not a member id")));
        }
        let title = match get("model_name") {
            Some(Value::String(s)) => s.clone(),
            _ => first_heading(split.body).unwrap_or_else(|| model.to_string()),
        };
        let architecture = match get("architecture") {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        // Parameter counts are checked for absurd values, and against each other and the
        // experts of a mixture of experts, by the deployment estimate's reader.
        let key_line = |key: &str| deployment::key_line(yaml, split.yaml_line, key, 0).unwrap_or(split.yaml_line);
        let parameters =
            deployment::parameter_count(path, key_line("parameters"), "parameters", get("parameters"), false)?;
        let active_parameters = deployment::parameter_count(
            path,
            key_line("active_parameters"),
            "active_parameters",
            get("active_parameters"),
            false,
        )?;
        deployment::check_counts(path, key_line("active_parameters"), parameters, active_parameters)?;
        let deployment =
            deployment::parse(path, yaml, split.yaml_line, get("deployment"), parameters, active_parameters)?;
        let front = serde_json::to_value(&map).unwrap_or(serde_json::Value::Null);
        Ok(Card {
            title,
            org,
            owners,
            parameters,
            active_parameters,
            architecture,
            deployment,
            licenses: strings(path, line("license"), "license", get("license"))?,
            datasets: strings(path, line("datasets"), "datasets", get("datasets"))?,
            base_model: strings(path, line("base_model"), "base_model", get("base_model"))?,
            tags: strings(path, line("tags"), "tags", get("tags"))?,
            front,
            body: split.body.to_string(),
        })
    }
}

fn first_heading(body: &str) -> Option<String> {
    body.lines().find_map(|l| l.strip_prefix("# ")).map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// Adds `org` and `owners` to a card that lacks them, keeping every existing byte: the lines
/// are appended to the end of the front matter (or a front matter block is added).
pub fn with_org_and_owners(path: &str, text: &str, org: Option<&str>, owners: &[String]) -> Result<String, Malformed> {
    let mut extra = String::new();
    if let Some(org) = org {
        extra.push_str(&format!("org: {org}\n"));
    }
    if !owners.is_empty() {
        extra.push_str(&format!("owners: [{}]\n", owners.join(", ")));
    }
    if extra.is_empty() {
        return Ok(text.to_string());
    }
    let split = frontmatter::split(path, text)?;
    Ok(match split.yaml {
        Some(yaml) => {
            let end = split.yaml_end;
            let sep = if yaml.is_empty() || yaml.ends_with('\n') { "" } else { "\n" };
            format!("{}{sep}{extra}{}", &text[..end], &text[end..])
        }
        None => format!("---\n{extra}---\n{text}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARD: &str = "---\nlicense: apache-2.0\nlanguage: [en, ja]\norg: riken\nowners: [hsato]\nparameters: 1600000000000\nactive_parameters: 1400000000\nmodel-index:\n- name: m\n---\n# Switch-C\n\nText.\n";

    #[test]
    fn reads_gatehouse_keys_and_keeps_the_rest() {
        let c = Card::parse("models/m/card.md", "m", CARD).unwrap();
        assert_eq!(c.title, "Switch-C");
        assert_eq!(c.org.as_deref(), Some("riken"));
        assert_eq!(c.active_parameters, Some(1_400_000_000));
        assert_eq!(c.licenses, vec!["apache-2.0"]);
        assert!(c.front.get("model-index").is_some(), "unknown Hugging Face keys are kept");
    }

    #[test]
    fn absurd_parameter_counts_name_the_card_and_line() {
        for (front, line, why) in [
            ("license: mit\nparameters: 0\n", 3, "zero"),
            ("license: mit\nparameters: -70\n", 3, "negative"),
            ("license: mit\nparameters: 100000000000000000000\n", 3, "10^20"),
            ("parameters: 100\nactive_parameters: 200\n", 3, "more active than total"),
        ] {
            let e = Card::parse("models/m/card.md", "m", &format!("---\n{front}---\n# T\n"))
                .expect_err(&format!("{why} must be refused"));
            assert_eq!(e.location.path, "models/m/card.md", "{why}");
            assert_eq!(e.location.line, Some(line), "{why}: {e:?}");
        }
    }

    #[test]
    fn broken_yaml_names_path_and_line() {
        let e = Card::parse("models/m/card.md", "m", "---\nlicense: mit\nowners: [a, \n---\n").unwrap_err();
        assert_eq!(e.location.path, "models/m/card.md");
        assert!(e.location.line.is_some());
    }

    #[test]
    fn adding_org_keeps_existing_front_matter_bytes() {
        let text = "---\nlicense: mit\n---\n# T\n";
        let out = with_org_and_owners("c.md", text, Some("bsc"), &["ana".into()]).unwrap();
        assert_eq!(out, "---\nlicense: mit\norg: bsc\nowners: [ana]\n---\n# T\n");
        let bare = with_org_and_owners("c.md", "# T\n", Some("bsc"), &[]).unwrap();
        assert_eq!(bare, "---\norg: bsc\n---\n# T\n");
    }
}
