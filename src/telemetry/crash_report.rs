//! A failure's crash report as owned values: what a decoder (JSON, the cluster wire)
//! reads, turned back into a snapshot's parts or into a failure.

#[cfg(any(test, feature = "cluster"))]
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
#[cfg(any(test, feature = "cluster"))]
use core::fmt;

#[cfg(any(test, feature = "cluster"))]
use super::FailureSnapshot;
use crate::failure::{
    ActorFailure, CrashParts, FailureKind, MAX_FAILURE_CAUSES, OwnedCrashParts, TraceContext,
};

/// The crash-report parts of a failure, owned.
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

impl CrashReport {
    /// An owned copy of `snapshot`'s parts.
    #[cfg(any(test, feature = "cluster"))]
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
        let this = self.bounded();
        // A failure made through the public setters, then its block set to what was
        // read: the kind, the causes and their count have no setter.
        let mut failure = ActorFailure::from_panic_payload(&"");
        if let Some(error_type) = this.error_type {
            failure = failure.with_error_type(error_type);
        }
        if let Some((file, line, column)) = this.location {
            failure = failure.with_code_location(file, line, column);
        }
        if let Some(trace) = this.trace {
            failure = failure.with_trace(trace);
        }
        if let Some(backtrace) = this.backtrace {
            failure = failure.with_backtrace(backtrace);
        }
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

    /// A failure described by `description` with these parts, through the public
    /// constructors: a panic or a message keeps no causes (only an error has a
    /// `source()` chain), and the dropped-cause count is rebuilt up to the bound on the
    /// walk of a chain (240). Its [`location`](ActorFailure::location) is this call's;
    /// its [`code_location`](ActorFailure::code_location) is the one carried.
    #[cfg(feature = "cluster")]
    pub(crate) fn into_failure(self, description: String) -> ActorFailure {
        let this = self.bounded();
        let mut failure = match this.kind {
            FailureKind::Panic => ActorFailure::from_panic_payload(&description),
            FailureKind::Error => {
                let chain = Chain::new(description, this.causes, this.dropped_causes);
                ActorFailure::from_error::<dyn core::error::Error>(&chain)
            }
            _ => ActorFailure::from_message(description),
        };
        if let Some(error_type) = this.error_type {
            failure = failure.with_error_type(error_type);
        }
        if let Some((file, line, column)) = this.location {
            failure = failure.with_code_location(file, line, column);
        }
        if let Some(trace) = this.trace {
            failure = failure.with_trace(trace);
        }
        if let Some(backtrace) = this.backtrace {
            failure = failure.with_backtrace(backtrace);
        }
        failure
    }

    /// The same report within a failure's bounds, as read from untrusted input: each
    /// text cut to the bound on a message (the backtrace to its own, by
    /// `with_backtrace`), at most [`MAX_FAILURE_CAUSES`] causes, the others counted.
    fn bounded(mut self) -> Self {
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

#[cfg(any(test, feature = "cluster"))]
/// An error and its `source()` chain rebuilt from text: the causes, then `dropped`
/// links past the bound, so that `from_error` counts them as dropped again.
#[derive(Debug)]
struct Chain {
    text: String,
    source: Option<alloc::boxed::Box<Chain>>,
}

#[cfg(any(test, feature = "cluster"))]
impl Chain {
    fn new(text: String, causes: Vec<String>, dropped: u32) -> Self {
        let padding = (0..dropped.min(240)).map(|_| String::from("(dropped cause)"));
        let mut links: Vec<String> = causes.into_iter().chain(padding).collect();
        let mut source = None;
        while let Some(text) = links.pop() {
            source = Some(alloc::boxed::Box::new(Self { text, source }));
        }
        Self { text, source }
    }
}

#[cfg(any(test, feature = "cluster"))]
impl fmt::Display for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(any(test, feature = "cluster"))]
impl core::error::Error for Chain {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|link| link as &(dyn core::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::{ActorId, ActorPath, FailureEscalationStage, FailureInfo};

    /// What a failure made from an error with five causes carries.
    fn report() -> CrashReport {
        let causes = (1..=5)
            .map(|index| alloc::format!("cause {index}"))
            .collect();
        let chain = Chain::new(String::from("boom"), causes, 0);
        let failure = ActorFailure::from_error(&chain)
            .with_error_type("io::Error")
            .with_code_location("src/a.rs", 3, 4)
            .with_trace(TraceContext {
                trace_id: [1; 16],
                span_id: [2; 8],
                sampled: true,
            })
            .with_backtrace("0: main");
        let info = FailureInfo::new(ActorId(1), ActorPath::root(), failure);
        let report = CrashReport::of(&info.snapshot());
        assert_eq!(report.causes.len(), 5, "{report:?}");
        report
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

    #[cfg(feature = "cluster")]
    #[test]
    fn the_rebuilt_failure_carries_every_value() {
        let failure = report().into_failure(String::from("boom"));
        assert_eq!(failure.description(), "boom");
        let info = FailureInfo::new(ActorId(1), ActorPath::root(), failure);
        assert_eq!(CrashReport::of(&info.snapshot()), report());
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

    #[cfg(feature = "cluster")]
    #[test]
    fn a_rebuilt_panic_is_a_panic_at_its_carried_location() {
        let report = CrashReport {
            kind: FailureKind::Panic,
            location: Some(("src/worker.rs".into(), 9, 1)),
            ..CrashReport::default()
        };
        let failure = report
            .clone()
            .into_failure(String::from("index out of bounds"));
        assert_eq!(failure.kind(), FailureKind::Panic);
        let info = FailureInfo::new(ActorId(1), ActorPath::root(), failure);
        assert_eq!(CrashReport::of(&info.snapshot()), report);
    }
}
