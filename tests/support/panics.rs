//! Deliberate panics in tests, kept quiet: shared by the reliability tests, each of
//! which includes it as `mod support { pub(crate) mod panics; }`.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of these helpers"
)]

use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};

/// The payload of every panic a test causes on purpose. The panic hook installed by
/// [`silence_intentional_panics`] stays quiet for it and reports every other panic (a
/// failed assertion) as usual.
#[derive(Debug)]
pub(crate) struct IntentionalPanic(pub(crate) &'static str);

/// Panics with an [`IntentionalPanic`] payload.
pub(crate) fn intentional_panic(what: &'static str) -> ! {
    std::panic::panic_any(IntentionalPanic(what))
}

/// Installs, once per test binary, a panic hook that prints nothing for
/// [`IntentionalPanic`]s and defers to the previous hook for anything else, so that
/// thousands of deliberate panics keep the output readable and fast while a failing
/// assertion still prints its message.
pub(crate) fn silence_intentional_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let intentional = payload.is::<IntentionalPanic>()
                || payload.is::<PanickingPayload>()
                || payload.is::<PanicsIntoCountedDrop>()
                || payload.is::<CountedDrop>()
                || payload.is::<PanicsTwiceWhenDropped>();
            if !intentional {
                previous(info);
            }
        }));
    });
}

/// A panic payload whose `Drop` panics again: what a careless hook could throw.
#[derive(Debug)]
pub(crate) struct PanickingPayload;

impl Drop for PanickingPayload {
    fn drop(&mut self) {
        intentional_panic("the panic payload panicked while being dropped");
    }
}

/// Panics with a [`PanickingPayload`].
pub(crate) fn panic_with_panicking_payload() -> ! {
    std::panic::panic_any(PanickingPayload)
}

/// A payload that counts its drops in a test's own counter: harmless to drop.
#[derive(Debug)]
pub(crate) struct CountedDrop(pub(crate) &'static AtomicU64);

impl Drop for CountedDrop {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A payload whose `Drop` panics with a [`CountedDrop`]: the second payload is harmless,
/// so it must be dropped (and counted), not leaked.
#[derive(Debug)]
pub(crate) struct PanicsIntoCountedDrop(pub(crate) &'static AtomicU64);

impl Drop for PanicsIntoCountedDrop {
    fn drop(&mut self) {
        std::panic::panic_any(CountedDrop(self.0))
    }
}

/// A payload whose `Drop` panics with a [`PanickingPayload`], whose own `Drop` panics
/// again: the third payload is the one that must be leaked (and counted).
#[derive(Debug)]
pub(crate) struct PanicsTwiceWhenDropped;

impl Drop for PanicsTwiceWhenDropped {
    fn drop(&mut self) {
        std::panic::panic_any(PanickingPayload)
    }
}
