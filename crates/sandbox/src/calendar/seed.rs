//! The seeded `work` feed: the main demo user's calendar as Google publishes it, with what feeds in the wild
//! carry (a recurring series with an exception and a moved occurrence, an Outlook event with its Windows time
//! zone and a SafeLinks-wrapped Teams link, cancelled, declined and all-day events, other time zones, escaped
//! and folded text, a Zoom link only in the location). Everything is placed relative to the day the feed is
//! created, so the demo always shows the coming two weeks (and one event of the past week).

use chrono::{DateTime, Datelike, Duration, NaiveDate, SubsecRound, Utc, Weekday};

use super::ics::{Component, date, local, text, utc};
use crate::meetingbooster::data::DEFAULT_USER;

const BERLIN: &str = "Europe/Berlin";
const MEET: &str = "https://meet.google.com/kfp-wzxq-ahd";
const RETRO_MEET: &str = "https://meet.google.com/rtr-obrd-cst";
const TEAMS: &str = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_ZjQ2YTk3OGUtNzFkMi00YjVhLWI4ZTMtMmM1ZDcwOWE0ZjE2%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%22b7e3c1a2-5d4f-4e6a-9c8b-1a2b3c4d5e6f%22%7d";
const ZOOM: &str = "https://us02web.zoom.us/j/81234567890?pwd=aBcDeFgHiJkLmNoPqRsTuVwXyZ.1";

/// The UID of the weekly "Team planning" series (its moved occurrence shares it).
pub const TEAM_PLANNING_UID: &str = "7kq2m9d4vhs1p0teamplanning@google.com";

/// The calendar's header lines and its events, for a feed created at `now`.
pub fn work(now: DateTime<Utc>) -> (Vec<String>, Vec<Component>) {
    let today = now.date_naive();
    let stamp = utc(now.trunc_subsecs(0));
    let created = utc(now.trunc_subsecs(0) - Duration::days(35));
    let day = |n: i64| today + Duration::days(n);
    let at = |n: i64, hour: u32, minute: u32| utc(day(n).and_hms_opt(hour, minute, 0).unwrap_or_default().and_utc());
    let head = header();
    let mut events = Vec::new();

    // Weekly on tomorrow's weekday, begun four weeks ago: tomorrow's occurrence moved two hours later, next
    // week's cancelled (EXDATE), the week after as usual.
    let first = day(1) - Duration::weeks(4);
    let meet_description = google_meet_description("Weekly planning: priorities, owners and blockers.", MEET);
    let mut master = vec![
        "BEGIN:VEVENT".to_string(),
        format!("DTSTART;TZID={BERLIN}:{}", local(first, 10, 0)),
        format!("DTEND;TZID={BERLIN}:{}", local(first, 11, 0)),
        format!("RRULE:FREQ=WEEKLY;BYDAY={}", byday(first.weekday())),
        format!("EXDATE;TZID={BERLIN}:{}", local(day(8), 10, 0)),
    ];
    master.extend(google_common(&stamp, TEAM_PLANNING_UID, "jordan.kim@example.com", "Jordan Kim"));
    master.extend([
        format!("X-GOOGLE-CONFERENCE:{MEET}"),
        format!("CREATED:{created}"),
        format!("DESCRIPTION:{}", text(&meet_description)),
        format!("LAST-MODIFIED:{stamp}"),
        "LOCATION:".into(),
        "SEQUENCE:0".into(),
        "STATUS:CONFIRMED".into(),
        "SUMMARY:Team planning".into(),
        "TRANSP:OPAQUE".into(),
        "END:VEVENT".into(),
    ]);
    events.push(Component { uid: TEAM_PLANNING_UID.into(), lines: master });
    let mut moved = vec![
        "BEGIN:VEVENT".to_string(),
        format!("DTSTART;TZID={BERLIN}:{}", local(day(1), 12, 0)),
        format!("DTEND;TZID={BERLIN}:{}", local(day(1), 13, 0)),
    ];
    moved.extend(google_common(&stamp, TEAM_PLANNING_UID, "jordan.kim@example.com", "Jordan Kim"));
    moved.extend([
        format!("RECURRENCE-ID;TZID={BERLIN}:{}", local(day(1), 10, 0)),
        format!("X-GOOGLE-CONFERENCE:{MEET}"),
        format!("CREATED:{created}"),
        format!("DESCRIPTION:{}", text(&meet_description)),
        format!("LAST-MODIFIED:{stamp}"),
        "LOCATION:".into(),
        "SEQUENCE:1".into(),
        "STATUS:CONFIRMED".into(),
        "SUMMARY:Team planning (moved)".into(),
        "TRANSP:OPAQUE".into(),
        "END:VEVENT".into(),
    ]);
    events.push(Component { uid: TEAM_PLANNING_UID.into(), lines: moved });

    events.push(outlook_teams(day(2), &stamp));

    events.push(simple(
        &stamp,
        "3rd0vendordemo4acme@google.com",
        (at(3, 14, 0), at(3, 15, 0)),
        "Vendor demo: Acme analytics",
        &[("STATUS", "CANCELLED"), ("SEQUENCE", "2")],
        &[],
    ));

    let declined = [
        "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Taylor Fox;X-NUM-GUESTS=0:mailto:taylor.fox@example.com".to_string(),
        format!("ATTENDEE;CN=\"Alex Morgan\";PARTSTAT=DECLINED:mailto:{DEFAULT_USER}"),
        "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Jordan Kim;X-NUM-GUESTS=0:mailto:jordan.kim@example.com".to_string(),
        "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Casey Diaz;X-NUM-GUESTS=0:mailto:casey.diaz@example.com".to_string(),
        "ORGANIZER;CN=Taylor Fox:mailto:taylor.fox@example.com".to_string(),
        "X-GOOGLE-CONFERENCE:https://meet.google.com/sls-hndq-all".to_string(),
        format!(
            "DESCRIPTION:{}",
            text("Pipeline and targets for the quarter.\n\nJoin with Google Meet: https://meet.google.com/sls-hndq-all")
        ),
    ];
    events.push(simple(
        &stamp,
        "5alesallhands9q@google.com",
        (at(4, 16, 0), at(4, 17, 0)),
        "Sales all-hands",
        &[("STATUS", "CONFIRMED")],
        &declined,
    ));

    events.push(Component {
        uid: "0companyholiday@google.com".into(),
        lines: vec![
            "BEGIN:VEVENT".into(),
            format!("DTSTART;VALUE=DATE:{}", date(day(5))),
            format!("DTEND;VALUE=DATE:{}", date(day(6))),
            format!("DTSTAMP:{stamp}"),
            "UID:0companyholiday@google.com".into(),
            format!("CREATED:{created}"),
            format!("DESCRIPTION:{}", text("The office is closed; enjoy the day off.")),
            format!("LAST-MODIFIED:{stamp}"),
            "SEQUENCE:0".into(),
            "STATUS:CONFIRMED".into(),
            format!("SUMMARY:{}", text("Company holiday (office closed)")),
            "TRANSP:TRANSPARENT".into(),
            "END:VEVENT".into(),
        ],
    });

    events.push(Component {
        uid: "6tokyopartnersync@google.com".into(),
        lines: vec![
            "BEGIN:VEVENT".into(),
            format!("DTSTART;TZID=Asia/Tokyo:{}", local(day(6), 9, 0)),
            format!("DTEND;TZID=Asia/Tokyo:{}", local(day(6), 10, 0)),
            format!("DTSTAMP:{stamp}"),
            "ORGANIZER;CN=Kenji Sato:mailto:kenji.sato@partner.example".into(),
            "UID:6tokyopartnersync@google.com".into(),
            "X-GOOGLE-CONFERENCE:https://meet.google.com/tyo-pqrs-xyz".into(),
            format!("CREATED:{created}"),
            format!(
                "DESCRIPTION:{}",
                text(
                    "Early for Europe, morning in Tokyo.\n\nJoin with Google Meet: https://meet.google.com/tyo-pqrs-xyz"
                )
            ),
            format!("LAST-MODIFIED:{stamp}"),
            format!("LOCATION:{}", text("Tokyo office, 12F")),
            "SEQUENCE:0".into(),
            "STATUS:CONFIRMED".into(),
            "SUMMARY:Partner sync with the Tokyo office".into(),
            "TRANSP:OPAQUE".into(),
            "END:VEVENT".into(),
        ],
    });

    let offsite = [
        format!("DESCRIPTION:{}", text(OFFSITE_DESCRIPTION)),
        format!("LOCATION:{}", text("Café Müller, Limmatquai 42, 8001 Zürich; upstairs room")),
    ];
    events.push(simple(
        &stamp,
        "9offsiteplanning@google.com",
        (at(9, 13, 0), at(9, 16, 0)),
        "Offsite planning: agenda, venue; travel",
        &[("STATUS", "CONFIRMED")],
        &offsite,
    ));

    events.push(simple(
        &stamp,
        "10designreviewagency@google.com",
        (at(10, 15, 0), at(10, 16, 0)),
        "Design review with the agency",
        &[("STATUS", "CONFIRMED")],
        &[format!("LOCATION:{}", text(ZOOM))],
    ));

    events.push(simple(
        &stamp,
        "2onboardingretro@google.com",
        (at(-3, 13, 0), at(-3, 14, 0)),
        "Customer onboarding retro",
        &[("STATUS", "CONFIRMED")],
        &[
            format!("X-GOOGLE-CONFERENCE:{RETRO_MEET}"),
            format!("DESCRIPTION:{}", text(&google_meet_description("What went well, what to change.", RETRO_MEET))),
        ],
    ));

    (head, events)
}

const OFFSITE_DESCRIPTION: &str = "Agenda, venue and travel for the spring offsite; please read before we meet.\n\
    1. Agenda: strategy (morning), team sessions (afternoon); dinner at 19:00.\n\
    2. Venue: Café Müller, Zürich — the upstairs room, 40 seats, projector, \"quiet\" rules after 22:00.\n\
    3. Travel: book trains by Friday; flights only with approval, see C:\\Shared\\Offsite\\travel.xlsx.\n\
    Questions? Reply here, or ask Casey (design), Jordan (engineering) or Taylor (sales).";

/// The calendar's properties and the time zones its events name.
fn header() -> Vec<String> {
    let mut head: Vec<String> = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    head.push(format!("X-WR-CALNAME:{DEFAULT_USER}"));
    head.push(format!("X-WR-TIMEZONE:{BERLIN}"));
    // As Google writes Olson zones.
    head.extend(
        [
            "BEGIN:VTIMEZONE",
            "TZID:Europe/Berlin",
            "X-LIC-LOCATION:Europe/Berlin",
            "BEGIN:DAYLIGHT",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0200",
            "TZNAME:CEST",
            "DTSTART:19700329T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "END:DAYLIGHT",
            "BEGIN:STANDARD",
            "TZOFFSETFROM:+0200",
            "TZOFFSETTO:+0100",
            "TZNAME:CET",
            "DTSTART:19701025T030000",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            "END:STANDARD",
            "END:VTIMEZONE",
            "BEGIN:VTIMEZONE",
            "TZID:Asia/Tokyo",
            "X-LIC-LOCATION:Asia/Tokyo",
            "BEGIN:STANDARD",
            "TZOFFSETFROM:+0900",
            "TZOFFSETTO:+0900",
            "TZNAME:JST",
            "DTSTART:19700101T000000",
            "END:STANDARD",
            "END:VTIMEZONE",
            // As Outlook writes Windows zones: the name as TZID, rules from 1601.
            "BEGIN:VTIMEZONE",
            "TZID:Pacific Standard Time",
            "BEGIN:STANDARD",
            "DTSTART:16010101T020000",
            "TZOFFSETFROM:-0700",
            "TZOFFSETTO:-0800",
            "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11",
            "END:STANDARD",
            "BEGIN:DAYLIGHT",
            "DTSTART:16010101T020000",
            "TZOFFSETFROM:-0800",
            "TZOFFSETTO:-0700",
            "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3",
            "END:DAYLIGHT",
            "END:VTIMEZONE",
        ]
        .into_iter()
        .map(String::from),
    );
    head
}

fn byday(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// DTSTAMP, organizer, UID and the user's acceptance, in Google's order.
fn google_common(stamp: &str, uid: &str, organizer: &str, organizer_name: &str) -> Vec<String> {
    vec![
        format!("DTSTAMP:{stamp}"),
        format!("ORGANIZER;CN={organizer_name}:mailto:{organizer}"),
        format!("UID:{uid}"),
        format!(
            "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Alex Morgan;X-NUM-GUESTS=0:mailto:{DEFAULT_USER}"
        ),
        format!(
            "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN={organizer_name};X-NUM-GUESTS=0:mailto:{organizer}"
        ),
    ]
}

/// Google's description with its conference block (which it asks no one to edit).
fn google_meet_description(intro: &str, meet: &str) -> String {
    let rule = "-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-";
    format!(
        "{intro}\n\n{rule}\nJoin with Google Meet: {meet}\nOr dial: (DE) +49 30 300195061 PIN: 421337864#\n\
         More phone numbers: https://tel.meet/{code}?pin=4213378641234\n\n\
         Learn more about Meet at: https://support.google.com/a/users/answer/9282720\n\n\
         Please do not edit this section.\n{rule}",
        code = meet.rsplit('/').next().unwrap_or_default(),
    )
}

/// An event in UTC, in Google's property order; `extra` lines (attendees, description…) follow the UID.
fn simple(
    stamp: &str,
    uid: &str,
    (start, end): (String, String),
    summary: &str,
    props: &[(&str, &str)],
    extra: &[String],
) -> Component {
    let mut lines = vec!["BEGIN:VEVENT".to_string(), format!("DTSTART:{start}"), format!("DTEND:{end}")];
    lines.push(format!("DTSTAMP:{stamp}"));
    lines.push(format!("UID:{uid}"));
    lines.extend(extra.iter().cloned());
    lines.push(format!("LAST-MODIFIED:{stamp}"));
    lines.extend(props.iter().map(|(name, value)| format!("{name}:{value}")));
    lines.push(format!("SUMMARY:{}", text(summary)));
    lines.push("TRANSP:OPAQUE".into());
    lines.push("END:VEVENT".into());
    Component { uid: uid.into(), lines }
}

/// A Teams meeting as Outlook publishes it: Windows time zone, CDO properties, and the join link wrapped by
/// Defender's SafeLinks in both the plain and the HTML description.
fn outlook_teams(day: NaiveDate, stamp: &str) -> Component {
    let uid = "040000008200E00074C5B7101A82E00800000000B0F2D9A7C1E4DA010000000000000000100000009D2A4C8E1F3B64A4F9C0E7B5A3D2F1E0";
    let link = safelink(TEAMS);
    let plain = format!(
        "Quarterly numbers before the board pack goes out.\n\n{bar}\nMicrosoft Teams meeting\n\
         Join on your computer, mobile app or room device\nClick here to join the meeting<{link}>\n\
         Meeting ID: 245 871 369 104\nPasscode: Zx7Qp2\n\
         Download Teams<{download}> | Join on the web<{link}>\n{bar}\n",
        bar = "_".repeat(80),
        download = safelink("https://www.microsoft.com/en-us/microsoft-teams/download-app"),
    );
    let html = format!(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body>\
         <p>Quarterly numbers before the board pack goes out.</p><div><span>Microsoft Teams meeting</span></div>\
         <div><a href=\"{href}\" target=\"_blank\" rel=\"noreferrer noopener\">Click here to join the meeting</a>\
         </div><div>Meeting ID: 245 871 369 104 Passcode: Zx7Qp2</div></body></html>",
        href = link.replace('&', "&amp;"),
    );
    let zone = "\"Pacific Standard Time\"";
    let lines = vec![
        "BEGIN:VEVENT".to_string(),
        "ORGANIZER;CN=Taylor Fox:mailto:taylor.fox@example.com".into(),
        format!("ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Alex Morgan:mailto:{DEFAULT_USER}"),
        format!("DESCRIPTION;LANGUAGE=en-US:{}", text(&plain)),
        format!("UID:{uid}"),
        format!("SUMMARY;LANGUAGE=en-US:{}", text("Quarterly budget review")),
        format!("DTSTART;TZID={zone}:{}", local(day, 9, 0)),
        format!("DTEND;TZID={zone}:{}", local(day, 10, 0)),
        "CLASS:PUBLIC".into(),
        "PRIORITY:5".into(),
        format!("DTSTAMP:{stamp}"),
        "TRANSP:OPAQUE".into(),
        "STATUS:CONFIRMED".into(),
        "SEQUENCE:0".into(),
        format!("LOCATION;LANGUAGE=en-US:{}", text("Microsoft Teams Meeting")),
        "X-MICROSOFT-CDO-APPT-SEQUENCE:0".into(),
        "X-MICROSOFT-CDO-OWNERAPPTID:2121934012".into(),
        "X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE".into(),
        "X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY".into(),
        "X-MICROSOFT-CDO-ALLDAYEVENT:FALSE".into(),
        "X-MICROSOFT-CDO-IMPORTANCE:1".into(),
        "X-MICROSOFT-CDO-INSTTYPE:0".into(),
        "X-MICROSOFT-DONOTFORWARDMEETING:FALSE".into(),
        "X-MICROSOFT-DISALLOW-COUNTER:FALSE".into(),
        "X-MICROSOFT-REQUESTEDATTENDANCEMODE:DEFAULT".into(),
        "X-MICROSOFT-ISRESPONSEREQUESTED:TRUE".into(),
        format!("X-ALT-DESC;FMTTYPE=text/html:{}", text(&html)),
        "END:VEVENT".into(),
    ];
    Component { uid: uid.into(), lines }
}

/// `target` as Defender for Office 365 rewrites links in mail and invitations.
fn safelink(target: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(target.as_bytes()).collect();
    format!(
        "https://nam12.safelinks.protection.outlook.com/?url={encoded}&data=05%7C02%7Calex.morgan%40example.com\
         %7C5f1c2b7e9d3a4c6b8e0f08dd2c7a1b3e%7C72f988bf86f141af91ab2d7cd011db47%7C1%7C0%7C638712345678901234\
         %7CUnknown%7CTWFpbGZsb3d8eyJWIjoiMC4wLjAwMDAiLCJQIjoiV2luMzIiLCJBTiI6Ik1haWwiLCJXVCI6Mn0%3D%7C0%7C%7C%7C\
         &sdata=Qm9hcmRQYWNrUmV2aWV3U2FuZGJveExpbmsxMjM0NQ%3D%3D&reserved=0"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safelinks_wrap_the_whole_teams_address_percent_encoded() {
        let link = safelink(TEAMS);
        let parsed = url::Url::parse(&link).unwrap();
        let target = parsed.query_pairs().find(|(k, _)| k == "url").unwrap().1.into_owned();
        assert_eq!(target, TEAMS);
        assert!(link.contains("url=https%3A%2F%2Fteams.microsoft.com%2Fl%2Fmeetup-join%2F19%253ameeting_"));
    }

    #[test]
    fn the_series_and_its_exceptions_fall_on_its_weekday() {
        let now = DateTime::parse_from_rfc3339("2026-03-04T22:30:00Z").unwrap().to_utc();
        let (_, events) = work(now);
        let lines: Vec<&String> = events.iter().flat_map(|e| &e.lines).collect();
        assert!(lines.iter().any(|l| *l == "DTSTART;TZID=Europe/Berlin:20260205T100000"));
        assert!(lines.iter().any(|l| *l == "RRULE:FREQ=WEEKLY;BYDAY=TH"));
        assert!(lines.iter().any(|l| *l == "EXDATE;TZID=Europe/Berlin:20260312T100000"));
        assert!(lines.iter().any(|l| *l == "RECURRENCE-ID;TZID=Europe/Berlin:20260305T100000"));
        assert!(lines.iter().any(|l| *l == "DTSTART;TZID=Europe/Berlin:20260305T120000"));
    }
}
