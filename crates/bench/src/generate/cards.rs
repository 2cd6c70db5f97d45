//! The synthetic models' cards (Hugging Face-style), and the tree id a card's folder gets.

use anyhow::Result;
use gatehouse::consortium::Member;
use git2::{ObjectType, Oid};

use super::BATCH;

pub(super) const FAMILIES: &[(&str, &str, u64, Option<u64>)] = &[
    // (id stem, architecture, parameters, active parameters for a mixture of experts)
    ("tpc-sci", "decoder-only transformer", 34_000_000_000, None),
    ("switch", "decoder-only sparse MoE, top-1 routing", 1_600_000_000_000, Some(1_400_000_000)),
    ("aurora-chem", "decoder-only transformer", 200_000_000_000, None),
    ("baseline", "decoder-only transformer", 1_400_000_000, None),
    ("fugaku-moe", "decoder-only sparse MoE, top-2 routing", 480_000_000_000, Some(36_000_000_000)),
    ("climate-fm", "encoder-decoder transformer", 7_000_000_000, None),
];
/// Each family's `deployment:` mapping (docs/format.md, "Deployment estimate"): dense and
/// mixture-of-experts shapes, in different number formats, so that the estimates differ and the
/// cheapest accelerator of the table is not the same for every model.
const DEPLOYMENTS: &[&str] = &[
    "  dtype: bf16\n  layers: 48\n  kv_heads: 8\n  head_dim: 128\n  context_length: 16384\n",
    "  dtype: bf16\n  layers: 15\n  kv_heads: 32\n  head_dim: 64\n  context_length: 2048\n  experts: 2048\n  experts_per_token: 1\n",
    "  dtype: bf16\n  quantisation: fp8\n  layers: 96\n  kv_heads: 8\n  head_dim: 128\n  context_length: 8192\n",
    "  dtype: bf16\n  layers: 24\n  kv_heads: 16\n  head_dim: 128\n  context_length: 2048\n",
    "  dtype: bf16\n  kv_dtype: fp8\n  layers: 64\n  kv_heads: 8\n  head_dim: 128\n  context_length: 32768\n  experts: 64\n  experts_per_token: 2\n",
    "  dtype: fp32\n  quantisation: int4\n  layers: 32\n  kv_heads: 32\n  head_dim: 128\n  context_length: 4096\n",
];
pub(super) const LICENSES: &[&str] = &["apache-2.0", "mit", "cc-by-4.0", "llama3.1", "openrail"];
pub(super) const LANGUAGES: &[&[&str]] = &[&["en"], &["en", "ja"], &["en", "es", "ca"], &["en", "de", "fr"]];

pub(super) fn card(n: usize, id: &str, org: &str, owners: &[&Member]) -> String {
    let (stem, arch, params, active) = FAMILIES[n % FAMILIES.len()];
    let scale = 1 + (n / FAMILIES.len()) % 4;
    let mut s = String::from("---\n");
    s += &format!("license: {}\n", LICENSES[n % LICENSES.len()]);
    s += "language:\n";
    for l in LANGUAGES[n % LANGUAGES.len()] {
        s += &format!("  - {l}\n");
    }
    s += "library_name: transformers\npipeline_tag: text-generation\n";
    s += &format!("tags:\n  - tpc\n  - {stem}\n  - batch-{}\n", n / BATCH);
    s += "datasets:\n  - HuggingFaceFW/fineweb\n  - wikimedia/wikipedia\n";
    if n.is_multiple_of(3) {
        s += "  - bigcode/the-stack-v2-dedup\n";
    }
    s += &format!("org: {org}\nowners:\n");
    for o in owners {
        s += &format!("  - {}\n", o.id);
    }
    s += &format!("parameters: {}\n", params * scale as u64);
    if let Some(a) = active {
        s += &format!("active_parameters: {}\n", a * scale as u64);
    }
    s += &format!("architecture: {arch}\n");
    s += "deployment:\n";
    s += DEPLOYMENTS[n % FAMILIES.len()];
    s += &format!("model-index:\n  - name: {id}\n    results: []\n");
    s += "---\n";
    s += &format!("# {id}\n\n");
    s += &format!(
        "A synthetic model card (number {n}) made by gatehouse-bench. A {arch} with {} \
         parameters, trained by {org} for the consortium's science workloads.\n\n",
        params * scale as u64
    );
    s += "## Intended use\n\nResearch on scientific text, code and simulation data.\n\n";
    s += "## Evaluation\n\nSee evidence/ (none in this synthetic history).\n";
    s
}

/// A license bill of materials (`bom.toml`) for some models: those released under a license
/// the SPDX list holds, every other one of them. The others' bills derive from their cards.
pub(super) fn bom(n: usize) -> Option<String> {
    let spdx = match LICENSES[n % LICENSES.len()] {
        "apache-2.0" => "Apache-2.0",
        "mit" => "MIT",
        "cc-by-4.0" => "CC-BY-4.0",
        _ => return None,
    };
    if !(n / LICENSES.len()).is_multiple_of(2) {
        return None;
    }
    let mut s = String::from("# A synthetic bill of materials made by gatehouse-bench.\nformat = 1\n\n");
    s += &format!("[weights]\nlicense = \"{spdx}\"\nrevision = \"v1\"\n\n");
    s += "[[code]]\nname = \"tpc-megatron\"\nlicense = \"Apache-2.0 AND BSD-3-Clause\"\n";
    s += "source = \"https://git.tpc-consortium.org/train/tpc-megatron\"\nrevision = \"2319e3fb8e797eed2fa86b2e939be2893976953b\"\n\n";
    let mut datasets = vec![
        ("HuggingFaceFW/fineweb", "ODC-By-1.0", "https://huggingface.co/datasets/HuggingFaceFW/fineweb"),
        ("wikimedia/wikipedia", "CC-BY-SA-4.0", "https://dumps.wikimedia.org"),
    ];
    if n.is_multiple_of(3) {
        datasets.push((
            "bigcode/the-stack-v2-dedup",
            "LicenseRef-the-stack-terms-of-use",
            "https://huggingface.co/datasets/bigcode/the-stack-v2-dedup",
        ));
    }
    for (name, license, source) in datasets {
        s += &format!("[[dataset]]\nname = \"{name}\"\nlicense = \"{license}\"\nsource = \"{source}\"\n\n");
    }
    Some(s)
}

/// The id git gives `models/<model>` when it holds only `files` (names in git's order: a
/// folder's entries sorted by name).
pub(super) fn model_tree_id(files: &[(&str, &[u8])]) -> Result<Oid> {
    let mut tree = Vec::new();
    for (name, bytes) in files {
        let blob = Oid::hash_object(ObjectType::Blob, bytes)?;
        tree.extend_from_slice(format!("100644 {name}\0").as_bytes());
        tree.extend_from_slice(blob.as_bytes());
    }
    Ok(Oid::hash_object(ObjectType::Tree, &tree)?)
}
