//! `docs/snapshot-testing.md` quotes real, passing tests and their committed snapshots;
//! this fails as soon as the page and the files drift apart.

const GUIDE: &str = include_str!("../docs/snapshot-testing.md");

/// A test file as the page quotes it: without its `#![cfg(...)]` line, which gates the
/// file on this crate's features (an application does not have them).
fn quoted_test(source: &str) -> String {
    let (cfg_lines, kept): (Vec<&str>, Vec<&str>) =
        source.lines().partition(|line| line.starts_with("#![cfg("));
    assert_eq!(cfg_lines.len(), 1, "a guide test has exactly one cfg line");
    kept.join("\n").trim_end().to_owned()
}

fn assert_quoted(what: &str, text: &str) {
    assert!(
        GUIDE.contains(text),
        "docs/snapshot-testing.md no longer quotes {what} exactly; paste its current text:\n{text}"
    );
}

#[test]
fn the_guide_quotes_its_test_files() {
    assert_quoted(
        "tests/snapshot_testing_guide.rs",
        &quoted_test(include_str!("snapshot_testing_guide.rs")),
    );
    assert_quoted(
        "tests/snapshot_testing_guide_json.rs",
        &quoted_test(include_str!("snapshot_testing_guide_json.rs")),
    );
}

#[test]
fn the_guide_quotes_the_committed_snapshots() {
    for (name, snapshot) in [
        (
            "the plain snapshot",
            include_str!(
                "snapshots/snapshot_testing_guide__a_failed_payment_reaches_the_root_with_its_tags.snap"
            ),
        ),
        (
            "the filtered snapshot",
            include_str!(
                "snapshots/snapshot_testing_guide__values_that_change_between_runs_are_filtered.snap"
            ),
        ),
        (
            "the JSON snapshot",
            include_str!(
                "snapshots/snapshot_testing_guide_json__failures_that_reached_the_root_as_json.snap"
            ),
        ),
    ] {
        assert_quoted(name, snapshot.trim_end());
    }
}
