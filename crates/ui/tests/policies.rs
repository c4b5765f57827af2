//! Managed settings in the window: the banner, locked controls with the reason, the policies listed, only the
//! allowed services offered (the organization's default first), and a save that never writes the
//! organization's values into the user's file.

use egui_kittest::kittest::{NodeT as _, Queryable as _};
use launcher_engine::backend::Event;
use launcher_engine::settings::{Paths, Policies, Settings};
use launcher_ui::Screen;

use super::harness::start_with_policies;

fn write(root: &std::path::Path, path: &str, text: &str) {
    let path = root.join("etc/meeting-launcher/policies").join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn managed_settings_are_locked_and_listed_and_only_allowed_services_are_offered() {
    let root = std::env::temp_dir().join(format!("ml-policies-{}", rand::random::<u64>()));
    write(
        &root,
        "managed/10-org.json",
        r#"{"JoinmeApiKey": "org-key", "DefaultProvider": "meetingbooster", "AllowedProviders": ["joinme", "meetingbooster"]}"#,
    );
    write(&root, "managed/20-broken.json", "{ oops");
    write(&root, "recommended/10-org.json", r#"{"Proxy": "http://proxy.example.com:3128"}"#);
    let policies = Policies::load_dirs(&root);
    let paths = Paths::under(root.join("home"));
    std::fs::create_dir_all(paths.settings_file.parent().unwrap()).unwrap();
    std::fs::write(&paths.settings_file, "[joinme]\napi_key = \"mine\"\n").unwrap();
    let settings = Settings::load_with(&paths.settings_file, &policies).unwrap();
    assert_eq!(settings.joinme.api_key.as_deref(), Some("org-key"));

    // The backend reads these policies itself, as it reads the system's; the settings are handed in.
    let mut app = start_with_policies(root.clone());
    app.wait_until("the policies", |a| a.state.policies == policies);
    app.harness.state_mut().apply(Event::Settings { paths: Some(paths.clone()), settings });
    app.harness.step();

    app.harness.get_by_label(&Screen::Settings.title()).click();
    app.harness.run_steps(3);
    app.harness.get_by_label("Some settings are managed by your organization and cannot be changed here.");
    assert!(!app.harness.get_all_by_label("Managed by your organization").collect::<Vec<_>>().is_empty());
    let field = |value: &'static str| {
        move |node: &egui_kittest::kittest::AccessKitNode<'_>| {
            node.role() == egui::accesskit::Role::TextInput && node.value().as_deref() == Some(value)
        }
    };
    let key = app.harness.get_by(field("org-key"));
    assert!(key.accesskit_node().is_disabled(), "the managed API key cannot be edited");
    let proxy = app.harness.get_by(field("http://proxy.example.com:3128"));
    assert!(!proxy.accesskit_node().is_disabled(), "a recommended value is only a default");
    app.harness.get_by_label("JoinmeApiKey");
    // Reported twice: in a banner and in the list; the good file still counts.
    assert_eq!(app.harness.get_all_by_label_contains("20-broken.json: ignored, it is not valid JSON").count(), 2);

    // Saving keeps the user's own value under the lock; the organization's stays out of the file.
    app.harness.get_by_label("Save settings").scroll_to_me();
    app.harness.run_steps(3);
    app.harness.get_by_label("Save settings").click();
    app.wait_until("the save", |a| a.settings_message().is_some());
    assert_eq!(app.harness.state().settings_message(), Some("Saved. The new settings are in use."));
    let saved = std::fs::read_to_string(&paths.settings_file).unwrap();
    assert!(saved.contains("api_key = \"mine\""), "{saved}");
    assert!(!saved.contains("org-key"), "{saved}");

    // Signing in offers the allowed services only, the organization's default first.
    app.harness.get_by_label(&Screen::Accounts.title()).click();
    app.harness.run_steps(3);
    let offered: Vec<String> = ["join.me", "MeetingBooster", "joind.in"]
        .into_iter()
        .filter(|name| app.harness.query_by_label(name).is_some())
        .map(String::from)
        .collect();
    assert_eq!(offered, ["join.me", "MeetingBooster"], "joind.in is not allowed");
    app.harness.get_by_label("E-mail");
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn a_policy_file_added_while_the_app_runs_locks_its_control() {
    let root = std::env::temp_dir().join(format!("ml-policies-live-{}", rand::random::<u64>()));
    let paths = Paths::under(root.join("home"));
    let mut app = start_with_policies(root.clone());
    app.harness.state_mut().apply(Event::Settings { paths: Some(paths), settings: Settings::default() });
    app.harness.get_by_label(&Screen::Settings.title()).click();
    app.harness.run_steps(3);
    let proxy = |app: &super::harness::TestApp| {
        app.harness
            .get_by(|n: &egui_kittest::kittest::AccessKitNode<'_>| {
                n.role() == egui::accesskit::Role::TextInput && n.label().as_deref() == Some("Proxy")
            })
            .accesskit_node()
            .is_disabled()
    };
    assert!(!proxy(&app), "control: the proxy is the user's to set");
    assert!(app.harness.query_by_label("Managed by your organization").is_none());

    write(&root, "managed/10-org.json", r#"{"Proxy": "http://proxy.example.com:3128"}"#);
    app.wait_until("the new policy", |a| a.state.policies.is_locked("Proxy"));
    app.harness.run_steps(3);
    assert!(proxy(&app), "the proxy is locked, without a restart");
    app.harness.get_by_label("Managed by your organization");
    let _ = std::fs::remove_dir_all(root);
}
