//! A session outlives the process through the keychain; without a keychain it lives in memory only, and no
//! plaintext file is ever written instead.

use std::sync::Arc;

use launcher_core::secret::Secret;
use launcher_engine::auth::{Auth, AuthConfig, AuthError, Keychain, NoBrowser, Storage};
use launcher_engine::providers::{Provider, ProviderError};
use launcher_engine::settings::NetworkSettings;

use super::browser::{Behaviour, TestBrowser};
use super::support::{SandboxClock, start};

#[tokio::test(flavor = "multi_thread")]
async fn a_new_instance_restores_the_session_silently_from_the_keychain() {
    let env = start().await;
    let (browser, _) = TestBrowser::new(Behaviour::Follow);
    let first = env.auth(browser);
    let key = first.start_browser_sign_in(Provider::Joinme).await.unwrap().finish().await.unwrap().record.key;
    let mb = first
        .sign_in_with_password(Provider::Meetingbooster, "alex.morgan@example.com", Secret::new("sandbox-password"))
        .await
        .unwrap();
    drop(first);

    let second = env.auth(Arc::new(NoBrowser));
    let restored = second.restore().await;
    assert_eq!(restored.len(), 2);
    assert!(restored.iter().all(|a| a.signed_in() && a.has_access_token), "the saved access tokens");
    second.access_token(&key).await.unwrap();
    second.access_token(mb.key()).await.unwrap();
    assert_eq!(env.counter("joinme.token.refresh_token"), 0, "no refresh while the saved access token lasts");
    assert_eq!(env.counter("meetingbooster.oauth.refresh_token"), 0);
    // Once they have run out, the refresh tokens from the keychain renew them.
    env.sandbox.control().advance_clock(chrono::Duration::hours(25));
    second.access_token(&key).await.unwrap();
    second.access_token(mb.key()).await.unwrap();
    assert_eq!(env.counter("joinme.token.refresh_token"), 1, "the refresh token came from the keychain");
    assert_eq!(env.counter("meetingbooster.oauth.refresh_token"), 1);

    // Accounts of another server are not this run's.
    let mut elsewhere = env.endpoints();
    elsewhere.joinme.as_mut().unwrap().auth_base =
        url::Url::parse("https://secure.join.me/api/public/v1/auth").unwrap();
    let third = env.auth_with(elsewhere, Arc::new(NoBrowser), std::time::Duration::from_secs(5));
    assert!(third.restore().await.iter().all(|a| a.record.provider != Provider::Joinme));

    second.sign_out(&key).await.unwrap();
    second.sign_out(mb.key()).await.unwrap();
    let fourth = env.auth(Arc::new(NoBrowser));
    assert!(fourth.restore().await.is_empty(), "signed out everywhere");
}

#[tokio::test(flavor = "multi_thread")]
async fn another_instance_rotating_the_refresh_token_is_picked_up() {
    let env = start().await;
    let (browser, _) = TestBrowser::new(Behaviour::Follow);
    let a = env.auth(browser);
    let key = a.start_browser_sign_in(Provider::Joinme).await.unwrap().finish().await.unwrap().record.key;
    let b = env.auth(Arc::new(NoBrowser));
    b.restore().await;
    // B refreshes (rotating the refresh token), then A's token expires and A must use B's new refresh token.
    b.refresh_now(&key).await.unwrap();
    env.sandbox.control().advance_clock(chrono::Duration::hours(24));
    assert!(a.access_token(&key).await.is_ok(), "A re-read the keychain instead of presenting a superseded token");
    a.sign_out(&key).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_keychain_the_session_lives_in_memory_and_nothing_is_written() {
    let env = start().await;
    let keychain = Keychain::memory("no Secret Service in this test");
    let auth = Auth::new(AuthConfig {
        endpoints: env.endpoints(),
        network: NetworkSettings::default(),
        data_dir: env.data_dir.clone(),
        keychain,
        browser: Arc::new(NoBrowser),
        clock: Arc::new(SandboxClock(env.sandbox.clone())),
        flow_timeout: std::time::Duration::from_secs(5),
    })
    .unwrap();
    let status = auth
        .sign_in_with_password(Provider::Meetingbooster, "alex.morgan@example.com", Secret::new("sandbox-password"))
        .await
        .unwrap();
    assert!(matches!(&status.storage, Storage::Memory { reason } if reason.contains("no Secret Service")));
    assert!(auth.access_token(status.key()).await.is_ok(), "works for this run");
    assert!(!env.data_dir.exists(), "no file at all, let alone a plaintext secret");
}

#[tokio::test(flavor = "multi_thread")]
async fn not_signed_in_and_not_configured_are_clear() {
    let env = start().await;
    let auth = env.auth(Arc::new(NoBrowser));
    let error = auth.access_token("joinme:nobody@127.0.0.1:1").await.unwrap_err();
    assert_eq!(error, ProviderError::NotSignedIn { provider: Provider::Joinme });
    // A key that names no service is nobody's join.me account.
    let error = auth.access_token("zoom:nobody@example.com").await.unwrap_err();
    assert_eq!(error, ProviderError::UnknownAccount { key: "zoom:nobody@example.com".into() });
    let mut endpoints = env.endpoints();
    endpoints.joindin = None;
    let auth = env.auth_with(endpoints, Arc::new(NoBrowser), std::time::Duration::from_secs(5));
    let error = auth.start_browser_sign_in(Provider::Joindin).await.err().unwrap();
    assert!(matches!(error, AuthError::Provider(ProviderError::NotConfigured { .. })));
    assert!(error.to_string().contains("Settings"));
}

/// A calendar added, changed and removed by another process (`meeting-launcher calendar …` while the window
/// runs) is taken in at the next look: added, its new addresses, and gone.
#[tokio::test(flavor = "multi_thread")]
async fn a_calendar_added_and_removed_by_another_instance_is_taken_in() {
    let env = start().await;
    let window = env.auth(Arc::new(NoBrowser));
    window.restore().await;
    assert!(!window.take_in_other_processes().await, "nothing happened yet");
    let address = || Secret::new(format!("{}/_sandbox/ics/work.ics", env.sandbox.config().sandbox.base));

    let cli = env.auth(Arc::new(NoBrowser));
    cli.restore().await;
    let (added, _, _) = cli.add_feed("Work", address(), false, Vec::new()).await.unwrap();
    assert!(window.take_in_other_processes().await, "the new calendar is news");
    let seen = window.account(added.key()).await.expect("taken in");
    assert!(seen.signed_in() && seen.record.addresses.is_empty());
    assert_eq!(window.access_token(added.key()).await.unwrap().expose(), address().expose());

    // Added again with another address on the same server and the user's address: the same account, now
    // knowing both.
    let moved = Secret::new(format!("{}/_sandbox/ics/work.ics?v=2", env.sandbox.config().sandbox.base));
    cli.add_feed("Work", moved.clone(), false, vec!["Alex.Morgan@example.com".into()]).await.unwrap();
    window.take_in_other_processes().await;
    let seen = window.account(added.key()).await.unwrap();
    assert_eq!(seen.record.addresses, ["alex.morgan@example.com"]);
    assert_eq!(window.access_token(added.key()).await.unwrap().expose(), moved.expose());

    cli.sign_out(added.key()).await.unwrap();
    assert!(window.take_in_other_processes().await);
    assert!(window.account(added.key()).await.is_none(), "removed there, gone here");
}
