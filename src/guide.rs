//! The guide: the pages of `docs/` and the README, one module each.
//!
//! Read them here (`cargo doc --open`, then this module) or as markdown in the
//! repository's `docs/` folder; the text is the same. Start with
//! [`getting_started`]. Every Rust block on these pages is a doctest of this crate, so a
//! snippet that stops compiling or whose `assert!` stops holding fails
//! `cargo test --doc`. Pages whose snippets need optional features (integrations,
//! operations, snapshot testing, many nodes) are tested with `--all-features`; without
//! those features their doctests are left out, the pages still render.
//!
//! Links between pages point at the markdown files (`storms.md`): follow them in the
//! repository, or pick the page from this list.
//!
//! | page | what it covers |
//! |---|---|
//! | [`readme`] | what the crate is, how to depend on it, its features |
//! | [`getting_started`] | from an empty project to a failure at the root |
//! | [`typestate`] | the configuration stages, and every compile error with its fix |
//! | [`observation`] | counting and timing the telemetry call, the run-time switch |
//! | [`tags`] | keys checked while compiling, system tags, capacity, overflow |
//! | [`storms`] | keeping a crash loop from flooding the hook |
//! | [`crash_reports`] | where in the code, what kind, why, and which trace |
//! | [`integrations`] | tracing, metrics/Prometheus, OpenTelemetry, ractor, kameo, Sentry, defmt |
//! | [`cluster`] | ractor_cluster: failures of many nodes reach one collector |
//! | [`operations`] | scraping, the Prometheus rules and alerts, OTLP |
//! | [`snapshot_testing`] | pinning your own failure output with `insta` |
//! | [`performance`] | benchmark results and targets |
//! | [`reliability`] | panics, concurrency, hostile input |
//! | [`testing`] | how the test suite is organised, its tools, mutation testing |
//! | [`rfc_compatibility`] | each RFC item and where it lives |
//! | [`architecture`] | which module does what, and why each dependency |

/// The README.
#[doc = include_str!("../README.md")]
pub mod readme {}

#[doc = include_str!("../docs/getting-started.md")]
pub mod getting_started {}

#[doc = include_str!("../docs/typestate.md")]
pub mod typestate {}

#[doc = include_str!("../docs/observation.md")]
pub mod observation {}

#[doc = include_str!("../docs/tags.md")]
pub mod tags {}

#[doc = include_str!("../docs/storms.md")]
pub mod storms {}

#[doc = include_str!("../docs/crash-reports.md")]
pub mod crash_reports {}

/// A page whose Rust blocks need optional features: rendered in every build, its
/// doctests collected only when `$needs` holds (`cargo test --doc --all-features`).
macro_rules! feature_page {
    ($(#[$attr:meta])* $name:ident, $file:literal, $title:literal, $($needs:tt)+) => {
        $(#[$attr])*
        #[cfg_attr(any(not(doctest), $($needs)+), doc = include_str!($file))]
        #[cfg_attr(
            all(doctest, not($($needs)+)),
            doc = concat!($title, ": its doctests need `", stringify!($($needs)+), "`.")
        )]
        pub mod $name {}
    };
}

feature_page!(
    integrations,
    "../docs/integrations.md",
    "Integrations",
    all(
        feature = "tracing",
        feature = "prometheus",
        feature = "opentelemetry-logs",
        feature = "serde",
        feature = "ractor",
        feature = "kameo",
        feature = "sentry",
        feature = "defmt"
    )
);

feature_page!(
    cluster,
    "../docs/cluster.md",
    "Many nodes",
    feature = "cluster"
);

feature_page!(
    operations,
    "../docs/operations.md",
    "Operations",
    all(feature = "prometheus", feature = "opentelemetry-logs")
);

feature_page!(
    // The page's blocks are test files (their `#[test]`s run as
    // `tests/snapshot_testing_guide*.rs`); as doctests they are compiled, so they cannot
    // rot between the two.
    #[allow(clippy::test_attr_in_doctest)]
    snapshot_testing,
    "../docs/snapshot-testing.md",
    "Snapshot testing",
    feature = "serde"
);

#[doc = include_str!("../docs/performance.md")]
pub mod performance {}

#[doc = include_str!("../docs/reliability.md")]
pub mod reliability {}

#[doc = include_str!("../docs/testing.md")]
pub mod testing {}

#[doc = include_str!("../docs/rfc-compatibility.md")]
pub mod rfc_compatibility {}

#[doc = include_str!("../docs/architecture.md")]
pub mod architecture {}
