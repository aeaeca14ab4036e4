//! The failure payload.

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::panic::Location;

use super::details::{FailureDetails, bounded_backtrace};
use super::location::{CodeLocation, OwnedCodeLocation};
use super::{FailureKind, TraceContext};
use crate::sync::ArcShared;

/// What went wrong: the failure an actor reported (a message, an error or a panic
/// payload), with what a crash report needs when it is known: its
/// [`kind`](Self::kind), [`location`](Self::location) in the code,
/// [`error_type`](Self::error_type), [`causes`](Self::causes) and
/// [`trace`](Self::trace).
///
/// Small (32 bytes) and cheap to clone: a `'static` description and the location are
/// inline; everything else (an owned description, a kind other than
/// [`Message`](FailureKind::Message), the error type, the causes, the trace) sits in
/// one shared block made where the failure is made, so a clone never allocates. A
/// failure from a `'static` message allocates nothing at all.
///
/// Equality and hashing compare the description, kind, error type, causes and trace,
/// **not the locations nor the backtrace**: the same failure made on two lines (or
/// rebuilt from another node's copy, which has no `&'static` location) is the same
/// failure.
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// let failure = ActorFailure::from_message("disk full");
/// assert_eq!(failure.kind(), FailureKind::Message);
/// assert_eq!(failure.location().map(|at| at.line()), Some(line!() - 2));
/// assert_eq!(failure, ActorFailure::from_message("disk full"));
/// ```
#[derive(Clone)]
pub struct ActorFailure {
    /// The description when it is `'static`; empty when `details.message` holds it.
    message: &'static str,
    location: Option<&'static Location<'static>>,
    /// The rare parts; `None` for a failure from a `'static` message with nothing else.
    details: Option<ArcShared<FailureDetails>>,
}

impl ActorFailure {
    /// A failure described by a message, kind [`FailureKind::Message`], at the
    /// caller's location. A `&'static str` is stored without allocating.
    #[must_use]
    #[track_caller]
    pub fn from_message(message: impl Into<Cow<'static, str>>) -> Self {
        Self::described(message.into(), FailureKind::Message, Location::caller())
    }

    /// A failure from an error, kind [`FailureKind::Error`], at the caller's location:
    /// described by its `Display` output, its [`causes`](Self::causes) from its
    /// `source()` chain (at most [`MAX_FAILURE_CAUSES`](crate::MAX_FAILURE_CAUSES),
    /// the rest counted in [`dropped_causes`](Self::dropped_causes)), its
    /// [`error_type`](Self::error_type) the Rust type of `E` (none for a trait object
    /// such as `dyn Error`, whose concrete type Rust cannot name: set it with
    /// [`with_error_type`](Self::with_error_type)). The description is kept whole, as
    /// [`from_message`](Self::from_message) keeps it; each cause is cut to 512 bytes.
    ///
    /// ```
    /// use escalation_telemetry::prelude::*;
    ///
    /// let error = std::io::Error::other("disk full");
    /// let failure = ActorFailure::from_error(&error);
    /// assert_eq!(failure.description(), "disk full");
    /// assert_eq!(failure.error_type(), Some("std::io::error::Error"));
    ///
    /// let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(error);
    /// assert_eq!(ActorFailure::from_error(&*boxed).error_type(), None);
    /// ```
    #[must_use]
    #[track_caller]
    pub fn from_error<E: core::error::Error + ?Sized + 'static>(error: &E) -> Self {
        let name = core::any::type_name::<E>();
        let mut details = FailureDetails {
            kind: FailureKind::Error,
            message: Some(alloc::string::ToString::to_string(error)),
            error_type: (!name.starts_with("dyn ")).then_some(Cow::Borrowed(name)),
            ..FailureDetails::default()
        };
        if let Some(source) = error.source() {
            details.record_causes(source);
        }
        Self {
            message: "",
            location: Some(Location::caller()),
            details: Some(ArcShared::new(details)),
        }
    }

    /// A failure from a caught panic payload, kind [`FailureKind::Panic`]: the panic
    /// message when it is a string, otherwise `"panic with a non-string payload"`. The
    /// payload has no location; the caller's is recorded as
    /// [`location`](Self::location).
    ///
    /// With `std` and the panic hook (`install_panic_hook`, std only), the hook's
    /// record of that panic (found by its message, see `docs/crash-reports.md`) adds
    /// the panic's own location as [`code_location`](Self::code_location), the
    /// backtrace when enabled and the trace context current where it panicked; without
    /// a record, the trace context current here, if a source is registered.
    #[must_use]
    #[track_caller]
    pub fn from_panic_payload(payload: &(dyn core::any::Any + Send)) -> Self {
        let text = if let Some(message) = payload.downcast_ref::<&'static str>() {
            Some(Cow::Borrowed(*message))
        } else {
            payload
                .downcast_ref::<String>()
                .map(|message| Cow::Owned(message.clone()))
        };
        #[cfg(feature = "std")]
        let key = text.as_deref().map(String::from);
        let message = text.unwrap_or(Cow::Borrowed("panic with a non-string payload"));
        let failure = Self::described(message, FailureKind::Panic, Location::caller());
        #[cfg(feature = "std")]
        let failure = failure.picking_up_panic(key.as_deref());
        failure
    }

    fn described(
        message: Cow<'static, str>,
        kind: FailureKind,
        location: &'static Location<'static>,
    ) -> Self {
        let (message, owned) = match message {
            Cow::Borrowed(message) => (message, None),
            Cow::Owned(owned) => ("", Some(owned)),
        };
        // A `'static` message, kind `Message`: nothing to keep out of line.
        let details = (owned.is_some() || kind != FailureKind::Message).then(|| {
            ArcShared::new(FailureDetails {
                kind,
                message: owned,
                ..FailureDetails::default()
            })
        });
        Self {
            message,
            location: Some(location),
            details,
        }
    }

    /// Sets the error type (low cardinality: a type name, an error code's family),
    /// e.g. from a runtime that knows it. Allocates the shared block if the failure has
    /// none yet.
    #[must_use]
    pub fn with_error_type(mut self, error_type: impl Into<Cow<'static, str>>) -> Self {
        self.details_mut().error_type = Some(error_type.into());
        self
    }

    /// Sets the trace context of the request the failure belongs to. Allocates the
    /// shared block if the failure has none yet.
    #[must_use]
    pub fn with_trace(mut self, trace: TraceContext) -> Self {
        self.details_mut().trace = Some(trace);
        self
    }

    /// Sets where in the code the failure was raised, when the constructor's caller is
    /// not that place: a panic's own location (from a panic hook), or a location read
    /// back from JSON or another node. [`code_location`](Self::code_location) then
    /// reports it; [`location`](Self::location) keeps the constructor's caller.
    /// Allocates the shared block if the failure has none yet.
    #[must_use]
    pub fn with_code_location(
        mut self,
        file: impl Into<Cow<'static, str>>,
        line: u32,
        column: u32,
    ) -> Self {
        self.details_mut().code_location = Some(OwnedCodeLocation {
            file: file.into(),
            line,
            column,
        });
        self
    }

    /// Attaches a backtrace (text, e.g. `std::backtrace::Backtrace`'s `Display`), cut
    /// to [`MAX_BACKTRACE_BYTES`](crate::MAX_BACKTRACE_BYTES). Capture it where the
    /// failure is made, never on the root path. Allocates the shared block if the
    /// failure has none yet.
    #[must_use]
    pub fn with_backtrace(mut self, backtrace: impl Into<String>) -> Self {
        self.details_mut().backtrace = Some(bounded_backtrace(backtrace.into()));
        self
    }

    /// The failure with what the panic hook recorded about the panic with `message`
    /// (`None`: a non-string payload), if a record is waiting: kind
    /// [`FailureKind::Panic`], the panic's location, backtrace and trace. Without a
    /// trace from the record, the trace context current here (see
    /// [`current_trace`](crate::failure::current_trace)). What the guardians call.
    #[cfg(feature = "std")]
    pub(crate) fn picking_up_panic(self, message: Option<&str>) -> Self {
        match super::panic_records::take_panic_record(message) {
            Some(record) => self.with_panic_record(record),
            None => self,
        }
        .with_trace_from_source()
    }

    /// The failure with the trace context current here (see
    /// [`current_trace`](crate::failure::current_trace)) unless it has one.
    #[cfg(feature = "std")]
    pub(crate) fn with_trace_from_source(self) -> Self {
        if self.trace().is_some() {
            return self;
        }
        match super::trace_source::current_trace() {
            Some(trace) => self.with_trace(trace),
            None => self,
        }
    }

    #[cfg(feature = "std")]
    fn with_panic_record(mut self, record: super::panic_records::PanicRecord) -> Self {
        let details = self.details_mut();
        details.kind = FailureKind::Panic;
        if let Some((file, line, column)) = record.location {
            details.code_location = Some(OwnedCodeLocation {
                file: Cow::Owned(file),
                line,
                column,
            });
        }
        if record.backtrace.is_some() {
            details.backtrace = record.backtrace;
        }
        if record.trace.is_some() {
            details.trace = record.trace;
        }
        self
    }

    /// The shared block, made (or copied, when shared with a clone) for writing.
    fn details_mut(&mut self) -> &mut FailureDetails {
        ArcShared::make_mut(self.details.get_or_insert_with(ArcShared::default))
    }

    /// The description telemetry reports.
    #[must_use]
    pub fn description(&self) -> &str {
        match self.details.as_deref() {
            Some(FailureDetails {
                message: Some(message),
                ..
            }) => message,
            _ => self.message,
        }
    }

    /// What kind of failure this is.
    #[must_use]
    pub fn kind(&self) -> FailureKind {
        self.details
            .as_deref()
            .map_or(FailureKind::Message, |details| details.kind)
    }

    /// The error type, when known: the Rust type given to
    /// [`from_error`](Self::from_error), or set with
    /// [`with_error_type`](Self::with_error_type).
    #[must_use]
    pub fn error_type(&self) -> Option<&str> {
        self.details.as_deref()?.error_type.as_deref()
    }

    /// Where in the code the failure was made: the caller of the constructor.
    #[must_use]
    pub fn location(&self) -> Option<&'static Location<'static>> {
        self.location
    }

    /// The best location the failure knows: the one set with
    /// [`with_code_location`](Self::with_code_location) (a panic's own, or one read
    /// back), else the caller of the constructor ([`location`](Self::location)).
    #[must_use]
    pub fn code_location(&self) -> Option<CodeLocation<'_>> {
        self.crash_parts().code_location()
    }

    /// The backtrace attached with [`with_backtrace`](Self::with_backtrace), if any.
    #[must_use]
    pub fn backtrace(&self) -> Option<&str> {
        self.details.as_deref()?.backtrace.as_deref()
    }

    /// The error's causes (its `source()` chain), outermost first; the failure's own
    /// description is not one of them. Empty unless made by
    /// [`from_error`](Self::from_error).
    pub fn causes(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        self.details
            .as_deref()
            .map_or(&[][..], |details| &details.causes[..])
            .iter()
            .map(String::as_str)
    }

    /// Causes beyond [`MAX_FAILURE_CAUSES`](crate::MAX_FAILURE_CAUSES) that were left
    /// out (a cyclic or endless chain counts up to a bound, then stops).
    #[must_use]
    pub fn dropped_causes(&self) -> u32 {
        self.details
            .as_deref()
            .map_or(0, |details| details.dropped_causes)
    }

    /// The trace context of the request the failure belongs to, when set.
    #[must_use]
    pub fn trace(&self) -> Option<TraceContext> {
        self.details.as_deref()?.trace
    }

    /// The parts a snapshot borrows.
    pub(crate) fn crash_parts(&self) -> CrashParts<'_> {
        CrashParts {
            location: self.location,
            details: self.details.as_deref(),
        }
    }
}

/// A failure's crash-report parts kept by an owned snapshot; compared and hashed as
/// failures are (everything but the location).
#[derive(Debug, Clone, Default)]
pub(crate) struct OwnedCrashParts {
    location: Option<&'static Location<'static>>,
    details: Option<ArcShared<FailureDetails>>,
}

impl OwnedCrashParts {
    pub(crate) fn as_parts(&self) -> CrashParts<'_> {
        CrashParts {
            location: self.location,
            details: self.details.as_deref(),
        }
    }
}

impl PartialEq for OwnedCrashParts {
    fn eq(&self, other: &Self) -> bool {
        self.as_parts() == other.as_parts()
    }
}

impl Eq for OwnedCrashParts {}

impl Hash for OwnedCrashParts {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_parts().hash(state);
    }
}

/// A failure's crash-report parts as a snapshot borrows them.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CrashParts<'a> {
    pub(crate) location: Option<&'static Location<'static>>,
    pub(crate) details: Option<&'a FailureDetails>,
}

impl<'a> CrashParts<'a> {
    pub(crate) fn kind(&self) -> FailureKind {
        self.details
            .map_or(FailureKind::Message, |details| details.kind)
    }

    /// An owned copy: the rare parts' block is copied (one allocation) when present.
    pub(crate) fn to_owned_parts(self) -> OwnedCrashParts {
        OwnedCrashParts {
            location: self.location,
            details: self.details.cloned().map(ArcShared::new),
        }
    }

    pub(crate) fn error_type(&self) -> Option<&'a str> {
        self.details?.error_type.as_deref()
    }

    pub(crate) fn causes(&self) -> impl ExactSizeIterator<Item = &'a str> + Clone + 'a {
        self.details
            .map_or(&[][..], |details| &details.causes[..])
            .iter()
            .map(String::as_str)
    }

    pub(crate) fn trace(&self) -> Option<TraceContext> {
        self.details?.trace
    }

    pub(crate) fn code_location(&self) -> Option<CodeLocation<'a>> {
        match self
            .details
            .and_then(|details| details.code_location.as_ref())
        {
            Some(owned) => Some(owned.as_location()),
            None => self.location.map(CodeLocation::from),
        }
    }

    pub(crate) fn backtrace(&self) -> Option<&'a str> {
        self.details?.backtrace.as_deref()
    }

    /// Equal as failures are: everything but the locations and the backtrace.
    fn key(&self) -> (FailureKind, Option<&'a str>, u32, Option<TraceContext>) {
        (
            self.kind(),
            self.error_type(),
            self.details.map_or(0, |details| details.dropped_causes),
            self.trace(),
        )
    }
}

/// Everything but the locations and the backtrace (see [`ActorFailure`]'s equality).
impl PartialEq for CrashParts<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key() && self.causes().eq(other.causes())
    }
}

impl Hash for CrashParts<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
        self.causes().for_each(|cause| cause.hash(state));
    }
}

impl PartialEq for ActorFailure {
    fn eq(&self, other: &Self) -> bool {
        self.description() == other.description() && self.crash_parts() == other.crash_parts()
    }
}

impl Eq for ActorFailure {}

impl Hash for ActorFailure {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.description().hash(state);
        self.crash_parts().hash(state);
    }
}

impl fmt::Debug for ActorFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("ActorFailure");
        debug
            .field("description", &self.description())
            .field("kind", &self.kind());
        if let Some(location) = self.location {
            debug.field("location", &format_args!("{location}"));
        }
        if let Some(details) = self.details.as_deref() {
            debug
                .field("error_type", &details.error_type)
                .field("causes", &details.causes)
                .field("trace", &details.trace);
        }
        debug.finish()
    }
}

impl fmt::Display for ActorFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}
