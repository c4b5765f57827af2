//! Writing iCalendar (RFC 5545) the way real servers do: TEXT values escaped, CRLF line endings, and content
//! lines folded at 75 octets with CRLF and a space, never inside a UTF-8 character.

use chrono::{DateTime, NaiveDate, Utc};

/// The longest physical line, in octets, without its CRLF (RFC 5545 §3.1).
pub const FOLD_AT: usize = 75;

/// One component of a feed (a `VEVENT`, or an override sharing its series' UID), as unfolded content lines
/// from `BEGIN:` to `END:`. Kept by UID so that operators can remove it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub uid: String,
    pub lines: Vec<String>,
}

/// A TEXT value: backslash, semicolon, comma and newline escaped; CR and other control characters dropped
/// (they may not appear in a content line).
pub fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for ch in value.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A UTC DATE-TIME, `20260112T090000Z`.
pub fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A floating local DATE-TIME (to follow a `TZID` parameter), `20260112T100000`.
pub fn local(day: NaiveDate, hour: u32, minute: u32) -> String {
    format!("{}T{hour:02}{minute:02}00", date(day))
}

/// A DATE, `20260112`.
pub fn date(day: NaiveDate) -> String {
    day.format("%Y%m%d").to_string()
}

/// Appends one content line, folded, with its CRLF.
pub fn fold_into(line: &str, out: &mut String) {
    let mut width = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if width + len > FOLD_AT {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out.push_str("\r\n");
}

/// A whole calendar: the header lines (properties and time zones), the components, then `END:VCALENDAR`.
pub fn render(head: &[String], components: &[Component]) -> String {
    let mut out = String::new();
    let lines = head.iter().chain(components.iter().flat_map(|c| c.lines.iter()));
    for line in lines {
        fold_into(line, &mut out);
    }
    fold_into("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_what_rfc_5545_asks() {
        assert_eq!(text("a, b; c\\d\r\ne"), "a\\, b\\; c\\\\d\\ne");
    }

    #[test]
    fn folding_keeps_lines_within_75_octets_and_characters_whole() {
        let line = format!("DESCRIPTION:{}", "Zürich café — ".repeat(20));
        let mut out = String::new();
        fold_into(&line, &mut out);
        assert!(out.ends_with("\r\n"));
        let physical: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(physical.len() > 1);
        assert!(physical.iter().all(|l| l.len() <= FOLD_AT), "{physical:?}");
        assert!(physical[1..].iter().all(|l| l.starts_with(' ')));
        let unfolded: String = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }
}
