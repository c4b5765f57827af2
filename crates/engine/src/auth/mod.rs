//! Sign-in and tokens for every service, headless: the GUI, the tray and the command line all use this layer.
//!
//! Access tokens live in memory; refresh tokens, joind.in tokens and unexpired implicit tokens live in the OS
//! keychain, one entry per account. Refreshes are single-flight per account, and a rotated refresh token is
//! stored before the new access token is handed out. See `../shared/guides/oauth-checklist.md`.

// Dates and waits here come from servers: no arithmetic that can overflow or panic (checked or saturating).
#![cfg_attr(not(test), warn(clippy::arithmetic_side_effects))]

pub mod accounts;
mod error;
mod flow;
pub mod keychain;
mod lock;
pub(crate) mod loopback;
mod pages;
#[cfg(target_os = "linux")]
mod secret_service;
mod session;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::Mutex as AsyncMutex;

use crate::providers::{self, Endpoints, Provider, ProviderError, TokenSet, calendar, joindin, joinme, meetingbooster};
use crate::settings::NetworkSettings;
use launcher_core::secret::Secret;

pub use crate::ports::{BrowserOpener, Clock, NoBrowser, SystemClock};
pub use accounts::{AccountRecord, Grant};
pub use error::AuthError;
pub use flow::{BrowserSignIn, CancelHandle, PasteHandle};
pub use keychain::{Backend as KeychainBackend, Keychain, KeychainError, Storage};
pub use session::AccountStatus;

use session::{Access, Session, StoredSecret};

/// How long a browser sign-in waits for the user by default.
pub const DEFAULT_FLOW_TIMEOUT: Duration = Duration::from_secs(300);

/// join.me access tokens last about 24 h when nothing says otherwise.
const JOINME_DEFAULT_LIFETIME: chrono::Duration = chrono::Duration::hours(24);

pub struct AuthConfig {
    pub endpoints: Endpoints,
    pub network: NetworkSettings,
    /// Where the (secret-free) account list is kept.
    pub data_dir: PathBuf,
    pub keychain: Keychain,
    pub browser: Arc<dyn BrowserOpener>,
    pub clock: Arc<dyn Clock>,
    pub flow_timeout: Duration,
}

#[derive(Clone)]
pub struct Auth {
    inner: Arc<Inner>,
}

struct Inner {
    endpoints: Endpoints,
    http: reqwest::Client,
    keychain: Keychain,
    index: accounts::AccountIndex,
    browser: Arc<dyn BrowserOpener>,
    clock: Arc<dyn Clock>,
    flow_timeout: Duration,
    sessions: std::sync::Mutex<BTreeMap<String, Arc<AsyncMutex<Session>>>>,
    /// Where the per-account refresh locks live (shared with every process of this user and profile).
    locks: PathBuf,
    /// Per account, the last refresh announcement (a lock file's time) this process has taken in.
    /// `None`: there was no mark when this process looked (no other process had refreshed or signed out yet).
    marks: std::sync::Mutex<BTreeMap<String, Option<std::time::SystemTime>>>,
    /// Bumped whenever an account's state changes (a refresh, a rotation, a refused token, a sign-in or out).
    changes: tokio::sync::watch::Sender<u64>,
    /// The account list's modification time when this process last read it: a change means another process
    /// added an account (a `calendar add`, a sign-in on the command line).
    index_seen: std::sync::Mutex<Option<(std::time::SystemTime, u64)>>,
}

type Slot = Arc<AsyncMutex<Session>>;

impl Auth {
    pub fn new(config: AuthConfig) -> Result<Self, ProviderError> {
        let http = providers::http::client(&config.network)?;
        Ok(Self {
            inner: Arc::new(Inner {
                endpoints: config.endpoints,
                http,
                keychain: config.keychain,
                index: accounts::AccountIndex::new(config.data_dir.join("accounts.toml")),
                locks: config.data_dir.join("locks"),
                browser: config.browser,
                clock: config.clock,
                flow_timeout: config.flow_timeout,
                sessions: std::sync::Mutex::new(BTreeMap::new()),
                marks: std::sync::Mutex::default(),
                changes: tokio::sync::watch::Sender::new(0),
                index_seen: std::sync::Mutex::default(),
            }),
        })
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.inner.endpoints
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// Where secrets are kept in this run.
    pub fn storage(&self) -> &Storage {
        self.inner.keychain.storage()
    }

    /// The keychain the sessions are kept in (the app's own secrets are kept there too).
    pub fn keychain(&self) -> &Keychain {
        &self.inner.keychain
    }

    /// The time tokens are judged by (the sandbox's virtual clock in tests).
    pub fn now(&self) -> chrono::DateTime<Utc> {
        self.inner.clock.now()
    }

    /// What the user should hear about the saved sign-ins (a damaged account list moved aside), once.
    pub fn take_notices(&self) -> Vec<String> {
        self.inner.index.take_notices()
    }

    /// Wakes whenever an account's state changes, wherever in this process the change was made.
    pub fn changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.inner.changes.subscribe()
    }

    fn seen_mark(&self, key: &str, mark: Option<std::time::SystemTime>) {
        self.inner.marks.lock().unwrap_or_else(|e| e.into_inner()).insert(key.to_string(), mark);
    }

    /// What this process knows of the account when it starts holding it: any later mark is news.
    fn note_current_mark(&self, key: &str) {
        self.seen_mark(key, lock::mark(&self.inner.locks, key));
    }

    /// Takes in what other processes of this user did to the sign-ins (a refresh in `meeting-launcher status`, a
    /// sign-out in another window): the refresh token they saved is adopted, an entry they deleted signs this
    /// session out. Cheap when nothing happened (one file's time per account). Returns whether anything changed.
    pub async fn take_in_other_processes(&self) -> bool {
        let count = || self.inner.sessions.lock().unwrap_or_else(|e| e.into_inner()).len();
        let mut any = false;
        let listed = self.inner.index.version();
        if listed != *self.inner.index_seen.lock().unwrap_or_else(|e| e.into_inner()) {
            let before = count();
            self.restore().await;
            any = count() != before;
        }
        let keys: Vec<String> = self.inner.sessions.lock().unwrap_or_else(|e| e.into_inner()).keys().cloned().collect();
        for key in keys {
            let mark = lock::mark(&self.inner.locks, &key);
            let Some(seen) = self.inner.marks.lock().unwrap_or_else(|e| e.into_inner()).get(&key).copied() else {
                // Not noted when the session was made (it cannot happen): from now on.
                self.seen_mark(&key, mark);
                continue;
            };
            if mark.is_none() || mark == seen {
                continue;
            }
            self.seen_mark(&key, mark);
            let Some(slot) = self.slot(&key) else { continue };
            let mut session = slot.lock().await;
            if session.storage != Storage::Keychain || session.problem.is_some() {
                continue;
            }
            match self.inner.keychain.get(&key).await {
                Ok(None) if session.record.provider == Provider::Calendar => {
                    // A calendar removed elsewhere is gone here too: there is nothing to sign in to again.
                    drop(session);
                    self.inner.sessions.lock().unwrap_or_else(|e| e.into_inner()).remove(&key);
                }
                Ok(Some(stored)) if session.record.provider == Provider::Calendar => {
                    // Added again elsewhere with a new address.
                    let Some(address) = StoredSecret::decode(&stored).and_then(|s| s.access_token) else { continue };
                    if session.access.as_ref().is_some_and(|a| a.token.expose() == address) {
                        continue;
                    }
                    session.access = Some(Access { token: Secret::new(address), expires_at: None });
                }
                Ok(None) => {
                    session.problem = Some(ProviderError::SignInAgain {
                        provider: session.record.provider,
                        reason: "it was signed out in another window or command".into(),
                    });
                    session.access = None;
                    session.refresh = None;
                }
                Ok(Some(stored)) => {
                    let Some(entry) = StoredSecret::decode(&stored) else { continue };
                    let newer =
                        entry.refresh_token.clone().map(Secret::new).filter(|r| session.refresh.as_ref() != Some(r));
                    // The access token that came with it, if it is not the one held.
                    let access = session
                        .stored_access(&entry)
                        .filter(|a| session.access.as_ref().is_none_or(|held| held.token != a.token));
                    if newer.is_none() && access.is_none() {
                        continue;
                    }
                    if newer.is_some() {
                        session.refresh = newer;
                    }
                    if let Some(access) = access {
                        session.take_stored(access, &entry);
                    }
                    // When the other process refreshed, by its clock (the same kind as ours), else now.
                    session.last_refresh =
                        Some(lock::announced_at(&self.inner.locks, &key).unwrap_or_else(|| self.now()));
                }
                Err(_) => continue,
            }
            any = true;
        }
        if any {
            self.changed();
        }
        any
    }

    fn changed(&self) {
        self.inner.changes.send_modify(|n| *n = n.wrapping_add(1));
    }

    fn slot(&self, key: &str) -> Option<Slot> {
        self.inner.sessions.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned()
    }

    fn realm(&self, provider: Provider) -> Result<String, ProviderError> {
        self.inner
            .endpoints
            .realm(provider)
            .ok_or(ProviderError::NotConfigured { provider, what: "service address or API key".into() })
    }

    /// Brings back the sessions saved in the keychain, silently and without network calls: each account's
    /// access token is fetched (refreshed) when first used.
    pub async fn restore(&self) -> Vec<AccountStatus> {
        *self.inner.index_seen.lock().unwrap_or_else(|e| e.into_inner()) = self.inner.index.version();
        for record in self.inner.index.load() {
            // A calendar is its own realm; a service's account belongs to this run only on the same server.
            let other_server = record.provider != Provider::Calendar
                && self.inner.endpoints.realm(record.provider).as_deref() != Some(record.realm.as_str());
            if other_server {
                continue;
            }
            if let Some(slot) = self.slot(&record.key) {
                // Held already; a calendar added again elsewhere may have a new address, or name other addresses
                // as the user's.
                if record.provider == Provider::Calendar {
                    let stored = self.inner.keychain.get(&record.key).await.ok().flatten();
                    let address = stored.as_ref().and_then(StoredSecret::decode).and_then(|s| s.access_token);
                    let mut session = slot.lock().await;
                    session.record.addresses = record.addresses.clone();
                    if let Some(address) = address {
                        session.access = Some(Access { token: Secret::new(address), expires_at: None });
                    }
                }
                continue;
            }
            let mut session = Session {
                access: None,
                issued_at: None,
                refresh: None,
                rejected: None,
                storage: self.inner.keychain.storage().clone(),
                last_refresh: None,
                problem: None,
                record: record.clone(),
            };
            let gone = |reason: &str| ProviderError::SignInAgain { provider: record.provider, reason: reason.into() };
            match self.inner.keychain.get(&record.key).await {
                Ok(Some(secret)) => match StoredSecret::decode(&secret) {
                    Some(stored) => {
                        if session.refreshable() {
                            session.refresh = stored.refresh_token.clone().map(Secret::new);
                        }
                        if let Some(access) = stored.access() {
                            session.take_stored(access, &stored);
                        }
                    }
                    None => session.problem = Some(gone("the saved sign-in could not be read")),
                },
                Ok(None) => session.problem = Some(gone("the saved sign-in is no longer in the keychain")),
                Err(e) => session.problem = Some(gone(&format!("the keychain could not be read: {e}"))),
            }
            if session.problem.is_none() && session.access.is_none() && session.refresh.is_none() {
                session.problem = Some(gone("nothing usable was saved"));
            }
            // A refreshable sign-in outlives its access token; another ends with it.
            if !session.refreshable()
                && let Some(access) = &session.access
                && access.expires_at.is_some_and(|t| t <= self.now())
            {
                session.problem = Some(gone("the 24-hour join.me sign-in has ended"));
            }
            self.inner
                .sessions
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(record.key.clone(), Arc::new(AsyncMutex::new(session)));
            self.note_current_mark(&record.key);
        }
        self.accounts().await
    }

    /// Every account known in this run.
    pub async fn accounts(&self) -> Vec<AccountStatus> {
        let slots: Vec<Slot> =
            self.inner.sessions.lock().unwrap_or_else(|e| e.into_inner()).values().cloned().collect();
        let mut out = Vec::with_capacity(slots.len());
        for slot in slots {
            out.push(slot.lock().await.status());
        }
        out
    }

    pub async fn account(&self, key: &str) -> Option<AccountStatus> {
        Some(self.slot(key)?.lock().await.status())
    }

    /// The first signed-in account of a service.
    pub async fn account_for(&self, provider: Provider) -> Option<AccountStatus> {
        self.accounts().await.into_iter().find(|a| a.record.provider == provider && a.signed_in())
    }

    /// Starts a browser sign-in (join.me: code grant with PKCE when a secret is configured, else implicit;
    /// joind.in: its authorization page). The URL is always available to copy.
    pub async fn start_browser_sign_in(&self, provider: Provider) -> Result<BrowserSignIn, AuthError> {
        let auth = self.clone();
        let complete: flow::Complete = Arc::new(move |answer| {
            let auth = auth.clone();
            Box::pin(async move { auth.complete_browser(answer).await })
        });
        let inner = &self.inner;
        let start = flow::Start {
            provider,
            endpoints: &inner.endpoints,
            browser: inner.browser.as_ref(),
            timeout: inner.flow_timeout,
            complete,
        };
        flow::start(start).await
    }

    /// A browser sign-in's answer, turned into a session.
    async fn complete_browser(&self, answer: flow::Answer) -> Result<AccountStatus, ProviderError> {
        match answer {
            flow::Answer::JoinmeCode { code, redirect_uri, verifier } => {
                self.complete_joinme_code(code, &redirect_uri, verifier).await
            }
            flow::Answer::JoinmeImplicit { token } => self.complete_joinme_implicit(token).await,
            flow::Answer::Joindin { token } => self.complete_joindin(token, Grant::Browser).await,
        }
    }

    /// MeetingBooster or joind.in with a user name and password. The password is sent once and never kept.
    pub async fn sign_in_with_password(
        &self,
        provider: Provider,
        username: &str,
        password: Secret,
    ) -> Result<AccountStatus, ProviderError> {
        let username = username.trim();
        let http = &self.inner.http;
        match provider {
            Provider::Meetingbooster => {
                let ep = self.inner.endpoints.meetingbooster()?;
                let tokens = meetingbooster::password(http, ep, username, &password).await?;
                drop(password);
                let user = meetingbooster::me(http, ep, &tokens.access).await.ok().flatten();
                let (email, name) = match user {
                    Some(u) if !u.email.is_empty() => (u.email, u.name),
                    _ => (username.to_string(), username.to_string()),
                };
                let record = self.record(provider, &email, &name, Grant::Password, Vec::new())?;
                let expires_at = launcher_core::timefmt::later(self.now(), mb_lifetime(&tokens));
                self.install(record, Access { token: tokens.access, expires_at: Some(expires_at) }, tokens.refresh)
                    .await
            }
            Provider::Joindin => {
                let ep = self.inner.endpoints.joindin()?;
                let (token, _) = joindin::password(http, ep, username, &password).await?;
                drop(password);
                self.complete_joindin(token, Grant::Password).await
            }
            Provider::Joinme => Err(ProviderError::NotPermitted {
                provider,
                detail: "join.me signs in through the browser only".into(),
            }),
            Provider::Calendar => Err(ProviderError::NotPermitted {
                provider,
                detail: "a calendar is added with its private address, not signed in to".into(),
            }),
        }
    }

    /// Adds a calendar feed named `name`: [`Auth::check_feed`], then [`Auth::add_checked_feed`]. Returns the
    /// account, the feed as fetched and the keys of the calendars it replaced.
    pub async fn add_feed(
        &self,
        name: &str,
        address: Secret,
        allow_http: bool,
        addresses: Vec<String>,
    ) -> Result<(AccountStatus, calendar::Added, Vec<String>), ProviderError> {
        let (record, added) = self.check_feed(name, address, allow_http, addresses).await?;
        let (status, replaced) = self.add_checked_feed(record, added.address.clone()).await?;
        Ok((status, added, replaced))
    }

    /// A calendar about to be added: its name and address checked (https, or http where allowed), the feed
    /// fetched once to show it is a calendar. `addresses`: the user's own, for telling which events they declined.
    /// Nothing is saved yet.
    pub async fn check_feed(
        &self,
        name: &str,
        address: Secret,
        allow_http: bool,
        addresses: Vec<String>,
    ) -> Result<(AccountRecord, calendar::Added), ProviderError> {
        let name = name.trim();
        if name.is_empty() || name.chars().any(char::is_control) || name.contains(['@', ':']) {
            return Err(ProviderError::FeedAddress {
                reason: "a calendar needs a short name without “@” or “:” (for example Work)".into(),
            });
        }
        let url = calendar::check_address(address.expose(), allow_http)?;
        drop(address);
        let address = Secret::new(url.to_string());
        let (text, validators) =
            match calendar::fetch(&self.inner.http, &address, &calendar::Validators::default()).await? {
                calendar::Fetched::Changed { text, validators } => (text, validators),
                calendar::Fetched::NotModified => (String::new(), calendar::Validators::default()),
            };
        // A feed of megabytes takes a while to read: off the runtime's workers.
        let feed = tokio::task::spawn_blocking(move || calendar::ics::parse(&text))
            .await
            .map_err(|_| ProviderError::FeedAddress { reason: "reading the calendar failed".into() })?
            .map_err(|e| ProviderError::FeedAddress {
                reason: format!("{e}; is it the calendar's private iCalendar (ICS) address?"),
            })?;
        let realm = calendar::host_of(&url);
        let record = AccountRecord {
            key: AccountRecord::key_for(Provider::Calendar, name, &realm),
            provider: Provider::Calendar,
            realm,
            user: name.to_string(),
            display_name: name.to_string(),
            grant: Grant::Feed,
            scopes: Vec::new(),
            signed_in_at: self.now(),
            addresses: addresses.into_iter().map(|a| a.trim().to_lowercase()).filter(|a| !a.is_empty()).collect(),
        };
        Ok((record, calendar::Added { address, validators, feed }))
    }

    /// Saves a checked calendar (the keychain first, then the account list). A calendar of the same name is
    /// replaced, and only once the new one is saved: its keys are returned, for the caller to forget.
    pub async fn add_checked_feed(
        &self,
        record: AccountRecord,
        address: Secret,
    ) -> Result<(AccountStatus, Vec<String>), ProviderError> {
        let status = self.install(record, Access { token: address, expires_at: None }, None).await?;
        let mut replaced = Vec::new();
        if status.storage == Storage::Keychain {
            for old in self.accounts().await {
                if old.record.provider == Provider::Calendar
                    && old.key() != status.key()
                    && old.record.display_name.eq_ignore_ascii_case(&status.record.display_name)
                {
                    self.sign_out(old.key()).await?;
                    replaced.push(old.key().to_string());
                }
            }
        }
        Ok((status, replaced))
    }

    fn record(
        &self,
        provider: Provider,
        user: &str,
        name: &str,
        grant: Grant,
        scopes: Vec<String>,
    ) -> Result<AccountRecord, ProviderError> {
        let realm = self.realm(provider)?;
        Ok(AccountRecord {
            key: AccountRecord::key_for(provider, user, &realm),
            provider,
            realm,
            user: user.to_string(),
            display_name: if name.is_empty() { user.to_string() } else { name.to_string() },
            grant,
            scopes,
            signed_in_at: self.now(),
            addresses: Vec::new(),
        })
    }

    /// Saves a new sign-in: the keychain first, then the account list, then memory.
    async fn install(
        &self,
        record: AccountRecord,
        access: Access,
        refresh: Option<Secret>,
    ) -> Result<AccountStatus, ProviderError> {
        let mut session = Session {
            storage: self.inner.keychain.storage().clone(),
            access: Some(access),
            issued_at: Some(self.now()),
            refresh,
            rejected: None,
            last_refresh: None,
            problem: None,
            record,
        };
        let key = session.record.key.clone();
        if session.storage == Storage::Keychain {
            match self.inner.keychain.set(&key, &StoredSecret::of(&session).encode()).await {
                Ok(()) => {
                    if let Err(e) = self.inner.index.upsert(&session.record) {
                        tracing::warn!(error = %e, "cannot write the account list; the sign-in lasts this run only");
                    }
                }
                Err(e) => session.storage = Storage::Memory { reason: format!("the keychain did not save it: {e}") },
            }
        }
        let status = session.status();
        tracing::info!(provider = session.record.provider.id(), grant = ?session.record.grant, "signed in");
        self.note_current_mark(&key);
        self.inner.sessions.lock().unwrap_or_else(|e| e.into_inner()).insert(key, Arc::new(AsyncMutex::new(session)));
        Ok(status)
    }

    /// join.me, code grant: redeem the code, learn the expiry and the user, save.
    async fn complete_joinme_code(
        &self,
        code: Secret,
        redirect_uri: &str,
        verifier: Secret,
    ) -> Result<AccountStatus, ProviderError> {
        let ep = self.joinme()?;
        let http = &self.inner.http;
        let tokens = joinme::exchange_code(http, ep, &code, redirect_uri, &verifier).await?;
        let received = self.now();
        let info = joinme::token_info(http, ep, &tokens.access).await.ok();
        if info.as_ref().is_some_and(|i| i.client_id != ep.client_id) {
            return Err(ProviderError::ForeignToken { provider: Provider::Joinme });
        }
        let user = joinme::user(http, ep, &tokens.access).await?;
        let scopes = info
            .as_ref()
            .map(|i| i.scopes.clone())
            .unwrap_or_else(|| joinme::SCOPES.split(' ').map(String::from).collect());
        let expires_at = joinme_expiry(&tokens, info.as_ref(), received);
        let record = self.record(Provider::Joinme, &user.email, &user.full_name, Grant::AuthorizationCode, scopes)?;
        self.install(record, Access { token: tokens.access, expires_at: Some(expires_at) }, tokens.refresh).await
    }

    /// join.me, implicit grant: the token must have been issued to us (tokenInfo), then save it for its 24 h.
    async fn complete_joinme_implicit(&self, token: Secret) -> Result<AccountStatus, ProviderError> {
        let ep = self.joinme()?;
        let http = &self.inner.http;
        let received = self.now();
        let info = joinme::token_info(http, ep, &token).await?;
        if info.client_id != ep.client_id {
            return Err(ProviderError::ForeignToken { provider: Provider::Joinme });
        }
        let user = joinme::user(http, ep, &token).await?;
        let by_default = launcher_core::timefmt::later(received, JOINME_DEFAULT_LIFETIME);
        let expires_at = info.expires_at.unwrap_or(by_default).min(by_default);
        let record = self.record(Provider::Joinme, &user.email, &user.full_name, Grant::Implicit, info.scopes)?;
        self.install(record, Access { token, expires_at: Some(expires_at) }, None).await
    }

    /// joind.in: confirm the token with an authenticated call, then save it.
    async fn complete_joindin(&self, token: Secret, grant: Grant) -> Result<AccountStatus, ProviderError> {
        let ep = self.inner.endpoints.joindin()?;
        let user = joindin::whoami(&self.inner.http, ep, &token).await?;
        let name = if user.username.is_empty() { user.uri.clone() } else { user.username.clone() };
        let record = self.record(Provider::Joindin, &name, &user.full_name, grant, Vec::new())?;
        self.install(record, Access { token, expires_at: None }, None).await
    }

    fn joinme(&self) -> Result<&providers::JoinmeEndpoint, ProviderError> {
        self.inner.endpoints.joinme()
    }

    /// A usable access token, refreshed first if it expired or is about to. Concurrent callers for one account
    /// wait for a single refresh.
    pub async fn access_token(&self, key: &str) -> Result<Secret, ProviderError> {
        let slot = self.slot(key).ok_or_else(|| not_signed_in(key))?;
        let mut session = slot.lock().await;
        if let Some(problem) = &session.problem {
            return Err(problem.clone());
        }
        let now = self.now();
        if let Some(access) = &session.access
            && access.usable(now, session.issued_at)
        {
            return Ok(access.token.clone());
        }
        if session.refreshable() {
            return self.refresh_locked(&mut session, false).await;
        }
        let reason = match session.record.grant {
            Grant::Implicit => "the 24-hour join.me sign-in has ended",
            _ => "the saved token is no longer valid",
        };
        let problem = ProviderError::SignInAgain { provider: session.record.provider, reason: reason.into() };
        session.problem = Some(problem.clone());
        self.changed();
        Err(problem)
    }

    /// A service refused `token` (401, or join.me's 403 `invalid_token`): the next [`Auth::access_token`]
    /// refreshes. Only the first report of a token counts, so many failing calls cause one refresh.
    pub async fn token_rejected(&self, key: &str, token: &Secret) {
        let Some(slot) = self.slot(key) else { return };
        let mut session = slot.lock().await;
        if session.access.as_ref().is_some_and(|a| a.token == *token) {
            session.access = None;
            session.rejected = Some(token.clone());
            if !session.refreshable() {
                let provider = session.record.provider;
                session.problem = Some(ProviderError::SignInAgain {
                    provider,
                    reason: "the service no longer accepts the token".into(),
                });
            }
            self.changed();
        }
    }

    /// Refreshes now, whatever the expiry (the token panel's "Refresh now").
    pub async fn refresh_now(&self, key: &str) -> Result<AccountStatus, ProviderError> {
        let slot = self.slot(key).ok_or_else(|| not_signed_in(key))?;
        let mut session = slot.lock().await;
        if !session.refreshable() {
            return Err(ProviderError::NotPermitted {
                provider: session.record.provider,
                detail: "this kind of sign-in cannot be refreshed; sign in again instead".into(),
            });
        }
        if let Some(problem) = &session.problem {
            return Err(problem.clone());
        }
        self.refresh_locked(&mut session, true).await?;
        Ok(session.status())
    }

    /// The refresh itself, with the session locked (single flight). Unless `forced`, an access token another
    /// process saved meanwhile is taken instead.
    async fn refresh_locked(&self, session: &mut Session, forced: bool) -> Result<Secret, ProviderError> {
        let key = session.record.key.clone();
        let provider = session.record.provider;
        // One refresh at a time across this user's processes; the others then find the tokens it saved.
        let mut held =
            if session.storage == Storage::Keychain { lock::acquire(&self.inner.locks, &key).await } else { None };
        // Another process may have refreshed since we read the entry: the keychain has the live tokens.
        if let Some(entry) = self.stored_entry(session).await {
            if let Some(rt) = &entry.refresh_token {
                session.refresh = Some(Secret::new(rt.as_str()));
            }
            if !forced
                && let Some(access) = session.stored_access(&entry)
                && access.usable(self.now(), entry.issued_at)
            {
                let token = access.token.clone();
                session.take_stored(access, &entry);
                session.last_refresh = lock::announced_at(&self.inner.locks, &key).or(session.last_refresh);
                self.changed();
                return Ok(token);
            }
        }
        let Some(mut old) = session.refresh.clone() else {
            let problem = ProviderError::SignInAgain { provider, reason: "there is no saved refresh token".into() };
            session.problem = Some(problem.clone());
            return Err(problem);
        };
        let tokens = match self.refresh_with(provider, &old).await {
            Ok(tokens) => tokens,
            Err(e @ ProviderError::SignInAgain { .. }) => {
                // Refused. If the keychain now holds another token, a process without the lock (an older
                // version) won a race: use its token rather than sign the user out.
                match self.stored_refresh(session).await.filter(|stored| *stored != old) {
                    Some(newer) => {
                        session.refresh = Some(newer.clone());
                        match self.refresh_with(provider, &newer).await {
                            Ok(tokens) => {
                                old = newer;
                                tokens
                            }
                            Err(e) => return Err(self.refresh_refused(session, &newer, e).await),
                        }
                    }
                    None => return Err(self.refresh_refused(session, &old, e).await),
                }
            }
            Err(e) => return Err(e),
        };
        let http = &self.inner.http;
        let received = self.now();
        // Keep the old refresh token if none came back (RFC 6749 §6); store a new one before using the access token.
        let refresh = tokens.refresh.clone().unwrap_or(old.clone());
        let rotated = refresh != old;
        session.refresh = Some(refresh);
        session.access = None;
        let needs_info = provider == Provider::Joinme && tokens.expires_in.is_none();
        if rotated && needs_info {
            // Saved before another call is made with it.
            self.save_entry(session, true).await;
        }
        let expires_at = match provider {
            Provider::Joinme => {
                let info =
                    if needs_info { joinme::token_info(http, self.joinme()?, &tokens.access).await.ok() } else { None };
                joinme_expiry(&tokens, info.as_ref(), received)
            }
            _ => launcher_core::timefmt::later(received, mb_lifetime(&tokens)),
        };
        session.access = Some(Access { token: tokens.access.clone(), expires_at: Some(expires_at) });
        session.issued_at = Some(received);
        session.last_refresh = Some(received);
        // One write in the usual case: the rotated refresh token, and the access token for the next process.
        self.save_entry(session, rotated).await;
        if let Some(held) = &mut held {
            held.announce(received);
            // Our own announcement is not news to us.
            self.seen_mark(&key, lock::mark(&self.inner.locks, &key));
        }
        self.changed();
        tracing::debug!(provider = provider.id(), "refreshed");
        Ok(tokens.access)
    }

    /// What the keychain holds for this session now, if it keeps it there.
    async fn stored_entry(&self, session: &Session) -> Option<StoredSecret> {
        if session.storage != Storage::Keychain {
            return None;
        }
        let stored = self.inner.keychain.get(&session.record.key).await.ok().flatten()?;
        StoredSecret::decode(&stored)
    }

    /// The refresh token the keychain holds for this session now, if it keeps one there.
    async fn stored_refresh(&self, session: &Session) -> Option<Secret> {
        self.stored_entry(session).await.and_then(|s| s.refresh_token).map(Secret::new)
    }

    /// Writes the session's tokens to its keychain entry. A rotated refresh token that cannot be saved leaves the
    /// sign-in in memory, said so; an access token alone that cannot be saved only costs the next process a
    /// refresh.
    async fn save_entry(&self, session: &mut Session, rotated: bool) {
        if session.storage != Storage::Keychain {
            return;
        }
        let Err(e) = self.inner.keychain.set(&session.record.key, &StoredSecret::of(session).encode()).await else {
            return;
        };
        if rotated {
            tracing::warn!(error = %e, "the rotated refresh token could not be saved");
            session.storage = Storage::Memory { reason: format!("the keychain did not save the renewed sign-in: {e}") };
        } else {
            tracing::warn!(error = %e, "the new access token could not be saved");
        }
    }

    async fn refresh_with(&self, provider: Provider, refresh: &Secret) -> Result<TokenSet, ProviderError> {
        let http = &self.inner.http;
        match provider {
            Provider::Joinme => joinme::refresh(http, self.joinme()?, refresh).await,
            Provider::Meetingbooster => {
                meetingbooster::refresh(http, self.inner.endpoints.meetingbooster()?, refresh).await
            }
            Provider::Joindin => {
                Err(ProviderError::NotPermitted { provider, detail: "joind.in tokens are not refreshed".into() })
            }
            Provider::Calendar => {
                Err(ProviderError::NotPermitted { provider, detail: "a calendar's address is not refreshed".into() })
            }
        }
    }

    /// The service refused `presented`: the session needs a new sign-in. The keychain entry is deleted only if it
    /// still holds the token that was refused, never one another process saved meanwhile.
    async fn refresh_refused(&self, session: &mut Session, presented: &Secret, error: ProviderError) -> ProviderError {
        tracing::info!(
            provider = session.record.provider.id(),
            "the refresh token was refused; signing in again is needed"
        );
        session.problem = Some(error.clone());
        session.access = None;
        session.refresh = None;
        if self.stored_refresh(session).await.is_none_or(|stored| stored == *presented) {
            let _ = self.inner.keychain.delete(&session.record.key).await;
        }
        self.changed();
        error
    }

    /// join.me's testing aid: expire the current access token on the server. The next call meets
    /// `stale_token` and the refresh path takes over.
    pub async fn expire_access(&self, key: &str) -> Result<(), ProviderError> {
        let token = self.access_token(key).await?;
        let provider = self.slot(key).ok_or_else(|| not_signed_in(key))?.lock().await.record.provider;
        if provider != Provider::Joinme {
            return Err(ProviderError::NotPermitted {
                provider,
                detail: "only join.me can expire access tokens".into(),
            });
        }
        joinme::expire_access(&self.inner.http, self.joinme()?, &token).await
    }

    /// Signs out: the service's own sign-out where there is one (MeetingBooster), best effort; then the
    /// keychain entry and the account are removed whatever the service said. Returns the service's complaint,
    /// if any, for information.
    pub async fn sign_out(&self, key: &str) -> Result<Option<ProviderError>, ProviderError> {
        let slot = self.slot(key).ok_or_else(|| not_signed_in(key))?;
        let session = slot.lock().await;
        let provider = session.record.provider;
        let mut complaint = None;
        if session.record.provider == Provider::Meetingbooster
            && let (Some(rt), Some(ep)) = (&session.refresh, &self.inner.endpoints.meetingbooster)
            && let Err(e) = meetingbooster::sign_out(&self.inner.http, ep, rt).await
        {
            complaint = Some(e);
        }
        if let Err(e) = self.inner.keychain.delete(key).await {
            tracing::warn!(error = %e, "the keychain entry could not be deleted");
        }
        if let Err(e) = self.inner.index.remove(key) {
            tracing::warn!(error = %e, "the account list could not be updated");
        }
        // Other processes of this user (a running window) learn of it at their next look.
        lock::touch(&self.inner.locks, key, self.now());
        drop(session);
        self.inner.sessions.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
        self.changed();
        tracing::info!(provider = provider.id(), "signed out");
        Ok(complaint)
    }
}

/// "Not signed in" for a key this layer could have handed out (`AccountRecord::key_for`); a key from elsewhere
/// that names no service is an unknown account, not someone's join.me.
fn not_signed_in(key: &str) -> ProviderError {
    match launcher_core::AccountKey::parse(key) {
        Ok(parsed) => ProviderError::NotSignedIn { provider: parsed.provider() },
        Err(_) => ProviderError::UnknownAccount { key: key.to_string() },
    }
}

/// join.me's `/token` may give no `expires_in`: then tokenInfo's `expires_at`, else 24 h from receipt, whichever
/// is sooner.
fn joinme_expiry(
    tokens: &TokenSet,
    info: Option<&joinme::TokenInfo>,
    received: chrono::DateTime<Utc>,
) -> chrono::DateTime<Utc> {
    let by_default = launcher_core::timefmt::later(received, JOINME_DEFAULT_LIFETIME);
    let by_answer = tokens
        .expires_in
        .map(|s| launcher_core::timefmt::later(received, chrono::Duration::seconds(s.clamp(60, 7 * 86_400))));
    let by_info = info.and_then(|i| i.expires_at);
    [Some(by_default), by_answer, by_info].into_iter().flatten().min().unwrap_or(by_default)
}

/// MeetingBooster's `expires_in` (seconds, maybe a string), clamped to a sane range; 20 minutes if absent.
fn mb_lifetime(tokens: &TokenSet) -> chrono::Duration {
    chrono::Duration::seconds(tokens.expires_in.unwrap_or(1200).clamp(30, 86_400))
}
