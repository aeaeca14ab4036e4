//! Property: for any sequence of tag insertions, the metadata behaves as an
//! insertion-ordered map (same key replaces in place, last write wins, empty key
//! rejected); bounded storage keeps the first `N` distinct keys and counts the rest;
//! spilling storage keeps them all. What the snapshot shows is exactly that.
#![cfg(feature = "std")]

use escalation_telemetry::prelude::*;
use escalation_telemetry::tags::{TagStorage, keys};
use proptest::prelude::*;

/// One way of setting a tag, as a user would.
#[derive(Debug, Clone)]
enum Insert {
    /// `insert_tag(key, value)`, whose return value is checked too.
    Tag(String, String),
    /// `with_tag(key, value)`.
    WithTag(String, String),
    /// `with_component(value)`.
    Component(String),
    /// `with_endpoint(value)`.
    Endpoint(String),
    /// `with_transport(value)`.
    Transport(String),
    /// `extend([(key, value), ..])`.
    Extend(Vec<(String, String)>),
}

impl Insert {
    /// The `(key, value)` pairs this step sets, in order.
    fn pairs(&self) -> Vec<(String, String)> {
        match self {
            Self::Tag(k, v) | Self::WithTag(k, v) => vec![(k.clone(), v.clone())],
            Self::Component(v) => vec![(keys::COMPONENT.to_owned(), v.clone())],
            Self::Endpoint(v) => vec![(keys::ENDPOINT.to_owned(), v.clone())],
            Self::Transport(v) => vec![(keys::TRANSPORT.to_owned(), v.clone())],
            Self::Extend(pairs) => pairs.clone(),
        }
    }
}

/// Keys from a small alphabet (so that duplicates are common), the empty key, and the
/// keys the metadata's named setters use.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-h]",
        1 => Just(String::new()),
        1 => prop::sample::select(vec![keys::COMPONENT, keys::ENDPOINT, keys::TRANSPORT])
            .prop_map(str::to_owned),
        1 => "[a-z]{2,6}",
    ]
}

fn value() -> impl Strategy<Value = String> {
    "[a-z0-9 ]{0,4}"
}

fn insert() -> impl Strategy<Value = Insert> {
    prop_oneof![
        4 => (key(), value()).prop_map(|(k, v)| Insert::Tag(k, v)),
        2 => (key(), value()).prop_map(|(k, v)| Insert::WithTag(k, v)),
        1 => value().prop_map(Insert::Component),
        1 => value().prop_map(Insert::Endpoint),
        1 => value().prop_map(Insert::Transport),
        1 => prop::collection::vec((key(), value()), 0..6).prop_map(Insert::Extend),
    ]
}

/// The reference model: an insertion-ordered map with an optional capacity.
#[derive(Debug, Default)]
struct Model {
    tags: Vec<(String, String)>,
    dropped: u32,
}

impl Model {
    fn insert(
        &mut self,
        key: &str,
        value: &str,
        capacity: Option<usize>,
    ) -> Result<Option<String>, TagError> {
        if key.is_empty() {
            self.dropped += 1;
            return Err(TagError::EmptyKey);
        }
        if let Some((_, existing)) = self.tags.iter_mut().find(|(k, _)| k == key) {
            return Ok(Some(std::mem::replace(existing, value.to_owned())));
        }
        match capacity {
            Some(capacity) if self.tags.len() == capacity => {
                self.dropped += 1;
                Err(TagError::CapacityExceeded { capacity })
            }
            _ => {
                self.tags.push((key.to_owned(), value.to_owned()));
                Ok(None)
            }
        }
    }
}

fn apply<T: TagStorage>(inserts: &[Insert]) -> (FailureMetadata<T>, Model) {
    let capacity = Some(T::LIMIT);
    let mut metadata = FailureMetadata::<T>::default();
    let mut model = Model::default();
    for step in inserts {
        let mut expected = Vec::new();
        for (k, v) in step.pairs() {
            expected.push(model.insert(&k, &v, capacity));
        }
        metadata = match step.clone() {
            Insert::Tag(k, v) => {
                let got = metadata.insert_tag(k, v);
                let got = got.map(|previous| previous.map(|p| p.into_owned()));
                assert_eq!(got, expected[0]);
                metadata
            }
            Insert::WithTag(k, v) => metadata.with_tag(k, v),
            Insert::Component(v) => metadata.with_component(v),
            Insert::Endpoint(v) => metadata.with_endpoint(v),
            Insert::Transport(v) => metadata.with_transport(v),
            Insert::Extend(pairs) => {
                metadata.extend(pairs);
                metadata
            }
        };
    }
    (metadata, model)
}

fn stored(tags: &[TelemetryTag]) -> Vec<(String, String)> {
    tags.iter()
        .map(|t| (t.key.to_string(), t.value.to_string()))
        .collect()
}

/// Checks storage `T` against the model, and against the declarative statement of the
/// guarantee: the stored keys are the first `capacity` distinct non-empty keys, each
/// with its last written value; every other insertion of a new key, and every empty
/// key, is counted.
fn check<T: TagStorage>(inserts: &[Insert]) {
    let (metadata, model) = apply::<T>(inserts);
    assert_eq!(stored(metadata.tags()), model.tags);
    assert_eq!(metadata.dropped_tags(), model.dropped);

    let pairs: Vec<(String, String)> = inserts.iter().flat_map(Insert::pairs).collect();
    let mut distinct: Vec<&str> = Vec::new();
    for (k, _) in &pairs {
        if !k.is_empty() && !distinct.contains(&k.as_str()) {
            distinct.push(k);
        }
    }
    let kept = distinct.len().min(T::LIMIT);
    let kept_keys = &distinct[..kept];
    let expected: Vec<(String, String)> = kept_keys
        .iter()
        .map(|key| {
            let last = pairs
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone());
            ((*key).to_owned(), last.expect("a kept key was written"))
        })
        .collect();
    assert_eq!(stored(metadata.tags()), expected);
    let counted = pairs
        .iter()
        .filter(|(k, _)| k.is_empty() || !kept_keys.contains(&k.as_str()))
        .count();
    assert_eq!(metadata.dropped_tags() as usize, counted);

    // The snapshot telemetry sees is a view of exactly that.
    let info = FailureInfo::new(
        ActorId(1),
        ActorPath::root(),
        ActorFailure::from_message("x"),
    )
    .with_metadata(metadata.clone());
    let snapshot = info.snapshot();
    assert_eq!(snapshot.tags(), metadata.tags());
    assert_eq!(snapshot.dropped_tags(), model.dropped);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn bounded_storage_keeps_the_first_n_distinct_keys_and_counts_the_rest(
        inserts in prop::collection::vec(insert(), 0..40)
    ) {
        check::<BoundedTags<1>>(&inserts);
        check::<BoundedTags<4>>(&inserts);
        check::<BoundedTags<8>>(&inserts);
    }

    #[test]
    fn spilling_storage_keeps_every_distinct_key(
        inserts in prop::collection::vec(insert(), 0..40)
    ) {
        check::<SpillingTags<1>>(&inserts);
        check::<SpillingTags<4>>(&inserts);
    }
}
