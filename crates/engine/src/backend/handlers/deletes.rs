//! Deleting meetings with an undo window: hidden at once, sent when the window passes (or at shutdown).

use std::sync::Arc;

use super::super::model::AgendaItem;
use super::super::protocol::Event;
use super::super::state::{PendingDelete, State, lock};
use crate::providers::{Provider, ProviderError};

pub(crate) async fn delete_later(state: Arc<State>, account: String, meeting_id: String) {
    let item = lock(&state.agenda).get(&account).and_then(|items| items.iter().find(|i| i.id == meeting_id).cloned());
    let Some(item) = item else {
        let provider = state.auth.account(&account).await.map(|a| a.record.provider).unwrap_or(Provider::Joinme);
        let error = ProviderError::NotFound { provider, what: "such meeting in the agenda".into() };
        state.report(Some(&account), "Deleting the meeting", error).await;
        return;
    };
    let generation = state.generation.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let key = (account.clone(), meeting_id.clone());
    lock(&state.pending_deletes).insert(key.clone(), PendingDelete { item, generation });
    let until = launcher_core::timefmt::later(
        state.auth.now(),
        chrono::Duration::from_std(state.undo_window).unwrap_or_default(),
    );
    state.sink.send(Event::DeletePending { account: account.clone(), meeting_id: meeting_id.clone(), until });
    state.send_agenda();
    tokio::time::sleep(state.undo_window).await;
    let still = {
        let mut pending = lock(&state.pending_deletes);
        match pending.get(&key) {
            Some(p) if p.generation == generation => pending.remove(&key),
            _ => None,
        }
    };
    if let Some(p) = still {
        perform_delete(state, account, meeting_id, p.item).await;
    }
}

pub(crate) async fn perform_delete(state: Arc<State>, account: String, meeting_id: String, item: AgendaItem) {
    match state.ops().delete(item.provider, &account, &meeting_id).await {
        Ok(()) => {
            if let Some(items) = lock(&state.agenda).get_mut(&account) {
                items.retain(|i| i.id != meeting_id);
            }
            state.sink.send(Event::Deleted { account, meeting_id });
            state.send_agenda();
        }
        Err(error) => {
            // The meeting is still there: show it again.
            state.send_agenda();
            state.report(Some(&account), "Deleting the meeting", error).await;
        }
    }
}
