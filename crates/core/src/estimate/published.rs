//! The estimate against figures published for public models, as a table.
//!
//! Each card below is written from the model's published configuration (its `config.json`
//! on Hugging Face: layers, KV heads, head dimension; the parameter counts computed from it
//! agree with the counts the publishers state). The expected values are the figures the
//! publishers (or the Hugging Face release posts) state, never values computed by this code.
//!
//! Tolerance: 2%. Published figures are rounded to two or three significant figures
//! ("12.9B", "810 GB"), which alone moves them by up to 0.5%; the rest allows for counts
//! given in round billions (405B stands for 405.85B). A formula error (a missing factor of 2
//! for keys and values, bytes per parameter, experts per token) moves a figure by 25% or more,
//! far outside it.

use super::{for_card, Options, Table};
use crate::card::Card;

const TOLERANCE: f64 = 0.02;

// Mixtral 8x7B (mixture of experts): 8 experts, 2 per token; 32 layers, 8 KV heads of 128.
// shared_parameters = attention, router and norms of 32 layers + embeddings and output head,
// from the config (hidden 4096, vocabulary 32000).
const MIXTRAL: &str = "---\nparameters: 46702792704\ndeployment:\n  dtype: bf16\n  layers: 32\n  kv_heads: 8\n  head_dim: 128\n  context_length: 32768\n  experts: 8\n  experts_per_token: 2\n  shared_parameters: 1605636096\n---\n# Mixtral 8x7B\n";

// Llama 3.1 405B (above 100B, dense): 126 layers, 8 KV heads of 128, context 128K.
const LLAMA_405B: &str = "---\nparameters: 405853388800\ndeployment:\n  dtype: bf16\n  layers: 126\n  kv_heads: 8\n  head_dim: 128\n  context_length: 131072\n---\n# Llama 3.1 405B\n";

// Llama 3.1 70B (dense): 80 layers, 8 KV heads of 128.
const LLAMA_70B: &str = "---\nparameters: 70553706496\ndeployment:\n  dtype: bf16\n  layers: 80\n  kv_heads: 8\n  head_dim: 128\n  context_length: 131072\n---\n# Llama 3.1 70B\n";

// Mistral 7B (dense): 32 layers, 8 KV heads of 128.
const MISTRAL_7B: &str =
    "---\nparameters: 7241732096\ndeployment:\n  layers: 32\n  kv_heads: 8\n  head_dim: 128\n---\n# Mistral 7B\n";

fn card(text: &str) -> Card {
    Card::parse("models/m/card.md", "m", text).expect("the table's cards read")
}

fn with(text: &str, from: &str, to: &str) -> Card {
    card(&text.replacen(from, to, 1))
}

fn options(context: u32) -> Options {
    Options { context: std::num::NonZeroU32::new(context), ..Options::default() }
}

fn within(what: &str, got: f64, published: f64) {
    let off = (got - published).abs() / published;
    assert!(off <= TOLERANCE, "{what}: estimated {got}, published {published} ({:.2}% off, tolerance 2%)", off * 100.0);
}

#[test]
fn the_estimate_agrees_with_published_figures() {
    let table = Table::parse(Table::default_text()).unwrap();
    let est = |c: &Card, context: u32| for_card("m", c, &table, "default", options(context), None).unwrap();
    let gib = 1024f64.powi(3) / 1e9;

    // (what, estimated, published; where it was published)
    let rows: Vec<(&str, f64, f64)> = vec![
        // Mistral AI, "Mixtral of experts" (announcement, December 2023): "46.7B total
        // parameters but only uses 12.9B parameters per token".
        ("Mixtral 8x7B total parameters", est(&card(MIXTRAL), 1).parameters.unwrap().total as f64, 46.7e9),
        ("Mixtral 8x7B active parameters", est(&card(MIXTRAL), 1).parameters.unwrap().active, 12.9e9),
        // Hugging Face, "Llama 3.1 - 405B, 70B & 8B with multilinguality and long context"
        // (July 2024), inference memory table: 405B needs 810 GB in FP16, 405 GB in FP8,
        // 203 GB in INT4; 70B needs 140 GB in FP16. Meta's Llama 3.1 model card: 405B parameters.
        ("Llama 3.1 405B parameters", est(&card(LLAMA_405B), 1).parameters.unwrap().total as f64, 405e9),
        ("Llama 3.1 405B weights, bf16", est(&card(LLAMA_405B), 1).weights_gb.unwrap(), 810.0),
        (
            "Llama 3.1 405B weights, fp8",
            est(&with(LLAMA_405B, "dtype: bf16", "dtype: bf16\n  quantisation: fp8"), 1).weights_gb.unwrap(),
            405.0,
        ),
        (
            "Llama 3.1 405B weights, int4",
            est(&with(LLAMA_405B, "dtype: bf16", "dtype: bf16\n  quantisation: int4"), 1).weights_gb.unwrap(),
            203.0,
        ),
        ("Llama 3.1 70B weights, bf16", est(&card(LLAMA_70B), 1).weights_gb.unwrap(), 140.0),
        // The same post's KV-cache table: 70B at 128k (128,000) tokens in FP16, 39.06 "GB",
        // which its figures show are GiB (2^30 bytes).
        ("Llama 3.1 70B KV cache, 128k tokens", est(&card(LLAMA_70B), 128_000).kv_cache.unwrap().gb, 39.06 * gib),
        // Mistral AI, "Mistral 7B" (announcement, September 2023): "a 7.3B parameter model".
        ("Mistral 7B parameters", est(&card(MISTRAL_7B), 1).parameters.unwrap().total as f64, 7.3e9),
    ];
    for (what, got, published) in rows {
        within(what, got, published);
    }

    // Meta (Llama 3.1 release, July 2024): the 405B model in FP8 runs on a single server node
    // of eight H100 80GB; in BF16 it needs more than one node.
    let h100 =
        |c: &Card| for_card("m", c, &table, "default", options(8192), Some("nvidia-h100-80gb")).unwrap().fits[0].count;
    let fp8 = h100(&with(LLAMA_405B, "dtype: bf16", "dtype: bf16\n  quantisation: fp8"));
    assert!(fp8 <= 8, "405B in fp8 fits one eight-GPU H100 node, as published: estimated {fp8}");
    let bf16 = h100(&card(LLAMA_405B));
    assert!(bf16 > 8 && bf16 <= 16, "405B in bf16 needs two nodes, as published: estimated {bf16}");
}

#[test]
fn a_mixture_of_experts_reads_what_its_tokens_use() {
    // Why the issue asks for expert-aware estimates: a 1.6T mixture with one expert of 2048
    // per token reads about as much per token as a dense model of its active size, while all
    // its weights must sit in memory.
    let table = Table::parse(Table::default_text()).unwrap();
    let moe = card("---\nparameters: 1600000000000\nactive_parameters: 1400000000\ndeployment:\n  layers: 15\n  kv_heads: 32\n  head_dim: 64\n  experts: 2048\n  experts_per_token: 1\n---\n");
    let e = for_card("m", &moe, &table, "default", options(2048), Some("nvidia-h100-80gb")).unwrap();
    within("weights of 1.6T in bf16", e.weights_gb.unwrap(), 3200.0);
    let read_weights = e.step_read_gb.unwrap() - e.kv_cache.as_ref().unwrap().gb;
    within("weights read per token", read_weights, 2.8);
    assert!(e.fits[0].count >= 45, "3.2 TB over 72 usable GB needs 45 H100s: {}", e.fits[0].count);
    let batch = for_card(
        "m",
        &moe,
        &table,
        "default",
        Options { batch: std::num::NonZeroU32::new(4096).unwrap(), ..options(2048) },
        None,
    )
    .unwrap();
    assert!(
        batch.step_read_gb.unwrap() - batch.kv_cache.as_ref().unwrap().gb <= 3200.0 + 1e-6,
        "a large batch never reads more experts than exist"
    );
    for f in &batch.fits {
        assert!(f.tokens_per_second.is_finite() && f.usd_per_million_tokens.is_finite(), "{f:?}");
    }
}
