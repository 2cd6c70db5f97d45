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

/// The id git gives `models/<model>` when it holds only `card.md`.
pub(super) fn model_tree_id(card: &[u8]) -> Result<Oid> {
    let blob = Oid::hash_object(ObjectType::Blob, card)?;
    let mut tree = b"100644 card.md\0".to_vec();
    tree.extend_from_slice(blob.as_bytes());
    Ok(Oid::hash_object(ObjectType::Tree, &tree)?)
}
