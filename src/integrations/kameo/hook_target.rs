//! Where kameo's actor error hook sends its reports: the guardian registered
//! process-wide (kameo's hook is a plain `fn`, it captures nothing), and the reports
//! that found none. The guardian unregisters itself here when it stops.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use ::kameo::actor::{ActorId as KameoId, WeakRecipient};
use ::kameo::error::PanicError;

/// The guardian that receives the hook's reports (the last one installed).
static TARGET: Mutex<Option<WeakRecipient<ActorErrorReport>>> = Mutex::new(None);

/// Reports the hook could not deliver.
static DROPPED: AtomicU64 = AtomicU64::new(0);

/// An error kameo passed to its actor error hook, on its way to a guardian. The hook
/// sends these; you may send one yourself (e.g. from your own hook).
#[derive(Debug, Clone)]
pub struct ActorErrorReport(pub PanicError);

/// Makes `recipient` the guardian that receives the hook's reports.
pub(crate) fn register(recipient: WeakRecipient<ActorErrorReport>) {
    *TARGET
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(recipient);
}

/// The hook [`install_error_hook`](super::install_error_hook) installs: sends the error to the registered guardian
/// without waiting (its mailbox is unbounded). Never panics and never blocks; a report
/// with no live guardian to take it is counted in [`error_hook_reports_dropped`].
pub fn forward_actor_error(error: &PanicError) {
    let target = TARGET
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .as_ref()
        .and_then(WeakRecipient::upgrade);
    let sent = target.is_some_and(|guardian| {
        guardian
            .tell(ActorErrorReport(error.clone()))
            .try_send()
            .is_ok()
    });
    if !sent {
        DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

/// How many hook reports found no live guardian (none installed, or it had stopped).
#[must_use]
pub fn error_hook_reports_dropped() -> u64 {
    DROPPED.load(Ordering::Relaxed)
}

/// Removes the registration of the guardian `id`, if it is the registered one.
pub(crate) fn unregister(id: KameoId) {
    let mut target = TARGET
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if target.as_ref().is_some_and(|weak| weak.id() == id) {
        *target = None;
    }
}
