//! A browser sign-in from start to end: bind the loopback listener, build the authorization URL (with a fresh
//! `state`, and PKCE for the code grant), open the browser, then wait for the one valid answer, a timeout or a
//! cancel. The browser tab is told "signed in" only once the app really is.

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;

use oauth2::{CsrfToken, PkceCodeChallenge};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use url::Url;

use super::error::AuthError;
pub use super::loopback::PasteHandle;
use super::loopback::{self, Callback, Listener};
use super::{AccountStatus, pages};
use crate::ports::BrowserOpener;
use crate::providers::{Endpoints, Provider, ProviderError, joindin, joinme};
use launcher_core::secret::Secret;

/// What kind of answer the flow waits for.
enum Kind {
    JoinmeCode { verifier: Secret },
    JoinmeImplicit,
    JoindinBrowser,
}

/// What a valid answer carried, for the auth layer to turn into a session.
pub enum Answer {
    JoinmeCode { code: Secret, redirect_uri: String, verifier: Secret },
    JoinmeImplicit { token: Secret },
    Joindin { token: Secret },
}

/// Turns an answer into a signed-in account: the auth layer's side of the flow, passed in so this module does
/// not reach back into it.
pub type Complete = Arc<dyn Fn(Answer) -> BoxFuture<'static, Result<AccountStatus, ProviderError>> + Send + Sync>;

/// What a flow needs to start.
pub struct Start<'a> {
    pub provider: Provider,
    pub endpoints: &'a Endpoints,
    pub browser: &'a dyn BrowserOpener,
    pub timeout: Duration,
    pub complete: Complete,
}

/// A browser sign-in in progress.
pub struct BrowserSignIn {
    pub provider: Provider,
    /// The authorization URL: open it, show it, let the user copy it.
    pub url: Url,
    /// Why the browser did not open, if it did not (the flow still waits).
    pub browser_error: Option<String>,
    /// The loopback redirect URI the answer will come to.
    pub redirect_uri: String,
    paste: PasteHandle,
    cancel: CancelHandle,
    task: JoinHandle<Result<AccountStatus, AuthError>>,
}

/// Cancels a sign-in from anywhere (the GUI's Cancel button).
#[derive(Clone)]
pub struct CancelHandle(watch::Sender<bool>);

impl CancelHandle {
    pub fn cancel(&self) {
        let _ = self.0.send(true);
    }
}

impl BrowserSignIn {
    pub fn cancel_handle(&self) -> CancelHandle {
        self.cancel.clone()
    }

    /// For pasting the address the browser ended on, when it could not reach this machine.
    pub fn paste_handle(&self) -> PasteHandle {
        self.paste.clone()
    }

    /// Waits for the outcome. The listener is closed (its port free) when this returns.
    pub async fn finish(self) -> Result<AccountStatus, AuthError> {
        match self.task.await {
            Ok(result) => result,
            Err(_) => Err(AuthError::Cancelled { provider: self.provider }),
        }
    }
}

pub async fn start(start: Start<'_>) -> Result<BrowserSignIn, AuthError> {
    let Start { provider, endpoints, browser, timeout, complete } = start;
    let state = Secret::new(CsrfToken::new_random().secret().clone());
    let (listener, url, kind) = match provider {
        Provider::Joinme => {
            let ep = endpoints.joinme()?;
            // A distinct callback path per service defends against mix-up (RFC 9700 §4.4).
            let listener = loopback::bind(provider, ep.callback_port, "/cb/joinme").await?;
            if ep.client_secret.is_some() {
                let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
                let url =
                    joinme::authorize_url(ep, false, &listener.redirect_uri, state.expose(), Some(challenge.as_str()));
                (listener, url, Kind::JoinmeCode { verifier: Secret::new(verifier.secret().clone()) })
            } else {
                let url = joinme::authorize_url(ep, true, &listener.redirect_uri, state.expose(), None);
                (listener, url, Kind::JoinmeImplicit)
            }
        }
        Provider::Joindin => {
            let ep = endpoints.joindin()?;
            let listener = loopback::bind(provider, ep.callback_port, "/cb/joindin").await?;
            let url = joindin::allow_url(ep, &listener.redirect_uri, state.expose());
            (listener, url, Kind::JoindinBrowser)
        }
        Provider::Meetingbooster => {
            return Err(AuthError::Provider(ProviderError::NotPermitted {
                provider,
                detail: "MeetingBooster signs in with a user name and password".into(),
            }));
        }
        Provider::Calendar => {
            return Err(AuthError::Provider(ProviderError::NotPermitted {
                provider,
                detail: "a calendar is added with its private address, not signed in to".into(),
            }));
        }
    };
    let browser_error = browser.open(&url).err();
    if let Some(e) = &browser_error {
        tracing::info!(error = %e, "the browser did not open; the URL can be copied");
    }
    let (cancel_tx, cancel_rx) = watch::channel(false);
    let redirect_uri = listener.redirect_uri.clone();
    let paste = listener.paste_handle();
    let flow = Flow { complete, provider, kind, state, redirect_uri: redirect_uri.clone() };
    let task = tokio::spawn(flow.run(listener, cancel_rx, timeout));
    Ok(BrowserSignIn { provider, url, browser_error, redirect_uri, paste, cancel: CancelHandle(cancel_tx), task })
}

struct Flow {
    complete: Complete,
    provider: Provider,
    kind: Kind,
    state: Secret,
    redirect_uri: String,
}

impl Flow {
    async fn run(
        self,
        mut listener: Listener,
        mut cancel: watch::Receiver<bool>,
        timeout: Duration,
    ) -> Result<AccountStatus, AuthError> {
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        let result = loop {
            tokio::select! {
                changed = cancel.changed() => {
                    if changed.is_err() || *cancel.borrow() {
                        break Err(AuthError::Cancelled { provider: self.provider });
                    }
                }
                _ = &mut deadline => break Err(AuthError::TimedOut { provider: self.provider }),
                callback = listener.next() => {
                    let Some(callback) = callback else {
                        break Err(AuthError::Listener { provider: self.provider, detail: "the listener stopped".into() });
                    };
                    if let Some(outcome) = self.handle(callback).await {
                        break outcome;
                    }
                }
            }
        };
        listener.close().await;
        result
    }

    /// `None`: not the answer we wait for; keep waiting.
    async fn handle(&self, callback: Callback) -> Option<Result<AccountStatus, AuthError>> {
        let name = self.provider.name();
        let state_ok = callback.params.get("state").is_some_and(|s| self.state.constant_time_eq(s));
        if !state_ok {
            tracing::info!(provider = self.provider.id(), "a callback with a wrong or missing state was refused");
            callback.respond(pages::state_mismatch());
            return None;
        }
        if let Some(error) = callback.params.get("error").cloned() {
            let description = callback.params.get("error_description").map(String::as_str);
            let uri = callback.params.get("error_uri").map(String::as_str);
            let page = pages::provider_error(name, &error, description, uri);
            callback.respond(page);
            return Some(Err(if error == "access_denied" {
                AuthError::Denied { provider: self.provider }
            } else {
                AuthError::Provider(ProviderError::Unexpected {
                    provider: self.provider,
                    detail: format!("the authorization answered `{error}`"),
                })
            }));
        }
        let result = match &self.kind {
            Kind::JoinmeCode { verifier } => match callback.params.get("code").filter(|_| !callback.from_fragment) {
                Some(code) => {
                    (self.complete)(Answer::JoinmeCode {
                        code: Secret::new(code.clone()),
                        redirect_uri: self.redirect_uri.clone(),
                        verifier: verifier.clone(),
                    })
                    .await
                }
                None => {
                    Err(ProviderError::Unexpected { provider: self.provider, detail: "the answer had no code".into() })
                }
            },
            Kind::JoinmeImplicit => match callback.params.get("access_token").filter(|_| callback.from_fragment) {
                Some(token) => (self.complete)(Answer::JoinmeImplicit { token: Secret::new(token.clone()) }).await,
                None => {
                    Err(ProviderError::Unexpected { provider: self.provider, detail: "the answer had no token".into() })
                }
            },
            Kind::JoindinBrowser => match callback.params.get("access_token") {
                Some(token) => (self.complete)(Answer::Joindin { token: Secret::new(token.clone()) }).await,
                None => {
                    Err(ProviderError::Unexpected { provider: self.provider, detail: "the answer had no token".into() })
                }
            },
        };
        let page = match &result {
            Ok(status) => pages::success(name, &status.record.user),
            Err(e) => pages::failure(name, &e.to_string()),
        };
        callback.respond(page);
        Some(result.map_err(AuthError::from))
    }
}
