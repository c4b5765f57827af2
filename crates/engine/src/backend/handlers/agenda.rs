//! Loading the agenda: every signed-in account at once, each kept apart so one failure touches only its own.

use std::sync::Arc;

use super::super::protocol::Event;
use super::super::state::{State, lock};

pub(crate) async fn reload_all(state: Arc<State>) {
    state.sink.send(Event::AgendaLoading(true));
    let accounts = state.auth.accounts().await;
    let loads = accounts.iter().filter(|a| a.signed_in()).map(|a| reload_account(state.clone(), a.key().to_string()));
    futures_util::future::join_all(loads).await;
    // Accounts that are gone or signed out show nothing.
    let keys: Vec<String> =
        state.auth.accounts().await.into_iter().filter(|a| a.signed_in()).map(|a| a.record.key).collect();
    lock(&state.agenda).retain(|k, _| keys.contains(k));
    state.sink.send(Event::AgendaLoading(false));
    state.send_agenda();
}

pub(crate) async fn reload_account(state: Arc<State>, key: String) {
    let Some(account) = state.auth.account(&key).await else {
        return;
    };
    let result = {
        let mut sync = state.mb_sync.lock().await;
        let entry = sync.entry(key.clone()).or_default();
        state.ops().agenda(&account, entry).await
    };
    match result {
        Ok(items) => {
            lock(&state.agenda).insert(key, items);
        }
        Err(error) => {
            lock(&state.agenda).remove(&key);
            state.report(Some(&key), &format!("Loading {}'s meetings", account.record.provider), error).await;
        }
    }
    state.send_agenda();
}
