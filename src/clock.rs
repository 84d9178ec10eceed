//! Time as a dependency: production reads the system clock, tests move a
//! hand-held one, so timeouts and deadlines are tested without sleeping.

use jiff::{SignedDuration, Timestamp};
use std::sync::{Arc, Mutex};

/// The source of "now" for every rule that depends on time.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that starts at the real time and only moves when told to.
#[derive(Clone)]
pub struct ManualClock(Arc<Mutex<Timestamp>>);

impl ManualClock {
    pub fn new() -> Self {
        Self(Arc::new(Mutex::new(Timestamp::now())))
    }

    pub fn advance(&self, by: SignedDuration) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) += by;
    }

    pub fn set(&self, to: Timestamp) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = to;
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
