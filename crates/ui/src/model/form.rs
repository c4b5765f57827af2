//! The meeting form as typed: its fields, built from a draft or an agenda item, and the draft it describes. No
//! egui here; the scheduler view draws it.

use chrono::{DateTime, Datelike, Local, NaiveDate, TimeZone, Timelike, Utc};
use launcher_engine::backend::{AgendaItem, Draft};
use launcher_engine::providers::Provider;

/// The meeting form's fields, as typed.
#[derive(Debug, Clone)]
pub struct MeetingForm {
    pub draft_id: String,
    pub account: String,
    pub meeting_id: Option<String>,
    pub title: String,
    pub date: jiff::civil::Date,
    pub start_hour: u32,
    pub start_minute: u32,
    pub end_hour: u32,
    pub end_minute: u32,
    pub participants: String,
    pub location: String,
    /// MeetingBooster: the id chosen for a new meeting, kept across retries.
    pub client_id: Option<String>,
}

fn to_jiff(d: NaiveDate) -> jiff::civil::Date {
    jiff::civil::date(d.year() as i16, d.month() as i8, d.day() as i8)
}

fn local(date: jiff::civil::Date, hour: u32, minute: u32) -> Option<DateTime<Utc>> {
    let naive = NaiveDate::from_ymd_opt(date.year() as i32, date.month() as u32, date.day() as u32)?
        .and_hms_opt(hour, minute, 0)?;
    // A time the clocks skip (a daylight-saving gap) is read an hour later, as the clocks show it then.
    Local
        .from_local_datetime(&naive)
        .earliest()
        .or_else(|| Local.from_local_datetime(&(naive + chrono::Duration::hours(1))).earliest())
        .map(|t| t.with_timezone(&Utc))
}

impl MeetingForm {
    /// A new meeting for `account`, starting on the hour after `now`.
    pub fn new(account: &str, now: DateTime<Utc>) -> Self {
        let start = now.with_timezone(&Local) + chrono::Duration::hours(1);
        Self {
            draft_id: uuid::Uuid::new_v4().to_string(),
            account: account.into(),
            meeting_id: None,
            title: String::new(),
            date: to_jiff(start.date_naive()),
            start_hour: start.hour(),
            start_minute: 0,
            end_hour: (start.hour() + 1).min(23),
            end_minute: if start.hour() >= 23 { 59 } else { 0 },
            participants: String::new(),
            location: String::new(),
            client_id: None,
        }
    }

    pub fn edit(item: &AgendaItem) -> Self {
        let mut draft = Draft::new(&item.account, item.provider, &item.title, item.start, item.end);
        draft.meeting_id = Some(item.id.clone());
        draft.participants = item.participants.clone();
        draft.location = item.location.clone();
        // An edit not yet sent has no client id: the first attempt fixes it.
        Self { client_id: None, ..Self::from_draft(&draft) }
    }

    pub fn from_draft(draft: &Draft) -> Self {
        let start = draft.start.with_timezone(&Local);
        let end = draft.end.with_timezone(&Local);
        Self {
            draft_id: draft.id.clone(),
            account: draft.account.clone(),
            meeting_id: draft.meeting_id.clone(),
            title: draft.title.clone(),
            date: to_jiff(start.date_naive()),
            start_hour: start.hour(),
            start_minute: start.minute(),
            end_hour: end.hour(),
            end_minute: end.minute(),
            participants: draft.participants.join(", "),
            location: draft.location.clone(),
            client_id: Some(draft.client_id.clone()),
        }
    }

    /// The draft this form describes.
    pub fn draft(&self, provider: Provider) -> Draft {
        let start = local(self.date, self.start_hour, self.start_minute).unwrap_or_default();
        let end = local(self.date, self.end_hour, self.end_minute).unwrap_or(start);
        let mut draft = Draft::new(&self.account, provider, &self.title, start, end);
        draft.id = self.draft_id.clone();
        draft.meeting_id = self.meeting_id.clone();
        draft.location = self.location.clone();
        draft.participants = self
            .participants
            .split([',', ';', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect();
        if let Some(id) = &self.client_id {
            draft.client_id = id.clone();
        }
        draft
    }
}
