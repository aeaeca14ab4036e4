//! The instrument names and latency buckets, kept at this path for existing imports:
//! the table itself, with every event's help text, kind and unit, is
//! [`metrics::instruments`](crate::metrics::instruments).

pub use crate::metrics::instruments::{
    BUILDER_PANICS_TOTAL, CLOCK_PANICS_TOTAL, FORWARD_DROPPED_TOTAL, HANDLER_PANICS_TOTAL,
    INSTRUMENTS, INVOCATIONS_TOTAL, LATENCY_BUCKETS_SECONDS, LATENCY_SECONDS,
    LISTENER_PANICS_TOTAL, PANICS_TOTAL, SUPPRESSED_TOTAL, TAGS_DROPPED_TOTAL,
};
