//! One ractor_cluster node for tests: a `NodeServer` in this process with a listener on
//! 127.0.0.1 (OS-chosen port), connected to another over TCP, and the bounded wait every
//! step uses. Each test includes it as `mod support { pub(crate) mod cluster_node; }`.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of these helpers"
)]

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use escalation_telemetry::integrations::ractor::cluster::NodeListener;
use ractor::concurrency::JoinHandle;
use ractor::{Actor, ActorRef};
use ractor_cluster::{NodeServer, NodeServerMessage};

/// The longest any wait may take (reached only when the code is broken).
pub(crate) const WAIT: Duration = Duration::from_secs(10);

/// Awaits `future`, failing the test after [`WAIT`].
pub(crate) async fn within<F: Future>(future: F) -> F::Output {
    tokio::time::timeout(WAIT, future)
        .await
        .expect("the wait ends before the deadline")
}

/// One ractor_cluster node: its server, and a listener on 127.0.0.1 with an OS port.
pub(crate) struct Node {
    pub(crate) server: ActorRef<NodeServerMessage>,
    pub(crate) handle: JoinHandle<()>,
    pub(crate) listener: NodeListener,
}

impl Node {
    pub(crate) async fn start(name: &str, cookie: &str) -> Self {
        // The server's own listener binds loopback too (port 0: unused, unknown port).
        let server = NodeServer::new(
            0,
            cookie.into(),
            name.into(),
            "localhost".into(),
            None,
            None,
        )
        .with_listen_addr(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let (server, handle) = Actor::spawn(None, server, ())
            .await
            .expect("the node server starts");
        let listener = NodeListener::bind(server.clone(), (Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("the listener binds 127.0.0.1");
        Self {
            server,
            handle,
            listener,
        }
    }

    pub(crate) async fn connect_to(&self, other: &Node) {
        within(ractor_cluster::client_connect(
            &self.server,
            other.listener.local_addr(),
        ))
        .await
        .expect("the TCP connection opens");
    }

    pub(crate) async fn stop(self) {
        self.listener.stop();
        self.server.stop(None);
        within(self.handle).await.expect("the node server stops");
    }
}
