//! A real OpenTelemetry collector between us and the backend: PyPI's `rotel` (its
//! `rotel-agent` binary) receives our log records over OTLP/HTTP on 127.0.0.1 and
//! exports them over OTLP/HTTP to this test's receiver; the trace and exception fields
//! must arrive intact. Without rotel the test says why it skips; with
//! `ESCALATION_TELEMETRY_REQUIRE_TOOLS=1` (set by `.ci/run`, which installs it) a
//! missing rotel fails.
#![cfg(feature = "opentelemetry-logs")]

mod support {
    pub(crate) mod crash;
    pub(crate) mod crash_otlp;
    pub(crate) mod otlp_receiver;
    pub(crate) mod tools;
}

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::crash_otlp::{assert_crash_record, only_record, send_error_failure};
use support::otlp_receiver::OtlpReceiver;
use support::tools::skip_or_fail;

const TEST: &str = "rotel_collector";
const INSTALL: &str = "pip install rotel";
/// How long rotel may take to listen, and a record to come through: safety nets, not
/// timing assertions.
const STARTUP: Duration = Duration::from_secs(30);
const ARRIVAL: Duration = Duration::from_secs(60);

/// `rotel-agent` inside the installed `rotel` Python package, or why there is none.
fn rotel_agent() -> Result<PathBuf, String> {
    let output = Command::new("python3")
        .args([
            "-c",
            "import rotel, os; print(os.path.dirname(rotel.__file__))",
        ])
        .stderr(Stdio::null())
        .output()
        .map_err(|error| format!("cannot be looked for: python3 does not run ({error})"))?;
    if !output.status.success() {
        return Err("is not installed: python3 cannot import rotel".to_owned());
    }
    let dir = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let agent = PathBuf::from(dir).join("rotel-agent");
    if agent.is_file() {
        Ok(agent)
    } else {
        Err(format!("is missing: no {}", agent.display()))
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("an OS port on 127.0.0.1")
}

/// The collector process; dropping it stops it.
struct Rotel {
    child: Child,
    dir: tempfile::TempDir,
}

impl Rotel {
    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("rotel.log")).unwrap_or_default()
    }
}

impl Drop for Rotel {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_real_collector_passes_the_crash_report_on_intact() {
    let agent = match rotel_agent() {
        Ok(agent) => agent,
        Err(missing) => {
            skip_or_fail("rotel", &missing, INSTALL, TEST);
            return;
        }
    };
    let receiver = OtlpReceiver::start();
    let backend = receiver.logs_url().trim_end_matches("/v1/logs").to_owned();
    let dir = tempfile::tempdir().expect("a temp dir for rotel's pid and log files");
    let http = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()));
    let grpc = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()));
    let child = Command::new(&agent)
        .arg("start")
        .args(["--otlp-http-endpoint", &http.to_string()])
        .args(["--otlp-grpc-endpoint", &grpc.to_string()])
        .args(["--exporter", "otlp"])
        .args(["--otlp-exporter-endpoint", &backend])
        // The test's receiver speaks OTLP/HTTP (protobuf), uncompressed.
        .args(["--otlp-exporter-protocol", "http"])
        .args(["--otlp-exporter-compression", "none"])
        .args([
            "--otlp-receiver-traces-disabled",
            "--otlp-receiver-metrics-disabled",
        ])
        .arg("--pid-file")
        .arg(dir.path().join("rotel.pid"))
        .arg("--log-file")
        .arg(dir.path().join("rotel.log"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| panic!("{} does not start: {error}", agent.display()));
    let mut rotel = Rotel { child, dir };

    let deadline = Instant::now() + STARTUP;
    while TcpStream::connect_timeout(&http, Duration::from_millis(200)).is_err() {
        if let Ok(Some(status)) = rotel.child.try_wait() {
            panic!("rotel exited with {status}: {}", rotel.log());
        }
        assert!(
            Instant::now() < deadline,
            "rotel did not listen on {http} within {STARTUP:?}: {}",
            rotel.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    send_error_failure(&format!("http://{http}/v1/logs"));
    let export = receiver.next_logs(ARRIVAL);
    assert_crash_record(only_record(&export));
    drop(rotel);
}
