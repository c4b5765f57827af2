//! The app-level error: whatever a layer below failed with, and what the user can do about it.

use crate::auth::KeychainError;
use crate::providers::{ProviderError, UserAction};
use crate::services::ServiceError;
use crate::settings::SettingsError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Provider(#[from] ProviderError),
    #[error(transparent)]
    Services(#[from] ServiceError),
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Keychain(#[from] KeychainError),
    #[error("cannot find the home directory for the settings")]
    NoHome,
}

impl AppError {
    /// What the user can do about it.
    pub fn action(&self) -> UserAction {
        match self {
            AppError::Provider(e) => e.action(),
            AppError::Services(ServiceError::Sandbox(_)) => UserAction::CheckNetwork,
            AppError::Services(ServiceError::DemoDisabled) => UserAction::None,
            AppError::Services(ServiceError::DemoFailed(_)) => UserAction::RetryLater,
            AppError::Services(ServiceError::Settings(_)) | AppError::Settings(_) | AppError::NoHome => {
                UserAction::CheckSettings
            }
            AppError::Keychain(_) => UserAction::CheckSettings,
        }
    }
}
