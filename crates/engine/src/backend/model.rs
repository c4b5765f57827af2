//! The provider-neutral view the UI draws: one agenda across accounts, drafts of changes on their way, and the
//! per-service lists (presenters, talks).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use launcher_core::Provider;

pub use launcher_core::agenda::{AgendaItem, ItemKind};

/// A create or an edit the user asked for, kept until the service confirms it: it survives failures and
/// restarts, and it is never sent twice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// Local id.
    pub id: String,
    pub account: String,
    pub provider: Provider,
    /// The meeting being edited; `None` for a new one.
    pub meeting_id: Option<String>,
    pub title: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    #[serde(default)]
    pub participants: Vec<String>,
    #[serde(default)]
    pub location: String,
    /// MeetingBooster: the id the client chose, fixed at the first attempt so a retry cannot duplicate.
    #[serde(default)]
    pub client_id: String,
    /// join.me: meetings that already looked like this one before the first attempt, so reconciliation after
    /// a lost answer finds only the one this draft made.
    #[serde(default)]
    pub known_lookalikes: Option<Vec<String>>,
    #[serde(default)]
    pub state: DraftState,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DraftState {
    #[default]
    Sending,
    Failed {
        message: String,
    },
}

impl Draft {
    /// A new meeting for `account`.
    pub fn new(account: &str, provider: Provider, title: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        Self {
            id: uuid::Uuid::new_v4().to_string(),
            account: account.into(),
            provider,
            meeting_id: None,
            title: title.into(),
            start,
            end,
            participants: Vec::new(),
            location: String::new(),
            client_id: uuid::Uuid::new_v4().to_string().to_uppercase(),
            known_lookalikes: None,
            state: DraftState::Sending,
        }
    }

    /// What is wrong with it, field by field, before anything is sent.
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        if self.title.trim().is_empty() {
            out.push(FieldProblem { field: Field::Title, message: launcher_core::t!("form-title-missing") });
        }
        if self.end <= self.start {
            out.push(FieldProblem { field: Field::End, message: launcher_core::t!("form-ends-before-start") });
        }
        for p in &self.participants {
            if !valid_email(p) {
                out.push(FieldProblem {
                    field: Field::Participants,
                    message: launcher_core::t!("form-not-an-email", address = p),
                });
            }
        }
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Start,
    End,
    Participants,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: Field,
    pub message: String,
}

pub use launcher_core::email::is_valid as valid_email;

#[derive(Debug, Clone, PartialEq)]
pub enum PresentersView {
    Ready(Vec<crate::providers::joinme::Presenter>),
    /// A Free or Pro account, or a Basic API key: presenters are a Business plan feature.
    NeedsBusinessPlan,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_reported_per_field() {
        let now = Utc::now();
        let mut d = Draft::new("a", Provider::Joinme, " ", now, now - chrono::Duration::minutes(5));
        d.participants = vec!["ok@example.com".into(), "not an address".into()];
        let fields: Vec<Field> = d.problems().iter().map(|p| p.field).collect();
        assert_eq!(fields, [Field::Title, Field::End, Field::Participants]);
        d.title = "Review".into();
        d.end = now + chrono::Duration::hours(1);
        d.participants.pop();
        assert!(d.problems().is_empty());
    }
}
