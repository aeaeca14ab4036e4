//! What telemetry sees of a failure.

use core::fmt;

use super::AllTags;
use crate::failure::{
    ActorId, ActorPath, CrashParts, FailureEscalationStage, FailureInfo, FailureKind, TraceContext,
};
use crate::tags::{TagStorage, TelemetryTag};

/// A borrowed view of a [`FailureInfo`]: building one copies nothing and allocates
/// nothing; the tags are a slice of the metadata's buffer. To keep a snapshot past the
/// [`on_failure`](crate::FailureTelemetry::on_failure) call (batching, async export),
/// turn it into an [`OwnedFailureSnapshot`](crate::OwnedFailureSnapshot) with
/// [`into_owned`](Self::into_owned).
///
/// # The one-line format
///
/// `Display` prints one line, stable across releases (it is API). [`FailureInfo`] and
/// [`OwnedFailureSnapshot`](crate::OwnedFailureSnapshot) print the same line.
///
/// ```text
/// path=/1/4/9 actor=9 hops=2 description="disk full" tags=[component=db tenant="acme corp"]
/// ```
///
/// - The fields are always `path`, `actor`, `hops`, `description`, `tags`, in this order,
///   separated by one space. The crash-report fields follow, each only when it has
///   something to say: ` kind=panic` or ` kind=error` (absent for a failure made from a
///   message), ` error_type=T`, ` at=file:line:column` (the
///   [`code_location`](Self::code_location), for panics and errors only: a message's
///   location is the caller of `from_message`, and showing it would change every pinned
///   line each time code above it moves), ` causes=["outer" "inner"]` (quoted, outermost
///   first), ` dropped_causes=N`, ` trace=00-<trace id>-<span id>-<flags>` (W3C
///   `traceparent`). Then ` dropped_tags=N` when the metadata rejected or
///   dropped tags (it is absent, not `0`, otherwise), and ` suppressed=N` ends the line
///   when a storm policy suppressed `N` failures of this signature since its previous
///   delivery (absent, not `0`, otherwise). The backtrace is never on the line (JSON
///   carries it). Pinned lines and JSON keep still with
///   [`LOCATION_FILTERS`](crate::telemetry::LOCATION_FILTERS).
/// - `path` is the [`ActorPath`] form (`/` for the root, `/1/4/9` otherwise); `actor` and
///   `hops` are decimal numbers (`hops=0` for a failure that was not escalated).
/// - The description is always quoted.
/// - The tags sit in `[` `]`, as `key=value` separated by one space (`tags=[]` when
///   there are none): the failure's own tags in insertion order, then the
///   [system tags](Self::system_tags) whose key the failure does not set itself (see
///   [`all_tags`](Self::all_tags)).
/// - A key or value made only of ASCII letters, digits and `_-.:/@+` is written bare;
///   any other (including the empty string, and any containing a space, `=`, `"`, `[`
///   or `]`) is quoted.
/// - Inside quotes `\\`, `\"`, `\n`, `\r` and `\t` are escaped; every other
///   character a reader cannot see or that breaks a line is written `\u{XX}` in
///   lowercase hex: controls (Unicode category Cc), format characters (Cf: zero-width
///   space and joiners, U+FEFF, U+2060 to U+2064, the soft hyphen, the bidirectional
///   controls, the tag block U+E0000 to U+E007F), the line and paragraph separators,
///   spaces other than the ASCII space, unassigned code points, and the other
///   default-ignorable characters (variation selectors, Hangul fillers). Any other
///   character, ASCII or not, is written as is.
///
/// The line therefore never breaks and can be split back into its fields, whatever the
/// input:
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// let info = FailureInfo::new(ActorId(9), "/1/9".parse()?, ActorFailure::from_message("bad\nline \"x\""))
///     .with_metadata(FailureMetadata::new().with_tag("user", "zoë").with_tag("note", ""));
/// assert_eq!(
///     info.snapshot().to_string(),
///     r#"path=/1/9 actor=9 hops=0 description="bad\nline \"x\"" tags=[user="zoë" note=""]"#,
/// );
/// # Ok::<(), ParseActorPathError>(())
/// ```
///
/// # The serialized form (feature `serde`)
///
/// A snapshot serializes to a map with the fields, in this order, `actor` (number),
/// `path` (the string form above), `hops` (number), `description` (string), `tags` (a
/// list of `{"key": .., "value": ..}`, the same tags in the same order as the line,
/// system tags included), `dropped_tags` and `suppressed` (numbers, always present),
/// then the crash report, always present: `kind` (`"panic"`, `"error"` or
/// `"message"`), `error_type` (string or null), `location` (`{"file", "line",
/// "column"}` or null: the [`code_location`](Self::code_location), whatever the kind),
/// `causes` (strings, outermost first), `dropped_causes` (number), `trace_id`,
/// `span_id`, `trace_flags` (lowercase hex, 32, 16 and 2 digits, or null: the
/// OpenTelemetry text form) and `backtrace` (string or null). In JSON:
///
/// ```json
/// {"actor":9,"path":"/1/4/9","hops":2,"description":"disk full","tags":[{"key":"component","value":"db"}],"dropped_tags":0,"suppressed":0,"kind":"message","error_type":null,"location":{"file":"src/db.rs","line":42,"column":9},"causes":[],"dropped_causes":0,"trace_id":null,"span_id":null,"trace_flags":null,"backtrace":null}
/// ```
///
/// Strings are the raw values (the serializer does its own escaping). The same form
/// deserializes into an [`OwnedFailureSnapshot`](crate::OwnedFailureSnapshot); the form
/// does not say which tags came from the system, so read back they are all the
/// failure's own tags (and the line and the form stay the same).
///
/// # System tags
///
/// A sink built from a config with
/// [`with_system_tag`](crate::ActorSystemConfig::with_system_tag) hands its hook
/// snapshots that also borrow the system's tags (no copy per failure).
/// [`tags`](Self::tags) stays the failure's own tags, [`system_tags`](Self::system_tags)
/// is the system's list, and [`all_tags`](Self::all_tags) and [`tag`](Self::tag) give
/// what the outputs show: the failure's own tags, then the system tags it does not
/// override (a failure's own tag with the same key wins).
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// let system = [tag!("service", "orders"), tag!("region", "eu")];
/// let info = FailureInfo::new(ActorId(9), "/1/9".parse()?, ActorFailure::from_message("boom"))
///     .with_metadata(FailureMetadata::new().with_tag(key!("region"), "us"));
/// let snapshot = info.snapshot().with_system_tags(&system);
/// assert_eq!(
///     snapshot.to_string(),
///     r#"path=/1/9 actor=9 hops=0 description="boom" tags=[region=us service=orders]"#,
/// );
/// assert_eq!(snapshot.tags().len(), 1);
/// assert_eq!(snapshot.tag("service"), Some("orders"));
/// assert_eq!(snapshot.tag("region"), Some("us"));
/// # Ok::<(), ParseActorPathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FailureSnapshot<'a> {
    actor: ActorId,
    path: &'a ActorPath,
    description: &'a str,
    stage: FailureEscalationStage,
    tags: &'a [TelemetryTag],
    system_tags: &'a [TelemetryTag],
    dropped_tags: u32,
    suppressed: u64,
    /// Kind, location and the failure's rare parts (compared as failures are: not the
    /// location).
    crash: CrashParts<'a>,
}

impl<'a> FailureSnapshot<'a> {
    /// A view of `info`, without system tags (a root sink adds its system's with
    /// [`with_system_tags`](Self::with_system_tags)).
    #[inline]
    #[must_use]
    pub fn from_failure_info<T: TagStorage>(info: &'a FailureInfo<T>) -> Self {
        Self::from_parts(
            info.actor,
            &info.path,
            info.failure.description(),
            info.stage,
            info.metadata.tags(),
            info.metadata.dropped_tags(),
        )
        .with_crash(info.failure.crash_parts())
    }

    /// A snapshot over parts; the owned snapshot's view of itself.
    #[inline]
    pub(crate) fn from_parts(
        actor: ActorId,
        path: &'a ActorPath,
        description: &'a str,
        stage: FailureEscalationStage,
        tags: &'a [TelemetryTag],
        dropped_tags: u32,
    ) -> Self {
        Self {
            actor,
            path,
            description,
            stage,
            tags,
            system_tags: &[],
            dropped_tags,
            suppressed: 0,
            crash: CrashParts::default(),
        }
    }

    /// The same snapshot with these crash-report parts.
    #[inline]
    pub(crate) fn with_crash(mut self, crash: CrashParts<'a>) -> Self {
        self.crash = crash;
        self
    }

    /// The crash-report parts, for an owned copy.
    pub(crate) fn crash(&self) -> CrashParts<'a> {
        self.crash
    }

    /// The same snapshot with these system tags, shown after the failure's own tags (a
    /// failure's own tag with the same key wins). Replaces any earlier system tags;
    /// borrows, copies nothing.
    #[inline]
    #[must_use]
    pub fn with_system_tags(mut self, system_tags: &'a [TelemetryTag]) -> Self {
        self.system_tags = system_tags;
        self
    }

    /// The same snapshot, saying that `suppressed` failures of its storm signature were
    /// suppressed since the previous one reached the hook.
    #[inline]
    #[must_use]
    pub(crate) fn with_suppressed(mut self, suppressed: u64) -> Self {
        self.suppressed = suppressed;
        self
    }

    /// The actor that failed.
    #[must_use]
    pub fn actor(&self) -> ActorId {
        self.actor
    }

    /// Its path from the root.
    #[must_use]
    pub fn path(&self) -> &'a ActorPath {
        self.path
    }

    /// What went wrong.
    #[must_use]
    pub fn description(&self) -> &'a str {
        self.description
    }

    /// What kind of failure it is (as [`ActorFailure::kind`](crate::ActorFailure::kind)).
    #[must_use]
    pub fn kind(&self) -> FailureKind {
        self.crash.kind()
    }

    /// The error type, when known (as
    /// [`ActorFailure::error_type`](crate::ActorFailure::error_type)).
    #[must_use]
    pub fn error_type(&self) -> Option<&'a str> {
        self.crash.error_type()
    }

    /// Where in the code the failure was made (as
    /// [`ActorFailure::location`](crate::ActorFailure::location)).
    #[must_use]
    pub fn location(&self) -> Option<&'static core::panic::Location<'static>> {
        self.crash.location
    }

    /// The best location the failure knows (as
    /// [`ActorFailure::code_location`](crate::ActorFailure::code_location)).
    #[must_use]
    pub fn code_location(&self) -> Option<crate::failure::CodeLocation<'a>> {
        self.crash.code_location()
    }

    /// The failure's backtrace, if one was attached (as
    /// [`ActorFailure::backtrace`](crate::ActorFailure::backtrace)).
    #[must_use]
    pub fn backtrace(&self) -> Option<&'a str> {
        self.crash.backtrace()
    }

    /// The error's causes, outermost first (as
    /// [`ActorFailure::causes`](crate::ActorFailure::causes)).
    pub fn causes(&self) -> impl ExactSizeIterator<Item = &'a str> + Clone + 'a {
        self.crash.causes()
    }

    /// How many links of the error's `source()` chain were beyond the bound on causes
    /// (as [`ActorFailure::dropped_causes`](crate::ActorFailure::dropped_causes)).
    #[must_use]
    pub fn dropped_causes(&self) -> u32 {
        self.crash
            .details
            .map_or(0, |details| details.dropped_causes)
    }

    /// The trace context of the request the failure belongs to (as
    /// [`ActorFailure::trace`](crate::ActorFailure::trace)).
    #[must_use]
    pub fn trace(&self) -> Option<TraceContext> {
        self.crash.trace()
    }

    /// How far the failure was escalated.
    #[must_use]
    pub fn stage(&self) -> FailureEscalationStage {
        self.stage
    }

    /// The number of escalation hops (`stage().hops()`).
    #[must_use]
    pub fn hops(&self) -> u8 {
        self.stage.hops()
    }

    /// The failure's own tags, in insertion order (no system tags; see
    /// [`all_tags`](Self::all_tags) for what the outputs show).
    #[must_use]
    pub fn tags(&self) -> &'a [TelemetryTag] {
        self.tags
    }

    /// The tags of the system the failure reached (set with
    /// [`with_system_tag`](crate::ActorSystemConfig::with_system_tag)), all of them,
    /// including any the failure overrides.
    #[must_use]
    pub fn system_tags(&self) -> &'a [TelemetryTag] {
        self.system_tags
    }

    /// Every tag the outputs show: the failure's own tags in insertion order, then the
    /// system tags whose key the failure does not set. Allocates nothing.
    #[must_use]
    pub fn all_tags(&self) -> AllTags<'a> {
        AllTags::new(self.tags, self.system_tags)
    }

    /// The value shown for this key: the failure's own tag, else the system tag.
    #[must_use]
    pub fn tag(&self, key: &str) -> Option<&'a str> {
        self.tags
            .iter()
            .chain(self.system_tags)
            .find(|tag| tag.key == key)
            .map(|tag| &*tag.value)
    }

    /// How many tags the failure's metadata rejected or dropped.
    #[must_use]
    pub fn dropped_tags(&self) -> u32 {
        self.dropped_tags
    }

    /// How many failures of this snapshot's storm signature the storm policy suppressed
    /// (kept from the hook) since the previous one reached the hook; 0 without a policy.
    /// See [`StormPolicy`](crate::StormPolicy).
    #[must_use]
    pub fn suppressed(&self) -> u64 {
        self.suppressed
    }
}

impl fmt::Display for FailureSnapshot<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::text::write_quoted;

        write!(
            f,
            "path={} actor={} hops={} description=",
            self.path,
            self.actor,
            self.hops()
        )?;
        write_quoted(f, self.description)?;
        write!(f, " tags={}", self.all_tags())?;
        super::crash_line::write_crash_fields(f, self.crash)?;
        if self.dropped_tags > 0 {
            write!(f, " dropped_tags={}", self.dropped_tags)?;
        }
        if self.suppressed > 0 {
            write!(f, " suppressed={}", self.suppressed)?;
        }
        Ok(())
    }
}
