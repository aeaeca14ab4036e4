//! A forwarded failure's crash report made into a failure again, at the collector.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::failure::{ActorFailure, FailureKind};
use crate::telemetry::CrashReport;

/// A failure described by `description` with these parts, through the public
/// constructors: a panic or a message keeps no causes (only an error has a
/// `source()` chain), and the dropped-cause count is rebuilt up to the bound on the
/// walk of a chain (240). Its [`location`](ActorFailure::location) is this call's;
/// its [`code_location`](ActorFailure::code_location) is the one carried.
pub(crate) fn rebuild_failure(report: CrashReport, description: String) -> ActorFailure {
    let mut this = report.bounded();
    let failure = match this.kind {
        FailureKind::Panic => ActorFailure::from_panic_payload(&description),
        FailureKind::Error => {
            let causes = core::mem::take(&mut this.causes);
            let chain = Chain::new(description, causes, this.dropped_causes);
            ActorFailure::from_error::<dyn core::error::Error>(&chain)
        }
        _ => ActorFailure::from_message(description),
    };
    this.set_on(failure)
}

/// An error and its `source()` chain rebuilt from text: the causes, then `dropped`
/// links past the bound, so that `from_error` counts them as dropped again.
#[derive(Debug)]
struct Chain {
    text: String,
    source: Option<Box<Chain>>,
}

impl Chain {
    fn new(text: String, causes: Vec<String>, dropped: u32) -> Self {
        let padding = (0..dropped.min(240)).map(|_| String::from("(dropped cause)"));
        let mut links: Vec<String> = causes.into_iter().chain(padding).collect();
        let mut source = None;
        while let Some(text) = links.pop() {
            source = Some(Box::new(Self { text, source }));
        }
        Self { text, source }
    }
}

impl fmt::Display for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl core::error::Error for Chain {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|link| link as &(dyn core::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::{ActorId, ActorPath, FailureInfo, TraceContext};

    /// What a failure made from an error with five causes carries.
    fn report() -> CrashReport {
        let causes = (1..=5)
            .map(|index| alloc::format!("cause {index}"))
            .collect();
        let chain = Chain::new(String::from("boom"), causes, 0);
        let failure = ActorFailure::from_error(&chain)
            .with_error_type("io::Error")
            .with_code_location("src/a.rs", 3, 4)
            .with_trace(TraceContext {
                trace_id: [1; 16],
                span_id: [2; 8],
                sampled: true,
            })
            .with_backtrace("0: main");
        let info = FailureInfo::new(ActorId(1), ActorPath::root(), failure);
        let report = CrashReport::of(&info.snapshot());
        assert_eq!(report.causes.len(), 5, "{report:?}");
        report
    }

    #[test]
    fn the_rebuilt_failure_carries_every_value() {
        let failure = rebuild_failure(report(), String::from("boom"));
        assert_eq!(failure.description(), "boom");
        let info = FailureInfo::new(ActorId(1), ActorPath::root(), failure);
        assert_eq!(CrashReport::of(&info.snapshot()), report());
    }

    #[test]
    fn a_rebuilt_panic_is_a_panic_at_its_carried_location() {
        let report = CrashReport {
            kind: FailureKind::Panic,
            location: Some(("src/worker.rs".into(), 9, 1)),
            ..CrashReport::default()
        };
        let failure = rebuild_failure(report.clone(), String::from("index out of bounds"));
        assert_eq!(failure.kind(), FailureKind::Panic);
        let info = FailureInfo::new(ActorId(1), ActorPath::root(), failure);
        assert_eq!(CrashReport::of(&info.snapshot()), report);
    }
}
