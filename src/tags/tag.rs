//! One key/value tag.

use alloc::borrow::Cow;
use core::fmt;

/// A tag key. `'static` strings are borrowed, never copied.
pub type TelemetryKey = Cow<'static, str>;
/// A tag value. `'static` strings are borrowed, never copied.
pub type TelemetryValue = Cow<'static, str>;

/// One key/value pair attached to a failure.
///
/// A tag on its own is a plain pair: it does not check its key. The rules (no empty key,
/// one value per key) are kept by [`FailureMetadata`](crate::FailureMetadata), which
/// every failure's tags go through, and by the deserializer of
/// [`OwnedFailureSnapshot`](crate::OwnedFailureSnapshot).
///
/// `Display` prints `key=value` in the one-line format of
/// [`FailureSnapshot`](crate::FailureSnapshot): a key or value made only of ASCII
/// letters, digits and `_-.:/@+` is printed bare, anything else quoted and escaped.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TelemetryTag {
    /// The key.
    pub key: TelemetryKey,
    /// The value.
    pub value: TelemetryValue,
}

impl TelemetryTag {
    /// A tag from anything that turns into `Cow<'static, str>`.
    #[must_use]
    pub fn new(key: impl Into<TelemetryKey>, value: impl Into<TelemetryValue>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
        }
    }

    /// A tag of two `'static` strings, usable in `const` context.
    #[must_use]
    pub const fn from_static(key: &'static str, value: &'static str) -> Self {
        Self {
            key: Cow::Borrowed(key),
            value: Cow::Borrowed(value),
        }
    }
}

impl fmt::Display for TelemetryTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::text::write_token(f, &self.key)?;
        f.write_str("=")?;
        crate::text::write_token(f, &self.value)
    }
}

/// `{"key": .., "value": ..}`, as serialized. A format's error about other input
/// (`invalid type: string "…"`) is cut to at most 512 bytes, however long the input.
#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for TelemetryTag {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// The derived form; `TelemetryTag`'s own impl only bounds its errors.
        #[derive(serde::Deserialize)]
        #[serde(rename = "TelemetryTag")]
        struct TagForm {
            key: TelemetryKey,
            value: TelemetryValue,
        }
        TagForm::deserialize(deserializer)
            .map(|form| Self::new(form.key, form.value))
            .map_err(crate::text::bound_error)
    }
}
