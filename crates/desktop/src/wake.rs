//! What the system says about sleep and the network, for the live agenda: logind's `PrepareForSleep(false)`
//! (the machine woke) and NetworkManager's `StateChanged` to connected-global (the network is back), both on
//! the system bus (`../shared/guides/desktop-day.md` §2). Each is only a hint: without a system bus (a
//! container, Flatpak without the permission, macOS, Windows) the engine still sees a wake as a clock jump,
//! and a failed load's backoff retries anyway.

/// What woke the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    Resumed,
    NetworkBack,
}

/// NetworkManager's NM_STATE_CONNECTED_GLOBAL.
#[cfg(all(unix, not(target_os = "macos")))]
const CONNECTED_GLOBAL: u32 = 70;

/// Listens on the system bus (or the bus at `address`, for tests) on a thread of its own; `on_wake` runs on that
/// thread for each signal. Returns at once; an error says why nothing will be heard.
#[cfg(all(unix, not(target_os = "macos")))]
pub fn listen(address: Option<String>, on_wake: impl Fn(Wake) + Send + Sync + 'static) -> Result<(), String> {
    let connection = match &address {
        Some(address) => zbus::blocking::connection::Builder::address(address.as_str())
            .and_then(|b| b.build())
            .map_err(|e| e.to_string())?,
        None => zbus::blocking::Connection::system().map_err(|e| e.to_string())?,
    };
    let rule = |interface: &'static str, member: &'static str| {
        zbus::MatchRule::builder()
            .msg_type(zbus::message::Type::Signal)
            .interface(interface)
            .and_then(|b| b.member(member))
            .map(|b| b.build())
            .map_err(|e| e.to_string())
    };
    let sleep = rule("org.freedesktop.login1.Manager", "PrepareForSleep")?;
    let network = rule("org.freedesktop.NetworkManager", "StateChanged")?;
    let sleeps =
        zbus::blocking::MessageIterator::for_match_rule(sleep, &connection, None).map_err(|e| e.to_string())?;
    let networks =
        zbus::blocking::MessageIterator::for_match_rule(network, &connection, None).map_err(|e| e.to_string())?;
    let on_wake: std::sync::Arc<dyn Fn(Wake) + Send + Sync> = std::sync::Arc::new(on_wake);
    // `PrepareForSleep` says `true` just before sleep and `false` after the wake.
    watch(
        "wake-sleep",
        sleeps,
        Wake::Resumed,
        |m| matches!(m.body().deserialize::<bool>(), Ok(false)),
        on_wake.clone(),
    )?;
    watch(
        "wake-network",
        networks,
        Wake::NetworkBack,
        |m| matches!(m.body().deserialize::<u32>(), Ok(CONNECTED_GLOBAL)),
        on_wake,
    )
}

/// Calls `on_wake(wake)` for each of `messages` that `is_wake` accepts, on a thread called `name`.
#[cfg(all(unix, not(target_os = "macos")))]
fn watch(
    name: &str,
    messages: zbus::blocking::MessageIterator,
    wake: Wake,
    is_wake: fn(&zbus::Message) -> bool,
    on_wake: std::sync::Arc<dyn Fn(Wake) + Send + Sync>,
) -> Result<(), String> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            for message in messages.flatten() {
                if is_wake(&message) {
                    on_wake(wake);
                }
            }
        })
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
pub fn listen(_address: Option<String>, _on_wake: impl Fn(Wake) + Send + Sync + 'static) -> Result<(), String> {
    Err("no system bus here: a wake is seen as a jump of the clock".into())
}

#[cfg(all(test, unix, not(target_os = "macos")))]
mod tests {
    use super::*;

    /// The test session's bus stands in for the system bus: a "logind" and a "NetworkManager" that only emit.
    #[test]
    fn a_wake_and_the_network_back_are_heard_and_other_states_are_not() {
        let address = std::env::var("DBUS_SESSION_BUS_ADDRESS")
            .expect("run with `cargo xtask test`: it provides a private D-Bus session bus");
        let (tx, rx) = std::sync::mpsc::channel();
        listen(Some(address.clone()), move |wake| {
            let _ = tx.send(wake);
        })
        .unwrap();
        let emitter = zbus::blocking::connection::Builder::address(address.as_str()).unwrap().build().unwrap();
        let sleep = |going: bool| {
            let (path, interface) = ("/org/freedesktop/login1", "org.freedesktop.login1.Manager");
            emitter.emit_signal(None::<()>, path, interface, "PrepareForSleep", &(going,)).unwrap();
        };
        let network = |state: u32| {
            let (path, interface) = ("/org/freedesktop/NetworkManager", "org.freedesktop.NetworkManager");
            emitter.emit_signal(None::<()>, path, interface, "StateChanged", &(state,)).unwrap();
        };
        let wait = || rx.recv_timeout(std::time::Duration::from_secs(10)).expect("a wake");
        // Going to sleep and a network going down are not wakes; each is followed by one that is, so a wrongly
        // heard one would arrive first.
        sleep(true);
        sleep(false);
        assert_eq!(wait(), Wake::Resumed);
        network(20);
        network(CONNECTED_GLOBAL);
        assert_eq!(wait(), Wake::NetworkBack);
        assert!(rx.try_recv().is_err(), "nothing more");
    }
}
