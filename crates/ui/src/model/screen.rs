//! The screens the window can show (remembered between runs).

use launcher_core::t;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Screen {
    Agenda,
    Accounts,
    Presenters,
    Events,
    Settings,
    Help,
    /// Setting up a service of one's own: from the welcome card and the demo's "Connect your account".
    Connect,
}

impl Screen {
    /// The side bar's screens, in its order (Connect is reached from the demo's buttons).
    pub const ALL: [Screen; 6] =
        [Screen::Agenda, Screen::Accounts, Screen::Presenters, Screen::Events, Screen::Settings, Screen::Help];

    pub fn title(self) -> String {
        match self {
            Screen::Agenda => t!("nav-agenda"),
            Screen::Accounts => t!("nav-accounts"),
            Screen::Presenters => t!("nav-presenters"),
            Screen::Events => t!("nav-events"),
            Screen::Settings => t!("nav-settings"),
            Screen::Help => t!("nav-help"),
            Screen::Connect => t!("nav-connect"),
        }
    }
}
