//! `defmt::Format` for what telemetry sees of a failure.
//!
//! The forms follow the one-line `Display` format of
//! [`FailureSnapshot`](crate::FailureSnapshot), minus its quoting and escaping: defmt
//! sends strings as raw bytes and the host-side decoder prints them, so there is
//! nothing to escape on the device.

use ::defmt::{Format, Formatter, write};

use crate::failure::{ActorId, ActorPath, FailureEscalationStage};
use crate::tags::TelemetryTag;
use crate::telemetry::FailureSnapshot;

/// The id as a decimal number: `9`.
impl Format for ActorId {
    fn format(&self, f: Formatter<'_>) {
        write!(f, "{=u64}", self.0);
    }
}

/// `/` for the root, `/1/4/9` otherwise; one `u64` per segment on the wire.
impl Format for ActorPath {
    fn format(&self, f: Formatter<'_>) {
        if self.is_root() {
            write!(f, "/");
        }
        for id in self.segments() {
            write!(f, "/{=u64}", id.0);
        }
    }
}

/// `Initial`, or `Escalated(hops=2)`.
impl Format for FailureEscalationStage {
    fn format(&self, f: Formatter<'_>) {
        match self {
            Self::Initial => write!(f, "Initial"),
            Self::Escalated { hops } => write!(f, "Escalated(hops={=u8})", hops),
        }
    }
}

/// `key=value`.
impl Format for TelemetryTag {
    fn format(&self, f: Formatter<'_>) {
        write!(f, "{=str}={=str}", &*self.key, &*self.value);
    }
}

/// `path=/1/4/9 actor=9 hops=2 description=disk full tags=[component=db tenant=acme]`,
/// then the crash report (` kind=error error_type=T at=file:line:col causes=[a b]
/// trace=(..)`, each only when the one-line form shows it), then ` dropped_tags=N` when
/// tags were dropped and ` suppressed=N` when a storm policy
/// suppressed failures of this signature, as in the one-line `Display` format.
impl Format for FailureSnapshot<'_> {
    fn format(&self, f: Formatter<'_>) {
        write!(
            f,
            "path={} actor={} hops={=u8} description={=str} tags=[",
            self.path(),
            self.actor(),
            self.hops(),
            self.description(),
        );
        // The failure's own tags, then the system tags it does not override, as in the
        // one-line form: one write per tag, since `all_tags` is an iterator, not a slice.
        for (index, tag) in self.all_tags().enumerate() {
            if index > 0 {
                write!(f, " ");
            }
            write!(f, "{}", tag);
        }
        write!(f, "]");
        super::crash::format_crash_fields(self, f);
        if self.dropped_tags() > 0 {
            write!(f, " dropped_tags={=u32}", self.dropped_tags());
        }
        if self.suppressed() > 0 {
            write!(f, " suppressed={=u64}", self.suppressed());
        }
    }
}
