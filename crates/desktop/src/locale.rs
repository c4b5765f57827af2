//! The language and clock the user's system asks for (`LANG`/`LC_*` on Linux, the user's preferred languages on
//! Windows and macOS), as launcher-core reads a locale.

use launcher_core::i18n::Locale;

/// The system's locale; English with a 24-hour clock when it names none.
pub fn system() -> Locale {
    sys_locale::get_locale().map(|tag| Locale::from_system(&tag)).unwrap_or_default()
}
