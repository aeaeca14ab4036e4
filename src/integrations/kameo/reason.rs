//! What a kameo stop reason says about a failure: its description and its kind.

use alloc::format;
use alloc::string::String;

use ::kameo::error::{ActorStopReason, PanicError, PanicReason};

use crate::failure::ActorFailure;
use crate::integrations::user_code::{UNPRINTABLE_ERROR, UserCodeGuards};

/// Key of the tag that says how the failing actor stopped: the [`PanicReason`] of a
/// panic or error, snake-case (`handler_panic`, `on_message`, `on_start`, `on_panic`,
/// `on_link_died`, `on_stop`, `on_undelivered`, `next`), or, at the end of a chain of
/// linked deaths, `killed`, `normal`, `supervisor_restart` or `other`.
pub const KAMEO_REASON_TAG: &str = "kameo_reason";

/// The failure a [`PanicError`] describes:
///
/// - a panic or error whose payload is a string (`panic!("..")`, an `Err(String)` or
///   `Err(&str)`): that string, the panic text as written;
/// - a panic with another payload: `"panic with a non-string payload"`;
/// - an error of another type (a handler's or hook's `Err(e)`): its `Debug` form, because
///   kameo keeps errors as `dyn ReplyError`, which promises `Debug` and not `Display`.
///
/// The error's `Debug` is user code: it runs under a panic guard (the guardian must not
/// die of it), the panic and a leaked payload are counted in `guards`, and the
/// description is [`UNPRINTABLE_ERROR`]. The caught payload is dropped under the guard
/// too, by the root path's rule: a payload whose drop panics again is leaked and
/// counted.
///
/// A panic picks up the record the panic hook
/// ([`install_panic_hook`](crate::install_panic_hook)) made of it, found by its
/// message: kind `Panic`, the panic's location, backtrace and trace context. Any
/// failure without a trace gets the one current here, if a trace source is registered.
pub(crate) fn failure_of_panic(error: &PanicError, guards: &mut UserCodeGuards) -> ActorFailure {
    let text = error.with_str(|text| String::from(text));
    if error.is_panic() {
        let failure = ActorFailure::from_message(
            text.clone()
                .unwrap_or_else(|| String::from("panic with a non-string payload")),
        );
        return failure.picking_up_panic(text.as_deref());
    }
    if let Some(text) = text {
        return ActorFailure::from_message(text).with_trace_from_source();
    }
    let debug = guards.run(|| error.with(|inner| format!("{inner:?}")));
    ActorFailure::from_message(debug.unwrap_or_else(|| String::from(UNPRINTABLE_ERROR)))
        .with_trace_from_source()
}

/// The value of [`KAMEO_REASON_TAG`] for a panic or error.
pub(crate) fn panic_reason_tag(reason: PanicReason) -> &'static str {
    match reason {
        PanicReason::HandlerPanic => "handler_panic",
        PanicReason::OnMessage => "on_message",
        PanicReason::OnStart => "on_start",
        PanicReason::OnPanic => "on_panic",
        PanicReason::OnLinkDied => "on_link_died",
        PanicReason::OnStop => "on_stop",
        PanicReason::OnUndelivered => "on_undelivered",
        PanicReason::Next => "next",
    }
}

/// The failure and its [`KAMEO_REASON_TAG`] value for the innermost reason of a chain of
/// linked deaths (never itself a `LinkDied`).
pub(crate) fn failure_of_stop(
    reason: &ActorStopReason,
    guards: &mut UserCodeGuards,
) -> (ActorFailure, &'static str) {
    match reason {
        ActorStopReason::Panicked(error) => (
            failure_of_panic(error, guards),
            panic_reason_tag(error.reason()),
        ),
        ActorStopReason::Killed => (ActorFailure::from_message("actor was killed"), "killed"),
        ActorStopReason::Normal => (
            ActorFailure::from_message("actor stopped normally"),
            "normal",
        ),
        ActorStopReason::SupervisorRestart => (
            ActorFailure::from_message("actor restarted by supervisor"),
            "supervisor_restart",
        ),
        // `LinkDied` is unwrapped before this is called; `PeerDisconnected` exists only
        // with kameo's `remote` feature, which another crate in the build may turn on.
        #[allow(unreachable_patterns, reason = "variants added by kameo features")]
        other => (ActorFailure::from_message(format!("{other}")), "other"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::boxed::Box;

    #[derive(Debug)]
    struct DiskFull {
        #[allow(dead_code, reason = "read through Debug")]
        free: u64,
    }

    struct PanickingDebug;

    impl core::fmt::Debug for PanickingDebug {
        fn fmt(&self, _: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            panic!("Debug panicked")
        }
    }

    #[test]
    fn string_payloads_are_kept_as_written() {
        let error = PanicError::new(Box::new("boom at 3"), PanicReason::HandlerPanic);
        let guards = &mut UserCodeGuards::default();
        assert_eq!(failure_of_panic(&error, guards).description(), "boom at 3");
        let error = PanicError::new(Box::new(String::from("bad input")), PanicReason::OnMessage);
        assert_eq!(failure_of_panic(&error, guards).description(), "bad input");
        assert_eq!(*guards, UserCodeGuards::default());
    }

    #[test]
    fn other_errors_are_described_by_debug() {
        let error = PanicError::new(Box::new(DiskFull { free: 0 }), PanicReason::OnStart);
        assert_eq!(
            failure_of_panic(&error, &mut UserCodeGuards::default()).description(),
            "DiskFull { free: 0 }"
        );
        assert_eq!(panic_reason_tag(error.reason()), "on_start");
    }

    #[test]
    fn a_panicking_debug_is_caught() {
        let error = PanicError::new(Box::new(PanickingDebug), PanicReason::OnStop);
        let mut guards = UserCodeGuards::default();
        assert_eq!(
            failure_of_panic(&error, &mut guards).description(),
            UNPRINTABLE_ERROR
        );
        assert_eq!(guards.panics, 1);
    }

    /// A panic payload whose drop panics, `depth` times in a row.
    struct PanicsOnDrop(u32);

    impl Drop for PanicsOnDrop {
        fn drop(&mut self) {
            if self.0 > 0 {
                std::panic::panic_any(PanicsOnDrop(self.0 - 1));
            }
        }
    }

    /// An error whose `Debug` panics with a payload whose drop panics `depth` times.
    struct HostileDebug(u32);

    impl core::fmt::Debug for HostileDebug {
        fn fmt(&self, _: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            std::panic::panic_any(PanicsOnDrop(self.0))
        }
    }

    #[test]
    fn a_debug_panic_whose_payload_panics_on_drop_is_caught_and_counted() {
        for (depth, leaked) in [(1, 0), (2, 1)] {
            let error = PanicError::new(Box::new(HostileDebug(depth)), PanicReason::OnMessage);
            let mut guards = UserCodeGuards::default();
            let failure = failure_of_panic(&error, &mut guards);
            assert_eq!(failure.description(), UNPRINTABLE_ERROR);
            assert_eq!((guards.panics, guards.payloads_leaked), (1, leaked));
        }
    }
}
