//! `models/<model>/bom.toml`: a model's license bill of materials (docs/format.md, "Bill of
//! materials"). It names the code, the weights, each dataset and each base model the model
//! comes from, each with an SPDX license expression, and the license the model is released
//! under (its outbound license, by default the card's `license`). Without the file a bill is
//! derived from the card's front matter alone, and says so.
//!
//! `check` judges a bill against its card (compatibility warnings); `spdx3` and `cyclonedx`
//! export it; `view` reads it from a tree for the CLI and the app.

pub mod check;
pub mod cyclonedx;
pub mod license;
pub mod spdx3;
pub mod view;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::card::Card;
use crate::error::Malformed;
use crate::frontmatter::line_of;

/// The file's name inside a model's folder.
pub const FILE: &str = "bom.toml";

pub use crate::limits::{MAX_BOM_BYTES, MAX_BOM_COMPONENTS as MAX_COMPONENTS};

pub fn path(model: &str) -> String {
    format!("models/{model}/{FILE}")
}

/// What a component is to the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "BomKind"))]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The model's weights as released.
    Weights,
    /// Software that built the model (training, data preparation).
    Code,
    /// A dataset the model was trained on.
    Dataset,
    /// A model this one was fine-tuned or distilled from (the card's `base_model`).
    BaseModel,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Weights => "weights",
            Kind::Code => "code",
            Kind::Dataset => "dataset",
            Kind::BaseModel => "base model",
        }
    }
}

/// One entry of the bill.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "BomComponent"))]
pub struct Component {
    pub kind: Kind,
    pub name: String,
    /// An SPDX license expression; `NOASSERTION` when unknown.
    pub license: String,
    /// Where it comes from (an address or a repository id).
    pub source: Option<String>,
    /// Which version: a tag, a commit, a dataset revision.
    pub revision: Option<String>,
    pub note: Option<String>,
    /// The line of `bom.toml` where the component's license is; none when derived from the card.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub line: Option<usize>,
}

impl Component {
    /// `source` when it is a web address, which the exports give as a link; any other source
    /// (a repository id, words) goes into their description instead.
    pub fn source_url(&self) -> Option<&str> {
        self.source.as_deref().filter(|s| {
            let (scheme, rest) = s.split_once("://").unwrap_or(("", ""));
            !scheme.is_empty()
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !rest.is_empty()
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        })
    }

    /// The note, and a source that is not an address, as one description.
    pub fn description(&self) -> Option<String> {
        let words = self.source.as_deref().filter(|_| self.source_url().is_none()).map(|s| format!("Source: {s}"));
        match (self.note.as_deref(), words) {
            (Some(n), Some(w)) => Some(format!("{n} ({w})")),
            (Some(n), None) => Some(n.to_string()),
            (None, w) => w,
        }
    }
}

/// Where the bill came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "BomOrigin"))]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// `models/<model>/bom.toml`.
    File,
    /// No `bom.toml`: derived from the card's front matter alone (licenses of datasets and base
    /// models unknown).
    Card,
}

/// The license the model is released under.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "BomOutbound"))]
pub struct Outbound {
    pub license: String,
    /// Taken from the card's `license` (the file names none, or there is no file).
    pub from_card: bool,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub line: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Bom {
    pub model: String,
    pub origin: Origin,
    pub outbound: Outbound,
    /// Weights first, then code, datasets and base models, each in the file's order.
    pub components: Vec<Component>,
    /// The card's `license` as an SPDX expression (see `license::from_card`).
    pub card_license: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileEntry {
    name: Option<Spanned<String>>,
    license: Spanned<String>,
    source: Option<String>,
    revision: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: Spanned<u32>,
    outbound: Option<Spanned<String>>,
    weights: FileEntry,
    #[serde(default)]
    code: Vec<FileEntry>,
    #[serde(default)]
    dataset: Vec<FileEntry>,
    #[serde(default)]
    base_model: Vec<FileEntry>,
}

/// The card's `license` as an SPDX expression, `license_name` naming an `other` license.
pub fn card_license(card: &Card) -> String {
    let name = card.front.get("license_name").and_then(|v| v.as_str());
    license::from_card(&card.licenses, name)
}

impl Bom {
    /// The bill a card alone gives: the weights under the card's license, each dataset and
    /// base model it names with no license known.
    pub fn from_card(model: &str, card: &Card) -> Bom {
        let card_license = card_license(card);
        let unknown = |kind, name: &String| Component {
            kind,
            name: name.clone(),
            license: license::NOASSERTION.to_string(),
            source: None,
            revision: None,
            note: None,
            line: None,
        };
        let mut components = vec![Component {
            kind: Kind::Weights,
            name: model.to_string(),
            license: card_license.clone(),
            source: None,
            revision: None,
            note: None,
            line: None,
        }];
        components.extend(card.datasets.iter().map(|d| unknown(Kind::Dataset, d)));
        components.extend(card.base_model.iter().map(|b| unknown(Kind::BaseModel, b)));
        Bom {
            model: model.to_string(),
            origin: Origin::Card,
            outbound: Outbound { license: card_license.clone(), from_card: true, line: None },
            components,
            card_license,
        }
    }

    /// Parses `models/<model>/bom.toml`. Every license expression must parse and name licenses
    /// the SPDX list holds (or `LicenseRef-`s); an error names the line.
    pub fn parse(model: &str, card: &Card, text: &str) -> Result<Bom, Malformed> {
        let path = path(model);
        crate::limits::check_size(&path, "the bill of materials", text.len(), MAX_BOM_BYTES)?;
        let line = |offset: usize| Some(line_of(text, offset));
        let file: File = toml::from_str(text)
            .map_err(|e| Malformed::new(&path, e.span().and_then(|s| line(s.start)), e.message().trim().to_string()))?;
        if *file.format.get_ref() != 1 {
            return Err(Malformed::new(
                &path,
                line(file.format.span().start),
                format!("format {} is not supported (this Gatehouse reads format 1)", file.format.get_ref()),
            ));
        }
        let count = 1 + file.code.len() + file.dataset.len() + file.base_model.len();
        if count > MAX_COMPONENTS {
            return Err(Malformed::new(
                &path,
                None,
                format!("{count} components; a bill of materials lists at most {MAX_COMPONENTS}"),
            ));
        }
        let checked = |l: &Spanned<String>| -> Result<(String, Option<usize>), Malformed> {
            let at = line(l.span().start);
            license::check(l.get_ref()).map_err(|m| Malformed::new(&path, at, m))?;
            let expression = l.get_ref().trim();
            let expression = if license::is_unknown(expression) { license::NOASSERTION } else { expression };
            Ok((expression.to_string(), at))
        };
        let entry = |kind: Kind, e: &FileEntry, default_name: Option<&str>| -> Result<Component, Malformed> {
            let (license, at) = checked(&e.license)?;
            let name = match (&e.name, default_name) {
                (Some(n), _) if !n.get_ref().trim().is_empty() => n.get_ref().trim().to_string(),
                (None, Some(d)) => d.to_string(),
                _ => return Err(Malformed::new(&path, at, format!("a {} needs a name", kind.word()))),
            };
            Ok(Component {
                kind,
                name,
                license,
                source: e.source.clone(),
                revision: e.revision.clone(),
                note: e.note.clone(),
                line: at,
            })
        };
        let mut components = vec![entry(Kind::Weights, &file.weights, Some(model))?];
        for (kind, list) in
            [(Kind::Code, &file.code), (Kind::Dataset, &file.dataset), (Kind::BaseModel, &file.base_model)]
        {
            for e in list {
                let c = entry(kind, e, None)?;
                if components.iter().any(|o| o.kind == kind && o.name == c.name) {
                    return Err(Malformed::new(&path, c.line, format!("{} {:?} is listed twice", kind.word(), c.name)));
                }
                components.push(c);
            }
        }
        let card_license = card_license(card);
        let outbound = match &file.outbound {
            Some(o) => {
                let (license, at) = checked(o)?;
                Outbound { license, from_card: false, line: at }
            }
            None => Outbound { license: card_license.clone(), from_card: true, line: None },
        };
        Ok(Bom { model: model.to_string(), origin: Origin::File, outbound, components, card_license })
    }

    pub fn weights(&self) -> &Component {
        // `parse` and `from_card` both put the weights first.
        &self.components[0]
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Component> {
        self.components.iter().filter(move |c| c.kind == kind)
    }
}

#[cfg(test)]
mod tests;
