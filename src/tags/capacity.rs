//! Compile-time validation of tag capacities.

/// The largest tag capacity a storage may declare.
///
/// Both storages keep their capacity inline (a spilling storage of capacity `N` is
/// `N` tags wide on the stack), so an upper bound keeps a `FailureInfo` small enough to
/// move cheaply.
pub const MAX_TAG_CAPACITY: usize = 32;

/// The most tags a [`SpillingTags`](super::SpillingTags) keeps, inline and on the heap
/// together; a new key beyond it is dropped and counted like a bounded storage's.
///
/// Keys can come from outside (tenant ids, headers), and every insert looks for its key
/// among the stored ones: the limit keeps that search, and so `n` inserts, linear in `n`
/// (at most 128 comparisons each), and the memory a failure can pin bounded. 128 is the
/// OpenTelemetry SDK's default attribute count limit: an exporter would drop tags
/// beyond it anyway.
pub const SPILLING_TAG_LIMIT: usize = 128;

/// A capacity `N` as a type, so that it can be checked by a trait bound.
#[derive(Debug, Clone, Copy, Default)]
pub struct TagCapacity<const N: usize>;

/// Implemented for `TagCapacity<N>` with `N` in `1..=MAX_TAG_CAPACITY`.
///
/// Tag storages require it, so a capacity of 0 or above the maximum is a compile error.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a supported tag capacity: use a capacity from 1 to 32 (`MAX_TAG_CAPACITY`)",
    label = "tag capacity out of range",
    note = "a storage with no room would drop every tag; a larger one would make every `FailureInfo` huge: `DEFAULT_TAG_CAPACITY` (4) is a good start"
)]
pub trait SupportedTagCapacity: crate::sealed::Sealed {}

macro_rules! supported_capacities {
    ($($n:literal)*) => {
        $(
            impl crate::sealed::Sealed for TagCapacity<$n> {}
            impl SupportedTagCapacity for TagCapacity<$n> {}
        )*
    };
}

supported_capacities!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32);

static_assertions::const_assert_eq!(MAX_TAG_CAPACITY, 32);
