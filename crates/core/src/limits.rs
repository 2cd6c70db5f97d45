//! How much of a file the library is willing to read. Files in a governance repository come
//! from every member and every clone, so a broken or hostile one must cost a clear error, not
//! a hang, a crash or a stack overflow. Each limit sits far above what a real record needs and
//! is checked before the expensive parsing it protects. docs/format.md lists them ("Limits").

use crate::error::Malformed;

/// A Markdown document: a model card, a policy, a checklist. Also the ceiling for any text
/// file read out of a tree, so nothing larger is ever copied and decoded.
pub const MAX_MARKDOWN_BYTES: usize = 1024 * 1024;

/// The YAML front matter of a document; a model card's metadata is a few kilobytes.
pub const MAX_FRONT_MATTER_BYTES: usize = 256 * 1024;

/// How deeply front matter may nest mappings and lists. A Hugging Face `model-index` needs
/// about six levels; serde_yaml_ng's own limit (128) only guards its stack.
pub const MAX_YAML_DEPTH: usize = 32;

/// Items in one checklist; a reviewer ticks each one.
pub const MAX_CHECKLIST_ITEMS: usize = 1000;

/// A sign-off file: fields, item states and short notes.
pub const MAX_SIGNOFF_BYTES: usize = 256 * 1024;

/// `policies/accelerators.toml`, the deployment estimate's table, and its rows.
pub const MAX_ACCELERATOR_TABLE_BYTES: usize = 256 * 1024;
pub const MAX_ACCELERATORS: usize = 200;

/// `consortium.toml`: members with their keys.
pub const MAX_CONSORTIUM_BYTES: usize = 1024 * 1024;

/// One evidence file added with `model add/update`: the most a common git host (GitHub)
/// accepts in one file; larger artefacts belong elsewhere, named in a small evidence file.
pub const MAX_EVIDENCE_BYTES: usize = 100 * 1024 * 1024;

/// Markdown containers (block quotes, lists) rendered nested; deeper ones are rendered flat.
pub const MAX_RENDER_DEPTH: usize = 64;

/// Raw HTML tags rendered in one document; later ones are shown as text. A card with an HTML
/// table of results has a few hundred.
pub const MAX_HTML_TAGS: usize = 5_000;

/// A model's `bom.toml`: a list of components with their licenses.
pub const MAX_BOM_BYTES: usize = 256 * 1024;

/// Components one `bom.toml` may list.
pub const MAX_BOM_COMPONENTS: usize = 1000;

/// Refuses `len` bytes of `path` when more than `max`, naming what kind of file it is.
pub fn check_size(path: &str, what: &str, len: usize, max: usize) -> Result<(), Malformed> {
    if len > max {
        return Err(Malformed::new(path, None, format!("{what} is {} bytes; at most {} are read", len, human(max))));
    }
    Ok(())
}

fn human(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else if bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{} KiB", bytes / 1024)
    }
}
