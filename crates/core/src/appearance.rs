//! The desktop's own light or dark preference, as the desktop layer hears it and the window follows it when the
//! theme setting is "As the desktop".

/// The XDG settings portal's `org.freedesktop.appearance` `color-scheme`: 0 no preference, 1 dark, 2 light.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorScheme {
    NoPreference,
    Dark,
    Light,
}

impl ColorScheme {
    /// The portal's number; an unknown one (a newer portal's) is no preference.
    pub fn from_portal(value: u32) -> Self {
        match value {
            1 => Self::Dark,
            2 => Self::Light,
            _ => Self::NoPreference,
        }
    }
}
