//! The typestate's compile errors, pinned as trybuild `.stderr` files.
//!
//! The `.stderr` files are written for rustc 1.95.0; other compilers word errors
//! differently, so there the suite is skipped with a reason printed to stderr (seen
//! with the harness's default output), rather than loosened. Under CI (`CI` set, as
//! `.ci/run` and most CI services do) or with `ESCALATION_TELEMETRY_REQUIRE_TOOLS=1`, a
//! skip is a failure: the typestate's promise cannot stop being checked unseen.
#![cfg(feature = "std")]

mod support {
    pub(crate) mod tools;
}

use support::tools::{REQUIRE_TOOLS, announce_skip};

const PINNED_RUSTC: &str = "1.95.0";

fn rustc_version() -> Option<String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let output = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    text.split_whitespace().nth(1).map(str::to_owned)
}

/// Why a skip must fail instead, if it must: `CI` set to anything but empty, `0` or
/// `false`, or `ESCALATION_TELEMETRY_REQUIRE_TOOLS=1`.
fn skip_forbidden_by() -> Option<String> {
    let set = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if let Some(ci) = set("CI").filter(|v| v != "0" && !v.eq_ignore_ascii_case("false")) {
        return Some(format!("CI={ci}"));
    }
    set(REQUIRE_TOOLS)
        .filter(|v| v == "1")
        .map(|v| format!("{REQUIRE_TOOLS}={v}"))
}

#[test]
fn misconfigurations_do_not_compile_and_name_the_fix() {
    match rustc_version() {
        Some(version) if version == PINNED_RUSTC => {}
        other => {
            let reason = format!(
                "the .stderr files are pinned to rustc {PINNED_RUSTC}, this is {}",
                other.as_deref().unwrap_or("an unknown rustc")
            );
            if let Some(setting) = skip_forbidden_by() {
                panic!("compile-fail suite cannot run: {reason}, and {setting} forbids a skip");
            }
            announce_skip("compile-fail suite", &reason);
            return;
        }
    }
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
