//! What makes two failures "the same" for the storm limit, and its hash.

use core::hash::{BuildHasher, Hash, Hasher};

use crate::failure::ActorPath;
use crate::tags::TelemetryKey;
use crate::telemetry::FailureSnapshot;

/// The part of a failure that identifies its storm: failures with equal signatures
/// share one limit.
///
/// The signature is hashed to 64 bits without allocating; two different signatures
/// with the same hash (about one chance in 2^64 per pair) share a limit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum StormSignature {
    /// The failing actor's path and the failure's description (the default): one crash
    /// loop is one signature, and a different failure of the same actor is another.
    #[default]
    PathAndDescription,
    /// The failing actor's path alone: every failure of one actor shares a limit.
    Path,
    /// The description alone: the same error from many actors shares a limit.
    Description,
    /// The value of the failure's tag with this key (for example `"tenant"` or
    /// `"component"`); failures without that tag share one signature. Only the
    /// failure's own tags are looked at, not the system tags (which every failure of a
    /// system shares, so they cannot tell storms apart).
    Tag(TelemetryKey),
}

/// The fixed seed of the signature hash: signatures must hash alike in every sink and
/// every process, and no_std has no randomness to draw a seed from.
const SEED: u64 = 0x6573_6361_6c61_7465;

/// Marks "this failure has no such tag", so that it differs from any tag value.
const NO_TAG: u8 = 0xff;

impl StormSignature {
    /// The signature of `snapshot` as a 64-bit fingerprint: what the storm table keys
    /// on. Computed without allocating, with a fixed seed, so it is the same in every
    /// sink and every process running the same version of this crate: a telemetry
    /// backend can group by it (one crash loop, one issue).
    ///
    /// ```
    /// use escalation_telemetry::prelude::*;
    ///
    /// let a = FailureInfo::new(ActorId(4), "/1/4".parse()?, ActorFailure::from_message("boom"));
    /// let b = FailureInfo::new(ActorId(4), "/1/4".parse()?, ActorFailure::from_message("bang"));
    /// let by_path = StormSignature::Path;
    /// assert_eq!(by_path.fingerprint(&a.snapshot()), by_path.fingerprint(&b.snapshot()));
    /// let default = StormSignature::default();
    /// assert_ne!(default.fingerprint(&a.snapshot()), default.fingerprint(&b.snapshot()));
    /// # Ok::<(), ParseActorPathError>(())
    /// ```
    #[inline]
    #[must_use]
    pub fn fingerprint(&self, snapshot: &FailureSnapshot<'_>) -> u64 {
        let mut hasher = foldhash::fast::FixedState::with_seed(SEED).build_hasher();
        match self {
            Self::PathAndDescription => {
                hash_path(snapshot.path(), &mut hasher);
                snapshot.description().hash(&mut hasher);
            }
            Self::Path => hash_path(snapshot.path(), &mut hasher),
            Self::Description => snapshot.description().hash(&mut hasher),
            Self::Tag(key) => match snapshot.tags().iter().find(|tag| tag.key == *key) {
                Some(tag) => tag.value.hash(&mut hasher),
                None => hasher.write_u8(NO_TAG),
            },
        }
        hasher.finish()
    }
}

/// The path's segments, one `u64` each, then its depth, so that the path and what is
/// hashed after it cannot run into each other. Written out rather than through
/// `ActorPath: Hash`, whose slice hashing was not inlined and cost about twice as many
/// instructions on the root path (counted with callgrind).
#[inline]
fn hash_path(path: &ActorPath, hasher: &mut impl Hasher) {
    for id in path.segments() {
        hasher.write_u64(id.0);
    }
    hasher.write_usize(path.depth());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::{ActorFailure, ActorId, FailureInfo, FailureMetadata};
    use crate::tags::BoundedTags;

    fn info(
        path: u64,
        description: &'static str,
        tenant: Option<&'static str>,
    ) -> FailureInfo<BoundedTags<4>> {
        let mut metadata = FailureMetadata::default();
        if let Some(tenant) = tenant {
            metadata = metadata.with_tag("tenant", tenant);
        }
        FailureInfo::<BoundedTags<4>>::new_in(
            ActorId(path),
            ActorPath::root().child(ActorId(path)),
            ActorFailure::from_message(description),
        )
        .with_metadata(metadata)
    }

    #[test]
    fn each_signature_tells_apart_what_it_names_and_nothing_else() {
        let a = info(1, "boom", Some("acme"));
        let other_text = info(1, "bang", Some("acme"));
        let other_path = info(2, "boom", Some("globex"));
        let untagged = info(2, "boom", None);

        let same = |s: &StormSignature, x: &FailureInfo<_>, y: &FailureInfo<_>| {
            s.fingerprint(&x.snapshot()) == s.fingerprint(&y.snapshot())
        };
        let full = StormSignature::PathAndDescription;
        assert!(!same(&full, &a, &other_text) && !same(&full, &a, &other_path));
        assert!(same(&StormSignature::Path, &a, &other_text));
        assert!(!same(&StormSignature::Path, &a, &other_path));
        assert!(same(&StormSignature::Description, &a, &other_path));
        let tenant = StormSignature::Tag("tenant".into());
        assert!(same(&tenant, &a, &other_text));
        assert!(!same(&tenant, &a, &other_path) && !same(&tenant, &other_path, &untagged));
    }
}
