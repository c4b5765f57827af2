//! iCalendar's text: content lines (`NAME;PARAM=value;PARAM="quoted: value":value`), unfolded, and the
//! `BEGIN`/`END` tree they make. Lenient by design: a line that cannot be read is skipped, a component left open
//! is dropped when its parent closes, and nothing in the text can make the reader recurse or panic.
//! (icalendar's own parser fails a whole feed on one bad line, recurses per `BEGIN` and unescapes only names it
//! knows in upper case; its `unfold` is used.)

/// One content line. Names (of the property and its parameters) are upper-cased; values are as written
/// (parameter values without their quotes).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Prop {
    pub name: String,
    pub params: Vec<(String, String)>,
    pub value: String,
}

impl Prop {
    /// A parameter's value, by name in upper case.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// A component (`VEVENT`, `VTIMEZONE`, `STANDARD`, …) with its properties and the components inside it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Comp {
    pub name: String,
    pub props: Vec<Prop>,
    pub children: Vec<Comp>,
}

impl Comp {
    pub fn prop(&self, name: &str) -> Option<&Prop> {
        self.props.iter().find(|p| p.name == name)
    }

    pub fn props<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Prop> + 'a {
        self.props.iter().filter(move |p| p.name == name)
    }
}

/// What a feed holds, as components.
#[derive(Debug, Default)]
pub(super) struct Document {
    /// Whether a `BEGIN:VCALENDAR` was seen at all.
    pub calendar: bool,
    /// The first calendar's own properties (`X-WR-CALNAME`).
    pub properties: Vec<Prop>,
    pub events: Vec<Comp>,
    pub zones: Vec<Comp>,
}

/// Deeper than a calendar's event's alarm is not iCalendar anyone writes.
const MAX_DEPTH: usize = 8;

/// Reads the components of `text` (CRLF or LF, folded or not).
pub(super) fn read(text: &str) -> Document {
    let text = icalendar::parser::unfold(text.trim_start_matches('\u{feff}'));
    let mut doc = Document::default();
    let mut open: Vec<Comp> = Vec::new();
    // `BEGIN`s past `MAX_DEPTH`, skipped with their `END`s.
    let mut ignored: usize = 0;
    // Only the first calendar's own properties are kept (a file may hold several calendars).
    let mut first_calendar_closed = false;
    for line in text.split('\n') {
        let Some(prop) = content_line(line.trim_end_matches('\r')) else { continue };
        if prop.name == "BEGIN" {
            if ignored > 0 {
                ignored = ignored.saturating_add(1);
                continue;
            }
            let name = prop.value.trim().to_ascii_uppercase();
            // The same component opened again inside itself: the first was never closed, so it is broken.
            if let Some(i) = open.iter().position(|c| c.name == name) {
                open.truncate(i);
            }
            if open.len() >= MAX_DEPTH {
                ignored = 1;
                continue;
            }
            doc.calendar |= name == "VCALENDAR";
            open.push(Comp { name, ..Comp::default() });
        } else if prop.name == "END" {
            if ignored > 0 {
                ignored = ignored.saturating_sub(1);
                continue;
            }
            let name = prop.value.trim().to_ascii_uppercase();
            // Components opened inside this one and never closed are dropped with it closing.
            let Some(i) = open.iter().rposition(|c| c.name == name) else { continue };
            open.truncate(i.saturating_add(1));
            let Some(done) = open.pop() else { continue };
            match done.name.as_str() {
                "VEVENT" => doc.events.push(done),
                "VTIMEZONE" => doc.zones.push(done),
                "VCALENDAR" => first_calendar_closed = true,
                _ => {
                    if let Some(parent) = open.last_mut() {
                        parent.children.push(done);
                    }
                }
            }
        } else if let Some(current) = open.last_mut() {
            if current.name != "VCALENDAR" {
                current.props.push(prop);
            } else if !first_calendar_closed {
                doc.properties.push(prop);
            }
        }
    }
    // A feed cut short keeps the events it finished; an event left open is dropped.
    doc
}

/// One unfolded line: `None` for a blank line or one that is not a content line.
fn content_line(line: &str) -> Option<Prop> {
    let line = line.trim_start();
    let name_end = line.find([';', ':'])?;
    let name = line.get(..name_end)?.trim();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.') {
        return None;
    }
    let mut params = Vec::new();
    let mut rest = line.get(name_end..)?;
    // `rest` starts at `;` (another parameter) or `:` (the value).
    while let Some(after) = rest.strip_prefix(';') {
        let key_end = after.find(['=', ';', ':'])?;
        let key = after.get(..key_end)?.trim().to_ascii_uppercase();
        rest = after.get(key_end..)?;
        let mut value = String::new();
        if let Some(mut v) = rest.strip_prefix('=') {
            // A value: quoted (may hold `;` `:` `,`) or bare, and for a list, several of them after commas.
            loop {
                if let Some(quoted) = v.strip_prefix('"') {
                    let close = quoted.find('"')?;
                    value.push_str(quoted.get(..close)?);
                    v = quoted.get(close.saturating_add(1)..)?;
                } else {
                    let end = v.find([',', ';', ':']).unwrap_or(v.len());
                    value.push_str(v.get(..end)?);
                    v = v.get(end..)?;
                }
                match v.strip_prefix(',') {
                    Some(next) => {
                        value.push(',');
                        v = next;
                    }
                    None => break,
                }
            }
            rest = v;
        }
        params.push((key, value));
    }
    let value = rest.strip_prefix(':')?;
    Some(Prop { name: name.to_ascii_uppercase(), params, value: value.to_string() })
}

/// A TEXT value with its escapes undone: `\,` `\;` `\\` `\n` `\N` (and a stray `\:` some writers add).
pub(super) fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prop(line: &str) -> Prop {
        content_line(line).unwrap()
    }

    #[test]
    fn content_lines_with_quoted_parameters_lists_and_any_case() {
        let p = prop("attendee;cn=\"Doe, Jane\";Partstat=DECLINED:mailto:jane@example.com");
        assert_eq!(p.name, "ATTENDEE");
        assert_eq!(p.param("CN"), Some("Doe, Jane"));
        assert_eq!(p.param("PARTSTAT"), Some("DECLINED"));
        assert_eq!(p.value, "mailto:jane@example.com");
        let p = prop("X-A;MEMBER=\"mailto:a@x\",\"mailto:b@x\";RSVP:v;w:x");
        assert_eq!(p.param("MEMBER"), Some("mailto:a@x,mailto:b@x"));
        assert_eq!(p.param("RSVP"), Some(""));
        assert_eq!(p.value, "v;w:x");
        assert_eq!(
            prop("DTSTART;TZID=\"W. Europe: Standard\":20270301T100000").param("TZID"),
            Some("W. Europe: Standard")
        );
        for bad in ["", "no colon", ":value", "A;B=\"open:value", "bad name:x", "A;B"] {
            assert_eq!(content_line(bad), None, "{bad}");
        }
    }

    #[test]
    fn unescaping() {
        assert_eq!(unescape(r"a\, b\; c\\n d\ne\Nf\:g\"), "a, b; c\\n d\ne\nf:g\\");
    }

    #[test]
    fn folds_of_every_kind_and_broken_components() {
        let text = "BEGIN:VCALENDAR\r\nX-WR-CALNAME:Wo\r\n rk\nBEGIN:VEVENT\nSUMMARY:a\n\tb\r\n\tc\nBEGIN:VEVENT\nUID:x\n\
                    END:VEVENT\nBEGIN:VEVENT\nBEGIN:VALARM\nEND:VEVENT\nEND:NOTOPEN\nBEGIN:VEVENT\nUID:open";
        let doc = read(text);
        assert!(doc.calendar);
        assert_eq!(doc.properties[0].value, "Work");
        // The first event was never closed; the second was; the third closed over its open alarm.
        assert_eq!(doc.events.len(), 2);
        assert_eq!(doc.events[0].prop("UID").unwrap().value, "x");
        assert!(doc.events[1].children.is_empty());
        let deep = "BEGIN:VCALENDAR\n".to_string() + &"BEGIN:X\nBEGIN:Y\n".repeat(100_000);
        assert!(read(&deep).events.is_empty());
        // Nested past the depth read, and closed again: what follows is read.
        let opened: String = (0..20).map(|i| format!("BEGIN:X{i}\n")).collect();
        let closed: String = (0..20).rev().map(|i| format!("END:X{i}\n")).collect();
        let deep = format!("BEGIN:VCALENDAR\n{opened}{closed}BEGIN:VEVENT\nUID:after\nEND:VEVENT\nEND:VCALENDAR\n");
        assert_eq!(read(&deep).events.len(), 1);
    }
}
