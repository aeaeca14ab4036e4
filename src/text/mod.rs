//! Text shown to people: the one-line escaping, and bounded excerpts of bad input in
//! error messages.
//!
//! The lowest layer of the crate: it imports nothing from it, so `tags/`, `failure/` and
//! `telemetry/` all build on it without importing each other.

mod excerpt;
mod hex;
mod line;

pub(crate) use excerpt::Excerpt;
#[cfg(feature = "serde")]
pub(crate) use excerpt::bound_error;
pub use excerpt::{MAX_ERROR_MESSAGE_LEN, bounded_message};
#[cfg_attr(
    not(feature = "serde"),
    allow(unused_imports, reason = "the serde form and the tracing event use it")
)]
pub(crate) use hex::Hex;
pub(crate) use line::{QuotedList, write_quoted, write_token};
