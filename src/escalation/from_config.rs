//! `ActorSystemConfig::root_escalation_sink`: defined beside the sink it makes, so that
//! `config/` never imports from `escalation/`.

use super::RootEscalationSink;
use crate::config::diagnostics::SinkReady;
use crate::config::{ActorRuntime, ActorSystemConfig};

impl<R: ActorRuntime, S> ActorSystemConfig<R, S> {
    /// Builds a root escalation sink for a system whose messages are `M`. Only on a
    /// finalized config.
    #[must_use]
    pub fn root_escalation_sink<M>(&self) -> RootEscalationSink<M, R>
    where
        S: SinkReady,
    {
        RootEscalationSink::from_config(self)
    }
}
