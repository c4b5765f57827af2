//! What the window shows, reduced from the backend's events. The views read it; only `apply` changes it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use launcher_core::t;
use launcher_engine::auth::{AccountStatus, AuthError, Storage};
use launcher_engine::backend::{AgendaItem, Draft, Event, FieldProblem, PresentersView};
use launcher_engine::ports::Shown;
use launcher_engine::providers::{Provider, UserAction, joindin, joinme};

/// A message across the top of the window, with the action to take.
#[derive(Debug, Clone, PartialEq)]
pub struct Banner {
    pub text: String,
    pub action: UserAction,
    pub account: Option<String>,
    pub is_error: bool,
    /// A reminder the desktop showed without its buttons (or not at all): the banner offers them.
    pub reminder: Option<ReminderButtons>,
}

/// What a reminder's banner offers: Start or Join the meeting, and Snooze when there is time left.
#[derive(Debug, Clone, PartialEq)]
pub struct ReminderButtons {
    pub item: AgendaItem,
    pub snooze_minutes: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SignInProgress {
    pub url: String,
    pub browser_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PendingDelete {
    pub account: String,
    pub meeting_id: String,
    pub until: DateTime<Utc>,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Started {
    pub account: String,
    pub viewer_link: String,
    pub presenter_link: String,
}

#[derive(Debug, Default)]
pub struct AppState {
    /// What time it is, by the clock the backend judges tokens and reminders by: the window sets it before each
    /// pass, so every countdown and the tray agree with the backend (and follow a test's virtual clock).
    pub now: DateTime<Utc>,
    pub accounts: Vec<AccountStatus>,
    pub storage: Option<Storage>,
    /// Demo mode: the embedded sandbox's address.
    pub demo: Option<String>,
    pub agenda: Vec<AgendaItem>,
    /// Per account: when its meetings last loaded, and why the latest try failed.
    pub freshness: std::collections::BTreeMap<String, launcher_core::agenda::Freshness>,
    pub agenda_loading: bool,
    pub drafts: Vec<Draft>,
    pub draft_problems: HashMap<String, Vec<FieldProblem>>,
    /// The draft the backend just confirmed (the form closes on it).
    pub saved_draft: Option<String>,
    pub sign_ins: HashMap<Provider, SignInProgress>,
    /// The last sign-in's error per service, and until when a lockout lasts.
    pub sign_in_errors: HashMap<Provider, (AuthError, Option<DateTime<Utc>>)>,
    pub presenters: HashMap<String, PresentersView>,
    pub profiles: HashMap<String, (joinme::User, Option<joinme::Conference>)>,
    pub talks: HashMap<String, Vec<joindin::Talk>>,
    /// Deletes that can still be undone: account, meeting id, until when, and the title (the agenda no longer
    /// shows it).
    pub pending_deletes: Vec<PendingDelete>,
    pub started: Option<Started>,
    pub banners: Vec<Banner>,
    pub policies: launcher_engine::settings::Policies,
    /// The service offered first: the user's choice, or the organization's.
    pub default_provider: Option<Provider>,
    /// The window's colours, as the settings say.
    pub theme: launcher_engine::settings::Theme,
    /// Where each of the app's own secrets comes from (the keychain, a policy, the services), as the backend
    /// reports it; empty until it has.
    pub app_secrets: Vec<(launcher_engine::auth::keychain::SecretName, launcher_engine::backend::SecretSource)>,
    /// The desktop's light or dark preference, where the desktop layer could hear it.
    pub desktop_scheme: Option<launcher_core::appearance::ColorScheme>,
    /// The Help page's last report (the checks, the log folder and its tail).
    pub diagnostics: Option<launcher_core::diagnostics::Report>,
}

impl AppState {
    pub fn signed_in(&self) -> impl Iterator<Item = &AccountStatus> {
        self.accounts.iter().filter(|a| a.signed_in())
    }

    pub fn first_account(&self, provider: Provider) -> Option<&AccountStatus> {
        self.signed_in().find(|a| a.record.provider == provider)
    }

    pub fn account(&self, key: &str) -> Option<&AccountStatus> {
        self.accounts.iter().find(|a| a.record.key == key)
    }

    /// The accounts whose meetings are older than the latest try (it failed): when they loaded, and why not since.
    pub fn stale(&self) -> impl Iterator<Item = (&AccountStatus, &launcher_core::agenda::Freshness)> {
        self.accounts.iter().filter_map(|a| Some((a, self.freshness.get(&a.record.key).filter(|f| f.is_stale())?)))
    }

    fn banner(&mut self, banner: Banner) {
        // One banner per message: a repeated failure does not stack up.
        self.banners.retain(|b| b.text != banner.text);
        self.banners.push(banner);
        if self.banners.len() > 4 {
            self.banners.remove(0);
        }
    }

    pub fn apply(&mut self, event: Event) {
        match event {
            Event::Accounts(accounts) => self.accounts = accounts,
            Event::Storage(storage) => self.storage = Some(storage),
            Event::Demo { base } => {
                if self.demo.is_some() && base.is_none() {
                    // The demo has ended (the user's own services are set up): its meetings, people and talks go
                    // with it, and the new services' own follow.
                    self.agenda.clear();
                    self.freshness.clear();
                    self.presenters.clear();
                    self.profiles.clear();
                    self.talks.clear();
                    self.started = None;
                    // Banners about the demo's accounts and meetings (a reminder's Start, a failed load).
                    self.banners.retain(|b| b.account.is_none() && b.reminder.is_none());
                }
                self.demo = base;
            }
            Event::Settings { settings, .. } => {
                self.default_provider = settings.general.default_provider;
                self.theme = settings.general.theme;
            }
            // The settings screen shows what came of it.
            Event::SettingsSaved(_) | Event::AppSecretSaved { .. } | Event::ServerChecked { .. } => {}
            Event::AppSecrets(secrets) => self.app_secrets = secrets,
            Event::Policies(policies) => {
                // The organization's default, until the settings (which include it) say otherwise.
                if self.default_provider.is_none()
                    && let Some(launcher_engine::settings::policy::PolicyValue::Text(id)) =
                        policies.get(launcher_engine::settings::policy::names::DEFAULT_PROVIDER).map(|p| &p.value)
                {
                    self.default_provider = Provider::from_id(id);
                }
                for problem in &policies.problems {
                    let text = t!("window-policy-ignored", problem = problem);
                    self.banner(Banner {
                        text,
                        action: UserAction::None,
                        account: None,
                        is_error: false,
                        reminder: None,
                    });
                }
                self.policies = policies;
            }
            Event::SignInWaiting { provider, url, browser_error } => {
                self.sign_in_errors.remove(&provider);
                self.sign_ins.insert(provider, SignInProgress { url, browser_error });
            }
            Event::SignInFinished { provider, result } => {
                self.sign_ins.remove(&provider);
                match result {
                    // The account appears in the list; no banner needed.
                    Ok(status) => {
                        self.sign_in_errors.remove(&provider);
                        self.banners.retain(|b| b.account.as_deref() != Some(status.key()));
                    }
                    Err(error) => {
                        let until = match error.action() {
                            UserAction::Wait { seconds } => chrono::Duration::try_seconds(seconds.min(86_400) as i64)
                                .and_then(|wait| self.now.checked_add_signed(wait)),
                            _ => None,
                        };
                        self.sign_in_errors.insert(provider, (error, until));
                    }
                }
            }
            Event::SignedOut { account, .. } => {
                self.banners.retain(|b| b.account.as_deref() != Some(account.as_str()));
                self.presenters.remove(&account);
                self.profiles.remove(&account);
            }
            Event::Agenda(items) => self.agenda = items,
            Event::AgendaStatus(freshness) => self.freshness = freshness,
            Event::AgendaLoading(loading) => self.agenda_loading = loading,
            Event::Drafts(drafts) => self.drafts = drafts,
            Event::DraftSaved { draft_id, message, .. } => {
                self.draft_problems.remove(&draft_id);
                self.saved_draft = Some(draft_id);
                self.banner(Banner {
                    text: message,
                    action: UserAction::None,
                    account: None,
                    is_error: false,
                    reminder: None,
                });
            }
            Event::DraftInvalid { draft_id, problems } => {
                self.draft_problems.insert(draft_id, problems);
            }
            Event::DraftFailed { error, .. } => {
                let text = t!("window-draft-not-saved", error = error.to_string());
                self.banner(Banner { text, action: error.action(), account: None, is_error: true, reminder: None });
            }
            Event::DeletePending { account, meeting_id, until } => {
                let title = self
                    .agenda
                    .iter()
                    .find(|i| i.account == account && i.id == meeting_id)
                    .map(|i| i.title.clone())
                    .unwrap_or_else(|| t!("window-the-meeting"));
                self.pending_deletes.push(PendingDelete { account, meeting_id, until, title });
            }
            Event::DeleteUndone { account, meeting_id } | Event::Deleted { account, meeting_id } => {
                self.pending_deletes.retain(|p| !(p.account == account && p.meeting_id == meeting_id));
            }
            Event::MeetingStarted { account, presenter_link, viewer_link } => {
                self.started = Some(Started { account, viewer_link, presenter_link });
            }
            Event::Presenters { account, view } => {
                self.presenters.insert(account, view);
            }
            Event::Profile { account, user, conference } => {
                self.profiles.insert(account, (user, conference));
            }
            Event::Talks { event_id, talks } => {
                self.talks.insert(event_id, talks);
            }
            Event::SignInNeeded { account, error } => {
                let who = self.account(&account).map(|a| format!("{} ({})", a.record.provider, a.record.user));
                let text = match who {
                    Some(who) => format!("{who}: {error}"),
                    None => error.to_string(),
                };
                self.banner(Banner {
                    text,
                    action: UserAction::SignInAgain,
                    account: Some(account),
                    is_error: true,
                    reminder: None,
                });
            }
            Event::Failed { account, action, error } => {
                let text = t!("window-action-failed", action = &action, error = error.to_string());
                self.banner(Banner { text, action: error.action(), account, is_error: true, reminder: None });
            }
            Event::Notice(text) => {
                self.banner(Banner { text, action: UserAction::None, account: None, is_error: false, reminder: None })
            }
            Event::Reminder { item, notified, snooze_minutes } => {
                let at = launcher_core::timefmt::local_time(item.start);
                let mut text = t!("window-reminder-soon", title = &item.title, time = at);
                if let Err(why) = &notified {
                    text.push(' ');
                    text.push_str(&t!("window-reminder-not-shown", why = why));
                }
                // Answered in the notification when it had buttons; otherwise here.
                let reminder = (notified != Ok(Shown::WithButtons))
                    .then(|| ReminderButtons { item: item.clone(), snooze_minutes });
                let account = Some(item.account);
                self.banner(Banner { text, action: UserAction::None, account, is_error: false, reminder })
            }
            // The snoozed reminder comes back as a new `Reminder`; nothing to show until then.
            Event::ReminderSnoozed { .. } => {}
            Event::Diagnostics(report) => self.diagnostics = Some(*report),
        }
    }
}
