//! Compatibility warnings: what a reviewer at the licensing gate should look at. They are
//! warnings, not errors: whether a combination is allowed is a legal judgement the gate's
//! reviewers make; Gatehouse points at the combinations that usually need one.

use serde::Serialize;

use super::license;
use super::{Bom, Component, Kind, Origin};
use crate::card::Card;

/// Each warning's kind, with a stable code (docs/format.md lists them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "BomWarningKind"))]
#[serde(rename_all = "kebab-case")]
pub enum WarningKind {
    /// There is no `bom.toml`: the bill was derived from the card alone.
    NoBom,
    /// A component whose every choice of license is non-commercial, under an outbound license
    /// that allows commercial use.
    NonCommercialComponent,
    /// Code, weights or a base model under a copyleft license, under a permissive outbound
    /// license. (A share-alike dataset is not flagged: whether its terms reach trained weights
    /// is a question the licenses do not settle.)
    CopyleftComponent,
    /// A component, or the outbound license, whose license is `NOASSERTION` or `NONE`.
    UnknownLicense,
    /// The card's `license` and the weights' license in the bill differ.
    CardLicenseMismatch,
    /// A dataset or base model the card names that the bill does not list.
    NotInBom,
}

impl WarningKind {
    /// The stable code, as the JSON output spells it.
    pub fn code(self) -> &'static str {
        match self {
            WarningKind::NonCommercialComponent => "non-commercial-component",
            WarningKind::CopyleftComponent => "copyleft-component",
            WarningKind::UnknownLicense => "unknown-license",
            WarningKind::CardLicenseMismatch => "card-license-mismatch",
            WarningKind::NotInBom => "not-in-bom",
            WarningKind::NoBom => "no-bom",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "BomWarning"))]
pub struct Warning {
    pub kind: WarningKind,
    /// The component the warning is about (its name), if one.
    pub component: Option<String>,
    pub message: String,
    /// The line of `bom.toml` at fault, when there is one.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub line: Option<usize>,
}

fn warn(kind: WarningKind, c: Option<&Component>, line: Option<usize>, message: String) -> Warning {
    Warning { kind, component: c.map(|c| c.name.clone()), message, line }
}

/// The warnings for a bill and the card it belongs to, in a stable order (by kind, then as the
/// bill lists the components).
pub fn check(bom: &Bom, card: &Card) -> Vec<Warning> {
    let mut out = Vec::new();
    let outbound = &bom.outbound.license;
    if bom.origin == Origin::Card {
        out.push(warn(
            WarningKind::NoBom,
            None,
            None,
            format!(
                "no {}: this bill is derived from the card's front matter alone, with no license known for its datasets and base models",
                super::path(&bom.model)
            ),
        ));
    }
    let commercial = license::allows_commercial(outbound);
    let permissive = license::allows_permissive(outbound);
    for c in &bom.components {
        if commercial && license::forces_non_commercial(&c.license) {
            out.push(warn(
                WarningKind::NonCommercialComponent,
                Some(c),
                c.line,
                format!(
                    "{} {:?} is licensed {} (non-commercial), but the model is released under {outbound}, which allows commercial use",
                    c.kind.word(),
                    c.name,
                    c.license
                ),
            ));
        }
        if permissive && c.kind != Kind::Dataset && license::forces_copyleft(&c.license) {
            out.push(warn(
                WarningKind::CopyleftComponent,
                Some(c),
                c.line,
                format!(
                    "{} {:?} is licensed {} (copyleft), but the model is released under the permissive {outbound}",
                    c.kind.word(),
                    c.name,
                    c.license
                ),
            ));
        }
    }
    if license::is_unknown(outbound) {
        out.push(warn(
            WarningKind::UnknownLicense,
            None,
            bom.outbound.line,
            "the model's outbound license is unknown (NOASSERTION): set `outbound` in bom.toml or `license` in the card"
                .to_string(),
        ));
    }
    for c in bom.components.iter().filter(|c| license::is_unknown(&c.license)) {
        out.push(warn(
            WarningKind::UnknownLicense,
            Some(c),
            c.line,
            format!("{} {:?}: its license is unknown (NOASSERTION)", c.kind.word(), c.name),
        ));
    }
    let weights = bom.weights();
    if bom.origin == Origin::File
        && !license::is_unknown(&bom.card_license)
        && license::terms(&bom.card_license) != license::terms(&weights.license)
    {
        out.push(warn(
            WarningKind::CardLicenseMismatch,
            Some(weights),
            weights.line,
            format!("the card's license is {} but bom.toml licenses the weights {}", bom.card_license, weights.license),
        ));
    }
    let listed = |kind: Kind, name: &str| bom.of_kind(kind).any(|c| c.name.eq_ignore_ascii_case(name.trim()));
    for (kind, names) in [(Kind::Dataset, &card.datasets), (Kind::BaseModel, &card.base_model)] {
        for name in names.iter().filter(|n| !listed(kind, n)) {
            out.push(Warning {
                kind: WarningKind::NotInBom,
                component: Some(name.clone()),
                message: format!("the card names {} {name:?}, which bom.toml does not list", kind.word()),
                line: None,
            });
        }
    }
    out.sort_by_key(|w| w.kind);
    out
}
