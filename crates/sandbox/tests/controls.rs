//! Operator controls over HTTP and the Rust API, fault injection, the redacted request log, and bad input that
//! every service answers in its own format without falling over.

use std::time::{Duration, Instant};

use launcher_sandbox::{Fault, FaultKind};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::support::{json, start};

#[tokio::test]
async fn the_sandbox_binds_loopback_only_and_describes_itself() {
    let env = start().await;
    assert!(env.sandbox.addr().ip().is_loopback());
    let config = json(env.http.get(format!("{}/config", env.cfg.sandbox.control)).send().await.unwrap()).await;
    assert_eq!(config, serde_json::to_value(&env.cfg).unwrap());
    for base in [
        &env.cfg.joinme.auth_base,
        &env.cfg.joinme.api_base,
        &env.cfg.meetingbooster.server,
        &env.cfg.joindin.web_base,
        &env.cfg.joindin.api_base,
    ] {
        assert!(base.starts_with(&env.cfg.sandbox.base), "{base}");
    }
    let stray = env.http.get(env.url("/favicon.ico")).send().await.unwrap();
    assert_eq!(stray.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn clock_switches_and_reset_over_http() {
    let env = start().await;
    let control = &env.cfg.sandbox.control;
    let before = env.control().now();
    let advanced =
        env.http.post(format!("{control}/clock/advance")).json(&json!({ "seconds": 3600 })).send().await.unwrap();
    assert_eq!(advanced.status(), StatusCode::OK);
    assert!(env.control().now() - before >= chrono::Duration::hours(1));
    let backwards =
        env.http.post(format!("{control}/clock/advance")).json(&json!({ "seconds": -5 })).send().await.unwrap();
    assert_eq!(backwards.status(), StatusCode::BAD_REQUEST);

    let patched = env
        .http
        .patch(format!("{control}/switches"))
        .json(&json!({ "joinme_token_expires_in": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(json(patched).await["joinme_token_expires_in"], true);
    assert!(env.control().switches().joinme_token_expires_in);
    let unknown =
        env.http.patch(format!("{control}/switches")).json(&json!({ "no_such_switch": 1 })).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    let wrong_type = env
        .http
        .patch(format!("{control}/switches"))
        .json(&json!({ "joinme_code_secs": "soon" }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), StatusCode::BAD_REQUEST);

    let (access, _) = env.joinme_tokens().await;
    let id =
        json(env.joinme_api(Method::GET, "/meetings", &access).send().await.unwrap()).await["meetings"][0]["meetingId"]
            .as_u64()
            .unwrap();
    env.joinme_api(Method::DELETE, &format!("/meetings/{id}"), &access).send().await.unwrap();
    env.control().add_fault(Fault::new("/joindin", FaultKind::Drop));
    assert_eq!(env.http.post(format!("{control}/reset")).send().await.unwrap().status(), StatusCode::OK);
    assert!(!env.control().switches().joinme_token_expires_in);
    assert!(env.control().faults().is_empty());
    assert!(env.control().counters().is_empty());
    let (access, _) = env.joinme_tokens().await;
    assert_eq!(
        json(env.joinme_api(Method::GET, "/meetings", &access).send().await.unwrap()).await["meetings"]
            .as_array()
            .unwrap()
            .len(),
        12
    );
}

#[tokio::test]
async fn revoke_and_api_key_controls_over_http() {
    let env = start().await;
    let control = &env.cfg.sandbox.control;
    let (access, _) = env.joinme_tokens().await;
    let revoked = env
        .http
        .post(format!("{control}/joinme/revoke"))
        .json(&json!({ "user": env.cfg.joinme.username }))
        .send()
        .await
        .unwrap();
    assert_eq!(json(revoked).await["revoked_tokens"], 2);
    assert_eq!(env.joinme_api(Method::GET, "/user", &access).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let bad = env.http.post(format!("{control}/joinme/revoke")).json(&json!({})).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    let (access, _) = env.joinme_tokens().await;
    let key = &env.cfg.joinme.client_id;
    assert_eq!(
        env.http.post(format!("{control}/joinme/api-keys/{key}/deactivate")).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(env.joinme_api(Method::GET, "/user", &access).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    env.http.post(format!("{control}/joinme/api-keys/{key}/activate")).send().await.unwrap();
    assert_eq!(env.joinme_api(Method::GET, "/user", &access).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(
        env.http.post(format!("{control}/joinme/api-keys/nope/deactivate")).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        env.http.post(format!("{control}/joinme/presenters/5100/accept")).send().await.unwrap().status(),
        StatusCode::OK
    );

    let started = json(
        env.joinme_api(Method::POST, "/meetings/start", &access)
            .json(&json!({ "startWithPersonalUrl": false }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let list = json(env.http.get(format!("{control}/joinme/started")).send().await.unwrap()).await;
    assert_eq!(list[0]["viewer_link"], started["viewerLink"]);
    assert_eq!(env.http.post(format!("{control}/joinme/started/0/end")).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(
        env.http.post(format!("{control}/joinme/started/0/end")).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        env.http.get(started["viewerLink"].as_str().unwrap()).send().await.unwrap().status(),
        StatusCode::NOT_FOUND,
        "an ended meeting"
    );
}

#[tokio::test]
async fn status_faults_answer_in_each_services_format_with_retry_after() {
    let env = start().await;
    let control = &env.cfg.sandbox.control;
    let fault =
        json!({ "path": "/meetingbooster/oauth", "kind": "status", "status": 503, "retry_after": 7, "count": 1 });
    assert_eq!(
        env.http.post(format!("{control}/faults")).json(&fault).send().await.unwrap().status(),
        StatusCode::CREATED
    );
    let failed = env.mb_login(&env.cfg.meetingbooster.username, &env.cfg.meetingbooster.password).await;
    assert_eq!(failed.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(failed.headers()["retry-after"], "7");
    assert!(json(failed).await["Message"].is_string());
    assert_eq!(
        env.mb_login(&env.cfg.meetingbooster.username, &env.cfg.meetingbooster.password).await.status(),
        StatusCode::OK,
        "count ran out"
    );

    env.control().add_fault(Fault::new("/joindin/api", FaultKind::Status { status: 502, retry_after: None }).times(1));
    let failed = env.joindin(Method::GET, "/events").send().await.unwrap();
    assert_eq!(failed.status(), StatusCode::BAD_GATEWAY);
    let body: Vec<String> = serde_json::from_str(&failed.text().await.unwrap()).unwrap();
    assert_eq!(body.len(), 1);

    env.control().add_fault(
        Fault::new("/joinme/auth/token", FaultKind::Status { status: 500, retry_after: None }).method("post"),
    );
    let code = env.joinme_code("user_info").await;
    let failed = env.exchange(&code).await;
    assert_eq!(failed.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(json(failed).await["error"], "server_error");
    assert_eq!(env.control().faults().len(), 1, "an uncounted fault stays until cleared");
    assert_eq!(env.http.delete(format!("{control}/faults")).send().await.unwrap().status(), StatusCode::NO_CONTENT);
    assert!(env.control().faults().is_empty());
    let not_a_fault = env
        .http
        .post(format!("{control}/faults"))
        .json(&json!({ "path": "/x", "kind": "explode" }))
        .send()
        .await
        .unwrap();
    assert_eq!(not_a_fault.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let env = start().await;
    env.control().add_fault(Fault::new("/joindin/api/v2.1/events", FaultKind::Latency { ms: 300 }).times(1));
    let began = Instant::now();
    assert_eq!(env.joindin(Method::GET, "/events").send().await.unwrap().status(), StatusCode::OK);
    assert!(began.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn a_dropped_connection_is_an_error_and_the_sandbox_keeps_serving() {
    let env = start().await;
    env.control().add_fault(Fault::new("/joinme/api/v1/user", FaultKind::Drop).times(1));
    let (access, _) = env.joinme_tokens().await;
    let outcome = match env.joinme_api(Method::GET, "/user", &access).send().await {
        Err(e) => Err(e),
        Ok(response) => response.bytes().await.map(|_| ()),
    };
    assert!(outcome.is_err(), "the client sees a broken connection, not an answer");
    assert_eq!(env.joinme_api(Method::GET, "/user", &access).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn a_dropped_response_still_makes_the_change() {
    let env = start().await;
    let (access, _) = env.joinme_tokens().await;
    env.control().add_fault(Fault::new("/joinme/api/v1/meetings", FaultKind::DropResponse).method("POST").times(1));
    let start = env.control().now() + chrono::Duration::days(2);
    let body = json!({ "meetingName": "Lost answer", "meetingStart": start.to_rfc3339(), "meetingEnd": (start + chrono::Duration::hours(1)).to_rfc3339() });
    let outcome = match env.joinme_api(Method::POST, "/meetings", &access).json(&body).send().await {
        Err(e) => Err(e),
        Ok(response) => response.bytes().await.map(|_| ()),
    };
    assert!(outcome.is_err());
    assert_eq!(env.control().joinme_meetings_named("Lost answer"), 1, "created, though the answer was lost");
}

#[tokio::test]
async fn the_request_log_counts_calls_and_redacts_secrets() {
    let env = start().await;
    let (access, _) = env.joinme_tokens().await;
    env.http
        .get(format!("{}/tokenInfo", env.cfg.joinme.auth_base))
        .query(&[("access_token", &access)])
        .send()
        .await
        .unwrap();
    let log = json(env.http.get(format!("{}/requests", env.cfg.sandbox.control)).send().await.unwrap()).await;
    let text = log.to_string();
    assert!(!text.contains(&access), "no token in the log");
    let info = log.as_array().unwrap().iter().find(|r| r["path"] == "/joinme/auth/tokenInfo").unwrap();
    assert_eq!(info["query"], "access_token=REDACTED");
    assert_eq!(info["service"], "joinme");
    assert_eq!(info["status"], 200);
    let authorize = log.as_array().unwrap().iter().find(|r| r["path"] == "/joinme/auth/oauth2").unwrap();
    assert!(authorize["query"].as_str().unwrap().contains("state=REDACTED"));
    let counters = json(env.http.get(format!("{}/counters", env.cfg.sandbox.control)).send().await.unwrap()).await;
    assert_eq!(counters["joinme.token.authorization_code"], 1);
    assert_eq!(counters["joinme.tokeninfo"], 1);
}

#[tokio::test]
async fn bad_input_gets_each_services_own_error_and_no_one_falls_over() {
    let env = start().await;
    let (jm, _) = env.joinme_tokens().await;
    let (mb, _) = env.mb_tokens().await;
    let big = vec![b'{'; 3 * 1024 * 1024];

    // Multi-megabyte bodies: 413 in each format.
    let r = env.joinme_api(Method::POST, "/meetings", &jm).body(big.clone()).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(json(r).await["ErrorCode"].is_string());
    let r = env
        .http
        .post(format!("{}/token", env.cfg.joinme.auth_base))
        .header("Content-Type", "application/json")
        .body(big.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(json(r).await["error"].is_string());
    let r = env
        .mb_api(Method::POST, "/meetings", &mb)
        .header("Content-Type", "application/json")
        .body(big.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(json(r).await["Message"].is_string());
    let r =
        env.joindin(Method::POST, "/token").header("Content-Type", "application/json").body(big).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(serde_json::from_str::<Vec<String>>(&r.text().await.unwrap()).unwrap().len(), 1);

    // Malformed JSON and wrong content types.
    let r = env
        .http
        .post(format!("{}/token", env.cfg.joinme.auth_base))
        .header("Content-Type", "application/json")
        .body("{nope")
        .send()
        .await
        .unwrap();
    assert_eq!((r.status(), json(r).await["error"].clone()), (StatusCode::BAD_REQUEST, json!("invalid_request")));
    let r = env
        .http
        .post(format!("{}/token", env.cfg.joinme.auth_base))
        .header("Content-Type", "application/xml")
        .body("<a/>")
        .send()
        .await
        .unwrap();
    assert_eq!((r.status(), json(r).await["error"].clone()), (StatusCode::BAD_REQUEST, json!("invalid_request")));
    let r = env
        .mb_api(Method::POST, "/meetings", &mb)
        .header("Content-Type", "application/json")
        .body("{\"Title\": [")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(json(r).await["Message"].is_string());
    let r = env
        .mb_api(Method::POST, "/mymeetings/synccommit", &mb)
        .json(&json!({ "Meetings": "all of them" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    // Unknown ids.
    assert_eq!(
        env.joinme_api(Method::PATCH, "/meetings/1", &jm).json(&json!({})).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        env.joinme_api(Method::GET, "/presenters/abc", &jm).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        env.mb_api(Method::PUT, "/meetings/00000000-0000-0000-0000-000000000000", &mb)
            .json(&json!({}))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(env.joindin(Method::GET, "/events/abc").send().await.unwrap().status(), StatusCode::NOT_FOUND);

    // Missing parameters on the auth pages and the token info endpoint.
    assert_eq!(
        env.http.get(format!("{}/oauth2", env.cfg.joinme.auth_base)).send().await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        env.http.get(format!("{}/tokenInfo", env.cfg.joinme.auth_base)).send().await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        env.http.get(format!("{}/user/oauth_allow", env.cfg.joindin.web_base)).send().await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        env.http.post(format!("{}/oauth", env.cfg.meetingbooster.server)).send().await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );

    // Still serving.
    assert_eq!(
        env.http.get(format!("{}/config", env.cfg.sandbox.control)).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(env.joinme_api(Method::GET, "/user", &jm).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn many_concurrent_clients_are_served() {
    let env = start().await;
    let (access, _) = env.joinme_tokens().await;
    let calls = (0..50).map(|_| env.joinme_api(Method::GET, "/meetings", &access).send());
    let results = futures_util::future::join_all(calls).await;
    assert!(results.into_iter().all(|r| r.unwrap().status() == StatusCode::OK));
}
