//! The browser sign-in's own failures (the loopback listener, the user's answer in the browser, the wait), kept
//! apart from what a service answers ([`ProviderError`]), which they wrap.

use crate::providers::{Provider, ProviderError, UserAction};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// What the service answered, or why it could not be asked.
    #[error(transparent)]
    Provider(#[from] ProviderError),
    #[error("Sign-in to {provider} was declined in the browser.")]
    Denied { provider: Provider },
    #[error("Sign-in to {provider} timed out: no answer came back from the browser.")]
    TimedOut { provider: Provider },
    #[error("Sign-in to {provider} was cancelled.")]
    Cancelled { provider: Provider },
    #[error(
        "Port {port} on 127.0.0.1 is in use by another program, and {provider} only accepts the registered callback \
         on that port. Close the other program, or register another port and set it in Settings."
    )]
    PortBusy { provider: Provider, port: u16 },
    #[error("Cannot wait for the browser's answer: {detail}.")]
    Listener { provider: Provider, detail: String },
}

impl AuthError {
    /// What the user can do about it.
    pub fn action(&self) -> UserAction {
        match self {
            AuthError::Provider(e) => e.action(),
            AuthError::PortBusy { .. } => UserAction::CheckSettings,
            AuthError::TimedOut { .. } | AuthError::Listener { .. } => UserAction::RetryLater,
            AuthError::Denied { .. } | AuthError::Cancelled { .. } => UserAction::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flow_s_own_failures_say_what_to_do() {
        let p = Provider::Joinme;
        let busy = AuthError::PortBusy { provider: p, port: 53682 };
        assert!(busy.to_string().contains("53682"));
        assert_eq!(busy.action(), UserAction::CheckSettings);
        assert_eq!(AuthError::Cancelled { provider: p }.action(), UserAction::None);
        let locked = AuthError::from(ProviderError::LockedOut { provider: p, seconds: 30 });
        assert_eq!(locked.action(), UserAction::Wait { seconds: 30 });
        assert_eq!(locked.to_string(), ProviderError::LockedOut { provider: p, seconds: 30 }.to_string());
    }
}
