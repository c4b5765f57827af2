//! A test "browser": it follows the authorization URL with plain HTTP, as a person's browser would, including
//! the page that relays an implicit grant's fragment (which a real browser does with JavaScript).

use std::sync::{Arc, Mutex};

use launcher_engine::auth::BrowserOpener;
use tokio::sync::mpsc;
use url::Url;

/// What the browser does with the authorization URL.
#[derive(Clone)]
pub enum Behaviour {
    /// Approve (the sandbox auto-approves) and follow back to the app.
    Follow,
    /// Sign in on the consent page and press Deny.
    Deny,
    /// Follow, but first send stray requests to the listener: a favicon, and a callback with a forged state.
    StrayFirst,
    /// Follow, but replace the token in the fragment with this one (another application's).
    SubstituteToken(String),
    /// Do nothing (the user walked away).
    Ignore,
    /// Follow, then visit the callback a second time (a replay).
    Replay,
}

/// The last page the browser showed, and every URL it visited.
#[derive(Debug, Clone, Default)]
pub struct Visit {
    pub status: u16,
    pub body: String,
    pub url: String,
}

pub struct TestBrowser {
    behaviour: Behaviour,
    runtime: tokio::runtime::Handle,
    pub visits: Arc<Mutex<Vec<Visit>>>,
    done: mpsc::UnboundedSender<Visit>,
}

impl TestBrowser {
    pub fn new(behaviour: Behaviour) -> (Arc<Self>, mpsc::UnboundedReceiver<Visit>) {
        let (done, rx) = mpsc::unbounded_channel();
        let browser =
            Arc::new(Self { behaviour, runtime: tokio::runtime::Handle::current(), visits: Arc::default(), done });
        (browser, rx)
    }
}

impl BrowserOpener for TestBrowser {
    fn open(&self, url: &Url) -> Result<(), String> {
        if matches!(self.behaviour, Behaviour::Ignore) {
            return Ok(());
        }
        let (behaviour, visits, done, url) =
            (self.behaviour.clone(), self.visits.clone(), self.done.clone(), url.clone());
        self.runtime.spawn(async move {
            let last = follow(behaviour, url, visits).await;
            let _ = done.send(last);
        });
        Ok(())
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn visit(
    visits: &Mutex<Vec<Visit>>,
    response: Result<reqwest::Response, reqwest::Error>,
    url: &str,
) -> (Visit, Option<String>) {
    let v = match response {
        Ok(r) => {
            let location = r.headers().get("location").and_then(|l| l.to_str().ok()).map(str::to_string);
            let status = r.status().as_u16();
            let body = r.text().await.unwrap_or_default();
            let v = Visit { status, body, url: url.to_string() };
            visits.lock().unwrap().push(v.clone());
            return (v, location);
        }
        Err(e) => Visit { status: 0, body: format!("connection failed: {e}"), url: url.to_string() },
    };
    visits.lock().unwrap().push(v.clone());
    (v, None)
}

async fn follow(behaviour: Behaviour, url: Url, visits: Arc<Mutex<Vec<Visit>>>) -> Visit {
    let http = client();
    let (page, mut location) = visit(&visits, http.get(url.clone()).send().await, url.as_str()).await;
    if matches!(behaviour, Behaviour::Deny) {
        // The consent page: post its form back with Deny.
        let mut form: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        form.push(("decision".into(), "deny".into()));
        let action = url.as_str().split('?').next().unwrap().to_string();
        let (_, loc) = visit(&visits, http.post(&action).form(&form).send().await, &action).await;
        location = loc;
    }
    let Some(callback) = location else { return page };
    let mut callback = Url::parse(&callback).unwrap();
    let origin = format!("http://{}:{}", callback.host_str().unwrap(), callback.port().unwrap());
    if matches!(behaviour, Behaviour::StrayFirst) {
        let favicon = format!("{origin}/favicon.ico");
        visit(&visits, http.get(&favicon).send().await, &favicon).await;
        let forged = format!("{origin}{}?code=forged&state=forged", callback.path());
        visit(&visits, http.get(&forged).send().await, &forged).await;
    }
    if let Some(fragment) = callback.fragment().map(str::to_string) {
        let mut fragment = fragment;
        if let Behaviour::SubstituteToken(token) = &behaviour {
            let pairs: Vec<(String, String)> = url::form_urlencoded::parse(fragment.as_bytes())
                .map(|(k, v)| (k.to_string(), if k == "access_token" { token.clone() } else { v.to_string() }))
                .collect();
            fragment = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        }
        callback.set_fragment(None);
        // The relay page, then what its script does.
        let (relay, _) = visit(&visits, http.get(callback.as_str()).send().await, callback.as_str()).await;
        assert!(relay.body.contains("location.hash"), "the loopback page relays the fragment");
        let (last, _) = visit(
            &visits,
            http.post(callback.as_str()).form(&[("fragment", fragment)]).send().await,
            callback.as_str(),
        )
        .await;
        return last;
    }
    let (last, _) = visit(&visits, http.get(callback.as_str()).send().await, callback.as_str()).await;
    if matches!(behaviour, Behaviour::Replay) {
        visit(&visits, http.get(callback.as_str()).send().await, callback.as_str()).await;
    }
    last
}
