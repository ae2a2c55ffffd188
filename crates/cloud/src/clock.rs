//! The cloud's notion of now. QA moves it forward so expiry, cooldown and lockout
//! are tested without sleeping; everything time-dependent reads it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// The latest moment the clock may show: the first second of the year 9999.
/// Whatever is computed from it (a lock, a code's expiry, a refresh token's 30
/// days; every lifetime is at most 10 years) is still a date HTTP can write.
pub const LATEST: i64 = 253_370_764_800;

/// The last second HTTP dates can carry (9999-12-31T23:59:59Z).
pub const LAST_HTTP_DATE: i64 = 253_402_300_799;

#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    /// Seconds since the Unix epoch, as the cloud sees them.
    pub fn now(&self) -> i64 {
        wall() + self.offset.load(Ordering::Relaxed)
    }

    /// Take how far QA has moved the clock. The database keeps the offset
    /// that counts (`qa_state`); this is the copy the instance works with.
    pub(crate) fn set_offset(&self, offset: i64) {
        self.offset.store(offset, Ordering::Relaxed);
    }
}

/// The wall clock: seconds since the Unix epoch.
pub fn wall() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The offset after moving the clock `seconds` forward (never backward:
/// expiry must stay monotonic), and never past `LATEST`: `Err` says how far
/// it may still go.
pub fn advanced(wall: i64, offset: i64, seconds: u64) -> Result<i64, i64> {
    let room = LATEST.saturating_sub(wall.saturating_add(offset)).max(0);
    let secs = i64::try_from(seconds).unwrap_or(i64::MAX);
    if secs <= room {
        Ok(offset + secs)
    } else {
        Err(room)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_stops_short_of_the_year_9999_and_says_how_far_it_may_go() {
        let now = wall();
        let offset = advanced(now, 0, 60).unwrap();
        assert_eq!(offset, 60);
        let room = advanced(now, offset, u64::MAX).unwrap_err();
        assert!(room > 0 && room < LATEST - now, "{room}");
        assert_eq!(advanced(now, offset, 251_606_455_197), Err(room));
        let offset = advanced(now, offset, u64::try_from(room).unwrap()).unwrap();
        assert_eq!(now + offset, LATEST);
        assert_eq!(advanced(now, offset, 1).unwrap_err(), 0);
    }
}
