//! How kameo's actor ids become [`ActorId`]s.

use crate::failure::ActorId;

/// A kameo actor id as an [`ActorId`]: its sequence id.
///
/// kameo hands out sequence ids from one process-wide counter starting at 0, so they are
/// unique within the process and never reused while it runs: what an
/// [`ActorPath`](crate::ActorPath) segment needs. With kameo's `remote` feature an id
/// also names a peer; the peer is not part of the [`ActorId`], because every path the
/// guardian builds is a path of links it saw locally.
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// assert_eq!(ActorId::from(kameo::actor::ActorId::new(42)), ActorId(42));
/// ```
impl From<::kameo::actor::ActorId> for ActorId {
    fn from(id: ::kameo::actor::ActorId) -> Self {
        Self(id.sequence_id())
    }
}

/// The actor of a failure reported through kameo's actor error hook: kameo does not say
/// which actor it was (the hook receives only the error), so the failure carries this id
/// and the root path `/`.
///
/// kameo's sequence ids count up from 0; reaching `u64::MAX` would take 2⁶⁴ spawns, so
/// this id never names a real actor.
pub const UNKNOWN_ACTOR: ActorId = ActorId(u64::MAX);
