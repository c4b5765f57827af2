//! How joind.in writes its resources: events and users carry no `id` (it is the last segment of `uri`),
//! dates are in the event's own zone, verbose views add fields.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::data::{Data, Event, Talk, User};

/// Where the resources live: the API root with its version, e.g. `http://127.0.0.1:8421/joindin/api/v2.1`.
pub struct Urls<'a> {
    pub api: &'a str,
    pub web: &'a str,
}

fn local(t: DateTime<Utc>, e: &Event) -> String {
    t.with_timezone(&e.offset).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

pub fn event(u: &Urls, data: &Data, e: &Event, viewer: Option<u64>, verbose: bool) -> Value {
    let base = format!("{}/events/{}", u.api, e.id);
    let talks = data.talks.iter().filter(|t| t.event_id == e.id).count();
    let tracks: std::collections::BTreeSet<&str> =
        data.talks.iter().filter(|t| t.event_id == e.id).filter_map(|t| t.track.as_deref()).collect();
    let comments: usize = data.talks.iter().filter(|t| t.event_id == e.id).map(|t| t.comments.len()).sum();
    let mut v = json!({
        "name": e.name,
        "url_friendly_name": e.stub,
        "start_date": local(e.start, e),
        "end_date": local(e.end, e),
        "description": e.description,
        "stub": e.stub,
        "href": e.url,
        "tz_continent": e.tz_continent,
        "tz_place": e.tz_place,
        "attendee_count": e.attendees.len().to_string(),
        "attending": viewer.is_some_and(|id| e.attendees.contains(&id)),
        "event_average_rating": 0,
        "event_comments_count": "0",
        "tracks_count": tracks.len().to_string(),
        "talks_count": talks.to_string(),
        "icon": null,
        "location": e.location,
        "rejection_reason": null,
        "images": {},
        "tags": e.tags,
        "pending": !e.approved,
        "uri": base,
        "verbose_uri": format!("{base}?verbose=yes"),
        "comments_uri": format!("{base}/comments"),
        "talks_uri": format!("{base}/talks"),
        "tracks_uri": format!("{base}/tracks"),
        "attending_uri": format!("{base}/attending"),
        "images_uri": format!("{base}/images"),
        "hosts_uri": format!("{base}/hosts"),
        "attendees_uri": format!("{base}/attendees"),
        "website_uri": format!("{}/event/{}", u.web, e.stub),
        "humane_website_uri": format!("{}/e/{}", u.web, e.stub),
    });
    if verbose {
        let extra = json!({
            "latitude": e.latitude,
            "longitude": e.longitude,
            "contact_name": "Event team",
            "hashtag": e.hashtag,
            "comments_enabled": 1,
            "cfp_start_date": e.cfp.map(|(s, _)| local(s, e)),
            "cfp_end_date": e.cfp.map(|(_, end)| local(end, e)),
            "cfp_url": e.cfp.map(|_| format!("{}/cfp", e.url)),
            "talk_comments_count": comments.to_string(),
            "all_talk_comments_uri": format!("{base}/talk_comments"),
            "hosts": e.hosts.iter().filter_map(|id| data.user(*id)).map(|h| host(u, h)).collect::<Vec<_>>(),
            "can_edit": viewer.is_some_and(|id| e.hosts.contains(&id)),
        });
        merge(&mut v, extra);
    }
    v
}

pub fn host(u: &Urls, h: &User) -> Value {
    json!({ "host_name": h.full_name, "host_uri": format!("{}/users/{}", u.api, h.id) })
}

pub fn talk(u: &Urls, t: &Talk, e: &Event, viewer: Option<u64>, verbose: bool) -> Value {
    let base = format!("{}/talks/{}", u.api, t.id);
    let rating = if t.comments.is_empty() {
        0.0
    } else {
        t.comments.iter().map(|c| c.rating as f64).sum::<f64>() / t.comments.len() as f64
    };
    let mut v = json!({
        "id": t.id,
        "talk_title": t.title,
        "url_friendly_talk_title": t.title.to_ascii_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-"),
        "talk_description": t.description,
        "type": t.kind,
        "start_date": local(t.start, e),
        "duration": t.duration.to_string(),
        "stub": format!("{:x}", t.id),
        "average_rating": rating.round().to_string(),
        "comments_enabled": 1,
        "comment_count": t.comments.len().to_string(),
        "starred": viewer.is_some_and(|id| t.starred.contains(&id)),
        "starred_count": t.starred.len().to_string(),
        "speakers": t.speakers.iter().map(|(name, id)| {
            let mut s = json!({ "speaker_name": name });
            if let Some(id) = id {
                s["speaker_uri"] = json!(format!("{}/users/{id}", u.api));
            }
            s
        }).collect::<Vec<_>>(),
        "tracks": t.track.iter().map(|name| json!({
            "track_name": name,
            "track_uri": format!("{}/tracks/{}", u.api, e.id * 10 + 1),
            "remove_track_uri": format!("{base}/tracks/{}", e.id * 10 + 1),
        })).collect::<Vec<_>>(),
        "uri": base,
        "verbose_uri": format!("{base}?verbose=yes"),
        "website_uri": format!("{}/talk/{:x}", u.web, t.id),
        "starred_uri": format!("{base}/starred"),
        "tracks_uri": format!("{base}/tracks"),
        "comments_uri": format!("{base}/comments"),
        "verbose_comments_uri": format!("{base}/comments?verbose=yes"),
        "event_uri": format!("{}/events/{}", u.api, e.id),
        "speakers_uri": format!("{base}/speakers"),
    });
    if verbose {
        merge(
            &mut v,
            json!({ "slides_link": null, "talk_media": [], "language": "English - UK", "user_rating": null }),
        );
    }
    v
}

pub fn user(u: &Urls, usr: &User, viewer: Option<u64>, verbose: bool) -> Value {
    let base = format!("{}/users/{}", u.api, usr.id);
    let mut v = json!({
        "username": usr.username,
        "full_name": usr.full_name,
        "biography": usr.biography,
        "twitter_username": usr.twitter,
        "uri": base,
        "verbose_uri": format!("{base}?verbose=yes"),
        "website_uri": format!("{}/user/{}", u.web, usr.username),
        "talks_uri": format!("{base}/talks/"),
        "attended_events_uri": format!("{base}/attended/"),
        "hosted_events_uri": format!("{base}/hosted/"),
        "talk_comments_uri": format!("{base}/talk_comments/"),
    });
    if verbose {
        let digest = md5::compute(usr.email.to_ascii_lowercase().as_bytes());
        merge(&mut v, json!({ "trusted": 0, "gravatar_hash": format!("{digest:x}") }));
        if viewer == Some(usr.id) {
            merge(&mut v, json!({ "email": usr.email }));
        }
        if viewer.is_some() {
            merge(&mut v, json!({ "can_edit": viewer == Some(usr.id) }));
        }
    }
    v
}

pub fn comment(u: &Urls, data: &Data, t: &Talk, index: usize) -> Value {
    let c = &t.comments[index];
    let author = data.user(c.user_id);
    let id = t.id * 100 + index as u64;
    json!({
        "rating": c.rating.to_string(),
        "comment": c.comment,
        "user_display_name": author.map(|a| a.full_name.clone()),
        "username": author.map(|a| a.username.clone()),
        "talk_title": t.title,
        "created_date": c.created.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        "uri": format!("{}/talk_comments/{id}", u.api),
        "verbose_uri": format!("{}/talk_comments/{id}?verbose=yes", u.api),
        "talk_uri": format!("{}/talks/{}", u.api, t.id),
        "talk_comments_uri": format!("{}/talks/{}/comments", u.api, t.id),
        "reported_uri": format!("{}/talk_comments/{id}/reported", u.api),
        "user_uri": format!("{}/users/{}", u.api, c.user_id),
    })
}

fn merge(target: &mut Value, extra: Value) {
    if let (Value::Object(t), Value::Object(e)) = (target, extra) {
        t.extend(e);
    }
}
