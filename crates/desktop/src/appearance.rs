//! The desktop's light or dark preference on Linux and the BSDs: the XDG settings portal's
//! `org.freedesktop.appearance` `color-scheme` (GNOME, KDE and others, through xdg-desktop-portal), read once and
//! then followed through its `SettingChanged` signal. winit reports no theme under X11, so without this the
//! "As the desktop" theme would always be egui's default. Windows and macOS report theirs through winit.

pub use launcher_core::appearance::ColorScheme;

#[cfg(all(unix, not(target_os = "macos")))]
const PORTAL: &str = "org.freedesktop.portal.Desktop";
#[cfg(all(unix, not(target_os = "macos")))]
const PATH: &str = "/org/freedesktop/portal/desktop";
#[cfg(all(unix, not(target_os = "macos")))]
const SETTINGS: &str = "org.freedesktop.portal.Settings";
#[cfg(all(unix, not(target_os = "macos")))]
const NAMESPACE: &str = "org.freedesktop.appearance";
#[cfg(all(unix, not(target_os = "macos")))]
const KEY: &str = "color-scheme";

/// Reads the preference from the session bus (or the bus at `address`, for tests) and calls `on_change` with it,
/// then again on a thread of its own each time the desktop changes it. Blocks for one D-Bus round trip: call it
/// off the window's thread. An error says why the desktop's preference is not known (no portal, no bus).
#[cfg(all(unix, not(target_os = "macos")))]
pub fn follow(address: Option<String>, on_change: impl Fn(ColorScheme) + Send + 'static) -> Result<(), String> {
    follow_at(address, PORTAL, on_change)
}

/// [`follow`] with the portal at the bus name `portal` (tests: a name no real service is started for).
#[cfg(all(unix, not(target_os = "macos")))]
fn follow_at(
    address: Option<String>,
    portal: &str,
    on_change: impl Fn(ColorScheme) + Send + 'static,
) -> Result<(), String> {
    let connection = match &address {
        Some(address) => zbus::blocking::connection::Builder::address(address.as_str())
            .and_then(|b| b.build())
            .map_err(|e| e.to_string())?,
        None => zbus::blocking::Connection::session().map_err(|e| e.to_string())?,
    };
    // Subscribed before the first read, so a change in between is not missed.
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface(SETTINGS)
        .and_then(|b| b.member("SettingChanged"))
        .and_then(|b| b.arg(0, NAMESPACE))
        .map(|b| b.build())
        .map_err(|e| e.to_string())?;
    let changes =
        zbus::blocking::MessageIterator::for_match_rule(rule, &connection, None).map_err(|e| e.to_string())?;
    on_change(read(&connection, portal)?);
    std::thread::Builder::new()
        .name("color-scheme".into())
        .spawn(move || {
            for message in changes.flatten() {
                let body = message.body();
                if let Ok((namespace, key, value)) = body.deserialize::<(String, String, zbus::zvariant::Value)>()
                    && namespace == NAMESPACE
                    && key == KEY
                    && let Some(value) = number(&value)
                {
                    on_change(ColorScheme::from_portal(value));
                }
            }
        })
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// `ReadOne` (portal version 2); `Read` on older portals, which wraps the value in one more variant.
#[cfg(all(unix, not(target_os = "macos")))]
fn read(connection: &zbus::blocking::Connection, portal: &str) -> Result<ColorScheme, String> {
    let call = |method: &str| {
        connection
            .call_method(Some(portal), PATH, Some(SETTINGS), method, &(NAMESPACE, KEY))
            .map_err(|e| e.to_string())
            .and_then(|reply| reply.body().deserialize::<zbus::zvariant::OwnedValue>().map_err(|e| e.to_string()))
    };
    let value = call("ReadOne").or_else(|_| call("Read"))?;
    let value = number(&value).ok_or_else(|| format!("the portal's {KEY} is not a number: {value:?}"))?;
    Ok(ColorScheme::from_portal(value))
}

/// A `u32`, or one wrapped in variants.
#[cfg(all(unix, not(target_os = "macos")))]
fn number(value: &zbus::zvariant::Value) -> Option<u32> {
    match value {
        zbus::zvariant::Value::U32(n) => Some(*n),
        zbus::zvariant::Value::Value(inner) => number(inner),
        _ => None,
    }
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
pub fn follow(_address: Option<String>, _on_change: impl Fn(ColorScheme) + Send + 'static) -> Result<(), String> {
    Err("the system reports its theme to the window itself".into())
}

#[cfg(all(test, unix, not(target_os = "macos")))]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A settings portal on the test session's bus: `Read` or `ReadOne` as the portal version has them.
    struct Portal {
        scheme: Arc<Mutex<u32>>,
        read_one: bool,
    }

    #[zbus::interface(name = "org.freedesktop.portal.Settings")]
    impl Portal {
        fn read_one(&self, namespace: String, key: String) -> zbus::fdo::Result<zbus::zvariant::OwnedValue> {
            if !self.read_one {
                return Err(zbus::fdo::Error::UnknownMethod("ReadOne".into()));
            }
            self.value(&namespace, &key)
        }

        fn read(&self, namespace: String, key: String) -> zbus::fdo::Result<zbus::zvariant::OwnedValue> {
            // The old method's answer: the value wrapped in one more variant.
            let inner = self.value(&namespace, &key)?;
            Ok(zbus::zvariant::Value::Value(Box::new(inner.into())).try_into().expect("a variant in a variant"))
        }
    }

    impl Portal {
        fn value(&self, namespace: &str, key: &str) -> zbus::fdo::Result<zbus::zvariant::OwnedValue> {
            if (namespace, key) != (NAMESPACE, KEY) {
                return Err(zbus::fdo::Error::Failed("Requested setting not found".into()));
            }
            Ok(zbus::zvariant::OwnedValue::from(*self.scheme.lock().unwrap()))
        }
    }

    /// Two portals in turn (the bus name is one at a time): the newer `ReadOne` and the older `Read`, each read at
    /// once and then followed. Another namespace's change and another key are ignored: each is followed by one
    /// that counts, so a wrongly heard one would arrive first. Then no portal: an error.
    #[test]
    fn the_desktops_scheme_is_read_and_followed_on_either_portal_version() {
        let address = std::env::var("DBUS_SESSION_BUS_ADDRESS")
            .expect("run with `cargo xtask test`: it provides a private D-Bus session bus");
        // A name of its own: the bus could start (or another test could have started) a real portal.
        let name = format!("org.meetinglauncher.Test.Portal{}", std::process::id());
        for (read_one, first, then) in [(true, 1, 2), (false, 2, 0)] {
            let scheme = Arc::new(Mutex::new(first));
            let portal = zbus::blocking::connection::Builder::address(address.as_str())
                .unwrap()
                .name(name.as_str())
                .unwrap()
                .serve_at(PATH, Portal { scheme: scheme.clone(), read_one })
                .unwrap()
                .build()
                .unwrap();
            let (tx, rx) = std::sync::mpsc::channel();
            follow_at(Some(address.clone()), &name, move |s| {
                let _ = tx.send(s);
            })
            .unwrap();
            let wait = || rx.recv_timeout(std::time::Duration::from_secs(10)).expect("a scheme");
            assert_eq!(wait(), ColorScheme::from_portal(first), "read at once (ReadOne: {read_one})");

            let emit = |namespace: &str, key: &str, value: u32| {
                let value = zbus::zvariant::Value::from(value);
                portal.emit_signal(None::<()>, PATH, SETTINGS, "SettingChanged", &(namespace, key, value)).unwrap();
            };
            emit("org.gnome.desktop.interface", KEY, 1);
            emit(NAMESPACE, "accent-color", 1);
            *scheme.lock().unwrap() = then;
            emit(NAMESPACE, KEY, then);
            assert_eq!(wait(), ColorScheme::from_portal(then), "followed (ReadOne: {read_one})");
            assert!(rx.try_recv().is_err(), "nothing else was heard");
            // Released before the next portal asks for the name.
            portal.release_name(name.as_str()).unwrap();
        }

        // No portal at all: an error that says why, and no scheme.
        let error = follow_at(Some(address), &name, |s| panic!("no scheme without a portal, got {s:?}")).unwrap_err();
        assert!(!error.is_empty());
    }
}
