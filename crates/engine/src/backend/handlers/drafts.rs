//! Creating and editing meetings through drafts: kept on disk before anything is sent, never sent twice.

use std::sync::Arc;

use super::super::model::{Draft, DraftState};
use super::super::protocol::Event;
use super::super::state::{State, lock};
use super::agenda::reload_account;
use crate::providers::UserAction;

pub(crate) async fn save_draft(state: Arc<State>, mut draft: Draft) {
    let problems = draft.problems();
    if !problems.is_empty() {
        // Kept, so nothing typed is lost; the form shows the problems.
        draft.state =
            DraftState::Failed { message: problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join(" ") };
        upsert(&state, &draft);
        state.sink.send(Event::DraftInvalid { draft_id: draft.id, problems });
        return;
    }
    let prepared = state.ops().prepare(&mut draft).await;
    upsert(&state, &draft);
    let result = match prepared {
        Ok(()) => state.ops().save(&mut draft).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(saved) => {
            lock(&state.drafts).retain(|d| d.id != draft.id);
            state.save_drafts();
            let verb = if draft.meeting_id.is_some() { "Saved" } else { "Created" };
            let message = if saved.reconciled {
                format!("{verb} \"{}\". The answer was lost on the way, but the meeting is there.", draft.title.trim())
            } else {
                format!("{verb} \"{}\".", draft.title.trim())
            };
            state.sink.send(Event::DraftSaved { draft_id: draft.id.clone(), meeting_id: saved.meeting_id, message });
            reload_account(state, draft.account).await;
        }
        Err(error) => {
            draft.state = DraftState::Failed { message: error.to_string() };
            upsert(&state, &draft);
            state.sink.send(Event::DraftFailed { draft_id: draft.id.clone(), error: error.clone() });
            if error.action() == UserAction::SignInAgain {
                state.report(Some(&draft.account), "Saving the meeting", error).await;
            }
        }
    }
}

/// Adds or replaces a draft and writes the file, before anything is sent.
pub(crate) fn upsert(state: &State, draft: &Draft) {
    {
        let mut drafts = lock(&state.drafts);
        drafts.retain(|d| d.id != draft.id);
        drafts.push(draft.clone());
    }
    state.save_drafts();
}
