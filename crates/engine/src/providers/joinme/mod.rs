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
