//! Fuzz targets for everything the engine reads from outside: a loopback callback's query and relayed fragment,
//! every provider's answers, error bodies and token answers, policy files and the settings file. Each is a bolero
//! property test: under `cargo test` it runs for a second on random inputs; `cargo xtask fuzz` runs each longer.
//! A failure prints the seed that reproduces it (`BOLERO_RANDOM_SEED`); its input becomes a regression test
//! below. The property is "never panics", plus what each reader promises.

use std::path::Path;

use chrono::Datelike as _;

/// Bytes shaped like JSON more often than pure noise: random bytes rarely get past the first brace.
fn jsonish(bytes: &[u8]) -> String {
    const PIECES: [&str; 16] = [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"Meetings\"",
        "\"Start\"",
        "\"2026-01-01T00:00:00Z\"",
        "null",
        "9999999999999999999",
        "-1",
        "\"+262143-12-31T23:59:59Z\"",
        "true",
        "\"x\"",
        "{\"Meeting\":{\"Id\":\"a\"}}",
    ];
    bytes
        .iter()
        .map(|b| if b & 0x80 != 0 { PIECES[usize::from(b & 0x0f)].to_string() } else { char::from(*b).to_string() })
        .collect()
}

fn answers(bytes: &[u8]) {
    for body in [bytes.to_vec(), jsonish(bytes).into_bytes()] {
        crate::providers::joinme::read_any_answer(&body);
        crate::providers::meetingbooster::read_any_answer(&body);
        crate::providers::joindin::read_any_answer(&body);
        let _ = crate::providers::errors::ErrorBody::parse(&body);
        let _ = crate::providers::TokenSet::from_body(&body);
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&body)
            && let Some(date) = crate::providers::lenient::datetime(&value)
        {
            assert!((1970..=9999).contains(&date.year()), "a date outside the sane window: {date}");
        }
    }
}

#[test]
fn fuzz_provider_answers() {
    bolero::check!().for_each(answers);
}

#[test]
fn fuzz_loopback_callback() {
    bolero::check!().for_each(|bytes: &[u8]| {
        // Whatever came, what is read back out encodes to a query that reads the same (no lost or made-up
        // parameter): the flow compares `state` and takes `code` from exactly this.
        let params = crate::auth::loopback::query_params(bytes);
        let encoded = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(&params).finish();
        assert_eq!(crate::auth::loopback::query_params(encoded.as_bytes()), params);
        let _ = crate::auth::loopback::relayed_params(bytes);
    });
}

#[test]
fn fuzz_policy_file() {
    bolero::check!().for_each(|bytes: &[u8]| {
        let mut policies = crate::settings::Policies::default();
        for text in [String::from_utf8_lossy(bytes).into_owned(), jsonish(bytes)] {
            policies.add_file(crate::settings::policy::Level::Managed, "fuzz.json", &text);
        }
        let _ = policies.in_force();
    });
}

#[test]
fn fuzz_settings_file() {
    bolero::check!().for_each(|bytes: &[u8]| {
        let _ = crate::settings::Settings::parse(&String::from_utf8_lossy(bytes), Path::new("settings.toml"));
    });
}

#[test]
fn fuzz_calendar_feed() {
    /// Bytes shaped like iCalendar more often than noise: content lines, zones, rules and dates at the edges.
    fn icsish(bytes: &[u8]) -> String {
        const PIECES: [&str; 32] = [
            "BEGIN:VCALENDAR\r\n",
            "BEGIN:VEVENT\r\n",
            "END:VEVENT\r\n",
            "BEGIN:VTIMEZONE\r\nTZID:Z\r\n",
            "BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n",
            "END:DAYLIGHT\r\nEND:VTIMEZONE\r\n",
            "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n",
            "UID:a\r\n",
            "DTSTART:20270301T090000Z\r\n",
            "DTSTART;TZID=Z:20270328T023000\r\n",
            "DTSTART;TZID=W. Europe Standard Time:20270301T100000\r\n",
            "DTSTART;VALUE=DATE:20270301\r\n",
            "DTEND:99991231T235959Z\r\n",
            "DTSTART:99991231T235959Z\r\n",
            "DURATION:P99999999W\r\n",
            "RRULE:FREQ=SECONDLY\r\n",
            "RRULE:FREQ=MINUTELY;BYSETPOS=-1;BYHOUR=1\r\n",
            "RRULE:FREQ=WEEKLY;INTERVAL=65535;UNTIL=99991231T000000Z\r\n",
            "RRULE:FREQ=MONTHLY;BYMONTHDAY=31;BYDAY=5FR;COUNT=9\r\n",
            "RRULE:FREQ=DAILY;BYWEEKNO=53;BYYEARDAY=-366\r\n",
            "RECURRENCE-ID:20270302T090000Z\r\n",
            "RDATE;VALUE=PERIOD:20270301T090000Z/PT1H,19691231\r\n",
            "EXDATE;VALUE=DATE:20270301\r\n",
            "STATUS:CANCELLED\r\n",
            "ATTENDEE;CN=\"a, b\";PARTSTAT=DECLINED:mailto:me@example.com\r\n",
            "DESCRIPTION:<a href=\"x\">y</a><br>&#99999999;\r\n",
            "X-ALT-DESC;FMTTYPE=text/html:<style>\r\n",
            "SUMMARY:\\",
            "\r\n ",
            ";",
            ":",
            "\"",
        ];
        bytes
            .iter()
            .map(|b| if b & 0x80 != 0 { PIECES[usize::from(b & 0x1f)].to_string() } else { char::from(*b).to_string() })
            .collect()
    }
    let me = ["me@example.com".to_string()];
    let from = chrono::DateTime::from_timestamp(1_803_000_000, 0).unwrap_or_default();
    bolero::check!().for_each(|bytes: &[u8]| {
        for text in [String::from_utf8_lossy(bytes).into_owned(), icsish(bytes)] {
            let Ok(feed) = crate::providers::calendar::ics::parse(&text) else { continue };
            // The app's window, and one at the edge of what can be written.
            for (from, to) in [
                (from, launcher_core::timefmt::later(from, chrono::Duration::days(67))),
                (chrono::DateTime::<chrono::Utc>::MIN_UTC, chrono::DateTime::<chrono::Utc>::MAX_UTC),
            ] {
                let found = feed.occurrences(from, to, &me, chrono_tz::Europe::Berlin);
                assert!(found.len() <= 5_000, "{} occurrences", found.len());
                assert!(found.windows(2).all(|w| (w[0].start, &w[0].id) <= (w[1].start, &w[1].id)), "not sorted");
                assert!(found.iter().all(|o| o.end >= o.start && o.start < to), "an occurrence out of the window");
            }
        }
    });
}

/// Inputs the fuzzers found, kept as regression tests.
#[test]
fn regressions() {
    // (none yet: add each crash input here with what it broke)
    answers(
        br#"{"Meetings":[{"Meeting":{"Id":"a","Start":"+262143-12-31T23:59:59Z","End":"+262143-12-31T23:59:59Z"}}]}"#,
    );
}
