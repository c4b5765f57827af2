//! The feed reader's acceptance tests: each feed is written inline as a calendar would publish it.

use std::time::Instant;

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use chrono_tz::{America::New_York, Asia::Tokyo, Europe::Berlin};

use super::*;

/// A calendar around `events`, with CRLF line ends as the RFC writes them.
fn cal(events: &str) -> String {
    format!("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Test//EN\n{events}END:VCALENDAR\n").replace('\n', "\r\n")
}

fn utc(s: &str) -> DateTime<Utc> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap().and_utc()
}

fn at(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

fn window(feed: &Feed, from: &str, to: &str, local: Tz) -> Vec<Occurrence> {
    feed.occurrences(utc(from), utc(to), &[], local)
}

/// Each occurrence as "local start | title | id".
fn lines(occurrences: &[Occurrence], tz: Tz) -> Vec<String> {
    occurrences.iter().map(|o| format!("{} | {} | {}", at(o.start, tz), o.title, o.id)).collect()
}

/// Outlook's definition of Berlin's zone, under any name.
fn vtimezone(tzid: &str) -> String {
    format!(
        "BEGIN:VTIMEZONE\nTZID:{tzid}\nBEGIN:STANDARD\nDTSTART:16010101T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n\
         RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010101T020000\n\
         TZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\nEND:DAYLIGHT\n\
         END:VTIMEZONE\n"
    )
}

/// A weekly 10:00 meeting in Berlin over both DST changes of spring 2027 (US 14 March, EU 28 March): the week
/// of 5 April excluded, that of 29 March moved to Tuesday 30 March 15:00 with a new title (its override first,
/// as feeds may order them).
fn standup(tzid: &str) -> String {
    let tz = if tzid.contains(' ') { format!("\"{tzid}\"") } else { tzid.to_string() };
    cal(&format!(
        "{zone}BEGIN:VEVENT\nUID:standup@example.com\nRECURRENCE-ID;TZID={tz}:20270329T100000\n\
         DTSTART;TZID={tz}:20270330T150000\nDTEND;TZID={tz}:20270330T153000\nSUMMARY:Standup (moved)\nSEQUENCE:1\n\
         END:VEVENT\nBEGIN:VEVENT\nUID:standup@example.com\nDTSTART;TZID={tz}:20270301T100000\n\
         DTEND;TZID={tz}:20270301T103000\nRRULE:FREQ=WEEKLY;COUNT=8\nEXDATE;TZID={tz}:20270405T100000\n\
         SUMMARY:Standup\nEND:VEVENT\n",
        zone = if tzid == "Europe/Berlin" { String::new() } else { vtimezone(tzid) },
    ))
}

fn assert_standup(feed: &Feed) {
    assert_eq!(feed.len(), 1, "one series");
    let id = |utc: &str| format!("standup@example.com/{utc}");
    let new_york = window(feed, "2027-02-22 00:00", "2027-04-26 00:00", New_York);
    assert_eq!(
        lines(&new_york, New_York),
        [
            format!("2027-03-01 04:00 | Standup | {}", id("20270301T090000Z")),
            format!("2027-03-08 04:00 | Standup | {}", id("20270308T090000Z")),
            // New York is on summer time, Berlin not yet: an hour later there.
            format!("2027-03-15 05:00 | Standup | {}", id("20270315T090000Z")),
            format!("2027-03-22 05:00 | Standup | {}", id("20270322T090000Z")),
            // Moved, under the id of the occurrence it replaces.
            format!("2027-03-30 09:00 | Standup (moved) | {}", id("20270329T080000Z")),
            format!("2027-04-12 04:00 | Standup | {}", id("20270412T080000Z")),
            format!("2027-04-19 04:00 | Standup | {}", id("20270419T080000Z")),
        ]
    );
    assert!(new_york.iter().all(|o| o.end.signed_duration_since(o.start) == Duration::minutes(30)));
    let tokyo = window(feed, "2027-02-22 00:00", "2027-04-26 00:00", Tokyo);
    let starts: Vec<String> = tokyo.iter().map(|o| at(o.start, Tokyo)).collect();
    assert_eq!(
        starts,
        [
            "2027-03-01 18:00",
            "2027-03-08 18:00",
            "2027-03-15 18:00",
            "2027-03-22 18:00",
            "2027-03-30 22:00",
            "2027-04-12 17:00",
            "2027-04-19 17:00"
        ]
    );
    let berlin: Vec<String> = tokyo.iter().map(|o| at(o.start, Berlin)).collect();
    assert!(berlin.iter().all(|s| s.ends_with(" 10:00") || s == "2027-03-30 15:00"), "{berlin:?}");
    // The moved occurrence is found from its new time only, and its original slot is empty.
    let moved = window(feed, "2027-03-30 00:00", "2027-03-31 00:00", New_York);
    assert_eq!(lines(&moved, Berlin), [format!("2027-03-30 15:00 | Standup (moved) | {}", id("20270329T080000Z"))]);
    assert!(window(feed, "2027-03-29 00:00", "2027-03-30 00:00", New_York).is_empty());
}

#[test]
fn a_weekly_berlin_meeting_keeps_its_berlin_time_across_both_dst_changes_with_exdate_and_override() {
    assert_standup(&parse(&standup("Europe/Berlin")).unwrap());
}

#[test]
fn the_same_series_in_a_windows_zone_name_and_in_a_custom_vtimezone() {
    assert_standup(&parse(&standup("W. Europe Standard Time")).unwrap());
    // A name no table knows: the feed's own VTIMEZONE rules decide.
    let custom = parse(&standup("Custom Berlin")).unwrap();
    assert!(matches!(custom.series[0].master.as_ref().unwrap().start, When::Time(_, Zone::Rules(_))));
    assert_standup(&custom);
    // A VTIMEZONE naming its IANA zone (X-LIC-LOCATION) is that zone.
    let named = standup("Custom Berlin")
        .replace("TZID:Custom Berlin\r\n", "TZID:Custom Berlin\r\nX-LIC-LOCATION:Europe/Berlin\r\n");
    let named = parse(&named).unwrap();
    assert!(matches!(named.series[0].master.as_ref().unwrap().start, When::Time(_, Zone::Iana(_))));
    assert_standup(&named);
}

#[test]
fn all_day_events_span_the_users_local_days() {
    let feed = parse(&cal("BEGIN:VEVENT\nUID:day\nDTSTART;VALUE=DATE:20270314\nDTEND;VALUE=DATE:20270315\n\
         SUMMARY:Offsite\nEND:VEVENT\nBEGIN:VEVENT\nUID:trip\nDTSTART:20270320\nDTEND:20270323\nSUMMARY:Trip\n\
         END:VEVENT\nBEGIN:VEVENT\nUID:bare\nDTSTART;VALUE=DATE:20270401\nEND:VEVENT\nBEGIN:VEVENT\nUID:yearly\n\
         DTSTART;VALUE=DATE:20250310\nRRULE:FREQ=YEARLY\nEXDATE;VALUE=DATE:20260310\nSUMMARY:Birthday\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:born\nDTSTART;VALUE=DATE:19650402\nRRULE:FREQ=YEARLY\nEND:VEVENT\n"))
    .unwrap();
    let all = window(&feed, "2026-06-01 00:00", "2027-12-31 00:00", New_York);
    let seen: Vec<(String, String, String, bool)> =
        all.iter().map(|o| (o.id.clone(), at(o.start, New_York), at(o.end, New_York), o.all_day)).collect();
    let row = |id: &str, s: &str, e: &str| (id.to_string(), s.to_string(), e.to_string(), true);
    assert_eq!(
        seen,
        [
            row("yearly/20270310", "2027-03-10 00:00", "2027-03-11 00:00"),
            // The day New York moves its clocks: 23 hours, midnight to midnight.
            row("day", "2027-03-14 00:00", "2027-03-15 00:00"),
            row("trip", "2027-03-20 00:00", "2027-03-23 00:00"),
            row("bare", "2027-04-01 00:00", "2027-04-02 00:00"),
            // Recurring since before 1970.
            row("born/20270402", "2027-04-02 00:00", "2027-04-03 00:00"),
        ]
    );
    assert_eq!(all[1].end.signed_duration_since(all[1].start), Duration::hours(23));
    assert_eq!(all[3].title, "(no title)");
    let tokyo = window(&feed, "2027-03-14 00:00", "2027-03-15 00:00", Tokyo);
    assert_eq!(
        tokyo.iter().map(|o| (o.id.as_str(), at(o.start, Tokyo))).collect::<Vec<_>>(),
        [("day", "2027-03-14 00:00".to_string())]
    );
}

#[test]
fn exchange_all_day_events_written_as_midnight_to_midnight_are_all_day() {
    let event = |flag: &str| {
        cal(&format!(
            "BEGIN:VEVENT\nUID:x\nDTSTART;TZID=W. Europe Standard Time:20270312T000000\n\
             DTEND;TZID=W. Europe Standard Time:20270313T000000\nSUMMARY:Holiday\n{flag}END:VEVENT\n"
        ))
    };
    let flagged = parse(&event("X-MICROSOFT-CDO-ALLDAYEVENT:TRUE\n")).unwrap();
    let all = window(&flagged, "2027-03-10 00:00", "2027-03-20 00:00", New_York);
    assert_eq!(all.len(), 1);
    assert!(all[0].all_day);
    assert_eq!(
        (at(all[0].start, New_York), at(all[0].end, New_York)),
        ("2027-03-12 00:00".into(), "2027-03-13 00:00".into())
    );
    // Control: without the flag it is a timed event, midnight in Berlin.
    let timed = parse(&event("")).unwrap();
    let all = window(&timed, "2027-03-10 00:00", "2027-03-20 00:00", New_York);
    assert!(!all[0].all_day);
    assert_eq!(at(all[0].start, New_York), "2027-03-11 18:00");
}

#[test]
fn cancelled_events_and_overrides_and_declines_by_the_user_only() {
    let feed = parse(&cal("BEGIN:VEVENT\nUID:gone\nDTSTART:20270301T090000Z\nDTEND:20270301T100000Z\n\
         STATUS:CANCELLED\nSUMMARY:Gone\nEND:VEVENT\nBEGIN:VEVENT\nUID:daily\nDTSTART:20270301T120000Z\n\
         DURATION:PT15M\nRRULE:FREQ=DAILY;COUNT=3\nSTATUS:CONFIRMED\nEND:VEVENT\nBEGIN:VEVENT\nUID:daily\n\
         RECURRENCE-ID:20270302T120000Z\nDTSTART:20270302T120000Z\nDTEND:20270302T121500Z\nstatus:cancelled\n\
         END:VEVENT\nBEGIN:VEVENT\nUID:mine\nDTSTART:20270301T150000Z\n\
         ATTENDEE;CN=\"Me, Myself\";PARTSTAT=DECLINED:MAILTO:Me@Example.com\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:other@example.com\nORGANIZER;CN=Boss:mailto:boss@example.com\n\
         END:VEVENT\nBEGIN:VEVENT\nUID:theirs\nDTSTART:20270301T160000Z\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.com\nATTENDEE;PARTSTAT=DECLINED:mailto:other@example.com\n\
         END:VEVENT\n"))
    .unwrap();
    let me = ["me@example.com".to_string()];
    let all = feed.occurrences(utc("2027-03-01 00:00"), utc("2027-03-05 00:00"), &me, Berlin);
    let flags: Vec<(&str, bool, bool)> = all.iter().map(|o| (o.id.as_str(), o.cancelled, o.declined)).collect();
    assert_eq!(
        flags,
        [
            ("gone", true, false),
            ("daily/20270301T120000Z", false, false),
            ("mine", false, true),
            ("theirs", false, false),
            ("daily/20270302T120000Z", true, false),
            ("daily/20270303T120000Z", false, false),
        ]
    );
    assert_eq!(all[2].attendees, ["Me, Myself", "other@example.com"], "the organizer is not an attendee");
    let without_me = feed.occurrences(utc("2027-03-01 00:00"), utc("2027-03-05 00:00"), &[], Berlin);
    assert!(without_me.iter().all(|o| !o.declined));
    assert_eq!(feed.len(), 4);
}

#[test]
fn folded_lines_escapes_quoted_parameters_and_an_html_description_with_a_safelinks_teams_link() {
    let safelink = "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fteams.microsoft.com%2Fl%2Fmeetup-join%2F19%253ameeting_abc%2540thread.v2%2F0&data=05%7C01&reserved=0";
    let html = format!(
        "<html><head><style>p {{ margin: 0 }}</style></head><body><p>Agenda\\, notes &amp\\; more</p>\
         <a href=\"{}\">Join the meeting now</a></body></html>",
        safelink.replace('&', "&amp;")
    );
    // Folded every few characters, with CRLF + space and LF + tab, inside the address too.
    let folded: String = html
        .chars()
        .collect::<Vec<_>>()
        .chunks(40)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("\r\n ");
    let text = format!(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:teams\nDTSTART:20270301T090000Z\nDTEND:20270301T093000Z\n\
         SUMMARY:Review\\, planning\\; Q2 \\\\ \n\tnext \\Nsteps\nLOCATION:Room 1\\, 2nd floor\n\
         X-ALT-DESC;FMTTYPE=text/html:{folded}\nURL:https://example.com/ev\r\n ent/1\n\
         ATTENDEE;CN=\"Doe, Jane: PM\";PARTSTAT=ACCEPTED:mailto:jane@example.com\nEND:VEVENT\nEND:VCALENDAR\n"
    );
    let feed = parse(&text).unwrap();
    let all = window(&feed, "2027-03-01 00:00", "2027-03-02 00:00", Berlin);
    let o = &all[0];
    assert_eq!(o.title, "Review, planning; Q2 \\ next \nsteps");
    assert_eq!(o.location, "Room 1, 2nd floor");
    assert_eq!(o.url.as_deref(), Some("https://example.com/event/1"));
    assert_eq!(o.attendees, ["Doe, Jane: PM"]);
    assert!(o.description.contains(safelink), "{}", o.description);
    assert!(
        o.description.starts_with("Agenda, notes & more\nJoin the meeting now <https://nam12."),
        "{}",
        o.description
    );
    // HTML in DESCRIPTION itself is read the same way; plain text stays as it is.
    let html_description = parse(&cal(&format!(
        "BEGIN:VEVENT\nUID:g\nDTSTART:20270301T090000Z\nDESCRIPTION:Join: <a href=\"{safelink}\">here</a><br>Bye\nEND:VEVENT\n"
    )))
    .unwrap();
    let d = &window(&html_description, "2027-03-01 00:00", "2027-03-02 00:00", Berlin)[0].description;
    assert_eq!(*d, format!("Join: here <{safelink}>\nBye"));
}

#[test]
fn conference_properties_in_order_url_and_calendar_name() {
    let feed = parse(&cal("X-WR-CALNAME:Work\\, Team\nBEGIN:VEVENT\nUID:c\nDTSTART:20270301T090000Z\n\
         X-MICROSOFT-ONLINEMEETINGCONFLINK:conf:sip:x@example.com\n\
         X-MICROSOFT-SKYPETEAMSMEETINGURL:https://teams.microsoft.com/l/meetup-join/1\n\
         X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij\n\
         CONFERENCE;VALUE=URI;FEATURE=VIDEO:https://meet.google.com/abc-defg-hij\n\
         CONFERENCE;VALUE=URI;FEATURE=PHONE:tel:+1-555-0100\nURL:https://calendar.example.com/event/c\n\
         END:VEVENT\n"))
    .unwrap();
    assert_eq!(feed.name.as_deref(), Some("Work, Team"));
    let o = &window(&feed, "2027-03-01 00:00", "2027-03-02 00:00", Berlin)[0];
    assert_eq!(
        o.conference,
        [
            "https://meet.google.com/abc-defg-hij",
            "tel:+1-555-0100",
            "https://teams.microsoft.com/l/meetup-join/1",
            "conf:sip:x@example.com"
        ]
    );
    assert_eq!(o.url.as_deref(), Some("https://calendar.example.com/event/c"));
    assert_eq!(parse(&cal("")).unwrap().name, None);
}

#[test]
fn garbage_is_refused_a_broken_event_is_skipped_and_endless_rules_stay_bounded() {
    for text in ["", "hello", "{\"json\": true}", "BEGIN:VEVENT\nEND:VEVENT"] {
        let err = parse(text).unwrap_err();
        assert_eq!(err.to_string(), "the calendar could not be read: it is not an iCalendar feed (no BEGIN:VCALENDAR)");
    }
    assert!(parse("<!DOCTYPE html><html><body>Sign in</body></html>").unwrap_err().to_string().contains("web page"));
    let feed = parse(&cal("BEGIN:VEVENT\nUID:good1\nDTSTART:20270301T090000Z\nthis line is garbage\n\
         SUMMARY:Good\nEND:VEVENT\nBEGIN:VEVENT\nUID:bad-date\nDTSTART:2027-13-45T99\nEND:VEVENT\nBEGIN:VEVENT\n\
         UID:no-start\nSUMMARY:x\nEND:VEVENT\nBEGIN:VEVENT\nUID:unclosed\nDTSTART:20270301T100000Z\nBEGIN:VEVENT\n\
         UID:good2\nDTSTART:20270301T110000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:ancient\nDTSTART:19000101T000000Z\n\
         END:VEVENT\nBEGIN:VEVENT\nUID:far\nDTSTART:+2620001T000000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:good3\n\
         DTSTART:20270301T120000Z\nRRULE:FREQ=DAILY;BYDAY=XX\nEND:VEVENT\n"))
    .unwrap();
    let all = window(&feed, "2027-03-01 00:00", "2027-03-08 00:00", Berlin);
    // A rule that cannot be read leaves its event's first occurrence.
    assert_eq!(all.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(), ["good1", "good2", "good3/20270301T120000Z"]);
    assert_eq!(all[0].title, "Good");

    let endless = parse(&cal("BEGIN:VEVENT\nUID:s\nDTSTART:20270301T000000Z\nRRULE:FREQ=SECONDLY\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:m\nDTSTART:19900101T000000Z\nRRULE:FREQ=MINUTELY\nEND:VEVENT\nBEGIN:VEVENT\nUID:c\n\
         DTSTART:19700101T000000Z\nRRULE:FREQ=SECONDLY;COUNT=4000000000\nEND:VEVENT\nBEGIN:VEVENT\nUID:d\n\
         DTSTART:19700105T090000Z\nRRULE:FREQ=DAILY\nEND:VEVENT\n"))
    .unwrap();
    let started = Instant::now();
    let all = window(&endless, "2027-03-01 00:00", "2027-05-01 00:00", Berlin);
    assert!(started.elapsed().as_secs() < 10, "took {:?}", started.elapsed());
    assert_eq!(all.len(), MAX_OCCURRENCES);
    assert!(all.windows(2).all(|w| (w[0].start, &w[0].id) <= (w[1].start, &w[1].id)));
    // A daily rule from 1970 still reaches 2027 (it starts near the window, not at its first day).
    let daily = window(&endless, "2027-04-10 00:00", "2027-04-12 00:00", Berlin);
    let daily: Vec<&str> = daily.iter().filter(|o| o.id.starts_with("d/")).map(|o| o.id.as_str()).collect();
    assert_eq!(daily, ["d/20270410T090000Z", "d/20270411T090000Z"]);
}

#[test]
fn times_floating_utc_durations_and_ends() {
    let feed = parse(&cal("BEGIN:VEVENT\nUID:floating\nDTSTART:20270301T090000\nDTEND:20270301T100000\n\
         END:VEVENT\nBEGIN:VEVENT\nUID:no-end\nDTSTART:20270301T110000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:backwards\n\
         DTSTART:20270301T120000Z\nDTEND:20270301T110000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:duration\n\
         DTSTART;TZID=America/New_York:20270301T080000\nDURATION:P1DT2H30M\nEND:VEVENT\nBEGIN:VEVENT\n\
         UID:unknown-zone\nDTSTART;TZID=Nowhere/Special:20270301T090000\nEND:VEVENT\n"))
    .unwrap();
    let all = window(&feed, "2027-03-01 00:00", "2027-03-03 00:00", Tokyo);
    let seen: Vec<(&str, String, String)> =
        all.iter().map(|o| (o.id.as_str(), at(o.start, chrono_tz::UTC), at(o.end, chrono_tz::UTC))).collect();
    let row = |id, s: &str, e: &str| (id, s.to_string(), e.to_string());
    assert_eq!(
        seen,
        [
            // Floating and unknown zones are the user's (Tokyo).
            row("floating", "2027-03-01 00:00", "2027-03-01 01:00"),
            row("unknown-zone", "2027-03-01 00:00", "2027-03-01 00:00"),
            row("no-end", "2027-03-01 11:00", "2027-03-01 11:00"),
            row("backwards", "2027-03-01 12:00", "2027-03-01 12:00"),
            row("duration", "2027-03-01 13:00", "2027-03-02 15:30"),
        ]
    );
    // An instant at the window's start is in it; one at its end is not.
    assert_eq!(
        lines(&window(&feed, "2027-03-01 11:00", "2027-03-01 11:01", Tokyo), Tokyo),
        ["2027-03-01 20:00 | (no title) | no-end"]
    );
    assert!(window(&feed, "2027-03-02 15:30", "2027-03-03 00:00", Tokyo).is_empty());
}

#[test]
fn rdates_untils_orphan_overrides_and_events_without_uid() {
    let feed = parse(&cal("BEGIN:VEVENT\nUID:r\nDTSTART;TZID=Europe/Berlin:20270301T100000\n\
         RRULE:FREQ=DAILY;UNTIL=20270302T090000Z\nRDATE;TZID=America/New_York:20270310T040000,20270311T040000\n\
         RDATE:20270312T090000Z\nEXDATE:20270311T090000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:orphan\n\
         RECURRENCE-ID;RANGE=THISANDFUTURE:20270305T090000Z\nDTSTART:20270305T100000Z\nSUMMARY:Lone\nEND:VEVENT\n\
         BEGIN:VEVENT\nSUMMARY:Anonymous\nDTSTART:20270306T090000Z\nEND:VEVENT\n"))
    .unwrap();
    assert_eq!(feed.len(), 3);
    let all = window(&feed, "2027-03-01 00:00", "2027-03-20 00:00", Berlin);
    let ids: Vec<(&str, String)> = all.iter().map(|o| (o.id.as_str(), at(o.start, Berlin))).collect();
    assert_eq!(
        ids[..5],
        [
            ("r/20270301T090000Z", "2027-03-01 10:00".to_string()),
            ("r/20270302T090000Z", "2027-03-02 10:00".to_string()),
            ("orphan/20270305T090000Z", "2027-03-05 11:00".to_string()),
            (ids[3].0, "2027-03-06 10:00".to_string()),
            ("r/20270310T090000Z", "2027-03-10 10:00".to_string()),
        ]
    );
    assert_eq!(ids[5], ("r/20270312T090000Z", "2027-03-12 10:00".to_string()));
    assert_eq!(ids.len(), 6);
    assert!(ids[3].0.starts_with("no-uid-"));
    // Derived ids are the same on every read.
    let again = window(
        &parse(&cal("BEGIN:VEVENT\nSUMMARY:Anonymous\nDTSTART:20270306T090000Z\nEND:VEVENT\n")).unwrap(),
        "2027-03-01 00:00",
        "2027-03-20 00:00",
        Berlin,
    );
    assert_eq!(again[0].id, ids[3].0);
}

#[test]
fn overrides_inherit_what_they_leave_out_and_zoneless_exdates_mean_the_start_zone() {
    // LF line ends and lower-case names, as some servers write.
    let feed = parse(
        "begin:vcalendar\nbegin:vevent\nuid:w\ndtstart;tzid=Europe/Berlin:20270301T100000\n\
         dtend;tzid=Europe/Berlin:20270301T110000\nrrule:freq=daily;count=4\nexdate:20270302T1000\n\
         summary:Daily\nlocation:Room\nattendee;partstat=accepted:mailto:me@example.com\nend:vevent\n\
         begin:vevent\nuid:w\nrecurrence-id;tzid=Europe/Berlin:20270303T100000\n\
         dtstart;tzid=Europe/Berlin:20270303T120000\nattendee;partstat=declined:mailto:me@example.com\n\
         end:vevent\nend:vcalendar\n",
    )
    .unwrap();
    let me = ["me@example.com".to_string()];
    let all = feed.occurrences(utc("2027-03-01 00:00"), utc("2027-03-08 00:00"), &me, New_York);
    let seen: Vec<String> = all
        .iter()
        .map(|o| format!("{}-{} {} {} {}", at(o.start, Berlin), at(o.end, Berlin), o.title, o.location, o.declined))
        .collect();
    assert_eq!(
        seen,
        [
            "2027-03-01 10:00-2027-03-01 11:00 Daily Room false",
            "2027-03-03 12:00-2027-03-03 13:00 Daily Room true",
            "2027-03-04 10:00-2027-03-04 11:00 Daily Room false",
        ]
    );
}

#[test]
fn a_feed_is_shared_between_threads() {
    fn shared<T: Send + Sync + Clone + std::fmt::Debug>() {}
    shared::<Feed>();
}
