//! `models/<model>/registration.toml`: the organisation and owners of an imported model whose
//! card does not name them. An imported Hugging Face card is stored byte for byte, so
//! Gatehouse's own keys go here rather than into its YAML. The card's `org` and `owners`, when
//! it has them, win over this file.

use serde::{Deserialize, Serialize};

use crate::card::Card;
use crate::error::Malformed;
use crate::frontmatter::line_of;
use crate::id;

pub const FILE: &str = "registration.toml";

pub fn path(model: &str) -> String {
    format!("models/{model}/{FILE}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub org: String,
    pub owners: Vec<String>,
}

impl Registration {
    pub fn parse(path: &str, text: &str) -> Result<Registration, Malformed> {
        crate::limits::check_size(path, "the file", text.len(), 64 * 1024)?;
        let r: Registration = toml::from_str(text).map_err(|e| {
            Malformed::new(path, e.span().map(|s| line_of(text, s.start)), e.message().trim().to_string())
        })?;
        let line = |needle: &str| text.find(needle).map(|o| line_of(text, o));
        if !id::is_valid(&r.org) {
            return Err(Malformed::new(path, line("org"), format!("org {:?} is not an organisation id", r.org)));
        }
        if let Some(bad) = r.owners.iter().find(|o| !id::is_valid(o)) {
            return Err(Malformed::new(path, line("owners"), format!("owners: {bad:?} is not a member id")));
        }
        Ok(r)
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a registration always serializes")
    }

    /// Fills in what the card does not say.
    pub fn apply(&self, card: &mut Card) {
        if card.org.is_none() {
            card.org = Some(self.org.clone());
        }
        if card.owners.is_empty() {
            card.owners = self.owners.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_fills_only_what_the_card_lacks() {
        let r = Registration { org: "bsc".into(), owners: vec!["ana".into()] };
        let text = r.to_toml();
        assert_eq!(Registration::parse("r.toml", &text).unwrap(), r);
        let mut card = Card::parse("c.md", "m", "---\norg: riken\n---\n").unwrap();
        r.apply(&mut card);
        assert_eq!(card.org.as_deref(), Some("riken"), "the card's own org wins");
        assert_eq!(card.owners, ["ana"], "owners the card lacks come from the registration");
    }

    #[test]
    fn bad_ids_name_the_line() {
        let e = Registration::parse("r.toml", "org = \"bsc\"\nowners = [\"../x\"]\n").unwrap_err();
        assert_eq!(e.location.line, Some(2), "{e}");
    }
}
