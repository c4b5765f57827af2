//! Desktop notifications for reminders: the system's notification server behind the engine's
//! [`DesktopNotifier`] port (tests and headless runs use something else). Showing one may block (D-Bus), so it is called off the UI thread.

pub use launcher_engine::ports::{DesktopNotifier, OnChoice, Reminder, ReminderChoice, Shown};

/// What the notification server can do, for `doctor` and for choosing a fallback.
#[derive(Debug, Clone, PartialEq)]
pub struct Capabilities {
    pub server: String,
    pub actions: bool,
}

/// The system's notification server (org.freedesktop.Notifications on Linux and the BSDs).
pub struct SystemNotifier;

/// The buttons' keys in the notification; "default" is what a click on the body sends.
#[cfg(all(unix, not(target_os = "macos")))]
const ACTION_KEY: &str = "start";
#[cfg(all(unix, not(target_os = "macos")))]
const SNOOZE_KEY: &str = "snooze";

impl DesktopNotifier for SystemNotifier {
    fn show(&self, reminder: &Reminder, on_choice: OnChoice) -> Result<Shown, String> {
        let mut notification = notify_rust::Notification::new();
        notification.appname(launcher_core::app::TITLE).summary(&reminder.summary).body(&reminder.body);
        #[cfg(all(unix, not(target_os = "macos")))]
        {
            notification.icon(launcher_core::app::APP_ID).hint(notify_rust::Hint::Category("presence".into()));
            // Servers without actions (XFCE, some dunst setups) still send "default" on a click.
            let actions = notify_rust::get_capabilities().is_ok_and(|caps| caps.iter().any(|c| c == "actions"));
            if let (Some(label), true) = (&reminder.action, actions) {
                notification.action("default", label).action(ACTION_KEY, label);
            }
            if let (Some(minutes), true) = (reminder.snooze_minutes, actions) {
                notification.action(SNOOZE_KEY, &launcher_core::t!("tray-reminder-snooze", minutes = minutes));
            }
            let handle = notification.show().map_err(|e| e.to_string())?;
            if reminder.action.is_some() || reminder.snooze_minutes.is_some() {
                // Waiting lasts until the notification closes: on a thread of its own, so `show` says at once
                // whether it was shown.
                let mut on_choice = Some(on_choice);
                let start = reminder.action.is_some();
                let waited = std::thread::Builder::new().name("reminder".into()).spawn(move || {
                    handle.wait_for_action(|action| {
                        let choice = match action {
                            ACTION_KEY | "default" if start => ReminderChoice::Start,
                            SNOOZE_KEY => ReminderChoice::Snooze,
                            _ => return,
                        };
                        if let Some(run) = on_choice.take() {
                            run(choice);
                        }
                    })
                });
                if let Err(e) = waited {
                    tracing::info!(error = %e, "the reminder's button will not be answered");
                    return Ok(Shown::WithoutButtons);
                }
            }
            // Without actions a click on the body may still start it (above); the window offers the buttons.
            Ok(if actions { Shown::WithButtons } else { Shown::WithoutButtons })
        }
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        {
            // notify-rust takes no buttons on Windows and macOS: the notification tells, and the window offers
            // Start or Join and Snooze (as on a Linux desktop whose server has no actions).
            drop(on_choice);
            notification.show().map(|_| Shown::WithoutButtons).map_err(|e| e.to_string())
        }
    }
}

/// Asks the notification server who it is and whether it shows buttons.
pub fn capabilities() -> Result<Capabilities, String> {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        let caps = notify_rust::get_capabilities().map_err(|e| e.to_string())?;
        let server = notify_rust::get_server_information().map(|i| format!("{} {}", i.name, i.version));
        Ok(Capabilities {
            server: server.unwrap_or_else(|_| "unknown".into()),
            actions: caps.iter().any(|c| c == "actions"),
        })
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        Ok(Capabilities { server: "the system's".into(), actions: false })
    }
}
