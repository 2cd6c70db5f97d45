//! The Tauri commands, grouped by domain. Each takes the state, calls the library, and maps
//! the error to `{code, message, field}`; anything more belongs in the library.

pub mod cards;
pub mod desk;
pub mod lifecycle;
pub mod people;
pub mod proposals;
pub mod record;
pub mod report;
pub mod repository;
pub mod search;
pub mod sync;
