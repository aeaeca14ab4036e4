//! How Sentry groups failures into issues.

use alloc::borrow::Cow;
use alloc::string::ToString;
use alloc::vec::Vec;

use crate::telemetry::FailureSnapshot;

/// The fingerprint of a failure's Sentry event: its path, then its description.
///
/// Sentry groups events with the same fingerprint into one issue, so every failure of
/// the same actor position with the same description (a crash loop: the same actor
/// restarted and failing the same way) is one issue with many events, not one issue
/// per event; a different description or position is a different issue.
pub(crate) fn fingerprint(snapshot: &FailureSnapshot<'_>) -> Vec<Cow<'static, str>> {
    let path = snapshot.path().to_string();
    let description = snapshot.description().to_string();
    alloc::vec![Cow::Owned(path), Cow::Owned(description)]
}
