//! Text shown to people: the one-line escaping, and bounded excerpts of bad input in
//! error messages.
//!
//! The lowest layer of the crate: it imports nothing from it, so `tags/`, `failure/` and
//! `telemetry/` all build on it without importing each other.

// Only deserialization reports errors that quote input.
#[cfg(feature = "serde")]
mod excerpt;
mod line;

#[cfg(feature = "serde")]
pub(crate) use excerpt::{Excerpt, bound_error};
pub(crate) use line::{write_quoted, write_token};
