//! A type map for values handed to telemetry builders.

use alloc::collections::BTreeMap;
use core::any::{Any, TypeId};
use core::fmt;

use crate::sync::ArcShared;

/// A map from type to value: one value per type, for handing application state (a
/// service name, an exporter handle) to telemetry builders without a global.
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// struct ServiceName(&'static str);
///
/// let mut extensions = Extensions::default();
/// extensions.insert(ServiceName("orders"));
/// assert_eq!(extensions.get::<ServiceName>().map(|s| s.0), Some("orders"));
/// assert!(extensions.get::<u32>().is_none());
/// ```
#[derive(Clone, Default)]
pub struct Extensions {
    values: BTreeMap<TypeId, ArcShared<dyn Any + Send + Sync>>,
}

impl Extensions {
    /// Stores `value`, replacing any earlier value of the same type. Returns `true`
    /// when a value was replaced.
    pub fn insert<T: Send + Sync + 'static>(&mut self, value: T) -> bool {
        self.values
            .insert(TypeId::of::<T>(), ArcShared::new(value))
            .is_some()
    }

    /// The value of type `T`, if one was stored.
    #[must_use]
    pub fn get<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.values.get(&TypeId::of::<T>())?.downcast_ref::<T>()
    }

    /// `true` when a value of type `T` is stored.
    #[must_use]
    pub fn contains<T: Send + Sync + 'static>(&self) -> bool {
        self.values.contains_key(&TypeId::of::<T>())
    }

    /// How many values are stored.
    #[must_use]
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// `true` when nothing is stored.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

impl fmt::Debug for Extensions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Extensions")
            .field("len", &self.len())
            .finish()
    }
}
