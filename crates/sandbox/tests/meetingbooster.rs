//! MeetingBooster: the three grants, throttling, token expiry, meetings with client-chosen ids, and sync.

use chrono::Duration;
use launcher_sandbox::ExpiresInFormat;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::support::{Env, json, start};

fn oauth(env: &Env) -> String {
    format!("{}/oauth", env.cfg.meetingbooster.server)
}

#[tokio::test]
async fn password_grant_returns_the_documented_response_and_a_session_cookie() {
    let env = start().await;
    let response = env.mb_login(&env.cfg.meetingbooster.username, &env.cfg.meetingbooster.password).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly"));
    let body = json(response).await;
    assert_eq!(body["expires_in"], "1200", "a string of seconds");
    assert!(uuid::Uuid::parse_str(body["refresh_token"].as_str().unwrap()).is_ok());
    let access = body["access_token"].as_str().unwrap();
    assert_eq!(env.mb_api(Method::GET, "/users/me", access).send().await.unwrap().status(), StatusCode::OK);
    // The cookie works too; the client should not rely on it.
    let session = cookie.split(';').next().unwrap().to_string();
    let by_cookie = env
        .http
        .get(format!("{}/api/v1/users/me", env.cfg.meetingbooster.server))
        .header("Cookie", session)
        .send()
        .await
        .unwrap();
    assert_eq!(json(by_cookie).await["Email"], env.cfg.meetingbooster.username.as_str());
}

#[tokio::test]
async fn expires_in_format_and_timeout_follow_the_switches() {
    let env = start().await;
    env.control().update_switches(|s| {
        s.meetingbooster_expires_in = ExpiresInFormat::Number;
        s.meetingbooster_oauth_timeout_secs = 300;
    });
    let (user, password) = (&env.cfg.meetingbooster.username, &env.cfg.meetingbooster.password);
    assert_eq!(json(env.mb_login(user, password).await).await["expires_in"], 300);
    env.control().update_switches(|s| s.meetingbooster_expires_in = ExpiresInFormat::DocsLiteral);
    let body = json(env.mb_login(user, password).await).await;
    assert_eq!(body["expires_in"], "60");
    env.control().advance_clock(Duration::seconds(301));
    let expired = env.mb_api(Method::GET, "/users/me", body["access_token"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(expired.status(), StatusCode::UNAUTHORIZED, "the real timeout, not the advertised 60");
}

#[tokio::test]
async fn app_id_is_required_except_on_signout() {
    let env = start().await;
    let form = [
        ("grant_type", "password"),
        ("username", env.cfg.meetingbooster.username.as_str()),
        ("password", &env.cfg.meetingbooster.password),
    ];
    let response = env.http.post(oauth(&env)).form(&form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body = json(response).await;
    assert_eq!(
        (body["error"].as_str(), body["retry_in_seconds"].as_i64(), body["error_state"].is_null()),
        (Some("unauthorized_client"), Some(0), true)
    );
    env.control().update_switches(|s| s.meetingbooster_app_id_optional = true);
    assert_eq!(env.http.post(oauth(&env)).form(&form).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn failed_logins_are_throttled_with_a_countdown_and_then_locked_out() {
    let env = start().await;
    let user = env.cfg.meetingbooster.username.clone();
    let wrong = env.mb_login(&user, "wrong").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        json(wrong).await,
        json!({ "error": "unauthorized_client", "error_description": "Authorization has been denied for this request", "retry_in_seconds": 10, "error_state": "FAILEDLOGIN" })
    );
    env.control().advance_clock(Duration::seconds(4));
    // Inside the window even the right password is refused, and the wait counts down.
    let waiting = json(env.mb_login(&user, &env.cfg.meetingbooster.password).await).await;
    assert_eq!(waiting["error_state"], "FAILEDLOGIN");
    let left = waiting["retry_in_seconds"].as_i64().unwrap();
    assert!((5..=6).contains(&left), "{left}");
    env.control().advance_clock(Duration::seconds(7));
    assert_eq!(env.mb_login(&user, &env.cfg.meetingbooster.password).await.status(), StatusCode::OK);

    for _ in 0..4 {
        assert_eq!(json(env.mb_login(&user, "wrong").await).await["retry_in_seconds"], 10);
        env.control().advance_clock(Duration::seconds(11));
    }
    assert_eq!(
        json(env.mb_login(&user, "wrong").await).await["retry_in_seconds"],
        300,
        "locked out after five failures"
    );
    assert_eq!(env.control().counter("meetingbooster.oauth.failed_login"), 6);
}

#[tokio::test]
async fn disabled_and_guest_users_cannot_sign_in() {
    let env = start().await;
    for user in ["robin.former@example.com", "pat@partner.example"] {
        let body = json(env.mb_login(user, "sandbox-password").await).await;
        assert_eq!(body["error_state"], "FAILEDLOGIN", "{user}");
    }
}

#[tokio::test]
async fn access_tokens_expire_and_refresh_rotates() {
    let env = start().await;
    let (access, refresh) = env.mb_tokens().await;
    env.control().advance_clock(Duration::minutes(20));
    let expired = env.mb_api(Method::GET, "/mymeetings/sync", &access).send().await.unwrap();
    assert_eq!(expired.status(), StatusCode::UNAUTHORIZED);
    assert!(json(expired).await["Message"].is_string());

    let form = [("grant_type", "refresh_token"), ("app_id", "Api"), ("refresh_token", refresh.as_str())];
    let renewed = json(env.http.post(oauth(&env)).form(&form).send().await.unwrap()).await;
    let rotated = renewed["refresh_token"].as_str().unwrap();
    assert_ne!(rotated, refresh);
    assert_eq!(
        env.mb_api(Method::GET, "/mymeetings/sync", renewed["access_token"].as_str().unwrap())
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let reused = env.http.post(oauth(&env)).form(&form).send().await.unwrap();
    assert_eq!(reused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        json(reused).await,
        json!({ "error": "invalid_grant", "error_description": "The refresh token is invalid, expired or signed out.", "retry_in_seconds": 0, "error_state": null })
    );
}

#[tokio::test]
async fn signout_kills_both_tokens_and_is_idempotent() {
    let env = start().await;
    let (access, refresh) = env.mb_tokens().await;
    let form = [("grant_type", "signout"), ("refresh_token", refresh.as_str())];
    let out = env.http.post(oauth(&env)).form(&form).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::OK);
    assert!(out.text().await.unwrap().is_empty());
    assert_eq!(env.mb_api(Method::GET, "/users/me", &access).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let again = [("grant_type", "refresh_token"), ("app_id", "Api"), ("refresh_token", refresh.as_str())];
    assert_eq!(env.http.post(oauth(&env)).form(&again).send().await.unwrap().status(), StatusCode::BAD_REQUEST);
    assert_eq!(env.http.post(oauth(&env)).form(&form).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn oauth_refuses_unknown_grants_and_non_form_bodies() {
    let env = start().await;
    let unknown = env
        .http
        .post(oauth(&env))
        .form(&[("grant_type", "client_credentials"), ("app_id", "Api")])
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(unknown).await["error"], "invalid_grant");
    let as_json = env.http.post(oauth(&env)).json(&json!({ "grant_type": "password" })).send().await.unwrap();
    assert_eq!(as_json.status(), StatusCode::BAD_REQUEST);
    assert!(json(as_json).await["error"].is_string());
}

fn meeting(env: &Env, id: &str, title: &str, hours_from_now: i64, minutes: i64) -> Value {
    let start = env.control().now() + Duration::hours(hours_from_now);
    json!({
        "Id": id, "Title": title, "Start": start.to_rfc3339(), "End": (start + Duration::minutes(minutes)).to_rfc3339(),
        "Location": "Room 1", "Purpose": "Testing",
        "Invitations": [
            { "User": { "Email": "taylor.fox@example.com" } },
            { "User": { "Email": "new.partner@client.example", "Name": "New Partner" }, "Status": 1 },
            { "User": { "Email": "casey.diaz@example.com" }, "IsCoHost": true },
        ],
        "SendInvitations": true,
    })
}

#[tokio::test]
async fn meetings_use_client_chosen_guids_and_pascal_case() {
    let env = start().await;
    let (access, _) = env.mb_tokens().await;
    let id = uuid::Uuid::new_v4().to_string().to_uppercase();
    let created = env
        .mb_api(Method::POST, "/meetings", &access)
        .json(&meeting(&env, &id, "Roadmap", 24, 60))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::OK, "MeetingBooster answers 200 for creates");
    let created = json(created).await;
    assert_eq!(created["Id"], id.as_str());
    assert_eq!(created["Host"]["Email"], env.cfg.meetingbooster.username.as_str());
    let emails: Vec<&str> =
        created["Invitations"].as_array().unwrap().iter().map(|i| i["User"]["Email"].as_str().unwrap()).collect();
    assert_eq!(
        emails,
        ["casey.diaz@example.com", "new.partner@client.example", "taylor.fox@example.com"],
        "sorted by e-mail"
    );
    assert_eq!(created["Invitations"][1]["Status"], "ACCEPTED", "enums accepted as integers");
    assert!(created["InvitationSendTime"].is_string());

    // Guids compare case-insensitively.
    let fetched =
        json(env.mb_api(Method::GET, &format!("/meetings/{}", id.to_lowercase()), &access).send().await.unwrap()).await;
    assert_eq!(fetched["Title"], "Roadmap");
    let duplicate = env
        .mb_api(Method::POST, "/meetings", &access)
        .json(&meeting(&env, &id, "Roadmap", 24, 60))
        .send()
        .await
        .unwrap();
    assert_eq!(duplicate.status(), StatusCode::CONFLICT);
    assert_eq!(env.control().meetingbooster_meetings_titled("Roadmap"), 1);

    let mut edit = fetched.clone();
    edit["Title"] = json!("Roadmap v2");
    let put = env.mb_api(Method::PUT, &format!("/meetings/{id}"), &access).json(&edit).send().await.unwrap();
    assert_eq!(put.status(), StatusCode::OK);
    assert_eq!(json(put).await["Title"], "Roadmap v2");
    let deleted = env.mb_api(Method::DELETE, &format!("/meetings/{id}"), &access).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::OK);
    assert!(deleted.text().await.unwrap().is_empty());
    let gone = env.mb_api(Method::GET, &format!("/meetings/{id}"), &access).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert!(json(gone).await["Message"].is_string());
}

#[tokio::test]
async fn meeting_validation_and_permissions() {
    let env = start().await;
    let (access, _) = env.mb_tokens().await;
    let id = uuid::Uuid::new_v4().to_string();
    let cases = [
        (meeting(&env, &id, "Backwards", 24, -30), "End must be after Start"),
        (meeting(&env, &id, "", 24, 30), "Title is required"),
        (
            {
                let mut m = meeting(&env, &id, "No id", 24, 30);
                m.as_object_mut().unwrap().remove("Id");
                m
            },
            "Id is required",
        ),
        (meeting(&env, "not-a-guid", "Bad id", 24, 30), "guid"),
    ];
    for (body, message) in cases {
        let response = env.mb_api(Method::POST, "/meetings", &access).json(&body).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{message}");
        assert!(json(response).await["Message"].as_str().unwrap().contains(message), "{message}");
    }
    let text = env
        .mb_api(Method::POST, "/meetings", &access)
        .header("Content-Type", "text/plain")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(text.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // Jordan hosts none of Alex's meetings and co-hosts none; Taylor co-hosts "Vendor selection: CRM".
    let jordan = json(env.mb_login("jordan.kim@example.com", "sandbox-password").await).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let sync = json(env.mb_api(Method::GET, "/mymeetings/sync", &access).send().await.unwrap()).await;
    let find = |title: &str| {
        sync["Meetings"].as_array().unwrap().iter().find(|m| m["Meeting"]["Title"] == title).unwrap()["Meeting"].clone()
    };
    let board = find("Board meeting preparation");
    let board_id = board["Id"].as_str().unwrap();
    let refused = env
        .mb_api(Method::PUT, &format!("/meetings/{board_id}"), &jordan)
        .json(&json!({ "Title": "Mine now" }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(json(refused).await["Message"].is_string());
    let taylor = json(env.mb_login("taylor.fox@example.com", "sandbox-password").await).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let vendor = find("Vendor selection: CRM");
    let ok = env
        .mb_api(Method::PUT, &format!("/meetings/{}", vendor["Id"].as_str().unwrap()), &taylor)
        .json(&json!({ "Location": "Room 9" }))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(
        env.mb_api(Method::DELETE, &format!("/meetings/{}", uuid::Uuid::new_v4()), &access)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn sync_reports_new_modified_and_deleted_meetings_since_a_token() {
    let env = start().await;
    let (access, _) = env.mb_tokens().await;
    let sync = |token: Option<String>, properties: Option<&'static str>| {
        let mut request = env.mb_api(Method::GET, "/mymeetings/sync", &access);
        if let Some(t) = token {
            request = request.query(&[("synctoken", t)]);
        }
        if let Some(p) = properties {
            request = request.query(&[("properties", p)]);
        }
        async move { json(request.send().await.unwrap()).await }
    };
    let first = sync(None, None).await;
    let entries = first["Meetings"].as_array().unwrap();
    assert_eq!(entries.len(), 6, "hosted and invited");
    assert!(
        entries.iter().all(|e| e["State"] == "NEW" && e["ClientSyncId"].is_string() && e["LastModified"].is_string())
    );
    assert!(entries.iter().any(|e| e["Meeting"]["Id"].is_i64()), "one legacy integer id");
    for key in ["CalendarEntries", "CalendarRecurrences", "MeetingRecurrences"] {
        assert_eq!(first[key], json!([]));
    }
    let token = first["SyncToken"].as_str().unwrap().to_string();
    assert_eq!(sync(Some(token.clone()), None).await["Meetings"], json!([]));

    let id = uuid::Uuid::new_v4().to_string();
    env.mb_api(Method::POST, "/meetings", &access).json(&meeting(&env, &id, "Synced", 30, 30)).send().await.unwrap();
    let after_create = sync(Some(token.clone()), None).await;
    assert_eq!(after_create["Meetings"][0]["State"], "NEW");
    let token = after_create["SyncToken"].as_str().unwrap().to_string();

    env.mb_api(Method::PUT, &format!("/meetings/{id}"), &access)
        .json(&json!({ "Location": "Elsewhere" }))
        .send()
        .await
        .unwrap();
    assert_eq!(sync(Some(token.clone()), None).await["Meetings"], json!([]), "Location is not a sync property");
    env.mb_api(Method::PUT, &format!("/meetings/{id}"), &access)
        .json(&json!({ "Title": "Synced v2" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        sync(Some(token.clone()), Some("Start,End")).await["Meetings"],
        json!([]),
        "only the listed properties count"
    );
    let modified = sync(Some(token.clone()), Some("Title")).await;
    assert_eq!(modified["Meetings"][0]["State"], "MODIFIED");
    let token = modified["SyncToken"].as_str().unwrap().to_string();

    env.mb_api(Method::DELETE, &format!("/meetings/{id}"), &access).send().await.unwrap();
    let deleted = sync(Some(token), None).await;
    assert_eq!(deleted["Meetings"][0]["State"], "DELETED");
    assert_eq!(
        sync(Some("unknown-token".into()), None).await["Meetings"].as_array().unwrap().len(),
        6,
        "an unknown token is a full sync"
    );
    let bad =
        env.mb_api(Method::GET, "/mymeetings/sync", &access).query(&[("properties", "Colour")]).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn sync_commit_applies_changes_all_or_nothing_and_never_duplicates() {
    let env = start().await;
    let (access, _) = env.mb_tokens().await;
    let id = uuid::Uuid::new_v4().to_string();
    let commit = |entries: Value| {
        env.mb_api(Method::POST, "/mymeetings/synccommit", &access)
            .json(&json!({ "Meetings": entries, "SyncToken": "x" }))
            .send()
    };
    let new =
        json!([{ "ClientSyncId": "client-1", "State": "NEW", "Meeting": meeting(&env, &id, "Committed", 40, 30) }]);
    let first = json(commit(new.clone()).await.unwrap()).await;
    assert_eq!(first["Meetings"][0]["State"], "NEW");
    assert!(first["SyncToken"].is_string());
    let retried = commit(new).await.unwrap();
    assert_eq!(retried.status(), StatusCode::OK);
    assert_eq!(env.control().meetingbooster_meetings_titled("Committed"), 1, "a retried NEW is not a duplicate");

    let mixed = json!([
        { "ClientSyncId": "client-1", "State": "MODIFIED", "Meeting": { "Title": "Committed v2" } },
        { "ClientSyncId": "client-2", "State": "NEW", "Meeting": meeting(&env, &uuid::Uuid::new_v4().to_string(), "Broken", 40, -30) },
    ]);
    assert_eq!(commit(mixed).await.unwrap().status(), StatusCode::BAD_REQUEST);
    assert_eq!(env.control().meetingbooster_meetings_titled("Committed"), 1, "nothing applied");

    let delete = json!([{ "ClientSyncId": "client-1", "State": "DELETED" }]);
    assert_eq!(json(commit(delete.clone()).await.unwrap()).await["Meetings"][0]["State"], "DELETED");
    assert_eq!(commit(delete).await.unwrap().status(), StatusCode::OK, "deleting twice is fine");
    assert_eq!(env.control().meetingbooster_meetings_titled("Committed"), 0);
}

#[tokio::test]
async fn users_tasks_and_unknown_routes() {
    let env = start().await;
    let (access, _) = env.mb_tokens().await;
    let users = json(env.mb_api(Method::GET, "/users", &access).send().await.unwrap()).await;
    let users = users.as_array().unwrap();
    assert!(users.iter().any(|u| u["Guest"] == true) && users.iter().any(|u| u["Enabled"] == false));
    let id = users[1]["Id"].as_str().unwrap();
    assert_eq!(json(env.mb_api(Method::GET, &format!("/users/{id}"), &access).send().await.unwrap()).await["Id"], id);
    assert_eq!(env.mb_api(Method::GET, "/users/nobody", &access).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(json(env.mb_api(Method::GET, "/mytasks/sync", &access).send().await.unwrap()).await["Tasks"], json!([]));
    let webhooks = env.mb_api(Method::GET, "/webhooks", &access).send().await.unwrap();
    assert_eq!(webhooks.status(), StatusCode::NOT_FOUND);
    assert!(json(webhooks).await["Message"].is_string());
    let wrong = env.mb_api(Method::PATCH, "/users", &access).send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        env.http.get(format!("{}/api/v1/users", env.cfg.meetingbooster.server)).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
}
