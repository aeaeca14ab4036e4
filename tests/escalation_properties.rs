//! Properties of escalation: hops are monotonic and saturate at `u8::MAX`; whatever
//! sequence of failures reaches the root (already handled or not, with panicking steps,
//! through several sinks of one config), the handler and the listener see every failure
//! exactly once and in order, the hook sees every unhandled one exactly once, and the
//! counters reconcile.
#![cfg(feature = "std")]

mod support {
    pub(crate) mod panics;
}

use std::sync::Mutex;

use escalation_telemetry::prelude::*;
use proptest::prelude::*;
use support::panics::{intentional_panic, silence_intentional_panics};

type Tags = BoundedTags<2>;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn hops_are_monotonic_and_saturate(start in any::<u8>(), steps in 0_usize..600) {
        let initial = if start == 0 {
            FailureEscalationStage::Initial
        } else {
            FailureEscalationStage::Escalated { hops: start }
        };
        let mut stage = initial;
        let mut info = FailureInfo::new(ActorId(1), ActorPath::root(), ActorFailure::from_message("x"))
            .with_stage(initial);
        for step in 1..=steps {
            let next = stage.escalate();
            prop_assert!(next.hops() >= stage.hops());
            if stage.is_saturated() {
                prop_assert_eq!(next, stage);
            } else {
                prop_assert_eq!(next.hops(), stage.hops() + 1);
            }
            prop_assert_eq!(next.is_saturated(), next.hops() == u8::MAX);
            info = info.escalate_to_parent();
            prop_assert_eq!(info.stage, next);
            stage = next;
            let expected = (usize::from(start) + step).min(usize::from(u8::MAX));
            prop_assert_eq!(usize::from(stage.hops()), expected);
        }
        prop_assert_eq!(info.actor, ActorId(1));
        prop_assert!(info.path.is_root());
    }
}

/// One failure of a generated run.
#[derive(Debug, Clone)]
struct Case {
    already_handled: bool,
    hook_panics: bool,
    handler_panics: bool,
    listener_panics: bool,
    hops: u16,
    tags: u8,
    /// Which sink handles it: 0 a sink, 1 a clone of it, 2 another sink of the config.
    sink: usize,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
        0_u16..300,
        0_u8..5,
        0_usize..3,
    )
        .prop_map(
            |(already_handled, hook_panics, handler_panics, listener_panics, hops, tags, sink)| {
                Case {
                    already_handled,
                    hook_panics,
                    handler_panics,
                    listener_panics,
                    hops,
                    tags,
                    sink,
                }
            },
        )
}

fn failure(id: u64, case: &Case) -> FailureInfo<Tags> {
    const KEYS: [&str; 5] = ["a", "b", "c", "d", "e"];
    let metadata: FailureMetadata<Tags> = KEYS[..usize::from(case.tags)]
        .iter()
        .map(|k| (*k, "v"))
        .collect();
    let mut info = FailureInfo::new(
        ActorId(id),
        ActorPath::root().child(ActorId(id)),
        ActorFailure::from_message("boom"),
    )
    .with_metadata(metadata);
    for _ in 0..case.hops {
        info = info.escalate_to_parent();
    }
    info
}

/// Who saw what, in order: `(failure id, hops)`.
#[derive(Debug, Default)]
struct Seen {
    hook: Vec<(u64, u8)>,
    handler: Vec<(u64, u8)>,
    listener: Vec<(u64, u8)>,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn the_handler_sees_every_failure_exactly_once(cases in prop::collection::vec(case(), 0..48)) {
        silence_intentional_panics();
        let metrics = ArcShared::new(CountingMetricsSink::new());
        let seen = ArcShared::new(Mutex::new(Seen::default()));
        let plan = ArcShared::new(cases.clone());
        let (hook_seen, handler_seen, listener_seen) = (seen.clone(), seen.clone(), seen.clone());
        let (hook_plan, handler_plan, listener_plan) = (plan.clone(), plan.clone(), plan);
        let config = ActorSystemConfig::<StdRuntime<Tags>>::new()
            .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
            .with_failure_telemetry(move |_ctx| {
                let (seen, plan) = (hook_seen.clone(), hook_plan.clone());
                FailureTelemetryShared::from_fn(move |s| {
                    let id = s.actor().0;
                    seen.lock().expect("seen").hook.push((id, s.hops()));
                    if plan[usize::try_from(id).expect("small id")].hook_panics {
                        intentional_panic("telemetry hook");
                    }
                })
            })
            .observe()
            .finalize()
            .with_failure_event_handler(move |info| {
                let id = info.actor.0;
                handler_seen.lock().expect("seen").handler.push((id, info.stage.hops()));
                if handler_plan[usize::try_from(id).expect("small id")].handler_panics {
                    intentional_panic("failure event handler");
                }
            })
            .with_failure_event_listener(move |event| {
                let id = event.info().actor.0;
                listener_seen.lock().expect("seen").listener.push((id, event.info().stage.hops()));
                if listener_plan[usize::try_from(id).expect("small id")].listener_panics {
                    intentional_panic("failure event listener");
                }
            });
        let first = config.root_escalation_sink::<()>();
        let mut sinks = [first.clone(), first, config.root_escalation_sink::<()>()];

        for (id, case) in (0_u64..).zip(&cases) {
            prop_assert!(sinks[case.sink].handle(failure(id, case), case.already_handled).is_ok());
        }

        let hops = |case: &Case| u8::try_from(case.hops).unwrap_or(u8::MAX);
        let every: Vec<(u64, u8)> = (0_u64..).zip(&cases).map(|(id, c)| (id, hops(c))).collect();
        let reported: Vec<(u64, u8)> = (0_u64..)
            .zip(&cases)
            .filter(|(_, c)| !c.already_handled)
            .map(|(id, c)| (id, hops(c)))
            .collect();
        let seen = seen.lock().expect("seen");
        prop_assert_eq!(&seen.handler, &every);
        prop_assert_eq!(&seen.listener, &every);
        prop_assert_eq!(&seen.hook, &reported);

        let count = |f: fn(&Case) -> bool| cases.iter().filter(|c| f(c)).count() as u64;
        let stats = sinks[0].stats();
        prop_assert_eq!(stats.telemetry_panics, count(|c| !c.already_handled && c.hook_panics));
        prop_assert_eq!(stats.handler_panics, count(|c| c.handler_panics));
        prop_assert_eq!(stats.listener_panics, count(|c| c.listener_panics));
        let dropped: u64 = cases
            .iter()
            .filter(|c| !c.already_handled)
            .map(|c| u64::from(c.tags.saturating_sub(2)))
            .sum();
        prop_assert_eq!(stats.tags_dropped, dropped);
        let totals = metrics.totals();
        prop_assert_eq!(totals.invocations, reported.len() as u64);
        prop_assert_eq!(totals.panics, stats.telemetry_panics);
        prop_assert_eq!(totals.handler_panics, stats.handler_panics);
        prop_assert_eq!(totals.listener_panics, stats.listener_panics);
        prop_assert_eq!(totals.tags_dropped, dropped);
    }
}
