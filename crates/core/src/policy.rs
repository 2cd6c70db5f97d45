//! `policies/<policy>.md`: a policy document with YAML front matter.

use serde::{Deserialize, Serialize};

use crate::error::Malformed;
use crate::frontmatter;

pub const DIR: &str = "policies";

pub fn path(policy: &str) -> String {
    format!("{DIR}/{policy}.md")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Front {
    #[serde(default)]
    policy: Option<String>,
    title: String,
    #[serde(default)]
    version: Option<serde_yaml_ng::Value>,
    #[serde(default)]
    summary: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    pub id: String,
    pub title: String,
    pub version: Option<String>,
    pub summary: Option<String>,
    pub body: String,
}

impl Policy {
    pub fn parse(path: &str, text: &str) -> Result<Policy, Malformed> {
        crate::limits::check_size(path, "the policy", text.len(), crate::limits::MAX_MARKDOWN_BYTES)?;
        let split = frontmatter::split(path, text)?;
        let id = path.rsplit('/').next().and_then(|f| f.strip_suffix(".md")).unwrap_or("").to_string();
        let yaml = split
            .yaml
            .ok_or_else(|| Malformed::new(path, Some(1), "a policy needs front matter with at least a title"))?;
        let front: Front = frontmatter::parse(path, yaml, split.yaml_line)?;
        if let Some(named) = front.policy.as_deref().filter(|p| *p != id) {
            return Err(Malformed::new(
                path,
                Some(split.yaml_line),
                format!("policy {named:?} does not match the file name {id:?}"),
            ));
        }
        let version = front.version.map(|v| match v {
            serde_yaml_ng::Value::String(s) => s,
            other => serde_yaml_ng::to_string(&other).unwrap_or_default().trim().to_string(),
        });
        Ok(Policy { id, title: front.title, version, summary: front.summary, body: split.body.to_string() })
    }
}
