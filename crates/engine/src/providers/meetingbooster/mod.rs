//! A MeetingBooster server: its `/oauth` endpoint (`oauth`), its `/api/v1` calls (`api`) and the objects they
//! exchange (`model`). See providers.md §3.

mod api;
mod model;
mod oauth;

pub use api::{create, delete, get, me, sync, update};
pub use model::{Change, Invitation, Meeting, Sync, User};
pub use oauth::{password, refresh, sign_out};
