//! How Sentry groups failures into issues.

use alloc::borrow::Cow;
use alloc::format;
use alloc::vec::Vec;

use crate::storms::StormSignature;
use crate::telemetry::FailureSnapshot;

/// The first part of every fingerprint: says where the grouping comes from.
pub(crate) const FINGERPRINT_PREFIX: &str = "escalation_telemetry";

/// The fingerprint of a failure's Sentry event: [`FINGERPRINT_PREFIX`], then the storm
/// signature's 64-bit fingerprint in hex ([`StormSignature::fingerprint`], the value the
/// storm limit keys on).
///
/// Sentry groups events with the same fingerprint into one issue, so the failures one
/// storm policy counts as one storm (by default: the same path and description, a crash
/// loop) are one Sentry issue, and nothing else is. The hash keeps the fingerprint
/// short whatever the description's length; the readable path and description are in
/// the event's message and context.
pub(crate) fn fingerprint(
    signature: &StormSignature,
    snapshot: &FailureSnapshot<'_>,
) -> Vec<Cow<'static, str>> {
    alloc::vec![
        Cow::Borrowed(FINGERPRINT_PREFIX),
        Cow::Owned(format!("{:016x}", signature.fingerprint(snapshot))),
    ]
}
