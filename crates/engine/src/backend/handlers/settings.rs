//! Saving the settings file and applying start at login, off the runtime's worker threads.

use super::super::state::State;
use crate::ports::Autostart;

/// Writes the settings file (a policy's locked values stay the user's own) and applies start at login, on a
/// blocking thread: both touch the disk.
pub(crate) async fn save_settings(
    state: &State,
    path: std::path::PathBuf,
    settings: crate::settings::Settings,
    policies: crate::settings::Policies,
) -> Result<(), String> {
    let autostart = state.autostart.clone();
    tokio::task::spawn_blocking(move || {
        settings.save_keeping_locked(&path, &policies).map_err(|e| e.to_string())?;
        match autostart {
            Some(autostart) => autostart
                .set_enabled(settings.desktop.start_at_login)
                .map_err(|e| format!("Saved, but start at login could not be set: {e}")),
            None => Ok(()),
        }
    })
    .await
    .unwrap_or_else(|e| Err(format!("Saving stopped: {e}")))
}

/// A managed StartAtLogin is applied to the login item; the user's own choice is applied when saved.
pub(crate) fn apply_start_at_login(policies: &crate::settings::Policies, autostart: &dyn Autostart) {
    if let Some(crate::settings::policy::PolicyValue::Bool(wanted)) =
        policies.managed(crate::settings::policy::names::START_AT_LOGIN)
        && autostart.is_enabled() != *wanted
        && let Err(e) = autostart.set_enabled(*wanted)
    {
        tracing::warn!(error = %e, "cannot apply the StartAtLogin policy");
    }
}

/// Asks `address` whether it is a MeetingBooster server, through the network settings being set up (a CA file is
/// read on a blocking thread).
pub(crate) async fn check_meetingbooster_server(
    address: &str,
    allow_http: bool,
    network: crate::settings::NetworkSettings,
) -> Result<(), String> {
    let server = url::Url::parse(address.trim().trim_end_matches('/'))
        .map_err(|e| format!("“{}” is not a web address ({e}).", address.trim()))?;
    let http = tokio::task::spawn_blocking(move || crate::providers::http::client(&network))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    let endpoint = crate::providers::MeetingBoosterEndpoint { server, allow_http, username: None };
    crate::providers::meetingbooster::probe(&http, &endpoint).await.map_err(|e| e.to_string())
}
