//! A root guardian for [ractor](https://docs.rs/ractor) supervision trees (feature
//! `ractor`).
//!
//! [`RootGuardian`] is an actor at the root of your tree that owns a
//! [`RootEscalationSink`](crate::RootEscalationSink) built from a finalized
//! [`ActorSystemConfig`](crate::ActorSystemConfig). Spawn your actors linked under it,
//! directly or through intermediate supervisors; every
//! `SupervisionEvent::ActorFailed` that reaches it becomes a
//! [`FailureInfo`](crate::FailureInfo) and goes through the sink (telemetry hook,
//! observation, failure event handler, listener).
//!
//! # What the failure says
//!
//! | field | value |
//! |---|---|
//! | `actor` | the actor that failed (not a supervisor that passed the failure on) |
//! | `path` | from the guardian (`/`): the ids of the failing actor's ancestors below the guardian, then its own id: `/child/grandchild` |
//! | hops (`stage`) | how many supervisors escalated it: 0 when the failing actor is the guardian's own child |
//! | description | the panic message, or the returned error's `Display` ([`UNPRINTABLE_ERROR`] when its `Display` or `source()` panics: caught, counted in [`GuardianStats::user_code_panics`]) |
//! | tags | those of a [`TaggedFailure`] the actor returned, then [`ACTOR_NAME_TAG`] (`actor_name`) when the actor has a ractor name, then any a supervisor added on the way ([`EscalatedFailure::with_tag`]) |
//!
//! Ids are ractor pids: `ActorId::from(cell.get_id())` (see the `From` impl on
//! [`ActorId`](crate::ActorId) and [`actor_id_of`]).
//!
//! # Escalating through intermediate supervisors
//!
//! A supervisor between the guardian and the failing actor escalates by returning an
//! [`EscalatedFailure`] from `handle_supervisor_evt`, which is ractor's own escalation
//! (the supervisor stops, its supervisor gets `ActorFailed`) carrying the original
//! failure: [`escalate(event)`](escalate) does it for every failure, and
//! [`EscalatedFailure::from_child`] lets a supervisor handle some failures itself and
//! escalate the others. A supervisor that returns some other error is reported as the
//! failing actor itself. One that keeps ractor's default `handle_supervisor_evt` stops
//! *normally* when a child fails, so that failure never reaches the guardian: escalate
//! explicitly.
//!
//! # Actors that fail to start
//!
//! ractor reports a failed `pre_start` (an error or a panic) only to the spawner, as
//! `SpawnErr::StartupFailed`: the actor is never linked, so no supervisor and no
//! guardian hears of it. Spawn with [`spawn_linked_reported`] instead of
//! `Actor::spawn_linked` where that failure must reach the guardian: it is then
//! delivered to the supervisor as `ActorFailed(child, error)`, a failure of that child
//! like any other.
//!
//! Failures travel in the default tag storage and reach the sink in the storage of the
//! guardian's runtime `R` (see [`RootGuardian`]).
//!
//! # Example
//!
//! ```
//! use escalation_telemetry::integrations::ractor::{RootGuardian, TaggedFailure, escalate};
//! use escalation_telemetry::prelude::*;
//! use ractor::{Actor, ActorProcessingErr, ActorRef, SupervisionEvent};
//!
//! /// Fails on every message.
//! struct Worker;
//! impl Actor for Worker {
//!     type Msg = ();
//!     type State = ();
//!     type Arguments = ();
//!     async fn pre_start(&self, _: ActorRef<()>, _: ()) -> Result<(), ActorProcessingErr> {
//!         Ok(())
//!     }
//!     async fn handle(&self, _: ActorRef<()>, _: (), _: &mut ()) -> Result<(), ActorProcessingErr> {
//!         Err(TaggedFailure::new("disk full").with_tag(key!("tenant"), "acme").into())
//!     }
//! }
//!
//! /// Escalates every failure of its children.
//! struct Supervisor;
//! impl Actor for Supervisor {
//!     type Msg = ();
//!     type State = ();
//!     type Arguments = ();
//!     async fn pre_start(&self, _: ActorRef<()>, _: ()) -> Result<(), ActorProcessingErr> {
//!         Ok(())
//!     }
//!     async fn handle_supervisor_evt(
//!         &self,
//!         _: ActorRef<()>,
//!         event: SupervisionEvent,
//!         _: &mut (),
//!     ) -> Result<(), ActorProcessingErr> {
//!         escalate(event)
//!     }
//! }
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let (failures, mut reported) = tokio::sync::mpsc::unbounded_channel();
//!     let config = ActorSystemConfig::<StdRuntime>::new()
//!         .with_failure_telemetry(|_ctx| {
//!             FailureTelemetryShared::from_fn(|snapshot| println!("telemetry: {snapshot}"))
//!         })
//!         .finalize()
//!         .with_failure_event_handler(move |info| {
//!             let _ = failures.send(info.to_string());
//!         });
//!
//!     let (guardian, guardian_done) = RootGuardian::spawn_with_config(None, &config).await?;
//!     let (supervisor, _) = Actor::spawn_linked(None, Supervisor, (), guardian.get_cell()).await?;
//!     let (worker, _) =
//!         Actor::spawn_linked(Some("doc-worker".into()), Worker, (), supervisor.get_cell()).await?;
//!     worker.cast(())?;
//!
//!     let line = reported.recv().await.ok_or("the guardian reports the failure")?;
//!     let path = format!("/{}/{}", supervisor.get_id().pid(), worker.get_id().pid());
//!     assert_eq!(
//!         line,
//!         format!(
//!             r#"path={path} actor={} hops=1 description="disk full" tags=[tenant=acme actor_name=doc-worker]"#,
//!             worker.get_id().pid()
//!         )
//!     );
//!
//!     guardian.stop(None);
//!     guardian_done.await?;
//!     Ok(())
//! }
//! ```

mod child_failure;
#[cfg(feature = "cluster")]
#[cfg_attr(docsrs, doc(cfg(feature = "cluster")))]
pub mod cluster;
mod escalation;
mod guardian;
mod id;
mod message;
mod start_failure;
mod state;
mod storage;
mod tagged;

pub use child_failure::ACTOR_NAME_TAG;
pub use escalation::{EscalatedFailure, escalate};
pub use guardian::RootGuardian;
pub use id::actor_id_of;
pub use message::{GuardianMessage, GuardianStats};
pub use start_failure::spawn_linked_reported;
pub use state::GuardianState;
pub use tagged::TaggedFailure;

pub use crate::integrations::user_code::UNPRINTABLE_ERROR;
