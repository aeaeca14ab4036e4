//! [`OpenTelemetryLogTelemetry`]: one OpenTelemetry log record per failure.

use alloc::string::ToString;
use alloc::vec::Vec;
use core::fmt;
use std::time::SystemTime;

use ::opentelemetry::logs::{AnyValue, LogRecord, Logger, LoggerProvider, Severity};

use crate::failure::FailureKind;
use crate::telemetry::{FailureSnapshot, FailureTelemetry};

/// The name of the logger [`OpenTelemetryLogTelemetry::from_provider`] asks for: the
/// instrumentation scope of every record (the same word as the `tracing` target).
pub const LOGGER_NAME: &str = "escalation_telemetry";

/// The event name of every record.
pub const EVENT_NAME: &str = "escalation_telemetry.failure";

/// Attribute: the failing actor's id (int; an id above `i64::MAX` is sent as its
/// decimal string).
pub const ACTOR_ATTRIBUTE: &str = "escalation.actor";
/// Attribute: the failing actor's path from the root, `/1/4/9` (string).
pub const PATH_ATTRIBUTE: &str = "escalation.path";
/// Attribute: escalation hops before the root (int).
pub const HOPS_ATTRIBUTE: &str = "escalation.hops";
/// Attribute: what went wrong, unescaped (string).
pub const DESCRIPTION_ATTRIBUTE: &str = "escalation.description";
/// Attribute: tags the failure lost (int); present only when not zero.
pub const DROPPED_TAGS_ATTRIBUTE: &str = "escalation.dropped_tags";
/// Attribute: failures of this failure's storm signature that a
/// [`StormPolicy`](crate::StormPolicy) kept from the hook since the previous record of
/// that signature (int); present only when not zero.
pub const SUPPRESSED_ATTRIBUTE: &str = "escalation.suppressed";
/// Attribute: tags left out of the record's attributes (int); present only when not
/// zero. A tag is left out when its key starts with [`RESERVED_PREFIX`] or an earlier
/// tag of the record has the same key (see [`OpenTelemetryLogTelemetry`]).
pub const OMITTED_TAGS_ATTRIBUTE: &str = "escalation.omitted_tags";
/// Attribute: the failure's kind, `panic`, `error` or `message` (string).
pub const KIND_ATTRIBUTE: &str = "escalation.kind";
/// Attribute: the error's causes, outermost first (list of strings); present only when
/// there are some.
pub const CAUSES_ATTRIBUTE: &str = "escalation.causes";
/// Attribute: links of the error's cause chain beyond the bound (int); present only
/// when not zero.
pub const DROPPED_CAUSES_ATTRIBUTE: &str = "escalation.dropped_causes";
/// Semantic-convention attribute: the error type (string): the failure's
/// [`error_type`](FailureSnapshot::error_type), else `panic` for a panic; absent for
/// other failures without an error type.
pub const EXCEPTION_TYPE_ATTRIBUTE: &str = "exception.type";
/// Semantic-convention attribute: the failure's description (string).
pub const EXCEPTION_MESSAGE_ATTRIBUTE: &str = "exception.message";
/// Semantic-convention attribute: the failure's backtrace (string); present only when
/// one was captured.
pub const EXCEPTION_STACKTRACE_ATTRIBUTE: &str = "exception.stacktrace";
/// Semantic-convention attribute: the source file of the failure's code location.
pub const CODE_FILE_PATH_ATTRIBUTE: &str = "code.file.path";
/// Semantic-convention attribute: the line of the failure's code location (int).
pub const CODE_LINE_NUMBER_ATTRIBUTE: &str = "code.line.number";
/// Semantic-convention attribute: the column of the failure's code location (int).
pub const CODE_COLUMN_NUMBER_ATTRIBUTE: &str = "code.column.number";
/// The prefix of this crate's own attribute keys, present and future: no tag under it
/// becomes an attribute, so a tag cannot stand beside or override ours.
pub const RESERVED_PREFIX: &str = "escalation.";
/// Every prefix under which no tag becomes an attribute: [`RESERVED_PREFIX`], and the
/// semantic-convention namespaces the record fills, `exception.` and `code.`.
pub const RESERVED_PREFIXES: [&str; 3] = [RESERVED_PREFIX, "exception.", "code."];

/// A [`FailureTelemetry`] that emits one OpenTelemetry log record per failure through
/// a [`Logger`] of the log SDK you set up (for example an `SdkLoggerProvider` with the
/// OTLP exporter behind a batch processor).
///
/// Each record has
///
/// - severity `Error` (number 17, text `ERROR`), event name [`EVENT_NAME`], the time of
///   the failure as its timestamp;
/// - as body, the failure's one-line form (the `Display` of [`FailureSnapshot`]:
///   `path=/1/4 actor=4 hops=1 description="disk full" tags=[component=storage]`);
/// - as attributes, [`ACTOR_ATTRIBUTE`], [`PATH_ATTRIBUTE`], [`HOPS_ATTRIBUTE`],
///   [`DESCRIPTION_ATTRIBUTE`], [`DROPPED_TAGS_ATTRIBUTE`] when tags were lost,
///   [`SUPPRESSED_ATTRIBUTE`] when a storm policy suppressed failures of its kind, then
///   every tag under its own key with its value as a string: the failure's own tags in
///   insertion order, then the system tags it does not override
///   ([`FailureSnapshot::all_tags`], the same list as the one-line form);
/// - the crash report, following the OpenTelemetry semantic conventions: the record's
///   top-level trace id, span id and trace flags from
///   [`FailureSnapshot::trace`] (when known); [`EXCEPTION_TYPE_ATTRIBUTE`],
///   [`EXCEPTION_MESSAGE_ATTRIBUTE`], [`EXCEPTION_STACKTRACE_ATTRIBUTE`] (the backtrace,
///   when captured); [`CODE_FILE_PATH_ATTRIBUTE`], [`CODE_LINE_NUMBER_ATTRIBUTE`],
///   [`CODE_COLUMN_NUMBER_ATTRIBUTE`] from [`FailureSnapshot::code_location`]; and ours,
///   [`KIND_ATTRIBUTE`], [`CAUSES_ATTRIBUTE`] and [`DROPPED_CAUSES_ATTRIBUTE`].
///
/// **One attribute per key** (OpenTelemetry requires unique keys, and a backend that
/// keeps the last of two would let a tag override ours): our own keys start with
/// [`RESERVED_PREFIX`] (`escalation.`) or sit in the `exception.` and `code.`
/// namespaces ([`RESERVED_PREFIXES`]), and a tag under one of them is left out; so is a
/// tag whose key an earlier tag of the record already has (the first one wins, as in
/// [`FailureSnapshot::tag`]). Each tag left out is counted in
/// [`OMITTED_TAGS_ATTRIBUTE`] on the same record. The body keeps every tag (it is the
/// one-line form), so nothing is lost from the record, and the count says the
/// attributes are not the whole list.
///
/// Unlike the metrics sinks this hook allocates per failure (the body, the path, owned
/// copies of borrowed strings): the log SDK needs owned records. Emitting only hands
/// the record to the SDK's processor; with a batch processor the export happens on its
/// own thread, off the escalation path.
///
/// ```
/// use escalation_telemetry::integrations::opentelemetry::OpenTelemetryLogTelemetry;
/// use escalation_telemetry::prelude::*;
/// use opentelemetry_sdk::logs::{InMemoryLogExporter, SdkLoggerProvider};
///
/// // In production: `.with_batch_exporter(opentelemetry_otlp::LogExporter::builder()...)`.
/// let provider = SdkLoggerProvider::builder()
///     .with_simple_exporter(InMemoryLogExporter::default())
///     .build();
/// let telemetry = OpenTelemetryLogTelemetry::from_provider(&provider);
/// let config = ActorSystemConfig::<StdRuntime>::new()
///     .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(telemetry.clone()))
///     .finalize();
/// # let _ = config;
/// ```
///
/// `tests/opentelemetry_otlp_export.rs` sends the records over OTLP/HTTP to a receiver
/// that decodes the official protobuf definitions and checks every field.
#[derive(Clone)]
pub struct OpenTelemetryLogTelemetry<L> {
    logger: L,
}

impl<L: Logger> OpenTelemetryLogTelemetry<L> {
    /// Emits through `logger`.
    #[must_use]
    pub const fn new(logger: L) -> Self {
        Self { logger }
    }

    /// Emits through `provider`'s logger named [`LOGGER_NAME`].
    #[must_use]
    pub fn from_provider<P>(provider: &P) -> Self
    where
        P: LoggerProvider<Logger = L>,
    {
        Self::new(provider.logger(LOGGER_NAME))
    }
}

impl<L: Logger + Send + Sync> FailureTelemetry for OpenTelemetryLogTelemetry<L> {
    fn on_failure(&self, snapshot: &FailureSnapshot<'_>) {
        let mut record = self.logger.create_log_record();
        record.set_timestamp(SystemTime::now());
        record.set_event_name(EVENT_NAME);
        record.set_severity_number(Severity::Error);
        record.set_severity_text(Severity::Error.name());
        record.set_body(AnyValue::from(snapshot.to_string()));
        record.add_attribute(ACTOR_ATTRIBUTE, int(snapshot.actor().0));
        record.add_attribute(PATH_ATTRIBUTE, snapshot.path().to_string());
        record.add_attribute(HOPS_ATTRIBUTE, snapshot.hops());
        record.add_attribute(DESCRIPTION_ATTRIBUTE, snapshot.description().to_string());
        let dropped_tags = snapshot.dropped_tags();
        if dropped_tags > 0 {
            record.add_attribute(DROPPED_TAGS_ATTRIBUTE, dropped_tags);
        }
        let suppressed = snapshot.suppressed();
        if suppressed > 0 {
            record.add_attribute(SUPPRESSED_ATTRIBUTE, int(suppressed));
        }
        add_crash_report(&mut record, snapshot);
        let omitted = add_tag_attributes(&mut record, snapshot);
        if omitted > 0 {
            record.add_attribute(OMITTED_TAGS_ATTRIBUTE, int(omitted));
        }
        self.logger.emit(record);
    }
}

/// Sets the trace context and adds the `exception.*`, `code.*` and our crash-report
/// attributes.
fn add_crash_report<R: LogRecord>(record: &mut R, snapshot: &FailureSnapshot<'_>) {
    use ::opentelemetry::{SpanId, TraceFlags, TraceId};

    if let Some(trace) = snapshot.trace() {
        let flags = if trace.sampled {
            TraceFlags::SAMPLED
        } else {
            TraceFlags::NOT_SAMPLED
        };
        record.set_trace_context(
            TraceId::from_bytes(trace.trace_id),
            SpanId::from_bytes(trace.span_id),
            Some(flags),
        );
    }
    let kind = snapshot.kind();
    record.add_attribute(KIND_ATTRIBUTE, kind.as_str());
    let exception_type = match snapshot.error_type() {
        Some(error_type) => Some(error_type.to_string()),
        None if kind == FailureKind::Panic => Some(kind.as_str().to_string()),
        None => None,
    };
    if let Some(exception_type) = exception_type {
        record.add_attribute(EXCEPTION_TYPE_ATTRIBUTE, exception_type);
    }
    record.add_attribute(
        EXCEPTION_MESSAGE_ATTRIBUTE,
        snapshot.description().to_string(),
    );
    if let Some(backtrace) = snapshot.backtrace() {
        record.add_attribute(EXCEPTION_STACKTRACE_ATTRIBUTE, backtrace.to_string());
    }
    if let Some(at) = snapshot.code_location() {
        record.add_attribute(CODE_FILE_PATH_ATTRIBUTE, at.file.to_string());
        record.add_attribute(CODE_LINE_NUMBER_ATTRIBUTE, i64::from(at.line));
        record.add_attribute(CODE_COLUMN_NUMBER_ATTRIBUTE, i64::from(at.column));
    }
    let causes = snapshot.causes();
    if causes.len() > 0 {
        let list: Vec<AnyValue> = causes
            .map(|cause| AnyValue::from(cause.to_string()))
            .collect();
        record.add_attribute(
            CAUSES_ATTRIBUTE,
            AnyValue::ListAny(alloc::boxed::Box::new(list)),
        );
    }
    let dropped_causes = snapshot.dropped_causes();
    if dropped_causes > 0 {
        record.add_attribute(DROPPED_CAUSES_ATTRIBUTE, i64::from(dropped_causes));
    }
}

/// Adds the snapshot's tags as attributes, one per key and none under
/// [`RESERVED_PREFIX`]; returns how many tags were left out.
fn add_tag_attributes<R: LogRecord>(record: &mut R, snapshot: &FailureSnapshot<'_>) -> u64 {
    let mut used: Vec<&str> = Vec::new();
    let mut omitted = 0_u64;
    for tag in snapshot.all_tags() {
        // Few tags per failure (at most the storage's limit): a linear scan is cheaper
        // than hashing, and the record allocates more than this anyway.
        let reserved = RESERVED_PREFIXES
            .iter()
            .any(|prefix| tag.key.starts_with(prefix));
        if reserved || used.contains(&&*tag.key) {
            omitted += 1;
            continue;
        }
        used.push(&tag.key);
        // `'static` keys and values are moved in as borrowed, without a copy.
        record.add_attribute(tag.key.clone(), tag.value.clone());
    }
    omitted
}

/// An OpenTelemetry int (`i64`), or the decimal string of a `u64` beyond `i64::MAX`:
/// nothing is cut or wrapped.
fn int(value: u64) -> AnyValue {
    i64::try_from(value).map_or_else(|_| value.to_string().into(), AnyValue::from)
}

impl<L> fmt::Debug for OpenTelemetryLogTelemetry<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenTelemetryLogTelemetry")
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;

    use ::opentelemetry::logs::AnyValue;
    use opentelemetry_sdk::logs::{InMemoryLogExporter, SdkLoggerProvider};

    use super::{
        ACTOR_ATTRIBUTE, HOPS_ATTRIBUTE, OMITTED_TAGS_ATTRIBUTE, OpenTelemetryLogTelemetry,
        PATH_ATTRIBUTE, SUPPRESSED_ATTRIBUTE,
    };
    use crate::failure::{ActorFailure, ActorId, ActorPath, FailureInfo, FailureMetadata};
    use crate::tags::TelemetryTag;
    use crate::telemetry::{FailureSnapshot, FailureTelemetry};

    /// The attributes of the one record emitted for `snapshot`.
    fn attributes(snapshot: &FailureSnapshot<'_>) -> Vec<(String, AnyValue)> {
        let exporter = InMemoryLogExporter::default();
        let provider = SdkLoggerProvider::builder()
            .with_simple_exporter(exporter.clone())
            .build();
        OpenTelemetryLogTelemetry::from_provider(&provider).on_failure(snapshot);
        let logs = exporter
            .get_emitted_logs()
            .expect("the exporter has the record");
        let [log] = logs.as_slice() else {
            panic!("one record: {logs:?}");
        };
        log.record
            .attributes_iter()
            .map(|(key, value)| (key.to_string(), value.clone()))
            .collect()
    }

    fn failure(id: u64) -> FailureInfo {
        FailureInfo::new(
            ActorId(id),
            ActorPath::root().child(ActorId(id)),
            ActorFailure::from_message("boom"),
        )
    }

    fn attribute(attributes: &[(String, AnyValue)], key: &str) -> Option<AnyValue> {
        attributes
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.clone())
    }

    #[test]
    fn actor_ids_are_ints_and_those_beyond_i64_are_decimal_strings() {
        let actor = |id| attribute(&attributes(&failure(id).snapshot()), ACTOR_ATTRIBUTE);
        assert_eq!(actor(0), Some(AnyValue::Int(0)));
        assert_eq!(actor(i64::MAX as u64), Some(AnyValue::Int(i64::MAX)));
        assert_eq!(
            actor(u64::MAX),
            Some(AnyValue::String("18446744073709551615".into()))
        );
    }

    #[test]
    fn the_suppressed_count_is_an_attribute_only_when_not_zero() {
        let info = failure(3);
        let none = attributes(&info.snapshot());
        assert_eq!(attribute(&none, SUPPRESSED_ATTRIBUTE), None);
        let some = attributes(&info.snapshot().with_suppressed(41));
        assert_eq!(
            attribute(&some, SUPPRESSED_ATTRIBUTE),
            Some(AnyValue::Int(41))
        );
    }

    /// The attributes by key, after checking that no key appears twice.
    fn unique(attributes: &[(String, AnyValue)]) -> std::collections::HashMap<&str, &AnyValue> {
        let mut by_key = std::collections::HashMap::new();
        for (key, value) in attributes {
            assert!(
                by_key.insert(key.as_str(), value).is_none(),
                "`{key}` appears twice: {attributes:?}"
            );
        }
        by_key
    }

    fn text(value: &str) -> AnyValue {
        AnyValue::String(String::from(value).into())
    }

    #[test]
    fn tags_never_override_our_attributes_and_each_key_appears_once() {
        let info = failure(9).with_metadata(
            FailureMetadata::new()
                .with_tag("escalation.path", "/forged")
                .with_tag("escalation.actor", "0")
                .with_tag("region", "us"),
        );
        // System tags: one overridden by the failure's own tag (as everywhere), one
        // under a reserved key, and one repeated (a hand-built or deserialized list).
        let system = [
            TelemetryTag::new("region", "eu"),
            TelemetryTag::new("escalation.hops", "99"),
            TelemetryTag::new("service", "orders"),
            TelemetryTag::new("service", "billing"),
        ];
        let emitted = attributes(&info.snapshot().with_system_tags(&system));
        let by_key = unique(&emitted);

        assert_eq!(by_key[PATH_ATTRIBUTE], &text("/9"));
        assert_eq!(by_key[ACTOR_ATTRIBUTE], &AnyValue::Int(9));
        assert_eq!(by_key[HOPS_ATTRIBUTE], &AnyValue::Int(0));
        assert_eq!(by_key["region"], &text("us"));
        assert_eq!(by_key["service"], &text("orders"));
        // Left out: `escalation.path`, `escalation.actor`, `escalation.hops` and the
        // second `service` (the system `region` is overridden before, by `all_tags`).
        assert_eq!(by_key[OMITTED_TAGS_ATTRIBUTE], &AnyValue::Int(4));
    }

    #[test]
    fn tags_in_the_exception_and_code_namespaces_are_left_out() {
        let info = failure(5).with_metadata(
            FailureMetadata::new()
                .with_tag("exception.type", "forged")
                .with_tag("code.line.number", "1")
                .with_tag("codename", "kept"),
        );
        let emitted = attributes(&info.snapshot());
        let by_key = unique(&emitted);
        assert_eq!(by_key["codename"], &text("kept"));
        assert!(!by_key.contains_key("exception.type"), "{emitted:?}");
        assert!(by_key.contains_key("code.line.number"), "ours: {emitted:?}");
        assert_ne!(by_key["code.line.number"], &text("1"));
        assert_eq!(by_key[OMITTED_TAGS_ATTRIBUTE], &AnyValue::Int(2));
    }

    #[test]
    fn a_message_has_no_exception_type_and_a_panic_says_panic() {
        let message = attributes(&failure(1).snapshot());
        assert_eq!(attribute(&message, "exception.type"), None);
        assert_eq!(attribute(&message, "exception.message"), Some(text("boom")));
        assert_eq!(
            attribute(&message, "escalation.kind"),
            Some(text("message"))
        );
        let panic = FailureInfo::new(
            ActorId(1),
            ActorPath::root(),
            ActorFailure::from_panic_payload(&"boom"),
        );
        let panic = attributes(&panic.snapshot());
        assert_eq!(attribute(&panic, "exception.type"), Some(text("panic")));
        assert_eq!(attribute(&panic, "exception.stacktrace"), None);
    }

    #[test]
    fn without_collisions_there_is_no_omitted_count() {
        let info =
            failure(2).with_metadata(FailureMetadata::new().with_tag("escalation_level", "page"));
        let emitted = attributes(&info.snapshot());
        let by_key = unique(&emitted);
        assert_eq!(by_key["escalation_level"], &text("page"));
        assert!(!by_key.contains_key(OMITTED_TAGS_ATTRIBUTE), "{emitted:?}");
    }
}
