//! joind.in: the website's `oauth_allow` page and the API's password grant (`oauth`), the calls the launcher
//! makes (`api`: who the token belongs to, the user's events, talks, attending) and the objects they read
//! (`model`). See providers.md §2.

mod api;
mod model;
mod oauth;

pub use api::{my_events, set_attending, talks, whoami};
pub use model::{Event, Talk, User};
pub use oauth::{allow_url, password};

/// Every answer joind.in can send, read from arbitrary bytes: never a panic (`cargo xtask fuzz`).
#[cfg(test)]
pub(crate) fn read_any_answer(bytes: &[u8]) {
    let answer = crate::providers::http::ok_answer(bytes);
    let p = crate::providers::Provider::Joindin;
    let _ = answer.read::<model::Events>(p, "x");
    let _ = answer.read::<model::Talks>(p, "x");
    let _ = answer.read::<model::Users>(p, "x");
    let _ = answer.read::<model::TokenAnswer>(p, "x");
}
