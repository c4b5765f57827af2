//! Loading the agenda: every signed-in account at once, each kept apart so one failure touches only its own.
//! A failed load keeps the account's last items (marked stale, with why); only a sign-out, a removed account
//! or a successful load replaces them. Every load, from the timer or the user, goes through [`load_account`],
//! so the schedule, the freshness shown and the on-disk cache agree.

use std::sync::Arc;
use std::time::Duration;

use super::super::protocol::Event;
use super::super::retry::RetryPolicy;
use super::super::state::{State, lock};
use crate::providers::ProviderError;
use launcher_core::agenda::Freshness;

/// Who asked for a load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Load {
    /// The user or the app's own edits: retried as every other call is.
    Foreground,
    /// The live timer: one try, the timer backs off itself (the request budget counts on it).
    Background,
}

pub(crate) async fn reload_all(state: Arc<State>) {
    state.sink.send(Event::AgendaLoading(true));
    let accounts = state.auth.accounts().await;
    let loads = accounts
        .iter()
        .filter(|a| a.signed_in())
        .map(|a| load_account(state.clone(), a.key().to_string(), Load::Foreground));
    futures_util::future::join_all(loads).await;
    forget_removed(&state).await;
    state.sink.send(Event::AgendaLoading(false));
    state.send_agenda();
}

pub(crate) async fn reload_account(state: Arc<State>, key: String) {
    load_account(state, key, Load::Foreground).await;
}

/// Accounts that are gone show nothing; an account that needs a new sign-in keeps its last items.
pub(crate) async fn forget_removed(state: &State) {
    let keys: Vec<String> = state.auth.accounts().await.into_iter().map(|a| a.record.key).collect();
    lock(&state.agenda).retain(|k, _| keys.contains(k));
    lock(&state.freshness).retain(|k, _| keys.contains(k));
    lock(&state.sync_state).retain(|k, _| keys.contains(k));
}

/// The wait a failing service asked for, if any.
fn server_wait(error: &ProviderError) -> Option<Duration> {
    match error {
        ProviderError::ServerTrouble { retry_after: Some(s), .. } | ProviderError::LockedOut { seconds: s, .. } => {
            Some(Duration::from_secs(*s))
        }
        _ => None,
    }
}

pub(crate) async fn load_account(state: Arc<State>, key: String, load: Load) {
    let Some(account) = state.auth.account(&key).await else {
        lock(&state.schedule).forget(&key);
        return;
    };
    let config = state.live.unwrap_or_default();
    // The live loop marks its own loads before it starts them.
    if load == Load::Foreground {
        lock(&state.schedule).started(&key, state.auth.now());
    }
    let policy = match load {
        Load::Foreground => state.policy,
        Load::Background => RetryPolicy::NONE,
    };
    let result = {
        let sync = lock(&state.sync_state).entry(key.clone()).or_default().clone();
        let mut entry = sync.lock().await;
        state.ops_with(policy).agenda(&account, &mut entry).await
    };
    let now = state.auth.now();
    if state.auth.account(&key).await.is_none() {
        // Removed (signed out, a calendar replaced) while this load ran: its answer must not bring it back.
        return;
    }
    match result {
        Ok(items) => {
            lock(&state.schedule).succeeded(&key, now, &config);
            lock(&state.agenda).insert(key.clone(), items);
            lock(&state.freshness).insert(key, Freshness { updated: Some(now), problem: None });
            state.save_agenda_cache();
        }
        Err(error) => {
            lock(&state.schedule).failed(&key, now, &config, server_wait(&error));
            // Still as old as the last good load: only why it is stale changes.
            lock(&state.freshness).entry(key.clone()).or_default().problem = Some(error.to_string());
            // The timer's own failures are shown as a stale agenda, not as an error each time; the user's are
            // reported. A lost sign-in is always reported.
            let quiet = load == Load::Background && error.action() != crate::providers::UserAction::SignInAgain;
            if quiet {
                tracing::info!(provider = account.record.provider.id(), error = %error, "the agenda did not load");
            } else {
                state.report(Some(&key), &format!("Loading {}'s meetings", account.record.provider), error).await;
            }
        }
    }
    state.send_agenda();
}
