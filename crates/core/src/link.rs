//! A link to evidence kept elsewhere: `models/<model>/evidence/<name>.link.toml`, with the
//! address, when the reviewer fetched what they read there, and a note (docs/format.md,
//! "Evidence"). The record holds the link, not the page: the fetch time says which version
//! the reviewer saw.

use serde::{Deserialize, Serialize};

/// How a link file's name ends.
pub const LINK_SUFFIX: &str = ".link.toml";

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LinkFile {
    /// An http(s) address.
    pub url: String,
    /// When the reviewer fetched it, RFC 3339 in UTC.
    pub fetched_at: String,
    #[serde(default)]
    pub note: String,
}

impl LinkFile {
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a link file serializes")
    }

    /// Parses a link file; the error's message and byte offset on failure.
    pub fn parse(text: &str) -> Result<LinkFile, (String, Option<usize>)> {
        let link: LinkFile =
            toml::from_str(text).map_err(|e: toml::de::Error| (e.message().to_string(), e.span().map(|s| s.start)))?;
        link.check().map_err(|m| (m, None))?;
        Ok(link)
    }

    /// The address is http(s), one line; anything else could run or mislead when followed.
    pub fn check(&self) -> Result<(), String> {
        let url = self.url.as_str();
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || url.chars().any(|c| c.is_control() || c == ' ')
        {
            return Err(format!("url {url:?} is not an http(s) address"));
        }
        Ok(())
    }
}

/// A file name for a link, from its address: `https://example.org/audit/v2?x=1` is
/// `example.org-audit-v2` (checked like any other name when attached).
pub fn name_for(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let mut name = String::new();
    for c in rest.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            name.push(c);
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    name.trim_matches(['-', '.']).chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_links_name_comes_from_its_address() {
        assert_eq!(super::name_for("https://example.org/audit/v2?x=1#top"), "example.org-audit-v2");
        assert_eq!(super::name_for("http://h/../../etc"), "h-..-..-etc", "one name, never a path");
    }
}
