//! Integrations with the tools Rust users already run, each behind its cargo feature.

#[cfg(feature = "ractor")]
pub mod ractor;
