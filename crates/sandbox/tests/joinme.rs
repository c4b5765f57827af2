//! join.me: the auth host, the API behind its gateway, and every failure the FAQ documents.

use chrono::Duration;
use launcher_sandbox::{Fault, FaultKind, SandboxOptions};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::support::{Env, json, location, params, start, start_with};

const ALL: &str = "user_info scheduler start_meeting";

async fn manual() -> Env {
    start_with(SandboxOptions::default()).await
}

#[tokio::test]
async fn code_grant_redirects_with_code_and_state_in_the_query() {
    let env = start().await;
    let response = env.authorize("code", &env.cfg.joinme.client_id, ALL, "xyz 1").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let to = location(&response);
    assert!(to.starts_with(&env.cfg.joinme.redirect_uri) && !to.contains('#'), "{to}");
    let p = params(&to);
    assert_eq!(p["state"], "xyz 1");
    assert!(!p["code"].is_empty());
}

#[tokio::test]
async fn code_exchange_gives_tokens_without_expires_in_by_default() {
    let env = start().await;
    let code = env.joinme_code(ALL).await;
    let response = env.exchange(&code).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body = json(response).await;
    assert_eq!(body["token_type"], "bearer");
    assert!(body["access_token"].is_string() && body["refresh_token"].is_string());
    assert!(body.get("expires_in").is_none());

    env.control().update_switches(|s| s.joinme_token_expires_in = true);
    let code = env.joinme_code(ALL).await;
    assert_eq!(json(env.exchange(&code).await).await["expires_in"], 86400);
}

#[tokio::test]
async fn code_exchange_accepts_a_json_body() {
    let env = start().await;
    let code = env.joinme_code(ALL).await;
    let body = json!({
        "grant_type": "authorization_code", "code": code, "client_id": env.cfg.joinme.client_id,
        "client_secret": env.cfg.joinme.client_secret, "redirect_uri": env.cfg.joinme.redirect_uri,
    });
    let response = env.http.post(format!("{}/token", env.cfg.joinme.auth_base)).json(&body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn codes_are_single_use_short_lived_and_bound_to_the_redirect_uri() {
    let env = start().await;
    let code = env.joinme_code(ALL).await;
    assert_eq!(env.exchange(&code).await.status(), StatusCode::OK);
    let replay = env.exchange(&code).await;
    assert_eq!(replay.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(replay).await["error"], "invalid_authorization_code");

    let code = env.joinme_code(ALL).await;
    env.control().advance_clock(Duration::minutes(11));
    assert_eq!(json(env.exchange(&code).await).await["error"], "invalid_authorization_code");

    let code = env.joinme_code(ALL).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("client_id", &env.cfg.joinme.client_id),
        ("client_secret", &env.cfg.joinme.client_secret),
        ("redirect_uri", "http://127.0.0.1:53682/cb/other"),
    ];
    let response = env.http.post(format!("{}/token", env.cfg.joinme.auth_base)).form(&form).send().await.unwrap();
    assert_eq!(json(response).await["error"], "invalid_authorization_code");
}

#[tokio::test]
async fn token_endpoint_refuses_bad_clients_and_grants() {
    let env = start().await;
    let code = env.joinme_code(ALL).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("client_id", &env.cfg.joinme.client_id),
        ("client_secret", "wrong"),
    ];
    let response = env.http.post(format!("{}/token", env.cfg.joinme.auth_base)).form(&form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json(response).await["error"], "invalid_client");

    let response = env
        .http
        .post(format!("{}/token", env.cfg.joinme.auth_base))
        .form(&[("grant_type", "password")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = json(response).await;
    assert_eq!(body["error"], "unsupported_grant_type");
    assert!(body["error_ticket_id"].is_string());

    // An implicit-only key has no secret, so it cannot use the token endpoint at all.
    let form =
        [("grant_type", "refresh_token"), ("refresh_token", "x"), ("client_id", &env.cfg.joinme.implicit_client_id)];
    let response = env.http.post(format!("{}/token", env.cfg.joinme.auth_base)).form(&form).send().await.unwrap();
    assert_eq!(json(response).await["error"], "invalid_client");
}

#[tokio::test]
async fn refresh_rotates_and_an_unknown_refresh_token_gets_the_faq_400() {
    let env = start().await;
    let (_, refresh) = env.joinme_tokens().await;
    let first = json(env.refresh(&refresh).await).await;
    let rotated = first["refresh_token"].as_str().unwrap();
    assert_ne!(rotated, refresh);
    let old = env.refresh(&refresh).await;
    assert_eq!(old.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(old).await, json!({ "error": "invalid_refresh_token", "error_description": "" }));
    assert_eq!(env.refresh(rotated).await.status(), StatusCode::OK);
    assert_eq!(env.control().counter("joinme.token.refresh_token"), 3);
}

#[tokio::test]
async fn implicit_grant_puts_the_token_in_the_fragment_and_token_info_names_its_client() {
    let env = start().await;
    let response = env.authorize("token", &env.cfg.joinme.implicit_client_id, "user_info scheduler", "imp").await;
    let to = location(&response);
    let fragment = to.split_once('#').expect("a fragment").1;
    assert!(!fragment.is_empty() && !to.split_once('#').unwrap().0.contains("access_token"));
    let p = params(&to);
    assert_eq!((p["token_type"].as_str(), p["expires_in"].as_str(), p["state"].as_str()), ("bearer", "1440", "imp"));
    let info = env
        .http
        .get(format!("{}/tokenInfo", env.cfg.joinme.auth_base))
        .query(&[("access_token", &p["access_token"])])
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), StatusCode::OK);
    let info = json(info).await;
    assert_eq!(info["client_id"], env.cfg.joinme.implicit_client_id.as_str());
    assert_eq!(info["scope"], "user_info scheduler");
    let expires = chrono::DateTime::parse_from_rfc3339(info["expires_at"].as_str().unwrap()).unwrap();
    let lifetime = expires.with_timezone(&chrono::Utc) - env.control().now();
    assert!(lifetime > Duration::hours(23) && lifetime <= Duration::hours(24), "{lifetime}");

    // The token is a bearer for the API, but has no refresh: after 24 h it is stale.
    env.control().advance_clock(Duration::hours(24) + Duration::seconds(1));
    let info = env
        .http
        .get(format!("{}/tokenInfo", env.cfg.joinme.auth_base))
        .query(&[("access_token", &p["access_token"])])
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(info).await["error"], "invalid_token");
}

#[tokio::test]
async fn token_info_exposes_a_token_granted_to_another_client() {
    let env = start().await;
    let code = {
        let mut c = env.cfg.joinme.clone();
        c.client_id = "other-app-key".into();
        let query = [
            ("response_type", "code"),
            ("client_id", "other-app-key"),
            ("scope", "user_info"),
            ("redirect_uri", "https://other.example/cb"),
        ];
        let response = env.http.get(format!("{}/oauth2", c.auth_base)).query(&query).send().await.unwrap();
        params(&location(&response))["code"].clone()
    };
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("client_id", "other-app-key"),
        ("client_secret", "other-app-secret"),
        ("redirect_uri", "https://other.example/cb"),
    ];
    let body =
        json(env.http.post(format!("{}/token", env.cfg.joinme.auth_base)).form(&form).send().await.unwrap()).await;
    let token = body["access_token"].as_str().unwrap();
    let info = json(
        env.http
            .get(format!("{}/tokenInfo", env.cfg.joinme.auth_base))
            .query(&[("access_token", token)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(info["client_id"], "other-app-key");
    assert_ne!(info["client_id"], env.cfg.joinme.client_id.as_str());
}

#[tokio::test]
async fn authorize_validates_parameters_before_sign_in_with_an_error_page() {
    let env = start().await;
    let auth = format!("{}/oauth2", env.cfg.joinme.auth_base);
    let redirect = env.cfg.joinme.redirect_uri.as_str();
    let key = env.cfg.joinme.client_id.as_str();
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("client_id", key), ("scope", "user_info"), ("redirect_uri", redirect)], "response_type"),
        (
            vec![("response_type", "id_token"), ("client_id", key), ("scope", "user_info"), ("redirect_uri", redirect)],
            "Unsupported response_type",
        ),
        (
            vec![
                ("response_type", "code"),
                ("client_id", "nobody"),
                ("scope", "user_info"),
                ("redirect_uri", redirect),
            ],
            "not registered",
        ),
        (vec![("response_type", "code"), ("client_id", key), ("redirect_uri", redirect)], "scope"),
        (
            vec![
                ("response_type", "code"),
                ("client_id", key),
                ("scope", "user_info <b>admin</b>"),
                ("redirect_uri", redirect),
            ],
            "Unknown scope",
        ),
        (
            vec![
                ("response_type", "code"),
                ("client_id", key),
                ("scope", "user_info"),
                ("redirect_uri", "https://evil.example/cb"),
            ],
            "registered Callback URL",
        ),
        (vec![("response_type", "code"), ("client_id", key), ("scope", "user_info")], "redirect_uri"),
        (
            vec![
                ("response_type", "code"),
                ("client_id", &env.cfg.joinme.implicit_client_id),
                ("scope", "user_info"),
                ("redirect_uri", redirect),
            ],
            "implicit grant",
        ),
    ];
    for (query, reason) in cases {
        let response = env.http.get(&auth).query(&query).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query:?}");
        assert!(response.headers().get("location").is_none(), "an error page, not a redirect");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let page = response.text().await.unwrap();
        assert!(page.contains(reason), "{reason}: {page}");
        assert!(!page.contains("<b>admin</b>"), "the page escapes what it echoes");
    }
}

#[tokio::test]
async fn loopback_callbacks_match_port_free_unless_exact_matching_is_switched_on() {
    let env = start().await;
    let query = |port: u16| {
        [
            ("response_type", "code".to_string()),
            ("client_id", env.cfg.joinme.client_id.clone()),
            ("scope", "user_info".to_string()),
            ("redirect_uri", format!("http://127.0.0.1:{port}/cb/joinme")),
        ]
    };
    let auth = format!("{}/oauth2", env.cfg.joinme.auth_base);
    let response = env.http.get(&auth).query(&query(40123)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    assert!(location(&response).starts_with("http://127.0.0.1:40123/cb/joinme?code="));
    env.control().update_switches(|s| s.joinme_loopback_any_port = false);
    assert_eq!(env.http.get(&auth).query(&query(40123)).send().await.unwrap().status(), StatusCode::BAD_REQUEST);
    assert_eq!(env.http.get(&auth).query(&query(53682)).send().await.unwrap().status(), StatusCode::FOUND);
}

#[tokio::test]
async fn consent_page_signs_in_approves_and_denies() {
    let env = manual().await;
    let page = env.authorize("code", &env.cfg.joinme.client_id, ALL, "st-1").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    let html = page.text().await.unwrap();
    assert!(html.contains("Approve") && html.contains("Deny") && html.contains("Meeting Launcher"));
    assert!(!html.contains("http://") || !html.contains("<script src"), "nothing loaded from elsewhere");

    let auth = format!("{}/oauth2", env.cfg.joinme.auth_base);
    let form = |decision: &'static str, password: &'static str| {
        vec![
            ("response_type", "code".to_string()),
            ("client_id", env.cfg.joinme.client_id.clone()),
            ("scope", ALL.to_string()),
            ("redirect_uri", env.cfg.joinme.redirect_uri.clone()),
            ("state", "st-1".to_string()),
            ("login", env.cfg.joinme.username.clone()),
            ("password", password.to_string()),
            ("decision", decision.to_string()),
        ]
    };
    let wrong = env.http.post(&auth).form(&form("approve", "nope")).send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::OK);
    assert!(wrong.text().await.unwrap().contains("wrong"));

    let denied = env.http.post(&auth).form(&form("deny", "")).send().await.unwrap();
    let p = params(&location(&denied));
    assert_eq!((p["error"].as_str(), p["state"].as_str()), ("access_denied", "st-1"));
    assert!(!location(&denied).contains('#'), "code-flow errors go in the query");

    let approved = env.http.post(&auth).form(&form("approve", "sandbox-password")).send().await.unwrap();
    let p = params(&location(&approved));
    assert!(p.contains_key("code") && p["state"] == "st-1");
    assert_eq!(env.exchange(&p["code"]).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn implicit_deny_goes_in_the_fragment() {
    let env = manual().await;
    let auth = format!("{}/oauth2", env.cfg.joinme.auth_base);
    let form = [
        ("response_type", "token"),
        ("client_id", env.cfg.joinme.implicit_client_id.as_str()),
        ("scope", "user_info"),
        ("redirect_uri", env.cfg.joinme.redirect_uri.as_str()),
        ("state", "s"),
        ("decision", "deny"),
    ];
    let to = location(&env.http.post(&auth).form(&form).send().await.unwrap());
    assert!(to.contains("#error=access_denied"), "{to}");
    assert_eq!(params(&to)["state"], "s");
}

#[tokio::test]
async fn pkce_is_enforced_when_switched_on() {
    let env = start().await;
    env.control().update_switches(|s| s.joinme_enforce_pkce = true);
    let without = env.authorize("code", &env.cfg.joinme.client_id, ALL, "s").await;
    assert_eq!(without.status(), StatusCode::BAD_REQUEST);

    // RFC 7636 Appendix B.
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let authorize = || async {
        let query = [
            ("response_type", "code"),
            ("client_id", env.cfg.joinme.client_id.as_str()),
            ("scope", ALL),
            ("redirect_uri", env.cfg.joinme.redirect_uri.as_str()),
            ("code_challenge", challenge),
            ("code_challenge_method", "S256"),
        ];
        let response = env.http.get(format!("{}/oauth2", env.cfg.joinme.auth_base)).query(&query).send().await.unwrap();
        params(&location(&response))["code"].clone()
    };
    let env = &env;
    let exchange = |code: String, verifier: Option<&'static str>| async move {
        let mut form = vec![
            ("grant_type", "authorization_code".to_string()),
            ("code", code),
            ("client_id", env.cfg.joinme.client_id.clone()),
            ("client_secret", env.cfg.joinme.client_secret.clone()),
            ("redirect_uri", env.cfg.joinme.redirect_uri.clone()),
        ];
        if let Some(v) = verifier {
            form.push(("code_verifier", v.to_string()));
        }
        env.http.post(format!("{}/token", env.cfg.joinme.auth_base)).form(&form).send().await.unwrap().status()
    };
    assert_eq!(exchange(authorize().await, None).await, StatusCode::BAD_REQUEST);
    assert_eq!(
        exchange(authorize().await, Some("wrong-verifier-wrong-verifier-wrong-verifier")).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(exchange(authorize().await, Some(verifier)).await, StatusCode::OK);
}

#[tokio::test]
async fn expire_access_makes_the_token_stale_after_the_propagation_delay() {
    let env = start().await;
    let (access, refresh) = env.joinme_tokens().await;
    env.control().update_switches(|s| s.joinme_expireaccess_delay_secs = 600);
    let body = json!({ "access_token": access, "client_id": env.cfg.joinme.client_id, "client_secret": env.cfg.joinme.client_secret });
    let response =
        env.http.post(format!("{}/expireaccess", env.cfg.joinme.auth_base)).json(&body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(json(response).await, json!({ "success": true, "message": "Access Token Expired" }));
    assert_eq!(env.joinme_api(Method::GET, "/user", &access).send().await.unwrap().status(), StatusCode::OK);
    env.control().advance_clock(Duration::minutes(10));
    let stale = env.joinme_api(Method::GET, "/user", &access).send().await.unwrap();
    assert_eq!(stale.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json(stale).await["ErrorCode"], "stale_token");
    assert_eq!(env.refresh(&refresh).await.status(), StatusCode::OK, "the refresh path still works");

    let form =
        [("access_token", access.as_str()), ("client_id", &env.cfg.joinme.client_id), ("client_secret", "wrong")];
    let failed = env.http.post(format!("{}/expireaccess", env.cfg.joinme.auth_base)).form(&form).send().await.unwrap();
    assert_eq!(failed.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(failed).await, json!({ "success": false, "message": "Expire Access Failed" }));
}

#[tokio::test]
async fn renew_authorization_redirects_with_a_fresh_implicit_token() {
    let env = start().await;
    let (access, _) = env.joinme_tokens().await;
    let response = env
        .http
        .get(format!("{}/renewauthorization", env.cfg.joinme.auth_base))
        .query(&[("client_id", env.cfg.joinme.client_id.as_str()), ("access_token", &access)])
        .send()
        .await
        .unwrap();
    let to = location(&response);
    assert!(to.starts_with(&format!("{}#access_token=", env.cfg.joinme.redirect_uri)), "{to}");
    assert_ne!(params(&to)["access_token"], access);
    let unknown = env
        .http
        .get(format!("{}/renewauthorization", env.cfg.joinme.auth_base))
        .query(&[("client_id", env.cfg.joinme.client_id.as_str()), ("access_token", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn user_and_conference_settings_follow_the_plan() {
    let env = start().await;
    let (access, _) = env.joinme_tokens().await;
    let response = env.joinme_api(Method::GET, "/user", &access).send().await.unwrap();
    assert_eq!(response.headers()["server"], "Mashery Proxy");
    let user = json(response).await;
    assert_eq!(user["subscriptionType"], "Business");
    assert_eq!(user["personalUrl"], "alexmorgan");
    assert_eq!(user["conferenceSettings"]["conferenceId"].as_str().unwrap().len(), 9);
    assert!(!user["registrationDate"].as_str().unwrap().ends_with('Z'), "the docs' zone-less date");
    let settings = json(env.joinme_api(Method::GET, "/user/conferencesettings", &access).send().await.unwrap()).await;
    assert_eq!(settings["organizerCode"].as_str().unwrap().len(), 4);

    // A Free user: no personal URL, no conference settings.
    let env = manual().await;
    let auth = format!("{}/oauth2", env.cfg.joinme.auth_base);
    let form = [
        ("response_type", "code"),
        ("client_id", env.cfg.joinme.client_id.as_str()),
        ("scope", ALL),
        ("redirect_uri", env.cfg.joinme.redirect_uri.as_str()),
        ("login", "sam.lee@example.com"),
        ("password", "sandbox-password"),
        ("decision", "approve"),
    ];
    let code = params(&location(&env.http.post(&auth).form(&form).send().await.unwrap()))["code"].clone();
    let access = json(env.exchange(&code).await).await["access_token"].as_str().unwrap().to_string();
    let user = json(env.joinme_api(Method::GET, "/user", &access).send().await.unwrap()).await;
    assert_eq!(user["subscriptionType"], "Free");
    assert!(user.get("personalUrl").is_none() && user.get("conferenceSettings").is_none());
    let settings = env.joinme_api(Method::GET, "/user/conferencesettings", &access).send().await.unwrap();
    assert_eq!(settings.status(), StatusCode::NOT_FOUND);
    assert_eq!(json(settings).await["ErrorCode"], "not_found");
    let personal = env
        .joinme_api(Method::POST, "/meetings/start", &access)
        .json(&json!({ "startWithPersonalUrl": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(personal.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn scheduled_meetings_list_create_edit_and_delete() {
    let env = start().await;
    let (access, _) = env.joinme_tokens().await;
    let list = json(env.joinme_api(Method::GET, "/meetings", &access).send().await.unwrap()).await;
    let meetings = list["meetings"].as_array().unwrap();
    assert_eq!(meetings.len(), 12);
    let starts: Vec<&str> = meetings.iter().map(|m| m["meetingStart"].as_str().unwrap()).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "sorted by start");
    assert!(meetings[0]["meetingId"].is_u64() && meetings[0].get("participants").is_none());

    let soon = (env.control().now() + Duration::days(3)).to_rfc3339();
    let limited =
        json(env.joinme_api(Method::GET, "/meetings", &access).query(&[("endDate", &soon)]).send().await.unwrap())
            .await;
    assert!(limited["meetings"].as_array().unwrap().len() < 12);

    let start = env.control().now() + Duration::days(1);
    let body = json!({
        "meetingName": "Launch review", "meetingStart": start.to_rfc3339(),
        "meetingEnd": (start + Duration::hours(1)).to_rfc3339(), "participants": ["a@example.com"],
    });
    let created = env.joinme_api(Method::POST, "/meetings/", &access).json(&body).send().await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let created = json(created).await;
    let id = created["meetingId"].as_u64().unwrap();
    assert!(created["meetingStart"].as_str().unwrap().ends_with('Z'));
    assert_eq!(created["participants"], json!(["a@example.com"]));

    let patched = env
        .joinme_api(Method::PATCH, &format!("/meetings/{id}"), &access)
        .json(&json!({ "meetingId": id, "meetingName": "Launch review (moved)" }))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), StatusCode::OK);
    let fetched = json(env.joinme_api(Method::GET, &format!("/meetings/{id}"), &access).send().await.unwrap()).await;
    assert_eq!(fetched["meetingName"], "Launch review (moved)");
    assert_eq!(fetched["conferenceId"].as_str().unwrap().len(), 9);

    let deleted = env.joinme_api(Method::DELETE, &format!("/meetings/{id}"), &access).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert!(deleted.text().await.unwrap().is_empty());
    for method in [Method::GET, Method::DELETE] {
        let gone = env.joinme_api(method, &format!("/meetings/{id}"), &access).send().await.unwrap();
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    }
    assert_eq!(
        env.joinme_api(Method::GET, "/meetings/not-a-number", &access).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn meetings_that_end_before_they_start_or_lack_a_name_are_refused() {
    let env = start().await;
    let (access, _) = env.joinme_tokens().await;
    let start = env.control().now() + Duration::days(1);
    let cases = [
        (
            json!({ "meetingName": "x", "meetingStart": start.to_rfc3339(), "meetingEnd": (start - Duration::minutes(5)).to_rfc3339() }),
            "meetingEnd",
        ),
        (
            json!({ "meetingName": "  ", "meetingStart": start.to_rfc3339(), "meetingEnd": (start + Duration::hours(1)).to_rfc3339() }),
            "meetingName",
        ),
        (
            json!({ "meetingName": "x", "meetingStart": "tomorrow", "meetingEnd": (start + Duration::hours(1)).to_rfc3339() }),
            "meetingStart",
        ),
        (json!({ "meetingName": "x", "meetingStart": start.to_rfc3339() }), "meetingEnd"),
        (
            json!({ "meetingName": "x", "meetingStart": start.to_rfc3339(), "meetingEnd": (start + Duration::hours(1)).to_rfc3339(), "participants": ["not an e-mail"] }),
            "participants",
        ),
    ];
    for (body, field) in cases {
        let response = env.joinme_api(Method::POST, "/meetings", &access).json(&body).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let error = json(response).await;
        assert_eq!(error["ErrorCode"], "invalid_request");
        assert!(error["Message"].as_str().unwrap().contains(field), "{error}");
    }
    // A patch that would end a meeting before it starts changes nothing.
    let id =
        json(env.joinme_api(Method::GET, "/meetings", &access).send().await.unwrap()).await["meetings"][0]["meetingId"]
            .as_u64()
            .unwrap();
    let before = json(env.joinme_api(Method::GET, &format!("/meetings/{id}"), &access).send().await.unwrap()).await;
    let bad = json!({ "meetingName": "renamed", "meetingEnd": "2000-01-01T00:00:00Z" });
    assert_eq!(
        env.joinme_api(Method::PATCH, &format!("/meetings/{id}"), &access).json(&bad).send().await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        json(env.joinme_api(Method::GET, &format!("/meetings/{id}"), &access).send().await.unwrap()).await,
        before
    );
}

#[tokio::test]
async fn starting_meetings_gives_one_time_presenter_links() {
    let env = start().await;
    let (access, _) = env.joinme_tokens().await;
    let missing = env.joinme_api(Method::POST, "/meetings/start", &access).json(&json!({})).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);

    let started = env
        .joinme_api(Method::POST, "/meetings/start", &access)
        .json(&json!({ "startWithPersonalUrl": "true" }))
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), StatusCode::CREATED);
    let started = json(started).await;
    assert!(started["viewerLink"].as_str().unwrap().ends_with("/alexmorgan"));
    assert!(started["audioConference"]["conferenceId"].is_string());
    assert!(started.get("webhooksStatus").is_none());
    let presenter = started["presenterLink"].as_str().unwrap();
    assert!(presenter.contains("/API/Public/StartMeeting.aspx?token="));
    assert_eq!(env.http.get(presenter).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(env.http.get(presenter).send().await.unwrap().status(), StatusCode::GONE, "one use only");
    assert_eq!(env.http.get(started["viewerLink"].as_str().unwrap()).send().await.unwrap().status(), StatusCode::OK);

    let code = json(
        env.joinme_api(Method::POST, "/meetings/start", &access)
            .json(&json!({ "startWithPersonalUrl": false }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let viewer = code["viewerLink"].as_str().unwrap();
    assert_eq!(viewer.rsplit('/').next().unwrap().len(), 9, "a 9-digit meeting code");
    env.control().advance_clock(Duration::minutes(11));
    assert_eq!(
        env.http.get(code["presenterLink"].as_str().unwrap()).send().await.unwrap().status(),
        StatusCode::GONE,
        "10 minutes only"
    );

    let started = env.control().started_meetings();
    assert_eq!(started.len(), 2);
    assert!(started[0].launched && !started[1].launched);
    assert_eq!(env.control().counter("joinme.meetings.start"), 2);
}

#[tokio::test]
async fn scheduled_start_sets_the_viewer_link_and_fires_webhooks() {
    let env = start().await;
    let (access, _) = env.joinme_tokens().await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<serde_json::Value>();
    let hook = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |axum::Json(body): axum::Json<serde_json::Value>| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(body);
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook_url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, hook).await.unwrap() });

    let id =
        json(env.joinme_api(Method::GET, "/meetings", &access).send().await.unwrap()).await["meetings"][0]["meetingId"]
            .as_u64()
            .unwrap();
    let body = json!({ "webhooks": {
        "meeting.start": { "callbackUrl": hook_url, "customCallbackData": { "ticket": 7 } },
        "meeting.end": { "callbackUrl": "relative/path" },
    }});
    let started =
        env.joinme_api(Method::POST, &format!("/meetings/{id}/start"), &access).json(&body).send().await.unwrap();
    assert_eq!(started.status(), StatusCode::CREATED);
    let started = json(started).await;
    assert_eq!(started["webhooksStatus"]["meeting.start"]["success"], true);
    assert_eq!(started["webhooksStatus"]["meeting.end"]["success"], false);
    let meeting = json(env.joinme_api(Method::GET, &format!("/meetings/{id}"), &access).send().await.unwrap()).await;
    assert_eq!(meeting["viewerLink"], started["viewerLink"]);

    env.http.get(started["presenterLink"].as_str().unwrap()).send().await.unwrap();
    let delivered = tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv()).await.unwrap().unwrap();
    assert_eq!(delivered["event"], "meeting.start");
    assert_eq!(delivered["meetingId"], id);
    assert_eq!(delivered["ticket"], 7);
    assert_eq!(
        env.joinme_api(Method::POST, "/meetings/999/start", &access).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn presenters_need_a_business_key() {
    let env = start().await;
    let (access, _) = env.joinme_tokens().await;
    let list = json(env.joinme_api(Method::GET, "/presenters", &access).send().await.unwrap()).await;
    let presenters = list["presenters"].as_array().unwrap();
    assert_eq!(presenters.len(), 5);
    assert!(presenters.iter().all(|p| p["isInvitationAccepted"].is_boolean() && p["isSeatAssigned"].is_boolean()));

    let added = env
        .joinme_api(Method::POST, "/presenters", &access)
        .json(&json!({ "email": "Pat@Example.com" }))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::CREATED);
    let added = json(added).await;
    assert_eq!((added["isInvitationAccepted"].as_bool(), added["isSeatAssigned"].as_bool()), (Some(false), Some(true)));
    let id = added["id"].as_u64().unwrap();
    let duplicate = env
        .joinme_api(Method::POST, "/presenters", &access)
        .json(&json!({ "email": "pat@example.com" }))
        .send()
        .await
        .unwrap();
    assert_eq!(duplicate.status(), StatusCode::BAD_REQUEST);
    let invalid =
        env.joinme_api(Method::POST, "/presenters", &access).json(&json!({ "email": "pat" })).send().await.unwrap();
    assert_eq!(invalid.status(), StatusCode::BAD_REQUEST);

    assert!(env.control().accept_presenter_invitation(id));
    let one = json(env.joinme_api(Method::GET, &format!("/presenters/{id}"), &access).send().await.unwrap()).await;
    assert_eq!(one["isInvitationAccepted"], true);
    assert_eq!(
        env.joinme_api(Method::DELETE, &format!("/presenters/{id}"), &access).send().await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        env.joinme_api(Method::GET, &format!("/presenters/{id}"), &access).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );

    // The same user through a Basic key.
    let query = [
        ("response_type", "code"),
        ("client_id", env.cfg.joinme.basic_client_id.as_str()),
        ("scope", ALL),
        ("redirect_uri", env.cfg.joinme.redirect_uri.as_str()),
    ];
    let code = params(&location(
        &env.http.get(format!("{}/oauth2", env.cfg.joinme.auth_base)).query(&query).send().await.unwrap(),
    ))["code"]
        .clone();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("client_id", &env.cfg.joinme.basic_client_id),
        ("client_secret", &env.cfg.joinme.basic_client_secret),
        ("redirect_uri", &env.cfg.joinme.redirect_uri),
    ];
    let basic =
        json(env.http.post(format!("{}/token", env.cfg.joinme.auth_base)).form(&form).send().await.unwrap()).await;
    let refused =
        env.joinme_api(Method::GET, "/presenters", basic["access_token"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(json(refused).await, json!({ "Message": "Business API key required", "ErrorCode": "forbidden" }));
}

#[tokio::test]
async fn a_token_only_grants_its_scopes() {
    let env = start().await;
    let code = env.joinme_code("user_info").await;
    let access = json(env.exchange(&code).await).await["access_token"].as_str().unwrap().to_string();
    assert_eq!(env.joinme_api(Method::GET, "/user", &access).send().await.unwrap().status(), StatusCode::OK);
    let refused = env.joinme_api(Method::GET, "/meetings", &access).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused.headers()["www-authenticate"].to_str().unwrap().contains("insufficient_scope"));
    assert_eq!(json(refused).await["Message"], "Insufficient scope");
    let start = env
        .joinme_api(Method::POST, "/meetings/start", &access)
        .json(&json!({ "startWithPersonalUrl": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), StatusCode::FORBIDDEN);
}

async fn assert_mashery_403(response: reqwest::Response) {
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let h = response.headers();
    assert_eq!(h["server"], "Mashery Proxy");
    assert_eq!(h["www-authenticate"], "Bearer realm=\"api.join.me\", error=\"invalid_token\"");
    assert_eq!(h["x-error-detail-header"], "Account Inactive");
    assert_eq!(h["x-mashery-error-code"], "ERR_403_DEVELOPER_INACTIVE");
    assert_eq!(response.text().await.unwrap(), "<h1>Developer Inactive</h1>");
}

#[tokio::test]
async fn faq_403_for_a_malformed_header_an_unknown_token_and_an_inactive_key() {
    let env = start().await;
    let (access, _) = env.joinme_tokens().await;
    let url = format!("{}/user", env.cfg.joinme.api_base);
    for header in
        [None, Some(format!("Bearer{access}")), Some(format!("Token {access}")), Some("Bearer not-a-token".into())]
    {
        let mut request = env.http.get(&url).header("Content-Type", "application/json");
        if let Some(h) = header {
            request = request.header("Authorization", h);
        }
        assert_mashery_403(request.send().await.unwrap()).await;
    }
    assert!(env.control().set_joinme_api_key_active(&env.cfg.joinme.client_id, false));
    assert_mashery_403(env.joinme_api(Method::GET, "/user", &access).send().await.unwrap()).await;
    env.control().set_joinme_api_key_active(&env.cfg.joinme.client_id, true);
    assert_eq!(env.joinme_api(Method::GET, "/user", &access).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn faq_500_then_401_after_the_user_revokes_the_app() {
    let env = start().await;
    let (access, refresh) = env.joinme_tokens().await;
    env.control().update_switches(|s| s.joinme_revocation_window_secs = 15 * 60);
    assert_eq!(env.control().revoke_joinme_grant(&env.cfg.joinme.username, Some(&env.cfg.joinme.client_id)), 2);

    let during = env.joinme_api(Method::GET, "/user", &access).send().await.unwrap();
    assert_eq!(during.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = json(during).await;
    assert_eq!(body["StatusCode"], 500);
    assert_eq!(body["Message"], "Unknown internal server error.");
    assert!(body["ExitPointId"].is_u64());
    let reference = body["ReferenceNumber"].as_str().unwrap();
    assert!(reference.starts_with('d') && reference[1..].chars().all(|c| c.is_ascii_digit()), "{reference}");

    env.control().advance_clock(Duration::minutes(15));
    let after = env.joinme_api(Method::GET, "/user", &access).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json(after).await, json!({ "Message": "Not authorized", "ErrorCode": "forbidden" }));
    let refused = env.refresh(&refresh).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(refused).await["error"], "invalid_refresh_token");
}

#[tokio::test]
async fn faq_stale_token_after_24_hours_and_refresh_recovers() {
    let env = start().await;
    let (access, refresh) = env.joinme_tokens().await;
    env.control().advance_clock(Duration::hours(24));
    let stale = env.joinme_api(Method::GET, "/meetings", &access).send().await.unwrap();
    assert_eq!(stale.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json(stale).await, json!({ "Message": "Access token expired", "ErrorCode": "stale_token" }));
    let fresh = json(env.refresh(&refresh).await).await["access_token"].as_str().unwrap().to_string();
    assert_eq!(env.joinme_api(Method::GET, "/meetings", &fresh).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn faq_500_on_demand_through_fault_injection() {
    let env = start().await;
    let (access, _) = env.joinme_tokens().await;
    env.control().add_fault(
        Fault::new("/joinme/api/v1/meetings", FaultKind::Status { status: 500, retry_after: None }).times(1),
    );
    let failed = env.joinme_api(Method::GET, "/meetings", &access).send().await.unwrap();
    assert_eq!(failed.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = json(failed).await;
    assert!(body["ExitPointId"].is_u64() && body["ReferenceNumber"].as_str().unwrap().starts_with('d'));
    assert_eq!(env.joinme_api(Method::GET, "/meetings", &access).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn bodies_need_json_and_unknown_routes_answer_in_join_me_format() {
    let env = start().await;
    let (access, _) = env.joinme_tokens().await;
    let url = format!("{}/meetings", env.cfg.joinme.api_base);
    let text = env
        .http
        .post(&url)
        .bearer_auth(&access)
        .header("Content-Type", "text/plain")
        .body("meetingName=x")
        .send()
        .await
        .unwrap();
    assert_eq!(text.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(json(text).await["ErrorCode"], "invalid_request");
    let malformed = env
        .http
        .post(&url)
        .bearer_auth(&access)
        .header("Content-Type", "application/json")
        .body("{\"meetingName\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(malformed).await["ErrorCode"], "invalid_request");
    let array = env
        .http
        .post(&url)
        .bearer_auth(&access)
        .header("Content-Type", "application/json")
        .body("[1,2]")
        .send()
        .await
        .unwrap();
    assert_eq!(array.status(), StatusCode::BAD_REQUEST);
    // GET with the docs' `{}` body is fine.
    assert_eq!(
        env.joinme_api(Method::GET, "/meetings", &access).body("{}").send().await.unwrap().status(),
        StatusCode::OK
    );
    let unknown = env.joinme_api(Method::GET, "/nothing/here", &access).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert!(json(unknown).await["ErrorCode"].is_string());
    let wrong_method = env.joinme_api(Method::PUT, "/user", &access).send().await.unwrap();
    assert_eq!(wrong_method.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(json(wrong_method).await["Message"].is_string());
    let token_get = env.http.get(format!("{}/token", env.cfg.joinme.auth_base)).send().await.unwrap();
    assert_eq!(token_get.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(json(token_get).await["error"].is_string());
}
