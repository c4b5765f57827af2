//! Event descriptions written in HTML (Outlook's `X-ALT-DESC`, or a `DESCRIPTION` holding markup) as plain text:
//! tags out, line breaks where blocks end, entities decoded, and each link's address kept next to its text,
//! because Outlook puts the Teams join link (often wrapped in SafeLinks) only in the `href`.

/// Whether a description is HTML rather than text that mentions a `<`.
pub(super) fn looks_like_html(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["<br", "<p>", "<p ", "</p>", "<a href", "<a ", "<html", "<div", "<span", "<b>", "<ul", "<li>", "<table"]
        .iter()
        .any(|tag| lower.contains(tag))
}

/// Elements whose content is not text to read.
const HIDDEN: [&str; 4] = ["style", "script", "head", "title"];
/// Elements that start and end on their own lines.
const BLOCKS: [&str; 16] =
    ["p", "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "body"];

/// `html` as plain text.
pub(super) fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    // Open links: their address and where their text starts in `out`.
    let mut links: Vec<(String, usize)> = Vec::new();
    // Hidden elements already seen never to close: not searched for again (that would be quadratic).
    let mut unclosed: Vec<String> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            text(rest, &mut out);
            break;
        };
        text(rest.get(..lt).unwrap_or_default(), &mut out);
        rest = rest.get(lt..).unwrap_or_default();
        if rest.starts_with("<!--") {
            rest = rest.find("-->").and_then(|end| rest.get(end.saturating_add(3)..)).unwrap_or_default();
            continue;
        }
        let Some(gt) = rest.find('>') else {
            // A `<` that opens no tag is text.
            text(rest, &mut out);
            break;
        };
        let inner = rest.get(1..gt).unwrap_or_default();
        rest = rest.get(gt.saturating_add(1)..).unwrap_or_default();
        let closing = inner.starts_with('/');
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !closing && HIDDEN.contains(&name.as_str()) && !inner.ends_with('/') {
            let end = if unclosed.contains(&name) { None } else { find_ignoring_case(rest, &format!("</{name}")) };
            if end.is_none() && !unclosed.contains(&name) {
                unclosed.push(name.clone());
            }
            match end {
                Some(end) => {
                    let after = rest.get(end..).unwrap_or_default();
                    rest = after.find('>').and_then(|gt| after.get(gt.saturating_add(1)..)).unwrap_or_default();
                }
                // An unclosed `<head>` is ignored; an unclosed style or script hides the rest.
                None if name == "head" => {}
                None => rest = "",
            }
            continue;
        }
        match name.as_str() {
            "br" => out.push('\n'),
            "a" if !closing && links.len() < 64 => links.push((href(inner).unwrap_or_default(), out.len())),
            // Links nested deeper than that are not links anyone reads.
            "a" if !closing => {}
            "a" => {
                let Some((address, from)) = links.pop() else { continue };
                let shown = out.get(from..).unwrap_or_default().trim().to_string();
                let kept = !address.is_empty()
                    && !address.starts_with('#')
                    && !address.to_ascii_lowercase().starts_with("mailto:")
                    && !address.to_ascii_lowercase().starts_with("javascript:")
                    && !shown.contains(address.as_str());
                if kept {
                    if !shown.is_empty() {
                        out.push(' ');
                    }
                    out.push('<');
                    out.push_str(&address);
                    out.push('>');
                }
            }
            // A block starts a line (`<br>` alone makes blank lines).
            block if BLOCKS.contains(&block) && !out.ends_with('\n') => out.push('\n'),
            _ => {}
        }
    }
    tidy(&out)
}

/// Where `needle` (ASCII) first occurs in `haystack`, in any case.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

/// A text run: entities decoded, white space collapsed as a browser does.
fn text(run: &str, out: &mut String) {
    for c in decode(run).chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !out.ends_with([' ', '\n']) && !out.is_empty() {
                out.push(' ');
            }
        } else if c == '\u{a0}' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
}

/// Lines trimmed, at most one blank line in a row, none at either end.
fn tidy(text: &str) -> String {
    let mut lines: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// The `href` of an `<a …>` tag's inside, decoded.
fn href(tag: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut search = 0;
    while let Some(found) = lower.get(search..)?.find("href") {
        let at = search.saturating_add(found);
        search = at.saturating_add(4);
        // `data-href` or `hreflang` are not it.
        let before = lower.get(..at)?.chars().next_back();
        if before.is_some_and(|c| !c.is_whitespace()) {
            continue;
        }
        let Some(value) = tag.get(search..)?.trim_start().strip_prefix('=') else { continue };
        let value = value.trim_start();
        let raw = match value.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let inside = value.get(1..)?;
                inside.get(..inside.find(quote).unwrap_or(inside.len()))?
            }
            _ => value.get(..value.find(char::is_whitespace).unwrap_or(value.len()))?,
        };
        return Some(decode(raw.trim()));
    }
    None
}

/// HTML entities decoded: the named ones descriptions use and every numeric one; others stay as written.
fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or_default());
        rest = rest.get(amp..).unwrap_or_default();
        // Only a short name is looked for: a search to the end for each `&` would make a text of many `&`s and
        // no `;` cost time by the square of its length.
        let entity = rest.get(1..).and_then(|r| {
            let end = r.char_indices().take(11).find(|(_, c)| *c == ';').map(|(i, _)| i)?;
            r.get(..end)
        });
        let decoded = entity.and_then(|name| match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => {
                let number = name.strip_prefix('#')?;
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => number.parse::<u32>().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (entity, decoded) {
            (Some(name), Some(c)) => {
                out.push(c);
                rest = rest.get(name.len().saturating_add(2)..).unwrap_or_default();
            }
            _ => {
                out.push('&');
                rest = rest.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_of_ampersands_without_semicolons_is_read_in_one_pass() {
        // Before the bounded search, each `&` searched to the end: a megabyte took minutes.
        let text = "&".repeat(1 << 20);
        assert_eq!(decode(&text), text);
        assert_eq!(decode("a &amp b &amp; c &#x41; &toolongtobeanentity;"), "a &amp b & c A &toolongtobeanentity;");
    }

    #[test]
    fn outlook_html_keeps_the_safelinks_teams_address_and_drops_styles() {
        let html = "<html><head><meta charset=\"utf-8\"><style>p { color: red }</style></head><body>\
            <div>Hello&nbsp;team,</div><p>Agenda &amp; notes:<br>1 &lt;draft&gt; &#39;ok&#39; &#x263A;</p>\
            <a href=\"https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fteams.microsoft.com%2Fl%2Fmeetup-join%2F19%253ameeting&amp;data=05\">\
            Join the meeting now</a><!-- a comment --><p><a href='https://example.com/x'>https://example.com/x</a> \
            <a href=\"mailto:a@example.com\">a@example.com</a></p></body></html>";
        assert_eq!(
            to_text(html),
            "Hello team,\nAgenda & notes:\n1 <draft> 'ok' ☺\n\
             Join the meeting now <https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fteams.microsoft.com%2Fl%2Fmeetup-join%2F19%253ameeting&data=05>\n\
             https://example.com/x a@example.com"
        );
    }

    #[test]
    fn detection_and_odd_markup() {
        assert!(looks_like_html("Line<br>next"));
        assert!(looks_like_html("<A HREF=\"x\">y</A>"));
        assert!(!looks_like_html("a < b and c > d"));
        assert_eq!(to_text("a < b"), "a < b");
        assert_eq!(to_text("<a data-href=x hreflang=en href=https://x.example/>go</a>"), "go <https://x.example/>");
        assert_eq!(to_text("<a>empty</a><style>x"), "empty");
        assert_eq!(to_text("&bogus; &#xZZ; &amp"), "&bogus; &#xZZ; &amp");
        assert_eq!(to_text("<p></p><p>x</p>\n\n<p></p>"), "x");
    }
}
