//! Starting a sandbox for one test, and the steps most tests share.

use std::collections::HashMap;

use launcher_sandbox::{Controls, Sandbox, SandboxConfig, SandboxOptions};
use reqwest::{Response, StatusCode};
use serde_json::Value;

pub struct Env {
    pub sandbox: Sandbox,
    pub http: reqwest::Client,
    pub cfg: SandboxConfig,
}

pub async fn start() -> Env {
    start_with(SandboxOptions { auto_approve: true, ..SandboxOptions::default() }).await
}

pub async fn start_with(options: SandboxOptions) -> Env {
    let sandbox = Sandbox::start(options).await.expect("the sandbox starts on a free loopback port");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .unwrap();
    let cfg = sandbox.config().clone();
    Env { sandbox, http, cfg }
}

/// The query (or, failing that, fragment) parameters of a URL.
pub fn params(url: &str) -> HashMap<String, String> {
    let parsed = url::Url::parse(url).expect("an absolute URL");
    let mut out: HashMap<String, String> = parsed.query_pairs().into_owned().collect();
    if let Some(fragment) = parsed.fragment() {
        out.extend(url::form_urlencoded::parse(fragment.as_bytes()).into_owned());
    }
    out
}

pub fn location(response: &Response) -> String {
    response.headers().get("location").expect("a Location header").to_str().unwrap().to_string()
}

pub async fn json(response: Response) -> Value {
    let status = response.status();
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("expected JSON ({status}): {e}: {text}"))
}

impl Env {
    pub fn control(&self) -> Controls<'_> {
        self.sandbox.control()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.cfg.sandbox.base)
    }

    pub async fn authorize(&self, response_type: &str, client_id: &str, scope: &str, state: &str) -> Response {
        let query = [
            ("response_type", response_type),
            ("client_id", client_id),
            ("scope", scope),
            ("redirect_uri", self.cfg.joinme.redirect_uri.as_str()),
            ("state", state),
        ];
        self.http.get(format!("{}/oauth2", self.cfg.joinme.auth_base)).query(&query).send().await.unwrap()
    }

    /// An authorization code for the launcher's key, approved as the default user.
    pub async fn joinme_code(&self, scope: &str) -> String {
        let response = self.authorize("code", &self.cfg.joinme.client_id, scope, "st").await;
        assert_eq!(response.status(), StatusCode::FOUND);
        params(&location(&response))["code"].clone()
    }

    pub async fn exchange(&self, code: &str) -> Response {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("client_id", &self.cfg.joinme.client_id),
            ("client_secret", &self.cfg.joinme.client_secret),
            ("redirect_uri", &self.cfg.joinme.redirect_uri),
        ];
        self.http.post(format!("{}/token", self.cfg.joinme.auth_base)).form(&form).send().await.unwrap()
    }

    pub async fn refresh(&self, refresh_token: &str) -> Response {
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", &self.cfg.joinme.client_id),
            ("client_secret", &self.cfg.joinme.client_secret),
        ];
        self.http.post(format!("{}/token", self.cfg.joinme.auth_base)).form(&form).send().await.unwrap()
    }

    /// (access token, refresh token) from the code grant with every scope.
    pub async fn joinme_tokens(&self) -> (String, String) {
        let code = self.joinme_code("user_info scheduler start_meeting").await;
        let body = json(self.exchange(&code).await).await;
        (body["access_token"].as_str().unwrap().into(), body["refresh_token"].as_str().unwrap().into())
    }

    pub fn joinme_api(&self, method: reqwest::Method, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.cfg.joinme.api_base))
            .bearer_auth(token)
            .header("Content-Type", "application/json")
    }

    pub async fn mb_login(&self, username: &str, password: &str) -> Response {
        let form = [("grant_type", "password"), ("app_id", "Api"), ("username", username), ("password", password)];
        self.http.post(format!("{}/oauth", self.cfg.meetingbooster.server)).form(&form).send().await.unwrap()
    }

    /// (access, refresh) for the default MeetingBooster user.
    pub async fn mb_tokens(&self) -> (String, String) {
        let body =
            json(self.mb_login(&self.cfg.meetingbooster.username, &self.cfg.meetingbooster.password).await).await;
        (body["access_token"].as_str().unwrap().into(), body["refresh_token"].as_str().unwrap().into())
    }

    pub fn mb_api(&self, method: reqwest::Method, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.http.request(method, format!("{}/api/v1{path}", self.cfg.meetingbooster.server)).bearer_auth(token)
    }

    pub async fn joindin_token(&self) -> String {
        let body = serde_json::json!({
            "grant_type": "password",
            "username": self.cfg.joindin.username,
            "password": self.cfg.joindin.password,
            "client_id": self.cfg.joindin.client_id,
            "client_secret": self.cfg.joindin.client_secret,
        });
        let response =
            self.http.post(format!("{}/v2.1/token", self.cfg.joindin.api_base)).json(&body).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        json(response).await["access_token"].as_str().expect("a token that is not coerced to a number").into()
    }

    pub fn joindin(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, format!("{}/v2.1{path}", self.cfg.joindin.api_base))
    }
}
