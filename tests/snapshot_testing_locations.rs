//! docs/snapshot-testing.md's "Locations" example: a panic's line keeps its file and
//! hides its line and column with the crate's `LOCATION_FILTERS`.

use escalation_telemetry::LOCATION_FILTERS;
use escalation_telemetry::prelude::*;

#[test]
fn a_panic_line_keeps_its_file_and_hides_its_line() {
    let failure = ActorFailure::from_panic_payload(&"index out of bounds");
    let info = FailureInfo::new(ActorId(12), ActorPath::root().child(ActorId(12)), failure);
    insta::with_settings!({ filters => LOCATION_FILTERS.to_vec() }, {
        insta::assert_snapshot!(info.to_string(), @r#"path=/12 actor=12 hops=0 description="index out of bounds" tags=[] kind=panic at=tests/snapshot_testing_locations.rs:[line]:[column]"#);
    });
}

#[test]
fn the_page_shows_this_test() {
    let page = include_str!("../docs/snapshot-testing.md");
    let source = include_str!("snapshot_testing_locations.rs");
    let body = |text: &str| {
        let start = text
            .find("    let failure = ActorFailure::from_panic_payload")
            .expect("the example's body");
        let end = text[start..].find("\n}\n").expect("its end") + start;
        text[start..end].replace("tests/snapshot_testing_locations.rs", "tests/locations.rs")
    };
    assert_eq!(
        body(page),
        body(source),
        "docs/snapshot-testing.md drifted from this test"
    );
}
