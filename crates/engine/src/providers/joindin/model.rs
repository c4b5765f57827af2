//! joind.in's objects (providers.md §2.3–2.7): snake_case fields, every numeric-looking string turned into a JSON
//! number (so text is read from either), collections wrapped as `{"<name>": [...], "meta": {...}}`, dates with the
//! event's offset.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use crate::providers::lenient;

/// The password grant's body (§2.3.1).
#[derive(Serialize)]
pub(super) struct PasswordGrant<'a> {
    pub grant_type: &'static str,
    pub username: &'a str,
    pub password: &'a str,
    pub client_id: &'a str,
    pub client_secret: &'a str,
}

/// Its answer: `{"access_token", "user_uri"}`, no lifetime and no refresh token.
#[derive(Deserialize)]
pub(super) struct TokenAnswer {
    #[serde(default, deserialize_with = "lenient::de_opt_nonempty_text")]
    pub access_token: Option<String>,
    #[serde(default, deserialize_with = "lenient::de_text_or_empty")]
    pub user_uri: String,
}

/// `meta` (§2.4): only `user_uri` is read; it is there only when the token identified a user.
#[derive(Default, Deserialize)]
pub(super) struct Meta {
    #[serde(default, deserialize_with = "lenient::de_opt_text")]
    pub user_uri: Option<String>,
}

/// Any collection, read for its `meta` alone.
#[derive(Deserialize)]
pub(super) struct Collection {
    #[serde(default)]
    pub meta: Meta,
}

/// An event collection (`/v2.1/users/{id}/attended`, `…/hosted`); events that cannot be read are left out.
#[derive(Deserialize)]
pub(super) struct Events {
    #[serde(default, deserialize_with = "lenient::de_vec_lossy")]
    pub events: Vec<Event>,
}

/// A talk collection (`/v2.1/events/{id}/talks`); talks that cannot be read are left out.
#[derive(Deserialize)]
pub(super) struct Talks {
    #[serde(default, deserialize_with = "lenient::de_vec_lossy")]
    pub talks: Vec<Talk>,
}

/// A user collection (a profile is one of one); the fields the launcher shows.
#[derive(Default, Deserialize)]
pub(super) struct Users {
    #[serde(default, deserialize_with = "lenient::de_vec_lossy")]
    pub users: Vec<Profile>,
}

#[derive(Default, Deserialize)]
pub(super) struct Profile {
    /// Exempt from numeric coercion, but read leniently all the same.
    #[serde(default, deserialize_with = "lenient::de_text_or_empty")]
    pub username: String,
    #[serde(default, deserialize_with = "lenient::de_text_or_empty")]
    pub full_name: String,
}

/// Who a token belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The address of their profile (`meta.user_uri`).
    pub uri: String,
    pub username: String,
    pub full_name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "EventJson")]
pub struct Event {
    /// joind.in events carry no id: it is the last segment of `uri`.
    pub id: String,
    pub name: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub location: String,
    pub url: String,
    pub attending: bool,
}

/// An event as sent (§2.5), the fields the launcher reads.
#[derive(Deserialize)]
struct EventJson {
    #[serde(default, deserialize_with = "lenient::de_text_or_empty")]
    uri: String,
    #[serde(default, deserialize_with = "lenient::de_text_or_empty")]
    name: String,
    #[serde(deserialize_with = "lenient::de_datetime")]
    start_date: DateTime<Utc>,
    #[serde(deserialize_with = "lenient::de_datetime")]
    end_date: DateTime<Utc>,
    #[serde(default, deserialize_with = "lenient::de_text_or_empty")]
    location: String,
    #[serde(default, deserialize_with = "lenient::de_text_or_empty")]
    website_uri: String,
    /// False when anonymous.
    #[serde(default, deserialize_with = "lenient::de_bool_or_false")]
    attending: bool,
}

impl TryFrom<EventJson> for Event {
    type Error = &'static str;

    fn try_from(e: EventJson) -> Result<Self, Self::Error> {
        let id = e.uri.trim_end_matches('/').rsplit('/').next().filter(|s| !s.is_empty());
        Ok(Event {
            id: id.ok_or("missing or unreadable field `uri`")?.to_string(),
            name: e.name,
            start: e.start_date,
            end: e.end_date,
            location: e.location,
            url: e.website_uri,
            attending: e.attending,
        })
    }
}

/// A talk (§2.6), the fields the launcher shows.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Talk {
    /// Talks, unlike events and users, have one (a number, after coercion).
    #[serde(deserialize_with = "lenient::de_text")]
    pub id: String,
    #[serde(rename = "talk_title", default, deserialize_with = "lenient::de_text_or_empty")]
    pub title: String,
    #[serde(rename = "start_date", deserialize_with = "lenient::de_datetime")]
    pub start: DateTime<Utc>,
    /// `duration`, in minutes; 0 when it cannot be read.
    #[serde(rename = "duration", default, deserialize_with = "lenient::de_int_or_zero")]
    pub minutes: i64,
    /// The names from `speakers: [{speaker_name, speaker_uri?}]`.
    #[serde(default, deserialize_with = "de_speaker_names")]
    pub speakers: Vec<String>,
}

#[derive(Deserialize)]
struct Speaker {
    #[serde(deserialize_with = "lenient::de_text")]
    speaker_name: String,
}

fn de_speaker_names<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(lenient::de_vec_lossy::<D, Speaker>(d)?.into_iter().map(|s| s.speaker_name).collect())
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
    fn events_take_their_id_from_the_uri_and_keep_the_offset() {
        let events: Events = read(json!({
            "events": [
                {
                    "name": 2024, "uri": "https://api.joind.in/v2.1/events/6144/",
                    "start_date": "2024-01-07T09:00:00+01:00", "end_date": "2024-01-07T17:00:00+01:00", "location": null, "website_uri": "https://joind.in/e/x",
                    "attending": "true", "tags": ["php"], "images": {},
                },
                { "name": "no uri", "start_date": "2024-01-07T09:00:00Z", "end_date": "2024-01-07T10:00:00Z" },
                { "name": "no end", "uri": "https://api.joind.in/v2.1/events/1", "start_date": "2024-01-07T09:00:00Z" },
            ],
            "meta": { "count": 3, "total": 3, "this_page": "…" },
        }))
        .unwrap();
        assert_eq!(events.events.len(), 1, "events without an id or dates are left out");
        let e = &events.events[0];
        assert_eq!((e.id.as_str(), e.name.as_str(), e.location.as_str(), e.attending), ("6144", "2024", "", true));
        assert_eq!(e.start.to_rfc3339(), "2024-01-07T08:00:00+00:00");
        let err = read::<Event>(json!({ "uri": "/", "start_date": 0, "end_date": 0 })).unwrap_err();
        assert_eq!(err, "missing or unreadable field `uri`");
    }

    #[test]
    fn talks_read_coerced_numbers_and_speakers_by_name() {
        let talks: Talks = read(json!({
            "talks": [
                {
                    "id": 31337, "talk_title": 42, "start_date": "2024-01-07T10:00:00+01:00", "duration": "45",
                    "speakers": [{ "speaker_name": "Ann" }, { "speaker_uri": "x" }, { "speaker_name": 7 }, "Bo"],
                },
                { "id": 2, "start_date": "2024-01-07T11:00:00Z", "speakers": null, "duration": null },
                { "id": 3, "talk_title": "no start" },
            ],
        }))
        .unwrap();
        let t = &talks.talks[0];
        assert_eq!((t.id.as_str(), t.title.as_str(), t.minutes), ("31337", "42", 45));
        assert_eq!(t.speakers, ["Ann", "7"]);
        assert_eq!((talks.talks[1].minutes, talks.talks[1].speakers.len()), (0, 0));
        assert_eq!(talks.talks.len(), 2);
        assert_eq!(read::<Talks>(json!({ "talks": null, "meta": {} })).unwrap().talks, []);
    }

    #[test]
    fn meta_user_uri_shows_a_live_token() {
        let live: Collection =
            read(json!({ "events": [], "meta": { "user_uri": "https://api.joind.in/v2.1/users/9" } })).unwrap();
        assert_eq!(live.meta.user_uri.as_deref(), Some("https://api.joind.in/v2.1/users/9"));
        for anonymous in [json!({ "events": [], "meta": { "count": 0 } }), json!({ "meta": null }), json!([])] {
            assert_eq!(read::<Collection>(anonymous).unwrap().meta.user_uri, None);
        }
    }

    #[test]
    fn tokens_and_profiles_read_numbers_as_text() {
        let token: TokenAnswer =
            read(json!({ "access_token": 1234567890123456u64, "user_uri": "https://api.joind.in/v2.1/users/9" }))
                .unwrap();
        assert_eq!(token.access_token.as_deref(), Some("1234567890123456"));
        assert_eq!(read::<TokenAnswer>(json!({ "access_token": "" })).unwrap().access_token, None);
        let users: Users = read(json!({ "users": [{ "username": "ann", "full_name": 1984 }], "meta": {} })).unwrap();
        assert_eq!((users.users[0].username.as_str(), users.users[0].full_name.as_str()), ("ann", "1984"));
        assert_eq!(read::<Users>(json!({ "users": [], "meta": { "count": 0 } })).unwrap().users.len(), 0);
    }
}
