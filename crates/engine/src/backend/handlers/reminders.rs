//! Reminders on time: sleeps until the next one is due, and wakes when the agenda or the settings change.

use std::sync::Arc;

use super::super::state::{State, lock};

/// Gives each reminder when it falls due: sleeps until the next one, and wakes when the agenda changes. The
/// time comes from the clock tokens are judged by, checked at least once a minute so a suspended laptop or a
/// virtual clock in tests catches up.
pub(crate) async fn remind(state: Arc<State>) {
    loop {
        let (agenda, now) = (state.agenda(), state.auth.now());
        state.give_reminders(&agenda, now);
        let settings = *lock(&state.reminder_settings);
        let next = lock(&state.reminders).next_due(&agenda, now, settings);
        let wait = next
            .map(|at| at.signed_duration_since(now).to_std().unwrap_or_default())
            .unwrap_or(std::time::Duration::from_secs(60))
            .clamp(std::time::Duration::from_millis(200), std::time::Duration::from_secs(60));
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = state.reminders_changed.notified() => {}
        }
    }
}
