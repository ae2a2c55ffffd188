//! The cloud's notion of now. QA moves it forward so expiry, cooldown and lockout
//! are tested without sleeping; everything time-dependent reads it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    /// Seconds since the Unix epoch, as the cloud sees them.
    pub fn now(&self) -> i64 {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        wall + self.offset.load(Ordering::Relaxed)
    }

    /// Back to the wall clock (QA reset, with everything that depended on the
    /// old time wiped along with it).
    pub fn reset(&self) {
        self.offset.store(0, Ordering::Relaxed);
    }

    /// Move the clock forward (never backward: expiry must stay monotonic).
    pub fn advance(&self, seconds: u64) -> i64 {
        let secs = i64::try_from(seconds).unwrap_or(i64::MAX / 4);
        self.offset.fetch_add(secs, Ordering::Relaxed);
        self.now()
    }
}
