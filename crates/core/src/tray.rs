//! The tray menu as plain data: the UI's model builds it from the app's state, the desktop layer shows it. Kept
//! here so neither of them imports the other.

/// What a menu entry does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayAction {
    StartNow,
    /// Start (join.me) or join (a link) the next meeting.
    StartNext,
    CopyViewerLink,
    Open,
    SignIn,
    Quit,
}

impl TrayAction {
    pub const ALL: [TrayAction; 6] = [
        TrayAction::StartNow,
        TrayAction::StartNext,
        TrayAction::CopyViewerLink,
        TrayAction::Open,
        TrayAction::SignIn,
        TrayAction::Quit,
    ];

    pub fn id(self) -> &'static str {
        match self {
            TrayAction::StartNow => "start-now",
            TrayAction::StartNext => "start-next",
            TrayAction::CopyViewerLink => "copy-viewer-link",
            TrayAction::Open => "open",
            TrayAction::SignIn => "sign-in",
            TrayAction::Quit => "quit",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.id() == id)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Action {
        action: TrayAction,
        label: String,
        enabled: bool,
    },
    /// A line of information (the next meeting, an account).
    Info(String),
    Separator,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrayModel {
    pub tooltip: String,
    pub entries: Vec<Entry>,
}

/// Whether something shows tray icons (a StatusNotifierItem host), as the desktop layer found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrayHost {
    Present,
    /// The session bus is there but no StatusNotifierWatcher: stock GNOME, or a bare window manager.
    Missing,
    /// No session bus at all.
    NoBus(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_found_by_its_id() {
        assert!(TrayAction::ALL.iter().all(|a| TrayAction::from_id(a.id()) == Some(*a)));
        assert_eq!(TrayAction::from_id("nothing"), None);
    }
}
