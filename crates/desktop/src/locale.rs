//! The language and clock the user's system asks for (`LANG`/`LC_*` on Linux, the user's preferred languages on
//! Windows and macOS), as launcher-core reads a locale.

use launcher_core::i18n::Locale;

/// The system's locale; English with a 24-hour clock when it names none. On Unix the clock follows the time
/// locale (`LC_ALL`, then `LC_TIME`), which may differ from the language's (`LANG=en_US.UTF-8` with
/// `LC_TIME=en_GB.UTF-8` reads 24-hour).
pub fn system() -> Locale {
    let locale = sys_locale::get_locale().map(|tag| Locale::from_system(&tag)).unwrap_or_default();
    #[cfg(unix)]
    {
        let time =
            ["LC_ALL", "LC_TIME"].into_iter().find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()));
        if let Some(time) = time {
            return Locale { hour12: Locale::from_system(&time).hour12, ..locale };
        }
    }
    locale
}
