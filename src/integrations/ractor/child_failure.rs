//! What a supervisor learns from `SupervisionEvent::ActorFailed(child, error)`.

use ::ractor::{ActorCell, ActorProcessingErr};

use super::{EscalatedFailure, TaggedFailure, actor_id_of};
use crate::failure::{ActorFailure, ActorPath, FailureInfo, FailureMetadata};
use crate::integrations::user_code::{UNPRINTABLE_ERROR, UserCodeGuards};

/// The text ractor gives a panic whose payload is not a string (its `get_panic_string`).
const RACTOR_UNKNOWN_PANIC: &str = "Unknown panic occurred which couldn't be coerced to a string";

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
///   child's tags already set it). ractor hands a supervisor a panic as its message
///   string: the record the panic hook ([`install_panic_hook`](crate::install_panic_hook))
///   made of it, found by that message, makes the failure kind `Panic` with the panic's
///   location, backtrace and trace context; without one, the trace context current
///   here, if a trace source is registered.
///
/// The error's `Display` and `source()` and its drop are user code: each runs under a
/// panic guard, and what the guards catch is added to `guards` (an escalated failure
/// brings the counts of the guards on its way up). An error whose text could not be
/// made is described by [`UNPRINTABLE_ERROR`].
pub(crate) fn failure_of_child(
    child: &ActorCell,
    error: ActorProcessingErr,
    guards: &mut UserCodeGuards,
) -> FailureInfo {
    let child_id = actor_id_of(child);
    let error = match error.downcast::<EscalatedFailure>() {
        Ok(escalated) => {
            let (mut info, carried) = escalated.into_parts();
            guards.add(carried);
            info.path = core::iter::once(child_id)
                .chain(info.path.segments().iter().copied())
                .collect();
            return info;
        }
        Err(error) => error,
    };
    let (failure, mut metadata) = match error.downcast::<TaggedFailure>() {
        Ok(tagged) => tagged.into_parts(),
        Err(error) => {
            let failure = match guards.run(|| ActorFailure::from_error(&*error)) {
                Some(failure) => {
                    let key = failure.description();
                    let key = (key != RACTOR_UNKNOWN_PANIC).then_some(key);
                    let key = key.map(alloc::string::String::from);
                    failure.picking_up_panic(key.as_deref())
                }
                None => ActorFailure::from_message(UNPRINTABLE_ERROR),
            };
            guards.drop_value(error);
            (failure, FailureMetadata::new())
        }
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
    ///
    /// The child's error is user code (its `Display`, `source()` and drop): a panic in
    /// it is caught, the failure still passed on (see the [module docs](super)), and
    /// the panic counted in the guardian's
    /// [`GuardianStats::user_code_panics`](super::GuardianStats::user_code_panics).
    #[must_use]
    pub fn from_child(child: &ActorCell, error: ActorProcessingErr) -> Self {
        let mut guards = UserCodeGuards::default();
        let info = failure_of_child(child, error, &mut guards).escalate_to_parent();
        Self::from_info(info, guards)
    }
}
