//! The screens the window can show (remembered between runs).

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Screen {
    Agenda,
    Accounts,
    Presenters,
    Events,
    Settings,
    Help,
}

impl Screen {
    pub const ALL: [Screen; 6] =
        [Screen::Agenda, Screen::Accounts, Screen::Presenters, Screen::Events, Screen::Settings, Screen::Help];

    pub fn title(self) -> &'static str {
        match self {
            Screen::Agenda => "Agenda",
            Screen::Accounts => "Accounts",
            Screen::Presenters => "Presenters",
            Screen::Events => "joind.in events",
            Screen::Settings => "Settings",
            Screen::Help => "Help",
        }
    }
}
