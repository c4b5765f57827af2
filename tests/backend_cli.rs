//! `meeting-launcher start` in its own process, against a sandbox process.

use super::process::{bin, get, sandbox_base, sign_in_joinme};

#[test]
fn start_prints_a_viewer_link_and_the_sandbox_records_one_start() {
    assert!(
        std::env::var_os("MEETING_LAUNCHER_TEST_SESSION").is_some(),
        "run with `cargo xtask test` (it needs the keychain)"
    );
    let (_sandbox, base) = sandbox_base();
    let root = std::env::temp_dir().join(format!("ml-start-{}", rand::random::<u64>()));
    let command = |args: &[&str]| {
        let mut c = bin();
        c.env("XDG_CONFIG_HOME", root.join("c"))
            .env("XDG_DATA_HOME", root.join("d"))
            .env("XDG_CACHE_HOME", root.join("k"));
        c.args(["--sandbox", &base]).args(args);
        c
    };

    let not_signed_in = command(&["start", "--no-browser"]).output().unwrap();
    assert!(!not_signed_in.status.success());
    assert!(String::from_utf8_lossy(&not_signed_in.stderr).contains("You are not signed in to join.me"));

    let signed_in = sign_in_joinme(command(&[])).output;
    assert!(signed_in.status.success(), "{}", String::from_utf8_lossy(&signed_in.stderr));

    let started = command(&["start", "--no-browser"]).output().unwrap();
    assert!(started.status.success(), "{}", String::from_utf8_lossy(&started.stderr));
    let viewer = String::from_utf8_lossy(&started.stdout).trim().to_string();
    assert!(viewer.starts_with(&format!("{base}/joinme/web/")), "{viewer}");
    let (_, list) = get(&format!("{base}/_sandbox/joinme/started"));
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["viewer_link"], viewer.as_str());

    let wrong = command(&["start", "--provider", "meetingbooster"]).output().unwrap();
    assert!(!wrong.status.success());
    let _ = command(&["sign-out", "joinme"]).output();
    let _ = std::fs::remove_dir_all(root);
}
