//! Demo mode: an embedded sandbox, signed in to all three services at start, so a new user sees the whole app
//! working with no account. Nothing is saved, and no browser window pops up for the demo's own sign-ins.

use std::sync::Arc;

use crate::auth::BrowserOpener;
use crate::providers::Endpoints;
use launcher_core::sandbox_config::SandboxConfig;
#[cfg(feature = "demo")]
use launcher_sandbox::{Sandbox, SandboxOptions};

/// The demo's sandbox: authorization pages approve at once as the demo user, any loopback port accepted.
#[cfg(feature = "demo")]
pub async fn demo_sandbox() -> std::io::Result<Sandbox> {
    let mut options = SandboxOptions { auto_approve: true, ..SandboxOptions::default() };
    options.switches.joindin_loopback_any_port = true;
    let sandbox = Sandbox::start(options).await?;
    // The seeded meetings begin tomorrow: one a little while from now, so a new user sees the next-up card count
    // down to something they can start.
    let start = soon(sandbox.control().now());
    sandbox.control().add_joinme_meeting(DEMO_SOON, start, 15, &["priya.shah@example.com"]);
    Ok(sandbox)
}

/// The demo's meeting that starts soon.
#[cfg(feature = "demo")]
pub const DEMO_SOON: &str = "Coffee chat with the team";

/// A round five minutes, 20 to 25 minutes after `now`: far enough for a first look around, near enough to count.
#[cfg(feature = "demo")]
fn soon(now: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    // 25 minutes, less the seconds since the last round five.
    const LATEST: i64 = 25 * 60;
    let past_five = now.timestamp().rem_euclid(300);
    launcher_core::timefmt::later(now, chrono::Duration::seconds(LATEST.saturating_sub(past_five)))
}

pub fn demo_endpoints(config: &SandboxConfig) -> Endpoints {
    let mut endpoints = Endpoints::from_sandbox(config);
    if let Some(j) = endpoints.joindin.as_mut() {
        j.callback_port = 0;
    }
    endpoints
}

/// Follows an authorization URL the way a browser would (the sandbox approves at once), without showing one.
pub struct FollowingBrowser {
    http: reqwest::Client,
    runtime: tokio::runtime::Handle,
}

impl FollowingBrowser {
    pub fn new() -> Arc<Self> {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap_or_default();
        Arc::new(Self { http, runtime: tokio::runtime::Handle::current() })
    }
}

impl BrowserOpener for FollowingBrowser {
    fn open(&self, url: &url::Url) -> Result<(), String> {
        let (http, url) = (self.http.clone(), url.clone());
        self.runtime.spawn(async move {
            let Ok(response) = http.get(url).send().await else { return };
            let location = response.headers().get("location").and_then(|l| l.to_str().ok()).map(str::to_string);
            if let Some(callback) = location {
                let _ = http.get(callback).send().await;
            }
        });
        Ok(())
    }
}

#[cfg(all(test, feature = "demo"))]
mod tests {
    use chrono::{Duration, TimeZone, Timelike, Utc};

    #[test]
    fn the_demos_soon_meeting_is_twenty_to_twenty_five_minutes_ahead_at_a_round_five() {
        let base = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap();
        for seconds in [0, 1, 59, 299, 300, 301, 3599] {
            let now = base + Duration::seconds(seconds);
            let start = super::soon(now);
            let ahead = start - now;
            assert!(ahead > Duration::minutes(20) && ahead <= Duration::minutes(25), "{now}: {start}");
            assert_eq!((start.minute() % 5, start.second()), (0, 0), "{now}: {start}");
        }
    }

    #[tokio::test]
    async fn the_demo_has_its_soon_meeting() {
        let sandbox = super::demo_sandbox().await.unwrap();
        assert_eq!(sandbox.control().joinme_meetings_named(super::DEMO_SOON), 1);
        sandbox.shutdown().await;
    }
}
