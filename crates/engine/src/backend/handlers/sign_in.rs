//! Signing in through the browser, and what follows a sign-in (the accounts, that account's agenda).

use std::sync::Arc;

use super::super::ops::HeldFeed;
use super::super::protocol::Event;
use super::super::state::{State, lock};
use super::agenda::reload_account;
use crate::auth::AuthError;
use crate::providers::Provider;

pub(crate) async fn browser_sign_in(state: Arc<State>, provider: Provider) {
    let flow = match state.auth.start_browser_sign_in(provider).await {
        Ok(flow) => flow,
        Err(error) => {
            state.sink.send(Event::SignInFinished { provider, result: Err(error) });
            return;
        }
    };
    lock(&state.sign_ins).insert(provider, flow.cancel_handle());
    state.sink.send(Event::SignInWaiting {
        provider,
        url: flow.url.to_string(),
        browser_error: flow.browser_error.clone(),
    });
    let result = flow.finish().await;
    lock(&state.sign_ins).remove(&provider);
    signed_in(state, provider, result).await;
}

pub(crate) async fn signed_in(
    state: Arc<State>,
    provider: Provider,
    result: Result<crate::auth::AccountStatus, AuthError>,
) {
    let key = result.as_ref().ok().map(|s| s.key().to_string());
    state.sink.send(Event::SignInFinished { provider, result });
    state.send_accounts().await;
    if let Some(key) = key {
        reload_account(state, key).await;
    }
}

/// Adds a calendar by its address; `announce` says so in a notice (the demo's own calendar is not news).
pub(crate) async fn add_calendar(
    state: Arc<State>,
    name: &str,
    address: launcher_core::secret::Secret,
    allow_http: bool,
    emails: Vec<String>,
    announce: bool,
) {
    let (record, added) = match state.auth.check_feed(name, address, allow_http, emails).await {
        Ok(checked) => checked,
        Err(e) => return signed_in(state, Provider::Calendar, Err(AuthError::from(e))).await,
    };
    // Before the account exists (and the live loop can load it): its first load asks only whether the feed
    // changed since this fetch.
    let events = added.feed.len();
    let slot = lock(&state.sync_state).entry(record.key.clone()).or_default().clone();
    slot.lock().await.feed = Some(HeldFeed::new(&added.address, added.validators, added.feed));
    let result = match state.auth.add_checked_feed(record, added.address).await {
        Ok((calendar, replaced)) => {
            for key in replaced {
                state.forget_account(&key);
            }
            if announce {
                state.sink.send(Event::Notice(format!(
                    "Added the calendar “{}” ({}, {events} events).",
                    calendar.record.display_name, calendar.record.realm
                )));
            }
            Ok(calendar)
        }
        Err(e) => Err(AuthError::from(e)),
    };
    signed_in(state, Provider::Calendar, result).await;
}
