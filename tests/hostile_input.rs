//! Hostile input: each case has a documented outcome (`docs/reliability.md`), never
//! panics, and whatever is dropped is counted in the metadata, in `stats()`, and (when
//! observed and switched on) as `MetricsEvent::TagsDropped`.
#![cfg(feature = "std")]

use std::sync::Mutex;

use escalation_telemetry::prelude::*;
use escalation_telemetry::tags::{SPILLING_TAG_LIMIT, TagStorage};

/// What the telemetry hook and the handler saw.
#[derive(Default)]
struct Seen {
    /// The snapshot's one-line form, per failure.
    lines: Vec<String>,
    /// `(path depth, hops, tags, dropped tags)` per failure, from the snapshot.
    shapes: Vec<(usize, u8, usize, u32)>,
    /// What the handler received, per failure.
    handled: usize,
}

struct Harness<T: TagStorage> {
    config: ActorSystemConfig<StdRuntime<T>, Finalized>,
    metrics: ArcShared<CountingMetricsSink>,
    seen: ArcShared<Mutex<Seen>>,
}

impl<T: TagStorage> Harness<T> {
    /// An observed, timed config over storage `T` that records what its steps see.
    fn observed() -> Self {
        let metrics = ArcShared::new(CountingMetricsSink::new());
        let seen = ArcShared::new(Mutex::new(Seen::default()));
        let (hook_seen, handler_seen) = (seen.clone(), seen.clone());
        let config = ActorSystemConfig::<StdRuntime<T>>::new()
            .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
            .with_failure_telemetry(move |_ctx| {
                let seen = hook_seen.clone();
                FailureTelemetryShared::from_fn(move |snapshot| {
                    let mut seen = seen.lock().expect("seen lock");
                    seen.lines.push(snapshot.to_string());
                    seen.shapes.push((
                        snapshot.path().depth(),
                        snapshot.hops(),
                        snapshot.tags().len(),
                        snapshot.dropped_tags(),
                    ));
                })
            })
            .observe()
            .capture_timing(true)
            .finalize()
            .with_failure_event_handler(move |_| {
                handler_seen.lock().expect("seen lock").handled += 1;
            });
        Self {
            config,
            metrics,
            seen,
        }
    }

    fn handle(&self, info: FailureInfo<T>) -> RootEscalationSink<(), StdRuntime<T>> {
        let mut sink = self.config.root_escalation_sink::<()>();
        assert!(sink.handle(info, false).is_ok());
        sink
    }

    fn last_line(&self) -> String {
        let seen = self.seen.lock().expect("seen lock");
        seen.lines.last().cloned().expect("the hook saw a failure")
    }

    fn last_shape(&self) -> (usize, u8, usize, u32) {
        let seen = self.seen.lock().expect("seen lock");
        *seen.shapes.last().expect("the hook saw a failure")
    }
}

fn info_with<T: TagStorage>(metadata: FailureMetadata<T>) -> FailureInfo<T> {
    FailureInfo::new(
        ActorId(9),
        ActorPath::root().child(ActorId(1)).child(ActorId(9)),
        ActorFailure::from_message("boom"),
    )
    .with_metadata(metadata)
}

/// One line: no line break of any kind, no control character.
fn assert_one_line(line: &str) {
    assert!(
        !line
            .chars()
            .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')),
        "not a single clean line: {line:?}"
    );
    assert_eq!(line.lines().count(), 1);
}

#[test]
fn an_empty_key_is_rejected_counted_and_reported() {
    let mut metadata = FailureMetadata::<SpillingTags<4>>::default();
    assert_eq!(metadata.insert_tag("", "value"), Err(TagError::EmptyKey));
    let metadata = metadata
        .with_tag("", "again")
        .with_tag("ok", "")
        .with_component("");
    assert_eq!(metadata.dropped_tags(), 2);
    // An empty *value* is a value like any other.
    assert_eq!(metadata.get("ok"), Some(""));
    assert_eq!(metadata.component(), Some(""));

    let harness = Harness::observed();
    let sink = harness.handle(info_with(metadata));

    assert_eq!(sink.stats().tags_dropped, 2);
    assert_eq!(harness.metrics.totals().tags_dropped, 2);
    assert_eq!(harness.last_shape().3, 2);
    assert_eq!(
        harness.last_line(),
        r#"path=/1/9 actor=9 hops=0 description="boom" tags=[ok="" component=""] dropped_tags=2"#
    );
}

#[test]
fn megabyte_keys_values_and_descriptions_are_kept_whole_on_one_line() {
    const MIB: usize = 1 << 20;
    let value = "v".repeat(MIB);
    let key = "k".repeat(MIB);
    let description = "line\n".repeat(MIB / 5);
    let metadata = FailureMetadata::<BoundedTags<4>>::default()
        .with_tag("blob", value.clone())
        .with_tag(key.clone(), "x");
    let info = FailureInfo::new(
        ActorId(1),
        ActorPath::root().child(ActorId(1)),
        ActorFailure::from_message(description.clone()),
    )
    .with_metadata(metadata);

    assert_eq!(info.metadata.get("blob").map(str::len), Some(MIB));
    assert_eq!(info.metadata.get(&key), Some("x"));
    assert_eq!(info.failure.description(), description);

    let harness = Harness::observed();
    let sink = harness.handle(info);
    let line = harness.last_line();
    assert_one_line(&line);
    // Nothing is truncated: every byte is there, each newline as the two bytes `\n`.
    assert!(line.contains(&value) && line.contains(&key));
    assert!(line.len() > 2 * MIB + description.len());
    assert_eq!(sink.stats().tags_dropped, 0);
}

#[test]
fn non_ascii_and_control_characters_are_stored_verbatim_and_escaped_in_the_line() {
    let hostile = "ключ \u{1b}[31mred\u{0}\r\n\t\"q\"\\ \u{2028}\u{2029}\u{85} 🦀";
    let metadata = FailureMetadata::<SpillingTags<4>>::default()
        .with_tag(hostile, hostile)
        .with_tag("naïve", "日本語")
        .with_tag("a=b", "c d");
    assert_eq!(metadata.get(hostile), Some(hostile));

    let harness = Harness::observed();
    let info = FailureInfo::new(
        ActorId(3),
        ActorPath::root().child(ActorId(3)),
        ActorFailure::from_message(hostile),
    )
    .with_metadata(metadata);
    let expected_line = concat!(
        r#"path=/3 actor=3 hops=0 description="ключ \u{1b}[31mred\u{0}\r\n\t\"q\"\\ \u{2028}\u{2029}\u{85} 🦀" "#,
        r#"tags=["ключ \u{1b}[31mred\u{0}\r\n\t\"q\"\\ \u{2028}\u{2029}\u{85} 🦀"="ключ \u{1b}[31mred\u{0}\r\n\t\"q\"\\ \u{2028}\u{2029}\u{85} 🦀" "#,
        r#""naïve"="日本語" "a=b"="c d"]"#
    );
    assert_eq!(info.to_string(), expected_line);

    harness.handle(info);
    assert_eq!(harness.last_line(), expected_line);
    assert_one_line(&harness.last_line());
}

#[test]
fn duplicate_keys_replace_the_value_in_place_and_are_not_dropped() {
    let mut metadata = FailureMetadata::<BoundedTags<2>>::default()
        .with_tag("a", "1")
        .with_tag("b", "1");
    // The storage is full, yet a known key is replaced rather than dropped.
    for round in 2..1_000 {
        let previous = metadata
            .insert_tag("a", round.to_string())
            .expect("a known key is always accepted");
        assert_eq!(previous.as_deref(), Some((round - 1).to_string().as_str()));
    }
    let metadata = metadata.with_component("db").with_component("cache");
    assert_eq!(
        metadata
            .tags()
            .iter()
            .map(|t| (&*t.key, &*t.value))
            .collect::<Vec<_>>(),
        [("a", "999"), ("b", "1")]
    );
    // `component` did not fit a full storage: dropped twice, counted twice.
    assert_eq!(metadata.dropped_tags(), 2);

    let spilling: FailureMetadata<SpillingTags<2>> = (0..1_000)
        .map(|i| (["x", "y", "z"][i % 3], i.to_string()))
        .collect();
    assert_eq!(
        spilling
            .tags()
            .iter()
            .map(|t| (&*t.key, &*t.value))
            .collect::<Vec<_>>(),
        [("x", "999"), ("y", "997"), ("z", "998")]
    );
    assert_eq!(spilling.dropped_tags(), 0);
}

#[test]
fn far_more_tags_than_a_bounded_capacity_keeps_the_first_and_counts_the_rest() {
    const TAGS: u32 = 100_000;
    let metadata: FailureMetadata<BoundedTags<4>> =
        (0..TAGS).map(|i| (format!("k{i}"), "v")).collect();
    assert_eq!(
        metadata.tags().iter().map(|t| &*t.key).collect::<Vec<_>>(),
        ["k0", "k1", "k2", "k3"]
    );
    assert_eq!(metadata.dropped_tags(), TAGS - 4);

    let harness = Harness::observed();
    let sink = harness.handle(info_with(metadata));
    assert_eq!(sink.stats().tags_dropped, u64::from(TAGS - 4));
    assert_eq!(harness.metrics.totals().tags_dropped, u64::from(TAGS - 4));
    assert_eq!(harness.last_shape(), (2, 0, 4, TAGS - 4));
    assert!(harness.last_line().ends_with(" dropped_tags=99996"));
}

#[test]
fn far_more_tags_than_a_spilling_capacity_keep_the_first_128_and_count_the_rest() {
    // 100,000 distinct keys from outside (tenant ids, headers): the storage keeps the
    // first `SPILLING_TAG_LIMIT`, counts every other one, and each insert compares the
    // key with the keys stored so far, at most that many. Before the limit this took
    // 46 s in the debug profile (every key was kept, so each insert scanned every key
    // so far: 5 * 10^9 comparisons). The work is counted, not timed: the keys an insert
    // can compare with are the ones stored when it runs.
    const TAGS: u32 = 100_000;
    const LIMIT: u32 = SPILLING_TAG_LIMIT as u32;
    let mut metadata = FailureMetadata::<SpillingTags<4>>::new_in();
    let mut comparisons_bound: u64 = 0;
    for i in 0..TAGS {
        comparisons_bound += u64::try_from(metadata.tags().len()).expect("small");
        let _ = metadata.insert_tag(format!("tenant-{i}"), "v");
    }
    assert!(
        comparisons_bound <= u64::from(LIMIT) * u64::from(TAGS),
        "{comparisons_bound} key comparisons for {TAGS} inserts: not linear"
    );
    // `collect` (`FromIterator`, `Extend`) inserts the same way.
    let collected: FailureMetadata<SpillingTags<4>> =
        (0..TAGS).map(|i| (format!("tenant-{i}"), "v")).collect();
    assert_eq!(collected.tags(), metadata.tags());
    assert_eq!(collected.dropped_tags(), metadata.dropped_tags());
    assert_eq!(metadata.tags().len(), SPILLING_TAG_LIMIT);
    assert_eq!(metadata.tags()[127].key, "tenant-127");
    assert!(metadata.storage().spilled());
    assert_eq!(metadata.dropped_tags(), TAGS - LIMIT);

    // Keys already stored are still replaced in place when the storage is full.
    assert_eq!(
        metadata
            .insert_tag("tenant-5", "new")
            .map(|old| old.map(|v| v.into_owned())),
        Ok(Some("v".to_owned()))
    );
    assert_eq!(
        metadata.insert_tag("tenant-100000", "v"),
        Err(TagError::CapacityExceeded {
            capacity: SPILLING_TAG_LIMIT
        })
    );
    assert_eq!(metadata.dropped_tags(), TAGS - LIMIT + 1);

    let harness = Harness::observed();
    let sink = harness.handle(info_with(metadata));
    let dropped = TAGS - LIMIT + 1;
    assert_eq!(harness.last_shape(), (2, 0, SPILLING_TAG_LIMIT, dropped));
    assert_eq!(sink.stats().tags_dropped, u64::from(dropped));
    assert_eq!(harness.metrics.totals().tags_dropped, u64::from(dropped));
    assert!(harness.last_line().ends_with(" dropped_tags=99873"));
}

#[test]
fn dropped_tags_are_counted_even_when_not_observed_but_reported_only_when_observed() {
    let dropping = || {
        FailureMetadata::<BoundedTags<1>>::default()
            .with_tag("a", "1")
            .with_tag("b", "2")
            .with_tag("", "3")
    };

    // Observed, switch off: counted in `stats()`, no metrics event.
    let harness = Harness::<BoundedTags<1>>::observed();
    let switch = harness.config.observation_switch().expect("observed");
    switch.disable();
    let sink = harness.handle(info_with(dropping()));
    assert_eq!(sink.stats().tags_dropped, 2);
    assert_eq!(harness.metrics.totals().tags_dropped, 0);
    switch.enable();
    let sink = harness.handle(info_with(dropping()));
    assert_eq!(sink.stats().tags_dropped, 4);
    assert_eq!(harness.metrics.totals().tags_dropped, 2);

    // Not observed at all: `stats()` only.
    let metrics = ArcShared::new(CountingMetricsSink::new());
    let config = ActorSystemConfig::<StdRuntime<BoundedTags<1>>>::new()
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
        .finalize();
    let mut sink = config.root_escalation_sink::<()>();
    assert!(sink.handle(info_with(dropping()), false).is_ok());
    assert_eq!(sink.stats().tags_dropped, 2);
    assert_eq!(metrics.totals().tags_dropped, 0);

    // Already handled by a supervisor on the way: the root does not report it again,
    // so it does not count its tags again either.
    assert!(sink.handle(info_with(dropping()), true).is_ok());
    assert_eq!(sink.stats().tags_dropped, 2);
}

#[test]
fn newlines_in_descriptions_are_escaped_and_kept_in_the_failure() {
    let description = "first line\nsecond line\r\nthird\u{2028}fourth\u{0}";
    let info = FailureInfo::new(
        ActorId(5),
        ActorPath::root().child(ActorId(5)),
        ActorFailure::from_message(description),
    );
    assert_eq!(info.failure.description(), description);
    assert_eq!(info.snapshot().description(), description);
    let expected = r#"path=/5 actor=5 hops=0 description="first line\nsecond line\r\nthird\u{2028}fourth\u{0}" tags=[]"#;
    assert_eq!(info.to_string(), expected);

    let harness = Harness::<DefaultTags>::observed();
    harness.handle(info);
    assert_eq!(harness.last_line(), expected);
}

#[test]
fn hop_counts_past_u8_max_saturate_at_255() {
    let mut info = info_with(FailureMetadata::new());
    for _ in 0..1_000 {
        info = info.escalate_to_parent();
    }
    assert_eq!(info.stage.hops(), u8::MAX);
    assert!(info.stage.is_saturated());

    let at_max = FailureEscalationStage::Escalated { hops: u8::MAX };
    assert_eq!(at_max.escalate(), at_max);
    let info = info.with_stage(at_max).escalate_to_parent();
    assert_eq!(info.stage, at_max);

    let harness = Harness::<DefaultTags>::observed();
    harness.handle(info);
    assert_eq!(harness.last_shape().1, u8::MAX);
    assert!(harness.last_line().contains(" hops=255 "));
}

#[test]
fn very_deep_paths_keep_every_segment() {
    const DEPTH: u64 = 10_000;
    let mut deep = ActorPath::root();
    for id in 0..DEPTH {
        deep.push(ActorId(id));
    }
    assert_eq!(deep.depth(), 10_000);
    assert_eq!(deep.leaf(), Some(ActorId(DEPTH - 1)));
    let parent = deep.parent().expect("a deep path has a parent");
    assert_eq!(parent.depth(), 9_999);
    assert_eq!(parent.segments(), &deep.segments()[..9_999]);

    // `child` copies the path each time: a few thousand levels built that way are fine.
    let mut built = ActorPath::root();
    for id in 0..2_000 {
        built = built.child(ActorId(id));
    }
    assert_eq!(built.depth(), 2_000);
    let shown = built.to_string();
    assert_eq!(shown.matches('/').count(), 2_000);
    assert!(shown.starts_with("/0/1/2/") && shown.ends_with("/1998/1999"));

    let harness = Harness::<DefaultTags>::observed();
    let info = FailureInfo::new(
        ActorId(u64::MAX),
        deep.clone(),
        ActorFailure::from_message("deep"),
    );
    let sink = harness.handle(info);
    assert_eq!(harness.last_shape().0, 10_000);
    let line = harness.last_line();
    assert_one_line(&line);
    assert!(line.starts_with("path=/0/1/2/"));
    assert!(line.contains(&format!("/9999 actor={} ", u64::MAX)));
    assert_eq!(sink.stats(), EscalationStats::default());
    assert_eq!(harness.seen.lock().expect("seen lock").handled, 1);
}

/// A collector reads bytes another node sent: any bytes give a forwarded failure or a
/// typed error, never a panic, and whatever decodes encodes back to the same failure.
#[cfg(feature = "cluster")]
mod forwarded_bytes {
    use escalation_telemetry::integrations::ractor::cluster::ForwardedFailure;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn arbitrary_bytes_decode_or_fail_without_panicking(
            bytes in proptest::collection::vec(any::<u8>(), 0..512),
        ) {
            if let Ok(forwarded) = ForwardedFailure::decode(&bytes) {
                prop_assert_eq!(ForwardedFailure::decode(&forwarded.encode()), Ok(forwarded));
            }
        }

        /// Bytes that start like the real form (version 1, node `b`) reach the deeper
        /// checks instead of failing at the first byte.
        #[test]
        fn plausible_prefixes_decode_or_fail_without_panicking(
            tail in proptest::collection::vec(any::<u8>(), 0..256),
        ) {
            let mut bytes = vec![0x08, 0x01, 0x12, 0x01, b'b'];
            bytes.extend(tail);
            if let Ok(forwarded) = ForwardedFailure::decode(&bytes) {
                prop_assert_eq!(ForwardedFailure::decode(&forwarded.encode()), Ok(forwarded));
            }
        }
    }
}
