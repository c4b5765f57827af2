//! `meeting-launcher start` in its own process, against a sandbox process.

use super::process::{app_in, bin, get, output_with_input, sandbox_base, sign_in_joinme, stand_in_opener};

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

/// A MeetingBooster meeting 20 minutes ahead with a Zoom link in its `Location`: `join-next` hands that link to
/// the system's opener (a stand-in `xdg-open` first on `PATH` writes down what it was given).
#[test]
fn join_next_opens_the_zoom_link_a_meetingbooster_meeting_gives_in_its_location() {
    assert!(std::env::var_os("MEETING_LAUNCHER_TEST_SESSION").is_some(), "run with `cargo xtask test`");
    let (_sandbox, base) = sandbox_base();
    let root = std::env::temp_dir().join(format!("ml-join-{}", rand::random::<u64>()));
    let (opened, path) = stand_in_opener(&root);
    let app = app_in(&root, &base);
    let command = |args: &[&str]| {
        let mut c = app(args);
        c.env("PATH", &path).env_remove("BROWSER");
        c
    };
    let signed_in = output_with_input(
        &mut command(&["sign-in", "meetingbooster", "--username", "alex.morgan@example.com"]),
        "sandbox-password\n",
    );
    assert!(signed_in.status.success(), "{}", String::from_utf8_lossy(&signed_in.stderr));

    let zoom = "https://us02web.zoom.us/j/81234567890?pwd=Xy7Qb2";
    create_meetingbooster_meeting(&base, "Budget sync", 20, &format!("Zoom: {zoom}"));

    let joined = command(&["join-next"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&joined.stderr);
    assert!(joined.status.success(), "{stderr}");
    assert!(stderr.contains("Joining \"Budget sync\""), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&joined.stdout).trim(), zoom);
    // The opener runs detached: wait for what it wrote.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !std::fs::read_to_string(&opened).is_ok_and(|t| t.ends_with('\n')) {
        assert!(std::time::Instant::now() < deadline, "the opener was not run");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(std::fs::read_to_string(&opened).unwrap(), format!("{zoom}\n"));
    let _ = command(&["sign-out", "meetingbooster"]).output();
    let _ = std::fs::remove_dir_all(root);
}

/// Makes a meeting on the sandbox's MeetingBooster through its API (a password grant, then a create), `minutes`
/// ahead of the sandbox's clock.
fn create_meetingbooster_meeting(base: &str, title: &str, minutes: i64, location: &str) {
    let (base, title, location) = (base.to_string(), title.to_string(), location.to_string());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let http = reqwest::Client::new();
            let form = [
                ("grant_type", "password"),
                ("app_id", "Api"),
                ("username", "alex.morgan@example.com"),
                ("password", "sandbox-password"),
            ];
            let tokens: serde_json::Value = http
                .post(format!("{base}/meetingbooster/oauth"))
                .form(&form)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let clock: serde_json::Value =
                http.get(format!("{base}/_sandbox/clock")).send().await.unwrap().json().await.unwrap();
            let now = chrono::DateTime::parse_from_rfc3339(clock["now"].as_str().unwrap()).unwrap();
            let start = now + chrono::Duration::minutes(minutes);
            let body = serde_json::json!({
                "Id": launcher_test_support::services::guid(),
                "Title": title,
                "Start": start.to_rfc3339(),
                "End": (start + chrono::Duration::minutes(30)).to_rfc3339(),
                "Location": location,
            });
            let answer = http
                .post(format!("{base}/meetingbooster/api/v1/meetings"))
                .bearer_auth(tokens["access_token"].as_str().unwrap())
                .json(&body)
                .send()
                .await
                .unwrap();
            assert!(answer.status().is_success(), "{}", answer.status());
        })
    })
    .join()
    .unwrap();
}

/// Issue 13: a MeetingBooster server answering what no sane server does (waits of centuries, meetings in year
/// 9999 and beyond what a date holds) makes the command line fail with words, never a panic.
#[test]
fn absurd_meetingbooster_answers_crash_no_command() {
    assert!(std::env::var_os("MEETING_LAUNCHER_TEST_SESSION").is_some(), "run with `cargo xtask test`");
    let (_sandbox, base) = sandbox_base();
    let root = std::env::temp_dir().join(format!("ml-absurd-{}", rand::random::<u64>()));
    let command = app_in(&root, &base);
    let signed_in = output_with_input(
        &mut command(&["sign-in", "meetingbooster", "--username", "alex.morgan@example.com"]),
        "sandbox-password\n",
    );
    assert!(signed_in.status.success());

    let fault = |fault: serde_json::Value| {
        super::process::post(&format!("{base}/_sandbox/faults"), fault);
    };
    let meeting = |id: &str, start: &str, end: &str| serde_json::json!({"ClientSyncId": id, "State": "NEW", "Meeting": {"Id": id, "Title": "Far", "Start": start, "End": end}});
    let far = serde_json::json!({"SyncToken": "t", "Meetings": [
        meeting("7d0c3f52-0000-4000-8000-000000000001", "9999-12-31T23:40:00Z", "9999-12-31T23:59:59Z"),
        meeting("7d0c3f52-0000-4000-8000-000000000002", "+262143-12-31T23:00:00Z", "+262143-12-31T23:59:00Z"),
    ]});
    let json = [["content-type", "application/json"]];
    let absurd_body =
        r#"{"error": "unauthorized_client", "error_state": "FAILEDLOGIN", "retry_in_seconds": 9000000000000}"#;
    let absurd = serde_json::json!([["content-type", "application/json"], ["retry-after", "99999999999999999"]]);
    let run = |args: &[&str]| {
        let out = command(args).stdin(std::process::Stdio::null()).output().unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_ne!(out.status.code(), Some(101), "{args:?} panicked: {text}");
        assert!(!text.contains("panicked") && !text.contains("internal error"), "{args:?}: {text}");
        (out.status.success(), text)
    };

    // Meetings in year 9999 and beyond (the whole list, as a first sync sends it): the one in 9999 is read and
    // is the next meeting; the one past what a date holds is left out.
    fault(serde_json::json!({"path": "/meetingbooster/api/v1/mymeetings/sync", "kind": "answer", "status": 200,
        "headers": json, "body": far.to_string(), "count": 1}));
    let (_, text) = run(&["join-next", "--no-browser"]);
    assert!(text.contains("\"Far\" has no link to join"), "{text}");
    // Waits of centuries from the API and from the token endpoint: failures in words, the wait cut to a day.
    // One 503 asking for centuries: the command waits the most it ever waits (30 s), tries again, and goes on.
    fault(serde_json::json!({"path": "/meetingbooster/api", "kind": "answer", "status": 503,
        "headers": absurd, "body": absurd_body, "count": 1}));
    let started = std::time::Instant::now();
    let (_, text) = run(&["join-next", "--no-browser"]);
    assert!(started.elapsed() < std::time::Duration::from_secs(45), "{:?}: {text}", started.elapsed());
    assert!(text.contains("has no link to join"), "it went on after the wait: {text}");
    fault(serde_json::json!({"path": "/meetingbooster/oauth", "kind": "answer", "status": 400,
        "headers": absurd, "body": absurd_body, "count": 10}));
    let (_, text) = run(&["status", "--check"]);
    assert!(text.contains("MeetingBooster"), "{text}");
    let mut wrong = command(&["sign-in", "meetingbooster", "--username", "alex.morgan@example.com"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut wrong.stdin.take().unwrap(), b"wrong\n").unwrap();
    let out = wrong.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(101), "{text}");
    assert!(text.contains("86400 seconds"), "the wait cut to a day: {text}");
    let _ = std::fs::remove_dir_all(root);
}
