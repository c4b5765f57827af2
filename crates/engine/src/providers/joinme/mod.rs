//! join.me: its auth host's OAuth endpoints (`oauth`), its API's calls (`api`) and the objects both exchange
//! (`model`), with the FAQ's errors classified. See providers.md §1.

mod api;
mod model;
mod oauth;

pub use api::{
    api_error, conference_settings, create_meeting, delete_meeting, get_meeting, invite_presenter, list_meetings,
    needs_business_plan, presenters, remove_presenter, start_adhoc, start_scheduled, update_meeting, user,
};
pub use model::{Conference, Meeting, MeetingInput, Presenter, Started, TokenInfo, User};
pub use oauth::{SCOPES, authorize_url, exchange_code, expire_access, refresh, token_info};

/// Every answer join.me can send, read from arbitrary bytes: never a panic (`cargo xtask fuzz`).
#[cfg(test)]
pub(crate) fn read_any_answer(bytes: &[u8]) {
    let answer = crate::providers::http::ok_answer(bytes);
    let p = crate::providers::Provider::Joinme;
    let _ = answer.read::<model::MeetingList>(p, "x").map(|l| l.into_vec());
    let _ = answer.read::<model::PresenterList>(p, "x").map(|l| l.into_vec());
    let _ = answer.read::<model::User>(p, "x");
    let _ = answer.read::<model::Conference>(p, "x");
    let _ = answer.read::<model::TokenInfo>(p, "x");
    let _ = answer.read::<model::Started>(p, "x");
    let _ = answer.read::<model::Meeting>(p, "x");
    let _ = api::api_error(&answer);
}
