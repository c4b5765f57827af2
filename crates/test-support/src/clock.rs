//! The client's clock follows the sandbox's virtual clock, so expiry and reminders can be tested without
//! waiting.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use launcher_engine::auth::Clock;
use launcher_sandbox::Sandbox;

pub struct SandboxClock(pub Arc<Sandbox>);

impl Clock for SandboxClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.control().now()
    }
}
