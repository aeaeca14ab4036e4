//! Where failures end: the escalation sink trait and the root guardian's sink.

mod from_config;
mod root;
mod sink;

pub use crate::isolation::{EscalationStats, PANIC_ISOLATION};
pub use root::RootEscalationSink;
pub use sink::EscalationSink;
