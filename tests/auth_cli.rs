//! The command line as a user runs it, in separate processes against a sandbox process: sign in through a
//! browser, `status` in a new process, `sign-out`; and the keychain missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::process::{bin, sandbox_base as sandbox, sign_in_joinme};

/// Private folders, so the commands' files can be inspected.
struct Home(PathBuf);

impl Home {
    fn new() -> Self {
        let root = std::env::temp_dir().join(format!("ml-cli-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&root).unwrap();
        Home(root)
    }

    fn command(&self, sandbox: &str) -> Command {
        let mut c = bin();
        c.env("XDG_CONFIG_HOME", self.0.join("config"))
            .env("XDG_DATA_HOME", self.0.join("data"))
            .env("XDG_CACHE_HOME", self.0.join("cache"))
            .arg("--sandbox")
            .arg(sandbox);
        c
    }

    fn run(&self, sandbox: &str, args: &[&str]) -> Output {
        self.command(sandbox).args(args).stdin(Stdio::null()).output().unwrap()
    }

    /// Runs a command that reads `input` (a password) from standard input.
    fn run_with_input(&self, sandbox: &str, args: &[&str], input: &str, env: &[(&str, &str)]) -> Output {
        let mut child = self
            .command(sandbox)
            .envs(env.iter().copied())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }

    /// Every file the app wrote, and what it holds.
    fn files(&self) -> Vec<(PathBuf, String)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.push((path.clone(), String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned()));
                }
            }
        }
        let mut out = Vec::new();
        for dir in ["config", "data", "cache"] {
            walk(&self.0.join(dir).join("meeting-launcher"), &mut out);
        }
        out
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[test]
fn sign_in_then_status_in_a_new_process_then_sign_out() {
    launcher_test_support::auth::require_test_session();
    let (_sandbox, base) = sandbox();
    let home = Home::new();
    // The "browser" follows the authorization URL back to the app.
    let super::process::CliSignIn { url, callback, page, output } = sign_in_joinme(home.command(&base));
    assert!(url.starts_with(&format!("{base}/joinme/auth/oauth2?")), "{url}");
    let code = url::Url::parse(&callback).unwrap().query_pairs().find(|(k, _)| k == "code").unwrap().1.to_string();
    assert!(page.contains("Signed in"), "{page}");
    let rest = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(output.status.success(), "{rest}{}", String::from_utf8_lossy(&output.stderr));
    assert!(rest.contains("Signed in to join.me as alex.morgan@example.com"), "{rest}");
    assert!(rest.contains("system keychain"));

    let status = home.run(&base, &["status"]);
    let shown = text(&status);
    assert!(status.status.success(), "{shown}");
    assert!(shown.contains("join.me: alex.morgan@example.com"), "{shown}");
    assert!(shown.contains("state:   signed in") && shown.contains("user_info scheduler start_meeting"), "{shown}");
    assert!(shown.contains("secret:  the system keychain") && shown.contains("expires:"), "{shown}");
    assert!(!shown.contains(&code));

    // Nothing the app wrote holds a token or the code.
    let files = home.files();
    assert!(!files.is_empty(), "the account list exists");
    for (path, content) in &files {
        assert!(!content.contains(&code), "{}", path.display());
        assert!(
            !content.contains("refresh_token") && !content.contains("access_token"),
            "{}: {content}",
            path.display()
        );
    }

    let out = home.run(&base, &["sign-out", "joinme"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Signed out of join.me"));
    let status = home.run(&base, &["status"]);
    assert!(text(&status).contains("Not signed in to any service"), "{}", text(&status));
    let again = home.run(&base, &["sign-out", "joinme"]);
    assert!(!again.status.success());
    assert!(text(&again).contains("not signed in to join.me"));
}

#[test]
fn meetingbooster_reads_the_password_from_stdin_and_reports_a_wrong_one() {
    launcher_test_support::auth::require_test_session();
    let (_sandbox, base) = sandbox();
    let home = Home::new();
    let args = ["sign-in", "meetingbooster", "--username", "alex.morgan@example.com"];
    let sign_in = |password: &str| home.run_with_input(&base, &args, &format!("{password}\n"), &[]);
    let wrong = sign_in("wrong");
    assert!(!wrong.status.success());
    assert!(
        text(&wrong).contains("The user name or password is wrong. You can try again in 10 seconds."),
        "{}",
        text(&wrong)
    );
    assert!(!text(&wrong).contains("wrong\n"));
    let locked = sign_in("sandbox-password");
    assert!(text(&locked).contains("try again in"), "inside the retry window: {}", text(&locked));
    let _ = home.run(&base, &["sign-out", "meetingbooster"]);
}

#[test]
fn without_a_keychain_the_command_says_so_and_writes_no_file() {
    let (_sandbox, base) = sandbox();
    let home = Home::new();
    let out = home.run_with_input(
        &base,
        &["sign-in", "meetingbooster", "--username", "alex.morgan@example.com"],
        "sandbox-password\n",
        &[("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")],
    );
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("kept in memory only"), "{shown}");
    assert!(shown.contains("Secret Service"), "the message says what to install: {shown}");
    assert!(home.files().is_empty(), "no plaintext fallback: {:?}", home.files());
}

#[test]
fn a_secret_in_the_settings_file_is_refused() {
    let home = Home::new();
    let settings = home.0.join("settings.toml");
    std::fs::write(&settings, "[joinme]\napi_key = \"k\"\nclient_secret = \"s3cr3t\"\n").unwrap();
    let out = bin().arg("--config").arg(&settings).arg("status").output().unwrap();
    assert!(!out.status.success());
    let shown = text(&out);
    assert!(shown.contains("joinme.client_secret") && shown.contains("keychain"), "{shown}");
    assert!(!shown.contains("s3cr3t"));
}

/// Issue 13's first acceptance line: six `status --check` processes at a time, three rounds, after a MeetingBooster
/// sign-in, each round with the saved access token run out (the sandbox's clock moved on): all six meet a refused
/// token at once and need a refresh with the rotating refresh token. One refresh at a time per account across
/// processes, the others taking the tokens it saved, keeps every one of them, and the user, signed in.
#[test]
fn six_status_processes_at_a_time_keep_the_meetingbooster_sign_in() {
    launcher_test_support::auth::require_test_session();
    let (_sandbox, base) = sandbox();
    let home = Home::new();
    let args = ["sign-in", "meetingbooster", "--username", "alex.morgan@example.com"];
    let signed_in = home.run_with_input(&base, &args, "sandbox-password\n", &[]);
    assert!(signed_in.status.success(), "{}", text(&signed_in));
    // The refreshes, and the calls refused with 401 (from the sandbox's log of requests).
    let counters = || {
        let (_, counters) = super::process::get(&format!("{base}/_sandbox/counters"));
        let counters: serde_json::Value = serde_json::from_str(&counters).unwrap();
        let (_, requests) = super::process::get(&format!("{base}/_sandbox/requests"));
        let requests: Vec<serde_json::Value> = serde_json::from_str(&requests).unwrap();
        let refused = requests.iter().filter(|r| r["status"] == 401 && r["path"] == "/meetingbooster/api/v1/users/me");
        (counters["meetingbooster.oauth.refresh_token"].as_u64().unwrap_or(0), refused.count() as u64)
    };
    let (refreshes, refused) = counters();
    for round in 0..3u64 {
        // The saved access token runs out on the server (and is refused) while the processes still think it good.
        super::process::post(&format!("{base}/_sandbox/clock/advance"), serde_json::json!({"seconds": 7200}));
        // The first refresh takes two seconds: every process has met the refused token by the time it is done.
        let slow = serde_json::json!({"path": "/meetingbooster/oauth", "kind": "latency", "ms": 2000, "count": 1});
        super::process::post(&format!("{base}/_sandbox/faults"), slow);
        let children: Vec<_> = (0..6)
            .map(|_| {
                home.command(&base)
                    .args(["status", "--check"])
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let shown = text(&out);
            assert!(out.status.success(), "round {round}: {shown}");
            assert!(shown.contains("state:   signed in") && !shown.contains("check:"), "round {round}: {shown}");
        }
        // Control: every process met the refused token (the race was real); one of them refreshed.
        let (now_refreshes, now_refused) = counters();
        assert_eq!(now_refused - refused, 6 * (round + 1), "round {round}: each process was refused once");
        assert_eq!(now_refreshes - refreshes, round + 1, "round {round}: one refresh, the others took its tokens");
    }
    // Afterwards the keychain holds tokens the sandbox accepts: one more process uses them without a refresh.
    let last = home.run(&base, &["status", "--check"]);
    assert!(text(&last).contains("state:   signed in") && !text(&last).contains("check:"), "{}", text(&last));
    assert_eq!(counters(), (refreshes + 3, refused + 18));
    // Plain `status` (a status bar's, every minute) asks nothing.
    let requests = || super::process::get(&format!("{base}/_sandbox/requests")).1.matches("/meetingbooster/").count();
    let before = requests();
    let plain = home.run(&base, &["status"]);
    assert!(text(&plain).contains("state:   signed in"), "{}", text(&plain));
    assert_eq!(requests(), before, "plain status asked nothing");
    let _ = home.run(&base, &["sign-out", "meetingbooster"]);
}

/// The app's own Secret Service client finds, replaces and deletes the entries `keyring` wrote (every version
/// before it used `keyring`), and `keyring` reads what it writes: a sign-in saved before an update still counts.
#[test]
fn the_keychain_keeps_to_the_entries_keyring_reads_and_writes() {
    use launcher_core::secret::Secret;
    use launcher_engine::auth::{Keychain, Storage};
    launcher_test_support::auth::require_test_session();
    let service = format!("ml-compat-{}", rand::random::<u32>());
    let old = keyring::Entry::new(&service, "joinme:alex@example.com").unwrap();
    old.set_password("written-by-keyring").unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let keychain = runtime.block_on(Keychain::open_service(&service));
    assert_eq!(keychain.storage(), &Storage::Keychain);
    let read = runtime.block_on(keychain.get("joinme:alex@example.com")).unwrap();
    assert_eq!(read.as_ref().map(Secret::expose), Some("written-by-keyring"));
    runtime.block_on(keychain.set("joinme:alex@example.com", &Secret::new("replaced"))).unwrap();
    runtime.block_on(keychain.set("joindin:sam", &Secret::new("a-new-entry"))).unwrap();
    // In place, not beside it: two entries would be ambiguous to keyring.
    assert_eq!(old.get_password().unwrap(), "replaced");
    assert_eq!(keyring::Entry::new(&service, "joindin:sam").unwrap().get_password().unwrap(), "a-new-entry");
    runtime.block_on(keychain.delete("joinme:alex@example.com")).unwrap();
    runtime.block_on(keychain.delete("joindin:sam")).unwrap();
    assert!(matches!(old.get_password(), Err(keyring::Error::NoEntry)));
    assert_eq!(runtime.block_on(keychain.get("joindin:sam")).unwrap(), None);
}
