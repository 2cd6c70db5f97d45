//! SPDX license expressions as a bill of materials uses them: parsed and checked against the
//! SPDX license list the `spdx` crate embeds, and judged for the few properties the
//! compatibility warnings ask about (non-commercial, copyleft, unknown).

use spdx::{Expression, LicenseItem, LicenseReq};

/// The expression SPDX uses when nothing is asserted about a license.
pub const NOASSERTION: &str = "NOASSERTION";

/// Why an expression was refused, in words for a `Malformed` message.
pub fn check(expression: &str) -> Result<(), String> {
    if is_unknown(expression) {
        return Ok(());
    }
    match Expression::parse(expression) {
        Ok(_) => Ok(()),
        Err(e) => {
            let term = expression.get(e.span.clone()).unwrap_or("").to_string();
            let hint = if term.is_empty() {
                String::new()
            } else {
                match listed_ignoring_case(&term) {
                    Some(id) if id != term => format!(" (the SPDX list spells it {id:?})"),
                    _ => format!(" at {term:?}"),
                }
            };
            Err(format!(
                "license {expression:?} is not a valid SPDX license expression: {}{hint}; a license the SPDX list does not hold is written LicenseRef-<name>",
                e.reason
            ))
        }
    }
}

/// `NOASSERTION` or `NONE` (or nothing): no license is known.
pub fn is_unknown(expression: &str) -> bool {
    matches!(expression.trim(), "" | NOASSERTION | "NONE")
}

/// The SPDX list's spelling of `name` compared without case (`apache-2.0` is `Apache-2.0`).
pub fn listed_ignoring_case(name: &str) -> Option<&'static str> {
    spdx::identifiers::LICENSES.iter().find(|l| l.name.eq_ignore_ascii_case(name)).map(|l| l.name)
}

fn parsed(expression: &str) -> Option<Expression> {
    if is_unknown(expression) {
        return None;
    }
    Expression::parse(expression).ok()
}

/// A non-commercial license: a Creative Commons `-NC` license, or a `LicenseRef-` whose name
/// says non-commercial.
fn is_non_commercial(req: &LicenseReq) -> bool {
    match &req.license {
        LicenseItem::Spdx { id, .. } => id.name.split('-').any(|part| part == "NC"),
        LicenseItem::Other(r) => {
            let name = r.lic_ref.to_ascii_lowercase();
            name.contains("noncommercial") || name.contains("non-commercial") || name.split('-').any(|p| p == "nc")
        }
    }
}

fn is_copyleft(req: &LicenseReq) -> bool {
    matches!(&req.license, LicenseItem::Spdx { id, .. } if id.is_copyleft())
}

/// Whether a listed license that is neither copyleft, non-commercial nor `NOASSERTION`.
fn is_permissive(req: &LicenseReq) -> bool {
    matches!(&req.license, LicenseItem::Spdx { id, .. } if id.name != NOASSERTION)
        && !is_copyleft(req)
        && !is_non_commercial(req)
}

/// Every choice the expression offers is non-commercial: whoever takes it cannot avoid the
/// restriction (`CC-BY-NC-4.0 OR MIT` can be taken as MIT).
pub fn forces_non_commercial(expression: &str) -> bool {
    parsed(expression).is_some_and(|e| !e.evaluate(|r| !is_non_commercial(r)))
}

/// Every choice the expression offers includes a copyleft license.
pub fn forces_copyleft(expression: &str) -> bool {
    parsed(expression).is_some_and(|e| !e.evaluate(|r| !is_copyleft(r)))
}

/// The expression can be taken as permissive licenses only (listed, no copyleft, no
/// non-commercial term). A `LicenseRef-` is not judged: Gatehouse does not know its terms.
pub fn allows_permissive(expression: &str) -> bool {
    parsed(expression).is_some_and(|e| e.evaluate(is_permissive))
}

/// The expression can be taken without a non-commercial term, and every license in that
/// choice is on the SPDX list (so its terms are known).
pub fn allows_commercial(expression: &str) -> bool {
    parsed(expression).is_some_and(|e| {
        e.evaluate(|r| {
            matches!(&r.license, LicenseItem::Spdx { id, .. } if id.name != NOASSERTION) && !is_non_commercial(r)
        })
    })
}

/// The licenses an expression names, sorted, for comparing two expressions regardless of
/// order and spacing.
pub fn terms(expression: &str) -> Option<Vec<String>> {
    let e = parsed(expression)?;
    let mut t: Vec<String> = e.requirements().map(|r| r.req.to_string()).collect();
    t.sort();
    t.dedup();
    Some(t)
}

/// Turns a free name into the `idstring` a `LicenseRef-` allows (letters, digits, `.`, `-`).
pub fn license_ref(name: &str) -> String {
    let mut id = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            id.push(c);
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-');
    if id.is_empty() {
        NOASSERTION.to_string()
    } else {
        format!("LicenseRef-{id}")
    }
}

/// A Hugging Face card's `license` (with `license_name` for `other`) as an SPDX expression:
/// the list's own spelling when it is a listed id in any case, `LicenseRef-<name>` for a
/// license the list does not hold (`llama3`, `other` with its `license_name`), `NOASSERTION`
/// when the card says nothing usable.
pub fn from_card(licenses: &[String], license_name: Option<&str>) -> String {
    let mut parts: Vec<String> = Vec::new();
    for l in licenses {
        let l = l.trim();
        let part = if l.eq_ignore_ascii_case("other") {
            license_name.map(license_ref).unwrap_or_else(|| NOASSERTION.to_string())
        } else if l.is_empty() || is_unknown(l) || l.eq_ignore_ascii_case("unknown") {
            NOASSERTION.to_string()
        } else if let Some(id) = listed_ignoring_case(l) {
            id.to_string()
        } else if check(l).is_ok() {
            l.to_string()
        } else {
            license_ref(l)
        };
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    if parts.is_empty() || parts.iter().any(|p| p == NOASSERTION) {
        return NOASSERTION.to_string();
    }
    if parts.len() == 1 {
        return parts.remove(0);
    }
    parts.iter().map(|p| if p.contains(' ') { format!("({p})") } else { p.clone() }).collect::<Vec<_>>().join(" AND ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_ids_and_license_refs_parse_and_unknown_ids_do_not() {
        assert!(check("Apache-2.0 OR MIT").is_ok(), "a listed expression is accepted");
        assert!(check("LicenseRef-tpc-rail-1.0").is_ok(), "a LicenseRef names a license the list lacks");
        assert!(check("NOASSERTION").is_ok() && check("NONE").is_ok(), "SPDX's two 'no license known' values");
        let e = check("Apache-2.0 AND Nope-1.0").unwrap_err();
        assert!(e.contains("Nope-1.0"), "the message names the unknown term: {e}");
        let e = check("apache-2.0").unwrap_err();
        assert!(e.contains("\"Apache-2.0\""), "a case slip is answered with the list's spelling: {e}");
        assert!(check("(MIT AND").is_err(), "an unbalanced expression does not parse");
    }

    #[test]
    fn properties_follow_the_choices_an_expression_offers() {
        assert!(forces_non_commercial("CC-BY-NC-4.0"), "an NC license restricts use");
        assert!(forces_non_commercial("LicenseRef-pmc-oa-noncommercial"), "a ref that says so");
        assert!(!forces_non_commercial("CC-BY-NC-4.0 OR MIT"), "MIT can be chosen instead");
        assert!(forces_copyleft("GPL-3.0-only AND MIT"), "AND keeps the copyleft term");
        assert!(!forces_copyleft("GPL-3.0-only OR MIT"));
        assert!(allows_permissive("Apache-2.0") && !allows_permissive("LicenseRef-x"), "refs are not judged");
        assert!(allows_commercial("CC-BY-SA-4.0") && !allows_commercial("CC-BY-NC-SA-4.0"));
        assert!(!allows_commercial("NOASSERTION"), "nothing known allows nothing");
    }

    #[test]
    fn card_licenses_become_spdx_expressions() {
        assert_eq!(from_card(&["apache-2.0".into()], None), "Apache-2.0");
        assert_eq!(from_card(&["other".into()], Some("tpc-science-rail-1.0")), "LicenseRef-tpc-science-rail-1.0");
        assert_eq!(from_card(&["llama3".into()], None), "LicenseRef-llama3");
        assert_eq!(from_card(&[], None), "NOASSERTION");
        assert_eq!(from_card(&["other".into()], None), "NOASSERTION", "other without a name says nothing");
        assert_eq!(terms("MIT OR Apache-2.0"), terms("Apache-2.0  OR MIT"), "order and spacing do not matter");
    }
}
