//! Signing in through the browser, and what follows a sign-in (the accounts, that account's agenda).

use std::sync::Arc;

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
