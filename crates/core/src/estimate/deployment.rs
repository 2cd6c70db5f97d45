//! The card's figures a deployment estimate reads: `parameters` and `active_parameters` (checked
//! here for absurd values) and the optional `deployment:` mapping (number formats, the shape of
//! the attention for the KV cache, and the experts of a mixture of experts).

use serde::Serialize;
use serde_yaml_ng::{Mapping, Value};

use crate::error::Malformed;
use crate::frontmatter::line_of;

/// The most parameters a card may claim: 10^16, five thousand times the largest models
/// trained today. A larger count is a typo (or an attempt to overflow arithmetic).
pub const MAX_PARAMETERS: u64 = 10_000_000_000_000_000;

/// How far a card's `active_parameters` may be from what its experts imply, relative:
/// published counts are rounded to three significant figures (Mixtral's 12.9B).
pub const ACTIVE_TOLERANCE: f64 = 0.02;

/// A number format of weights or of the KV cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Dtype {
    Fp32,
    Bf16,
    Fp16,
    Fp8,
    Int8,
    Int4,
}

impl Dtype {
    pub const ALL: [Dtype; 6] = [Dtype::Fp32, Dtype::Bf16, Dtype::Fp16, Dtype::Fp8, Dtype::Int8, Dtype::Int4];

    pub fn as_str(self) -> &'static str {
        match self {
            Dtype::Fp32 => "fp32",
            Dtype::Bf16 => "bf16",
            Dtype::Fp16 => "fp16",
            Dtype::Fp8 => "fp8",
            Dtype::Int8 => "int8",
            Dtype::Int4 => "int4",
        }
    }

    /// Bytes one value takes (scales and zero points of quantised formats not counted).
    pub fn bytes(self) -> f64 {
        match self {
            Dtype::Fp32 => 4.0,
            Dtype::Bf16 | Dtype::Fp16 => 2.0,
            Dtype::Fp8 | Dtype::Int8 => 1.0,
            Dtype::Int4 => 0.5,
        }
    }

    pub fn parse(s: &str) -> Option<Dtype> {
        let s = s.trim().to_ascii_lowercase();
        let s = match s.as_str() {
            "float32" => "fp32",
            "bfloat16" => "bf16",
            "float16" => "fp16",
            other => other,
        };
        Dtype::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// The experts of a mixture of experts, resolved: the always-active (shared) parameters are
/// given by the card or derived from its `active_parameters`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Experts {
    pub experts: u32,
    pub per_token: u32,
    /// Parameters every token uses (attention, embeddings, routers, shared experts).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub shared: u64,
    /// Whether `shared` was written on the card (else derived from `active_parameters`).
    pub shared_given: bool,
    /// Parameters of one expert: (total − shared) / experts.
    pub per_expert: f64,
    /// shared + per_token × per_expert.
    pub active: f64,
}

/// The attention's shape, for the KV cache.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Attention {
    pub layers: u32,
    pub kv_heads: u32,
    pub head_dim: u32,
}

/// The card's `deployment:` mapping, checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Deployment {
    /// The weights' format as released (default bf16).
    pub dtype: Dtype,
    /// The format the weights are served in when quantised; memory follows it.
    pub quantisation: Option<Dtype>,
    /// The KV cache's format (default bf16).
    pub kv_dtype: Dtype,
    pub attention: Option<Attention>,
    /// The longest context the model takes; the estimate's default context.
    pub context_length: Option<u32>,
    pub experts: Option<Experts>,
}

impl Deployment {
    /// The format the served weights take.
    pub fn weights_dtype(&self) -> Dtype {
        self.quantisation.unwrap_or(self.dtype)
    }
}

/// The 1-based document line of the first line of `yaml` at or after byte `from` whose key
/// (after indentation) is `key`; `None` when there is none.
pub fn key_line(yaml: &str, yaml_line: usize, key: &str, from: usize) -> Option<usize> {
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        if offset >= from {
            let t = line.trim_start_matches([' ', '\t']);
            if t.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':')) {
                return Some(yaml_line + line_of(yaml, offset) - 1);
            }
        }
        offset += line.len();
    }
    None
}

/// Reads a parameter count (`parameters`, `active_parameters`, `shared_parameters`): a whole
/// number from 1 (0 when `zero_ok`) to `MAX_PARAMETERS`.
pub fn parameter_count(
    path: &str,
    line: usize,
    key: &str,
    v: Option<&Value>,
    zero_ok: bool,
) -> Result<Option<u64>, Malformed> {
    let bad = |what: String| Malformed::new(path, Some(line), format!("{key}: {what}"));
    let n = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n,
        Some(Value::String(s)) => {
            return Err(bad(format!("{s:?} is not a number; write the count in digits (7000000000, not 7B)")))
        }
        Some(_) => return Err(bad("expected a whole number of parameters".into())),
    };
    let max = format!("at most 10^16 ({MAX_PARAMETERS})");
    if let Some(u) = n.as_u64() {
        if u == 0 && !zero_ok {
            return Err(bad("0 parameters: a model has at least one".into()));
        }
        if u > MAX_PARAMETERS {
            return Err(bad(format!("{u} is not a plausible parameter count ({max})")));
        }
        return Ok(Some(u));
    }
    if n.as_i64().is_some() {
        return Err(bad(format!("{n} is negative; a parameter count is a whole number from 1")));
    }
    // A float, or an integer too large for 64 bits (YAML reads it as a float).
    let f = n.as_f64().unwrap_or(f64::NAN);
    if !f.is_finite() || f < 0.0 {
        return Err(bad(format!("{n} is not a parameter count (a whole number from 1, {max})")));
    }
    if f > MAX_PARAMETERS as f64 {
        return Err(bad(format!("{n} is not a plausible parameter count ({max})")));
    }
    if f.fract() != 0.0 {
        return Err(bad(format!("{n} is not a whole number")));
    }
    if f == 0.0 && !zero_ok {
        return Err(bad("0 parameters: a model has at least one".into()));
    }
    Ok(Some(f as u64))
}

/// Checks `parameters` against `active_parameters`: more active parameters than parameters
/// is impossible.
pub fn check_counts(path: &str, active_line: usize, total: Option<u64>, active: Option<u64>) -> Result<(), Malformed> {
    if let (Some(t), Some(a)) = (total, active) {
        if a > t {
            return Err(Malformed::new(
                path,
                Some(active_line),
                format!("active_parameters: {a} is more than parameters ({t}); a token cannot use more parameters than the model has"),
            ));
        }
    }
    Ok(())
}

struct Reader<'a> {
    path: &'a str,
    yaml: &'a str,
    yaml_line: usize,
    /// Byte offset of the `deployment:` key, where its keys are searched from.
    from: usize,
    map: &'a Mapping,
}

impl Reader<'_> {
    fn line(&self, key: &str) -> usize {
        key_line(self.yaml, self.yaml_line, key, self.from)
            .or_else(|| key_line(self.yaml, self.yaml_line, "deployment", 0))
            .unwrap_or(self.yaml_line)
    }

    fn bad(&self, key: &str, message: impl std::fmt::Display) -> Malformed {
        Malformed::new(self.path, Some(self.line(key)), format!("deployment.{key}: {message}"))
    }

    fn get(&self, key: &str) -> Option<&Value> {
        self.map.get(Value::String(key.into())).filter(|v| !v.is_null())
    }

    fn whole(&self, key: &str, max: u64) -> Result<Option<u32>, Malformed> {
        let Some(v) = self.get(key) else { return Ok(None) };
        match v.as_u64() {
            Some(n) if (1..=max).contains(&n) => Ok(Some(n as u32)),
            _ => Err(self.bad(key, format!("expected a whole number from 1 to {max}"))),
        }
    }

    fn dtype(&self, key: &str) -> Result<Option<Dtype>, Malformed> {
        let Some(v) = self.get(key) else { return Ok(None) };
        let known = Dtype::ALL.map(|d| d.as_str()).join(", ");
        match v {
            Value::String(s) => Dtype::parse(s)
                .map(Some)
                .ok_or_else(|| self.bad(key, format!("{s:?} is not a known format (one of {known})"))),
            _ => Err(self.bad(key, format!("expected one of {known}"))),
        }
    }
}

/// Keys of the `deployment:` mapping; any other key is a mistake worth naming.
const KEYS: &[&str] = &[
    "dtype",
    "quantisation",
    "quantization",
    "kv_dtype",
    "layers",
    "kv_heads",
    "head_dim",
    "context_length",
    "experts",
    "experts_per_token",
    "shared_parameters",
];

/// Reads the `deployment:` mapping `v` of the card at `path` whose front matter `yaml` starts
/// at document line `yaml_line`, with the card's `parameters` and `active_parameters`.
pub fn parse(
    path: &str,
    yaml: &str,
    yaml_line: usize,
    v: Option<&Value>,
    total: Option<u64>,
    active: Option<u64>,
) -> Result<Option<Deployment>, Malformed> {
    let top = key_line(yaml, yaml_line, "deployment", 0).unwrap_or(yaml_line);
    let map = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Mapping(m)) => m,
        Some(_) => return Err(Malformed::new(path, Some(top), "deployment: expected a mapping of keys")),
    };
    let from = yaml
        .split_inclusive('\n')
        .scan(0, |o, l| {
            let at = *o;
            *o += l.len();
            Some((at, l))
        })
        .find(|(_, l)| l.starts_with("deployment") && l[10..].trim_start().starts_with(':'))
        .map_or(0, |(at, _)| at);
    let r = Reader { path, yaml, yaml_line, from, map };
    for k in map.keys() {
        match k {
            Value::String(s) if KEYS.contains(&s.as_str()) => {}
            Value::String(s) => {
                return Err(r.bad(s, format!("unknown key (the keys are {})", KEYS.join(", "))));
            }
            _ => return Err(Malformed::new(path, Some(top), "deployment: keys must be names")),
        }
    }
    let dtype = r.dtype("dtype")?.unwrap_or(Dtype::Bf16);
    let quantisation = match r.dtype("quantisation")? {
        Some(q) => Some(q),
        None => r.dtype("quantization")?,
    };
    let kv_dtype = r.dtype("kv_dtype")?.unwrap_or(Dtype::Bf16);
    let layers = r.whole("layers", 100_000)?;
    let kv_heads = r.whole("kv_heads", 100_000)?;
    let head_dim = r.whole("head_dim", 100_000)?;
    let attention = match (layers, kv_heads, head_dim) {
        (Some(layers), Some(kv_heads), Some(head_dim)) => Some(Attention { layers, kv_heads, head_dim }),
        (None, None, None) => None,
        _ => {
            let missing: Vec<&str> = [("layers", layers), ("kv_heads", kv_heads), ("head_dim", head_dim)]
                .iter()
                .filter(|(_, v)| v.is_none())
                .map(|(k, _)| *k)
                .collect();
            return Err(Malformed::new(
                path,
                Some(top),
                format!(
                    "deployment: layers, kv_heads and head_dim go together (the KV cache needs all three); {} missing",
                    missing.join(" and ")
                ),
            ));
        }
    };
    let context_length = r.whole("context_length", 100_000_000)?;
    let experts = experts(&r, path, top, total, active)?;
    Ok(Some(Deployment { dtype, quantisation, kv_dtype, attention, context_length, experts }))
}

fn experts(
    r: &Reader,
    path: &str,
    top: usize,
    total: Option<u64>,
    active: Option<u64>,
) -> Result<Option<Experts>, Malformed> {
    let count = r.whole("experts", 1_000_000)?;
    let per_token = r.whole("experts_per_token", 1_000_000)?;
    let shared_line = r.line("shared_parameters");
    let shared = parameter_count(path, shared_line, "deployment.shared_parameters", r.get("shared_parameters"), true)?;
    let (experts, per_token) = match (count, per_token) {
        (None, None) if shared.is_none() => return Ok(None),
        (Some(e), Some(k)) => (e, k),
        _ => {
            return Err(Malformed::new(
                path,
                Some(top),
                "deployment: a mixture of experts gives experts and experts_per_token together \
                 (and shared_parameters or the card's active_parameters)",
            ))
        }
    };
    if per_token > experts {
        return Err(r.bad("experts_per_token", format!("{per_token} is more than the {experts} experts")));
    }
    let Some(total) = total else {
        return Err(Malformed::new(path, Some(top), "deployment: experts are given but the card gives no parameters"));
    };
    let (e, k, t) = (f64::from(experts), f64::from(per_token), total as f64);
    let active_line = || key_line(r.yaml, r.yaml_line, "active_parameters", 0).unwrap_or(top);
    let (shared, shared_given) = match (shared, active) {
        (Some(s), _) => {
            if s > total {
                return Err(Malformed::new(
                    path,
                    Some(shared_line),
                    format!("deployment.shared_parameters: {s} is more than parameters ({total})"),
                ));
            }
            (s, true)
        }
        (None, Some(a)) if experts == per_token => {
            if a != total {
                return Err(Malformed::new(
                    path,
                    Some(active_line()),
                    format!("active_parameters: every expert is active ({per_token} of {experts}), so it must equal parameters ({total})"),
                ));
            }
            (0, false)
        }
        (None, Some(a)) => {
            // active = s + k (t − s) / e, solved for s.
            let s = (a as f64 - t * k / e) / (1.0 - k / e);
            if s < 0.0 {
                return Err(Malformed::new(
                    path,
                    Some(active_line()),
                    format!(
                        "active_parameters: {a} is fewer than {per_token} of {experts} experts' share of the parameters \
                         ({:.0}); the counts do not fit together",
                        t * k / e
                    ),
                ));
            }
            (s.round() as u64, false)
        }
        (None, None) => {
            return Err(Malformed::new(
                path,
                Some(top),
                "deployment: a mixture of experts needs shared_parameters or the card's active_parameters \
                 to know what every token uses",
            ))
        }
    };
    let per_expert = (t - shared as f64) / e;
    let computed = shared as f64 + k * per_expert;
    if let (true, Some(a)) = (shared_given, active) {
        if (computed - a as f64).abs() > ACTIVE_TOLERANCE * a as f64 {
            return Err(Malformed::new(
                path,
                Some(active_line()),
                format!(
                    "active_parameters: {a} differs by more than {}% from what the experts imply: \
                     shared {shared} + {per_token} × ({total} − {shared}) / {experts} = {computed:.0}",
                    ACTIVE_TOLERANCE * 100.0
                ),
            ));
        }
    }
    Ok(Some(Experts { experts, per_token, shared, shared_given, per_expert, active: computed }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(yaml: &str) -> Result<Option<Deployment>, Malformed> {
        let v: Mapping = serde_yaml_ng::from_str(yaml).unwrap();
        let total = parameter_count("c.md", 1, "parameters", v.get("parameters"), false)?;
        let active = parameter_count("c.md", 1, "active_parameters", v.get("active_parameters"), false)?;
        parse("c.md", yaml, 2, v.get("deployment"), total, active)
    }

    #[test]
    fn a_mixture_of_experts_derives_its_shared_parameters_from_active() {
        let d = read("parameters: 46700000000\nactive_parameters: 12900000000\ndeployment:\n  experts: 8\n  experts_per_token: 2\n")
            .unwrap()
            .unwrap();
        let e = d.experts.unwrap();
        assert!(!e.shared_given);
        assert!((e.active - 12.9e9).abs() < 1e3, "derived shared parameters reproduce the active count: {}", e.active);
        assert_eq!(e.shared, 1_633_333_333, "(12.9 − 46.7 × 2/8) / (1 − 2/8) billion");
    }

    #[test]
    fn inconsistent_counts_name_the_line() {
        let yaml = "parameters: 46700000000\nactive_parameters: 20000000000\ndeployment:\n  experts: 8\n  experts_per_token: 2\n  shared_parameters: 1600000000\n";
        let e = read(yaml).unwrap_err();
        assert_eq!(e.location.line, Some(3), "the active_parameters line (document line 3): {e:?}");
        let e = read("parameters: 100\ndeployment:\n  layers: 2\n  kv_heads: 0\n  head_dim: 3\n").unwrap_err();
        assert_eq!(e.location.line, Some(5), "kv_heads' own line: {e:?}");
        let e = read("parameters: 100\ndeployment:\n  dtype: fp7\n").unwrap_err();
        assert!(e.message.contains("fp7"), "{e:?}");
        let e = read("parameters: 100\ndeployment:\n  layer: 3\n").unwrap_err();
        assert!(e.message.contains("unknown key"), "a misspelt key is named: {e:?}");
        let e = read("parameters: 100\ndeployment:\n  experts: 4\n  experts_per_token: 8\n").unwrap_err();
        assert!(e.message.contains("more than the 4 experts"), "{e:?}");
    }

    #[test]
    fn absurd_counts_are_refused() {
        // 10^20 written as a whole number does not read as YAML at all here (beyond 64 bits):
        // card::tests checks that the card's error names its line.
        for (text, why) in [
            ("parameters: 0\n", "zero"),
            ("parameters: -7\n", "negative"),
            ("parameters: 1.0e20\n", "10^20 as a float"),
            ("parameters: 20000000000000000\n", "2 × 10^16"),
            ("parameters: 7.5\n", "a fraction"),
            ("parameters: .inf\n", "infinity"),
            ("parameters: 7B\n", "a string"),
        ] {
            let v: Mapping = serde_yaml_ng::from_str(text).unwrap();
            let e = parameter_count("c.md", 4, "parameters", v.get("parameters"), false)
                .expect_err(&format!("{why} must be refused"));
            assert_eq!((e.location.path.as_str(), e.location.line), ("c.md", Some(4)), "{why}: {e:?}");
        }
        assert!(check_counts("c.md", 3, Some(10), Some(11)).is_err(), "active above total");
    }
}
