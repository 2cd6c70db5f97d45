//! `consortium.toml`: the consortium's name, rules, roles and members.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Malformed;
use crate::frontmatter::line_of;
use crate::id;

pub const PATH: &str = "consortium.toml";

/// The format `init` writes. Format 2 keeps sign-offs in buckets (see `signoff::Layout`);
/// a record keeps the format it was made with.
pub const FORMAT: u32 = 2;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consortium {
    pub name: String,
    pub format: u32,
    #[serde(default)]
    pub rules: Rules,
    /// `[cards]`: what a model card must say, and which results the comparison chart shows.
    /// Absent, `CardRules::default()` applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cards: Option<CardRules>,
    #[serde(default)]
    pub roles: BTreeMap<String, String>,
    #[serde(default)]
    pub members: Vec<Member>,
}

/// `[cards]` in `consortium.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardRules {
    /// Front matter keys every card must give (`gatehouse model check`).
    #[serde(default = "default_required")]
    pub required: Vec<String>,
    /// The results the comparison chart shows, as `<dataset name>/<metric type>`; empty: the
    /// metrics the most models report.
    #[serde(default)]
    pub compare: Vec<String>,
}

fn default_required() -> Vec<String> {
    vec!["license".into()]
}

impl Default for CardRules {
    /// Without a `[cards]` section a card needs only a license, and the chart picks its metrics.
    fn default() -> Self {
        CardRules { required: default_required(), compare: Vec::new() }
    }
}

impl CardRules {
    /// What `gatehouse init` writes: the fields a release review asks of a card.
    pub fn recommended() -> Self {
        CardRules {
            required: ["license", "language", "datasets", "base_model", "model-index"].map(String::from).to_vec(),
            compare: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SignedCommits {
    Required,
    #[default]
    Optional,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    #[serde(default)]
    pub signed_commits: SignedCommits,
    #[serde(default = "default_quorum")]
    pub proposal_quorum: String,
    #[serde(default = "default_final_comment_days")]
    pub final_comment_days: u32,
    #[serde(default = "default_true")]
    pub stale_on_change: bool,
}

fn default_quorum() -> String {
    "2/3".into()
}
fn default_final_comment_days() -> u32 {
    7
}
fn default_true() -> bool {
    true
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            signed_commits: SignedCommits::Optional,
            proposal_quorum: default_quorum(),
            final_comment_days: default_final_comment_days(),
            stale_on_change: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub email: String,
    pub org: String,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub keys: Vec<String>,
}

impl Member {
    pub fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }
}

impl Consortium {
    /// Parses and checks the file. Errors name the line at fault.
    pub fn parse(text: &str) -> Result<Consortium, Malformed> {
        crate::limits::check_size(PATH, "the file", text.len(), crate::limits::MAX_CONSORTIUM_BYTES)?;
        let c: Consortium = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            Malformed::new(PATH, line, e.message().trim().to_string())
        })?;
        c.check(text)?;
        Ok(c)
    }

    /// Where this record keeps its sign-offs.
    pub fn layout(&self) -> crate::signoff::Layout {
        crate::signoff::Layout::of_format(self.format)
    }

    fn check(&self, text: &str) -> Result<(), Malformed> {
        // Lines are found by searching for the offending value; good enough to point a reader.
        let line_for = |needle: &str| text.find(needle).map(|o| line_of(text, o));
        if !(1..=FORMAT).contains(&self.format) {
            return Err(Malformed::new(
                PATH,
                line_for("format"),
                format!("format {} is not supported (this Gatehouse reads formats 1 and {FORMAT})", self.format),
            ));
        }
        parse_ratio(&self.rules.proposal_quorum).ok_or_else(|| {
            Malformed::new(
                PATH,
                line_for("proposal_quorum"),
                format!("proposal_quorum {:?} is not a fraction like \"2/3\"", self.rules.proposal_quorum),
            )
        })?;
        for role in self.roles.keys() {
            if !id::is_valid(role) {
                return Err(Malformed::new(PATH, line_for(role), format!("role {role:?} is not a valid id")));
            }
        }
        if let Some(cards) = &self.cards {
            let fields = cards.required.iter().chain(&cards.compare);
            if let Some(bad) =
                fields.clone().find(|f| f.trim().is_empty() || f.len() > 200 || f.chars().any(char::is_control))
            {
                return Err(Malformed::new(PATH, line_for("[cards]"), format!("[cards]: {bad:?} is not a field name")));
            }
            if let Some(bad) = cards.compare.iter().find(|c| !c.contains('/')) {
                return Err(Malformed::new(
                    PATH,
                    line_for(&format!("\"{bad}\"")),
                    format!("[cards] compare: {bad:?} is not <dataset>/<metric>, like \"HellaSwag/acc_norm\""),
                ));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for m in &self.members {
            let line = line_for(&format!("\"{}\"", m.id));
            if !id::is_valid(&m.id) {
                return Err(Malformed::new(PATH, line, format!("member id {:?} is not a valid id", m.id)));
            }
            if !seen.insert(m.id.as_str()) {
                return Err(Malformed::new(PATH, line, format!("member {:?} is listed twice", m.id)));
            }
            if !id::is_valid(&m.org) {
                return Err(Malformed::new(
                    PATH,
                    line,
                    format!("member {:?}: org {:?} is not a valid id", m.id, m.org),
                ));
            }
            if let Some(role) = m.roles.iter().find(|r| !self.roles.contains_key(*r)) {
                return Err(Malformed::new(
                    PATH,
                    line,
                    format!("member {:?} holds role {role:?}, which [roles] does not define", m.id),
                ));
            }
        }
        Ok(())
    }

    /// The `[cards]` rule, or its default when the file has none.
    pub fn card_rules(&self) -> CardRules {
        self.cards.clone().unwrap_or_default()
    }

    pub fn member(&self, id: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    pub fn member_by_email(&self, email: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.email.eq_ignore_ascii_case(email))
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("a consortium always serializes")
    }
}

/// Parses "2/3" into (2, 3).
pub fn parse_ratio(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.trim().split_once('/')?;
    let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (b > 0 && a <= b).then_some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
name = "TPC"
format = 1
[rules]
signed_commits = "optional"
[roles]
voting-member = "Votes"
[[members]]
id = "ada"
name = "Ada"
email = "ada@example.org"
org = "argonne"
roles = ["voting-member"]
"#;

    #[test]
    fn reads_members_and_rules() {
        let c = Consortium::parse(SAMPLE).unwrap();
        assert_eq!(c.member("ada").unwrap().org, "argonne");
        assert_eq!(c.rules.signed_commits, SignedCommits::Optional);
        assert!(c.rules.stale_on_change, "stale_on_change defaults to true");
    }

    #[test]
    fn an_undefined_role_is_reported_with_its_line() {
        let text = SAMPLE.replace("[\"voting-member\"]", "[\"pope\"]");
        let e = Consortium::parse(&text).unwrap_err();
        assert!(e.message.contains("pope"), "{e}");
        assert_eq!(e.location.line, Some(9), "the line of the member's id: {e}");
    }

    #[test]
    fn toml_syntax_errors_name_the_line() {
        let e = Consortium::parse("name = \"x\"\nformat = = 1\n").unwrap_err();
        assert_eq!(e.location.line, Some(2));
    }
}
