//! The quickstart's output, pinned: the main job of the crate as a newcomer sees it.
#![cfg(feature = "std")]

#[path = "../examples/quickstart.rs"]
#[allow(dead_code, reason = "the example's `main` is not called from the test")]
mod quickstart;

#[test]
fn quickstart_prints_the_escalations_telemetry_and_metrics() {
    let mut out = Vec::new();
    quickstart::run(&mut out).expect("the quickstart runs");
    let text = String::from_utf8(out).expect("the quickstart writes UTF-8");
    insta::with_settings!({filters => vec![(r"mean telemetry latency:\s+\S+", "mean telemetry latency:         [latency]")]}, {
        insta::assert_snapshot!(text);
    });
}
