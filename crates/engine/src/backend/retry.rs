//! Calling a service with an account's token: one refresh and one retry when the token is refused, and
//! backoff with jitter for transient failures (5xx, connection errors, timeouts), honouring `Retry-After`
//! and `retry_in_seconds`.

use std::future::Future;
use std::time::Duration;

use crate::auth::Auth;
use crate::providers::ProviderError;
use launcher_core::secret::Secret;

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Retries after the first attempt, for transient failures.
    pub retries: u32,
    pub base_delay: Duration,
    /// No wait is longer than this, whatever the server asks.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { retries: 3, base_delay: Duration::from_millis(400), max_delay: Duration::from_secs(30) }
    }
}

impl RetryPolicy {
    pub const NONE: RetryPolicy = RetryPolicy { retries: 0, base_delay: Duration::ZERO, max_delay: Duration::ZERO };

    /// Exponential backoff with jitter; the server's own wait when it gave one.
    pub fn delay(&self, attempt: u32, error: &ProviderError) -> Duration {
        if let ProviderError::ServerTrouble { retry_after: Some(seconds), .. } = error {
            return Duration::from_secs(*seconds).min(self.max_delay);
        }
        let exp = self.base_delay.saturating_mul(2u32.saturating_pow(attempt));
        let jitter = exp.mul_f64(rand::random_range(0.0..0.5));
        exp.saturating_add(jitter).min(self.max_delay)
    }
}

/// Whether the error says the access token is at fault.
pub fn token_refused(error: &ProviderError) -> bool {
    matches!(error, ProviderError::SignInAgain { .. } | ProviderError::AuthorizationRejected { .. })
}

/// Runs `call` with the account's access token. A refused token leads to one refresh and one more try; a
/// transient failure to retries with backoff.
pub async fn with_token<T, F, Fut>(
    auth: &Auth,
    account: &str,
    policy: RetryPolicy,
    mut call: F,
) -> Result<T, ProviderError>
where
    F: FnMut(Secret) -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    let mut attempt = 0;
    let mut refreshed = false;
    loop {
        let token = auth.access_token(account).await?;
        match call(token.clone()).await {
            Ok(value) => return Ok(value),
            Err(e) if token_refused(&e) && !refreshed => {
                auth.token_rejected(account, &token).await;
                refreshed = true;
            }
            Err(e) if token_refused(&e) => {
                // Refused again with a fresh token: the grant is gone.
                auth.token_rejected(account, &token).await;
                return Err(auth.access_token(account).await.err().unwrap_or(e));
            }
            Err(e) if e.is_transient() && attempt < policy.retries => {
                tokio::time::sleep(policy.delay(attempt, &e)).await;
                attempt = attempt.saturating_add(1);
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::Provider;

    #[test]
    fn backoff_grows_and_honours_the_servers_wait() {
        let policy =
            RetryPolicy { retries: 5, base_delay: Duration::from_millis(100), max_delay: Duration::from_secs(2) };
        let e = ProviderError::Unreachable { provider: Provider::Joinme, host: "h".into(), detail: "d".into() };
        let first = policy.delay(0, &e);
        assert!(first >= Duration::from_millis(100) && first < Duration::from_millis(150));
        assert!(policy.delay(3, &e) >= Duration::from_millis(800));
        assert_eq!(policy.delay(10, &e), Duration::from_secs(2));
        let told = ProviderError::ServerTrouble {
            provider: Provider::Joinme,
            status: 503,
            reference: None,
            retry_after: Some(1),
        };
        assert_eq!(policy.delay(0, &told), Duration::from_secs(1));
    }
}
