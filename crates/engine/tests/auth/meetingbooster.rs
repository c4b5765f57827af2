//! MeetingBooster: the password grant, refresh before expiry and after a 401, lockout, sign-out.

use std::sync::Arc;
use std::time::Duration;

use launcher_core::secret::Secret;
use launcher_engine::auth::{Grant, NoBrowser, Storage};
use launcher_engine::providers::{Provider, ProviderError};

use super::support::start;

const USER: &str = "alex.morgan@example.com";

fn password() -> Secret {
    Secret::new("sandbox-password")
}

#[tokio::test(flavor = "multi_thread")]
async fn password_sign_in_refreshes_before_expiry_and_signs_out_on_the_server() {
    let env = start().await;
    let auth = env.auth(Arc::new(NoBrowser));
    let status = auth.sign_in_with_password(Provider::Meetingbooster, USER, password()).await.unwrap();
    assert_eq!((status.record.grant, status.record.display_name.as_str()), (Grant::Password, "Alex Morgan"));
    assert_eq!(status.storage, Storage::Keychain);
    let lifetime = status.expires_at.unwrap() - env.sandbox.control().now();
    assert!(
        lifetime <= chrono::Duration::minutes(20) && lifetime > chrono::Duration::minutes(19),
        "from expires_in \"1200\""
    );
    let key = status.key().to_string();
    let stored = env.keychain.get(&key).await.unwrap().unwrap();
    assert!(!stored.expose().contains("sandbox-password"), "the password is never stored");

    // 19.5 minutes later the token is within the margin: it is refreshed before the server would refuse it.
    let first = auth.access_token(&key).await.unwrap();
    env.sandbox.control().advance_clock(chrono::Duration::seconds(19 * 60 + 30));
    let second = auth.access_token(&key).await.unwrap();
    assert_ne!(first, second);
    assert_eq!(env.counter("meetingbooster.oauth.refresh_token"), 1);
    assert_ne!(env.keychain.get(&key).await.unwrap().unwrap(), stored, "the rotated refresh token was saved");

    // A 401 (the server's timeout may be shorter than it said) leads to one refresh.
    auth.token_rejected(&key, &second).await;
    auth.token_rejected(&key, &second).await;
    assert_ne!(auth.access_token(&key).await.unwrap(), second);
    assert_eq!(env.counter("meetingbooster.oauth.refresh_token"), 2);

    assert_eq!(auth.sign_out(&key).await.unwrap(), None);
    assert_eq!(env.counter("meetingbooster.oauth.signout"), 1);
    assert_eq!(env.keychain.get(&key).await.unwrap(), None);
    assert!(auth.accounts().await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_out_deletes_local_secrets_even_when_the_server_is_down() {
    let env = start().await;
    let auth = env.auth(Arc::new(NoBrowser));
    let key = auth.sign_in_with_password(Provider::Meetingbooster, USER, password()).await.unwrap().record.key;
    env.sandbox
        .control()
        .add_fault(launcher_sandbox::Fault::new("/meetingbooster/oauth", launcher_sandbox::FaultKind::Drop));
    let complaint = auth.sign_out(&key).await.unwrap();
    assert!(matches!(complaint, Some(ProviderError::Unreachable { .. })), "{complaint:?}");
    assert_eq!(env.keychain.get(&key).await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_password_and_lockout_say_how_long_to_wait() {
    let env = start().await;
    let auth = env.auth(Arc::new(NoBrowser));
    let error = auth.sign_in_with_password(Provider::Meetingbooster, USER, Secret::new("wrong")).await.unwrap_err();
    assert_eq!(error, ProviderError::WrongCredentials { provider: Provider::Meetingbooster, retry_after: 10 });
    for _ in 0..4 {
        env.sandbox.control().advance_clock(chrono::Duration::seconds(11));
        let _ = auth.sign_in_with_password(Provider::Meetingbooster, USER, Secret::new("wrong")).await;
    }
    let error = auth.sign_in_with_password(Provider::Meetingbooster, USER, password()).await.unwrap_err();
    assert_eq!(error, ProviderError::LockedOut { provider: Provider::Meetingbooster, seconds: 300 });
    assert!(error.to_string().contains("300 seconds"));
    env.sandbox.control().advance_clock(chrono::Duration::seconds(301));
    assert!(auth.sign_in_with_password(Provider::Meetingbooster, USER, password()).await.is_ok());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plain_http_server_is_refused_unless_allowed() {
    let env = start().await;
    let mut endpoints = env.endpoints();
    let mb = endpoints.meetingbooster.as_mut().unwrap();
    mb.server = url::Url::parse("http://meetings.example.invalid").unwrap();
    mb.allow_http = false;
    let auth = env.auth_with(endpoints, Arc::new(NoBrowser), Duration::from_secs(5));
    let error = auth.sign_in_with_password(Provider::Meetingbooster, USER, password()).await.unwrap_err();
    assert!(matches!(error, ProviderError::Insecure { .. }), "{error:?}");
    assert_eq!(env.counter("meetingbooster.oauth.password"), 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_is_down_is_a_clear_error() {
    let env = start().await;
    let mut endpoints = env.endpoints();
    // A port nobody listens on.
    let unused = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    endpoints.meetingbooster.as_mut().unwrap().server =
        url::Url::parse(&format!("http://127.0.0.1:{unused}/mb")).unwrap();
    let auth = env.auth_with(endpoints, Arc::new(NoBrowser), Duration::from_secs(5));
    let error = auth.sign_in_with_password(Provider::Meetingbooster, USER, password()).await.unwrap_err();
    assert!(matches!(error, ProviderError::Unreachable { .. }), "{error:?}");
    assert!(error.to_string().contains("Check the network connection"));
}
