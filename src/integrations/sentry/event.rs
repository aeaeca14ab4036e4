//! A failure as a Sentry event.

use alloc::borrow::Cow;
use alloc::string::{String, ToString};

use ::sentry::protocol::{Context, Event, Level, Map, Value};

use super::fingerprint::fingerprint;
use super::tag_rules::is_sentry_tag;
use crate::storms::StormSignature;
use crate::telemetry::FailureSnapshot;

/// The name of the event context that holds the failure's fields.
pub const CONTEXT: &str = "escalation";

/// The event's `logger`.
pub const LOGGER: &str = "escalation_telemetry";

/// The Sentry event for one failure, grouped by `signature`: what
/// [`SentryFailureTelemetry`](super::SentryFailureTelemetry) sends. Build it yourself to
/// change it before capturing (add a user, a release, another fingerprint).
///
/// | event field | value |
/// |---|---|
/// | `level` | `error` |
/// | `message` | the description |
/// | `logger` | [`LOGGER`] (`escalation_telemetry`) |
/// | `tags` | the failure's tags, then the system's tags it does not override ([`all_tags`](FailureSnapshot::all_tags)), those that Sentry accepts as tags (key of 1 to 32 of `a-zA-Z0-9_.:-`, value up to 200 characters, no newline) |
/// | `contexts.escalation` ([`CONTEXT`]) | `actor` (number), `path` (`/1/4/9`), `hops`, `dropped_tags`, `suppressed` (failures of this storm signature a storm policy kept from the hook since the previous one), `kind`, `location` (`file:line:column`), `error_type`, `causes` (outermost first) and `dropped_causes` (each present only when known or not zero), `omitted_tags` (tags left out because an earlier tag has the same key: the first one wins; present only when not zero) and `rejected_tags` (an object of the tags Sentry would drop, present only when there are some) |
/// | `exception` | the failure's causes, innermost first, each `{"type": "cause", "value": <its text>}` ([`CAUSE_EXCEPTION_TYPE`](super::CAUSE_EXCEPTION_TYPE)), then the failure itself: `type` its [`error_type`](FailureSnapshot::error_type), else its kind (`panic`, `error`, `message`), `value` the description, `stacktrace.frames` the backtrace's frames when one was captured (outermost first) then the [`code_location`](FailureSnapshot::code_location) as the innermost frame (`filename`, `lineno`, `colno`) |
/// | `contexts.trace` | the [`trace`](FailureSnapshot::trace)'s `trace_id` and `span_id`, when known: the event opens next to its trace |
/// | `fingerprint` | `["escalation_telemetry", "<16 hex digits>"]`: the storm signature's [`fingerprint`](StormSignature::fingerprint), so the failures a storm policy with the same signature counts as one storm are one Sentry issue (by default the same path and description: a crash loop) |
///
/// ```
/// use escalation_telemetry::integrations::sentry::failure_event;
/// use escalation_telemetry::prelude::*;
///
/// let info = FailureInfo::new(ActorId(9), "/1/9".parse()?, ActorFailure::from_message("disk full"))
///     .with_metadata(FailureMetadata::new().with_tag("tenant", "acme"));
/// let event = failure_event(&info.snapshot(), &StormSignature::default());
/// assert_eq!(event.message.as_deref(), Some("disk full"));
/// assert_eq!(event.tags.get("tenant").map(String::as_str), Some("acme"));
/// let storm = format!("{:016x}", StormSignature::default().fingerprint(&info.snapshot()));
/// assert_eq!(event.fingerprint.as_ref(), ["escalation_telemetry", storm.as_str()]);
/// # Ok::<(), ParseActorPathError>(())
/// ```
#[must_use]
pub fn failure_event(snapshot: &FailureSnapshot<'_>, signature: &StormSignature) -> Event<'static> {
    let mut tags = Map::new();
    let mut rejected = Map::new();
    let mut omitted = 0_u64;
    for tag in snapshot.all_tags() {
        // One entry per key, the first (as `FailureSnapshot::tag` reads it): a later tag
        // with the same key is left out and counted, never overwrites the first.
        if tags.contains_key(&*tag.key) || rejected.contains_key(&*tag.key) {
            omitted += 1;
            continue;
        }
        let (key, value) = (tag.key.to_string(), tag.value.to_string());
        if is_sentry_tag(&key, &value) {
            tags.insert(key, value);
        } else {
            rejected.insert(key, Value::String(value));
        }
    }

    let mut context = Map::new();
    context.insert("actor".into(), Value::from(snapshot.actor().0));
    context.insert("path".into(), Value::String(snapshot.path().to_string()));
    context.insert("hops".into(), Value::from(snapshot.hops()));
    context.insert("dropped_tags".into(), Value::from(snapshot.dropped_tags()));
    context.insert("suppressed".into(), Value::from(snapshot.suppressed()));
    context.insert("kind".into(), Value::from(snapshot.kind().as_str()));
    if let Some(at) = snapshot.code_location() {
        context.insert("location".into(), Value::String(at.to_string()));
    }
    if let Some(error_type) = snapshot.error_type() {
        context.insert("error_type".into(), Value::from(error_type));
    }
    if snapshot.causes().len() > 0 {
        context.insert(
            "causes".into(),
            Value::Array(snapshot.causes().map(Value::from).collect()),
        );
    }
    if snapshot.dropped_causes() > 0 {
        context.insert(
            "dropped_causes".into(),
            Value::from(snapshot.dropped_causes()),
        );
    }
    if omitted > 0 {
        context.insert("omitted_tags".into(), Value::from(omitted));
    }
    if !rejected.is_empty() {
        context.insert(
            "rejected_tags".into(),
            Value::Object(rejected.into_iter().collect()),
        );
    }
    let mut contexts = Map::new();
    contexts.insert(String::from(CONTEXT), Context::Other(context));
    if let Some(trace) = super::exception::trace_context(snapshot) {
        contexts.insert(String::from("trace"), trace);
    }

    Event {
        level: Level::Error,
        message: Some(snapshot.description().to_string()),
        logger: Some(String::from(LOGGER)),
        fingerprint: Cow::Owned(fingerprint(signature, snapshot)),
        tags,
        contexts,
        exception: super::exception::exceptions(snapshot),
        ..Event::default()
    }
}
