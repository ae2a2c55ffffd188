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

    /// Move the clock forward (never backward: expiry must stay monotonic),
    /// and never past `LATEST`: `Err` says how far it may still go.
    pub fn advance(&self, seconds: u64) -> Result<i64, i64> {
        let wall = self.now() - self.offset.load(Ordering::Relaxed);
        let room = |offset: i64| LATEST.saturating_sub(wall.saturating_add(offset)).max(0);
        let secs = i64::try_from(seconds).unwrap_or(i64::MAX);
        self.offset
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |offset| {
                (secs <= room(offset)).then(|| offset + secs)
            })
            .map_err(room)?;
        Ok(self.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_stops_short_of_the_year_9999_and_says_how_far_it_may_go() {
        let clock = Clock::default();
        let now = clock.now();
        assert!(clock.advance(60).unwrap() >= now + 60);
        let room = clock.advance(u64::MAX).unwrap_err();
        assert!(room > 0 && room < LATEST - now, "{room}");
        assert_eq!(clock.advance(251_606_455_197), Err(room));
        assert!(clock.advance(u64::try_from(room).unwrap()).unwrap() <= LATEST);
        assert_eq!(clock.advance(1).unwrap_err(), 0);
    }
}
