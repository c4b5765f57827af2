//! Date-times as the services write them, and as people read them: local times and days, and the two
//! countdowns (to a meeting's start, to a token's expiry) that the tray, the reminders, the window and `status`
//! share.

// Dates and waits here come from servers: no arithmetic that can overflow or panic (checked or saturating).
#![cfg_attr(not(test), warn(clippy::arithmetic_side_effects))]

use chrono::{DateTime, Datelike, Local, NaiveDate, NaiveDateTime, SecondsFormat, Timelike, Utc, Weekday};

/// The ISO-8601 UTC form the services write (`2015-06-02T09:00:00Z`).
pub fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses an ISO-8601 date-time with `Z`, with an offset, or with neither (then UTC), or a bare date.
pub fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Some(t.and_utc());
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc())
}

/// `09:30` in the user's time zone.
/// `t` moved on by `d`, held at the last representable instant rather than overflowing: dates come from servers.
pub fn later(t: DateTime<Utc>, d: chrono::Duration) -> DateTime<Utc> {
    t.checked_add_signed(d).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// `t` moved back by `d`, held at the first representable instant rather than overflowing.
pub fn earlier(t: DateTime<Utc>, d: chrono::Duration) -> DateTime<Utc> {
    t.checked_sub_signed(d).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

pub fn local_time(t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&Local);
    if crate::i18n::current().hour12 {
        let (pm, hour) = local.hour12();
        let minute = format!("{:02}", local.minute());
        if pm {
            crate::t!("time-pm", hour = hour, minute = minute)
        } else {
            crate::t!("time-am", hour = hour, minute = minute)
        }
    } else {
        local.format("%H:%M").to_string()
    }
}

/// `Monday 23 November 2026` (`Montag, 23. November 2026`) in the user's time zone and language.
pub fn local_day(t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&Local);
    crate::t!(
        "date-long",
        weekday = weekday_name(local.weekday()),
        day = local.day(),
        month = month_name(local.month()),
        year = i64::from(local.year())
    )
}

/// `Monday 23 November 09:00` (`Montag, 23. November 09:00`): a day and time without the year, as a screen reader
/// reads which meeting a button is for.
pub fn local_day_time(t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&Local);
    crate::t!(
        "date-medium-time",
        weekday = weekday_name(local.weekday()),
        day = local.day(),
        month = month_name(local.month()),
        time = local_time(t)
    )
}

/// The user's offset from UTC as people write it: `UTC+01:00`, `UTC`.
pub fn local_zone(t: DateTime<Utc>) -> String {
    let offset = t.with_timezone(&Local).format("%:z").to_string();
    if offset == "+00:00" { "UTC".to_string() } else { format!("UTC{offset}") }
}

/// `Mon 23 Nov` (`Mo., 23. Nov.`): a short date for lists.
pub fn local_day_short(t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&Local);
    crate::t!(
        "date-short",
        weekday = weekday_short(local.weekday()),
        day = local.day(),
        month = month_short(local.month())
    )
}

fn weekday_name(day: Weekday) -> String {
    match day {
        Weekday::Mon => crate::t!("weekday-mon"),
        Weekday::Tue => crate::t!("weekday-tue"),
        Weekday::Wed => crate::t!("weekday-wed"),
        Weekday::Thu => crate::t!("weekday-thu"),
        Weekday::Fri => crate::t!("weekday-fri"),
        Weekday::Sat => crate::t!("weekday-sat"),
        Weekday::Sun => crate::t!("weekday-sun"),
    }
}

fn weekday_short(day: Weekday) -> String {
    match day {
        Weekday::Mon => crate::t!("weekday-short-mon"),
        Weekday::Tue => crate::t!("weekday-short-tue"),
        Weekday::Wed => crate::t!("weekday-short-wed"),
        Weekday::Thu => crate::t!("weekday-short-thu"),
        Weekday::Fri => crate::t!("weekday-short-fri"),
        Weekday::Sat => crate::t!("weekday-short-sat"),
        Weekday::Sun => crate::t!("weekday-short-sun"),
    }
}

fn month_name(month: u32) -> String {
    crate::i18n::tr("month-name", &[("month", crate::i18n::Arg::from(month))])
}

fn month_short(month: u32) -> String {
    crate::i18n::tr("month-short", &[("month", crate::i18n::Arg::from(month))])
}

/// Whole minutes until `start`, rounded up (a countdown says "in 1 min" until the start, then "now").
pub fn minutes_until(start: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    start.signed_duration_since(now).num_seconds().saturating_add(59).div_euclid(60)
}

/// To a meeting's start, in whole minutes rounded up: "in 12 min", "now", "in 3 h 5 min", "tomorrow 09:00"…
pub fn until_start(start: DateTime<Utc>, now: DateTime<Utc>) -> String {
    match minutes_until(start, now) {
        m if m <= 0 => crate::t!("countdown-now"),
        m if m < 60 => crate::t!("in-minutes", minutes = m),
        m if m < 12 * 60 => crate::t!("in-hours-minutes", hours = m / 60, minutes = m % 60),
        _ => {
            let local = start.with_timezone(&Local);
            let days = local.date_naive().signed_duration_since(now.with_timezone(&Local).date_naive()).num_days();
            match days {
                0 => crate::t!("today-at", time = local_time(start)),
                1 => crate::t!("tomorrow-at", time = local_time(start)),
                // "Mon 03 Nov 09:00": the day of the month in two digits, as the tray has always read.
                _ => {
                    let day = crate::t!(
                        "date-short",
                        weekday = weekday_short(local.weekday()),
                        day = format!("{:02}", local.day()),
                        month = month_short(local.month())
                    );
                    crate::t!("day-at", day = day, time = local_time(start))
                }
            }
        }
    }
}

/// Since a meeting's start, in whole minutes: "started just now", "started 3 min ago", "started 1 h 5 min ago".
pub fn since_start(start: DateTime<Utc>, now: DateTime<Utc>) -> String {
    match now.signed_duration_since(start).num_minutes() {
        m if m < 1 => crate::t!("started-just-now"),
        m if m < 60 => crate::t!("started-minutes-ago", minutes = m),
        m => crate::t!("started-hours-minutes-ago", hours = m / 60, minutes = m % 60),
    }
}

/// When [`until_start`] or [`since_start`] next reads differently: the next whole minute counted from `start`.
pub fn next_countdown_change(start: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    // In milliseconds: whole seconds would round a part-second away and land a repaint just short of the change.
    let into_minute = now.signed_duration_since(start).num_milliseconds().rem_euclid(60_000);
    later(now, chrono::Duration::milliseconds(60_000_i64.saturating_sub(into_minute)))
}

/// A day heading: "Today, Monday 23 November 2026", "Tomorrow, …", or the date alone.
pub fn day_heading(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let day = t.with_timezone(&Local).date_naive();
    let today = now.with_timezone(&Local).date_naive();
    match day.signed_duration_since(today).num_days() {
        0 => crate::t!("heading-today", date = local_day(t)),
        1 => crate::t!("heading-tomorrow", date = local_day(t)),
        _ => local_day(t),
    }
}

/// To an expiry, to the second when it is near: "in 3 h 12 min", "in 4 min 10 s", "in 42 s", "expired".
pub fn until_expiry(until: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let left = until.signed_duration_since(now);
    if left <= chrono::Duration::zero() {
        return crate::t!("expired");
    }
    let (h, m, s) = (left.num_hours(), left.num_minutes() % 60, left.num_seconds() % 60);
    if h > 0 {
        crate::t!("in-hours-minutes", hours = h, minutes = m)
    } else if m > 0 {
        crate::t!("in-minutes-seconds", minutes = m, seconds = s)
    } else {
        crate::t!("in-seconds", seconds = s)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    #[test]
    fn the_start_countdown_rounds_up_to_the_minute_and_says_now_once_started() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        assert_eq!(until_start(now + Duration::seconds(30), now), "in 1 min");
        assert_eq!(until_start(now + Duration::minutes(12), now), "in 12 min");
        assert_eq!(until_start(now + Duration::minutes(125), now), "in 2 h 5 min");
        assert_eq!(until_start(now - Duration::minutes(3), now), "now");
        // Days ahead (the suite runs with TZ=UTC): the day of the month in two digits.
        let later = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap();
        assert_eq!(until_start(later, now), "Thu 03 Dec 09:00");
        let _german = crate::i18n::for_this_thread(crate::i18n::Locale::from_system("de_DE"));
        assert_eq!(until_start(later, now), "Do., 03. Dez. 09:00");
    }

    #[test]
    fn the_time_since_a_start_counts_whole_minutes_and_changes_on_the_minute() {
        let start = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        assert_eq!(since_start(start, start + Duration::seconds(59)), "started just now");
        assert_eq!(since_start(start, start + Duration::seconds(3 * 60 + 30)), "started 3 min ago");
        assert_eq!(since_start(start, start + Duration::minutes(65)), "started 1 h 5 min ago");
        // Before the start, "in 12 min" turns to "in 11 min" when 11 whole minutes are left; after it, the
        // minutes since the start tick over.
        let before = start - Duration::seconds(11 * 60 + 20);
        assert_eq!(next_countdown_change(start, before), start - Duration::minutes(11));
        assert_eq!(until_start(start, next_countdown_change(start, before)), "in 11 min");
        assert_eq!(until_start(start, next_countdown_change(start, before) - Duration::seconds(1)), "in 12 min");
        let after = start + Duration::seconds(3 * 60 + 30);
        assert_eq!(next_countdown_change(start, after), start + Duration::minutes(4));
        assert_eq!(next_countdown_change(start, start), start + Duration::minutes(1));
        // A part-second short of a minute's turn: the change is at the turn, not a minute after it.
        let just_before = start - Duration::milliseconds(400);
        assert_eq!(next_countdown_change(start, just_before), start);
    }

    #[test]
    fn the_expiry_countdown_reads_naturally() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        assert_eq!(until_expiry(now - Duration::seconds(1), now), "expired");
        assert_eq!(until_expiry(now + Duration::seconds(42), now), "in 42 s");
        assert_eq!(until_expiry(now + Duration::seconds(250), now), "in 4 min 10 s");
        assert_eq!(until_expiry(now + Duration::seconds(3 * 3600 + 12 * 60), now), "in 3 h 12 min");
    }

    #[test]
    fn datetimes_with_and_without_zone() {
        let z = parse_datetime("2015-06-02T09:00:00Z").unwrap();
        assert_eq!(parse_datetime("2015-06-02T11:00:00+02:00").unwrap(), z);
        assert_eq!(parse_datetime("2015-06-02T09:00:00").unwrap(), z);
        assert_eq!(iso(z), "2015-06-02T09:00:00Z");
        assert!(parse_datetime("next tuesday").is_none());
    }

    /// Any text as a date: a date or nothing, never a panic (`cargo xtask fuzz`).
    #[test]
    fn fuzz_parse_datetime() {
        bolero::check!().for_each(|bytes: &[u8]| {
            let _ = parse_datetime(&String::from_utf8_lossy(bytes));
        });
    }
}
