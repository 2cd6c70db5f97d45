//! `policies/accelerators.toml`: the accelerators a deployment estimate counts in, with their
//! memory, memory bandwidth and hourly price, and the assumptions the estimate makes. A
//! framework file: `gatehouse init` writes the default, and the consortium changes it by
//! proposal.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::Malformed;
use crate::frontmatter::line_of;

pub const PATH: &str = "policies/accelerators.toml";

use crate::limits::{MAX_ACCELERATORS, MAX_ACCELERATOR_TABLE_BYTES as MAX_BYTES};

/// An accelerator as the estimate uses it. GB are 10^9 bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Accelerator {
    pub id: String,
    pub name: String,
    pub memory_gb: f64,
    pub bandwidth_gb_s: f64,
    pub usd_per_hour: f64,
    /// Where the figures come from, and when they were taken.
    pub source: String,
    pub as_of: String,
}

/// The table, checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Table {
    /// The share of an accelerator's memory the weights and KV cache may fill (the rest holds
    /// activations, the runtime and fragmentation).
    pub usable_memory: f64,
    /// The share of peak memory bandwidth decoding reaches.
    pub bandwidth_efficiency: f64,
    pub accelerators: Vec<Accelerator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: Spanned<u32>,
    assumptions: Assumptions,
    #[serde(default)]
    accelerator: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Assumptions {
    usable_memory: Spanned<f64>,
    bandwidth_efficiency: Spanned<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: Spanned<String>,
    name: String,
    memory_gb: Spanned<f64>,
    bandwidth_gb_s: Spanned<f64>,
    usd_per_hour: Spanned<f64>,
    source: String,
    as_of: String,
}

impl Table {
    pub fn parse(text: &str) -> Result<Table, Malformed> {
        crate::limits::check_size(PATH, "the table", text.len(), MAX_BYTES)?;
        let at = |span: std::ops::Range<usize>| Some(line_of(text, span.start));
        let f: File = toml::from_str(text).map_err(|e| {
            Malformed::new(PATH, e.span().map(|s| line_of(text, s.start)), e.message().trim().to_string())
        })?;
        if *f.format.get_ref() != 1 {
            return Err(Malformed::new(
                PATH,
                at(f.format.span()),
                format!("format {} is not supported (this Gatehouse reads format 1)", f.format.get_ref()),
            ));
        }
        let fraction = |v: &Spanned<f64>, key: &str| {
            let x = *v.get_ref();
            if x > 0.0 && x <= 1.0 {
                Ok(x)
            } else {
                Err(Malformed::new(PATH, at(v.span()), format!("{key}: {x} is not a fraction above 0 and at most 1")))
            }
        };
        let usable_memory = fraction(&f.assumptions.usable_memory, "usable_memory")?;
        let bandwidth_efficiency = fraction(&f.assumptions.bandwidth_efficiency, "bandwidth_efficiency")?;
        if f.accelerator.len() > MAX_ACCELERATORS {
            return Err(Malformed::new(PATH, None, format!("more than {MAX_ACCELERATORS} accelerators")));
        }
        let mut accelerators: Vec<Accelerator> = Vec::new();
        for e in f.accelerator {
            let id = e.id.get_ref().clone();
            if !crate::id::is_valid(&id) {
                return Err(Malformed::new(PATH, at(e.id.span()), format!("id {id:?} is not a valid id")));
            }
            if accelerators.iter().any(|a| a.id == id) {
                return Err(Malformed::new(PATH, at(e.id.span()), format!("accelerator {id:?} is listed twice")));
            }
            // Bounds keep every product of the estimate finite and meaningful.
            let positive = |v: &Spanned<f64>, key: &str, max: f64| {
                let x = *v.get_ref();
                if x > 0.0 && x <= max {
                    Ok(x)
                } else {
                    Err(Malformed::new(
                        PATH,
                        at(v.span()),
                        format!("{key}: {x} is not a number above 0 and at most {max}"),
                    ))
                }
            };
            accelerators.push(Accelerator {
                memory_gb: positive(&e.memory_gb, "memory_gb", 1e6)?,
                bandwidth_gb_s: positive(&e.bandwidth_gb_s, "bandwidth_gb_s", 1e7)?,
                usd_per_hour: positive(&e.usd_per_hour, "usd_per_hour", 1e6)?,
                id,
                name: e.name,
                source: e.source,
                as_of: e.as_of,
            });
        }
        Ok(Table { usable_memory, bandwidth_efficiency, accelerators })
    }

    /// The table `gatehouse init` writes.
    pub fn default_text() -> &'static str {
        crate::framework::files()
            .into_iter()
            .find(|(p, _)| p == PATH)
            .and_then(|(_, bytes)| std::str::from_utf8(bytes).ok())
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_table_reads() {
        let t = Table::parse(Table::default_text()).unwrap();
        assert!(t.accelerators.len() >= 4, "the default lists the common accelerators");
        assert!(t.accelerators.iter().all(|a| !a.source.is_empty() && !a.as_of.is_empty()), "every figure is sourced");
    }

    #[test]
    fn a_malformed_table_names_the_line() {
        let good = Table::default_text();
        let bad = good.replacen("memory_gb = 80", "memory_gb = -80", 1);
        assert_ne!(bad, good, "the default lists an 80 GB accelerator");
        let e = Table::parse(&bad).unwrap_err();
        assert_eq!(e.location.path, PATH);
        let line = bad.lines().position(|l| l.contains("memory_gb = -80")).unwrap() + 1;
        assert_eq!(e.location.line, Some(line), "{e:?}");
        let e = Table::parse("format = 1\n[assumptions]\nusable_memory = 0.9\nbandwidth_efficiency = 2\n").unwrap_err();
        assert_eq!(e.location.line, Some(4), "{e:?}");
        let e = Table::parse("format = 1\n[assumptions\n").unwrap_err();
        assert_eq!(e.location.line, Some(2), "a syntax error's line: {e:?}");
        let e = Table::parse(&good.replacen("usd_per_hour = 1.8", "usd_per_hr = 1.8", 1)).unwrap_err();
        assert!(e.location.line.is_some() && e.message.contains("usd_per_hr"), "an unknown key is named: {e:?}");
    }
}
