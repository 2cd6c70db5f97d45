//! The arithmetic of a deployment estimate: a pure function of the card's figures, the
//! accelerator table and the context and batch asked for. Every number is an `f64` (products
//! of bounded inputs stay far below its range), so nothing overflows.

use serde::Serialize;

use super::accelerators::{Accelerator, Table};
use super::deployment::{Deployment, Dtype};

pub const GB: f64 = 1e9;

/// What the estimate is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Tokens of context per sequence; `None` for the card's `context_length` (else 4,096).
    pub context: Option<std::num::NonZeroU32>,
    /// Sequences decoded together.
    pub batch: std::num::NonZeroU32,
}

impl Default for Options {
    fn default() -> Self {
        Options { context: None, batch: std::num::NonZeroU32::MIN }
    }
}

/// The context assumed when neither the caller nor the card gives one.
pub const DEFAULT_CONTEXT: u32 = 4096;

/// The inputs read from the card.
#[derive(Debug, Clone, Copy)]
pub struct Figures<'a> {
    pub parameters: Option<u64>,
    pub active_parameters: Option<u64>,
    pub deployment: Option<&'a Deployment>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Parameters {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: u64,
    /// Parameters one token uses.
    pub active: f64,
    /// How `active` was found: "card", "experts", or "dense" (all parameters).
    pub active_from: String,
    pub experts: Option<super::deployment::Experts>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KvCache {
    pub layers: u32,
    pub kv_heads: u32,
    pub head_dim: u32,
    pub dtype: Dtype,
    /// Bytes of cache one token of one sequence takes.
    pub bytes_per_token: f64,
    pub gb: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Fit {
    pub accelerator: Accelerator,
    /// Accelerators whose usable memory holds the weights and the KV cache.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: u64,
    /// Decode tokens per second of the whole batch.
    pub tokens_per_second: f64,
    pub usd_per_million_tokens: f64,
}

/// A formula as text: its general form and the same with this estimate's numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Formula {
    pub name: String,
    pub general: String,
    pub here: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Estimate {
    pub model: String,
    pub context: u32,
    pub batch: u32,
    /// `None` when the card gives no `parameters` (see `missing`).
    pub parameters: Option<Parameters>,
    /// The served weights' format.
    pub dtype: Dtype,
    pub weights_gb: Option<f64>,
    /// `None` when the card does not give the attention's shape (see `missing`).
    pub kv_cache: Option<KvCache>,
    /// Bytes one decode step reads, in GB: the weights its tokens use and the whole KV cache.
    pub step_read_gb: Option<f64>,
    /// One per accelerator of the table (or the one asked for), in the table's order.
    pub fits: Vec<Fit>,
    pub usable_memory: f64,
    pub bandwidth_efficiency: f64,
    pub formulas: Vec<Formula>,
    pub assumptions: Vec<String>,
    /// What the card would need for a complete estimate.
    pub missing: Vec<String>,
    /// Where the accelerator table was read (`policies/accelerators.toml` at a commit, or the
    /// built-in default when the record has none).
    pub table_source: String,
}

fn gb(bytes: f64) -> String {
    if bytes >= 1000.0 * GB {
        format!("{:.2} TB", bytes / 1e12)
    } else {
        format!("{:.1} GB", bytes / GB)
    }
}

fn count(n: f64) -> String {
    if n >= 1e12 {
        format!("{:.3}T", n / 1e12)
    } else if n >= 1e9 {
        format!("{:.2}B", n / 1e9)
    } else if n >= 1e6 {
        format!("{:.1}M", n / 1e6)
    } else {
        format!("{n:.0}")
    }
}

/// The estimate for `model` from its card's `figures`.
pub fn estimate(model: &str, figures: Figures, table: &Table, table_source: &str, options: Options) -> Estimate {
    let d = figures.deployment;
    let context =
        options.context.map(|c| c.get()).or_else(|| d.and_then(|d| d.context_length)).unwrap_or(DEFAULT_CONTEXT);
    let batch = options.batch.get();
    let dtype = d.map_or(Dtype::Bf16, |d| d.weights_dtype());
    let mut missing = Vec::new();
    let mut formulas = Vec::new();
    let mut assumptions = vec![
        "GB are 10^9 bytes; an accelerator's memory is its datasheet figure.".to_string(),
        format!(
            "Weights take {} bytes a parameter ({}){}; quantisation scales and zero points are not counted.",
            dtype.bytes(),
            dtype.as_str(),
            if d.is_none() { ", the default when the card has no deployment.dtype" } else { "" }
        ),
        format!(
            "Weights and KV cache may fill {:.0}% of an accelerator's memory (usable_memory); activations, the runtime and buffers take the rest.",
            table.usable_memory * 100.0
        ),
        format!(
            "Decoding is bound by memory bandwidth: a step reads the weights its tokens use and the whole KV cache once, at {:.0}% of peak bandwidth (bandwidth_efficiency); compute, communication between accelerators and prefill are not counted.",
            table.bandwidth_efficiency * 100.0
        ),
        format!("Every sequence holds its full context ({context} tokens), the worst case for memory and speed."),
        "Every layer and every expert is split evenly over the accelerators (tensor parallelism), so each reads an equal share of a step's bytes and their bandwidths add up; with many accelerators this is optimistic.".to_string(),
        "Cost is the accelerators' hourly price over the tokens they decode in an hour at that speed, without idle time.".to_string(),
    ];
    if options.context.is_none() && d.and_then(|d| d.context_length).is_none() {
        assumptions.push(format!(
            "The card gives no deployment.context_length: a context of {DEFAULT_CONTEXT} tokens is assumed."
        ));
    }
    let parameters = figures.parameters.map(|total| {
        let experts = d.and_then(|d| d.experts.clone());
        let (active, active_from) = match (&experts, figures.active_parameters) {
            (Some(e), _) if e.shared_given => (e.active, "experts"),
            (_, Some(a)) => (a as f64, "card"),
            (Some(e), None) => (e.active, "experts"),
            (None, None) => (total as f64, "dense"),
        };
        Parameters { total, active, active_from: active_from.to_string(), experts }
    });
    if parameters.is_none() {
        missing.push("parameters (the card's total parameter count)".to_string());
    }
    let weights = parameters.as_ref().map(|p| p.total as f64 * dtype.bytes());
    if let (Some(p), Some(w)) = (&parameters, weights) {
        formulas.push(Formula {
            name: "weights".into(),
            general: "weights = parameters × bytes per parameter".into(),
            here: format!("{} × {} B = {}", count(p.total as f64), dtype.bytes(), gb(w)),
        });
        if let Some(e) = &p.experts {
            let (how, general) = if e.shared_given {
                ("", "active = shared + experts_per_token × (parameters − shared) / experts")
            } else {
                (
                    " (shared derived from active_parameters)",
                    "shared = (active − parameters × experts_per_token / experts) / (1 − experts_per_token / experts)",
                )
            };
            formulas.push(Formula {
                name: "active parameters".into(),
                general: general.into(),
                here: format!(
                    "shared {} + {} × ({} − {}) / {} = {}{how}",
                    count(e.shared as f64),
                    e.per_token,
                    count(p.total as f64),
                    count(e.shared as f64),
                    e.experts,
                    count(e.active)
                ),
            });
        }
    }
    let kv_cache = d.and_then(|d| d.attention.as_ref().map(|a| (a, d.kv_dtype))).map(|(a, kv)| {
        let per_token = 2.0 * f64::from(a.layers) * f64::from(a.kv_heads) * f64::from(a.head_dim) * kv.bytes();
        let bytes = per_token * f64::from(context) * f64::from(batch);
        formulas.push(Formula {
            name: "KV cache".into(),
            general: "KV cache = 2 (keys and values) × layers × kv_heads × head_dim × bytes × context × batch".into(),
            here: format!(
                "2 × {} × {} × {} × {} B × {context} × {batch} = {}",
                a.layers,
                a.kv_heads,
                a.head_dim,
                kv.bytes(),
                gb(bytes)
            ),
        });
        KvCache {
            layers: a.layers,
            kv_heads: a.kv_heads,
            head_dim: a.head_dim,
            dtype: kv,
            bytes_per_token: per_token,
            gb: bytes / GB,
        }
    });
    if kv_cache.is_none() {
        missing.push("deployment.layers, kv_heads and head_dim (for the KV cache; counted as 0 without them)".into());
    }
    let kv_bytes = kv_cache.as_ref().map_or(0.0, |k| k.gb * GB);
    // What one step reads: for a mixture of experts, the batch's tokens may each pick other
    // experts, so up to batch × experts_per_token experts are read (never more than exist).
    let step_read = parameters.as_ref().map(|p| {
        let params = match &p.experts {
            Some(e) => {
                let read = (f64::from(batch) * f64::from(e.per_token)).min(f64::from(e.experts));
                e.shared as f64 + read * e.per_expert
            }
            None => p.active,
        };
        params * dtype.bytes() + kv_bytes
    });
    if let (Some(p), Some(read)) = (&parameters, step_read) {
        let general = if p.experts.is_some() {
            "step read = (shared + min(experts, batch × experts_per_token) × parameters per expert) × bytes + KV cache"
        } else {
            "step read = active parameters × bytes + KV cache"
        };
        formulas.push(Formula { name: "bytes read per decode step".into(), general: general.into(), here: gb(read) });
        if p.experts.is_some() {
            assumptions.push(
                "In a batch, each token of a mixture of experts is assumed to pick experts no other token picked (the most a step can read)."
                    .into(),
            );
        }
    }
    let fits: Vec<Fit> = match (weights, step_read) {
        (Some(w), Some(read)) => table
            .accelerators
            .iter()
            .map(|a| {
                let usable = a.memory_gb * GB * table.usable_memory;
                let n = ((w + kv_bytes) / usable).ceil().max(1.0);
                let bandwidth = n * a.bandwidth_gb_s * GB * table.bandwidth_efficiency;
                let tokens_per_second = f64::from(batch) * bandwidth / read;
                let usd = a.usd_per_hour * n / (tokens_per_second * 3600.0) * 1e6;
                Fit {
                    accelerator: a.clone(),
                    // Saturates on absurd inputs rather than wrapping.
                    count: n as u64,
                    tokens_per_second,
                    usd_per_million_tokens: usd,
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    if let (Some(f), Some(w), Some(read)) = (fits.first(), weights, step_read) {
        let a = &f.accelerator;
        formulas.push(Formula {
            name: "accelerators".into(),
            general: "accelerators = ceil((weights + KV cache) / (memory × usable_memory))".into(),
            here: format!(
                "{}: ceil(({} + {}) / ({} GB × {})) = {}",
                a.id,
                gb(w),
                gb(kv_bytes),
                a.memory_gb,
                table.usable_memory,
                f.count
            ),
        });
        formulas.push(Formula {
            name: "tokens per second".into(),
            general: "tokens/s = batch × accelerators × bandwidth × bandwidth_efficiency / step read".into(),
            here: format!(
                "{}: {batch} × {} × {} GB/s × {} / {} = {:.1}",
                a.id,
                f.count,
                a.bandwidth_gb_s,
                table.bandwidth_efficiency,
                gb(read),
                f.tokens_per_second
            ),
        });
        formulas.push(Formula {
            name: "cost per million tokens".into(),
            general: "USD per 1M tokens = price per hour × accelerators / (tokens/s × 3600) × 10^6".into(),
            here: format!(
                "{}: {} × {} / ({:.1} × 3600) × 10^6 = {:.2} USD",
                a.id, a.usd_per_hour, f.count, f.tokens_per_second, f.usd_per_million_tokens
            ),
        });
    }
    Estimate {
        model: model.to_string(),
        context,
        batch,
        parameters,
        dtype,
        weights_gb: weights.map(|w| w / GB),
        kv_cache,
        step_read_gb: step_read.map(|r| r / GB),
        fits,
        usable_memory: table.usable_memory,
        bandwidth_efficiency: table.bandwidth_efficiency,
        formulas,
        assumptions,
        missing,
        table_source: table_source.to_string(),
    }
}
