//! Managed settings from the command line: `status` lists the policies in force and the ones ignored (never a
//! secret's value), a malformed policy file is reported and not fatal, and a managed "no demo" is obeyed.
//! Debug builds read the policy folders under `MEETING_LAUNCHER_POLICY_ROOT`; release builds only under `/`.

use std::path::{Path, PathBuf};

use super::process;

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join("etc/meeting-launcher/policies").join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn run(root: &Path, home: &Path, args: &[&str]) -> (bool, String) {
    let out = process::bin()
        .env("MEETING_LAUNCHER_POLICY_ROOT", root)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .args(args)
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

fn scratch() -> PathBuf {
    std::env::temp_dir().join(format!("ml-policies-cli-{}", rand::random::<u64>()))
}

#[test]
fn status_lists_the_policies_in_force_and_reports_a_malformed_file_without_failing() {
    let (root, home) = (scratch(), scratch());
    write(
        &root,
        "managed/10-org.json",
        r#"{"DefaultProvider": "joinme", "JoinmeApiKey": "org-key-123", "JoinmeClientSecret": "org-secret-456"}"#,
    );
    write(&root, "managed/20-typo.json", "{\"JoinmeApiKey\": ");
    write(&root, "recommended/10-org.json", r#"{"ReminderLeadMinutes": 10}"#);
    let (ok, shown) = run(&root, &home, &["status", "--offline"]);
    assert!(ok, "a malformed policy file is not fatal: {shown}");
    assert!(shown.contains("Policies in force (set by your organization):"), "{shown}");
    assert!(shown.contains("DefaultProvider = joinme  [managed (locked), "), "{shown}");
    assert!(shown.contains("JoinmeApiKey = org-key-123  [managed (locked), "), "{shown}");
    assert!(shown.contains("JoinmeClientSecret = (set)"), "{shown}");
    assert!(shown.contains("ReminderLeadMinutes = 10  [recommended, "), "{shown}");
    assert!(
        shown.contains("Policy ignored: ") && shown.contains("20-typo.json: ignored, it is not valid JSON"),
        "{shown}"
    );
    assert!(!shown.contains("org-secret-456"), "a secret policy's value is never printed: {shown}");
    let _ = (std::fs::remove_dir_all(root), std::fs::remove_dir_all(home));
}

#[test]
fn a_managed_no_demo_refuses_the_demo_with_the_reason() {
    let (root, home) = (scratch(), scratch());
    write(&root, "managed/10-org.json", r#"{"DemoModeDisabled": true}"#);
    let (ok, shown) = run(&root, &home, &["--demo", "status"]);
    assert!(!ok, "{shown}");
    assert!(shown.contains("Demo mode is turned off by your organization's policy"), "{shown}");
    let _ = (std::fs::remove_dir_all(root), std::fs::remove_dir_all(home));
}
