//! Spawning a linked child whose start failure reaches the supervision tree.
//!
//! ractor reports a failed `pre_start` only to the spawner (`SpawnErr::StartupFailed`):
//! the child is never linked, so its supervisor, and the root guardian above it, hear
//! nothing. [`spawn_linked_reported`] runs the child's `pre_start` inside a wrapper
//! actor that always starts, gets linked, and then fails in `post_start` with the
//! original error, so the supervisor receives `SupervisionEvent::ActorFailed(child,
//! error)` like for any other failure of that child.

use core::future::Future;
use core::panic::AssertUnwindSafe;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::boxed::Box;
use std::string::{String, ToString};
use std::sync::{Arc, OnceLock};

use ::ractor::concurrency::JoinHandle;
use ::ractor::{
    Actor, ActorCell, ActorName, ActorProcessingErr, ActorRef, SpawnErr, SupervisionEvent,
};

use super::TaggedFailure;
use crate::failure::ActorFailure;

/// Spawns `handler` linked to `supervisor`, like ractor's `Actor::spawn_linked`, except
/// that a failure of its `pre_start` (an error or a panic) is also reported to
/// `supervisor` as a failure of the new child.
///
/// - When `pre_start` succeeds this is `Actor::spawn_linked`: the same `ActorRef`, the
///   same join handle, every message, supervision event and `post_start`/`post_stop`
///   call goes to `handler`.
/// - When it fails, the child (its id and name already allocated) is linked to
///   `supervisor` and fails at once with `pre_start`'s error, before handling any
///   message: `supervisor` receives `SupervisionEvent::ActorFailed(child, error)`. Under
///   a [`RootGuardian`](super::RootGuardian), directly or through supervisors that
///   [`escalate`](super::escalate), the guardian reports it as that child's failure
///   (its path, its name in `actor_name`, the tags of a [`TaggedFailure`], the panic
///   message for a panic). This function waits until the child has stopped, so the
///   event is on its way when it returns, and then returns
///   `Err(SpawnErr::StartupFailed)` with the error's description (the original error
///   went to the supervisor).
///
/// # Errors
/// [`SpawnErr::StartupFailed`] when `pre_start` failed (the failure was reported), and
/// ractor's other [`SpawnErr`]s (a name already taken, a supervisor that is shutting
/// down: then there is no child to report).
///
/// # Example
///
/// ```
/// use escalation_telemetry::integrations::ractor::{RootGuardian, TaggedFailure, spawn_linked_reported};
/// use escalation_telemetry::prelude::*;
/// use ractor::{Actor, ActorProcessingErr, ActorRef, SpawnErr};
///
/// /// Cannot start: its database is unreachable.
/// struct Repository;
///
/// impl Actor for Repository {
///     type Msg = ();
///     type State = ();
///     type Arguments = ();
///
///     async fn pre_start(&self, _: ActorRef<()>, _: ()) -> Result<(), ActorProcessingErr> {
///         Err(TaggedFailure::new("database unreachable").with_tag(key!("db"), "orders").into())
///     }
/// }
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let (lines, mut reported) = tokio::sync::mpsc::unbounded_channel();
///     let config = ActorSystemConfig::<StdRuntime>::new()
///         .with_failure_telemetry(move |_ctx| {
///             let lines = lines.clone();
///             FailureTelemetryShared::from_fn(move |snapshot| {
///                 let _ = lines.send(snapshot.to_string());
///             })
///         })
///         .finalize();
///     let (guardian, guardian_done) = RootGuardian::spawn_with_config(None, &config).await?;
///
///     let started = spawn_linked_reported(Some("repository".into()), Repository, (), guardian.get_cell()).await;
///     assert!(matches!(started, Err(SpawnErr::StartupFailed(_))));
///
///     let line = reported.recv().await.ok_or("the guardian reports the start failure")?;
///     assert!(line.ends_with(r#"hops=0 description="database unreachable" tags=[db=orders actor_name=repository]"#));
///
///     guardian.stop(None);
///     guardian_done.await?;
///     Ok(())
/// }
/// ```
pub async fn spawn_linked_reported<A: Actor>(
    name: Option<ActorName>,
    handler: A,
    arguments: A::Arguments,
    supervisor: ActorCell,
) -> Result<(ActorRef<A::Msg>, JoinHandle<()>), SpawnErr> {
    let start_error = Arc::new(OnceLock::new());
    let wrapper = ReportStart {
        inner: handler,
        start_error: Arc::clone(&start_error),
    };
    let (child, handle) = Actor::spawn_linked(name, wrapper, arguments, supervisor).await?;
    match start_error.get() {
        None => Ok((child, handle)),
        Some(description) => {
            let description = description.clone();
            // The child fails in `post_start`; once its task ends, the supervisor has
            // been sent the failure. A child task that itself panicked has nothing more
            // to report.
            let _ = handle.await;
            Err(SpawnErr::StartupFailed(description.into()))
        }
    }
}

/// `A`, with a failed `pre_start` turned into a failure after linking.
struct ReportStart<A> {
    inner: A,
    /// The description of `pre_start`'s error, set when it failed.
    start_error: Arc<OnceLock<String>>,
}

/// The wrapper's state: `A`'s, or the start error waiting for `post_start`.
enum StartState<S> {
    Started(S),
    Failed(Option<ActorProcessingErr>),
}

impl<A: Actor> Actor for ReportStart<A> {
    type Msg = A::Msg;
    type State = StartState<A::State>;
    type Arguments = A::Arguments;

    async fn pre_start(
        &self,
        myself: ActorRef<A::Msg>,
        arguments: A::Arguments,
    ) -> Result<Self::State, ActorProcessingErr> {
        let started = CatchUnwind(Box::pin(self.inner.pre_start(myself, arguments))).await;
        let error = match started {
            Ok(Ok(state)) => return Ok(StartState::Started(state)),
            Ok(Err(error)) => error,
            Err(payload) => {
                let failure = ActorFailure::from_panic_payload(&*payload);
                Box::new(TaggedFailure::from_failure(failure)) as ActorProcessingErr
            }
        };
        let _ = self.start_error.set(error.to_string());
        Ok(StartState::Failed(Some(error)))
    }

    async fn post_start(
        &self,
        myself: ActorRef<A::Msg>,
        state: &mut Self::State,
    ) -> Result<(), ActorProcessingErr> {
        match state {
            StartState::Started(state) => self.inner.post_start(myself, state).await,
            StartState::Failed(error) => Err(error
                .take()
                .unwrap_or_else(|| "the actor failed to start".into())),
        }
    }

    async fn post_stop(
        &self,
        myself: ActorRef<A::Msg>,
        state: &mut Self::State,
    ) -> Result<(), ActorProcessingErr> {
        match state {
            StartState::Started(state) => self.inner.post_stop(myself, state).await,
            StartState::Failed(_) => Ok(()),
        }
    }

    async fn handle(
        &self,
        myself: ActorRef<A::Msg>,
        message: A::Msg,
        state: &mut Self::State,
    ) -> Result<(), ActorProcessingErr> {
        match state {
            StartState::Started(state) => self.inner.handle(myself, message, state).await,
            StartState::Failed(_) => Ok(()),
        }
    }

    #[cfg(feature = "cluster")]
    async fn handle_serialized(
        &self,
        myself: ActorRef<A::Msg>,
        message: ::ractor::message::SerializedMessage,
        state: &mut Self::State,
    ) -> Result<(), ActorProcessingErr> {
        match state {
            StartState::Started(state) => {
                self.inner.handle_serialized(myself, message, state).await
            }
            StartState::Failed(_) => Ok(()),
        }
    }

    async fn handle_supervisor_evt(
        &self,
        myself: ActorRef<A::Msg>,
        event: SupervisionEvent,
        state: &mut Self::State,
    ) -> Result<(), ActorProcessingErr> {
        match state {
            StartState::Started(state) => {
                self.inner.handle_supervisor_evt(myself, event, state).await
            }
            StartState::Failed(_) => Ok(()),
        }
    }
}

/// A future that turns a panic while polling into `Err(payload)`, as ractor does
/// around `pre_start`.
struct CatchUnwind<F>(Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, Box<dyn core::any::Any + Send>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.0.as_mut();
        match std::panic::catch_unwind(AssertUnwindSafe(move || inner.poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Err(payload)),
        }
    }
}
