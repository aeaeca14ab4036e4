//! Error messages about bad input describe it without echoing all of it: whatever the
//! size of the input, a message says what is wrong and where, quotes a short excerpt,
//! and stays under 512 bytes (`docs/reliability.md`, "Hostile input").
#![cfg(feature = "serde")]

use escalation_telemetry::prelude::*;

/// The bound every message keeps.
const MAX_MESSAGE: usize = 512;

fn snapshot_error(json: &str) -> String {
    match serde_json::from_str::<OwnedFailureSnapshot>(json) {
        Ok(read) => panic!("accepted: {read}"),
        Err(error) => error.to_string(),
    }
}

fn assert_small(message: &str, mentions: &[&str]) {
    assert!(
        message.len() <= MAX_MESSAGE,
        "{} bytes: {}…",
        message.len(),
        message.chars().take(200).collect::<String>()
    );
    for needle in mentions {
        assert!(message.contains(needle), "{needle:?} not in {message}");
    }
}

fn million_segments_with_a_bad_one_at_the_end() -> String {
    let mut path: String = (1..=1_000_000).map(|i| format!("/{i}")).collect();
    path.push_str("/12x");
    path
}

#[test]
fn a_huge_malformed_path_makes_a_small_error_naming_the_segment() {
    let path = million_segments_with_a_bad_one_at_the_end();
    let message = match serde_json::from_str::<ActorPath>(&format!("{path:?}")) {
        Ok(_) => panic!("accepted"),
        Err(error) => error.to_string(),
    };
    assert_small(
        &message,
        &[
            "invalid actor path \"/1/2/3/4/5/6/7/8/9/10/11\"… (6888900 bytes)",
            "segment 1000000 is not a decimal actor id",
            "\"12x\"",
            "at line 1 column",
        ],
    );

    let json = format!(r#"{{"actor":1,"path":{path:?},"hops":0,"description":"x"}}"#);
    assert_small(
        &snapshot_error(&json),
        &["invalid actor path", "segment 1000000", "\"12x\""],
    );
}

#[test]
fn a_repeated_ten_mebibyte_key_makes_a_small_error() {
    let key = "k".repeat(10 << 20);
    let json = format!(
        r#"{{"actor":1,"path":"/1","hops":0,"description":"x","tags":[{{"key":"{key}","value":"1"}},{{"key":"{key}","value":"2"}}]}}"#
    );
    assert_small(
        &snapshot_error(&json),
        &[
            "tag 1 repeats the key \"kkkk",
            &format!("({} bytes)", 10 << 20),
        ],
    );
}

#[test]
fn a_formats_own_message_quoting_a_huge_string_is_cut_to_its_start_and_end() {
    let huge = "9".repeat(5 << 20);
    let cases = [
        format!(r#"{{"actor":"{huge}","path":"/1","hops":0,"description":"x"}}"#),
        format!(r#"{{"actor":1,"path":"/1","hops":"{huge}","description":"x"}}"#),
        format!(r#"{{"actor":1,"path":"/1","hops":0,"description":"x","tags":["{huge}"]}}"#),
        format!(r#"{{"actor":1,"path":"/1","hops":0,"description":"x","dropped_tags":"{huge}"}}"#),
        format!(r#""{huge}""#),
    ];
    for json in &cases {
        assert_small(
            &snapshot_error(json),
            &[
                "invalid type: string \"9999",
                "bytes left out",
                "at line 1 column",
            ],
        );
    }
    let standalone = [
        serde_json::from_str::<ActorId>(&format!("{huge:?}")).map(drop),
        serde_json::from_str::<TelemetryTag>(&format!("{huge:?}")).map(drop),
        serde_json::from_str::<Vec<TelemetryTag>>(&format!("[{huge:?}]")).map(drop),
    ];
    for result in standalone {
        let message = result.expect_err("rejected").to_string();
        assert_small(&message, &["invalid type", "bytes left out"]);
    }
}

#[test]
fn short_errors_are_unchanged() {
    assert_eq!(
        snapshot_error(r#"{"actor":"x","path":"/1","hops":0,"description":"x"}"#),
        "invalid type: string \"x\", expected u64 at line 1 column 12"
    );
}
