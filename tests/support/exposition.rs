//! Reading samples out of the Prometheus text exposition format.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of these helpers"
)]

/// The value of the sample written exactly `series` (name plus labels, if any), e.g.
/// `escalation_telemetry_panics_total` or `x_bucket{le="0.5"}`. `None` when absent.
pub(crate) fn sample(exposition: &str, series: &str) -> Option<f64> {
    exposition.lines().find_map(|line| {
        let value = line.strip_prefix(series)?.strip_prefix(' ')?;
        value.trim().parse().ok()
    })
}

/// The `# HELP` text of `name`. `None` when absent.
pub(crate) fn help<'a>(exposition: &'a str, name: &str) -> Option<&'a str> {
    exposition.lines().find_map(|line| {
        line.strip_prefix("# HELP ")?
            .strip_prefix(name)?
            .strip_prefix(' ')
    })
}

/// Asserts that `exposition` holds exactly the counts of `expected`.
pub(crate) fn assert_counts(exposition: &str, expected: &super::scenario::Expected) {
    let count = |series: &str| {
        sample(exposition, series)
            .unwrap_or_else(|| panic!("no sample `{series}` in:\n{exposition}"))
    };
    let as_f64 = |n: u64| n as f64;
    for (name, value) in expected.counters() {
        assert_eq!(count(name), as_f64(value), "{name}");
    }
    assert_eq!(
        count("escalation_telemetry_latency_seconds_count"),
        as_f64(expected.latency_samples)
    );
}
