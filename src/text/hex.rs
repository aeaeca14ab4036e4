//! Bytes as lowercase hex, two digits a byte (trace and span ids), written lazily.

use core::fmt;

/// `Display`s the bytes as lowercase hex, two digits a byte; allocates nothing.
#[cfg_attr(
    not(feature = "serde"),
    allow(dead_code, reason = "the serde form and the tracing event use it")
)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hex<'a>(pub(crate) &'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}
