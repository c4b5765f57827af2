//! Every sign-in flow run with logging at trace level (every crate), then the logs, the settings file and the
//! commands' output searched for every token, code, verifier and password the flows used. Its own test binary,
//! because it installs the global log subscriber.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use base64::Engine;
use launcher_core::secret::Secret;
use launcher_engine::auth::NoBrowser;
use launcher_engine::providers::Provider;
use launcher_engine::settings::Settings;
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

#[tokio::test(flavor = "multi_thread")]
async fn no_secret_reaches_the_logs_the_settings_file_or_the_output() {
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
    implicit.sign_out(&key).await.unwrap();

    // joind.in: browser and password.
    let mut endpoints = env.endpoints();
    endpoints.joindin.as_mut().unwrap().callback_port = 0;
    let (b, _) = TestBrowser::new(Behaviour::Follow);
    let jd = env.auth_with(endpoints, b.clone(), std::time::Duration::from_secs(20));
    let key = jd.start_browser_sign_in(Provider::Joindin).await.unwrap().finish().await.unwrap().record.key;
    urls.extend(b.visits.lock().unwrap().iter().map(|v| v.url.clone()));
    secrets.push(jd.access_token(&key).await.unwrap().expose().to_string());
    jd.sign_out(&key).await.unwrap();
    let key = jd
        .sign_in_with_password(Provider::Joindin, "alexmorgan", Secret::new("sandbox-password"))
        .await
        .unwrap()
        .record
        .key;
    secrets.push(jd.access_token(&key).await.unwrap().expose().to_string());
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
    mb.sign_out(&key).await.unwrap();
    for key in keys {
        auth.sign_out(&key).await.unwrap();
    }

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

    // The settings file.
    let settings_path = env.data_dir.join("settings.toml");
    let mut settings = Settings::default();
    settings.joinme.api_key = Some(config.joinme.client_id.clone());
    settings.meetingbooster.server = Some(config.meetingbooster.server.clone());
    settings.meetingbooster.username = Some(config.meetingbooster.username.clone());
    settings.save(&settings_path).unwrap();

    // The commands' output, at trace level too.
    let output = cli_output(&config.sandbox.base, &mut secrets);

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.len() > 10_000, "trace logging was on ({} bytes)", logs.len());
    let settings_text = std::fs::read_to_string(&settings_path).unwrap();
    for (what, text) in [("the logs", &logs), ("the settings file", &settings_text), ("the commands' output", &output)]
    {
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "a secret ({} characters) appears in {what}", secret.len());
        }
        // Says where, never what: the test's own output must not show the secret either.
        assert!(leaked_verifier(text, &challenges).is_none(), "a PKCE verifier appears in {what}");
    }
}

/// Runs `sign-in meetingbooster`, `status` and `sign-out` with trace logging; returns all they printed, and adds
/// the tokens they kept in the keychain to `secrets`.
fn cli_output(base: &str, secrets: &mut Vec<String>) -> String {
    let root = std::env::temp_dir().join(format!("ml-secrets-cli-{}", rand::random::<u64>()));
    let command = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_meeting-launcher"));
        c.env("MEETING_LAUNCHER_LOG", "trace")
            .env("XDG_CONFIG_HOME", root.join("config"))
            .env("XDG_DATA_HOME", root.join("data"))
            .env("XDG_CACHE_HOME", root.join("cache"))
            .args(["--sandbox", base])
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
    all += &run(&["status"], "");
    let list = std::fs::read_to_string(root.join("data/meeting-launcher/accounts.toml")).unwrap();
    let key = list.lines().find_map(|l| l.strip_prefix("key = \"")).unwrap().trim_end_matches('"').to_string();
    let stored = keyring::Entry::new("meeting-launcher", &key).unwrap().get_password().unwrap();
    let value: serde_json::Value = serde_json::from_str(&stored).unwrap();
    secrets.push(value["refresh_token"].as_str().unwrap().to_string());
    all += &run(&["sign-out", "meetingbooster"], "");
    assert!(all.contains("Signed out"), "{all}");
    let _ = std::fs::remove_dir_all(root);
    all
}

use launcher_test_support::{auth as support, browser};
