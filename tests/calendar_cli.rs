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

/// The system's trust store is read when the first https connection needs it (reading it costs tens of
/// milliseconds on every start): with no usable store, a command that talks plain http to the sandbox works. The
/// controls show the broken store is in force for https, and that a company's CA file still adds to it.
#[test]
fn the_trust_store_is_read_only_when_an_https_address_needs_it() {
    let (_sandbox, base) = sandbox_base();
    let root = std::env::temp_dir().join(format!("ml-trust-{}", rand::random::<u64>()));
    let app = app_in(&root, &base);
    let no_store = |args: &[&str]| {
        let mut c = app(args);
        c.env("SSL_CERT_FILE", root.join("no-such-bundle.pem")).env("SSL_CERT_DIR", root.join("no-such-dir"));
        c
    };
    let status = no_store(&["status"]).output().unwrap();
    assert!(status.status.success(), "{}", text(&status));
    assert!(text(&status).contains("Services: the sandbox at"), "{}", text(&status));

    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let (ca_pem, config) = launcher_test_support::tls::pki();
    let port = runtime.block_on(launcher_test_support::tls::https_server(config));
    let feed = format!("https://127.0.0.1:{port}/private-5e1a/work.ics\n");
    // Control: the https server is not trusted, with no store to trust it by.
    let untrusted = output_with_input(&mut no_store(&["calendar", "add", "Secure"]), &feed);
    assert!(!untrusted.status.success(), "{}", text(&untrusted));
    assert!(!text(&untrusted).contains("could not be read"), "it was reached: {}", text(&untrusted));
    // With the company's CA file the same server is reached (and then refused: it serves no calendar).
    let ca_file = root.join("corp-ca.pem");
    std::fs::create_dir_all(root.join("c/meeting-launcher")).unwrap();
    std::fs::write(&ca_file, ca_pem).unwrap();
    let settings = format!("[network]\nca_file = \"{}\"\n", ca_file.display());
    std::fs::write(root.join("c/meeting-launcher/settings.toml"), settings).unwrap();
    let reached = output_with_input(&mut no_store(&["calendar", "add", "Secure"]), &feed);
    assert!(!reached.status.success(), "{}", text(&reached));
    assert!(text(&reached).contains("could not be read"), "{}", text(&reached));
    for output in [&untrusted, &reached] {
        assert!(!text(output).contains("private-5e1a"), "the address's path shows: {}", text(output));
    }
    let _ = std::fs::remove_dir_all(root);
}
