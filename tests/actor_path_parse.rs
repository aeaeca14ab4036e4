//! Reading an actor path back from text: `"/1/4/9".parse::<ActorPath>()`.

use escalation_telemetry::prelude::*;
use proptest::prelude::*;

#[test]
fn the_display_form_parses_back() {
    let path: ActorPath = "/1/4/9".parse().expect("valid path");
    assert_eq!(
        path,
        ActorPath::root()
            .child(ActorId(1))
            .child(ActorId(4))
            .child(ActorId(9))
    );
    assert_eq!("/".parse::<ActorPath>(), Ok(ActorPath::root()));
}

#[test]
fn errors_are_typed_and_behave_as_errors() {
    let error = "/1/x".parse::<ActorPath>().expect_err("not a path");
    assert_eq!(error, ParseActorPathError::InvalidDigit { segment: 1 });
    // Usable with `?` in functions returning any error type.
    let boxed: Box<dyn core::error::Error + Send + Sync> = Box::new(error);
    assert!(boxed.source().is_none());
}

#[test]
fn error_messages_say_what_is_wrong() {
    let report: Vec<String> = [
        "",
        "1/4",
        "/1/",
        "//",
        "/1/-4",
        "/1/4.0",
        "/1/99999999999999999999",
    ]
    .into_iter()
    .map(|text| match text.parse::<ActorPath>() {
        Ok(path) => panic!("{text:?} accepted as {path}"),
        Err(error) => format!("{text:?}: {error}"),
    })
    .collect();
    insta::assert_snapshot!(report.join("\n"));
}

proptest! {
    #[test]
    fn every_path_round_trips_through_its_display_form(ids in proptest::collection::vec(any::<u64>(), 0..20)) {
        let path: ActorPath = ids.into_iter().map(ActorId).collect();
        prop_assert_eq!(path.to_string().parse::<ActorPath>(), Ok(path));
    }

    #[test]
    fn any_text_parses_or_fails_without_panicking(text in any::<String>()) {
        if let Ok(path) = text.parse::<ActorPath>() {
            // What parses is a path whose segments are the digits between the slashes.
            prop_assert_eq!(path.to_string().parse::<ActorPath>(), Ok(path));
        }
    }

    #[test]
    fn slash_and_digit_soup_parses_or_fails_without_panicking(text in "[/0-9+ -]{0,40}") {
        if let Ok(path) = text.parse::<ActorPath>() {
            // One segment per `/`, except the root's lone `/`.
            let segments = if text == "/" { 0 } else { text.matches('/').count() };
            prop_assert_eq!(path.depth(), segments);
        }
    }
}
