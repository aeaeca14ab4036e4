//! Failure storms: at most `burst` hook calls per `window` for each failure signature,
//! every other failure counted as suppressed.
//!
//! A crash loop sends the same failure to the root thousands of times a second; the
//! telemetry hook behind it (Sentry, a log pipeline, a pager) must not be flooded. A
//! [`StormPolicy`] set with
//! [`ActorSystemConfig::limit_storms`](crate::ActorSystemConfig::limit_storms) decides,
//! per [`StormSignature`], which failures reach the hook. The handler and the listener
//! always run. See the guide page `docs/storms.md`.
//!
//! One concept per file: the policy (`policy.rs`), what a signature is (`signature.rs`),
//! the fixed-window algorithm (`window.rs`), one signature's state (`slot.rs`), the
//! fixed-size table shared by the sinks of a config (`table.rs`), and the limiter that
//! puts them together with the runtime's clock (`limiter.rs`).

mod limiter;
mod policy;
mod signature;
mod slot;
mod table;
mod window;

pub(crate) use limiter::{Admission, StormLimiter};
pub use policy::{DEFAULT_STORM_SIGNATURES, MAX_STORM_BURST, MAX_STORM_SIGNATURES, StormPolicy};
pub use signature::StormSignature;
