//! Gatehouse: a consortium's governance record for large AI models, kept in git.
//!
//! The library reads and writes a governance repository as `docs/format.md` specifies. It does no
//! terminal I/O, reads no environment variables and knows nothing of any front end; the
//! `gatehouse` CLI and the desktop app are thin layers over it.

pub mod acting;
pub mod actions;
pub mod attest;
pub mod bom;
pub mod card;
pub mod card_check;
mod chars;
pub mod checklist;
pub mod checklist_versions;
pub mod checkout;
pub mod consortium;
pub mod error;
pub mod estimate;
pub mod framework;
pub mod frontmatter;
pub mod gitindex;
pub mod id;
pub mod index;
pub mod keys;
pub mod limits;
pub mod link;
pub mod model_index;
pub mod pack;
pub mod paths;
pub mod policy;
pub mod progress;
pub mod proposal;
pub mod record;
pub mod registration;
pub mod render;
pub mod repo;
pub mod report;
pub mod repro;
pub mod rules;
pub mod search;
pub mod signing;
pub mod signoff;
pub mod sync;
pub mod trailers;
pub mod treediff;
pub mod verify;
pub mod views;
pub mod witness;
pub mod words;
pub mod write;

pub use error::{Error, Result};
pub use repo::Governance;
