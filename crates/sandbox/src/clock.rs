//! The sandbox's virtual clock: real time, optionally sped up, plus an offset that operators move forward so
//! that token expiry, lockouts and link lifetimes happen at once instead of after minutes of waiting.

use std::sync::Mutex;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};

#[derive(Debug)]
pub struct Clock {
    real_origin: Instant,
    virtual_origin: DateTime<Utc>,
    scale: f64,
    offset: Mutex<Duration>,
}

impl Clock {
    /// A clock that starts at `start` and runs `scale` times as fast as real time.
    pub fn new(start: DateTime<Utc>, scale: f64) -> Self {
        let scale = if scale.is_finite() && scale > 0.0 { scale } else { 1.0 };
        Self { real_origin: Instant::now(), virtual_origin: start, scale, offset: Mutex::new(Duration::zero()) }
    }

    pub fn now(&self) -> DateTime<Utc> {
        let real = self.real_origin.elapsed().as_secs_f64() * self.scale;
        let elapsed = Duration::microseconds((real * 1e6) as i64);
        self.virtual_origin + elapsed + *self.offset.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Moves virtual time forward (a negative duration is ignored: time never runs backwards).
    pub fn advance(&self, by: Duration) {
        if by > Duration::zero() {
            *self.offset.lock().unwrap_or_else(|e| e.into_inner()) += by;
        }
    }

    pub fn scale(&self) -> f64 {
        self.scale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_time_forward_only() {
        let start = Utc::now();
        let clock = Clock::new(start, 1.0);
        clock.advance(Duration::hours(2));
        clock.advance(Duration::hours(-5));
        let now = clock.now();
        assert!(now >= start + Duration::hours(2));
        assert!(now < start + Duration::hours(2) + Duration::minutes(1));
    }

    #[test]
    fn scale_speeds_time_up() {
        let start = Utc::now();
        let clock = Clock::new(start, 3600.0);
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(clock.now() - start >= Duration::seconds(60));
    }
}
