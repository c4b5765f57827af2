//! Calendar feeds over real HTTP: the seeded `work.ics` as servers write it, conditional requests and their
//! counters, operators' changes and the ETag they move, unknown feeds, and faults on the feed path.

use launcher_sandbox::{CalendarError, CalendarEvent, Fault, FaultKind};
use reqwest::{StatusCode, header};
use serde_json::json;

use super::support::{Env, json, start};

fn feed_url(env: &Env, name: &str) -> String {
    env.url(&format!("/_sandbox/ics/{name}"))
}

/// The body's content lines, unfolded (CRLF + space joins a line to the one before).
fn unfold(body: &str) -> String {
    body.replace("\r\n ", "")
}

fn event(uid: &str, summary: &str, env: &Env) -> CalendarEvent {
    let start = env.control().now() + chrono::Duration::days(3);
    CalendarEvent {
        uid: uid.into(),
        summary: summary.into(),
        start,
        end: start + chrono::Duration::minutes(30),
        description: Some("Join: https://meet.google.com/abc-defg-hij".into()),
        location: None,
    }
}

#[tokio::test]
async fn the_feed_serves_with_validators_and_a_conditional_request_gets_304() {
    let env = start().await;
    let url = feed_url(&env, "work.ics");
    let first = env.http.get(&url).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()[header::CONTENT_TYPE], "text/calendar; charset=utf-8");
    let etag = first.headers()[header::ETAG].to_str().unwrap().to_string();
    assert!(etag.starts_with('"') && etag.ends_with('"') && etag.len() > 10, "a strong ETag: {etag}");
    let last_modified = first.headers()[header::LAST_MODIFIED].to_str().unwrap().to_string();
    assert!(last_modified.ends_with(" GMT"), "{last_modified}");
    let body = first.text().await.unwrap();
    assert!(body.starts_with("BEGIN:VCALENDAR\r\n") && body.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(env.control().calendar_feed_etag("work").as_deref(), Some(etag.as_str()));

    let again = env.http.get(&url).header(header::IF_NONE_MATCH, &etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()[header::ETAG], etag.as_str());
    assert!(again.bytes().await.unwrap().is_empty());
    let listed = env.http.get(&url).header(header::IF_NONE_MATCH, format!("\"nope\", W/{etag}")).send().await.unwrap();
    assert_eq!(listed.status(), StatusCode::NOT_MODIFIED, "a list, compared weakly");
    let star = env.http.get(&url).header(header::IF_NONE_MATCH, "*").send().await.unwrap();
    assert_eq!(star.status(), StatusCode::NOT_MODIFIED);
    let since = env.http.get(&url).header(header::IF_MODIFIED_SINCE, &last_modified).send().await.unwrap();
    assert_eq!(since.status(), StatusCode::NOT_MODIFIED);
    let both = env
        .http
        .get(&url)
        .header(header::IF_NONE_MATCH, "\"stale\"")
        .header(header::IF_MODIFIED_SINCE, &last_modified)
        .send()
        .await
        .unwrap();
    assert_eq!(both.status(), StatusCode::OK, "If-None-Match wins over If-Modified-Since");

    // Hours later on the sandbox clock, nothing changed: the same bytes and ETag.
    env.control().advance_clock(chrono::Duration::hours(5));
    let later = env.http.get(&url).send().await.unwrap();
    assert_eq!(later.headers()[header::ETAG], etag.as_str());
    assert_eq!(later.text().await.unwrap(), body);

    assert_eq!(env.control().counter("calendar.feed.full"), 3);
    assert_eq!(env.control().counter("calendar.feed.not_modified"), 4);
    assert_eq!(env.control().counter("calendar.feed.bytes"), 3 * body.len() as u64);
    let log = env.control().requests();
    let logged = log.iter().filter(|r| r.path == "/_sandbox/ics/work.ics").collect::<Vec<_>>();
    assert_eq!(logged.len(), 7, "the feed is a service: the log records it");
    assert_eq!(logged[1].service, "calendar");
    assert_eq!(logged[1].status, 304);
    assert!(log.iter().all(|r| !r.path.starts_with("/_sandbox/c")), "controls stay out of the log");
}

#[tokio::test]
async fn an_added_event_changes_the_etag_and_appears_and_a_removed_one_goes() {
    let env = start().await;
    let url = feed_url(&env, "work.ics");
    let first = env.http.get(&url).send().await.unwrap();
    let old = first.headers()[header::ETAG].to_str().unwrap().to_string();
    let old_modified = first.headers()[header::LAST_MODIFIED].to_str().unwrap().to_string();

    env.control().advance_clock(chrono::Duration::minutes(2));
    let first_event = event("added-1@example.com", "Budget, Q3; final", &env);
    let start = first_event.start.format("%Y%m%dT%H%M%SZ").to_string();
    let added = env.control().add_calendar_event("work", first_event);
    assert_eq!(added.as_deref(), Ok("added-1@example.com"));
    let changed = env.http.get(&url).header(header::IF_NONE_MATCH, &old).send().await.unwrap();
    assert_eq!(changed.status(), StatusCode::OK, "the old ETag no longer matches");
    let new = changed.headers()[header::ETAG].to_str().unwrap().to_string();
    assert_ne!(new, old);
    assert_ne!(changed.headers()[header::LAST_MODIFIED].to_str().unwrap(), old_modified);
    let body = unfold(&changed.text().await.unwrap());
    assert!(body.contains("UID:added-1@example.com\r\n"));
    assert!(body.contains("SUMMARY:Budget\\, Q3\\; final\r\n"));
    assert!(body.contains(&format!("DTSTART:{start}\r\n")), "UTC times");

    // Over HTTP: add (UID made up), bad dates, end before start, unknown feed, then remove.
    let control = &env.cfg.sandbox.control;
    let posted = env
        .http
        .post(format!("{control}/calendar/feeds/work/events"))
        .json(&json!({ "summary": "From curl", "start": "2030-01-02T09:00:00Z", "end": "2030-01-02T10:00:00+01:00",
                       "location": "https://zoom.us/j/123" }))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::CREATED);
    let posted = json(posted).await;
    let uid = posted["uid"].as_str().unwrap().to_string();
    assert_eq!(posted["etag"].as_str(), env.control().calendar_feed_etag("work").as_deref());
    assert_ne!(posted["etag"], new.as_str());
    for wrong in [
        json!({ "summary": "x", "start": "2030-02-30T09:00:00Z", "end": "2030-03-01T09:00:00Z" }),
        json!({ "summary": "x", "start": "tomorrow", "end": "2030-03-01T09:00:00Z" }),
        json!({ "summary": "x", "start": "2030-03-01T09:00:00Z", "end": "2030-03-01T08:00:00Z" }),
        json!({ "summary": "x", "start": "2030-03-01T09:00:00Z" }),
    ] {
        let r = env.http.post(format!("{control}/calendar/feeds/work/events")).json(&wrong).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{wrong}");
        assert!(json(r).await["error"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let r = env
        .http
        .post(format!("{control}/calendar/feeds/nope/events"))
        .json(&json!({ "summary": "x", "start": "2030-03-01T09:00:00Z", "end": "2030-03-01T10:00:00Z" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(matches!(
        env.control().add_calendar_event("nope", event("a", "b", &env)),
        Err(CalendarError::UnknownFeed(_))
    ));

    let before = env.control().calendar_feed_etag("work");
    let removed = env.http.delete(format!("{control}/calendar/feeds/work/events/{uid}")).send().await.unwrap();
    assert_eq!(removed.status(), StatusCode::OK);
    assert_ne!(env.control().calendar_feed_etag("work"), before);
    assert!(env.control().remove_calendar_event("work.ics", "added-1@example.com"));
    assert!(!env.control().remove_calendar_event("work", "added-1@example.com"));
    let gone = env.http.delete(format!("{control}/calendar/feeds/work/events/{uid}")).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let body = env.http.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(!body.contains("added-1@example.com") && !body.contains("From curl"));
}

#[tokio::test]
async fn unknown_feeds_are_404_and_replaced_feeds_serve_raw_text() {
    let env = start().await;
    for name in ["personal.ics", "work", "work.ical", "..%2Fwork.ics"] {
        let r = env.http.get(feed_url(&env, name)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{name}");
    }
    let control = &env.cfg.sandbox.control;
    let odd =
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:odd\nDTSTART:20300101T090000Z\nEND:VEVENT\nEND:VCALENDAR\n";
    let put = env.http.put(format!("{control}/calendar/feeds/odd.ics")).body(odd).send().await.unwrap();
    assert_eq!(put.status(), StatusCode::OK);
    let served = env.http.get(feed_url(&env, "odd.ics")).send().await.unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.text().await.unwrap(), odd, "byte for byte, LF endings and all");
    let add = env
        .http
        .post(format!("{control}/calendar/feeds/odd/events"))
        .json(&json!({ "summary": "x", "start": "2030-03-01T09:00:00Z", "end": "2030-03-01T10:00:00Z" }))
        .send()
        .await
        .unwrap();
    assert_eq!(add.status(), StatusCode::CONFLICT);
    let bad_name = env.http.put(format!("{control}/calendar/feeds/a.b")).body("x").send().await.unwrap();
    assert_eq!(bad_name.status(), StatusCode::BAD_REQUEST);
    let feeds = json(env.http.get(format!("{control}/calendar/feeds")).send().await.unwrap()).await;
    let names: Vec<&str> = feeds.as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["odd", "work"]);
    assert_eq!(feeds[1]["url"], feed_url(&env, "work.ics"));

    // Reset: only the seeded feed again.
    env.http.post(format!("{control}/reset")).send().await.unwrap();
    assert_eq!(env.http.get(feed_url(&env, "odd.ics")).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(env.http.get(feed_url(&env, "work.ics")).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn faults_apply_to_the_feed_path_but_not_to_the_controls() {
    let env = start().await;
    let url = feed_url(&env, "work.ics");
    env.control().add_fault(
        Fault::new("/_sandbox/ics/work.ics", FaultKind::Status { status: 503, retry_after: Some(30) }).times(1),
    );
    let failed = env.http.get(&url).send().await.unwrap();
    assert_eq!(failed.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(failed.headers()[header::RETRY_AFTER], "30");
    assert_eq!(env.http.get(&url).send().await.unwrap().status(), StatusCode::OK, "count ran out");
    assert_eq!(env.control().counter("calendar.feed.full"), 1, "the fault answered before the feed");

    // A fault on all of /_sandbox still spares the controls, yet reaches the feeds.
    env.control().add_fault(Fault::new("/_sandbox", FaultKind::Status { status: 500, retry_after: None }));
    assert_eq!(env.http.get(&url).send().await.unwrap().status(), StatusCode::INTERNAL_SERVER_ERROR);
    let config = env.http.get(format!("{}/config", env.cfg.sandbox.control)).send().await.unwrap();
    assert_eq!(config.status(), StatusCode::OK);
    env.control().clear_faults();
    assert_eq!(env.http.get(&url).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn the_work_feed_is_crlf_folded_and_holds_what_real_feeds_do() {
    let env = start().await;
    let body = env.http.get(feed_url(&env, "work.ics")).send().await.unwrap().text().await.unwrap();
    assert!(!body.replace("\r\n", "").contains(['\n', '\r']), "CRLF only");
    let lines: Vec<&str> = body.trim_end_matches("\r\n").split("\r\n").collect();
    assert!(lines.iter().all(|l| l.len() <= 75), "folded at 75 octets");
    assert!(lines.iter().any(|l| l.starts_with(' ')), "some lines are long enough to fold");
    let text = unfold(&body);
    let user = &env.cfg.meetingbooster.username;
    for expected in [
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n".to_string(),
        "VERSION:2.0\r\n".into(),
        format!("X-WR-CALNAME:{user}\r\n"),
        "X-WR-TIMEZONE:Europe/Berlin\r\n".into(),
        "TZID:Europe/Berlin\r\n".into(),
        "TZID:Pacific Standard Time\r\n".into(),
        "RRULE:FREQ=WEEKLY;BYDAY=".into(),
        "EXDATE;TZID=Europe/Berlin:".into(),
        "RECURRENCE-ID;TZID=Europe/Berlin:".into(),
        "SUMMARY:Team planning (moved)\r\n".into(),
        "X-GOOGLE-CONFERENCE:https://meet.google.com/".into(),
        "DTSTART;TZID=\"Pacific Standard Time\":".into(),
        "X-MICROSOFT-CDO-BUSYSTATUS:".into(),
        "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fteams.microsoft.com%2Fl%2Fmeetup-join%2F19%253ameeting_".into(),
        "X-ALT-DESC;FMTTYPE=text/html:<html>".into(),
        "<a href=\"https://nam12.safelinks.protection.outlook.com/?url=".into(),
        "STATUS:CANCELLED\r\n".into(),
        format!("ATTENDEE;CN=\"Alex Morgan\";PARTSTAT=DECLINED:mailto:{user}\r\n"),
        "PARTSTAT=ACCEPTED".into(),
        "DTSTART;VALUE=DATE:".into(),
        "DTSTART;TZID=Asia/Tokyo:".into(),
        "SUMMARY:Offsite planning: agenda\\, venue\\; travel\r\n".into(),
        "\\n".into(),
        "C:\\\\Shared\\\\Offsite".into(),
        "LOCATION:https://us02web.zoom.us/j/".into(),
    ] {
        assert!(text.contains(&expected), "missing {expected:?}");
    }

    // Dates: the series' moved occurrence is tomorrow, the skipped one a week later, the holiday in five days.
    // The feed is anchored to the day it was made: the day before now's, if midnight passed since.
    let now = env.control().now().date_naive();
    let anchored = |line: &dyn Fn(String) -> String, n: i64| {
        [now, now - chrono::Duration::days(1)]
            .iter()
            .any(|today| text.contains(&line((*today + chrono::Duration::days(n)).format("%Y%m%d").to_string())))
    };
    assert!(anchored(&|d| format!("RECURRENCE-ID;TZID=Europe/Berlin:{d}T100000\r\n"), 1));
    assert!(anchored(&|d| format!("EXDATE;TZID=Europe/Berlin:{d}T100000\r\n"), 8));
    assert!(anchored(&|d| format!("DTSTART;VALUE=DATE:{d}\r\n"), 5));
    assert!(anchored(&|d| format!("DTSTART:{d}T130000Z\r\n"), -3), "one event in the past week");
    let starts: Vec<&str> = text.lines().filter(|l| l.starts_with("DTSTART")).collect();
    assert!(starts.len() >= 10, "{starts:?}");
}
