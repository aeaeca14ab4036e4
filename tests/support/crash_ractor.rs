//! The ractor worker of the crash-report tests: it panics on every order and records
//! the line of its `panic!` first. Each test includes it as
//! `mod support { pub(crate) mod crash_ractor; }`.

use std::sync::atomic::{AtomicU32, Ordering};

use ractor::{Actor, ActorProcessingErr, ActorRef};

/// The line of the worker's `panic!`, set by the worker just before it panics.
static PANIC_LINE: AtomicU32 = AtomicU32::new(0);

/// Where the worker panics: this file (`file!()`) and the line of its `panic!`, set by
/// the last worker that panicked.
pub(crate) fn panic_at() -> (&'static str, u32) {
    (file!(), PANIC_LINE.load(Ordering::SeqCst))
}

/// An order to charge.
pub(crate) struct Order(pub(crate) u32);

// ractor's `cluster` feature (on in an `--all-features` build) removes its blanket
// `Message` impl; a local message type then declares itself with an empty impl.
#[cfg(feature = "cluster")]
impl ractor::Message for Order {}

/// A worker that panics on every order with `payment for order N declined`.
pub(crate) struct Worker;

impl Actor for Worker {
    type Msg = Order;
    type State = ();
    type Arguments = ();

    async fn pre_start(&self, _: ActorRef<Order>, _: ()) -> Result<(), ActorProcessingErr> {
        Ok(())
    }

    async fn handle(
        &self,
        _: ActorRef<Order>,
        Order(order): Order,
        _: &mut (),
    ) -> Result<(), ActorProcessingErr> {
        PANIC_LINE.store(line!() + 1, Ordering::SeqCst);
        panic!("payment for order {order} declined");
    }
}
