//! Stand-ins for the desktop's side of D-Bus: a StatusNotifierWatcher (what a panel runs to show tray icons)
//! and a notification server. The app talks to them with the same calls it makes on a real desktop.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zbus::zvariant::{OwnedValue, Value};

/// A dbusmenu layout node: id, properties, children (each a variant holding a node).
type Node = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

fn flatten((id, props, children): Node, out: &mut Vec<(i32, String, bool)>) {
    if id != 0 {
        let label = props.get("label").and_then(|v| String::try_from(v.clone()).ok()).unwrap_or_default();
        let enabled = props.get("enabled").and_then(|v| bool::try_from(v.clone()).ok()).unwrap_or(true);
        out.push((id, label, enabled));
    }
    for child in children {
        if let Ok(node) = Node::try_from(child) {
            flatten(node, out);
        }
    }
}

#[derive(Clone, Default)]
struct Items(Arc<Mutex<Vec<String>>>);

struct Watcher {
    items: Items,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    fn register_status_notifier_item(&self, service: String) {
        self.items.0.lock().unwrap().push(service);
    }

    fn register_status_notifier_host(&self, _service: String) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items.0.lock().unwrap().clone()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

/// A tray host: owns `org.kde.StatusNotifierWatcher` until dropped.
pub struct TrayHost {
    connection: zbus::blocking::Connection,
    items: Items,
}

impl TrayHost {
    pub fn start() -> Self {
        let items = Items::default();
        let connection = zbus::blocking::connection::Builder::session()
            .unwrap()
            .name("org.kde.StatusNotifierWatcher")
            .unwrap()
            .serve_at("/StatusNotifierWatcher", Watcher { items: items.clone() })
            .unwrap()
            .build()
            .expect("the test session bus (run with `cargo xtask test`)");
        Self { connection, items }
    }

    pub fn registered(&self) -> Vec<String> {
        self.items.0.lock().unwrap().clone()
    }

    /// Waits for an item to register, and returns its bus name.
    pub fn wait_for_item(&self, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(first) = self.registered().first() {
                return first.clone();
            }
            assert!(Instant::now() < deadline, "no StatusNotifierItem registered with the tray host");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The item's menu: (id, label, enabled) of every entry, from `com.canonical.dbusmenu` at `/MenuBar`, read
    /// with `GetLayout` as panels read it (its ids are the ones `Event` takes).
    pub fn menu(&self, item: &str) -> Vec<(i32, String, bool)> {
        let proxy =
            zbus::blocking::Proxy::new(&self.connection, item.to_string(), "/MenuBar", "com.canonical.dbusmenu")
                .unwrap();
        let (_revision, root): (u32, Node) = proxy.call("GetLayout", &(0i32, -1i32, Vec::<String>::new())).unwrap();
        let mut entries = Vec::new();
        flatten(root, &mut entries);
        entries
    }

    /// Clicks the menu entry labelled `label`, as a panel does.
    pub fn click(&self, item: &str, label: &str) {
        let entry = self.menu(item).into_iter().find(|(_, l, _)| l == label);
        let (id, _, enabled) = entry.unwrap_or_else(|| panic!("no entry {label:?} in {:?}", self.menu(item)));
        assert!(enabled, "{label} is greyed out");
        let proxy =
            zbus::blocking::Proxy::new(&self.connection, item.to_string(), "/MenuBar", "com.canonical.dbusmenu")
                .unwrap();
        let () = proxy.call("Event", &(id, "clicked", Value::from(0i32), 0u32)).unwrap();
    }

    /// A property of the item itself (`ToolTip`, `Title`, …).
    pub fn item_property<T: TryFrom<OwnedValue>>(&self, item: &str, name: &str) -> Option<T> {
        let proxy = zbus::blocking::Proxy::new(
            &self.connection,
            item.to_string(),
            "/StatusNotifierItem",
            "org.kde.StatusNotifierItem",
        )
        .ok()?;
        let value: OwnedValue = proxy.get_property(name).ok()?;
        T::try_from(value).ok()
    }
}

/// One notification as the server received it.
#[derive(Debug, Clone)]
pub struct Shown {
    pub id: u32,
    pub app_name: String,
    pub summary: String,
    pub body: String,
    pub actions: Vec<String>,
}

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<Shown>>>);

struct Notifications {
    log: Log,
    actions: bool,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Notifications {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut log = self.log.0.lock().unwrap();
        let id = log.len() as u32 + 1;
        log.push(Shown { id, app_name, summary, body, actions });
        id
    }

    fn close_notification(&self, _id: u32) {}

    fn get_capabilities(&self) -> Vec<String> {
        let mut caps = vec!["body".to_string()];
        if self.actions {
            caps.push("actions".into());
        }
        caps
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        ("test-notifications".into(), "tests".into(), "1.0".into(), "1.2".into())
    }

    #[zbus(signal)]
    async fn action_invoked(
        emitter: &zbus::object_server::SignalEmitter<'_>,
        id: u32,
        action_key: &str,
    ) -> zbus::Result<()>;
}

/// A notification server: owns `org.freedesktop.Notifications` until dropped.
pub struct NotificationServer {
    connection: zbus::blocking::Connection,
    log: Log,
}

impl NotificationServer {
    pub fn start(actions: bool) -> Self {
        let log = Log::default();
        let connection = zbus::blocking::connection::Builder::session()
            .unwrap()
            .name("org.freedesktop.Notifications")
            .unwrap()
            .serve_at("/org/freedesktop/Notifications", Notifications { log: log.clone(), actions })
            .unwrap()
            .build()
            .expect("the test session bus (run with `cargo xtask test`)");
        Self { connection, log }
    }

    pub fn shown(&self) -> Vec<Shown> {
        self.log.0.lock().unwrap().clone()
    }

    /// The user clicks the notification's button `action`.
    pub fn invoke(&self, id: u32, action: &str) {
        let iface =
            self.connection.object_server().interface::<_, Notifications>("/org/freedesktop/Notifications").unwrap();
        zbus::block_on(Notifications::action_invoked(iface.signal_emitter(), id, action)).unwrap();
    }
}
