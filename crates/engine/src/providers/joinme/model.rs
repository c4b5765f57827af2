//! join.me's objects as its two hosts write and read them (providers.md §1.3–1.7): the OAuth answers in
//! snake_case, the API's resources in lowerCamelCase, each read leniently (ids as numbers or strings, dates with or
//! without a zone, flags as booleans or strings, unknown fields ignored).

use chrono::{DateTime, Utc};
use serde::de::{Error as _, IgnoredAny};
use serde::{Deserialize, Deserializer, Serialize};

use crate::providers::lenient::{self, Lossy};

/// What `tokenInfo` says of a token (§1.3.4).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TokenInfo {
    /// The client the token was granted to: it must be ours.
    #[serde(deserialize_with = "lenient::de_text")]
    pub client_id: String,
    /// `scope`, space-delimited on the wire.
    #[serde(rename = "scope", default, deserialize_with = "de_words")]
    pub scopes: Vec<String>,
    /// Its format is not documented: ISO-8601, or Unix seconds as a number or string.
    #[serde(default, deserialize_with = "lenient::de_opt_datetime")]
    pub expires_at: Option<DateTime<Utc>>,
}

fn de_words<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(lenient::de_text_or_empty(d)?.split_whitespace().map(str::to_string).collect())
}

/// `POST /expireaccess` (§1.3.5), sent as JSON.
#[derive(Serialize)]
pub(super) struct ExpireAccess<'a> {
    pub access_token: &'a str,
    pub client_id: &'a str,
    pub client_secret: &'a str,
}

/// Its answer: `{"success": true, "message": …}`, `success` also as a string.
#[derive(Deserialize)]
pub(super) struct ExpireAccessAnswer {
    #[serde(default, deserialize_with = "lenient::de_bool_or_false")]
    pub success: bool,
}

/// The signed-in user (`GET /v1/user`, §1.5), the fields the launcher shows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The login id; an answer without one is refused.
    #[serde(default, deserialize_with = "lenient::de_text_or_empty")]
    pub email: String,
    #[serde(default, deserialize_with = "lenient::de_text_or_empty")]
    pub full_name: String,
    /// `Free`, `Pro`, `Business`, … as the service names it (`subscriptionType`).
    #[serde(rename = "subscriptionType", default, deserialize_with = "lenient::de_text_or_empty")]
    pub plan: String,
    /// Only when set, and never on the free plan.
    #[serde(default, deserialize_with = "lenient::de_opt_nonempty_text")]
    pub personal_url: Option<String>,
}

/// The audio conference of an account (`GET /v1/user/conferencesettings`, and `conferenceSettings` in the user):
/// the number page, the conference id and the organizer code.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conference {
    #[serde(default, deserialize_with = "lenient::de_text_or_empty")]
    pub conference_id: String,
    #[serde(rename = "conferenceCallNumbersUrl", default, deserialize_with = "lenient::de_text_or_empty")]
    pub call_numbers_url: String,
    #[serde(default, deserialize_with = "lenient::de_text_or_empty")]
    pub organizer_code: String,
}

/// A scheduled meeting: MeetingSummary in lists, Meeting from `GET /v1/meetings/{id}` and the create and patch
/// answers (§1.5).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meeting {
    #[serde(rename = "meetingId", deserialize_with = "lenient::de_u64")]
    pub id: u64,
    #[serde(rename = "meetingName", default, deserialize_with = "lenient::de_text_or_empty")]
    pub name: String,
    #[serde(rename = "meetingStart", deserialize_with = "lenient::de_datetime")]
    pub start: DateTime<Utc>,
    #[serde(rename = "meetingEnd", deserialize_with = "lenient::de_datetime")]
    pub end: DateTime<Utc>,
    #[serde(default, deserialize_with = "lenient::de_bool_or_false")]
    pub start_with_personal_url: bool,
    /// E-mail addresses. Absent from list items; present on a single meeting.
    #[serde(default, deserialize_with = "lenient::de_opt_texts")]
    pub participants: Option<Vec<String>>,
    /// Active only once the meeting was started.
    #[serde(default, deserialize_with = "lenient::de_opt_text")]
    pub viewer_link: Option<String>,
}

/// `GET /v1/meetings`: `{"meetings": [...]}` as documented, or a bare list. Items that cannot be read are left out.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum MeetingList {
    Bare(Vec<Lossy<Meeting>>),
    Wrapped {
        #[serde(default, deserialize_with = "lenient::de_vec_lossy")]
        meetings: Vec<Meeting>,
    },
    Other(IgnoredAny),
}

impl MeetingList {
    pub fn into_vec(self) -> Vec<Meeting> {
        match self {
            MeetingList::Bare(items) => items.into_iter().filter_map(|Lossy(m)| m).collect(),
            MeetingList::Wrapped { meetings } => meetings,
            MeetingList::Other(_) => Vec::new(),
        }
    }
}

/// What a create (MeetingCreate) or an edit (MeetingPatch) sends; an edit sends every field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeetingInput {
    #[serde(rename = "meetingName")]
    pub name: String,
    #[serde(rename = "meetingStart", serialize_with = "lenient::ser_iso")]
    pub start: DateTime<Utc>,
    #[serde(rename = "meetingEnd", serialize_with = "lenient::ser_iso")]
    pub end: DateTime<Utc>,
    pub participants: Vec<String>,
    #[serde(rename = "startWithPersonalUrl")]
    pub start_with_personal_url: bool,
}

/// StartAdHoc, the body of `POST /v1/meetings/start` (§1.5).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct StartAdHoc {
    pub start_with_personal_url: bool,
    pub viewer_app_detection: bool,
}

/// A started meeting (StartResult, §1.5): the presenter link (one use, ten minutes) and the link viewers join
/// with. `audioConference` and `webhooksStatus` are not read.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Started {
    #[serde(deserialize_with = "de_link")]
    pub presenter_link: String,
    #[serde(deserialize_with = "de_link")]
    pub viewer_link: String,
}

/// A link the launcher opens: text that starts with `http`.
fn de_link<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    lenient::de_opt_text(d)?
        .filter(|link| link.starts_with("http"))
        .ok_or_else(|| D::Error::custom("expected an http(s) link"))
}

/// A Business account's presenter (§1.7).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Presenter {
    #[serde(deserialize_with = "lenient::de_u64")]
    pub id: u64,
    #[serde(deserialize_with = "lenient::de_text")]
    pub email: String,
    #[serde(rename = "isInvitationAccepted", default, deserialize_with = "lenient::de_bool_or_false")]
    pub invitation_accepted: bool,
    #[serde(rename = "isSeatAssigned", default, deserialize_with = "lenient::de_bool_or_false")]
    pub seat_assigned: bool,
}

/// `GET /v1/presenters`: the docs never showed the wrapper, so `presenters`, `meetings` (their example's copy of
/// the meetings list) or a bare list. Items that cannot be read are left out.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum PresenterList {
    Bare(Vec<Lossy<Presenter>>),
    Wrapped {
        #[serde(default, deserialize_with = "lenient::de_opt_vec_lossy")]
        presenters: Option<Vec<Presenter>>,
        #[serde(default, deserialize_with = "lenient::de_opt_vec_lossy")]
        meetings: Option<Vec<Presenter>>,
    },
    Other(IgnoredAny),
}

impl PresenterList {
    pub fn into_vec(self) -> Vec<Presenter> {
        match self {
            PresenterList::Bare(items) => items.into_iter().filter_map(|Lossy(p)| p).collect(),
            PresenterList::Wrapped { presenters, meetings } => presenters.or(meetings).unwrap_or_default(),
            PresenterList::Other(_) => Vec::new(),
        }
    }
}

/// The body of `POST /v1/presenters`.
#[derive(Serialize)]
pub(super) struct NewPresenter<'a> {
    pub email: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::lenient::parse;
    use serde_json::{Value, json};

    fn read<T: serde::de::DeserializeOwned>(body: Value) -> Result<T, String> {
        parse(body.to_string().as_bytes())
    }

    #[test]
    fn lists_are_read_under_any_wrapper_the_docs_allow() {
        let item =
            json!({ "id": 7, "email": "p@example.com", "isInvitationAccepted": "true", "isSeatAssigned": false });
        for body in [json!({ "presenters": [item] }), json!({ "meetings": [item] }), json!([item])] {
            let list: Vec<Presenter> = read::<PresenterList>(body).unwrap().into_vec();
            assert_eq!(
                list,
                [Presenter { id: 7, email: "p@example.com".into(), invitation_accepted: true, seat_assigned: false }]
            );
        }
    }

    #[test]
    fn meetings_read_ids_as_strings_or_numbers_and_dates_without_a_zone() {
        let m: Meeting = read(json!({
            "meetingId": "81200001", "meetingName": "Stand-up", "meetingStart": "2015-06-02T09:00:00",
            "meetingEnd": "2015-06-02T09:15:00Z", "startWithPersonalUrl": "false", "extra": 1,
        }))
        .unwrap();
        assert_eq!(m.id, 81200001);
        assert_eq!((m.end - m.start).num_minutes(), 15);
        assert_eq!(m.participants, None);
    }

    #[test]
    fn a_meeting_without_a_required_field_names_it() {
        let err = read::<Meeting>(json!({ "meetingId": 1, "meetingStart": "2015-06-02T09:00:00Z" })).unwrap_err();
        assert_eq!(err, "missing field `meetingEnd`");
        let err = read::<Meeting>(json!({ "meetingId": 1.5, "meetingStart": 0, "meetingEnd": 0 })).unwrap_err();
        assert_eq!(err, "meetingId: expected a non-negative integer, found a number");
        let err = read::<Meeting>(json!({ "meetingId": 1, "meetingStart": "today", "meetingEnd": 0 })).unwrap_err();
        assert!(err.starts_with("meetingStart: expected an ISO-8601 date-time"), "{err}");
    }

    #[test]
    fn a_single_meeting_tolerates_odd_optional_fields() {
        let m: Meeting = read(json!({
            "meetingId": 81200002, "meetingName": null, "meetingStart": 1433235600, "meetingEnd": "1433236500",
            "startWithPersonalUrl": "TRUE", "participants": ["a@x.com", null, 42], "viewerLink": false,
        }))
        .unwrap();
        assert_eq!((m.name.as_str(), m.start_with_personal_url, m.viewer_link), ("", true, None));
        assert_eq!(m.participants, Some(vec!["a@x.com".to_string(), "42".to_string()]));
        assert_eq!((m.end - m.start).num_minutes(), 15, "Unix seconds as a number or a string");
        assert_eq!(
            read::<Meeting>(json!({ "meetingId": 1, "meetingStart": 0, "meetingEnd": 0, "participants": null }))
                .unwrap()
                .participants,
            None
        );
    }

    #[test]
    fn meeting_lists_skip_what_they_cannot_read() {
        let good =
            json!({ "meetingId": 1, "meetingStart": "2015-06-02T09:00:00Z", "meetingEnd": "2015-06-02T10:00:00Z" });
        let list = read::<MeetingList>(json!({ "meetings": [good, { "meetingId": "x" }, 7] })).unwrap().into_vec();
        assert_eq!(list.len(), 1);
        assert_eq!(read::<MeetingList>(json!({ "meetings": null })).unwrap().into_vec(), []);
        assert_eq!(read::<MeetingList>(json!({})).unwrap().into_vec(), []);
        assert_eq!(read::<MeetingList>(json!("nothing")).unwrap().into_vec(), []);
    }

    #[test]
    fn users_tolerate_a_missing_personal_url_and_numbers() {
        let u: User = read(json!({
            "email": "ann@example.com", "fullName": 1984, "subscriptionType": "Pro", "personalUrl": "",
            "registrationDate": "2014-03-22T20:45:00", "conferenceSettings": { "conferenceId": 123456789 },
        }))
        .unwrap();
        assert_eq!((u.full_name.as_str(), u.plan.as_str(), u.personal_url), ("1984", "Pro", None));
        let c: Conference = read(json!({ "conferenceId": 123456789, "organizerCode": "0042" })).unwrap();
        assert_eq!((c.conference_id.as_str(), c.call_numbers_url.as_str()), ("123456789", ""));
    }

    #[test]
    fn token_info_reads_scopes_and_expiry_in_any_form() {
        let info: TokenInfo =
            read(json!({ "client_id": "key", "scope": "user_info  scheduler", "expires_at": 1433235600 })).unwrap();
        assert_eq!(info.scopes, ["user_info", "scheduler"]);
        assert_eq!(info.expires_at.map(|t| t.timestamp()), Some(1433235600));
        let info: TokenInfo = read(json!({ "client_id": 42, "expires_at": "never" })).unwrap();
        assert_eq!((info.client_id.as_str(), info.scopes.len(), info.expires_at), ("42", 0, None));
        assert_eq!(read::<TokenInfo>(json!({ "scope": "user_info" })).unwrap_err(), "missing field `client_id`");
        assert!(
            read::<ExpireAccessAnswer>(json!({ "success": "true", "message": "Access Token Expired" }))
                .unwrap()
                .success
        );
        assert!(!read::<ExpireAccessAnswer>(json!({ "success": "yes" })).unwrap().success);
    }

    #[test]
    fn started_meetings_need_both_links() {
        let s: Started = read(json!({
            "presenterLink": "https://secure.join.me/API/Public/StartMeeting.aspx?token=t",
            "viewerLink": "https://join.me/123", "audioConference": { "conferenceId": "1" },
        }))
        .unwrap();
        assert_eq!(s.viewer_link, "https://join.me/123");
        let err =
            read::<Started>(json!({ "presenterLink": "javascript:x", "viewerLink": "https://join.me/1" })).unwrap_err();
        assert_eq!(err, "presenterLink: expected an http(s) link");
        assert_eq!(read::<Started>(json!({ "presenterLink": "https://a" })).unwrap_err(), "missing field `viewerLink`");
    }

    #[test]
    fn bodies_are_sent_with_the_documented_names() {
        let start = DateTime::from_timestamp(1433235600, 0).unwrap();
        let input = MeetingInput {
            name: "Stand-up".into(),
            start,
            end: start + chrono::Duration::minutes(15),
            participants: vec!["a@x.com".into()],
            start_with_personal_url: false,
        };
        assert_eq!(
            serde_json::to_value(&input).unwrap(),
            json!({
                "meetingName": "Stand-up", "meetingStart": "2015-06-02T09:00:00Z", "meetingEnd": "2015-06-02T09:15:00Z",
                "participants": ["a@x.com"], "startWithPersonalUrl": false,
            })
        );
        let adhoc = StartAdHoc { start_with_personal_url: true, viewer_app_detection: true };
        assert_eq!(
            serde_json::to_value(adhoc).unwrap(),
            json!({ "startWithPersonalUrl": true, "viewerAppDetection": true })
        );
    }
}
