//! The typestate's compile errors, pinned as trybuild `.stderr` files.
//!
//! The `.stderr` files are written for rustc 1.95.0; other compilers word errors
//! differently, so there the suite is skipped with a printed reason rather than
//! loosened.
#![cfg(feature = "std")]

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

#[test]
fn misconfigurations_do_not_compile_and_name_the_fix() {
    match rustc_version() {
        Some(version) if version == PINNED_RUSTC => {}
        other => {
            println!(
                "skipping compile-fail suite: its .stderr files are pinned to rustc {PINNED_RUSTC}, this is {}",
                other.as_deref().unwrap_or("an unknown rustc")
            );
            return;
        }
    }
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
