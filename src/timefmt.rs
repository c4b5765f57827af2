//! Date-times as the services write them, and as they read.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, SecondsFormat, Utc};

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
pub fn local_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%H:%M").to_string()
}

/// `Monday 23 November 2026` in the user's time zone.
pub fn local_day(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%A %-d %B %Y").to_string()
}

/// Whole minutes until `start`, rounded up (a countdown says "in 1 min" until the start, then "now").
pub fn minutes_until(start: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    ((start - now).num_seconds() + 59).div_euclid(60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_with_and_without_zone() {
        let z = parse_datetime("2015-06-02T09:00:00Z").unwrap();
        assert_eq!(parse_datetime("2015-06-02T11:00:00+02:00").unwrap(), z);
        assert_eq!(parse_datetime("2015-06-02T09:00:00").unwrap(), z);
        assert_eq!(iso(z), "2015-06-02T09:00:00Z");
        assert!(parse_datetime("next tuesday").is_none());
    }
}
