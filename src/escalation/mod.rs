//! Where failures end: the escalation sink trait and the root guardian's sink.

mod counters;
// The actor-framework integrations run user code (an error's text, a payload's drop)
// under the root path's guard.
pub(crate) mod guard;
mod recorder;
mod root;
mod sink;

pub use counters::EscalationStats;
pub(crate) use counters::{EscalationCounters, Step};
pub use guard::PANIC_ISOLATION;
pub(crate) use recorder::GuardedRecorder;
pub use root::RootEscalationSink;
pub use sink::EscalationSink;

use crate::failure::{FailureEvent, FailureInfo};
use crate::sync::ArcShared;

/// The failure event handler a config holds.
pub(crate) type FailureEventHandler<T> = ArcShared<dyn Fn(&FailureInfo<T>) + Send + Sync>;
/// The failure event listener a config holds.
pub(crate) type FailureEventListener<T> = ArcShared<dyn Fn(FailureEvent<T>) + Send + Sync>;
