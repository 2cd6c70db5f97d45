//! The reproducibility manifest, `models/<model>/reproducibility.toml` (docs/format.md,
//! "The reproducibility manifest"): seeds, tokenizer and preprocessing files, dataset
//! revisions, evaluation harnesses, container digests, and artifacts with their SHA-256.
//!
//! `manifest` parses and checks the file (every path and digest before anything is hashed);
//! `check` hashes what it names: files of the model's folder from git's tree, and artifacts
//! kept outside git from a folder the caller gives (`artifacts`, the one place that reads the
//! caller's disk).

pub mod artifacts;
pub mod check;
pub mod manifest;

pub use check::{check, view, FileCheck, FileStatus, ReproCheck, ReproSummary};
pub use manifest::{Kept, Manifest, Role, MANIFEST};
