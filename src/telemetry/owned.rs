//! A snapshot that owns its data, for telemetry that keeps failures past the call.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::{AllTags, FailureSnapshot};
use crate::failure::{ActorId, ActorPath, FailureEscalationStage, FailureInfo, OwnedCrashParts};
use crate::tags::{TagListError, TagStorage, TelemetryTag, check_tag_list};

/// A [`FailureSnapshot`] that owns its data: what a telemetry hook keeps when it batches
/// failures, hands them to another thread or exports them later.
///
/// Made with [`FailureSnapshot::into_owned`] (or `From` a snapshot or a [`FailureInfo`]);
/// [`as_snapshot`](Self::as_snapshot) borrows it back. It prints the same one line as
/// [`FailureSnapshot`] and, with the `serde` feature, serializes to the same form and
/// deserializes from it.
///
/// Making one allocates the description and the tag lists; tags whose key and value are
/// `'static` strings are not copied. It keeps the system tags apart from the failure's
/// own, as the borrowed snapshot does.
///
/// ```
/// use std::sync::Mutex;
/// use escalation_telemetry::prelude::*;
///
/// /// Keeps failures for a background exporter.
/// #[derive(Default)]
/// struct Batching(Mutex<Vec<OwnedFailureSnapshot>>);
///
/// impl FailureTelemetry for Batching {
///     fn on_failure(&self, snapshot: &FailureSnapshot<'_>) {
///         if let Ok(mut batch) = self.0.lock() {
///             batch.push(snapshot.into_owned());
///         }
///     }
/// }
///
/// let telemetry = Batching::default();
/// let info = FailureInfo::new(ActorId(4), "/1/4".parse()?, ActorFailure::from_message("boom"));
/// telemetry.on_failure(&info.snapshot());
///
/// let batch = telemetry.0.into_inner().unwrap_or_default();
/// assert_eq!(batch[0].to_string(), info.to_string());
/// assert_eq!(batch[0].path().to_string(), "/1/4");
/// # Ok::<(), ParseActorPathError>(())
/// ```
///
/// The stage is kept as its hop count: a snapshot of `Escalated { hops: 0 }` (a stage
/// that [`FailureEscalationStage::escalate`] never produces) comes back as `Initial`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OwnedFailureSnapshot {
    actor: ActorId,
    path: ActorPath,
    description: String,
    hops: u8,
    tags: Vec<TelemetryTag>,
    system_tags: Vec<TelemetryTag>,
    dropped_tags: u32,
    suppressed: u64,
    /// Kind, location and the rare parts.
    crash: OwnedCrashParts,
}

impl OwnedFailureSnapshot {
    /// An owned snapshot from its parts, as a decoder reads them (no system tags: the
    /// serialized form lists every tag as the failure's own), after checking the tags
    /// like every snapshot's: no empty key, no key twice.
    ///
    /// ```
    /// use escalation_telemetry::failure::{ActorId, ActorPath};
    /// use escalation_telemetry::tags::TelemetryTag;
    /// use escalation_telemetry::telemetry::OwnedFailureSnapshot;
    ///
    /// let path = ActorPath::root().child(ActorId(3));
    /// let tags = vec![TelemetryTag::from_static("region", "eu")];
    /// let owned = OwnedFailureSnapshot::try_from_parts(ActorId(3), path, "boom".into(), 0, tags, 0, 0)?;
    /// assert_eq!(owned.description(), "boom");
    /// # Ok::<(), escalation_telemetry::tags::TagListError>(())
    /// ```
    ///
    /// # Errors
    /// [`TagListError`] when a tag has an empty key or repeats a key.
    pub fn try_from_parts(
        actor: ActorId,
        path: ActorPath,
        description: String,
        hops: u8,
        tags: Vec<TelemetryTag>,
        dropped_tags: u32,
        suppressed: u64,
    ) -> Result<Self, TagListError> {
        check_tag_list(&tags)?;
        Ok(Self::from_parts(
            actor,
            path,
            description,
            hops,
            tags,
            dropped_tags,
            suppressed,
        ))
    }

    /// [`try_from_parts`](Self::try_from_parts) for tags already checked.
    pub(crate) fn from_parts(
        actor: ActorId,
        path: ActorPath,
        description: String,
        hops: u8,
        tags: Vec<TelemetryTag>,
        dropped_tags: u32,
        suppressed: u64,
    ) -> Self {
        Self {
            actor,
            path,
            description,
            hops,
            tags,
            system_tags: Vec::new(),
            dropped_tags,
            suppressed,
            crash: OwnedCrashParts::default(),
        }
    }

    /// The same snapshot with these crash-report parts (read back).
    #[cfg_attr(
        not(feature = "serde"),
        allow(dead_code, reason = "the serde form and the cluster wire use it")
    )]
    pub(crate) fn with_crash(mut self, crash: OwnedCrashParts) -> Self {
        self.crash = crash;
        self
    }

    /// A borrowed view, as telemetry sees it.
    #[must_use]
    pub fn as_snapshot(&self) -> FailureSnapshot<'_> {
        FailureSnapshot::from_parts(
            self.actor,
            &self.path,
            &self.description,
            self.stage(),
            &self.tags,
            self.dropped_tags,
        )
        .with_system_tags(&self.system_tags)
        .with_suppressed(self.suppressed)
        .with_crash(self.crash.as_parts())
    }

    /// The actor that failed.
    #[must_use]
    pub fn actor(&self) -> ActorId {
        self.actor
    }

    /// Its path from the root.
    #[must_use]
    pub fn path(&self) -> &ActorPath {
        &self.path
    }

    /// What went wrong.
    #[must_use]
    pub fn description(&self) -> &str {
        &self.description
    }

    /// How far the failure was escalated: `Initial` for 0 hops, `Escalated` otherwise.
    #[must_use]
    pub fn stage(&self) -> FailureEscalationStage {
        match self.hops {
            0 => FailureEscalationStage::Initial,
            hops => FailureEscalationStage::Escalated { hops },
        }
    }

    /// The number of escalation hops.
    #[must_use]
    pub fn hops(&self) -> u8 {
        self.hops
    }

    /// The failure's own tags, in insertion order (as [`FailureSnapshot::tags`]).
    #[must_use]
    pub fn tags(&self) -> &[TelemetryTag] {
        &self.tags
    }

    /// The system's tags (as [`FailureSnapshot::system_tags`]).
    #[must_use]
    pub fn system_tags(&self) -> &[TelemetryTag] {
        &self.system_tags
    }

    /// Every tag the outputs show (as [`FailureSnapshot::all_tags`]).
    #[must_use]
    pub fn all_tags(&self) -> AllTags<'_> {
        AllTags::new(&self.tags, &self.system_tags)
    }

    /// The value shown for this key (as [`FailureSnapshot::tag`]).
    #[must_use]
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.as_snapshot().tag(key)
    }

    /// How many tags the failure's metadata rejected or dropped.
    #[must_use]
    pub fn dropped_tags(&self) -> u32 {
        self.dropped_tags
    }

    /// How many failures of this snapshot's storm signature were suppressed since the
    /// previous one reached the hook (see [`FailureSnapshot::suppressed`]).
    #[must_use]
    pub fn suppressed(&self) -> u64 {
        self.suppressed
    }
}

impl FailureSnapshot<'_> {
    /// Copies the snapshot into an [`OwnedFailureSnapshot`] that outlives the failure.
    ///
    /// A snapshot is `Copy`, so this does not take anything away from the caller; it is
    /// named like [`Cow::into_owned`](alloc::borrow::Cow::into_owned) rather than
    /// `to_owned`, which the standard `ToOwned` trait already gives every `Clone` type
    /// (there it returns another borrowed view).
    #[must_use]
    pub fn into_owned(self) -> OwnedFailureSnapshot {
        OwnedFailureSnapshot {
            actor: self.actor(),
            path: self.path().clone(),
            description: self.description().to_string(),
            hops: self.hops(),
            tags: self.tags().to_vec(),
            system_tags: self.system_tags().to_vec(),
            dropped_tags: self.dropped_tags(),
            suppressed: self.suppressed(),
            crash: self.crash().to_owned_parts(),
        }
    }
}

impl From<FailureSnapshot<'_>> for OwnedFailureSnapshot {
    fn from(snapshot: FailureSnapshot<'_>) -> Self {
        snapshot.into_owned()
    }
}

impl From<&FailureSnapshot<'_>> for OwnedFailureSnapshot {
    fn from(snapshot: &FailureSnapshot<'_>) -> Self {
        snapshot.into_owned()
    }
}

impl<T: TagStorage> From<&FailureInfo<T>> for OwnedFailureSnapshot {
    fn from(info: &FailureInfo<T>) -> Self {
        info.snapshot().into_owned()
    }
}

/// The one-line format of [`FailureSnapshot`].
impl fmt::Display for OwnedFailureSnapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.as_snapshot(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::{ActorFailure, FailureMetadata};
    use crate::tags::BoundedTags;
    use alloc::borrow::Cow;

    #[test]
    fn owned_copy_keeps_every_field_and_static_tags_stay_borrowed() {
        let info = FailureInfo::new(
            ActorId(9),
            ActorPath::root().child(ActorId(1)).child(ActorId(9)),
            ActorFailure::from_message("boom"),
        )
        .with_metadata(
            FailureMetadata::<BoundedTags<1>>::default()
                .with_component("db")
                .with_tag("dropped", "x"),
        )
        .escalate_to_parent()
        .escalate_to_parent();
        let owned = info.snapshot().into_owned();
        assert_eq!(owned.as_snapshot(), info.snapshot());
        assert_eq!(owned.hops(), 2);
        assert_eq!(owned.dropped_tags(), 1);
        assert!(matches!(owned.tags()[0].value, Cow::Borrowed("db")));
        assert_eq!(owned.to_string(), info.to_string());
    }

    #[test]
    fn owned_copy_keeps_the_suppressed_count() {
        let info = FailureInfo::<BoundedTags<1>>::new_in(
            ActorId(2),
            ActorPath::root().child(ActorId(2)),
            ActorFailure::from_message("loop"),
        );
        let owned = info.snapshot().with_suppressed(41).into_owned();
        assert_eq!(owned.suppressed(), 41);
        assert_eq!(owned.as_snapshot().suppressed(), 41);
        assert!(owned.to_string().ends_with(" suppressed=41"));
    }

    #[test]
    fn zero_hops_is_the_initial_stage() {
        let info = FailureInfo::new(
            ActorId(1),
            ActorPath::root(),
            ActorFailure::from_message(""),
        )
        .with_stage(FailureEscalationStage::Escalated { hops: 0 });
        assert_eq!(
            OwnedFailureSnapshot::from(&info).stage(),
            FailureEscalationStage::Initial
        );
    }
}
