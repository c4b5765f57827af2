//! The live agenda's schedule: when each account is reloaded next, by the timer, a trigger or a failure's
//! backoff, within the request budget (see `live.rs` and README, "Requests to each service"). Pure bookkeeping,
//! driven by the clock it is given.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy)]
pub struct LiveConfig {
    /// How often an account is reloaded when nothing else asks (less up to [`LiveConfig::jitter`]).
    pub interval: Duration,
    /// Taken off the interval at random, so many clients do not ask in step.
    pub jitter: Duration,
    /// No two loads of one account closer than this, whatever asks: the budget.
    pub min_spacing: Duration,
    /// The longest wait between tries while a service fails.
    pub max_backoff: Duration,
    /// How often the loop looks at the clock (a suspend is noticed within one tick).
    pub tick: Duration,
    /// A difference this large between the wall clock and the monotonic timer is a suspend or a clock change.
    pub jump: Duration,
    /// How often the policies and the settings file are read again, to apply a change at once.
    pub watch: Duration,
}

impl Default for LiveConfig {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(120),
            jitter: Duration::from_secs(15),
            min_spacing: Duration::from_secs(30),
            max_backoff: Duration::from_secs(15 * 60),
            tick: Duration::from_secs(15),
            jump: Duration::from_secs(30),
            watch: Duration::from_secs(5),
        }
    }
}

/// What asks for a reload before the timer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The window was shown or focused.
    WindowShown,
    /// The machine woke from sleep (logind), or the clock jumped.
    Resumed,
    /// The network came back.
    NetworkBack,
}

#[derive(Debug, Default, Clone)]
struct AccountSchedule {
    last_try: Option<DateTime<Utc>>,
    /// When the timer reloads next; `None`: now.
    next_due: Option<DateTime<Utc>>,
    /// The service asked not to be called before this.
    hold_until: Option<DateTime<Utc>>,
    failures: u32,
    in_flight: bool,
}

/// Every account's next reload. Pure bookkeeping, driven by the clock it is given.
#[derive(Debug, Default)]
pub(crate) struct Schedule {
    accounts: HashMap<String, AccountSchedule>,
}

fn chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

impl Schedule {
    /// The earliest a load may start: the spacing since the last try and any wait the service asked for.
    fn earliest(s: &AccountSchedule, config: &LiveConfig) -> Option<DateTime<Utc>> {
        let spaced = s.last_try.and_then(|t| t.checked_add_signed(chrono(config.min_spacing)));
        spaced.max(s.hold_until)
    }

    pub(crate) fn due(&self, key: &str, now: DateTime<Utc>, config: &LiveConfig) -> bool {
        let Some(s) = self.accounts.get(key) else { return true };
        !s.in_flight && s.next_due.is_none_or(|d| d <= now) && Self::earliest(s, config).is_none_or(|e| e <= now)
    }

    /// A trigger: reload as soon as the budget allows. The window being shown does not cut a failure's backoff
    /// short; a resume or the network coming back does (the failure's cause may be gone).
    pub(crate) fn ask(&mut self, trigger: Trigger) {
        for s in self.accounts.values_mut() {
            if trigger != Trigger::WindowShown || s.failures == 0 {
                s.next_due = None;
            }
        }
    }

    pub(crate) fn started(&mut self, key: &str, now: DateTime<Utc>) {
        let s = self.accounts.entry(key.to_string()).or_default();
        s.in_flight = true;
        s.last_try = Some(now);
    }

    pub(crate) fn succeeded(&mut self, key: &str, now: DateTime<Utc>, config: &LiveConfig) {
        let s = self.accounts.entry(key.to_string()).or_default();
        s.in_flight = false;
        s.failures = 0;
        s.hold_until = None;
        let jitter = config.jitter.mul_f64(rand::random_range(0.0..1.0));
        s.next_due = now.checked_add_signed(chrono(config.interval.saturating_sub(jitter)));
    }

    /// A failed load: back off, doubling from the spacing up to the cap; never before the service's own wait.
    pub(crate) fn failed(&mut self, key: &str, now: DateTime<Utc>, config: &LiveConfig, wait: Option<Duration>) {
        let s = self.accounts.entry(key.to_string()).or_default();
        s.in_flight = false;
        s.failures = s.failures.saturating_add(1);
        let backoff = config
            .min_spacing
            .saturating_mul(2u32.saturating_pow(s.failures.saturating_sub(1)))
            .min(config.max_backoff);
        s.next_due = now.checked_add_signed(chrono(backoff));
        // A server's wait is honoured up to an hour: a larger number is not a sane answer.
        s.hold_until = wait.and_then(|w| now.checked_add_signed(chrono(w.min(Duration::from_secs(3600)))));
    }

    /// The clock went back: a last try "in the future" would hold every load up until the clock caught up with
    /// it. Tries are forgotten and loads are due now; a server's wait still holds, for at most its own length.
    pub(crate) fn clock_moved_back(&mut self, now: DateTime<Utc>) {
        for s in self.accounts.values_mut() {
            if s.last_try.is_some_and(|t| t > now) {
                s.last_try = None;
            }
            s.next_due = None;
            s.hold_until = s.hold_until.filter(|h| h.signed_duration_since(now) <= chrono::Duration::hours(1));
        }
    }

    /// Only these accounts keep a schedule.
    pub(crate) fn keep_only(&mut self, keys: &[String]) {
        self.accounts.retain(|k, _| keys.contains(k));
    }

    /// Loads that were under way belong to a run that ended: none is in flight any more.
    pub(crate) fn settle(&mut self) {
        for s in self.accounts.values_mut() {
            s.in_flight = false;
        }
    }

    pub(crate) fn forget(&mut self, key: &str) {
        self.accounts.remove(key);
    }

    /// When the loop should look next (a due time, or the end of a wait), if any is known.
    pub(crate) fn next_wake(&self, config: &LiveConfig) -> Option<DateTime<Utc>> {
        self.accounts
            .values()
            .filter(|s| !s.in_flight)
            .filter_map(|s| match (s.next_due, Self::earliest(s, config)) {
                (Some(due), earliest) => Some(earliest.map_or(due, |e| e.max(due))),
                (None, earliest) => earliest,
            })
            .min()
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
    }

    fn secs(n: i64) -> chrono::Duration {
        chrono::Duration::seconds(n)
    }

    #[test]
    fn the_timer_reloads_within_the_interval_and_triggers_keep_the_spacing() {
        let config = LiveConfig::default();
        let mut s = Schedule::default();
        assert!(s.due("a", t0(), &config), "never loaded: due");
        s.started("a", t0());
        assert!(!s.due("a", t0(), &config), "in flight: not twice");
        s.succeeded("a", t0(), &config);
        assert!(!s.due("a", t0() + secs(104), &config));
        assert!(s.due("a", t0() + secs(120), &config));
        // The window shown 10 s after a load: due, but not before the spacing is over.
        s.ask(Trigger::WindowShown);
        assert!(!s.due("a", t0() + secs(10), &config));
        assert!(s.due("a", t0() + secs(30), &config));
    }

    #[test]
    fn failures_back_off_to_the_cap_and_honour_the_servers_wait() {
        let config = LiveConfig::default();
        let mut s = Schedule::default();
        let mut now = t0();
        let mut gaps = Vec::new();
        for _ in 0..7 {
            s.started("a", now);
            s.failed("a", now, &config, None);
            let next = (1..=3600).map(|n| now + secs(n)).find(|t| s.due("a", *t, &config)).unwrap();
            gaps.push((next - now).num_seconds());
            now = next;
        }
        assert_eq!(gaps, [30, 60, 120, 240, 480, 900, 900]);
        // The window shown does not cut the backoff short; the network back does.
        s.started("a", now);
        s.failed("a", now, &config, None);
        s.ask(Trigger::WindowShown);
        assert!(!s.due("a", now + secs(60), &config));
        s.ask(Trigger::NetworkBack);
        assert!(s.due("a", now + secs(60), &config));
        // A Retry-After of 10 minutes holds even against a resume; an absurd one is capped at an hour.
        s.started("a", now);
        s.failed("a", now, &config, Some(Duration::from_secs(600)));
        s.ask(Trigger::Resumed);
        assert!(!s.due("a", now + secs(599), &config));
        assert!(s.due("a", now + secs(600), &config));
        s.started("a", now);
        s.failed("a", now, &config, Some(Duration::from_secs(u64::MAX)));
        s.ask(Trigger::Resumed);
        assert!(s.due("a", now + secs(3600), &config));
    }

    #[test]
    fn the_clock_set_back_does_not_hold_loads_up_until_it_catches_up() {
        let config = LiveConfig::default();
        let mut s = Schedule::default();
        s.started("a", t0());
        s.succeeded("a", t0(), &config);
        let back = t0() - secs(600);
        assert!(!s.due("a", back, &config), "control: without being told, the last try ten minutes ahead holds it up");
        s.clock_moved_back(back);
        assert!(s.due("a", back, &config));
    }
}
