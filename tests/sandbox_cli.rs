//! `meeting-launcher sandbox` as a user or a script runs it: one JSON line on stdout, then the flows with curl.

use std::process::Command;

use super::process::{bin, sandbox};

#[test]
fn prints_exactly_one_json_line_and_serves_it_at_the_config_url() {
    let (running, line) = sandbox(&["--port", "0", "--auto-approve"]);
    let printed: serde_json::Value = serde_json::from_str(line.trim()).expect("the line is JSON");
    assert_eq!(printed["sandbox"]["auto_approve"], true);
    let url = format!("{}/config", printed["sandbox"]["control"].as_str().unwrap());
    let served: serde_json::Value = reqwest::blocking_get(&url);
    assert_eq!(served, printed);
    drop(running);
}

#[test]
fn curl_completes_every_sign_in_flow_against_the_printed_urls() {
    let (running, line) = sandbox(&["--port", "0", "--auto-approve"]);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scripts/sandbox-curl-flows.sh");
    let output = Command::new("bash")
        .arg(script)
        .arg(line.trim())
        .output()
        .expect("bash runs (curl, jq and python3 are installed by cargo xtask test)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("13 passed, 0 failed"), "{stdout}");
    drop(running);
}

#[test]
fn a_busy_port_and_a_bad_time_scale_are_clear_errors() {
    let (running, line) = sandbox(&["--port", "0"]);
    let printed: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    let port = printed["sandbox"]["base"].as_str().unwrap().rsplit(':').next().unwrap().to_string();
    let busy = bin().args(["sandbox", "--port", &port]).output().unwrap();
    assert!(!busy.status.success());
    let message = String::from_utf8_lossy(&busy.stderr);
    assert!(message.contains(&port) && message.contains("already in use"), "{message}");
    assert!(busy.stdout.is_empty(), "no JSON line when it did not start");
    drop(running);

    let bad = bin().args(["sandbox", "--time-scale", "0"]).output().unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a positive number"));
}

mod reqwest {
    /// A blocking GET on a throw-away runtime, so these tests stay plain `#[test]`s around a child process.
    pub fn blocking_get(url: &str) -> serde_json::Value {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async { ::reqwest::get(url).await.unwrap().json().await.unwrap() })
    }
}
