//! Phase A of the RFC: key/value tags carried by a failure.
//!
//! A failure's tags live in a fixed-capacity buffer chosen by type:
//!
//! - [`BoundedTags<N>`]: a `heapless::Vec`; never allocates; tags beyond `N` are
//!   dropped and counted (never a panic).
//! - [`SpillingTags<N>`]: a `SmallVec`; inline up to `N`, on the heap beyond, up to
//!   [`SPILLING_TAG_LIMIT`] (128) tags; keys beyond the limit are dropped and counted.
//!
//! [`DefaultTags`] is `SpillingTags<DEFAULT_TAG_CAPACITY>` with the `std` feature and
//! `BoundedTags<DEFAULT_TAG_CAPACITY>` without it. The capacity must lie in
//! `1..=MAX_TAG_CAPACITY`; any other value does not compile.
//!
//! Keys written in the source go through [`key!`](crate::key) or [`tag!`](crate::tag),
//! which reject an empty key or one that is not a metric label name
//! ([`is_label_name`]) while compiling.

mod bounded;
mod capacity;
mod error;
mod insert;
pub mod keys;
mod label;
mod list;
mod macros;
mod spilling;
mod storage;
mod tag;

pub use bounded::BoundedTags;
pub use capacity::{MAX_TAG_CAPACITY, SPILLING_TAG_LIMIT, SupportedTagCapacity, TagCapacity};
pub use error::TagError;
pub(crate) use insert::insert_tag;
pub use label::is_label_name;
pub use list::{TagListError, check_tag_list};
#[doc(hidden)]
pub use macros::__is_string_literal;
pub use spilling::SpillingTags;
pub use storage::TagStorage;
pub use tag::{TelemetryKey, TelemetryTag, TelemetryValue};

/// The tag capacity used when none is named: 4, as in the RFC.
pub const DEFAULT_TAG_CAPACITY: usize = 4;

/// The default tag storage: spilling with `std`, bounded without.
#[cfg(feature = "std")]
pub type DefaultTags = SpillingTags<DEFAULT_TAG_CAPACITY>;

/// The default tag storage: spilling with `std`, bounded without.
#[cfg(not(feature = "std"))]
pub type DefaultTags = BoundedTags<DEFAULT_TAG_CAPACITY>;
