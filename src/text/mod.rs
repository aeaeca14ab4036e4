//! Text shown to people: the one-line escaping, and bounded excerpts of bad input in
//! error messages.
//!
//! The lowest layer of the crate: it imports nothing from it, so `tags/`, `failure/` and
//! `telemetry/` all build on it without importing each other.

mod excerpt;
mod line;

pub(crate) use excerpt::Excerpt;
#[cfg(feature = "serde")]
pub(crate) use excerpt::bound_error;
pub use excerpt::{MAX_ERROR_MESSAGE_LEN, bounded_message};
pub(crate) use line::{write_quoted, write_token};
