//! Accepting node connections on an address the caller binds.

use std::io;
use std::net::SocketAddr;

use ::ractor::ActorRef;
use alloc::boxed::Box;
use ractor_cluster::{NetworkStream, NodeServerMessage};
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::task::JoinHandle;

/// Accepts TCP connections for a ractor_cluster node server on an address you choose,
/// and tells you the port.
///
/// `NodeServer::new(0, ..)` lets the OS choose its port but does not say which one it
/// got, so nobody can connect to it. A `NodeListener` bound to `127.0.0.1:0` (or any
/// address) reports its [`local_addr`](Self::local_addr) and hands every accepted
/// connection to the node server exactly as ractor_cluster's own listener does (an
/// unencrypted incoming session). Other nodes connect with
/// `ractor_cluster::client_connect(&their_server, listener.local_addr())`.
///
/// Accepting stops at the first accept error, when the node server is gone, or on
/// [`stop`](Self::stop) (dropping the listener stops it too).
#[derive(Debug)]
pub struct NodeListener {
    local_addr: SocketAddr,
    task: JoinHandle<()>,
}

impl NodeListener {
    /// Binds `addr` and starts accepting for `node_server` on the current tokio runtime.
    ///
    /// # Errors
    /// The bind error.
    pub async fn bind(
        node_server: ActorRef<NodeServerMessage>,
        addr: impl ToSocketAddrs,
    ) -> io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let local_addr = listener.local_addr()?;
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, peer_addr)) = listener.accept().await else {
                    return;
                };
                let stream = NetworkStream::Raw {
                    peer_addr,
                    local_addr,
                    stream,
                };
                let opened = NodeServerMessage::ConnectionOpened {
                    stream: Box::new(stream),
                    is_server: true,
                };
                if node_server.cast(opened).is_err() {
                    return;
                }
            }
        });
        Ok(Self { local_addr, task })
    }

    /// The address it accepts on (with the port the OS chose).
    #[must_use]
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stops accepting; sessions already open stay open.
    pub fn stop(self) {
        self.task.abort();
    }
}

impl Drop for NodeListener {
    fn drop(&mut self) {
        self.task.abort();
    }
}
