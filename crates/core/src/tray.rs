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

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrayModel {
    pub tooltip: String,
    /// The line a panel shows beside the icon where it shows one (StatusNotifierItem `Title`): "Stand-up in
    /// 12 min". Empty with nothing ahead.
    pub title: String,
    /// Two or three characters drawn into the icon, for panels that show no text: "12", "3h", "NOW".
    pub badge: Option<String>,
    pub entries: Vec<Entry>,
}

/// The icon's badge for a meeting `minutes` away (negative or zero: in progress). Fits three narrow glyphs.
pub fn badge_for(minutes: i64) -> String {
    match minutes {
        ..=0 => "NOW".into(),
        1..=99 => minutes.to_string(),
        100..=1439 => format!("{}h", minutes / 60),
        _ => format!("{}d", (minutes / 1440).min(9)),
    }
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
    fn badges_stay_within_three_glyphs() {
        assert_eq!(badge_for(-5), "NOW");
        assert_eq!(badge_for(0), "NOW");
        assert_eq!(badge_for(7), "7");
        assert_eq!(badge_for(99), "99");
        assert_eq!(badge_for(100), "1h");
        assert_eq!(badge_for(1439), "23h");
        assert_eq!(badge_for(1440 * 40), "9d");
        assert!((-10..20_000).all(|m| badge_for(m).chars().count() <= 3));
    }

    #[test]
    fn every_action_is_found_by_its_id() {
        assert!(TrayAction::ALL.iter().all(|a| TrayAction::from_id(a.id()) == Some(*a)));
        assert_eq!(TrayAction::from_id("nothing"), None);
    }
}
