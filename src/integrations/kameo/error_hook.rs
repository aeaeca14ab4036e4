//! kameo's actor error hook, bridged to a root guardian.
//!
//! kameo calls its hook (`kameo::error::set_actor_error_hook`, one plain
//! `fn(&PanicError)` for the whole process) for errors that stop no actor and so never
//! reach a link: an `on_stop` or `on_undelivered` hook that fails, and an error returned
//! by a task a handler delegated with `Context::spawn`. A plain `fn` captures nothing,
//! so the guardian it reports to is registered process-wide, here.

use ::kameo::actor::ActorRef;
use ::kameo::message::{Context, Message};

use super::hook_target::{ActorErrorReport, register};
use super::reason::{failure_of_panic, panic_reason_tag};
use super::{KAMEO_REASON_TAG, RootGuardian, UNKNOWN_ACTOR};
use crate::config::ActorRuntime;
use crate::failure::{ActorPath, FailureInfo, FailureMetadata};

/// Makes `guardian` receive what kameo's actor error hook reports, and installs
/// [`forward_actor_error`](super::forward_actor_error) as that hook.
///
/// Each report becomes a failure through the guardian's sink, counted in
/// [`GuardianStats::error_hook_reports`](super::GuardianStats::error_hook_reports):
/// actor [`UNKNOWN_ACTOR`] and path `/` (kameo's hook is not told which actor failed),
/// the error's text as the description (as for a linked death), and
/// [`KAMEO_REASON_TAG`] (`on_stop`, `on_undelivered`, `on_message` for a delegated
/// task).
///
/// kameo has one hook per process, so this is a process-wide registration:
///
/// - the hook installed before (kameo's default logs through `tracing`) is replaced;
///   to keep your own, install yours after this and call [`forward_actor_error`](super::forward_actor_error) from
///   it;
/// - with two actor systems (two guardians) in one process, the last guardian
///   installed receives every report: the hook cannot tell which system an error comes
///   from;
/// - a guardian that stops removes its registration; reports that find no live
///   guardian are counted in [`error_hook_reports_dropped`](super::error_hook_reports_dropped).
pub fn install_error_hook<R: ActorRuntime>(guardian: &ActorRef<RootGuardian<R>>) {
    register(guardian.clone().recipient::<ActorErrorReport>().downgrade());
    ::kameo::error::set_actor_error_hook(super::forward_actor_error);
}

impl<R: ActorRuntime> Message<ActorErrorReport> for RootGuardian<R> {
    type Reply = ();

    async fn handle(&mut self, report: ActorErrorReport, _: &mut Context<Self, ()>) {
        let ActorErrorReport(error) = report;
        let metadata = FailureMetadata::<R::Tags>::new_in()
            .with_tag(KAMEO_REASON_TAG, panic_reason_tag(error.reason()));
        let failure = failure_of_panic(&error, self.user_code());
        // The report may hold the last reference to the error: its drop is user code.
        self.user_code().drop_value(error);
        let info = FailureInfo::<R::Tags>::new_in(UNKNOWN_ACTOR, ActorPath::root(), failure)
            .with_metadata(metadata);
        self.report_error_hook(info);
    }
}
