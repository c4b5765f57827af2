//! Changes made on a service through its own API, as a colleague or the service's web page would make them:
//! not through the app under test.

use launcher_core::secret::Secret;
use launcher_engine::providers::{Endpoints, meetingbooster};
use launcher_engine::settings::NetworkSettings;
use launcher_sandbox::Sandbox;

/// The sandbox's MeetingBooster user whose meetings the tests load.
pub const MB_USER: &str = "alex.morgan@example.com";

/// A new random guid, the form MeetingBooster wants a client-chosen meeting id in.
pub fn guid() -> String {
    let hex = format!("{:032x}", rand::random::<u128>());
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// A 30-minute MeetingBooster meeting `minutes_ahead` of the sandbox's clock, made by [`MB_USER`].
pub async fn create_meetingbooster_meeting(
    sb: &Sandbox,
    title: &str,
    minutes_ahead: i64,
    location: &str,
    purpose: &str,
) {
    let endpoints = Endpoints::from_sandbox(sb.config());
    let ep = endpoints.meetingbooster.clone().expect("the sandbox serves MeetingBooster");
    let http = launcher_engine::providers::http::client(&NetworkSettings::default()).unwrap();
    let tokens = meetingbooster::password(&http, &ep, MB_USER, &Secret::new("sandbox-password")).await.unwrap();
    let start = sb.control().now() + chrono::Duration::minutes(minutes_ahead);
    let body = serde_json::json!({
        "Id": guid(),
        "Title": title,
        "Start": start.to_rfc3339(),
        "End": (start + chrono::Duration::minutes(30)).to_rfc3339(),
        "Location": location,
        "Purpose": purpose,
    });
    let answer = http
        .post(format!("{}/api/v1/meetings", sb.config().meetingbooster.server))
        .bearer_auth(tokens.access.expose())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success(), "the sandbox refused the meeting: {}", answer.status());
}
