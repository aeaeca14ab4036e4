//! A real Prometheus server for tests: started on 127.0.0.1 (an OS-chosen port) with a
//! config written into a temp dir, queried through its HTTP API, killed when the
//! [`PrometheusServer`] is dropped (also when the test fails).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

/// Scrape and rule evaluation interval: short, so a test sees its counters within
/// seconds.
pub(crate) const INTERVAL: &str = "1s";

/// The pause between two polls of the HTTP API while waiting for something.
const POLL: Duration = Duration::from_millis(200);

/// One sample of an instant query's result (its time is the query's, so it is left out:
/// `timestamp(..)` queries the time a sample was written).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sample {
    pub(crate) labels: BTreeMap<String, String>,
    pub(crate) value: f64,
}

impl Sample {
    /// The value of label `name` (empty when absent, as in PromQL).
    pub(crate) fn label(&self, name: &str) -> &str {
        self.labels.get(name).map_or("", String::as_str)
    }
}

/// A running Prometheus; dropping it kills the process.
pub(crate) struct PrometheusServer {
    child: Child,
    api: String,
    http: reqwest::blocking::Client,
    dir: TempDir,
}

impl PrometheusServer {
    /// Starts `prometheus` scraping `targets` (job `job`) every [`INTERVAL`] and
    /// evaluating `rule_files`, and waits until it is ready. Another process may take
    /// the port between our probe and Prometheus's bind: that is retried on a new port.
    pub(crate) fn start(job: &str, targets: &[SocketAddr], rule_files: &[&Path]) -> Self {
        let mut dir = tempfile::tempdir().expect("a temp dir for Prometheus");
        let config = dir.path().join("prometheus.yml");
        fs::write(&config, config_yaml(job, targets, rule_files)).expect("the config is written");
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("an HTTP client");
        let mut attempts = 0;
        loop {
            attempts += 1;
            let port = free_port();
            let log_path = dir.path().join(format!("prometheus-{attempts}.log"));
            let log = fs::File::create(&log_path).expect("a log file");
            let child = Command::new("prometheus")
                .arg(format!("--config.file={}", config.display()))
                .arg(format!(
                    "--storage.tsdb.path={}",
                    dir.path().join(format!("data-{attempts}")).display()
                ))
                .arg(format!("--web.listen-address=127.0.0.1:{port}"))
                .arg("--log.level=warn")
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("the log file handle"))
                .stderr(log)
                .spawn()
                .expect("prometheus starts");
            let mut server = Self {
                child,
                api: format!("http://127.0.0.1:{port}"),
                http: http.clone(),
                dir,
            };
            match server.wait_until_ready(Duration::from_secs(30)) {
                Ok(()) => return server,
                Err(log) if log.contains("address already in use") && attempts < 5 => {
                    dir = server.take_dir();
                }
                Err(log) => panic!("Prometheus did not become ready; its log:\n{log}"),
            }
        }
    }

    /// Polls `/-/ready` until it answers 200, the process exits (its log is the error)
    /// or `timeout` passes.
    fn wait_until_ready(&mut self, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().expect("the process can be polled") {
                return Err(format!("exited with {status}:\n{}", self.log()));
            }
            let ready = self
                .http
                .get(format!("{}/-/ready", self.api))
                .send()
                .is_ok_and(|response| response.status().is_success());
            if ready {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("not ready after {timeout:?}:\n{}", self.log()));
            }
            std::thread::sleep(POLL);
        }
    }

    /// Stops this process and hands back the temp dir for the next attempt.
    fn take_dir(mut self) -> TempDir {
        self.kill();
        let placeholder = tempfile::tempdir().expect("a temp dir");
        std::mem::replace(&mut self.dir, placeholder)
    }

    /// Everything Prometheus logged so far.
    pub(crate) fn log(&self) -> String {
        let mut log = String::new();
        if let Ok(entries) = fs::read_dir(self.dir.path()) {
            for entry in entries.flatten() {
                if entry.path().extension().is_some_and(|ext| ext == "log") {
                    let text = fs::read_to_string(entry.path()).unwrap_or_default();
                    let _ = writeln!(log, "--- {}\n{text}", entry.path().display());
                }
            }
        }
        log
    }

    /// An instant query (at `time`, seconds since the epoch, or now).
    pub(crate) fn query_at(&self, promql: &str, time: Option<f64>) -> Vec<Sample> {
        let mut params = vec![("query", promql.to_owned())];
        if let Some(time) = time {
            params.push(("time", format!("{time:.3}")));
        }
        let body = self
            .http
            .get(format!("{}/api/v1/query", self.api))
            .query(&params)
            .send()
            .and_then(reqwest::blocking::Response::text)
            .unwrap_or_else(|error| panic!("querying `{promql}`: {error}"));
        let answer: Value = serde_json::from_str(&body)
            .unwrap_or_else(|error| panic!("`{promql}` answered no JSON ({error}): {body}"));
        assert_eq!(answer["status"], "success", "`{promql}`: {body}");
        assert_eq!(answer["data"]["resultType"], "vector", "`{promql}`: {body}");
        answer["data"]["result"]
            .as_array()
            .expect("a vector result is a list")
            .iter()
            .map(|sample| Sample {
                labels: sample["metric"]
                    .as_object()
                    .expect("labels are an object")
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                    .collect(),
                value: sample["value"][1]
                    .as_str()
                    .and_then(|v| v.parse().ok())
                    .expect("a value"),
            })
            .collect()
    }

    /// An instant query now.
    pub(crate) fn query(&self, promql: &str) -> Vec<Sample> {
        self.query_at(promql, None)
    }

    /// Polls `promql` until `done` accepts its result (returned), or panics after
    /// `timeout` with the last result and the server's log.
    pub(crate) fn wait_for(
        &self,
        promql: &str,
        timeout: Duration,
        done: impl Fn(&[Sample]) -> bool,
    ) -> Vec<Sample> {
        let deadline = Instant::now() + timeout;
        loop {
            let result = self.query(promql);
            if done(&result) {
                return result;
            }
            assert!(
                Instant::now() < deadline,
                "`{promql}` did not reach the expected result within {timeout:?}; last: \
                 {result:#?}\nPrometheus log:\n{}",
                self.log()
            );
            std::thread::sleep(POLL);
        }
    }

    fn kill(&mut self) {
        // Already exited is fine; then `wait` reaps it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for PrometheusServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A port nobody listened on a moment ago.
pub(crate) fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .expect("an OS-chosen port on 127.0.0.1")
        .port()
}

fn config_yaml(job: &str, targets: &[SocketAddr], rule_files: &[&Path]) -> String {
    let quoted = |items: Vec<String>| {
        items
            .iter()
            .map(|item| format!("\"{item}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let targets = quoted(targets.iter().map(ToString::to_string).collect());
    let rule_files = quoted(
        rule_files
            .iter()
            .map(|path| path.display().to_string())
            .collect(),
    );
    format!(
        "global:
  scrape_interval: {INTERVAL}
  scrape_timeout: {INTERVAL}
  evaluation_interval: {INTERVAL}
rule_files: [{rule_files}]
scrape_configs:
  - job_name: \"{job}\"
    static_configs:
      - targets: [{targets}]
"
    )
}
