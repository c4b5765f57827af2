//! Every sign-in flow run with logging at trace level (every crate), then the logs, the commands' and the
//! window's output, and every file the code under test wrote (the auth layer's data folder; the real binary's
//! home, settings, data, cache and state folders, the log files and a forced crash's report among them, after
//! the command line and the window ran) searched for every token, code, verifier and password the flows used.
//! Its own test binary, because it installs the global log subscriber.
//!
//! Linux only: it needs the session `cargo xtask test` builds (Secret Service, D-Bus, Xvfb).
#![cfg(target_os = "linux")]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use launcher_core::secret::Secret;
use launcher_engine::auth::NoBrowser;
use launcher_engine::providers::Provider;
use sha2::{Digest, Sha256};

use browser::{Behaviour, TestBrowser};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Query and fragment values worth hiding, from every URL the test browser saw.
fn url_secrets(urls: &[String], found: &mut Vec<String>, challenges: &mut Vec<String>) {
    for raw in urls {
        let Ok(url) = url::Url::parse(raw) else { continue };
        let mut pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        if let Some(f) = url.fragment() {
            pairs.extend(url::form_urlencoded::parse(f.as_bytes()).into_owned());
        }
        for (k, v) in pairs {
            match k.as_str() {
                "code" | "access_token" | "state" | "refresh_token" if v.len() >= 8 => found.push(v),
                "code_challenge" => challenges.push(v),
                _ => {}
            }
        }
    }
}

/// A PKCE verifier leaked into `text`: some 43–128 character word whose S256 is one of the challenges.
fn leaked_verifier(text: &str, challenges: &[String]) -> Option<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || "-._~".contains(c)))
        .filter(|w| (43..=128).contains(&w.len()))
        .find(|w| {
            let digest = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(w.as_bytes()));
            challenges.contains(&digest)
        })
        .map(str::to_string)
}

/// Every file under `dir`, as (path and `when`, text), into `files`: binary ones too, read as lossy text (the
/// secrets are ASCII). Symbolic links are not followed.
fn files_under(dir: &Path, when: &str, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => files_under(&path, when, files),
            Ok(t) if t.is_file() => {
                let bytes = std::fs::read(&path).unwrap();
                files.push((format!("{} ({when})", path.display()), String::from_utf8_lossy(&bytes).into_owned()));
            }
            _ => {}
        }
    }
}

/// The names of the `texts` that hold one of `secrets` or a PKCE verifier: where, never what (the test's own
/// output must not show a secret either).
fn leaks(texts: &[(String, String)], secrets: &[String], challenges: &[String]) -> Vec<String> {
    texts
        .iter()
        .filter(|(_, text)| {
            secrets.iter().any(|s| text.contains(s.as_str())) || leaked_verifier(text, challenges).is_some()
        })
        .map(|(name, _)| name.clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn no_secret_reaches_the_logs_the_output_or_the_files_the_app_writes() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let env = support::start().await;
    env.sandbox.control().update_switches(|s| {
        s.joinme_enforce_pkce = true;
        s.joindin_loopback_any_port = true;
    });
    let mut secrets: Vec<String> = vec!["sandbox-password".into(), "wrong-password-1".into()];
    let config = env.sandbox.config().clone();
    secrets.push(config.joinme.client_secret.clone());
    secrets.push(config.joindin.client_secret.clone());
    let mut challenges = Vec::new();
    let mut urls = Vec::new();
    let mut keys = Vec::new();
    // What the auth layer wrote to its data folder, read while accounts are signed in and after they left.
    let mut files = Vec::new();

    // join.me code grant, refresh, expire-access and a rejected token.
    let (b, _) = TestBrowser::new(Behaviour::Follow);
    let auth = env.auth(b.clone());
    let flow = auth.start_browser_sign_in(Provider::Joinme).await.unwrap();
    urls.push(flow.url.to_string());
    let key = flow.finish().await.unwrap().record.key;
    urls.extend(b.visits.lock().unwrap().iter().map(|v| v.url.clone()));
    secrets.push(auth.access_token(&key).await.unwrap().expose().to_string());
    secrets.push(env.keychain.get(&key).await.unwrap().unwrap().expose().to_string());
    auth.refresh_now(&key).await.unwrap();
    secrets.push(env.keychain.get(&key).await.unwrap().unwrap().expose().to_string());
    let token = auth.access_token(&key).await.unwrap();
    secrets.push(token.expose().to_string());
    auth.expire_access(&key).await.unwrap();
    auth.token_rejected(&key, &token).await;
    secrets.push(auth.access_token(&key).await.unwrap().expose().to_string());
    keys.push(key);

    // join.me implicit grant.
    let mut endpoints = env.endpoints();
    {
        let jm = endpoints.joinme.as_mut().unwrap();
        jm.client_id = config.joinme.implicit_client_id.clone();
        jm.client_secret = None;
    }
    let (b, _) = TestBrowser::new(Behaviour::Follow);
    let implicit = env.auth_with(endpoints, b.clone(), std::time::Duration::from_secs(20));
    let flow = implicit.start_browser_sign_in(Provider::Joinme).await.unwrap();
    urls.push(flow.url.to_string());
    let key = flow.finish().await.unwrap().record.key;
    urls.extend(b.visits.lock().unwrap().iter().map(|v| v.url.clone()));
    secrets.push(implicit.access_token(&key).await.unwrap().expose().to_string());
    files_under(&env.data_dir, "join.me implicit signed in", &mut files);
    implicit.sign_out(&key).await.unwrap();

    // joind.in: browser and password.
    let mut endpoints = env.endpoints();
    endpoints.joindin.as_mut().unwrap().callback_port = 0;
    let (b, _) = TestBrowser::new(Behaviour::Follow);
    let jd = env.auth_with(endpoints, b.clone(), std::time::Duration::from_secs(20));
    let key = jd.start_browser_sign_in(Provider::Joindin).await.unwrap().finish().await.unwrap().record.key;
    urls.extend(b.visits.lock().unwrap().iter().map(|v| v.url.clone()));
    secrets.push(jd.access_token(&key).await.unwrap().expose().to_string());
    files_under(&env.data_dir, "joind.in browser signed in", &mut files);
    jd.sign_out(&key).await.unwrap();
    let key = jd
        .sign_in_with_password(Provider::Joindin, "alexmorgan", Secret::new("sandbox-password"))
        .await
        .unwrap()
        .record
        .key;
    secrets.push(jd.access_token(&key).await.unwrap().expose().to_string());
    files_under(&env.data_dir, "joind.in password signed in", &mut files);
    jd.sign_out(&key).await.unwrap();

    // MeetingBooster: a wrong password, then password, refresh, sign-out.
    let mb = env.auth(Arc::new(NoBrowser));
    assert!(
        mb.sign_in_with_password(Provider::Meetingbooster, "jordan.kim@example.com", Secret::new("wrong-password-1"))
            .await
            .is_err()
    );
    let key = mb
        .sign_in_with_password(Provider::Meetingbooster, "alex.morgan@example.com", Secret::new("sandbox-password"))
        .await
        .unwrap()
        .record
        .key;
    secrets.push(mb.access_token(&key).await.unwrap().expose().to_string());
    secrets.push(env.keychain.get(&key).await.unwrap().unwrap().expose().to_string());
    mb.refresh_now(&key).await.unwrap();
    secrets.push(mb.access_token(&key).await.unwrap().expose().to_string());
    secrets.push(env.keychain.get(&key).await.unwrap().unwrap().expose().to_string());
    files_under(&env.data_dir, "join.me and MeetingBooster signed in", &mut files);
    mb.sign_out(&key).await.unwrap();
    for key in keys {
        auth.sign_out(&key).await.unwrap();
    }
    files_under(&env.data_dir, "all signed out", &mut files);
    assert!(
        files.iter().any(|(name, text)| name.contains("accounts.toml") && text.contains("alex.morgan@example.com")),
        "the auth layer wrote its account list, to search: {:?}",
        files.iter().map(|(name, _)| name).collect::<Vec<_>>()
    );

    // The real binary: its commands and its window, at trace level too, with the files they wrote.
    let output = binary_runs(&env, &mut secrets, &mut files);

    url_secrets(&urls, &mut secrets, &mut challenges);
    // Keychain entries are JSON: also look for the bare token values inside them.
    let mut bare = Vec::new();
    for s in &secrets {
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(s) {
            bare.extend(map.values().filter_map(|v| v.as_str()).map(str::to_string));
        }
    }
    secrets.extend(bare);
    secrets.retain(|s| s.len() >= 8);
    assert!(secrets.len() > 20 && !challenges.is_empty(), "the flows produced secrets to look for");

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.len() > 10_000, "trace logging was on ({} bytes)", logs.len());
    let mut texts = vec![("the logs".to_string(), logs), ("the binary's output".to_string(), output)];
    texts.extend(files);
    let found = leaks(&texts, &secrets, &challenges);
    assert!(found.is_empty(), "a secret or a PKCE verifier appears in {found:?}");
}

/// Runs `sign-in meetingbooster`, `status`, the window (until it has loaded the account's meetings, then quit
/// cleanly so it saves its state) and `sign-out`, with trace logging and a scratch home and XDG folders; returns
/// all they printed, adds the tokens they kept in the keychain to `secrets` and every file under the scratch
/// folders to `files`.
fn binary_runs(env: &support::Env, secrets: &mut Vec<String>, files: &mut Vec<(String, String)>) -> String {
    let base = env.sandbox.config().sandbox.base.clone();
    let root = std::env::temp_dir().join(format!("ml-secrets-cli-{}", rand::random::<u64>()));
    std::fs::create_dir_all(&root).unwrap();
    let command = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_meeting-launcher"));
        c.env("MEETING_LAUNCHER_LOG", "trace")
            .env("HOME", root.join("home"))
            .env("XDG_CONFIG_HOME", root.join("config"))
            .env("XDG_DATA_HOME", root.join("data"))
            .env("XDG_CACHE_HOME", root.join("cache"))
            .env("XDG_STATE_HOME", root.join("state"))
            .env_remove("WAYLAND_DISPLAY")
            .args(["--sandbox", &base])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    };
    let run = |args: &[&str], input: &str| {
        let mut child = command(args).spawn().unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    };
    let mut all = run(&["sign-in", "meetingbooster", "--username", "alex.morgan@example.com"], "sandbox-password\n");
    assert!(all.contains("Signed in to MeetingBooster"), "{all}");
    // A calendar whose private address is a secret path: added, listed, loaded by the window, removed.
    let private = format!("private{:032x}", rand::random::<u128>());
    let start = env.sandbox.control().now() + chrono::Duration::hours(2);
    let at = |t: chrono::DateTime<chrono::Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    let ics = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:secret-test\r\nDTSTART:{}\r\n\
         DTEND:{}\r\nSUMMARY:Private review\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        at(start),
        at(start + chrono::Duration::minutes(30))
    );
    env.sandbox.control().replace_calendar_feed(&private, &ics).unwrap();
    secrets.push(private.clone());
    all += &run(&["calendar", "add", "Private"], &format!("{base}/_sandbox/ics/{private}.ics\n"));
    assert!(all.contains("Added the calendar “Private”"), "{all}");
    all += &run(&["calendar", "list"], "");
    all += &run(&["status"], "");
    let list = std::fs::read_to_string(root.join("data/meeting-launcher/accounts.toml")).unwrap();
    let key = list
        .lines()
        .filter_map(|l| l.strip_prefix("key = \""))
        .find(|k| k.starts_with("meetingbooster:"))
        .unwrap()
        .trim_end_matches('"')
        .to_string();
    let stored = keyring::Entry::new("meeting-launcher", &key).unwrap().get_password().unwrap();
    let value: serde_json::Value = serde_json::from_str(&stored).unwrap();
    let refresh = value["refresh_token"].as_str().unwrap().to_string();
    secrets.push(refresh.clone());
    secrets.push(stored);

    // A forced crash (test-only switch): a crash report in the log folder, redacted, that the window then tells.
    all += &forced_crash(&command, &root);

    // The window, signed in: it reads the sign-in from the keychain and loads the account's meetings. Its
    // log goes to a file outside the searched folders (a pipe nobody reads would fill and stall it).
    let log = std::env::temp_dir().join(format!("ml-secrets-window-{}.log", rand::random::<u64>()));
    let syncs = env.counter("meetingbooster.sync");
    let feeds = env.counter("calendar.feed.full");
    let mut window = command(&[])
        // Trace for everything but drawing, whose crates log every frame.
        .env("MEETING_LAUNCHER_LOG", "trace,wgpu_core=warn,wgpu_hal=warn,wgpu=warn,naga=warn,winit=warn,eframe=warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while env.counter("meetingbooster.sync") == syncs || env.counter("calendar.feed.full") == feeds {
        let log_text = || std::fs::read_to_string(&log).unwrap_or_default();
        assert!(window.try_wait().unwrap().is_none(), "the window exited: {}", log_text());
        assert!(Instant::now() < deadline, "the window loaded no meetings; its log: {}", log_text());
        std::thread::sleep(Duration::from_millis(100));
    }
    all += &run(&["quit"], "");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = window.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = window.kill();
            panic!("`quit` did not end the window");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let window_log = std::fs::read_to_string(&log).unwrap();
    let _ = std::fs::remove_file(&log);
    assert!(status.success(), "the window's exit: {status}");
    // It told the user about the crash, once: the report is marked seen.
    assert!(window_log.contains("telling the user about the last crash"), "{window_log}");
    let (unseen, seen): (Vec<String>, Vec<String>) =
        crash_reports(&root).into_iter().partition(|name| !name.ends_with(".seen.txt"));
    assert!(unseen.is_empty() && seen.len() == 1, "unseen {unseen:?}, seen {seen:?}");
    all += &window_log;
    // The window may have refreshed the tokens: what the keychain holds now is searched for too.
    secrets.push(keyring::Entry::new("meeting-launcher", &key).unwrap().get_password().unwrap());

    // The control: a copy of the refresh token planted deep in the data folder is found, and only there.
    let planted = root.join("data/meeting-launcher/planted/copy.txt");
    std::fs::create_dir_all(planted.parent().unwrap()).unwrap();
    std::fs::write(&planted, format!("token={refresh}\n")).unwrap();
    let mut walked = Vec::new();
    files_under(&root, "control", &mut walked);
    assert_eq!(leaks(&walked, std::slice::from_ref(&refresh), &[]), [format!("{} (control)", planted.display())]);
    std::fs::remove_file(&planted).unwrap();

    let before = files.len();
    files_under(&root, "signed in, the window quit", files);
    let names: Vec<&str> = files[before..].iter().map(|(name, _)| name.as_str()).collect();
    for wanted in ["accounts.toml", "app.ron"] {
        assert!(names.iter().any(|n| n.contains(wanted)), "the app wrote its {wanted}, to search: {names:?}");
    }
    all += &run(&["sign-out", "meetingbooster"], "");
    assert!(all.contains("Signed out"), "{all}");
    all += &run(&["calendar", "remove", "Private"], "");
    assert!(all.contains("Removed the calendar “Private”"), "{all}");
    files_under(&root, "signed out", files);
    // The control for the log files: the commands and the window wrote them, at trace level, where they are
    // searched (as every file under the scratch folders).
    let logs: Vec<&(String, String)> = files
        .iter()
        .filter(|(name, _)| name.contains("state/meeting-launcher/logs/meeting-launcher.") && name.contains(".log"))
        .collect();
    assert!(!logs.is_empty(), "the binary wrote log files");
    assert!(
        logs.iter().any(|(_, text)| text.len() > 10_000 && text.contains("launcher_engine")),
        "the log files hold the binary's trace logging"
    );
    let _ = std::fs::remove_dir_all(root);
    all
}

/// The crash reports' file names in the scratch folders' log folder.
fn crash_reports(root: &Path) -> Vec<String> {
    let dir = root.join("state/meeting-launcher/logs");
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with("crash-"))
        .collect();
    names.sort();
    names
}

/// Runs the binary with `MEETING_LAUNCHER_CRASH_TEST=1`: it panics at once, leaving a crash report (the user's
/// only) that names the panic, the version and the place, with the message's stand-ins for secrets masked.
/// Returns what it printed.
fn forced_crash(command: &dyn Fn(&[&str]) -> Command, root: &Path) -> String {
    assert!(crash_reports(root).is_empty());
    let out = command(&["status"]).env("MEETING_LAUNCHER_CRASH_TEST", "1").stdin(Stdio::null()).output().unwrap();
    let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success(), "the forced crash ended the binary: {printed}");
    let reports = crash_reports(root);
    assert_eq!(reports.len(), 1, "one crash report: {reports:?}; {printed}");
    let path = root.join("state/meeting-launcher/logs").join(&reports[0]);
    let report = std::fs::read_to_string(&path).unwrap();
    for wanted in [
        "Meeting Launcher crash report",
        &format!("version: {}", env!("CARGO_PKG_VERSION")),
        "thread: main",
        "location: src/crash.rs",
        "message: MEETING_LAUNCHER_CRASH_TEST asked for a crash",
        "access_token=[redacted]",
        "backtrace:",
    ] {
        assert!(report.contains(wanted), "{wanted:?} is not in the crash report: {report}");
    }
    // The control: the message had a token where the redactor put `[redacted]` (on stderr too, which replaces
    // Rust's own hook: a desktop session sends stderr to the journal); the stand-ins are nowhere.
    assert!(printed.contains("access_token=[redacted]") && printed.contains("A crash report is in"), "{printed}");
    for planted in ["crashtest-a1b2c3", "crashtestb0123456789abcdefghij"] {
        assert!(!printed.contains(planted), "a secret's stand-in was printed: {printed}");
        assert!(!report.contains(planted), "a secret's stand-in is in the crash report: {report}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let dir = std::fs::metadata(path.parent().unwrap()).unwrap();
        assert_eq!(dir.permissions().mode() & 0o777, 0o700);
    }
    printed
}

use launcher_test_support::{auth as support, browser};
