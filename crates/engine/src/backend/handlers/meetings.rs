//! Starting and joining: a join.me meeting started (scheduled or ad hoc), or the next meeting's link opened.

use super::super::protocol::{Event, Joined, Started};
use super::super::state::State;
use crate::providers::{Provider, ProviderError};

pub(crate) async fn start_meeting(
    state: &State,
    account: &str,
    meeting_id: Option<&str>,
    personal_url: bool,
    open_browser: bool,
) -> Result<Started, ProviderError> {
    match state.ops().start(account, meeting_id, personal_url).await {
        Ok(started) => {
            if open_browser && let Ok(url) = url::Url::parse(&started.presenter_link) {
                state.open_in_browser(url, "the presenter link", false);
            }
            state.sink.send(Event::MeetingStarted {
                account: account.to_string(),
                presenter_link: started.presenter_link.clone(),
                viewer_link: started.viewer_link.clone(),
            });
            Ok(started)
        }
        Err(error) => {
            state.report(Some(account), "Starting the meeting", error.clone()).await;
            Err(error)
        }
    }
}

/// The meeting in progress or the next one: started when it can be, its link opened otherwise.
pub(crate) async fn join_next(state: &State, open_browser: bool) -> Result<Joined, ProviderError> {
    let agenda = state.agenda();
    let Some(item) = launcher_core::agenda::next_meeting(&agenda, state.auth.now()).cloned() else {
        return Err(ProviderError::NotFound {
            provider: Provider::Joinme,
            what: "meeting in progress or ahead".into(),
        });
    };
    if item.can_start {
        let started = start_meeting(state, &item.account, Some(&item.id), false, open_browser).await?;
        return Ok(Joined { title: item.title, link: started.viewer_link.clone(), started: Some(started) });
    }
    let Some(link) = item.link.clone() else {
        return Err(ProviderError::NotFound {
            provider: item.provider,
            what: format!("link to join \"{}\"", item.title),
        });
    };
    if open_browser && let Ok(url) = url::Url::parse(&link) {
        state.open_in_browser(url, "the meeting's link", false);
    }
    Ok(Joined { title: item.title, link, started: None })
}

/// An ad-hoc meeting on the first signed-in join.me account.
pub(crate) async fn quick_start(
    state: &State,
    personal_url: bool,
    open_browser: bool,
) -> Result<Started, ProviderError> {
    let Some(account) = state.auth.account_for(Provider::Joinme).await else {
        let error = ProviderError::NotSignedIn { provider: Provider::Joinme };
        state.sink.send(Event::Failed { account: None, action: "Starting a meeting".into(), error: error.clone() });
        return Err(error);
    };
    start_meeting(state, account.key(), None, personal_url, open_browser).await
}
