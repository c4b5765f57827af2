//! What every command's task shares: the auth layer, the agenda, drafts, pending deletes, reminders, and the
//! sink events leave by.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use super::cache::{AgendaCache, CachedAccount};
use super::config::{BackendHandle, Notifier};
use super::drafts::DraftStore;
use super::model::{AgendaItem, Draft};
use super::ops::{Ops, SyncState};
use super::protocol::{Command, Event};
use super::reminders::{ReminderSettings, Reminders, reminder_for, way_in};
use super::retry::RetryPolicy;
use super::schedule::{LiveConfig, Schedule};
use crate::auth::{Auth, BrowserOpener, CancelHandle};
use crate::ports::{Autostart, DesktopNotifier, ReminderChoice};
use crate::providers::{Provider, ProviderError, UserAction};

#[derive(Clone)]
pub(crate) struct Sink {
    pub(crate) tx: std::sync::mpsc::Sender<Event>,
    pub(crate) notify: Notifier,
}

impl Sink {
    pub(crate) fn send(&self, event: Event) {
        if self.tx.send(event).is_ok() {
            (self.notify)();
        }
    }
}

pub(crate) struct PendingDelete {
    pub(crate) item: AgendaItem,
    pub(crate) generation: u64,
}

pub(crate) struct State {
    pub(crate) auth: Auth,
    pub(crate) sink: Sink,
    pub(crate) store: DraftStore,
    pub(crate) drafts: Mutex<Vec<Draft>>,
    pub(crate) agenda: Mutex<BTreeMap<String, Vec<AgendaItem>>>,
    /// MeetingBooster's sync state, one lock per account: a slow server holds up only its own account.
    pub(crate) sync_state: Mutex<HashMap<String, Arc<tokio::sync::Mutex<SyncState>>>>,
    pub(crate) pending_deletes: Mutex<HashMap<(String, String), PendingDelete>>,
    pub(crate) generation: std::sync::atomic::AtomicU64,
    pub(crate) sign_ins: Mutex<HashMap<Provider, CancelHandle>>,
    pub(crate) browser: Arc<dyn BrowserOpener>,
    pub(crate) policy: RetryPolicy,
    pub(crate) undo_window: std::time::Duration,
    /// The backend's own inbox, for what arrives from other threads (a reminder's action).
    pub(crate) own: BackendHandle,
    pub(crate) notifier: Option<Arc<dyn DesktopNotifier>>,
    pub(crate) reminders: Mutex<Reminders>,
    pub(crate) reminder_settings: Mutex<ReminderSettings>,
    /// Wakes the reminder timer when the agenda or the settings change.
    pub(crate) reminders_changed: tokio::sync::Notify,
    pub(crate) autostart: Option<Arc<dyn Autostart>>,
    /// The live agenda's settings; `None`: loaded only when asked (the command line, most tests).
    pub(crate) live: Option<LiveConfig>,
    pub(crate) schedule: Mutex<Schedule>,
    /// Wakes the live loop (a trigger, a new account).
    pub(crate) live_wake: tokio::sync::Notify,
    /// Per account: when its items last loaded, and why the latest try failed.
    pub(crate) freshness: Mutex<BTreeMap<String, launcher_core::agenda::Freshness>>,
    /// `None`: nothing kept on disk (the demo).
    pub(crate) cache: Option<AgendaCache>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl State {
    pub(crate) fn ops(&self) -> Ops<'_> {
        self.ops_with(self.policy)
    }

    pub(crate) fn ops_with(&self, policy: RetryPolicy) -> Ops<'_> {
        Ops { auth: &self.auth, policy }
    }

    pub(crate) async fn send_accounts(&self) {
        self.sink.send(Event::Accounts(self.auth.accounts().await));
    }

    /// Every account's meetings, sorted by start, without those being deleted.
    pub(crate) fn agenda(&self) -> Vec<AgendaItem> {
        let hidden = lock(&self.pending_deletes);
        let mut all: Vec<AgendaItem> = lock(&self.agenda)
            .values()
            .flatten()
            .filter(|i| !hidden.keys().any(|(account, id)| *account == i.account && *id == i.id))
            .cloned()
            .collect();
        drop(hidden);
        all.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.title.cmp(&b.title)));
        all
    }

    pub(crate) fn send_agenda(&self) {
        self.sink.send(Event::Agenda(self.agenda()));
        self.sink.send(Event::AgendaStatus(lock(&self.freshness).clone()));
        self.reminders_changed.notify_one();
    }

    /// Every account's last good items, as the cache keeps them.
    pub(crate) fn save_agenda_cache(&self) {
        let Some(cache) = &self.cache else { return };
        // The agenda stays locked until the file is written, so a later load's save cannot be overtaken by an
        // earlier one's; its freshness is read under the same lock.
        let agenda = lock(&self.agenda);
        let freshness = lock(&self.freshness).clone();
        let accounts = agenda
            .iter()
            .filter_map(|(key, items)| {
                let updated = freshness.get(key)?.updated?;
                Some((key.clone(), CachedAccount { updated, items: items.clone() }))
            })
            .collect();
        cache.save(accounts);
    }

    /// An account signed out or removed: its items, schedule and cache entry go.
    pub(crate) fn forget_account(&self, key: &str) {
        lock(&self.agenda).remove(key);
        lock(&self.freshness).remove(key);
        lock(&self.schedule).forget(key);
        lock(&self.sync_state).remove(key);
        self.save_agenda_cache();
    }

    /// Gives the reminders due now in `agenda`.
    pub(crate) fn give_reminders(&self, agenda: &[AgendaItem], now: chrono::DateTime<chrono::Utc>) {
        let Some(notifier) = &self.notifier else { return };
        let settings = *lock(&self.reminder_settings);
        let due = lock(&self.reminders).take_due(agenda, now, settings);
        for item in due {
            let reminder = reminder_for(&item, now);
            let own = self.own.clone();
            let action = way_in(&item);
            let notifier = notifier.clone();
            let sink_item = item.clone();
            let sink = self.sink.clone();
            // Showing a notification talks to D-Bus: off the runtime's worker threads.
            tokio::task::spawn_blocking(move || {
                let snooze = Command::SnoozeReminder {
                    account: sink_item.account.clone(),
                    meeting_id: sink_item.id.clone(),
                    minutes: reminder.snooze_minutes.unwrap_or(0),
                };
                let on_choice = Box::new(move |choice| match choice {
                    ReminderChoice::Start => {
                        if let Some(action) = action {
                            own.send(action);
                        }
                    }
                    ReminderChoice::Snooze => own.send(snooze),
                });
                let notified = notifier.show(&reminder, on_choice);
                if let Err(e) = &notified {
                    tracing::info!(error = %e, "the reminder could not be shown on the desktop");
                }
                let snooze_minutes = reminder.snooze_minutes;
                sink.send(Event::Reminder { item: sink_item, notified, snooze_minutes });
            });
        }
    }

    /// Hands `url` to the browser on a blocking thread and returns at once: an opener that probes the desktop
    /// (xdg-open, gio) takes a while, and a second launch's `start` should not wait for it. With `tell`, a
    /// failure is told with the link to copy (a started meeting's links are shown anyway).
    pub(crate) fn open_in_browser(&self, url: url::Url, what: &'static str, tell: bool) {
        let (browser, sink) = (self.browser.clone(), self.sink.clone());
        tokio::task::spawn_blocking(move || {
            if let Err(e) = browser.open(&url) {
                tracing::info!(error = %e, "{what} did not open");
                if tell {
                    sink.send(Event::Notice(format!("The browser did not open ({e}). The link: {url}")));
                }
            }
        });
    }

    pub(crate) fn save_drafts(&self) {
        // Written while the list is locked: two saves at once (each command is its own task) must not land in
        // the opposite order and roll the file back.
        let (drafts, saved) = {
            let drafts = lock(&self.drafts);
            let saved = self.store.save(&drafts);
            (drafts.clone(), saved)
        };
        // Not on disk: still here while the app runs, and the user knows a restart would lose them.
        if let Err(e) = saved {
            self.sink.send(Event::Notice(format!(
                "Your unsent meeting changes could not be saved to disk ({e}). They are kept while the app runs: \
                 send or retry them before quitting."
            )));
        }
        self.sink.send(Event::Drafts(drafts));
    }

    /// Reports a failure; a lost sign-in is its own event, for that account only.
    pub(crate) async fn report(&self, account: Option<&str>, action: &str, error: ProviderError) {
        if let (Some(account), UserAction::SignInAgain) = (account, error.action()) {
            self.sink.send(Event::SignInNeeded { account: account.into(), error });
            self.send_accounts().await;
            return;
        }
        self.sink.send(Event::Failed { account: account.map(String::from), action: action.into(), error });
    }
}
