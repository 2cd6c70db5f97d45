//! Evidence: opening evidence files in the app, and attaching evidence while signing.
