//! MeetingBooster's objects (providers.md §3.3–3.4): PascalCase properties, read in any casing (the server's
//! Json.NET is case-insensitive, so other servers' casing may vary), ids as guids or legacy integers, enums as
//! text or as integers in declared order.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::providers::lenient;

/// JSUser (`users/me`), and the JSUserUI of a host or an invitee: the parts the launcher shows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct User {
    #[serde(default, deserialize_with = "lenient::de_text_or_empty")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::de_text_or_empty")]
    pub email: String,
}

/// An invitation to a meeting (JSInvitation).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "InvitationJson")]
pub struct Invitation {
    pub email: String,
    pub name: String,
    /// As the server says it (`PENDING`, `ACCEPTED`, …); unknown values are kept as text.
    pub status: String,
    pub co_host: bool,
}

/// JSInvitation as sent: `{User: JSUserUI, Status, Required, IsCoHost}`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InvitationJson {
    #[serde(default)]
    user: User,
    #[serde(default = "pending", deserialize_with = "de_status")]
    status: String,
    #[serde(default, deserialize_with = "lenient::de_bool_or_false")]
    is_co_host: bool,
}

impl From<InvitationJson> for Invitation {
    fn from(i: InvitationJson) -> Self {
        Invitation { email: i.user.email, name: i.user.name, status: i.status, co_host: i.is_co_host }
    }
}

/// JSInvitationStatus in declared order (the sandbox's order beyond the documented `PENDING`).
const INVITATION_STATES: &[&str] = &["PENDING", "ACCEPTED", "DECLINED", "TENTATIVE"];

fn pending() -> String {
    INVITATION_STATES[0].to_string()
}

/// An enum as text (upper-cased) or as an integer in declared order; null is the default, `PENDING`.
fn de_status<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n
            .as_u64()
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| INVITATION_STATES.get(i))
            .map_or_else(|| n.to_string(), |s| s.to_string()),
        Value::Null => pending(),
        other => lenient::text(&other).unwrap_or_default().to_ascii_uppercase(),
    })
}

/// A meeting, as the launcher keeps it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "MeetingJson")]
pub struct Meeting {
    /// A guid (or a legacy integer), as text.
    pub id: String,
    pub title: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub location: String,
    /// Free text; people paste a Zoom, Teams or Meet link here as often as into `location`.
    pub purpose: String,
    pub host_email: String,
    pub invitations: Vec<Invitation>,
}

/// JSMeeting as read, every property tolerant: a sync entry of a deleted meeting needs its `Id` even when the rest
/// cannot be read. [`Meeting`] requires `Id`, `Start` and `End`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct MeetingJson {
    #[serde(default, deserialize_with = "lenient::de_opt_text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient::de_text_or_empty")]
    title: String,
    #[serde(default, deserialize_with = "lenient::de_opt_datetime")]
    start: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient::de_opt_datetime")]
    end: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient::de_text_or_empty")]
    location: String,
    #[serde(default, deserialize_with = "lenient::de_text_or_empty")]
    purpose: String,
    /// JSUserUI.
    #[serde(default)]
    host: User,
    #[serde(default, deserialize_with = "lenient::de_vec_lossy")]
    invitations: Vec<Invitation>,
}

impl TryFrom<MeetingJson> for Meeting {
    type Error = String;

    fn try_from(m: MeetingJson) -> Result<Self, String> {
        let missing = |field: &str| format!("missing or unreadable field `{field}`");
        Ok(Meeting {
            id: m.id.ok_or_else(|| missing("Id"))?,
            title: m.title,
            start: m.start.ok_or_else(|| missing("Start"))?,
            end: m.end.ok_or_else(|| missing("End"))?,
            location: m.location,
            purpose: m.purpose,
            host_email: m.host.email,
            invitations: m.invitations,
        })
    }
}

/// JSMeeting as create and update send it; the server takes the client's `Id`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct MeetingBody<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(serialize_with = "lenient::ser_iso")]
    start: DateTime<Utc>,
    #[serde(serialize_with = "lenient::ser_iso")]
    end: DateTime<Utc>,
    location: &'a str,
    invitations: Vec<InvitationBody<'a>>,
    send_invitations: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct InvitationBody<'a> {
    user: UserBody<'a>,
    required: bool,
    is_co_host: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct UserBody<'a> {
    email: &'a str,
    name: &'a str,
}

impl<'a> From<&'a Meeting> for MeetingBody<'a> {
    fn from(m: &'a Meeting) -> Self {
        let invitation = |i: &'a Invitation| InvitationBody {
            user: UserBody { email: &i.email, name: &i.name },
            required: true,
            is_co_host: i.co_host,
        };
        MeetingBody {
            id: &m.id,
            title: &m.title,
            start: m.start,
            end: m.end,
            location: &m.location,
            invitations: m.invitations.iter().map(invitation).collect(),
            send_invitations: !m.invitations.is_empty(),
        }
    }
}

/// One change the sync endpoint reports.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Upsert(Meeting),
    Deleted { id: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sync {
    pub changes: Vec<Change>,
    pub sync_token: Option<String>,
    /// No token was sent: the changes are the whole list.
    pub full: bool,
}

/// JSMeetingSynchronization (§3.3): only `Meetings` and `SyncToken` are read (calendar entries flow only from
/// the client; recurrences are not used).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct SyncJson {
    #[serde(default, deserialize_with = "lenient::de_vec_lossy")]
    meetings: Vec<SyncMeeting>,
    #[serde(default, deserialize_with = "lenient::de_opt_text")]
    sync_token: Option<String>,
}

/// JSSyncMeeting: JSSyncObject's `ClientSyncId` and `State` (JSSyncState, text or integer), and the meeting.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SyncMeeting {
    #[serde(default, deserialize_with = "lenient::de_opt_text")]
    client_sync_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::de_text_or_empty")]
    state: String,
    #[serde(default)]
    meeting: MeetingJson,
}

impl SyncMeeting {
    /// A deleted meeting by its `Id` (or its `ClientSyncId`); any other state, the meeting if it can be read.
    fn change(self) -> Option<Change> {
        let state = self.state.to_ascii_uppercase();
        if state == "DELETED" || state == "2" {
            self.meeting.id.clone().or(self.client_sync_id).map(|id| Change::Deleted { id })
        } else {
            Meeting::try_from(self.meeting).ok().map(Change::Upsert)
        }
    }
}

impl SyncJson {
    /// The changes, in the server's order; `full` when no sync token was sent.
    pub fn into_sync(self, full: bool) -> Sync {
        Sync {
            changes: self.meetings.into_iter().filter_map(SyncMeeting::change).collect(),
            sync_token: self.sync_token,
            full,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::lenient::parse;
    use serde_json::json;

    fn read<T: serde::de::DeserializeOwned>(body: Value) -> Result<T, String> {
        parse(body.to_string().as_bytes())
    }

    #[test]
    fn meetings_are_read_in_any_casing_with_enums_as_text_or_numbers() {
        let m: Meeting = read(json!({
            "id": 1042, "title": "Budget", "START": "2017-05-17T08:21:10Z", "End": "2017-05-17T09:21:10Z",
            "Host": { "Email": "a@x.com" },
            "Invitations": [
                { "User": { "Email": "b@x.com" }, "Status": 1, "IsCoHost": true },
                { "User": { "Email": "c@x.com" }, "Status": "maybe-later" },
            ],
        }))
        .unwrap();
        assert_eq!(m.id, "1042", "a legacy integer id, kept as text");
        assert_eq!(m.invitations[0].status, "ACCEPTED");
        assert!(m.invitations[0].co_host);
        assert_eq!(m.invitations[1].status, "MAYBE-LATER", "unknown values are kept");
    }

    #[test]
    fn invitations_and_hosts_tolerate_nulls_and_odd_values() {
        let m: Meeting = read(json!({
            "Id": "FDD049F3-0000", "Title": null, "Start": "2017-05-17T08:21:10", "End": "2017-05-17T10:21:10+02:00",
            "Location": 12, "Host": null, "Purpose": "x", "InvitationSendTime": null,
            "Invitations": [
                { "user": { "email": "b@x.com", "name": null }, "status": null, "isCoHost": "true", "Required": true },
                { "User": "nobody", "Status": 9 },
                "not an invitation",
            ],
        }))
        .unwrap();
        assert_eq!((m.title.as_str(), m.location.as_str(), m.host_email.as_str()), ("", "12", ""));
        assert_eq!(m.start, m.end, "no zone is UTC; an offset is converted");
        let b = Invitation { email: "b@x.com".into(), name: String::new(), status: "PENDING".into(), co_host: true };
        assert_eq!(m.invitations[0], b, "a null status is the default");
        assert_eq!((m.invitations[1].email.as_str(), m.invitations[1].status.as_str()), ("", "9"));
        assert_eq!(m.invitations[2].status, "PENDING", "an invitation that is no object is an empty one");
        assert_eq!(
            read::<Meeting>(json!({ "Id": "x", "Start": 0, "End": 0, "Invitations": null })).unwrap().invitations,
            []
        );
    }

    #[test]
    fn a_meeting_without_id_or_dates_names_the_field() {
        assert_eq!(read::<Meeting>(json!({ "Start": 0, "End": 0 })).unwrap_err(), "missing or unreadable field `Id`");
        let err = read::<Meeting>(json!({ "Id": "x", "Start": "soon", "End": 0 })).unwrap_err();
        assert_eq!(err, "missing or unreadable field `Start`");
    }

    #[test]
    fn sync_entries_become_upserts_and_deletes() {
        let meeting =
            json!({ "Id": "m-1", "Title": "Budget", "Start": "2017-05-17T08:21:10Z", "End": "2017-05-17T09:21:10Z" });
        let sync: SyncJson = read(json!({
            "CalendaerEntries": [], "syncToken": 42,
            "Meetings": [
                { "ClientSyncId": "c-1", "State": "new", "Meeting": meeting },
                { "ClientSyncId": "c-2", "State": "MODIFIED", "Meeting": { "Id": "m-2" } },
                { "ClientSyncId": "c-3", "State": "DELETED", "Meeting": { "Id": "m-3" } },
                { "ClientSyncId": "c-4", "State": 2, "Meeting": null },
                { "State": "DELETED" },
                7,
            ],
        }))
        .unwrap();
        let sync = sync.into_sync(false);
        assert_eq!(sync.sync_token.as_deref(), Some("42"));
        assert!(matches!(&sync.changes[0], Change::Upsert(m) if m.id == "m-1" && m.title == "Budget"));
        assert_eq!(
            sync.changes[1..],
            [Change::Deleted { id: "m-3".into() }, Change::Deleted { id: "c-4".into() }],
            "an unreadable meeting is skipped; a deleted one needs only an id"
        );
        let empty: SyncJson = read(json!({ "Meetings": null })).unwrap();
        assert_eq!(empty.into_sync(true), Sync { changes: Vec::new(), sync_token: None, full: true });
    }

    #[test]
    fn meetings_are_sent_with_the_documented_names() {
        let start = DateTime::from_timestamp(1_495_009_270, 0).unwrap();
        let invitee =
            Invitation { email: "b@x.com".into(), name: "Bo".into(), status: "PENDING".into(), co_host: true };
        let meeting = Meeting {
            id: "m-1".into(),
            title: "Budget".into(),
            start,
            end: start + chrono::Duration::hours(1),
            location: "Room 1".into(),
            purpose: "Not sent".into(),
            host_email: "a@x.com".into(),
            invitations: vec![invitee],
        };
        assert_eq!(
            serde_json::to_value(MeetingBody::from(&meeting)).unwrap(),
            json!({
                "Id": "m-1", "Title": "Budget", "Start": "2017-05-17T08:21:10Z", "End": "2017-05-17T09:21:10Z",
                "Location": "Room 1", "SendInvitations": true,
                "Invitations": [{ "User": { "Email": "b@x.com", "Name": "Bo" }, "Required": true, "IsCoHost": true }],
            })
        );
    }
}
