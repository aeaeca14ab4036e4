//! The seal of the typestate and storage traits: the bottom layer, so that `config` and
//! `tags` can close their traits without importing the crate root.

/// Keeps the typestate and storage traits closed to other crates.
pub trait Sealed {}
