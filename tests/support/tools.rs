//! Tools outside cargo (Prometheus, promtool) that some tests drive: found on `PATH`,
//! or the test is skipped with a message, unless `ESCALATION_TELEMETRY_REQUIRE_TOOLS=1`
//! (set by `.ci/run`) makes a missing tool a failure.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of these helpers"
)]

use std::io::{ErrorKind, Write};
use std::process::{Command, Stdio};

/// The variable that turns a missing tool into a failure.
pub(crate) const REQUIRE_TOOLS: &str = "ESCALATION_TELEMETRY_REQUIRE_TOOLS";

/// `true` when `name` runs (`name --version`). When it does not: panics if
/// [`REQUIRE_TOOLS`] is `1`, otherwise prints why `test` is skipped and returns `false`.
pub(crate) fn available(name: &str, test: &str) -> bool {
    let probe = Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let missing = match probe {
        Ok(_) => return true,
        Err(error) if error.kind() == ErrorKind::NotFound => "is not on PATH".to_owned(),
        Err(error) => format!("does not run: {error}"),
    };
    let install = "Debian: apt-get install prometheus (brings promtool)";
    assert!(
        std::env::var_os(REQUIRE_TOOLS).is_none_or(|value| value != "1"),
        "`{name}` {missing} and {REQUIRE_TOOLS}=1 ({install})"
    );
    announce_skip(
        test,
        &format!("`{name}` {missing} ({install}; set {REQUIRE_TOOLS}=1 to fail instead)"),
    );
    false
}

/// Prints `SKIPPED {test}: {reason}` where a reader sees it, even for a passing test.
pub(crate) fn announce_skip(test: &str, reason: &str) {
    // Written to the process's stderr, not through `eprintln!`, which the test harness
    // captures and hides for a passing test: the skip must be seen.
    // One write, so that parallel tests do not interleave their lines.
    let message = format!("SKIPPED {test}: {reason}\n");
    let _ = std::io::stderr().write_all(message.as_bytes());
}
