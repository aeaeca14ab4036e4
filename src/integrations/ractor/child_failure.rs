//! What a supervisor learns from `SupervisionEvent::ActorFailed(child, error)`.

use ::ractor::{ActorCell, ActorProcessingErr};

use super::{EscalatedFailure, TaggedFailure, actor_id_of};
use crate::failure::{ActorFailure, ActorPath, FailureInfo, FailureMetadata};

/// Key of the tag holding the failing actor's ractor name, set when the actor has one.
pub const ACTOR_NAME_TAG: &str = crate::key!("actor_name");

/// The failure of `child`, as seen by its supervisor: the path is relative to that
/// supervisor (it starts with `child`'s id), the stage is the one the failure arrived
/// with.
///
/// - An [`EscalatedFailure`] (the child was a supervisor that escalated) keeps its
///   actor, description, tags and hops; the child's id is put in front of its path.
/// - Any other error is the child's own failure: path `/child`, hop count 0, the
///   error's `Display` (a panic's message, for a panic) as the description, the tags of
///   a [`TaggedFailure`], and `actor_name` when the child has a name (unless the
///   child's tags already set it).
pub(crate) fn failure_of_child(child: &ActorCell, error: ActorProcessingErr) -> FailureInfo {
    let child_id = actor_id_of(child);
    let error = match error.downcast::<EscalatedFailure>() {
        Ok(escalated) => {
            let mut info = escalated.into_info();
            info.path = core::iter::once(child_id)
                .chain(info.path.segments().iter().copied())
                .collect();
            return info;
        }
        Err(error) => error,
    };
    let (failure, mut metadata) = match error.downcast::<TaggedFailure>() {
        Ok(tagged) => tagged.into_parts(),
        Err(error) => (ActorFailure::from_error(&*error), FailureMetadata::new()),
    };
    if let Some(name) = child.get_name()
        && metadata.get(ACTOR_NAME_TAG).is_none()
    {
        // A tag that cannot be stored is counted in the metadata's dropped tags.
        let _ = metadata.insert_tag(ACTOR_NAME_TAG, name);
    }
    FailureInfo::new(child_id, ActorPath::root().child(child_id), failure).with_metadata(metadata)
}

impl EscalatedFailure {
    /// The failure `child` reported to this supervisor (the pair inside
    /// `SupervisionEvent::ActorFailed`), passed one hop further up.
    #[must_use]
    pub fn from_child(child: &ActorCell, error: ActorProcessingErr) -> Self {
        Self::from_info(failure_of_child(child, error).escalate_to_parent())
    }
}
