//! One command in, its handler run: each command group has its own file in `handlers/`.

use std::sync::Arc;

use super::handlers::agenda::{reload_account, reload_all};
use super::handlers::deletes::delete_later;
use super::handlers::drafts::save_draft;
use super::handlers::meetings::{join_next, quick_start, start_meeting};
use super::handlers::presenters::load_presenters;
use super::handlers::settings::{check_meetingbooster_server, save_settings};
use super::handlers::sign_in::{add_calendar, browser_sign_in, signed_in};
use super::model::DraftState;
use super::protocol::{Command, Event};
use super::state::{State, lock};
use crate::auth::AuthError;

pub(crate) async fn handle(state: Arc<State>, command: Command) {
    match command {
        // Handled by the backend's own loop before it gets here.
        Command::Shutdown | Command::Reconfigure => {}
        // Answered before they reach the task, by `backend/diagnostics.rs`: they need no account.
        Command::RunDiagnostics | Command::OpenFolder(_) => {}
        Command::Reload => reload_all(state).await,
        Command::Refresh(trigger) => {
            lock(&state.schedule).ask(trigger);
            state.live_wake.notify_one();
        }
        Command::StartBrowserSignIn { provider } => browser_sign_in(state, provider).await,
        Command::CancelBrowserSignIn { provider } => {
            if let Some(cancel) = lock(&state.sign_ins).remove(&provider) {
                cancel.cancel();
            }
        }
        Command::SignInWithPassword { provider, username, password } => {
            let result = state.auth.sign_in_with_password(provider, &username, password).await;
            signed_in(state, provider, result.map_err(AuthError::from)).await;
        }
        Command::AddCalendar { name, address, allow_http, emails } => {
            add_calendar(state, &name, address, allow_http, emails, true).await;
        }
        Command::SignOut { account } => match state.auth.sign_out(&account).await {
            Ok(note) => {
                state.forget_account(&account);
                state.sink.send(Event::SignedOut { account, note });
                state.send_accounts().await;
                state.send_agenda();
            }
            Err(error) => state.report(Some(&account), "Signing out", error).await,
        },
        Command::RefreshToken { account } => match state.auth.refresh_now(&account).await {
            Ok(_) => state.send_accounts().await,
            Err(error) => state.report(Some(&account), "Refreshing the sign-in", error).await,
        },
        Command::ExpireAccess { account } => match state.auth.expire_access(&account).await {
            Ok(()) => {
                state.sink.send(Event::Notice("join.me expired the access token; the next call refreshes it.".into()));
                state.send_accounts().await;
            }
            Err(error) => state.report(Some(&account), "Expiring the access token", error).await,
        },
        Command::SaveMeeting { mut draft } => {
            draft.state = DraftState::Sending;
            save_draft(state, draft).await
        }
        Command::RetryDraft { draft_id } => {
            let draft = lock(&state.drafts).iter().find(|d| d.id == draft_id).cloned();
            if let Some(mut draft) = draft {
                draft.state = DraftState::Sending;
                save_draft(state, draft).await;
            }
        }
        Command::DiscardDraft { draft_id } => {
            lock(&state.drafts).retain(|d| d.id != draft_id);
            state.save_drafts();
        }
        Command::DeleteMeeting { account, meeting_id } => delete_later(state, account, meeting_id).await,
        Command::UndoDelete { account, meeting_id } => {
            if lock(&state.pending_deletes).remove(&(account.clone(), meeting_id.clone())).is_some() {
                state.sink.send(Event::DeleteUndone { account, meeting_id });
                state.send_agenda();
            }
        }
        Command::StartMeeting { account, meeting_id, personal_url } => {
            let _ = start_meeting(&state, &account, meeting_id.as_deref(), personal_url, true).await;
        }
        Command::QuickStart { personal_url, open_browser, reply } => {
            let result = quick_start(&state, personal_url, open_browser).await;
            if let Some(reply) = reply {
                let _ = reply.send(result);
            }
        }
        Command::JoinNext { open_browser, reply } => {
            let result = join_next(&state, open_browser).await;
            if let Some(reply) = reply {
                let _ = reply.send(result);
            }
        }
        Command::OpenLink { url } => match url::Url::parse(&url) {
            Ok(parsed) => state.open_in_browser(parsed, "the link", true),
            Err(e) => tracing::info!(error = %e, "not a link"),
        },
        Command::SnoozeReminder { account, meeting_id, minutes } => {
            let item = state.agenda().into_iter().find(|i| i.account == account && i.id == meeting_id);
            if let Some(item) = item {
                let until = launcher_core::timefmt::later(
                    state.auth.now(),
                    chrono::Duration::minutes(i64::from(minutes.max(1))),
                );
                lock(&state.reminders).snooze(&item, until);
                state.reminders_changed.notify_one();
                state.sink.send(Event::ReminderSnoozed { account, meeting_id, until });
            }
        }
        Command::SaveSettings { path, settings, policies } => {
            let result = save_settings(&state, path, *settings, *policies).await;
            let saved = result.is_ok();
            state.sink.send(Event::SettingsSaved(result));
            // In force at once: the backend reads the file again and applies it, no restart of the app.
            if saved {
                state.own.send(Command::Reconfigure);
            }
        }
        Command::SetAppSecret { name, value } => {
            let result = set_app_secret(&state, name, value).await;
            let saved = result.is_ok();
            state.sink.send(Event::AppSecretSaved { name, result });
            // In force at once: the services are set up again with the keychain as it is now.
            if saved {
                state.own.send(Command::Reconfigure);
            }
        }
        Command::CheckMeetingBoosterServer { id, address, allow_http, network } => {
            let result = check_meetingbooster_server(&address, allow_http, network).await;
            state.sink.send(Event::ServerChecked { id, result });
        }
        Command::SetReminders(settings) => {
            *lock(&state.reminder_settings) = settings;
            state.reminders_changed.notify_one();
        }
        Command::LoadPresenters { account } => load_presenters(&state, account).await,
        Command::LoadProfile { account } => match state.ops().profile(&account).await {
            Ok((user, conference)) => state.sink.send(Event::Profile { account, user, conference }),
            Err(error) => state.report(Some(&account), "Loading the join.me profile", error).await,
        },
        Command::InvitePresenter { account, email } => match state.ops().invite_presenter(&account, &email).await {
            Ok(()) => {
                state.sink.send(Event::Notice(format!("Invited {} as a presenter.", email.trim())));
                load_presenters(&state, account).await;
            }
            Err(error) => state.report(Some(&account), "Inviting the presenter", error).await,
        },
        Command::RemovePresenter { account, presenter_id } => {
            match state.ops().remove_presenter(&account, presenter_id).await {
                Ok(()) => load_presenters(&state, account).await,
                Err(error) => state.report(Some(&account), "Removing the presenter", error).await,
            }
        }
        Command::LoadTalks { account, event_id } => match state.ops().talks(&event_id).await {
            Ok(talks) => state.sink.send(Event::Talks { event_id, talks }),
            Err(error) => state.report(Some(&account), "Loading the talks", error).await,
        },
        Command::SetAttending { account, event_id, attend } => {
            match state.ops().set_attending(&account, &event_id, attend).await {
                Ok(()) => reload_account(state, account).await,
                Err(error) => state.report(Some(&account), "Changing attendance", error).await,
            }
        }
    }
}

/// Saves or removes one of the app's own secrets in the keychain. Refused where there is no keychain (memory
/// only: it would be gone at the next start, and the user would believe it kept). A policy's secret still wins
/// over the keychain's (`Endpoints::from_policy`); the window offers no change then.
async fn set_app_secret(
    state: &State,
    name: crate::auth::keychain::SecretName,
    value: Option<launcher_core::secret::Secret>,
) -> Result<(), String> {
    let keychain = state.auth.keychain();
    if let crate::auth::Storage::Memory { reason } = keychain.storage() {
        return Err(format!("It was not saved: there is no keychain to keep it in ({reason})."));
    }
    let done = match &value {
        Some(secret) if secret.expose().trim().is_empty() => return Err("It was not saved: it is empty.".into()),
        // As `secret set` keeps it: a pasted secret's stray spaces would make the service refuse the app.
        Some(secret) => keychain.set(name.key(), &launcher_core::secret::Secret::new(secret.expose().trim())).await,
        None => keychain.delete(name.key()).await,
    };
    done.map_err(|e| format!("The keychain did not take it: {e}"))
}
