//! Recurrence rules (`RRULE`) expanded by `rrule` in wall-clock time: the rule runs on the event's own clock
//! (carried as UTC, which has no DST), so a weekly 10:00 stays at 10:00 on both sides of a DST change; the caller
//! turns each wall-clock time into an instant in the event's zone. Bounded: every call spends from a budget of
//! steps, and a rule with no end is started near the window rather than at its first occurrence.

use chrono::{Duration, NaiveDateTime, TimeZone as _};
use rrule::{Frequency, RRule, RRuleSet, Unvalidated};

/// The parts `rrule` reads; anything else (an `X-` part, a typo) is dropped rather than failing the rule.
const PARTS: [&str; 14] = [
    "FREQ",
    "COUNT",
    "INTERVAL",
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYWEEKDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
];

/// The wall-clock starts the rule `rule` (an `RRULE` value) gives from `start`, those in `lower..=upper`, in
/// order; `start` itself only if the rule gives it. `until` reads the rule's `UNTIL` as a wall-clock time (the
/// caller knows the zone). Each start the rule gives, even one before `lower`, spends one unit of `budget`.
/// A rule that cannot be read gives nothing (the caller still has `DTSTART`).
pub(super) fn wall_clock(
    rule: &str,
    start: NaiveDateTime,
    until: &dyn Fn(&str) -> Option<NaiveDateTime>,
    lower: NaiveDateTime,
    upper: NaiveDateTime,
    budget: &mut usize,
) -> Vec<NaiveDateTime> {
    let mut kept: Vec<&str> = Vec::new();
    let mut end = None;
    // A rule has at most a dozen parts; more is garbage, and not worth a quadratic look for repeats.
    for part in rule.split(';').take(32) {
        let Some((key, value)) = part.split_once('=') else { continue };
        let key = key.trim();
        if key.eq_ignore_ascii_case("UNTIL") {
            end = end.or_else(|| until(value));
        } else if PARTS.iter().any(|p| p.eq_ignore_ascii_case(key))
            && !kept.iter().any(|k| k.split('=').next().is_some_and(|k| k.trim().eq_ignore_ascii_case(key)))
        {
            kept.push(part.trim());
        }
    }
    let Ok(mut parsed) = kept.join(";").parse::<RRule<Unvalidated>>() else { return Vec::new() };
    if let Some(end) = end {
        if end < start || end < lower {
            return Vec::new();
        }
        // Nothing past `upper` is wanted: an `UNTIL` in year 100000 is no further than that.
        parsed = parsed.until(rrule::Tz::UTC.from_utc_datetime(&end.min(upper)));
    }
    let from = if parsed.get_count().is_none() { near(&parsed, start, lower) } else { start };
    let carried = rrule::Tz::UTC.from_utc_datetime(&from);
    let Ok(valid) = parsed.validate(carried) else { return Vec::new() };
    // `limit`: rrule's own guard against a rule that never matches (it gives up after many empty rounds).
    let set = RRuleSet::new(carried).rrule(valid).limit();
    let mut starts = Vec::new();
    for t in &set {
        let Some(left) = budget.checked_sub(1) else { break };
        *budget = left;
        let t = t.naive_utc();
        if t > upper {
            break;
        }
        if t >= lower {
            starts.push(t);
        }
    }
    starts
}

/// Where to start a rule without `COUNT` so that it reaches `lower` quickly: `start` moved on by whole periods
/// (interval × day, week, hour, minute or second), which keeps every later occurrence where it was. A monthly or
/// yearly rule is left as it is (a few hundred steps over decades).
fn near(rule: &RRule<Unvalidated>, start: NaiveDateTime, lower: NaiveDateTime) -> NaiveDateTime {
    let unit: i64 = match rule.get_freq() {
        Frequency::Weekly => 604_800,
        Frequency::Daily => 86_400,
        Frequency::Hourly => 3_600,
        Frequency::Minutely => 60,
        Frequency::Secondly => 1,
        Frequency::Monthly | Frequency::Yearly => return start,
    };
    let Some(period) = unit.checked_mul(i64::from(rule.get_interval())).filter(|p| *p > 0) else { return start };
    let gap = lower.signed_duration_since(start).num_seconds();
    let periods = gap.checked_div(period).unwrap_or(0);
    if periods < 2 {
        return start;
    }
    // One period short, so that nothing at `lower` itself is missed.
    periods
        .checked_sub(1)
        .and_then(|n| n.checked_mul(period))
        .and_then(|s| start.checked_add_signed(Duration::seconds(s)))
        .unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y%m%dT%H%M").unwrap()
    }

    fn run(rule: &str, start: &str, lower: &str, upper: &str) -> (Vec<String>, usize) {
        let mut budget = 10_000;
        let until = |u: &str| NaiveDateTime::parse_from_str(u.trim_end_matches('Z'), "%Y%m%dT%H%M%S").ok();
        let starts = wall_clock(rule, t(start), &until, t(lower), t(upper), &mut budget);
        (starts.iter().map(|s| s.format("%Y%m%dT%H%M").to_string()).collect(), 10_000 - budget)
    }

    #[test]
    fn a_weekly_rule_keeps_its_wall_clock_time_and_starts_near_the_window() {
        let (starts, spent) = run("FREQ=WEEKLY;BYDAY=MO", "20000103T1000", "20270315T0000", "20270405T0000");
        assert_eq!(starts, ["20270315T1000", "20270322T1000", "20270329T1000"]);
        assert!(spent < 10, "started near the window, not in 2000: {spent} steps");
    }

    #[test]
    fn count_until_and_unknown_parts() {
        let (starts, _) = run("FREQ=DAILY;COUNT=3", "20270301T0900", "20270101T0000", "20280101T0000");
        assert_eq!(starts.len(), 3);
        let (starts, _) =
            run("freq=daily;until=20270303T090000Z;X-FOO=1", "20270301T0900", "20270101T0000", "20280101T0000");
        assert_eq!(starts, ["20270301T0900", "20270302T0900", "20270303T0900"]);
        assert!(run("FREQ=NEVER", "20270301T0900", "20270101T0000", "20280101T0000").0.is_empty());
        assert!(run("", "20270301T0900", "20270101T0000", "20280101T0000").0.is_empty());
    }

    #[test]
    fn rules_without_end_spend_at_most_the_budget() {
        let mut budget = 500;
        let never = |_: &str| None;
        let starts = wall_clock(
            "FREQ=SECONDLY",
            t("19700101T0000"),
            &never,
            t("20270101T0000"),
            t("20270201T0000"),
            &mut budget,
        );
        // Started one step before 2027: all but that step are in range.
        assert_eq!((starts.len(), budget), (499, 0));
        let mut budget = 500;
        let none = wall_clock(
            "FREQ=MINUTELY;BYMONTH=2",
            t("20270301T0000"),
            &never,
            t("20270301T0000"),
            t("20270401T0000"),
            &mut budget,
        );
        assert!(none.is_empty());
    }
}
