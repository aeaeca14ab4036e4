//! The failures the one-line and JSON form tests print: `disk full` at `/1/4/9`. Each
//! test includes it as `mod support { pub(crate) mod failures; }`.

use escalation_telemetry::prelude::*;

/// The path of these ids, from the root.
pub(crate) fn path(ids: &[u64]) -> ActorPath {
    ids.iter().copied().map(ActorId).collect()
}

/// Actor 9 at `/1/4/9` failed with `disk full`, carrying `metadata`.
pub(crate) fn storage_failure_with(
    metadata: FailureMetadata<SpillingTags<4>>,
) -> FailureInfo<SpillingTags<4>> {
    FailureInfo::new(
        ActorId(9),
        path(&[1, 4, 9]),
        ActorFailure::from_message("disk full"),
    )
    .with_metadata(metadata)
}
