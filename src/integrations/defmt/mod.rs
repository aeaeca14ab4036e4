//! [defmt](https://defmt.ferrous-systems.com) logging for embedded targets (feature
//! `defmt`, works without `std`).
//!
//! - `defmt::Format` for [`FailureSnapshot`](crate::FailureSnapshot),
//!   [`TelemetryTag`](crate::TelemetryTag), [`ActorPath`](crate::ActorPath),
//!   [`ActorId`](crate::ActorId) and
//!   [`FailureEscalationStage`](crate::FailureEscalationStage), and the crash-report
//!   parts [`FailureKind`](crate::FailureKind), [`CodeLocation`](crate::CodeLocation)
//!   and [`TraceContext`](crate::TraceContext): log them with
//!   `defmt::info!("{}", snapshot)` from your own hook.
//! - [`DefmtFailureTelemetry`]: a ready hook that logs each failure at level `error`.
//!
//! The firmware brings a defmt global logger (`defmt-rtt`, `defmt-itm`, ...) and links
//! with defmt's `defmt.x`, as for any defmt user. defmt 1.x needs Rust 1.81 (below
//! the crate's 1.88).
//!
//! # What is checked, and what is not
//!
//! No embedded target is installed where this crate is built and tested, so:
//!
//! - **Built and linted for the host** with the feature on, without `std`
//!   (`cargo build --no-default-features --features defmt`, and clippy with
//!   `-D warnings`) and with every feature: the `Format` impls and the hook compile
//!   against the real defmt, in the mode firmware uses.
//! - **Run on the host** through defmt's own test mode (its `unstable-test` feature, a
//!   dev-dependency only, which defmt's own encoding tests use): format strings are not
//!   interned but numbered, and the bytes a log call writes are kept in memory.
//!   `tests/defmt_encoding.rs` logs through [`DefmtFailureTelemetry`] and the `Format`
//!   impls and checks the bytes: each value (path segments, actor id, hops,
//!   description, every tag's key and value, the crash report's kind, error type,
//!   location, causes and trace, the dropped and suppressed counts) is on
//!   the wire, as the defmt type its format string declares, in order.
//! - **Not run**: a real target, a real global logger, defmt's linker script, and
//!   `defmt-decoder` turning the bytes back into text (it reads the interned strings
//!   from a firmware ELF, which the host test mode does not produce). The text in the
//!   docs above is what the format strings say, not a captured output.

mod crash;
mod format;
mod telemetry;

pub use telemetry::DefmtFailureTelemetry;
