//! joind.in: the password grant in the server's order of checks, oauth_allow, anonymous and signed-in reads,
//! attending, the error array, and numeric coercion.

use launcher_sandbox::SandboxOptions;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::support::{Env, json, location, params, start, start_with};

async fn error_of(response: reqwest::Response) -> (StatusCode, Vec<String>) {
    let status = response.status();
    let body: Vec<String> = serde_json::from_str(&response.text().await.unwrap()).expect("a JSON array of one string");
    assert_eq!(body.len(), 1);
    (status, body)
}

fn token_body(env: &Env) -> Value {
    json!({
        "grant_type": "password", "username": env.cfg.joindin.username, "password": env.cfg.joindin.password,
        "client_id": env.cfg.joindin.client_id, "client_secret": env.cfg.joindin.client_secret,
    })
}

#[tokio::test]
async fn password_grant_checks_in_the_servers_order() {
    let env = start().await;
    let post = |body: Value| env.joindin(Method::POST, "/token").json(&body).send();
    let ok = post(token_body(&env)).await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(ok.headers()["content-type"], "application/json; charset=utf8");
    let ok = json(ok).await;
    let token = ok["access_token"].as_str().expect("never numeric-looking by default");
    assert_eq!(token.len(), 16);
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(ok["user_uri"].as_str().unwrap().ends_with("/v2.1/users/2101"));
    assert!(ok.get("expires_in").is_none() && ok.get("refresh_token").is_none());

    let with = |changes: Value| {
        let mut body = token_body(&env);
        for (k, v) in changes.as_object().unwrap() {
            if v.is_null() {
                body.as_object_mut().unwrap().remove(k);
            } else {
                body[k] = v.clone();
            }
        }
        body
    };
    let cases = [
        (with(json!({ "grant_type": null })), StatusCode::BAD_REQUEST, "The field \"grant_type\" is required"),
        (
            with(json!({ "password": null })),
            StatusCode::BAD_REQUEST,
            "The fields \"username\" and \"password\" are both required",
        ),
        (with(json!({ "grant_type": "client_credentials" })), StatusCode::BAD_REQUEST, "Grant type not recognised"),
        (
            with(json!({ "client_id": "web-only-consumer-key", "client_secret": "web-only-consumer-secret" })),
            StatusCode::FORBIDDEN,
            "This client cannot authenticate using the password grant type",
        ),
        (with(json!({ "username": "newcomer" })), StatusCode::UNAUTHORIZED, "Not verified"),
        (with(json!({ "password": "wrong" })), StatusCode::FORBIDDEN, "Signin failed"),
    ];
    for (body, status, message) in cases {
        assert_eq!(error_of(post(body).await.unwrap()).await, (status, vec![message.to_string()]));
    }
}

#[tokio::test]
async fn bodies_count_only_with_exactly_application_json() {
    let env = start().await;
    let body = token_body(&env).to_string();
    for content_type in ["application/json; charset=utf-8", "application/x-www-form-urlencoded", "text/plain"] {
        let response = env
            .joindin(Method::POST, "/token")
            .header("Content-Type", content_type)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(error_of(response).await.1, ["The field \"grant_type\" is required"], "{content_type}");
    }
    let malformed = env
        .joindin(Method::POST, "/token")
        .header("Content-Type", "application/json")
        .body("{\"grant_type\":")
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(malformed).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn oauth_allow_returns_token_and_state_in_the_callback_query() {
    let env = start().await;
    let allow = |callback: &str| {
        env.http
            .get(format!("{}/user/oauth_allow", env.cfg.joindin.web_base))
            .query(&[("api_key", env.cfg.joindin.api_key.as_str()), ("callback", callback), ("state", "jd-state")])
            .send()
    };
    let response = allow(&env.cfg.joindin.callback).await.unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    let to = location(&response);
    assert!(to.starts_with(&format!("{}?", env.cfg.joindin.callback)) && !to.contains('#'));
    let p = params(&to);
    assert_eq!(p["state"], "jd-state");
    let events = json(env.joindin(Method::GET, "/events").bearer_auth(&p["access_token"]).send().await.unwrap()).await;
    assert!(events["meta"]["user_uri"].as_str().unwrap().ends_with("/users/2101"));

    // The callback must match exactly, port included, unless the switch says otherwise.
    let other_port = "http://127.0.0.1:40999/cb/joindin";
    assert_eq!(allow(other_port).await.unwrap().status(), StatusCode::BAD_REQUEST);
    env.control().update_switches(|s| s.joindin_loopback_any_port = true);
    assert_eq!(allow(other_port).await.unwrap().status(), StatusCode::FOUND);
    let unknown = env
        .http
        .get(format!("{}/user/oauth_allow", env.cfg.joindin.web_base))
        .query(&[("api_key", "nope"), ("callback", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn oauth_allow_page_signs_in_and_denies() {
    let env = start_with(SandboxOptions::default()).await;
    let url = format!("{}/user/oauth_allow", env.cfg.joindin.web_base);
    let page = env
        .http
        .get(&url)
        .query(&[("api_key", env.cfg.joindin.api_key.as_str()), ("callback", &env.cfg.joindin.callback)])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Approve"));
    let form = |login: &str, decision: &str| {
        vec![
            ("api_key", env.cfg.joindin.api_key.clone()),
            ("callback", env.cfg.joindin.callback.clone()),
            ("state", "s".to_string()),
            ("login", login.to_string()),
            ("password", "sandbox-password".to_string()),
            ("decision", decision.to_string()),
        ]
    };
    let unverified = env.http.post(&url).form(&form("newcomer", "approve")).send().await.unwrap();
    assert!(unverified.text().await.unwrap().contains("verify"));
    let denied = location(&env.http.post(&url).form(&form("alexmorgan", "deny")).send().await.unwrap());
    assert_eq!(params(&denied)["error"], "access_denied");
    let approved = location(&env.http.post(&url).form(&form("alexmorgan", "approve")).send().await.unwrap());
    assert!(params(&approved).contains_key("access_token"));
}

#[tokio::test]
async fn authorization_headers_follow_the_servers_rules() {
    let env = start().await;
    let token = env.joindin_token().await;
    let events = |auth: Option<String>| {
        let mut r = env.joindin(Method::GET, "/events");
        if let Some(a) = auth {
            r = r.header("Authorization", a);
        }
        r.send()
    };
    let anonymous = json(events(None).await.unwrap()).await;
    assert!(anonymous["meta"].get("user_uri").is_none());
    let signed_in = json(events(Some(format!("Bearer {token}"))).await.unwrap()).await;
    assert!(signed_in["meta"]["user_uri"].is_string());
    assert!(
        json(events(Some(format!("oauth {token}"))).await.unwrap()).await["meta"]["user_uri"].is_string(),
        "the older word works"
    );
    let unknown = json(events(Some("Bearer 0123456789abcdef".into())).await.unwrap()).await;
    assert!(unknown["meta"].get("user_uri").is_none(), "an unknown token is anonymous, not an error");
    assert_eq!(
        error_of(events(Some(format!("Bearer {token} extra"))).await.unwrap()).await.1,
        ["Invalid Authorization Header"]
    );
    assert_eq!(
        error_of(events(Some(format!("Basic {token}"))).await.unwrap()).await.1,
        ["Unknown Authorization Header Received"]
    );
}

#[tokio::test]
async fn events_are_filtered_paged_and_carry_no_id() {
    let env = start().await;
    let list = |query: &[(&str, &str)]| {
        let r = env.joindin(Method::GET, "/events").query(query).send();
        async move { json(r.await.unwrap()).await }
    };
    let all = list(&[]).await;
    assert_eq!(all["meta"]["total"], 5, "approved events only");
    assert_eq!(list(&[("filter", "upcoming")]).await["meta"]["total"], 3);
    assert_eq!(list(&[("filter", "past")]).await["meta"]["total"], 2);
    assert_eq!(list(&[("filter", "cfp")]).await["meta"]["total"], 2);
    assert_eq!(list(&[("title", "summit")]).await["events"][0]["name"], "Remote Work Summit");
    assert_eq!(list(&[("stub", "ddsyd")]).await["meta"]["total"], 1);
    assert_eq!(list(&[("tags[]", "php"), ("tags[]", "rust")]).await["meta"]["total"], 2);
    let (status, message) =
        error_of(env.joindin(Method::GET, "/events").query(&[("filter", "pending")]).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{message:?}");

    let page = list(&[("resultsperpage", "2"), ("start", "2")]).await;
    assert_eq!(page["meta"]["count"], 2);
    assert!(page["meta"]["next_page"].as_str().unwrap().contains("start=4"));
    assert!(page["meta"]["prev_page"].as_str().unwrap().contains("start=0"));
    assert!(list(&[("resultsperpage", "0")]).await["meta"].get("next_page").is_none());

    let event = &all["events"].as_array().unwrap().iter().find(|e| e["stub"] == "rustconfeu").unwrap().clone();
    assert!(event.get("id").is_none());
    assert!(event["uri"].as_str().unwrap().ends_with("/events/6001"));
    assert!(event["start_date"].as_str().unwrap().ends_with("+01:00"), "in the event's zone");
    assert!(event["attendee_count"].is_number(), "numeric strings arrive as numbers");

    let one = json(env.joindin(Method::GET, "/events/6001").query(&[("verbose", "yes")]).send().await.unwrap()).await;
    assert_eq!(one["events"].as_array().unwrap().len(), 1, "a single item is still a list");
    assert!(one["events"][0]["latitude"].is_f64());
    assert_eq!(
        error_of(env.joindin(Method::GET, "/events/6099").send().await.unwrap()).await,
        (StatusCode::NOT_FOUND, vec!["Event not found".into()])
    );
}

#[tokio::test]
async fn numeric_coercion_spares_only_the_exempt_keys() {
    let env = start().await;
    let users = json(env.joindin(Method::GET, "/users").query(&[("username", "room1337")]).send().await.unwrap()).await;
    assert_eq!(users["users"][0]["full_name"], 1337);
    assert_eq!(users["users"][0]["username"], "room1337");
    env.control().update_switches(|s| s.joindin_numeric_coercion = false);
    let users = json(env.joindin(Method::GET, "/users").query(&[("username", "room1337")]).send().await.unwrap()).await;
    assert_eq!(users["users"][0]["full_name"], "1337");

    env.control().update_switches(|s| {
        s.joindin_numeric_coercion = true;
        s.joindin_numeric_tokens = true;
    });
    let body = json(env.joindin(Method::POST, "/token").json(&token_body(&env)).send().await.unwrap()).await;
    assert!(body["access_token"].is_number(), "a numeric-looking token is coerced, as the real server does");
}

#[tokio::test]
async fn talks_comments_and_stars() {
    let env = start().await;
    let token = env.joindin_token().await;
    let talks = json(env.joindin(Method::GET, "/events/6001/talks").send().await.unwrap()).await;
    assert_eq!(talks["meta"]["total"], 3);
    assert!(talks["talks"][0]["id"].is_u64());
    assert_eq!(
        error_of(env.joindin(Method::GET, "/talks").send().await.unwrap()).await,
        (StatusCode::METHOD_NOT_ALLOWED, vec!["Generic talks listing not supported".into()])
    );
    assert_eq!(
        json(env.joindin(Method::GET, "/talks").query(&[("title", "egui")]).send().await.unwrap()).await["meta"]["total"],
        1
    );
    assert_eq!(error_of(env.joindin(Method::GET, "/talks/1").send().await.unwrap()).await.1, ["Talk not found"]);

    let starred = env.joindin(Method::POST, "/talks/7002/starred").bearer_auth(&token).send().await.unwrap();
    assert_eq!(starred.status(), StatusCode::CREATED);
    assert!(starred.headers().contains_key("location"));
    assert!(starred.text().await.unwrap().is_empty());
    assert_eq!(
        json(env.joindin(Method::GET, "/talks/7002/starred").bearer_auth(&token).send().await.unwrap()).await["has_starred"],
        true
    );
    assert_eq!(
        env.joindin(Method::DELETE, "/talks/7002/starred").bearer_auth(&token).send().await.unwrap().status(),
        StatusCode::RESET_CONTENT
    );
    assert_eq!(
        json(env.joindin(Method::GET, "/talks/7002/starred").bearer_auth(&token).send().await.unwrap()).await["has_starred"],
        false
    );

    let comment = env
        .joindin(Method::POST, "/talks/7002/comments")
        .bearer_auth(&token)
        .json(&json!({ "comment": "Great", "rating": 5 }))
        .send()
        .await
        .unwrap();
    assert_eq!(comment.status(), StatusCode::CREATED);
    let missing = env
        .joindin(Method::POST, "/talks/7002/comments")
        .bearer_auth(&token)
        .json(&json!({ "comment": "No rating" }))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(missing).await.0, StatusCode::BAD_REQUEST);
    let comments = json(env.joindin(Method::GET, "/talks/7002/comments").send().await.unwrap()).await;
    assert_eq!(comments["comments"][0]["comment"], "Great");
    assert_eq!(comments["comments"][0]["rating"], 5);
    assert_eq!(
        error_of(env.joindin(Method::GET, "/talks/7002/nonsense").send().await.unwrap()).await.1,
        ["Unknown Subrequest"]
    );
}

#[tokio::test]
async fn attending_and_unattending() {
    let env = start().await;
    let token = env.joindin_token().await;
    let attending = |t: Option<&str>| {
        let mut r = env.joindin(Method::GET, "/events/6002/attending");
        if let Some(t) = t {
            r = r.bearer_auth(t);
        }
        async move { json(r.send().await.unwrap()).await["is_attending"].clone() }
    };
    assert_eq!(attending(Some(&token)).await, false);
    let posted = env.joindin(Method::POST, "/events/6002/attending").bearer_auth(&token).send().await.unwrap();
    assert_eq!(posted.status(), StatusCode::CREATED);
    assert!(posted.headers()["location"].to_str().unwrap().ends_with("/events/6002/attendees"));
    assert!(posted.text().await.unwrap().is_empty());
    assert_eq!(attending(Some(&token)).await, true);
    assert_eq!(attending(None).await, false);
    let attended = json(env.joindin(Method::GET, "/users/2101/attended").send().await.unwrap()).await;
    assert!(attended["events"].as_array().unwrap().iter().any(|e| e["stub"] == "rws"));

    let deleted = env.joindin(Method::DELETE, "/events/6002/attending").bearer_auth(&token).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::OK);
    assert!(deleted.headers().contains_key("location"));
    assert_eq!(attending(Some(&token)).await, false);

    let anonymous = env.joindin(Method::POST, "/events/6002/attending").send().await.unwrap();
    assert_eq!(
        anonymous.headers()["www-authenticate"],
        "Bearer realm=\"api.joind.in",
        "the server's unterminated realm"
    );
    assert_eq!(
        error_of(anonymous).await,
        (StatusCode::UNAUTHORIZED, vec!["You must be logged in to create data".into()])
    );
    let anonymous = env.joindin(Method::DELETE, "/events/6002/attending").send().await.unwrap();
    assert_eq!(error_of(anonymous).await.1, ["You must be logged in to delete data"]);
}

#[tokio::test]
async fn users_and_their_sub_resources() {
    let env = start().await;
    let unknown = env.joindin(Method::GET, "/users/999999").send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::OK);
    let unknown = json(unknown).await;
    assert_eq!(
        (unknown["users"].clone(), unknown["meta"]["count"].clone(), unknown["meta"]["total"].clone()),
        (json!([]), json!(0), json!(0))
    );
    assert_eq!(
        error_of(env.joindin(Method::GET, "/users").query(&[("username", "nobody")]).send().await.unwrap()).await,
        (StatusCode::NOT_FOUND, vec!["Username not found".into()])
    );
    let alex = json(env.joindin(Method::GET, "/users/2101").send().await.unwrap()).await;
    assert!(alex["users"][0]["attended_events_uri"].as_str().unwrap().ends_with("/users/2101/attended/"));
    assert_eq!(
        json(env.joindin(Method::GET, "/users/2101/hosted").send().await.unwrap()).await["events"][0]["stub"],
        "rws"
    );
    assert_eq!(json(env.joindin(Method::GET, "/users/2101/talks").send().await.unwrap()).await["meta"]["total"], 1);
    assert_eq!(
        error_of(env.joindin(Method::GET, "/users/2101/friends").send().await.unwrap()).await,
        (StatusCode::NOT_FOUND, vec!["Unknown Subrequest".into()])
    );
    let token = env.joindin_token().await;
    let me = json(
        env.joindin(Method::GET, "/users/2101").query(&[("verbose", "yes")]).bearer_auth(&token).send().await.unwrap(),
    )
    .await;
    assert_eq!(me["users"][0]["email"], "alexmorgan@example.com");
    assert_eq!(me["users"][0]["gravatar_hash"].as_str().unwrap().len(), 32);
}

#[tokio::test]
async fn versions_unknown_endpoints_and_methods() {
    let env = start().await;
    let base = &env.cfg.joindin.api_base;
    let get = |path: &str| env.http.get(format!("{base}{path}")).send();
    assert_eq!(
        error_of(get("/v2/events").await.unwrap()).await,
        (StatusCode::BAD_REQUEST, vec!["This API version is no longer supported. Please use v2.1".into()])
    );
    assert_eq!(
        error_of(get("/v3/events").await.unwrap()).await,
        (StatusCode::NOT_FOUND, vec!["API version must be specified".into()])
    );
    assert_eq!(
        error_of(get("/v2.1/widgets").await.unwrap()).await,
        (StatusCode::NOT_FOUND, vec!["Endpoint not found".into()])
    );
    let put = env.joindin(Method::PUT, "/users").send().await.unwrap();
    assert_eq!(error_of(put).await, (StatusCode::METHOD_NOT_ALLOWED, vec!["Method not supported".into()]));
    let root = get("/v2.1/").await.unwrap();
    assert_eq!(root.headers()["access-control-allow-origin"], "*");
    let root = json(root).await;
    for key in ["events", "hot-events", "upcoming-events", "past-events", "open-cfps", "docs"] {
        assert!(root[key].is_string(), "{key}");
    }
    assert_eq!(error_of(env.joindin(Method::GET, "/token").send().await.unwrap()).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn idle_tokens_expire_when_switched_on() {
    let env = start().await;
    env.control().update_switches(|s| s.joindin_token_idle_secs = Some(3600));
    let token = env.joindin_token().await;
    env.control().advance_clock(chrono::Duration::minutes(30));
    let seen = json(env.joindin(Method::GET, "/events").bearer_auth(&token).send().await.unwrap()).await;
    assert!(seen["meta"]["user_uri"].is_string());
    env.control().advance_clock(chrono::Duration::minutes(61));
    let gone = json(env.joindin(Method::GET, "/events").bearer_auth(&token).send().await.unwrap()).await;
    assert!(gone["meta"].get("user_uri").is_none(), "the only sign of a dead token is a missing user_uri");
}
