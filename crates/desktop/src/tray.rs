//! The tray icon and its menu. What the menu says is a plain [`TrayModel`] that the UI's model builds (so it is
//! tested without a desktop); [`SystemTray`] shows it with tray-icon (a StatusNotifierItem over D-Bus on Linux,
//! no GTK). Menu clicks arrive on tray-icon's thread and are only forwarded.

pub use launcher_core::tray::{Entry, TrayAction, TrayModel};

/// The tray icon on the desktop. Dropping it removes the icon.
pub struct SystemTray {
    icon: tray_icon::TrayIcon,
    /// The plain icon's pixels, width and height: the badge is drawn on a copy.
    pixels: (Vec<u8>, u32, u32),
    shown: Option<TrayModel>,
}

impl SystemTray {
    /// Shows the icon; `forward` gets each menu click (on tray-icon's thread: it must only pass it on).
    /// `icon` is the app's icon as RGBA pixels, width and height.
    pub fn create(
        icon: (Vec<u8>, u32, u32),
        forward: impl Fn(TrayAction) + Send + Sync + 'static,
    ) -> Result<Self, String> {
        let forward = std::sync::Arc::new(forward);
        let on_menu = forward.clone();
        tray_icon::menu::MenuEvent::set_event_handler(Some(move |event: tray_icon::menu::MenuEvent| {
            if let Some(action) = TrayAction::from_id(&event.id.0) {
                on_menu(action);
            }
        }));
        tray_icon::TrayIconEvent::set_event_handler(Some(move |event: tray_icon::TrayIconEvent| {
            // A left click (where the host sends one) opens the window; the menu has everything else.
            if let tray_icon::TrayIconEvent::Click { button: tray_icon::MouseButton::Left, .. } = event {
                forward(TrayAction::Open);
            }
        }));
        let pixels = icon.clone();
        let (rgba, width, height) = icon;
        let icon = tray_icon::Icon::from_rgba(rgba, width, height).map_err(|e| e.to_string())?;
        let icon = tray_icon::TrayIconBuilder::new()
            .with_id(launcher_core::app::APP_ID)
            .with_icon(icon)
            .with_title(launcher_core::app::TITLE)
            .with_tooltip(launcher_core::app::TITLE)
            .with_menu(Box::new(menu(&TrayModel::default())))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self { icon, pixels, shown: None })
    }

    /// Shows `model` unless it is what the tray shows already.
    pub fn show(&mut self, model: &TrayModel) {
        if self.shown.as_ref() == Some(model) {
            return;
        }
        self.icon.set_menu(Some(Box::new(menu(model))));
        let _ = self.icon.set_tooltip(Some(&model.tooltip));
        // The panel's line (KDE on hover, GNOME's accessible name, macOS beside the icon); the app's name when
        // nothing is ahead.
        let title = if model.title.is_empty() { launcher_core::app::TITLE } else { model.title.as_str() };
        self.icon.set_title(Some(title));
        if self.shown.as_ref().map(|s| &s.badge) != Some(&model.badge) {
            let (rgba, width, height) = &self.pixels;
            let pixels = match &model.badge {
                Some(text) => crate::badge::with_badge(rgba, *width, *height, text),
                None => rgba.clone(),
            };
            match tray_icon::Icon::from_rgba(pixels, *width, *height) {
                Ok(icon) => {
                    let _ = self.icon.set_icon(Some(icon));
                }
                Err(e) => tracing::info!(error = %e, "the tray icon's badge was not drawn"),
            }
        }
        self.shown = Some(model.clone());
    }
}

fn menu(model: &TrayModel) -> tray_icon::menu::Menu {
    use tray_icon::menu::{MenuItem, PredefinedMenuItem};
    let menu = tray_icon::menu::Menu::new();
    for entry in &model.entries {
        let added = match entry {
            Entry::Action { action, label, enabled } => {
                menu.append(&MenuItem::with_id(action.id(), label, *enabled, None))
            }
            Entry::Info(text) => menu.append(&MenuItem::new(text, false, None)),
            Entry::Separator => menu.append(&PredefinedMenuItem::separator()),
        };
        if let Err(e) = added {
            tracing::info!(error = %e, "a tray menu entry was left out");
        }
    }
    menu
}
