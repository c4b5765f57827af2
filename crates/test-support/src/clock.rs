//! The client's clock follows the sandbox's virtual clock, so expiry and reminders can be tested without
//! waiting.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use launcher_engine::auth::Clock;
use launcher_sandbox::Sandbox;

pub struct SandboxClock(pub Arc<Sandbox>);

/// The sandbox's clock moved by an offset of the client's own: a client clock set back (the sandbox's, a server's,
/// never runs backwards).
pub struct ShiftedClock {
    pub sandbox: Arc<Sandbox>,
    pub shift: std::sync::Mutex<chrono::Duration>,
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        let shift = *self.shift.lock().unwrap_or_else(|e| e.into_inner());
        self.sandbox.control().now().checked_add_signed(shift).unwrap_or(DateTime::<Utc>::MIN_UTC)
    }
}

impl Clock for SandboxClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.control().now()
    }
}
