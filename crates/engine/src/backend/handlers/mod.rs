//! The backend's commands, one file per group. Each handler reports through the state's sink.

pub mod agenda;
pub mod deletes;
pub mod drafts;
pub mod meetings;
pub mod presenters;
pub mod reminders;
pub mod settings;
pub mod sign_in;
