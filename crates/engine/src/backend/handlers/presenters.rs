//! join.me's presenters list.

use super::super::protocol::Event;
use super::super::state::State;

pub(crate) async fn load_presenters(state: &State, account: String) {
    match state.ops().presenters(&account).await {
        Ok(view) => state.sink.send(Event::Presenters { account, view }),
        Err(error) => state.report(Some(&account), "Loading the presenters", error).await,
    }
}
