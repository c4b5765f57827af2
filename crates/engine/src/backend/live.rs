//! The live agenda: while the app runs, each signed-in account's meetings are reloaded on a timer (with
//! jitter), at once when asked (the window shown, a resume, the network back), with backoff while a service
//! fails, and never more often than the budget below, whatever asks.
//!
//! **Budget, per signed-in account** (README, "Requests to each service"): at most one agenda load every
//! [`LiveConfig::min_spacing`] (30 s), so at most 120 loads an hour; left to itself, one every 105–120 s
//! (at most 35 an hour). A background load makes no retries of its own: one request, or two when a refused
//! access token needs its one refresh and retry. While a service fails, loads back off 30 s, 1, 2, 4, 8 min,
//! then every 15 min, or later when the service asks (`Retry-After`, `retry_in_seconds`).
//!
//! Time is the one clock the auth layer judges tokens by (the sandbox's virtual clock in tests); the loop ticks
//! on the runtime's monotonic timer and compares the two, so a suspend (or a jump of the virtual clock) is seen
//! within one tick and reloads at once.

use std::sync::Arc;
use std::time::Duration;

use super::handlers::agenda::{Load, forget_removed, load_account};
use super::state::{State, lock};

pub use super::schedule::{LiveConfig, Trigger};

/// The loop itself; runs until the backend stops (the task is aborted).
pub(crate) async fn run(state: Arc<State>, config: LiveConfig) {
    // The loads belong to this loop: when the backend stops or starts again with new settings, they stop too,
    // rather than finish later and send an old configuration's agenda.
    let mut loads = tokio::task::JoinSet::new();
    let mut seen = (state.auth.now(), tokio::time::Instant::now());
    loop {
        let now = state.auth.now();
        let wall = now.signed_duration_since(seen.0).to_std().unwrap_or_default();
        let awake = seen.1.elapsed();
        let moved_back = now < seen.0;
        if wall.abs_diff(awake) > config.jump || moved_back {
            tracing::info!("the clock jumped (a suspend, or the time was set): reloading the agenda");
            let mut schedule = lock(&state.schedule);
            if moved_back {
                schedule.clock_moved_back(now);
            }
            schedule.ask(Trigger::Resumed);
        }
        seen = (now, tokio::time::Instant::now());
        // A refresh or a sign-out by another process of this user reaches the token panel (through the account
        // changes the backend forwards); a calendar added there is loaded below, one removed leaves the agenda.
        if state.auth.take_in_other_processes().await {
            forget_removed(&state).await;
            state.send_agenda();
        }
        let keys: Vec<String> =
            state.auth.accounts().await.into_iter().filter(|a| a.signed_in()).map(|a| a.record.key).collect();
        // An account that lost its sign-in is not loaded, so it has no schedule either: a stale due time would
        // wake the loop at every tick.
        lock(&state.schedule).keep_only(&keys);
        while loads.try_join_next().is_some() {}
        for key in keys {
            // Checked and marked in one step: a trigger that wakes the loop again before the load has begun
            // must not start a second one.
            let start = {
                let mut schedule = lock(&state.schedule);
                let due = schedule.due(&key, now, &config);
                if due {
                    schedule.started(&key, now);
                }
                due
            };
            if start {
                loads.spawn(load_account(state.clone(), key, Load::Background));
            }
        }
        let wait = lock(&state.schedule)
            .next_wake(&config)
            .map(|at| at.signed_duration_since(now).to_std().unwrap_or_default())
            .unwrap_or(config.tick)
            .clamp(Duration::from_millis(50), config.tick);
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = state.live_wake.notified() => {}
        }
    }
}
