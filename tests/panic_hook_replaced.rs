//! A limit of the panic hook: a hook set later by someone else, without chaining,
//! replaces ours; panics are then not recorded, failures made from them know only the
//! constructor's caller, and calling `install_panic_hook` again does not come back (it
//! cannot tell). Its own binary: it changes the process's hook.
#![cfg(feature = "std")]

use std::panic::{self, catch_unwind};

use escalation_telemetry::failure::pending_panic_records;
use escalation_telemetry::prelude::*;

#[test]
fn a_hook_replaced_later_records_nothing() {
    install_panic_hook();
    let payload = catch_unwind(|| panic!("recorded")).expect_err("panics");
    let failure = ActorFailure::from_panic_payload(&*payload);
    assert_ne!(
        failure.code_location().map(|at| at.line),
        failure.location().map(|at| at.line()),
        "installed: the panic's own location"
    );

    panic::set_hook(Box::new(|_| {}));
    install_panic_hook();
    let payload = catch_unwind(|| panic!("not recorded")).expect_err("panics");
    assert_eq!(pending_panic_records(), 0);
    let failure = ActorFailure::from_panic_payload(&*payload);
    assert_eq!(failure.kind(), FailureKind::Panic);
    assert_eq!(failure.description(), "not recorded");
    assert_eq!(
        failure.code_location().map(|at| at.line),
        Some(line!() - 5),
        "replaced: only the constructor's caller"
    );
}
