//! joind.in: the browser authorization (token and state on the callback's query) and the password grant.

use std::sync::Arc;
use std::time::Duration;

use launcher_core::secret::Secret;
use launcher_engine::auth::{Grant, NoBrowser};
use launcher_engine::providers::{Provider, ProviderError};

use super::browser::{Behaviour, TestBrowser};
use super::support::start;

#[tokio::test(flavor = "multi_thread")]
async fn browser_authorization_on_any_loopback_port() {
    let env = start().await;
    env.sandbox.control().update_switches(|s| s.joindin_loopback_any_port = true);
    let mut endpoints = env.endpoints();
    endpoints.joindin.as_mut().unwrap().callback_port = 0;
    let (browser, mut pages) = TestBrowser::new(Behaviour::Follow);
    let auth = env.auth_with(endpoints, browser, Duration::from_secs(20));
    let flow = auth.start_browser_sign_in(Provider::Joindin).await.unwrap();
    assert!(flow.redirect_uri.ends_with("/cb/joindin"), "its own callback path, distinct from join.me's");
    let status = flow.finish().await.unwrap();
    assert_eq!((status.record.user.as_str(), status.record.grant), ("alexmorgan", Grant::Browser));
    assert_eq!(status.expires_at, None, "joind.in tokens do not expire");
    assert!(pages.recv().await.unwrap().body.contains("Signed in"));
    assert!(auth.access_token(status.key()).await.is_ok());
    auth.sign_out(status.key()).await.unwrap();
    assert_eq!(env.keychain.get(status.key()).await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn password_grant_and_its_errors() {
    let env = start().await;
    let auth = env.auth(Arc::new(NoBrowser));
    let status =
        auth.sign_in_with_password(Provider::Joindin, "alexmorgan", Secret::new("sandbox-password")).await.unwrap();
    assert_eq!(status.record.grant, Grant::Password);
    let wrong = auth.sign_in_with_password(Provider::Joindin, "alexmorgan", Secret::new("nope")).await.unwrap_err();
    assert_eq!(wrong, ProviderError::WrongCredentials { provider: Provider::Joindin, retry_after: 0 });
    let unverified =
        auth.sign_in_with_password(Provider::Joindin, "newcomer", Secret::new("sandbox-password")).await.unwrap_err();
    assert!(unverified.to_string().contains("not verified"), "{unverified}");
    auth.sign_out(status.key()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_numeric_looking_token_survives_coercion() {
    let env = start().await;
    env.sandbox.control().update_switches(|s| s.joindin_numeric_tokens = true);
    let auth = env.auth(Arc::new(NoBrowser));
    let status =
        auth.sign_in_with_password(Provider::Joindin, "alexmorgan", Secret::new("sandbox-password")).await.unwrap();
    let token = auth.access_token(status.key()).await.unwrap();
    assert!(token.expose().chars().all(|c| c.is_ascii_digit()));
    auth.sign_out(status.key()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_token_asks_for_a_new_sign_in() {
    let env = start().await;
    env.sandbox.control().update_switches(|s| s.joindin_token_idle_secs = Some(60));
    let auth = env.auth(Arc::new(NoBrowser));
    let status =
        auth.sign_in_with_password(Provider::Joindin, "alexmorgan", Secret::new("sandbox-password")).await.unwrap();
    let token = auth.access_token(status.key()).await.unwrap();
    // The only sign is a missing meta.user_uri; the API layer reports it as a rejected token.
    auth.token_rejected(status.key(), &token).await;
    assert!(matches!(auth.access_token(status.key()).await, Err(ProviderError::SignInAgain { .. })));
    auth.sign_out(status.key()).await.unwrap();
}
