//! Settings of the collector and of a forwarding node.

use alloc::borrow::ToOwned;
use alloc::string::String;

use core::time::Duration;

use ::ractor::ActorRef;
use ractor_cluster::NodeServerMessage;

use super::DEFAULT_GROUP;
use crate::metrics::MetricsSinkShared;

/// The default byte bound of the forwarding buffer: 16 MiB.
pub const DEFAULT_MAX_PENDING_BYTES: usize = 16 * 1024 * 1024;

/// The shortest retry interval and acknowledgement timeout.
const MIN_WAIT: Duration = Duration::from_millis(1);

/// Settings of a [`ClusterRoot`](super::ClusterRoot).
#[derive(Debug, Clone)]
pub struct ClusterRootOptions {
    pub(crate) group: String,
    pub(crate) node_server: Option<ActorRef<NodeServerMessage>>,
}

impl ClusterRootOptions {
    /// The collector joins [`DEFAULT_GROUP`] and watches no node server.
    #[must_use]
    pub fn new() -> Self {
        Self {
            group: DEFAULT_GROUP.to_owned(),
            node_server: None,
        }
    }

    /// The process group the collector joins (the forwarding nodes must name the same
    /// one).
    #[must_use]
    pub fn with_group(mut self, group: impl Into<String>) -> Self {
        self.group = group.into();
        self
    }

    /// The collector's node server: node sessions it closes before authentication (a
    /// wrong cookie) are logged and counted as refused.
    #[must_use]
    pub fn with_node_server(mut self, server: ActorRef<NodeServerMessage>) -> Self {
        self.node_server = Some(server);
        self
    }
}

impl Default for ClusterRootOptions {
    fn default() -> Self {
        Self::new()
    }
}

/// Settings of a node's [`ForwardingTelemetry`](super::ForwardingTelemetry).
#[derive(Debug, Clone)]
pub struct ForwardingOptions {
    pub(crate) node: String,
    pub(crate) capacity: usize,
    pub(crate) max_pending_bytes: usize,
    pub(crate) group: String,
    pub(crate) retry_interval: Duration,
    pub(crate) ack_timeout: Duration,
    pub(crate) metrics: Option<MetricsSinkShared>,
}

impl ForwardingOptions {
    /// Forwarding for the node named `node` (its identity at the collector, the
    /// [`NODE_TAG`](super::NODE_TAG); it must not be empty, see
    /// [`ForwardingError::EmptyNodeName`](super::ForwardingError::EmptyNodeName)): a
    /// buffer of 1024 failures and [`DEFAULT_MAX_PENDING_BYTES`], the
    /// [`DEFAULT_GROUP`], a retry every 200 ms while the collector is unreachable, and
    /// 2 s to wait for each acknowledgement.
    #[must_use]
    pub fn new(node: impl Into<String>) -> Self {
        Self {
            node: node.into(),
            capacity: 1024,
            max_pending_bytes: DEFAULT_MAX_PENDING_BYTES,
            group: DEFAULT_GROUP.to_owned(),
            retry_interval: Duration::from_millis(200),
            ack_timeout: Duration::from_secs(2),
            metrics: None,
        }
    }

    /// How many failures wait for the collector at most (at least 1); beyond, the
    /// oldest waiting one is dropped and counted. The failure being sent is held apart
    /// from them.
    #[must_use]
    pub fn with_capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity.max(1);
        self
    }

    /// How many bytes the waiting failures may take at most
    /// ([`DEFAULT_MAX_PENDING_BYTES`] unless set), counted as their texts, paths and a
    /// fixed part each; beyond, the oldest waiting one is dropped and counted the same
    /// way as beyond the capacity. The newest failure is always kept, even alone over
    /// the bound. The failure being sent is held apart, as for the capacity.
    #[must_use]
    pub fn with_max_pending_bytes(mut self, bytes: usize) -> Self {
        self.max_pending_bytes = bytes;
        self
    }

    /// The process group the collector joined.
    #[must_use]
    pub fn with_group(mut self, group: impl Into<String>) -> Self {
        self.group = group.into();
        self
    }

    /// How long to wait before looking for the collector again after a failed attempt
    /// (at least 1 ms, so an unreachable collector never makes the task spin).
    #[must_use]
    pub fn with_retry_interval(mut self, interval: Duration) -> Self {
        self.retry_interval = interval.max(MIN_WAIT);
        self
    }

    /// How long to wait for the collector's acknowledgement (and for the node server's
    /// list of sessions) before trying again (at least 1 ms).
    #[must_use]
    pub fn with_ack_timeout(mut self, timeout: Duration) -> Self {
        self.ack_timeout = timeout.max(MIN_WAIT);
        self
    }

    /// Records each failure the buffer drops as
    /// [`MetricsEvent::ForwardDropped`](crate::MetricsEvent::ForwardDropped) into
    /// `metrics` (exported as `escalation_telemetry_forward_dropped_total` by the
    /// `metrics` and `opentelemetry` sinks). Usually the node's config's own sink, so the
    /// drops are scraped with the node's other instruments. The hook records under a
    /// panic guard: a sink that panics loses that event, counted in
    /// [`ForwardingStats::metrics_panics`](super::ForwardingStats::metrics_panics).
    #[must_use]
    pub fn with_metrics_sink(mut self, metrics: MetricsSinkShared) -> Self {
        self.metrics = Some(metrics);
        self
    }
}
