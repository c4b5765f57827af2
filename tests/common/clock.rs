//! The client's clock follows the sandbox's virtual clock, so expiry and reminders can be tested without
//! waiting.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use meeting_launcher::auth::Clock;
use meeting_launcher::sandbox::Sandbox;

pub struct SandboxClock(pub Arc<Sandbox>);

impl Clock for SandboxClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.control().now()
    }
}
