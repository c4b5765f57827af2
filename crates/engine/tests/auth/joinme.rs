//! join.me: the code grant with PKCE over a loopback redirect, the implicit grant, and refresh.

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use launcher_engine::auth::{AuthError, Grant, NoBrowser, Storage};
use launcher_engine::providers::{Provider, ProviderError};
use launcher_sandbox::{Fault, FaultKind, SandboxOptions};

use super::browser::{Behaviour, TestBrowser};
use super::support::{Env, listening, start, start_with};

async fn signed_in(env: &Env) -> (launcher_engine::auth::Auth, String) {
    let (browser, _) = TestBrowser::new(Behaviour::Follow);
    let auth = env.auth(browser);
    let status = auth.start_browser_sign_in(Provider::Joinme).await.unwrap().finish().await.unwrap();
    (auth, status.record.key)
}

#[tokio::test(flavor = "multi_thread")]
async fn code_grant_with_pkce_signs_in_and_the_browser_is_told_only_after_the_exchange() {
    let env = start().await;
    env.sandbox.control().update_switches(|s| s.joinme_enforce_pkce = true);
    let (browser, mut pages) = TestBrowser::new(Behaviour::Follow);
    let auth = env.auth(browser.clone());
    let flow = auth.start_browser_sign_in(Provider::Joinme).await.unwrap();
    let query: std::collections::HashMap<_, _> = flow.url.query_pairs().into_owned().collect();
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["code_challenge"].len(), 43);
    assert!(query["state"].len() >= 16);
    assert!(flow.redirect_uri.starts_with("http://127.0.0.1:") && flow.redirect_uri.ends_with("/cb/joinme"));
    let redirect = flow.redirect_uri.clone();

    let status = flow.finish().await.unwrap();
    assert_eq!(status.record.user, "alex.morgan@example.com");
    assert_eq!(status.record.grant, Grant::AuthorizationCode);
    assert_eq!(status.record.scopes, ["user_info", "scheduler", "start_meeting"]);
    assert_eq!(status.storage, Storage::Keychain);
    let expires = status.expires_at.unwrap() - env.sandbox.control().now();
    assert!(expires > chrono::Duration::hours(23), "from tokenInfo, as /token gave no expires_in");

    let page = pages.recv().await.unwrap();
    assert_eq!(page.status, 200);
    assert!(page.body.contains("signed in to join.me as <strong>alex.morgan@example.com</strong>"), "{}", page.body);
    assert!(!listening(&redirect).await, "the listener closed after the one valid callback");
    assert_eq!(env.counter("joinme.token.authorization_code"), 1);
    // The refresh token is in the keychain under the account's key; neither token is in any file the app wrote.
    let stored = env.keychain.get(&status.record.key).await.unwrap().unwrap();
    let stored: serde_json::Value = serde_json::from_str(stored.expose()).unwrap();
    let refresh = stored["refresh_token"].as_str().expect("a refresh token in the keychain").to_string();
    let access = auth.access_token(&status.record.key).await.unwrap().expose().to_string();
    // Long enough that finding one in a file is no accident.
    assert!(refresh.len() >= 16 && access.len() >= 16, "{} {}", refresh.len(), access.len());
    let files = files_under(&env.data_dir);
    assert!(files.iter().any(|f| f.ends_with("accounts.toml")), "the account list is searched: {files:?}");
    assert_eq!(files_holding(&env.data_dir, &[&refresh, &access]), Vec::<std::path::PathBuf>::new());
    // Control: the search does find a token that is written down.
    let scratch = env.data_dir.join("scratch-control.txt");
    for token in [&refresh, &access] {
        std::fs::write(&scratch, format!("before {token} after")).unwrap();
        assert_eq!(files_holding(&env.data_dir, &[&refresh, &access]), std::slice::from_ref(&scratch));
    }
    std::fs::remove_file(&scratch).unwrap();
    auth.sign_out(&status.record.key).await.unwrap();
}

/// Every file under `dir`, at any depth.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// The files under `dir` that hold any of `secrets` verbatim.
fn files_holding(dir: &std::path::Path, secrets: &[&str]) -> Vec<std::path::PathBuf> {
    let holds = |bytes: &[u8], secret: &str| bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
    files_under(dir)
        .into_iter()
        .filter(|f| {
            let bytes = std::fs::read(f).unwrap();
            secrets.iter().any(|s| holds(&bytes, s))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_callback_page_sends_no_referrer_and_loads_nothing_from_elsewhere() {
    let env = start().await;
    let (browser, _) = TestBrowser::new(Behaviour::Ignore);
    let auth = env.auth(browser);
    let flow = auth.start_browser_sign_in(Provider::Joinme).await.unwrap();
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let forged = format!("{}?code=x&state=forged", flow.redirect_uri);
    let page = http.get(&forged).send().await.unwrap();
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    assert!(page.headers()["content-security-policy"].to_str().unwrap().starts_with("default-src 'none'"));
    let body = page.text().await.unwrap();
    assert!(body.contains("does not belong to the sign-in"), "a state mismatch has its own page");
    assert!(!body.contains("src=") && !body.contains("href="), "nothing loaded or linked from elsewhere");
    // A provider error is shown as text, never as markup.
    let state = flow.url.query_pairs().find(|(k, _)| k == "state").unwrap().1.to_string();
    let error = reqwest::Url::parse_with_params(
        &flow.redirect_uri,
        &[("error", "<script>x</script>"), ("state", state.as_str())],
    )
    .unwrap();
    let body = http.get(error).send().await.unwrap().text().await.unwrap();
    assert!(body.contains("&lt;script&gt;x&lt;/script&gt;") && !body.contains("<script>x"), "{body}");
    assert!(matches!(flow.finish().await, Err(AuthError::Provider(ProviderError::Unexpected { .. }))));
}

#[tokio::test(flavor = "multi_thread")]
async fn stray_requests_and_a_forged_state_do_not_end_the_flow() {
    let env = start().await;
    let (browser, _) = TestBrowser::new(Behaviour::StrayFirst);
    let auth = env.auth(browser.clone());
    let status = auth.start_browser_sign_in(Provider::Joinme).await.unwrap().finish().await.unwrap();
    assert!(status.signed_in());
    let visits = browser.visits.lock().unwrap().clone();
    let favicon = visits.iter().find(|v| v.url.ends_with("/favicon.ico")).unwrap();
    assert_eq!(favicon.status, 404);
    let forged = visits.iter().find(|v| v.url.contains("state=forged")).unwrap();
    assert_eq!(forged.status, 400);
    assert_eq!(env.counter("joinme.token.authorization_code"), 1, "the forged code was never redeemed");
    auth.sign_out(&status.record.key).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_replayed_callback_is_refused() {
    let env = start().await;
    let (browser, mut pages) = TestBrowser::new(Behaviour::Replay);
    let auth = env.auth(browser.clone());
    let status = auth.start_browser_sign_in(Provider::Joinme).await.unwrap().finish().await.unwrap();
    pages.recv().await.unwrap();
    let visits = browser.visits.lock().unwrap().clone();
    let replay = visits.last().unwrap();
    // Refused either way: nobody listens any more, or the closing listener says it is not waiting.
    assert!(replay.status == 0 || replay.status == 410, "{} {}", replay.status, replay.body);
    assert!(!replay.body.contains("Signed in"));
    assert_eq!(env.counter("joinme.token.authorization_code"), 1);
    auth.sign_out(&status.record.key).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn deny_in_the_browser_is_reported_and_shown() {
    let env = start_with(SandboxOptions::default()).await;
    let (browser, mut pages) = TestBrowser::new(Behaviour::Deny);
    let auth = env.auth(browser);
    let result = auth.start_browser_sign_in(Provider::Joinme).await.unwrap().finish().await;
    assert_eq!(result.unwrap_err(), AuthError::Denied { provider: Provider::Joinme });
    let page = pages.recv().await.unwrap();
    assert!(page.body.contains("access_denied"), "{}", page.body);
    assert!(auth.accounts().await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn timeout_and_cancel_free_the_port() {
    let env = start().await;
    let auth = env.auth_with(env.endpoints(), Arc::new(NoBrowser), Duration::from_millis(300));
    let flow = auth.start_browser_sign_in(Provider::Joinme).await.unwrap();
    assert!(flow.browser_error.is_some(), "no browser: the URL is there to copy");
    let redirect = flow.redirect_uri.clone();
    assert!(listening(&redirect).await);
    assert_eq!(flow.finish().await.unwrap_err(), AuthError::TimedOut { provider: Provider::Joinme });
    assert!(!listening(&redirect).await);

    let auth = env.auth_with(env.endpoints(), Arc::new(NoBrowser), Duration::from_secs(60));
    let flow = auth.start_browser_sign_in(Provider::Joinme).await.unwrap();
    let redirect = flow.redirect_uri.clone();
    flow.cancel_handle().cancel();
    assert_eq!(flow.finish().await.unwrap_err(), AuthError::Cancelled { provider: Provider::Joinme });
    assert!(!listening(&redirect).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_busy_fixed_port_is_an_error_that_names_it() {
    let env = start().await;
    let blocker = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    let port = blocker.local_addr().unwrap().port();
    let mut endpoints = env.endpoints();
    endpoints.joinme.as_mut().unwrap().callback_port = port;
    let auth = env.auth_with(endpoints, Arc::new(NoBrowser), Duration::from_secs(5));
    let error = auth.start_browser_sign_in(Provider::Joinme).await.err().unwrap();
    assert_eq!(error, AuthError::PortBusy { provider: Provider::Joinme, port });
    assert!(error.to_string().contains(&port.to_string()));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fixed_port_is_honoured_and_matched_exactly() {
    let env = start().await;
    // Released at once: the sign-in binds it itself. The app is registered on it, and the server matches the
    // redirect exactly (join.me's documented behaviour), so only this port is accepted.
    let port = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap().local_addr().unwrap().port();
    env.sandbox.control().update_switches(|s| {
        s.joinme_loopback_any_port = false;
        s.joinme_registered_port = Some(port);
    });
    let mut endpoints = env.endpoints();
    endpoints.joinme.as_mut().unwrap().callback_port = port;
    let (browser, _) = TestBrowser::new(Behaviour::Follow);
    let auth = env.auth_with(endpoints, browser, Duration::from_secs(20));
    let flow = auth.start_browser_sign_in(Provider::Joinme).await.unwrap();
    assert_eq!(flow.redirect_uri, format!("http://127.0.0.1:{port}/cb/joinme"));
    let authorize: std::collections::HashMap<_, _> = flow.url.query_pairs().into_owned().collect();
    assert_eq!(authorize["redirect_uri"], flow.redirect_uri);
    // The control: the same authorization on another port is refused, not redirected.
    let mut elsewhere = flow.url.clone();
    let other = format!("http://127.0.0.1:{}/cb/joinme", if port == 1 { 2 } else { port - 1 });
    let pairs: Vec<(String, String)> = flow
        .url
        .query_pairs()
        .map(|(k, v)| (k.to_string(), if k == "redirect_uri" { other.clone() } else { v.to_string() }))
        .collect();
    elsewhere.query_pairs_mut().clear().extend_pairs(pairs);
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let refused = http.get(elsewhere).send().await.unwrap();
    assert!(!refused.status().is_redirection(), "{}", refused.status());
    assert!(refused.text().await.unwrap().contains("registered Callback URL"));
    let status = flow.finish().await.unwrap();
    assert_eq!(env.counter("joinme.token.authorization_code"), 1);
    auth.sign_out(&status.record.key).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_code_fails_truthfully() {
    let env = start().await;
    let auth = env.auth_with(env.endpoints(), Arc::new(NoBrowser), Duration::from_secs(20));
    let flow = auth.start_browser_sign_in(Provider::Joinme).await.unwrap();
    // The browser gets the code now but reaches the app only after the code has expired.
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let callback = http.get(flow.url.clone()).send().await.unwrap().headers()["location"].to_str().unwrap().to_string();
    env.sandbox.control().advance_clock(chrono::Duration::minutes(11));
    let page = http.get(&callback).send().await.unwrap();
    assert_eq!(page.status(), 400);
    assert!(page.text().await.unwrap().contains("could not sign in"), "the page does not claim success");
    let error = flow.finish().await.unwrap_err();
    assert!(matches!(error, AuthError::Provider(ProviderError::SignInAgain { .. })), "{error:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_exchange_shows_a_failure_page() {
    let env = start().await;
    env.sandbox
        .control()
        .add_fault(Fault::new("/joinme/auth/token", FaultKind::Status { status: 500, retry_after: None }));
    let (browser, mut pages) = TestBrowser::new(Behaviour::Follow);
    let auth = env.auth(browser);
    let error = auth.start_browser_sign_in(Provider::Joinme).await.unwrap().finish().await.unwrap_err();
    assert!(matches!(error, AuthError::Provider(ProviderError::ServerTrouble { status: 500, .. })), "{error:?}");
    let page = pages.recv().await.unwrap();
    assert_eq!(page.status, 400);
    assert!(page.body.contains("could not sign in") && !page.body.contains("Signed in"));
}

#[tokio::test(flavor = "multi_thread")]
async fn implicit_grant_relays_the_fragment_and_checks_the_token_is_ours() {
    let env = start().await;
    let mut endpoints = env.endpoints();
    {
        let jm = endpoints.joinme.as_mut().unwrap();
        jm.client_id = env.sandbox.config().joinme.implicit_client_id.clone();
        jm.client_secret = None;
    }
    let (browser, mut pages) = TestBrowser::new(Behaviour::Follow);
    let auth = env.auth_with(endpoints.clone(), browser, Duration::from_secs(20));
    let flow = auth.start_browser_sign_in(Provider::Joinme).await.unwrap();
    assert!(flow.url.as_str().contains("response_type=token"));
    let status = flow.finish().await.unwrap();
    assert_eq!(status.record.grant, Grant::Implicit);
    assert!(pages.recv().await.unwrap().body.contains("Signed in"));
    assert_eq!(env.counter("joinme.tokeninfo"), 1);
    // Unexpired implicit tokens are kept in the keychain, and end after 24 h with "sign in again".
    assert!(env.keychain.get(status.key()).await.unwrap().unwrap().expose().contains("access_token"));
    env.sandbox.control().advance_clock(chrono::Duration::hours(24));
    assert!(matches!(auth.access_token(status.key()).await, Err(ProviderError::SignInAgain { .. })));
    auth.sign_out(status.key()).await.unwrap();

    // A token granted to another application is refused (the confused deputy).
    let other = other_apps_token(&env).await;
    let (browser, mut pages) = TestBrowser::new(Behaviour::SubstituteToken(other));
    let auth = env.auth_with(endpoints, browser, Duration::from_secs(20));
    let error = auth.start_browser_sign_in(Provider::Joinme).await.unwrap().finish().await.unwrap_err();
    assert_eq!(error, AuthError::Provider(ProviderError::ForeignToken { provider: Provider::Joinme }));
    assert!(pages.recv().await.unwrap().body.contains("another application"));
    assert!(auth.accounts().await.is_empty());
}

async fn other_apps_token(env: &Env) -> String {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let auth_base = &env.sandbox.config().joinme.auth_base;
    let query = [
        ("response_type", "token"),
        ("client_id", "other-app-key"),
        ("scope", "user_info"),
        ("redirect_uri", "https://other.example/cb"),
    ];
    let location = http.get(format!("{auth_base}/oauth2")).query(&query).send().await.unwrap().headers()["location"]
        .to_str()
        .unwrap()
        .to_string();
    let fragment = location.split_once('#').unwrap().1.to_string();
    url::form_urlencoded::parse(fragment.as_bytes()).find(|(k, _)| k == "access_token").unwrap().1.to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_rotates_and_stores_the_new_refresh_token_first() {
    let env = start().await;
    let (auth, key) = signed_in(&env).await;
    let before = env.keychain.get(&key).await.unwrap().unwrap();
    let first = auth.access_token(&key).await.unwrap();
    let status = auth.refresh_now(&key).await.unwrap();
    assert!(status.last_refresh.is_some());
    let after = env.keychain.get(&key).await.unwrap().unwrap();
    assert_ne!(before, after, "the rotated refresh token replaced the old one in the keychain");
    assert_ne!(auth.access_token(&key).await.unwrap(), first);
    assert_eq!(env.counter("joinme.token.refresh_token"), 1);
    auth.sign_out(&key).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_calls_at_expiry_cause_exactly_one_refresh() {
    let env = start().await;
    let (auth, key) = signed_in(&env).await;
    env.sandbox.control().advance_clock(chrono::Duration::hours(24));
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let (auth, key) = (auth.clone(), key.clone());
            tokio::spawn(async move { auth.access_token(&key).await })
        })
        .collect();
    let mut tokens = Vec::new();
    for call in calls {
        tokens.push(call.await.unwrap().unwrap());
    }
    assert!(tokens.windows(2).all(|w| w[0] == w[1]), "everyone got the one new token");
    assert_eq!(env.counter("joinme.token.refresh_token"), 1);

    // Many calls rejected with the same token cause one refresh too.
    let token = tokens[0].clone();
    for _ in 0..10 {
        auth.token_rejected(&key, &token).await;
    }
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let (auth, key) = (auth.clone(), key.clone());
            tokio::spawn(async move { auth.access_token(&key).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(env.counter("joinme.token.refresh_token"), 2);
    auth.sign_out(&key).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_refresh_token_means_sign_in_again_for_that_account_only() {
    let env = start().await;
    let (auth, key) = signed_in(&env).await;
    let mb = auth
        .sign_in_with_password(
            Provider::Meetingbooster,
            "alex.morgan@example.com",
            launcher_core::secret::Secret::new("sandbox-password"),
        )
        .await
        .unwrap();
    env.sandbox.control().revoke_joinme_grant("alex.morgan@example.com", None);
    env.sandbox.control().advance_clock(chrono::Duration::hours(24));
    let error = auth.access_token(&key).await.unwrap_err();
    assert!(matches!(error, ProviderError::SignInAgain { .. }), "{error:?}");
    assert!(error.to_string().contains("Sign in again"));
    assert_eq!(env.keychain.get(&key).await.unwrap(), None, "the dead refresh token is gone from the keychain");
    assert!(!auth.account(&key).await.unwrap().signed_in());
    assert!(auth.access_token(mb.key()).await.is_ok(), "MeetingBooster keeps working");
    auth.sign_out(&key).await.unwrap();
    auth.sign_out(mb.key()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn expire_access_leads_to_stale_token_then_refresh() {
    let env = start().await;
    let (auth, key) = signed_in(&env).await;
    let token = auth.access_token(&key).await.unwrap();
    auth.expire_access(&key).await.unwrap();
    let config = env.sandbox.config();
    let http = reqwest::Client::new();
    let stale = http.get(format!("{}/user", config.joinme.api_base)).bearer_auth(token.expose()).send().await.unwrap();
    assert_eq!(stale.status(), 401);
    auth.token_rejected(&key, &token).await;
    let fresh = auth.access_token(&key).await.unwrap();
    let ok = http.get(format!("{}/user", config.joinme.api_base)).bearer_auth(fresh.expose()).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    auth.sign_out(&key).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_address_the_browser_ended_on_can_be_pasted() {
    let env = start().await;
    let auth = env.auth_with(env.endpoints(), Arc::new(NoBrowser), Duration::from_secs(20));
    let flow = auth.start_browser_sign_in(Provider::Joinme).await.unwrap();
    // The browser is elsewhere: its redirect to 127.0.0.1 never arrives, so the user copies the address.
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let ended_on = http.get(flow.url.clone()).send().await.unwrap().headers()["location"].to_str().unwrap().to_string();
    let paste = flow.paste_handle();
    assert!(paste.submit("not an address").await.is_err());
    assert!(paste.submit("http://127.0.0.1:1/elsewhere?code=x&state=y").await.unwrap_err().contains("/cb/joinme"));
    // A pasted answer is checked like any other: a forged state is ignored, the real one completes.
    paste.submit(&format!("{}?code=forged&state=forged", flow.redirect_uri)).await.unwrap();
    paste.submit(&ended_on).await.unwrap();
    let status = flow.finish().await.unwrap();
    assert_eq!(env.counter("joinme.token.authorization_code"), 1);
    auth.sign_out(status.key()).await.unwrap();
}
