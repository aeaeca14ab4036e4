//! The intermediate ractor supervisor the guardian and cluster tests put between a
//! failing worker and the root: it escalates every child failure, optionally adding a
//! tag on the way. Each test includes it as
//! `mod support { pub(crate) mod ractor_escalator; }`.

use escalation_telemetry::integrations::ractor::{EscalatedFailure, escalate};
use ractor::{Actor, ActorProcessingErr, ActorRef, SupervisionEvent};

/// Escalates every child failure, adding `tag` (key, value) when there is one.
pub(crate) struct Escalator {
    pub(crate) tag: Option<(&'static str, &'static str)>,
}

impl Actor for Escalator {
    type Msg = ();
    type State = ();
    type Arguments = ();

    async fn pre_start(&self, _: ActorRef<()>, _: ()) -> Result<(), ActorProcessingErr> {
        Ok(())
    }

    async fn handle_supervisor_evt(
        &self,
        _: ActorRef<()>,
        event: SupervisionEvent,
        _: &mut (),
    ) -> Result<(), ActorProcessingErr> {
        match (self.tag, event) {
            (Some((key, value)), SupervisionEvent::ActorFailed(child, error)) => {
                Err(EscalatedFailure::from_child(&child, error)
                    .with_tag(key, value)
                    .into())
            }
            (_, event) => escalate(event),
        }
    }
}
