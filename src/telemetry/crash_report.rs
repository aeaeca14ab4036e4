//! A failure's crash report as owned values: what a decoder (JSON, the cluster wire)
//! reads, turned back into a snapshot's parts or into a failure.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use super::FailureSnapshot;
use crate::failure::{
    ActorFailure, CrashParts, FailureKind, MAX_FAILURE_CAUSES, OwnedCrashParts, TraceContext,
};

/// The crash-report parts of a failure, owned: what the serde form and the cluster wire
/// read back.
#[cfg_attr(
    not(feature = "serde"),
    allow(dead_code, reason = "read by the serde form and by the cluster wire")
)]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CrashReport {
    pub(crate) kind: FailureKind,
    pub(crate) error_type: Option<String>,
    /// File, line, column.
    pub(crate) location: Option<(String, u32, u32)>,
    pub(crate) causes: Vec<String>,
    pub(crate) dropped_causes: u32,
    pub(crate) trace: Option<TraceContext>,
    pub(crate) backtrace: Option<String>,
}

#[cfg_attr(
    not(feature = "serde"),
    allow(dead_code, reason = "used by the serde form and by the cluster wire")
)]
impl CrashReport {
    /// An owned copy of `snapshot`'s parts.
    #[allow(dead_code, reason = "used by the cluster wire and the tests")]
    pub(crate) fn of(snapshot: &FailureSnapshot<'_>) -> Self {
        Self {
            kind: snapshot.kind(),
            error_type: snapshot.error_type().map(ToOwned::to_owned),
            location: snapshot
                .code_location()
                .map(|at| (at.file.to_owned(), at.line, at.column)),
            causes: snapshot.causes().map(ToOwned::to_owned).collect(),
            dropped_causes: snapshot.dropped_causes(),
            trace: snapshot.trace(),
            backtrace: snapshot.backtrace().map(ToOwned::to_owned),
        }
    }

    /// The parts an owned snapshot keeps: exactly these values (each text bounded as a
    /// failure bounds it), with no `'static` location of their own.
    pub(crate) fn into_parts(self) -> OwnedCrashParts {
        // A failure made through the public setters, then its block set to what was
        // read: the kind, the causes and their count have no setter.
        let mut this = self.bounded();
        let failure = this.set_on(ActorFailure::from_panic_payload(&""));
        let mut details = failure.crash_parts().details.cloned().unwrap_or_default();
        details.kind = this.kind;
        details.message = None;
        details.causes = this.causes;
        details.dropped_causes = this.dropped_causes;
        CrashParts {
            location: None,
            details: Some(&details),
        }
        .to_owned_parts()
    }

    /// `failure` with this report's error type, code location, trace and backtrace,
    /// through the public setters (taken out of the report).
    pub(crate) fn set_on(&mut self, mut failure: ActorFailure) -> ActorFailure {
        if let Some(error_type) = self.error_type.take() {
            failure = failure.with_error_type(error_type);
        }
        if let Some((file, line, column)) = self.location.take() {
            failure = failure.with_code_location(file, line, column);
        }
        if let Some(trace) = self.trace.take() {
            failure = failure.with_trace(trace);
        }
        if let Some(backtrace) = self.backtrace.take() {
            failure = failure.with_backtrace(backtrace);
        }
        failure
    }

    /// The same report within a failure's bounds, as read from untrusted input: each
    /// text cut to the bound on a message (the backtrace to its own, by
    /// `with_backtrace`), at most [`MAX_FAILURE_CAUSES`] causes, the others counted.
    pub(crate) fn bounded(mut self) -> Self {
        let excess = self.causes.len().saturating_sub(MAX_FAILURE_CAUSES);
        if excess > 0 {
            self.causes.truncate(MAX_FAILURE_CAUSES);
            let excess = u32::try_from(excess).unwrap_or(u32::MAX);
            self.dropped_causes = self.dropped_causes.saturating_add(excess);
        }
        self.causes = self.causes.into_iter().map(bounded).collect();
        self.error_type = self.error_type.map(bounded);
        self.location = self
            .location
            .map(|(file, line, column)| (bounded(file), line, column));
        self
    }
}

fn bounded(text: String) -> String {
    crate::text::bounded_message(&text).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::{ActorId, ActorPath, FailureEscalationStage, FailureInfo};
    use alloc::string::String;

    /// What a failure with every field but causes carries.
    fn report() -> CrashReport {
        let failure = ActorFailure::from_panic_payload(&"boom")
            .with_error_type("io::Error")
            .with_code_location("src/a.rs", 3, 4)
            .with_trace(TraceContext {
                trace_id: [1; 16],
                span_id: [2; 8],
                sampled: true,
            })
            .with_backtrace("0: main");
        let info = FailureInfo::new(ActorId(1), ActorPath::root(), failure);
        CrashReport::of(&info.snapshot())
    }

    #[test]
    fn the_parts_carry_every_value() {
        let parts = report().into_parts();
        let (description, root) = (String::from("boom"), ActorPath::root());
        let snapshot = FailureSnapshot::from_parts(
            ActorId(1),
            &root,
            &description,
            FailureEscalationStage::Initial,
            &[],
            0,
        )
        .with_crash(parts.as_parts());
        assert_eq!(CrashReport::of(&snapshot), report());
    }

    #[test]
    fn untrusted_input_is_bounded_and_the_excess_counted() {
        let report = CrashReport {
            kind: FailureKind::Error,
            error_type: Some("T".repeat(10_000)),
            causes: (0..40)
                .map(|index| alloc::format!("cause {index}"))
                .collect(),
            dropped_causes: 2,
            ..CrashReport::default()
        }
        .bounded();
        assert_eq!(report.causes.len(), MAX_FAILURE_CAUSES);
        assert_eq!(report.dropped_causes as usize, 2 + 40 - MAX_FAILURE_CAUSES);
        assert!(
            report
                .error_type
                .is_some_and(|text| text.len() <= crate::text::MAX_ERROR_MESSAGE_LEN)
        );
    }
}
