//! A [`FailureInfo`]'s view for telemetry and its one line: defined here, above the
//! failure model, so that `failure/` never imports from `telemetry/`.

use core::fmt;

use super::FailureSnapshot;
use crate::failure::FailureInfo;
use crate::tags::TagStorage;

impl<T: TagStorage> FailureInfo<T> {
    /// A borrowed view for telemetry; copies nothing.
    #[must_use]
    pub fn snapshot(&self) -> FailureSnapshot<'_> {
        FailureSnapshot::from_failure_info(self)
    }
}

impl<T: TagStorage> fmt::Display for FailureInfo<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.snapshot(), f)
    }
}
