//! A root guardian for [kameo](https://docs.rs/kameo) supervision trees (feature
//! `kameo`).
//!
//! [`RootGuardian`] is an actor at the root of your tree that owns a
//! [`RootEscalationSink`](crate::RootEscalationSink) built from a finalized
//! [`ActorSystemConfig`](crate::ActorSystemConfig). Link your top-level actors to it;
//! every linked death with a `Panicked` or `LinkDied` reason becomes a
//! [`FailureInfo`](crate::FailureInfo) and goes through the sink (telemetry hook,
//! observation, failure event handler, listener). [`install_error_hook`] also routes
//! kameo's process-wide actor error hook to it.
//!
//! kameo 0.22 needs Rust 1.88, the crate's own minimum.
//!
//! # What the failure says
//!
//! kameo tells a linked actor *why* a link died, and an actor that stops because its
//! own link died (kameo's default `on_link_died` for any abnormal death) says so with
//! `LinkDied { id, reason }`, nesting the reason it got. The guardian unwraps that
//! chain:
//!
//! | field | value |
//! |---|---|
//! | `actor` | the actor at the end of the chain: the one that actually failed |
//! | `path` | from the guardian (`/`): the linked actor that died, then the id of each `LinkDied` in the chain: `/child/grandchild` |
//! | hops (`stage`) | the number of `LinkDied` in the chain: 0 when the guardian's own link failed |
//! | description | the panic text as written (`panic!("..")`), an error that is a string as is, any other error in its `Debug` form ([`UNPRINTABLE_ERROR`] when that `Debug` panics: caught, counted in [`GuardianStats::user_code_panics`]); `actor was killed` when the chain ends in a kill |
//! | tags | [`KAMEO_REASON_TAG`] (`kameo_reason`): `handler_panic`, `on_message` (a handler's `Err` on a `tell`), `on_start`, ..., or `killed` |
//!
//! Ids are kameo sequence ids (see the `From` impl on [`ActorId`](crate::ActorId)).
//! A failure reported through the actor error hook has actor [`UNKNOWN_ACTOR`] and path
//! `/`: kameo's hook receives only the error.
//!
//! # Intermediate supervisors
//!
//! Nothing to write: an actor spawned with `spawn_link` under another keeps kameo's
//! default `on_link_died`, which stops it with `LinkDied` when a child fails, and so
//! passes the failure one hop up. An actor that overrides `on_link_died` and returns
//! `ControlFlow::Continue` handles the failure itself; the guardian does not hear of it.
//! Children under kameo's restart supervision (`Spawn::supervise`) that are restarted
//! are handled below too; only a death that travels over links reaches the guardian.
//!
//! # Example
//!
//! ```
//! use escalation_telemetry::integrations::kameo::{GetStats, RootGuardian};
//! use escalation_telemetry::prelude::*;
//! use kameo::actor::{Actor, ActorRef, Spawn};
//! use kameo::error::Infallible;
//! use kameo::message::{Context, Message};
//!
//! /// Panics on every message.
//! struct Worker;
//! impl Actor for Worker {
//!     type Args = Self;
//!     type Error = Infallible;
//!     async fn on_start(worker: Self, _: ActorRef<Self>) -> Result<Self, Infallible> {
//!         Ok(worker)
//!     }
//! }
//! struct Work;
//! impl Message<Work> for Worker {
//!     type Reply = ();
//!     async fn handle(&mut self, _: Work, _: &mut Context<Self, ()>) {
//!         panic!("disk full");
//!     }
//! }
//!
//! /// A plain actor between the guardian and the worker.
//! struct Team;
//! impl Actor for Team {
//!     type Args = Self;
//!     type Error = Infallible;
//!     async fn on_start(team: Self, _: ActorRef<Self>) -> Result<Self, Infallible> {
//!         Ok(team)
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
//!     let guardian = RootGuardian::spawn_with_config(&config);
//!     let team = Team::spawn_link(&guardian, Team).await;
//!     let worker = Worker::spawn_link(&team, Worker).await;
//!     worker.tell(Work).await?;
//!
//!     let line = reported.recv().await.ok_or("the guardian reports the failure")?;
//!     let (t, w) = (team.id().sequence_id(), worker.id().sequence_id());
//!     assert_eq!(
//!         line,
//!         format!(r#"path=/{t}/{w} actor={w} hops=1 description="disk full" tags=[kameo_reason=handler_panic]"#)
//!     );
//!     assert_eq!(guardian.ask(GetStats).await?.failures, 1);
//!
//!     guardian.stop_gracefully().await?;
//!     guardian.wait_for_shutdown().await;
//!     Ok(())
//! }
//! ```

mod error_hook;
mod guardian;
mod hook_target;
mod id;
mod link_death;
mod message;
mod reason;

pub use error_hook::install_error_hook;
pub use guardian::RootGuardian;
pub use hook_target::{ActorErrorReport, error_hook_reports_dropped, forward_actor_error};
pub use id::UNKNOWN_ACTOR;
pub use message::{GetStats, GuardianStats};
pub use reason::KAMEO_REASON_TAG;

pub use crate::integrations::user_code::UNPRINTABLE_ERROR;
