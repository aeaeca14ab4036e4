//! `promtool`, Prometheus's own checker, on what we ship and what we expose: the rules
//! in `ops/prometheus/` pass `check rules`, their unit tests pass `test rules` and cover
//! every recording rule and alert, and the exposition of the `prometheus` feature's
//! exporter passes `check metrics` (the lint for names, units, help and types).
//!
//! Skipped (with a message) when `promtool` is missing, unless
//! `ESCALATION_TELEMETRY_REQUIRE_TOOLS=1`.

mod support {
    #[cfg(feature = "prometheus")]
    pub(crate) mod exposition;
    #[cfg(feature = "prometheus")]
    pub(crate) mod scenario;
    pub(crate) mod tools;
}

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use support::tools::available;

fn ops_file(name: &str) -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "ops", "prometheus", name]
        .iter()
        .collect()
}

const RULES: &str = "escalation-telemetry.rules.yml";
const RULE_TESTS: &str = "escalation-telemetry.test.yml";

/// Runs `promtool args..` with `stdin` as its input; the output, whatever the status.
fn promtool(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new("promtool")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool starts");
    child
        .stdin
        .take()
        .expect("a piped stdin")
        .write_all(stdin.as_bytes())
        .expect("promtool reads its input");
    child.wait_with_output().expect("promtool finishes")
}

/// Asserts a zero exit status, showing what promtool said otherwise.
fn assert_success(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_rules_pass_promtool_check_rules() {
    if !available("promtool", "the_rules_pass_promtool_check_rules") {
        return;
    }
    let rules = ops_file(RULES);
    let output = promtool(
        &["check", "rules", rules.to_str().expect("a UTF-8 path")],
        "",
    );
    assert_success(&output, "promtool check rules");
}

#[test]
fn the_rule_unit_tests_pass_and_cover_every_rule() {
    if !available("promtool", "the_rule_unit_tests_pass_and_cover_every_rule") {
        return;
    }
    let tests = ops_file(RULE_TESTS);
    let output = promtool(
        &["test", "rules", tests.to_str().expect("a UTF-8 path")],
        "",
    );
    assert_success(&output, "promtool test rules");

    // Every rule is exercised: a recording rule as the `expr` of a `promql_expr_test`,
    // an alert as the `alertname` of an `alert_rule_test`.
    let rules = std::fs::read_to_string(ops_file(RULES)).expect("the rules file");
    let tests = std::fs::read_to_string(ops_file(RULE_TESTS)).expect("the rule tests");
    let tested = |expected: String| tests.lines().any(|line| line.trim() == expected);
    let mut names = 0;
    for line in rules.lines().map(str::trim) {
        if let Some(record) = line.strip_prefix("- record: ") {
            names += 1;
            assert!(
                tested(format!("- expr: {record}")),
                "no promql_expr_test for {record}"
            );
        } else if let Some(alert) = line.strip_prefix("- alert: ") {
            names += 1;
            assert!(
                tested(format!("alertname: {alert}")),
                "no alert_rule_test for {alert}"
            );
        }
    }
    assert!(names >= 10, "the rules file lost its rules: {names} found");
}

#[cfg(feature = "prometheus")]
#[test]
fn the_exposition_passes_promtool_check_metrics() {
    use escalation_telemetry::integrations::metrics::MetricsFacadeSink;
    use escalation_telemetry::integrations::prometheus::prometheus_builder;
    use escalation_telemetry::prelude::MetricsSinkShared;
    use support::exposition::assert_counts;
    use support::scenario::{EXPECTED, escalate_failures};

    if !available("promtool", "the_exposition_passes_promtool_check_metrics") {
        return;
    }
    let recorder = prometheus_builder().build_recorder();
    let handle = recorder.handle();
    escalate_failures(MetricsSinkShared::new(MetricsFacadeSink::new_in(&recorder)));
    let exposition = handle.render();
    assert_counts(&exposition, &EXPECTED);
    assert!(
        exposition.contains("escalation_telemetry_latency_seconds_bucket"),
        "the latency is a histogram:\n{exposition}"
    );

    let output = promtool(&["check", "metrics"], &exposition);
    assert_success(&output, "promtool check metrics");
    // promtool exits with 3 on lint findings; it must not even print a warning.
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(said.trim(), "", "promtool check metrics on:\n{exposition}");
}
