//! A MeetingBooster server: its `/oauth` endpoint (`oauth`), its `/api/v1` calls (`api`) and the objects they
//! exchange (`model`). See providers.md §3.

mod api;
mod model;
mod oauth;

pub use api::{create, delete, get, me, probe, sync, update};
pub use model::{Change, Invitation, Meeting, Sync, User};
pub use oauth::{password, refresh, sign_out};

/// Every answer a MeetingBooster server can send, read from arbitrary bytes: never a panic (`cargo xtask fuzz`).
#[cfg(test)]
pub(crate) fn read_any_answer(bytes: &[u8]) {
    let answer = crate::providers::http::ok_answer(bytes);
    let p = crate::providers::Provider::Meetingbooster;
    if let Ok(sync) = answer.read::<model::SyncJson>(p, "x") {
        let _ = sync.into_sync(false);
    }
    if let Ok(meeting) = answer.read::<model::MeetingJson>(p, "x") {
        let _ = Meeting::try_from(meeting);
    }
    let _ = answer.read::<model::User>(p, "x");
}
