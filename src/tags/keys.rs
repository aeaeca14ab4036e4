//! Keys of the tags that [`FailureMetadata`](crate::FailureMetadata) sets for its
//! well-known fields, checked like every literal key (`key!`).

/// Key of the tag set by `FailureMetadata::with_component`.
pub const COMPONENT: &str = crate::key!("component");
/// Key of the tag set by `FailureMetadata::with_endpoint`.
pub const ENDPOINT: &str = crate::key!("endpoint");
/// Key of the tag set by `FailureMetadata::with_transport`.
pub const TRANSPORT: &str = crate::key!("transport");
