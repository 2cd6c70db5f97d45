//! The Tauri commands, grouped by domain. Each takes the state, calls the library, and maps
//! the error to `{code, message, field}`; anything more belongs in the library.

pub mod bom;
pub mod cards;
pub mod desk;
pub mod estimate;
pub mod lifecycle;
pub mod people;
pub mod preferences;
pub mod proposals;
pub mod record;
pub mod report;
pub mod repository;
pub mod repro;
pub mod search;
pub mod sync;
