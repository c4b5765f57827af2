//! The app's words in the user's language: Fluent messages (`assets/i18n/<language>.ftl`, embedded), the
//! language and clock chosen once at start from the system's locale or the settings, and dates and times written
//! the locale's way. Every layer that speaks to a person (window, tray, notifications) asks here with [`t!`].
//!
//! The locale is process-wide; a thread may override it for itself ([`for_this_thread`]), so tests in one process
//! can draw the window in German beside others drawing it in English.

use std::borrow::Cow;
use std::cell::Cell;
use std::sync::{OnceLock, RwLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// One language's files (`assets/i18n/<tag>/`), as one Fluent source.
macro_rules! messages {
    ($tag:literal) => {
        concat!(
            include_str!(concat!("../../../assets/i18n/", $tag, "/time.ftl")),
            "\n",
            include_str!(concat!("../../../assets/i18n/", $tag, "/app.ftl")),
            "\n",
            include_str!(concat!("../../../assets/i18n/", $tag, "/agenda.ftl")),
            "\n",
            include_str!(concat!("../../../assets/i18n/", $tag, "/accounts.ftl")),
            "\n",
            include_str!(concat!("../../../assets/i18n/", $tag, "/settings.ftl")),
            "\n",
            include_str!(concat!("../../../assets/i18n/", $tag, "/help.ftl")),
            "\n",
            include_str!(concat!("../../../assets/i18n/", $tag, "/window.ftl")),
            "\n",
            include_str!(concat!("../../../assets/i18n/", $tag, "/tray.ftl")),
        )
    };
}

/// The languages the app is translated into, each complete (a test compares their keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[serde(rename = "en")]
    English,
    #[serde(rename = "de")]
    German,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::English, Language::German];

    /// The language's own name for itself, as a language menu lists it.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::German => "Deutsch",
        }
    }

    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
        }
    }

    fn source(self) -> &'static str {
        match self {
            Language::English => messages!("en"),
            Language::German => messages!("de"),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A language and how its clock reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locale {
    pub language: Language,
    /// "9:05 AM" rather than "09:05".
    pub hour12: bool,
}

impl Default for Locale {
    /// English with a 24-hour clock: what a system with no locale (`C`, `POSIX`) gets.
    fn default() -> Self {
        Self { language: Language::English, hour12: false }
    }
}

/// Regions whose everyday clock is the 12-hour one (CLDR's `h` hour cycle), for the languages we speak.
const TWELVE_HOUR_REGIONS: &[&str] = &["US", "CA", "AU", "NZ", "IN", "PH", "PK", "EG", "SA", "MY"];

impl Locale {
    /// From a system locale as the OS writes it: `de_DE.UTF-8`, `de-AT`, `en_US`, `C`. A language we do not speak
    /// is English, with the region's clock.
    pub fn from_system(tag: &str) -> Self {
        // `de_DE.UTF-8@euro` → `de-DE`; of a list (`LANGUAGE=de_DE:de`), the first.
        let tag = tag.split([':', '.', '@']).next().unwrap_or_default().replace('_', "-");
        let Ok(id) = tag.parse::<unic_langid::LanguageIdentifier>() else { return Self::default() };
        let language = match id.language.as_str() {
            "de" => Language::German,
            _ => Language::English,
        };
        let region = id.region.as_ref().map(|r| r.as_str().to_string()).unwrap_or_default();
        Self { language, hour12: TWELVE_HOUR_REGIONS.contains(&region.as_str()) }
    }

    /// `language` chosen in the settings, keeping the system's clock when it is the system's language, and taking
    /// the chosen language's usual one otherwise.
    pub fn with_language(self, language: Language) -> Self {
        if language == self.language { self } else { Self { language, hour12: false } }
    }
}

static PROCESS: RwLock<Locale> = RwLock::new(Locale { language: Language::English, hour12: false });

thread_local! {
    static THREAD: Cell<Option<Locale>> = const { Cell::new(None) };
}

/// The locale for the whole process (set at start, and when the settings change it). A thread that speaks a
/// language of its own ([`for_this_thread`]) changes only its own.
pub fn set(locale: Locale) {
    if THREAD.with(|t| t.get().is_some()) {
        THREAD.with(|t| t.set(Some(locale)));
    } else {
        *PROCESS.write().unwrap_or_else(|e| e.into_inner()) = locale;
    }
}

/// The locale in force on this thread.
pub fn current() -> Locale {
    THREAD.with(Cell::get).unwrap_or_else(|| *PROCESS.read().unwrap_or_else(|e| e.into_inner()))
}

/// This thread speaks `locale` until the guard goes (tests that draw one language beside others).
pub fn for_this_thread(locale: Locale) -> ThreadLocale {
    let before = THREAD.with(|t| t.replace(Some(locale)));
    ThreadLocale(before)
}

pub struct ThreadLocale(Option<Locale>);

impl Drop for ThreadLocale {
    fn drop(&mut self) {
        THREAD.with(|t| t.set(self.0));
    }
}

fn bundles() -> &'static [FluentBundle<FluentResource>; 2] {
    static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
    BUNDLES.get_or_init(|| Language::ALL.map(bundle))
}

fn bundle(language: Language) -> FluentBundle<FluentResource> {
    let id: unic_langid::LanguageIdentifier = language.tag().parse().expect("a valid tag");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around arguments: egui draws them as boxes.
    bundle.set_use_isolating(false);
    // A parse error or a key defined twice keeps the rest; the key test names them.
    let resource = FluentResource::try_new(language.source().to_string()).unwrap_or_else(|(resource, _)| resource);
    let _ = bundle.add_resource(resource);
    bundle
}

/// An argument to a message.
pub enum Arg<'a> {
    Text(Cow<'a, str>),
    Number(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(v))
    }
}
impl<'a> From<&'a String> for Arg<'a> {
    fn from(v: &'a String) -> Self {
        Arg::Text(Cow::Borrowed(v))
    }
}
impl From<String> for Arg<'_> {
    fn from(v: String) -> Self {
        Arg::Text(Cow::Owned(v))
    }
}
macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg<'_> {
            fn from(v: $t) -> Self {
                Arg::Number(v as f64)
            }
        }
    )*};
}
number_arg!(i32, i64, u16, u32, u64, usize);

/// The message `id` in this thread's language, with `args`; the English one when the language lacks it, and the
/// id itself when neither has it (the key test keeps both from happening).
pub fn tr(id: &str, args: &[(&str, Arg<'_>)]) -> String {
    tr_in(current().language, id, args)
}

pub fn tr_in(language: Language, id: &str, args: &[(&str, Arg<'_>)]) -> String {
    let bundles = bundles();
    let found = [language, Language::English].into_iter().find_map(|l| {
        let bundle = &bundles[l.index()];
        bundle.get_message(id).and_then(|m| m.value()).map(|pattern| (bundle, pattern))
    });
    let Some((bundle, pattern)) = found else { return id.to_string() };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Text(text) => fluent_args.set(*name, FluentValue::from(text.as_ref())),
            Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
        }
    }
    let mut errors = Vec::new();
    bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned()
}

/// A message in this thread's language: `t!("nav-agenda")`, `t!("join-named", title = &item.title)`.
#[macro_export]
macro_rules! t {
    ($id:literal) => {
        $crate::i18n::tr($id, &[])
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::tr($id, &[$((stringify!($name), $crate::i18n::Arg::from($value))),+])
    };
}

/// The ids a Fluent source defines (messages and terms), and the problems parsing it.
pub fn ids(source: &str) -> (Vec<String>, Vec<String>) {
    let (resource, errors) = match FluentResource::try_new(source.to_string()) {
        Ok(r) => (r, Vec::new()),
        Err((r, errors)) => (r, errors.iter().map(|e| format!("{e:?}")).collect()),
    };
    let ids = resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            fluent_syntax::ast::Entry::Term(t) => Some(format!("-{}", t.id.name)),
            _ => None,
        })
        .collect();
    (ids, errors)
}

/// The embedded source of `language`'s messages.
pub fn source(language: Language) -> &'static str {
    language.source()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_locales_are_read_as_the_os_writes_them() {
        let de = Locale::from_system("de_DE.UTF-8");
        assert_eq!(de, Locale { language: Language::German, hour12: false });
        assert_eq!(Locale::from_system("de-AT"), de);
        assert_eq!(Locale::from_system("de_DE:de"), de);
        assert_eq!(Locale::from_system("en_US.UTF-8"), Locale { language: Language::English, hour12: true });
        assert_eq!(Locale::from_system("en_GB.UTF-8"), Locale { language: Language::English, hour12: false });
        assert_eq!(Locale::from_system("C"), Locale::default());
        assert_eq!(Locale::from_system(""), Locale::default());
        assert_eq!(Locale::from_system("fr_CA.UTF-8"), Locale { language: Language::English, hour12: true });
        // A chosen language with its own clock; the system's kept when it is the system's language.
        assert_eq!(de.with_language(Language::English), Locale::default());
        let us = Locale::from_system("en_US");
        assert_eq!(us.with_language(Language::English), us);
    }

    #[test]
    fn messages_take_arguments_and_a_thread_may_speak_another_language() {
        let _english = for_this_thread(Locale::default());
        assert_eq!(crate::t!("nav-agenda"), "Agenda");
        assert_eq!(crate::t!("in-minutes", minutes = 12), "in 12 min");
        {
            let _german = for_this_thread(Locale { language: Language::German, hour12: false });
            assert_eq!(crate::t!("nav-settings"), "Einstellungen");
            assert_eq!(crate::t!("in-minutes", minutes = 12), "in 12 Min.");
        }
        assert_eq!(crate::t!("nav-settings"), "Settings");
        // An unknown id reads as itself rather than as nothing.
        assert_eq!(tr("no-such-message", &[]), "no-such-message");
    }

    /// What differs between two languages' sources: parse errors, keys in one only, keys defined twice, and
    /// messages whose arguments differ (a `{ $name }` one language forgot, or renamed).
    fn differences(en_source: &str, de_source: &str) -> Vec<String> {
        let mut found = Vec::new();
        let (en, en_errors) = ids(en_source);
        let (de, de_errors) = ids(de_source);
        found.extend(en_errors.into_iter().map(|e| format!("en: {e}")));
        found.extend(de_errors.into_iter().map(|e| format!("de: {e}")));
        found.extend(en.iter().filter(|k| !de.contains(k)).map(|k| format!("missing in de: {k}")));
        found.extend(de.iter().filter(|k| !en.contains(k)).map(|k| format!("missing in en: {k}")));
        for (language, keys) in [("en", &en), ("de", &de)] {
            let mut seen = std::collections::HashSet::new();
            found.extend(keys.iter().filter(|k| !seen.insert(*k)).map(|k| format!("twice in {language}: {k}")));
        }
        let (en_args, de_args) = (arguments(en_source), arguments(de_source));
        for (key, args) in &en_args {
            if let Some(other) = de_args.get(key).filter(|other| *other != args) {
                found.push(format!("{key}: en uses {args:?}, de {other:?}"));
            }
        }
        found
    }

    /// Each message's argument names, from its source text.
    fn arguments(source: &str) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
        let mut found = std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new();
        let mut key = String::new();
        for line in source.lines() {
            if let Some((name, _)) = line.split_once(" =").filter(|_| !line.starts_with([' ', '#', '*', '['])) {
                key = name.trim().to_string();
            }
            for (at, _) in line.match_indices('$') {
                let name: String =
                    line[at + 1..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-').collect();
                found.entry(key.clone()).or_default().insert(name);
            }
        }
        found
    }

    #[test]
    fn english_and_german_define_the_same_keys_with_the_same_arguments() {
        let found = differences(source(Language::English), source(Language::German));
        assert!(found.is_empty(), "{}", found.join("\n"));
    }

    /// The ids `t!("…")` names in `text`.
    fn used_ids(text: &str) -> Vec<String> {
        text.match_indices("t!(\"")
            // `t!` itself, not `format!` or `concat!`.
            .filter(|(at, _)| !text[..*at].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
            .filter_map(|(at, m)| text[at + m.len()..].split('"').next().map(str::to_string))
            .collect()
    }

    #[test]
    fn every_message_the_code_asks_for_is_defined() {
        fn walk(dir: &std::path::Path, found: &mut Vec<(String, String)>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("core/src/i18n.rs") {
                    // (This file's examples and tests name made-up messages.)
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    found.extend(used_ids(&text).into_iter().map(|id| (id, path.display().to_string())));
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut used = Vec::new();
        for dir in ["crates/core/src", "crates/engine/src", "crates/desktop/src", "crates/ui/src", "src"] {
            walk(&root.join(dir), &mut used);
        }
        assert!(used.len() > 20, "the scan found the code's messages: {}", used.len());
        let (en, _) = ids(source(Language::English));
        let undefined: Vec<_> = used.iter().filter(|(id, _)| !en.contains(id)).collect();
        assert!(undefined.is_empty(), "messages the code asks for that en.ftl lacks: {undefined:?}");
        // The control: the scan reads a use as the code writes it.
        assert_eq!(
            used_ids(r#"let a = t!("nav-agenda"); crate::t!("x-y", n = 1); format!("{x}")"#),
            ["nav-agenda", "x-y"]
        );
    }

    #[test]
    fn the_language_check_catches_a_missing_key_a_renamed_argument_and_a_twin() {
        // The control for the test above, through the same check.
        let found = differences("a = A\nb = B { $n }\nc = C\n", "a = A\nb = B { $m }\na = A\n");
        assert_eq!(found, ["missing in de: c", "twice in de: a", "b: en uses {\"n\"}, de {\"m\"}"], "{found:?}");
    }
}
