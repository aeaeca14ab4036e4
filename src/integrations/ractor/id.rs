//! How ractor's actor ids become [`ActorId`]s.

use crate::failure::ActorId;

/// A ractor actor id as an [`ActorId`]: its pid.
///
/// Local actors (`ractor::ActorId::Local(pid)`) map to `ActorId(pid)`. ractor hands
/// out local pids from one process-wide counter, so they are unique within the process
/// and never reused while it runs: exactly what an [`ActorPath`](crate::ActorPath)
/// segment needs. A remote actor (`ractor_cluster`) maps to its pid on its own node;
/// the node id is not part of the [`ActorId`], because every path the guardian builds
/// is a path of local supervision links.
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// assert_eq!(ActorId::from(ractor::ActorId::Local(42)), ActorId(42));
/// ```
impl From<::ractor::ActorId> for ActorId {
    fn from(id: ::ractor::ActorId) -> Self {
        Self(id.pid())
    }
}

/// The [`ActorId`] of a ractor actor (`ActorId::from(cell.get_id())`).
#[must_use]
pub fn actor_id_of(cell: &::ractor::ActorCell) -> ActorId {
    ActorId::from(cell.get_id())
}
