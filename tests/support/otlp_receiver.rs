//! A minimal OTLP/HTTP receiver for tests: a hyper server on 127.0.0.1 (OS port) that
//! accepts `POST /v1/metrics` and `POST /v1/logs` with protobuf bodies (plain or gzip), decodes them
//! with the official OTLP definitions (`opentelemetry-proto`) and hands each request to
//! the test through a channel.
#![allow(
    dead_code,
    reason = "a test uses the logs or the metrics side, or both"
)]

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use opentelemetry_proto::tonic::collector::logs::v1::{
    ExportLogsServiceRequest, ExportLogsServiceResponse,
};
use opentelemetry_proto::tonic::collector::metrics::v1::{
    ExportMetricsServiceRequest, ExportMetricsServiceResponse,
};
use prost::Message;
use tokio::net::TcpListener;
use tokio::runtime::Runtime;

/// What a request decoded to, or why it could not be.
type Decoded<T> = Result<T, String>;

/// The receiver; dropping it stops the server.
pub(crate) struct OtlpReceiver {
    address: SocketAddr,
    metrics: Receiver<Decoded<ExportMetricsServiceRequest>>,
    logs: Receiver<Decoded<ExportLogsServiceRequest>>,
    runtime: Option<Runtime>,
}

/// The channels the server side writes into.
#[derive(Clone)]
struct Outlets {
    metrics: Sender<Decoded<ExportMetricsServiceRequest>>,
    logs: Sender<Decoded<ExportLogsServiceRequest>>,
}

impl OtlpReceiver {
    /// Starts the server on its own single-worker tokio runtime.
    pub(crate) fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime for the receiver");
        let listener = runtime
            .block_on(TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))
            .expect("the receiver binds an OS port on 127.0.0.1");
        let address = listener
            .local_addr()
            .expect("a bound listener has an address");
        let (metrics_tx, metrics) = mpsc::channel();
        let (logs_tx, logs) = mpsc::channel();
        let outlets = Outlets {
            metrics: metrics_tx,
            logs: logs_tx,
        };
        runtime.spawn(serve(listener, outlets));
        Self {
            address,
            metrics,
            logs,
            runtime: Some(runtime),
        }
    }

    /// The URL to give the OTLP metric exporter's `with_endpoint` (the full signal URL).
    pub(crate) fn metrics_url(&self) -> String {
        format!("http://{}/v1/metrics", self.address)
    }

    /// The URL to give the OTLP log exporter's `with_endpoint`.
    pub(crate) fn logs_url(&self) -> String {
        format!("http://{}/v1/logs", self.address)
    }

    /// The next metrics export, waiting at most `timeout`.
    pub(crate) fn next_metrics(&self, timeout: Duration) -> ExportMetricsServiceRequest {
        next(&self.metrics, timeout, "metrics")
    }

    /// The next logs export, waiting at most `timeout`.
    pub(crate) fn next_logs(&self, timeout: Duration) -> ExportLogsServiceRequest {
        next(&self.logs, timeout, "logs")
    }
}

impl Drop for OtlpReceiver {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_secs(5));
        }
    }
}

fn next<T>(channel: &Receiver<Decoded<T>>, timeout: Duration, what: &str) -> T {
    match channel.recv_timeout(timeout) {
        Ok(Ok(request)) => request,
        Ok(Err(problem)) => panic!("the receiver rejected a {what} export: {problem}"),
        Err(RecvTimeoutError::Timeout) => panic!("no {what} export arrived within {timeout:?}"),
        Err(RecvTimeoutError::Disconnected) => panic!("the receiver stopped"),
    }
}

async fn serve(listener: TcpListener, outlets: Outlets) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let outlets = outlets.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let outlets = outlets.clone();
                async move { Ok::<_, Infallible>(answer(request, &outlets).await) }
            });
            // A connection the exporter drops half-way is its business, not the test's.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Decodes one request and answers as an OTLP/HTTP receiver does: 200 with an empty
/// protobuf response, 400 for a body that does not decode, 404 elsewhere.
async fn answer(request: Request<Incoming>, outlets: &Outlets) -> Response<Full<Bytes>> {
    let path = request.uri().path().to_owned();
    if request.method() != Method::POST || !matches!(path.as_str(), "/v1/metrics" | "/v1/logs") {
        return status(StatusCode::NOT_FOUND, Bytes::new());
    }
    let header = |name| {
        request
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let content_type = header(hyper::header::CONTENT_TYPE);
    let content_encoding = header(hyper::header::CONTENT_ENCODING);
    let body = match request.into_body().collect().await {
        Ok(body) => body.to_bytes(),
        Err(error) => return status(StatusCode::BAD_REQUEST, error.to_string().into()),
    };
    let decoded = if content_type == "application/x-protobuf" {
        match content_encoding.as_str() {
            "" | "identity" => Ok(body),
            "gzip" => gunzip(&body),
            other => Err(format!("content encoding `{other}`")),
        }
    } else {
        Err(format!(
            "content type `{content_type}`, not application/x-protobuf"
        ))
    };
    let (accepted, response) = if path == "/v1/metrics" {
        hand_over::<_, ExportMetricsServiceResponse>(decoded, &outlets.metrics)
    } else {
        hand_over::<_, ExportLogsServiceResponse>(decoded, &outlets.logs)
    };
    if accepted {
        status(StatusCode::OK, response.into())
    } else {
        status(StatusCode::BAD_REQUEST, Bytes::new())
    }
}

/// The body of a gzip-compressed request (OTLP/HTTP allows `Content-Encoding: gzip`).
fn gunzip(body: &[u8]) -> Result<Bytes, String> {
    use std::io::Read;

    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(body)
        .read_to_end(&mut plain)
        .map_err(|error| format!("gzip body does not decode: {error}"))?;
    Ok(plain.into())
}

/// Decodes `body` as a `Request`, sends the outcome to the test, and returns whether it
/// decoded and the encoded (empty) `Response` to answer with.
fn hand_over<Request, Response>(
    body: Result<Bytes, String>,
    outlet: &Sender<Decoded<Request>>,
) -> (bool, Vec<u8>)
where
    Request: Message + Default,
    Response: Message + Default,
{
    let request = body.and_then(|body| Request::decode(body).map_err(|error| error.to_string()));
    let accepted = request.is_ok();
    // A test that stopped listening has already failed or finished.
    let _ = outlet.send(request);
    (accepted, Response::default().encode_to_vec())
}

fn status(code: StatusCode, body: Bytes) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = code;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/x-protobuf"),
    );
    response
}
