//! Keys of the tags that [`FailureMetadata`](crate::FailureMetadata) sets for its
//! well-known fields.

/// Key of the tag set by `FailureMetadata::with_component`.
pub const COMPONENT: &str = "component";
/// Key of the tag set by `FailureMetadata::with_endpoint`.
pub const ENDPOINT: &str = "endpoint";
/// Key of the tag set by `FailureMetadata::with_transport`.
pub const TRANSPORT: &str = "transport";
