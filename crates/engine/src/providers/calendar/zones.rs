//! Time zones as feeds name them: IANA names, Windows names as Outlook writes them, and the feed's own
//! `VTIMEZONE` definitions. A feed's times are wall-clock times in one of these; [`Zone`] turns them into instants
//! and back, with the RFC 5545 rules for the hour that does not exist (moved forward by the gap) and the hour
//! that happens twice (the earlier one).

use std::str::FromStr as _;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDateTime, Offset as _, TimeZone as _, Utc};
use chrono_tz::Tz;

/// Where a wall-clock time is.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Zone {
    /// `…Z`.
    Utc,
    /// No zone: the user's own (RFC 5545 "floating" time).
    Floating,
    Iana(Tz),
    /// A `VTIMEZONE` that names no zone the app knows: its own transitions.
    Rules(Arc<Rules>),
}

impl Zone {
    /// The offset from UTC, in seconds, at the instant `utc`.
    fn offset_at(&self, utc: NaiveDateTime, local: Tz) -> i64 {
        let of = |tz: Tz| i64::from(tz.offset_from_utc_datetime(&utc).fix().local_minus_utc());
        match self {
            Zone::Utc => 0,
            Zone::Floating => of(local),
            Zone::Iana(tz) => of(*tz),
            Zone::Rules(rules) => rules.offset_at(utc),
        }
    }

    /// The instant of the wall-clock time `wall`: a time in a spring-forward gap moves forward by the gap, one in
    /// a fall-back overlap is the earlier instant. `None` only at the edges of what chrono represents.
    pub(super) fn instant(&self, wall: NaiveDateTime, local: Tz) -> Option<DateTime<Utc>> {
        let day = Duration::days(1);
        // The offsets a day either side cover the one transition that can touch `wall`.
        let before = self.offset_at(wall.checked_sub_signed(day)?, local);
        let after = self.offset_at(wall.checked_add_signed(day)?, local);
        let read = |offset: i64| wall.checked_sub_signed(Duration::seconds(offset));
        let valid =
            [before, after].into_iter().filter_map(|o| read(o).filter(|utc| self.offset_at(*utc, local) == o)).min();
        // Neither offset reads back: `wall` is in a gap. Read with the offset before it, which lands after it.
        valid.or_else(|| read(before)).map(|utc| utc.and_utc())
    }

    /// The wall-clock time at `instant`.
    pub(super) fn wall(&self, instant: DateTime<Utc>, local: Tz) -> Option<NaiveDateTime> {
        let utc = instant.naive_utc();
        utc.checked_add_signed(Duration::seconds(self.offset_at(utc, local)))
    }
}

/// A `VTIMEZONE`'s transitions, worked out once: when (UTC) each offset starts.
#[derive(Debug, PartialEq)]
pub(super) struct Rules {
    /// Before the first transition.
    initial: i64,
    /// Sorted by instant.
    transitions: Vec<(NaiveDateTime, i64)>,
}

/// One `STANDARD` or `DAYLIGHT` part of a `VTIMEZONE`.
pub(super) struct Observance<'a> {
    /// Its local onset (`DTSTART`), in the offset it changes from.
    pub start: NaiveDateTime,
    pub from: i64,
    pub to: i64,
    pub rrule: Option<&'a str>,
    /// Further onsets (`RDATE`), local like `start`.
    pub rdates: Vec<NaiveDateTime>,
}

/// Transitions are worked out to this year; later instants keep the last offset.
const LAST_YEAR: i32 = 2200;
/// Onsets read per zone: yearly from Outlook's 1601 to [`LAST_YEAR`] is 600 for each of its two parts.
const MAX_ONSETS: usize = 4_000;

impl Rules {
    /// `None` when no part gives an onset: such a zone says nothing.
    pub(super) fn new(observances: &[Observance]) -> Option<Rules> {
        let last = chrono::NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31)?.and_hms_opt(0, 0, 0)?;
        let mut onsets: Vec<(NaiveDateTime, i64, i64)> = Vec::new();
        let mut budget = MAX_ONSETS;
        for o in observances.iter().take(50) {
            let mut walls = vec![o.start];
            if let Some(rule) = o.rrule {
                let until = |u: &str| until_wall(u, |utc| utc.checked_add_signed(Duration::seconds(o.from)));
                walls.extend(super::rules::wall_clock(rule, o.start, &until, o.start, last, &mut budget));
            }
            walls.extend(o.rdates.iter().copied().take(MAX_ONSETS));
            onsets.extend(
                walls
                    .into_iter()
                    .filter_map(|w| Some((w.checked_sub_signed(Duration::seconds(o.from))?, o.from, o.to))),
            );
        }
        onsets.sort_by_key(|(utc, _, _)| *utc);
        onsets.dedup_by_key(|(utc, _, _)| *utc);
        let initial = onsets.first()?.1;
        Some(Rules { initial, transitions: onsets.into_iter().map(|(utc, _, to)| (utc, to)).collect() })
    }

    fn offset_at(&self, utc: NaiveDateTime) -> i64 {
        match self.transitions.partition_point(|(at, _)| *at <= utc).checked_sub(1) {
            Some(i) => self.transitions.get(i).map_or(self.initial, |(_, to)| *to),
            None => self.initial,
        }
    }
}

/// An `UNTIL` value as a wall-clock time: `…Z` through `wall_of` (the zone's), floating as written, a date as
/// the end of that day.
pub(super) fn until_wall(
    value: &str,
    wall_of: impl Fn(NaiveDateTime) -> Option<NaiveDateTime>,
) -> Option<NaiveDateTime> {
    let value = value.trim();
    if let Some(utc) = value.strip_suffix(['Z', 'z']) {
        return wall_of(NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S").ok()?);
    }
    if value.len() == 8 {
        return chrono::NaiveDate::parse_from_str(value, "%Y%m%d").ok()?.and_hms_opt(23, 59, 59);
    }
    NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").ok()
}

/// `+0100`, `-0500`, `+053000` as seconds east of UTC.
pub(super) fn offset(value: &str) -> Option<i64> {
    let value = value.trim();
    let (sign, digits) = match value.as_bytes().first()? {
        b'+' => (1, value.get(1..)?),
        b'-' => (-1, value.get(1..)?),
        _ => (1, value),
    };
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let field = |range: std::ops::Range<usize>| digits.get(range).and_then(|d| d.parse::<i64>().ok());
    let seconds = if digits.len() == 6 { field(4..6)? } else { 0 };
    let total = field(0..2)?.checked_mul(3600)?.checked_add(field(2..4)?.checked_mul(60)?)?.checked_add(seconds)?;
    // No zone is more than a day from UTC; more is garbage.
    (total < 86_400).then_some(total.checked_mul(sign)?)
}

/// The zone a `TZID` names, if the app knows it without the feed's help: an IANA name (also behind a prefix such
/// as `/mozilla.org/20050126_1/` or `tzone://Microsoft/`, and in any case), or a Windows name as Outlook writes.
pub(super) fn named(tzid: &str) -> Option<Tz> {
    let tzid = tzid.trim().trim_matches('"').trim();
    // No zone's name is long; a long one is not worth the search.
    if tzid.is_empty() || tzid.len() > 200 {
        return None;
    }
    // The whole name first, then what follows each of the last three `/` (`America/Argentina/Buenos_Aires`).
    let slashes: Vec<usize> = tzid.match_indices('/').map(|(i, _)| i).collect();
    let suffixes = slashes.iter().rev().take(3).rev().filter_map(|i| tzid.get(i.saturating_add(1)..));
    let candidates: Vec<&str> = std::iter::once(tzid).chain(suffixes).filter(|c| !c.is_empty()).collect();
    let exact = candidates.iter().find_map(|c| Tz::from_str(c).ok().or_else(|| windows(c)));
    exact.or_else(|| {
        candidates
            .iter()
            .find_map(|c| chrono_tz::TZ_VARIANTS.iter().copied().find(|tz| tz.name().eq_ignore_ascii_case(c)))
    })
}

/// A Windows zone name (any case) as the IANA zone CLDR's `windowsZones` maps it to for territory "001".
fn windows(name: &str) -> Option<Tz> {
    let iana = WINDOWS.iter().find(|(windows, _)| windows.eq_ignore_ascii_case(name))?.1;
    Tz::from_str(iana).ok()
}

/// CLDR `windowsZones.xml`, territory "001" (the zone each Windows name stands for).
const WINDOWS: &[(&str, &str)] = &[
    ("Dateline Standard Time", "Etc/GMT+12"),
    ("UTC-11", "Etc/GMT+11"),
    ("Aleutian Standard Time", "America/Adak"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("Marquesas Standard Time", "Pacific/Marquesas"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("UTC-09", "Etc/GMT+9"),
    ("Pacific Standard Time (Mexico)", "America/Tijuana"),
    ("UTC-08", "Etc/GMT+8"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Mountain Standard Time (Mexico)", "America/Mazatlan"),
    ("Mountain Standard Time", "America/Denver"),
    ("Yukon Standard Time", "America/Whitehorse"),
    ("Central America Standard Time", "America/Guatemala"),
    ("Central Standard Time", "America/Chicago"),
    ("Easter Island Standard Time", "Pacific/Easter"),
    ("Central Standard Time (Mexico)", "America/Mexico_City"),
    ("Canada Central Standard Time", "America/Regina"),
    ("SA Pacific Standard Time", "America/Bogota"),
    ("Eastern Standard Time (Mexico)", "America/Cancun"),
    ("Eastern Standard Time", "America/New_York"),
    ("Haiti Standard Time", "America/Port-au-Prince"),
    ("Cuba Standard Time", "America/Havana"),
    ("US Eastern Standard Time", "America/Indiana/Indianapolis"),
    ("Turks And Caicos Standard Time", "America/Grand_Turk"),
    ("Paraguay Standard Time", "America/Asuncion"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("Venezuela Standard Time", "America/Caracas"),
    ("Central Brazilian Standard Time", "America/Cuiaba"),
    ("SA Western Standard Time", "America/La_Paz"),
    ("Pacific SA Standard Time", "America/Santiago"),
    ("Newfoundland Standard Time", "America/St_Johns"),
    ("Tocantins Standard Time", "America/Araguaina"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("SA Eastern Standard Time", "America/Cayenne"),
    ("Argentina Standard Time", "America/Argentina/Buenos_Aires"),
    ("Greenland Standard Time", "America/Nuuk"),
    ("Montevideo Standard Time", "America/Montevideo"),
    ("Magallanes Standard Time", "America/Punta_Arenas"),
    ("Saint Pierre Standard Time", "America/Miquelon"),
    ("Bahia Standard Time", "America/Bahia"),
    ("UTC-02", "Etc/GMT+2"),
    ("Mid-Atlantic Standard Time", "Etc/GMT+2"),
    ("Azores Standard Time", "Atlantic/Azores"),
    ("Cape Verde Standard Time", "Atlantic/Cape_Verde"),
    ("UTC", "Etc/UTC"),
    ("Coordinated Universal Time", "Etc/UTC"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("Sao Tome Standard Time", "Africa/Sao_Tome"),
    ("Morocco Standard Time", "Africa/Casablanca"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("W. Central Africa Standard Time", "Africa/Lagos"),
    ("Jordan Standard Time", "Asia/Amman"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Middle East Standard Time", "Asia/Beirut"),
    ("Egypt Standard Time", "Africa/Cairo"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("Syria Standard Time", "Asia/Damascus"),
    ("West Bank Standard Time", "Asia/Hebron"),
    ("South Africa Standard Time", "Africa/Johannesburg"),
    ("FLE Standard Time", "Europe/Kyiv"),
    ("Israel Standard Time", "Asia/Jerusalem"),
    ("South Sudan Standard Time", "Africa/Juba"),
    ("Kaliningrad Standard Time", "Europe/Kaliningrad"),
    ("Sudan Standard Time", "Africa/Khartoum"),
    ("Libya Standard Time", "Africa/Tripoli"),
    ("Namibia Standard Time", "Africa/Windhoek"),
    ("Arabic Standard Time", "Asia/Baghdad"),
    ("Turkey Standard Time", "Europe/Istanbul"),
    ("Arab Standard Time", "Asia/Riyadh"),
    ("Belarus Standard Time", "Europe/Minsk"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("E. Africa Standard Time", "Africa/Nairobi"),
    ("Iran Standard Time", "Asia/Tehran"),
    ("Arabian Standard Time", "Asia/Dubai"),
    ("Astrakhan Standard Time", "Europe/Astrakhan"),
    ("Azerbaijan Standard Time", "Asia/Baku"),
    ("Russia Time Zone 3", "Europe/Samara"),
    ("Mauritius Standard Time", "Indian/Mauritius"),
    ("Saratov Standard Time", "Europe/Saratov"),
    ("Georgian Standard Time", "Asia/Tbilisi"),
    ("Volgograd Standard Time", "Europe/Volgograd"),
    ("Caucasus Standard Time", "Asia/Yerevan"),
    ("Afghanistan Standard Time", "Asia/Kabul"),
    ("West Asia Standard Time", "Asia/Tashkent"),
    ("Ekaterinburg Standard Time", "Asia/Yekaterinburg"),
    ("Pakistan Standard Time", "Asia/Karachi"),
    ("Qyzylorda Standard Time", "Asia/Qyzylorda"),
    ("India Standard Time", "Asia/Kolkata"),
    ("Sri Lanka Standard Time", "Asia/Colombo"),
    ("Nepal Standard Time", "Asia/Kathmandu"),
    ("Central Asia Standard Time", "Asia/Bishkek"),
    ("Bangladesh Standard Time", "Asia/Dhaka"),
    ("Omsk Standard Time", "Asia/Omsk"),
    ("Myanmar Standard Time", "Asia/Yangon"),
    ("SE Asia Standard Time", "Asia/Bangkok"),
    ("Altai Standard Time", "Asia/Barnaul"),
    ("W. Mongolia Standard Time", "Asia/Hovd"),
    ("North Asia Standard Time", "Asia/Krasnoyarsk"),
    ("N. Central Asia Standard Time", "Asia/Novosibirsk"),
    ("Tomsk Standard Time", "Asia/Tomsk"),
    ("China Standard Time", "Asia/Shanghai"),
    ("North Asia East Standard Time", "Asia/Irkutsk"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("W. Australia Standard Time", "Australia/Perth"),
    ("Taipei Standard Time", "Asia/Taipei"),
    ("Ulaanbaatar Standard Time", "Asia/Ulaanbaatar"),
    ("Aus Central W. Standard Time", "Australia/Eucla"),
    ("Transbaikal Standard Time", "Asia/Chita"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("North Korea Standard Time", "Asia/Pyongyang"),
    ("Korea Standard Time", "Asia/Seoul"),
    ("Yakutsk Standard Time", "Asia/Yakutsk"),
    ("Cen. Australia Standard Time", "Australia/Adelaide"),
    ("AUS Central Standard Time", "Australia/Darwin"),
    ("E. Australia Standard Time", "Australia/Brisbane"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("West Pacific Standard Time", "Pacific/Port_Moresby"),
    ("Tasmania Standard Time", "Australia/Hobart"),
    ("Vladivostok Standard Time", "Asia/Vladivostok"),
    ("Lord Howe Standard Time", "Australia/Lord_Howe"),
    ("Bougainville Standard Time", "Pacific/Bougainville"),
    ("Russia Time Zone 10", "Asia/Srednekolymsk"),
    ("Magadan Standard Time", "Asia/Magadan"),
    ("Norfolk Standard Time", "Pacific/Norfolk"),
    ("Sakhalin Standard Time", "Asia/Sakhalin"),
    ("Central Pacific Standard Time", "Pacific/Guadalcanal"),
    ("Russia Time Zone 11", "Asia/Kamchatka"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
    ("UTC+12", "Etc/GMT-12"),
    ("Fiji Standard Time", "Pacific/Fiji"),
    ("Chatham Islands Standard Time", "Pacific/Chatham"),
    ("UTC+13", "Etc/GMT-13"),
    ("Tonga Standard Time", "Pacific/Tongatapu"),
    ("Samoa Standard Time", "Pacific/Apia"),
    ("Line Islands Standard Time", "Pacific/Kiritimati"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn wall(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn utc(zone: &Zone, s: &str) -> String {
        zone.instant(wall(s), Tz::UTC).unwrap().format("%Y-%m-%d %H:%M").to_string()
    }

    /// Berlin's rules as Outlook writes them (1601 onsets, last Sunday of March and October).
    fn berlin_rules() -> Zone {
        let dst = "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3";
        let std = "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10";
        Zone::Rules(Arc::new(
            Rules::new(&[
                Observance { start: wall("1601-01-01 03:00"), from: 7200, to: 3600, rrule: Some(std), rdates: vec![] },
                Observance { start: wall("1601-01-01 02:00"), from: 3600, to: 7200, rrule: Some(dst), rdates: vec![] },
            ])
            .unwrap(),
        ))
    }

    #[test]
    fn every_windows_name_maps_to_a_zone_chrono_tz_knows() {
        for (windows_name, iana) in WINDOWS {
            assert_eq!(windows(windows_name).map(|tz| tz.name()), Some(*iana), "{windows_name}");
        }
    }

    #[test]
    fn tzids_resolve_by_iana_windows_and_prefixed_names_in_any_case() {
        let name = |tzid| named(tzid).map(|tz| tz.name().to_string());
        assert_eq!(name("Europe/Berlin").as_deref(), Some("Europe/Berlin"));
        assert_eq!(name("\"Europe/Berlin\"").as_deref(), Some("Europe/Berlin"));
        assert_eq!(name("W. Europe Standard Time").as_deref(), Some("Europe/Berlin"));
        assert_eq!(name("w. europe standard time").as_deref(), Some("Europe/Berlin"));
        assert_eq!(name("Pacific Standard Time").as_deref(), Some("America/Los_Angeles"));
        assert_eq!(name("India Standard Time").as_deref(), Some("Asia/Kolkata"));
        assert_eq!(name("AUS Eastern Standard Time").as_deref(), Some("Australia/Sydney"));
        assert_eq!(name("/mozilla.org/20050126_1/America/New_York").as_deref(), Some("America/New_York"));
        assert_eq!(name("/Europe/Paris").as_deref(), Some("Europe/Paris"));
        assert_eq!(name("/Microsoft/Romance Standard Time").as_deref(), Some("Europe/Paris"));
        assert_eq!(name("tzone://Microsoft/Utc").as_deref(), Some("Etc/UTC"));
        assert_eq!(name("europe/london").as_deref(), Some("Europe/London"));
        assert_eq!(name("Custom Berlin"), None);
        assert_eq!(name(""), None);
        assert_eq!(name("/"), None);
    }

    #[test]
    fn offsets_read_with_sign_and_seconds_and_refuse_garbage() {
        assert_eq!(offset("+0100"), Some(3600));
        assert_eq!(offset("-0530"), Some(-19_800));
        assert_eq!(offset("+053015"), Some(19_815));
        assert_eq!(offset("0200"), Some(7200));
        for bad in ["", "+", "+1", "+01:00", "+9999", "abcd", "+0é00"] {
            assert_eq!(offset(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_vtimezone_gives_the_same_instants_as_the_iana_zone_across_both_changes() {
        let rules = berlin_rules();
        let iana = Zone::Iana(chrono_tz::Europe::Berlin);
        for wall in [
            "2027-01-15 10:00",
            "2027-03-27 10:00",
            "2027-03-28 01:59",
            "2027-03-28 03:00",
            "2027-03-29 10:00",
            "2027-10-31 01:00",
            "2027-10-31 03:00",
            "2027-12-01 10:00",
            "2031-07-01 12:00",
        ] {
            assert_eq!(utc(&rules, wall), utc(&iana, wall), "{wall}");
        }
        assert_eq!(utc(&rules, "2027-07-01 10:00"), "2027-07-01 08:00");
        assert_eq!(utc(&rules, "2027-01-01 10:00"), "2027-01-01 09:00");
    }

    #[test]
    fn a_missing_hour_moves_forward_and_a_repeated_hour_is_the_earlier() {
        for zone in [berlin_rules(), Zone::Iana(chrono_tz::Europe::Berlin)] {
            // 02:30 on 28 March 2027 does not exist in Berlin: it is read as 03:30 CEST.
            assert_eq!(utc(&zone, "2027-03-28 02:30"), "2027-03-28 01:30");
            // 02:30 on 31 October 2027 happens twice: CEST first.
            assert_eq!(utc(&zone, "2027-10-31 02:30"), "2027-10-31 00:30");
            let back = zone.wall(zone.instant(wall("2027-10-31 02:30"), Tz::UTC).unwrap(), Tz::UTC).unwrap();
            assert_eq!(back, wall("2027-10-31 02:30"));
        }
        let floating = Zone::Floating;
        let ny = chrono_tz::America::New_York;
        let t = floating.instant(wall("2027-03-14 02:30"), ny).unwrap();
        assert_eq!(t.format("%H:%M").to_string(), "07:30", "03:30 EDT");
        assert_eq!(Zone::Utc.instant(wall("2027-03-14 02:30"), ny).unwrap().format("%H:%M").to_string(), "02:30");
    }

    #[test]
    fn until_reads_utc_floating_and_dates() {
        let plus_one = |t: NaiveDateTime| t.checked_add_signed(Duration::hours(1));
        assert_eq!(until_wall("20270301T090000Z", plus_one), Some(wall("2027-03-01 10:00")));
        assert_eq!(until_wall("20270301T090000", plus_one), Some(wall("2027-03-01 09:00")));
        assert_eq!(until_wall("20270301", plus_one), Some(wall("2027-03-01 23:59") + Duration::seconds(59)));
        assert_eq!(until_wall("garbage", plus_one), None);
    }
}
