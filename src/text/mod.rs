//! Text shown to people: the one-line escaping, and bounded excerpts of bad input in
//! error messages.
//!
//! The lowest layer of the crate: it imports nothing from it, so `tags/`, `failure/` and
//! `telemetry/` all build on it without importing each other.

// Only deserialization and the cluster wire decoder report errors that quote input.
#[cfg(any(feature = "serde", feature = "cluster"))]
mod excerpt;
mod line;

#[cfg(any(feature = "serde", feature = "cluster"))]
pub(crate) use excerpt::Excerpt;
#[cfg(feature = "serde")]
pub(crate) use excerpt::bound_error;
// `bound_error` uses it inside `excerpt`; outside, only the cluster wire does.
#[cfg(feature = "cluster")]
pub(crate) use excerpt::bounded_message;
pub(crate) use line::{write_quoted, write_token};
