//! `meeting-launcher calendar …` against the sandbox's feed: the private address goes in through standard input
//! (never an argument), lives in the keychain, and only its host is ever printed.

use std::process::{Command, Output};

use super::process::{app_in, output_with_input, sandbox_base};

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[test]
fn a_calendar_added_through_stdin_is_listed_by_its_host_only_and_removed() {
    assert!(std::env::var_os("MEETING_LAUNCHER_TEST_SESSION").is_some(), "run with `cargo xtask test`");
    let (_sandbox, base) = sandbox_base();
    let root = std::env::temp_dir().join(format!("ml-calendar-{}", rand::random::<u64>()));
    let app = app_in(&root, &base);
    let url = format!("{base}/_sandbox/ics/work.ics");
    let host = url::Url::parse(&base).map(|u| format!("{}:{}", u.host_str().unwrap(), u.port().unwrap())).unwrap();

    // Exactly as a user types it: `printf '%s\n' "$URL" | meeting-launcher calendar add Work`.
    let mut shell = Command::new("sh");
    shell.arg("-c").arg(r#"printf '%s\n' "$URL" | "$@""#).arg("sh").arg(app(&[]).get_program()).env("URL", &url);
    for (k, v) in app(&[]).get_envs() {
        shell.env(k, v.unwrap());
    }
    shell.args(["--sandbox", &base, "calendar", "add", "Work", "--email", "Alex.Morgan@example.com"]);
    let added = shell.output().unwrap();
    assert!(added.status.success(), "{}", text(&added));
    let said = text(&added);
    assert!(said.contains(&format!("Added the calendar “Work”: {host} … saved in the keychain")), "{said}");

    let status = app(&["status"]).output().unwrap();
    let listed = app(&["calendar", "list"]).output().unwrap();
    for output in [&status, &listed] {
        let shown = text(output);
        assert!(output.status.success(), "{shown}");
        assert!(shown.contains(&format!("“Work”: {host} … saved in the keychain")), "{shown}");
        assert!(!shown.contains("/_sandbox/ics") && !shown.contains("work.ics"), "the address's path shows: {shown}");
    }
    assert!(text(&status).contains("alex.morgan@example.com (meetings declined there"), "{}", text(&status));

    // The address is never an argument (it would show in the process list), and a wrong one is refused with
    // only its host named.
    let as_argument = app(&["calendar", "add", "Home", &url]).output().unwrap();
    assert!(!as_argument.status.success(), "{}", text(&as_argument));
    let secret = "http://calendar.example.com/private-8c1f2d/basic.ics";
    let insecure = output_with_input(&mut app(&["calendar", "add", "Home"]), &format!("{secret}\n"));
    assert!(!insecure.status.success());
    assert!(text(&insecure).contains("calendar.example.com") && !text(&insecure).contains("private-8c1f2d"));
    let not_a_calendar =
        output_with_input(&mut app(&["calendar", "add", "Home"]), &format!("{base}/_sandbox/config\n"));
    assert!(!not_a_calendar.status.success());
    assert!(text(&not_a_calendar).contains("could not be read"), "{}", text(&not_a_calendar));

    let removed = app(&["calendar", "remove", "work"]).output().unwrap();
    assert!(removed.status.success(), "{}", text(&removed));
    let after = text(&app(&["status"]).output().unwrap());
    assert!(!after.contains("“Work”"), "{after}");
    assert!(after.contains("no calendar added"), "{after}");
    let _ = std::fs::remove_dir_all(&root);
}
