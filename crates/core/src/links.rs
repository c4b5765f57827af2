//! Meeting links in free text (event locations, descriptions, HTML bodies): one table of services, a fixed list of
//! redirect wrappers to unwrap, and a ranking that puts a known service before any other web page. Only http(s)
//! links come out, because the app hands them to the system browser.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

use linkify::{LinkFinder, LinkKind};
use serde::{Deserialize, Serialize};
use url::Url;
use {Host::*, Seg::*, Service::*};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Service {
    Joinme,
    Zoom,
    GoogleMeet,
    Teams,
    Webex,
    GoToMeeting,
    Jitsi,
    Whereby,
    Skype,
    BlueJeans,
    Chime,
    /// Any other https address: ranked last.
    Other,
}

impl Service {
    /// The name users know the service by.
    pub fn name(&self) -> &'static str {
        match self {
            Service::Joinme => "join.me",
            Service::Zoom => "Zoom",
            Service::GoogleMeet => "Google Meet",
            Service::Teams => "Microsoft Teams",
            Service::Webex => "Webex",
            Service::GoToMeeting => "GoTo Meeting",
            Service::Jitsi => "Jitsi Meet",
            Service::Whereby => "Whereby",
            Service::Skype => "Skype",
            Service::BlueJeans => "BlueJeans",
            Service::Chime => "Amazon Chime",
            Service::Other => "Web link",
        }
    }

    /// Whether this is a service from the table rather than any web page.
    pub fn is_known(&self) -> bool {
        *self != Service::Other
    }
}

/// A link to join a meeting, ready to hand to the system browser (http or https only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingLink {
    pub service: Service,
    pub url: String,
}

/// Host names, each list space-separated.
enum Host {
    Is(&'static str),
    /// The domain itself or any subdomain.
    Under(&'static str),
    /// A subdomain only (a Webex site), never the bare domain.
    Sub(&'static str),
}

/// One path segment of a rule; segments after the rule's last are free.
enum Seg {
    Lit(&'static str),
    /// Space-separated alternatives.
    OneOf(&'static str),
    Any,
    /// A room or user name: not empty and not one of the service's own pages ([`NOT_ROOMS`]).
    Room,
    Digits,
    /// Google Meet's `abc-defg-hij`: lowercase letters in dash-separated groups.
    MeetCode,
}

struct Rule {
    service: Service,
    host: Host,
    path: &'static [Seg],
    /// A query key the link must carry.
    query: Option<&'static str>,
}

const fn rule(service: Service, host: Host, path: &'static [Seg]) -> Rule {
    Rule { service, host, path, query: None }
}

const ZOOM: &str = "zoom.us zoom.com zoom.de zoom.com.cn zoom-x.us zoom-x.com zoom-x.de zoom-x.com.cn zoomgov.com";
const TEAMS: &str = "teams.microsoft.com teams.live.com teams.microsoft.us gov.teams.microsoft.us";
/// The services' own pages, which a room-name rule would otherwise take for a meeting.
const NOT_ROOMS: &str = "about account blog contact download downloads faq features help information landing legal \
                         login new pricing privacy products register settings signin signup support terms user";

const RULES: &[Rule] = &[
    rule(Joinme, Is("join.me www.join.me"), &[Room]),
    rule(Zoom, Under(ZOOM), &[OneOf("j my w s wc webinar"), Any]),
    rule(GoogleMeet, Is("meet.google.com"), &[MeetCode]),
    rule(GoogleMeet, Is("meet.google.com"), &[Lit("_meet"), MeetCode]),
    rule(Teams, Is(TEAMS), &[Lit("l"), Lit("meetup-join"), Any]),
    rule(Teams, Is(TEAMS), &[Lit("meet"), Digits]),
    rule(Webex, Sub("webex.com"), &[OneOf("meet join"), Any]),
    Rule { service: Webex, host: Sub("webex.com"), path: &[Any, Lit("j.php")], query: Some("MTID") },
    rule(GoToMeeting, Under("gotomeeting.com"), &[Lit("join"), Any]),
    rule(GoToMeeting, Is("meet.goto.com gotomeet.me"), &[Room]),
    rule(Jitsi, Is("meet.jit.si 8x8.vc"), &[Room]),
    rule(Whereby, Under("whereby.com"), &[Room]),
    rule(Skype, Is("join.skype.com meet.lync.com"), &[Room]),
    rule(BlueJeans, Under("bluejeans.com"), &[Room]),
    rule(Chime, Under("chime.aws"), &[Digits]),
];

fn is_under(host: &str, domain: &str, strict: bool) -> bool {
    host.strip_suffix(domain).is_some_and(|rest| (rest.is_empty() && !strict) || rest.ends_with('.'))
}

fn one_of(list: &str, word: &str) -> bool {
    list.split_whitespace().any(|item| item.eq_ignore_ascii_case(word))
}

impl Host {
    fn matches(&self, host: &str) -> bool {
        match self {
            Is(hosts) => hosts.split(' ').any(|h| h == host),
            Under(domains) => domains.split(' ').any(|d| is_under(host, d, false)),
            Sub(domains) => domains.split(' ').any(|d| is_under(host, d, true)),
        }
    }

    /// The host belongs to the service, meeting or not (`www.webex.com` is Webex's, though no site).
    fn owns(&self, host: &str) -> bool {
        match self {
            Sub(domains) => Under(domains).matches(host),
            _ => self.matches(host),
        }
    }
}

impl Seg {
    fn matches(&self, seg: &str) -> bool {
        let not_empty = !seg.is_empty();
        match self {
            Lit(lit) => seg.eq_ignore_ascii_case(lit),
            OneOf(lits) => one_of(lits, seg),
            Any => not_empty,
            Room => not_empty && !one_of(NOT_ROOMS, seg),
            Digits => not_empty && seg.bytes().all(|b| b.is_ascii_digit()),
            MeetCode => {
                seg.contains('-') && seg.split('-').all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_lowercase()))
            }
        }
    }
}

impl Rule {
    fn matches(&self, url: &Url, host: &str) -> bool {
        let Some(mut segs) = url.path_segments() else { return false };
        self.host.matches(host)
            && self.path.iter().all(|want| segs.next().is_some_and(|seg| want.matches(seg)))
            && self.query.is_none_or(|key| url.query_pairs().any(|(k, _)| k.eq_ignore_ascii_case(key)))
    }
}

/// The service of one URL as it stands (no unwrapping): `None` when the browser should not get it (not http(s),
/// http on an unknown host, credentials in the URL, or a known service's page that is not a meeting).
pub fn classify(url: &Url) -> Option<Service> {
    let https = url.scheme() == "https";
    if !https && url.scheme() != "http" {
        return None;
    }
    // `https://zoom.us@evil.example/` tricks: a link with credentials is never offered.
    if !url.username().is_empty() || url.password().is_some() {
        return None;
    }
    let host = url.host_str()?.trim_end_matches('.');
    if let Some(rule) = RULES.iter().find(|rule| rule.matches(url, host)) {
        return Some(rule.service);
    }
    // A service's home, download or help page is not a meeting, nor worth offering as a web link.
    let service_page = RULES.iter().any(|rule| rule.host.owns(host));
    (https && !service_page).then_some(Other)
}

/// Unwrapping stops here: real invites nest two or three wrappers at most.
const MAX_UNWRAP: usize = 8;

enum Step {
    Plain,
    Inner(Url),
    Bad,
}

fn query_value(url: &Url, key: &str) -> Option<String> {
    url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
}

/// One pass over the fixed wrapper list; never a generic `?url=`, which would be an open redirect.
fn unwrap_once(url: &Url) -> Step {
    let host = url.host_str().unwrap_or_default();
    let inner = if Under("safelinks.protection.outlook.com").matches(host) {
        query_value(url, "url")
    } else if (host == "google.com" || host == "www.google.com") && url.path() == "/url" {
        query_value(url, "q")
    } else if host == "teams.microsoft.com" && url.path() == "/dl/launcher/launcher.html" {
        // The target is a path of the web app (`/_#/l/meetup-join/...`), not a URL.
        query_value(url, "url").and_then(|path| {
            let path = path.strip_prefix("/_#").unwrap_or(&path).to_owned();
            path.starts_with('/').then(|| format!("https://teams.microsoft.com{path}"))
        })
    } else {
        return Step::Plain;
    };
    // U+FFFD means the `%` escapes were not UTF-8: garbage, not a link.
    match inner.filter(|s| !s.contains('\u{FFFD}')).and_then(|s| Url::parse(&s).ok()) {
        Some(next) if matches!(next.scheme(), "http" | "https") => Step::Inner(next),
        _ => Step::Bad,
    }
}

fn unwrap(mut url: Url) -> Option<Url> {
    for _ in 0..=MAX_UNWRAP {
        match unwrap_once(&url) {
            Step::Plain => return Some(url),
            Step::Inner(next) => url = next,
            Step::Bad => return None,
        }
    }
    None
}

/// `zoommtg://zoom.us/join?confno=<id>&pwd=<pwd>` as `https://zoom.us/j/<id>?pwd=<pwd>`: the app opens http(s) only.
fn zoommtg_to_https(url: &Url) -> Option<Url> {
    let host = url.host_str()?.to_ascii_lowercase();
    if !Under("zoom.us").matches(&host) || url.path() != "/join" {
        return None;
    }
    let id = query_value(url, "confno").filter(|id| Digits.matches(id))?;
    let mut out = Url::parse(&format!("https://zoom.us/j/{id}")).ok()?;
    if let Some(pwd) = query_value(url, "pwd").filter(|pwd| !pwd.is_empty()) {
        out.query_pairs_mut().append_pair("pwd", &pwd);
    }
    Some(out)
}

/// `zoom.us/j/1` has no scheme; `mailto:x` and `zoommtg://x` do. Schemes never hold a dot, domains always do.
fn has_scheme(raw: &str) -> bool {
    raw.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-')
    })
}

/// One URL as written (a link found in text, or a calendar's structured join field): unwrapped, rewritten to https
/// when it is a Zoom app link, and classified. A URL without a scheme counts only for a known service.
pub fn parse_link(raw: &str) -> Option<MeetingLink> {
    let raw = raw.trim();
    let schemeless = !has_scheme(raw);
    let url = if schemeless { Url::parse(&format!("https://{raw}")) } else { Url::parse(raw) }.ok()?;
    let url = if url.scheme() == "zoommtg" { zoommtg_to_https(&url)? } else { unwrap(url)? };
    let service = classify(&url)?;
    (service.is_known() || !schemeless).then(|| MeetingLink { service, url: url.into() })
}

#[rustfmt::skip]
const ENTITIES: &[(&str, char)] = &[
    ("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&#39;", '\''), ("&#x27;", '\''), ("&nbsp;", ' '),
];

/// The few entities HTML calendar bodies use around links (`pwd=abc&amp;uname=x`).
fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let entity = ENTITIES.iter().find(|(name, _)| rest.starts_with(name));
        let (decoded, len) = entity.map_or(('&', 1), |(name, c)| (*c, name.len()));
        out.push(decoded);
        rest = &rest[len..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The `href` values of `<a>` tags, in order. Linear even on hostile input: an unclosed tag ends the scan.
fn hrefs(html: &str) -> Vec<&str> {
    // ASCII lowercasing keeps every byte offset, so offsets found in `lower` slice `html` on char boundaries.
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<a").map(|i| from + i) {
        let Some(end) = lower[at..].find('>').map(|i| at + i) else { break };
        from = end;
        let Some(attr) = lower[at..end].find("href").map(|i| at + i + "href".len()) else { continue };
        let value = html[attr..end].trim_start();
        let Some(value) = value.strip_prefix('=').map(str::trim_start) else { continue };
        let value = match value.chars().next() {
            Some(quote @ ('"' | '\'')) => value[1..].split(quote).next(),
            _ => value.split(char::is_whitespace).next(),
        };
        found.extend(value.filter(|v| !v.is_empty()));
    }
    found
}

/// Service, host and path: URLs of one meeting that differ only in their query (a `pwd=`) or fragment share it.
type MeetingKey = (Service, Option<String>, String);

fn meeting_key(link: &MeetingLink) -> MeetingKey {
    let url = Url::parse(&link.url).ok();
    let host = url.as_ref().and_then(|url| url.host_str().map(str::to_owned));
    (link.service, host, url.map_or_else(|| link.url.clone(), |url| url.path().to_owned()))
}

/// Every meeting link in `text`, deduplicated by URL: known services before other web pages, then in the order
/// found (`<a href>` values before the visible text), and the same meeting's longer URL first (it keeps `pwd=`).
pub fn find_links(text: &str) -> Vec<MeetingLink> {
    let text = decode_entities(text);
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]).url_must_have_scheme(false);
    let found = hrefs(&text).into_iter().chain(finder.links(&text).map(|link| link.as_str()));
    let mut seen = HashSet::new();
    let mut first_of_meeting = HashMap::new();
    let mut keyed = Vec::new();
    for (i, link) in found.filter_map(parse_link).filter(|link| seen.insert(link.url.clone())).enumerate() {
        let meeting = *first_of_meeting.entry(meeting_key(&link)).or_insert(i);
        keyed.push(((!link.service.is_known(), meeting, Reverse(link.url.len())), link));
    }
    // Stable: what the key leaves tied stays in the order found.
    keyed.sort_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, link)| link).collect()
}

/// The best meeting link in `texts`, given in the order their source is trusted (a location before a description).
/// A known service anywhere beats any other web page; among known services the earlier text wins, then the order
/// found in it. If a later text holds the same meeting with a longer URL (a `pwd=`), that URL is returned.
pub fn best_link<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<MeetingLink> {
    let all: Vec<MeetingLink> = texts.into_iter().flat_map(find_links).collect();
    let best = all.iter().find(|link| link.service.is_known()).or_else(|| all.first())?;
    let meeting = meeting_key(best);
    all.iter().filter(|link| meeting_key(link) == meeting).min_by_key(|link| Reverse(link.url.len())).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every link `find_links` returns for `text`, as (service, URL).
    fn all(text: &str) -> Vec<(Service, String)> {
        find_links(text).into_iter().map(|link| (link.service, link.url)).collect()
    }

    fn encode(s: &str) -> String {
        url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
    }

    /// One test per name: each text, then exactly the links `find_links` must return for it, in order.
    macro_rules! finds {
        ($($name:ident { $($text:expr => [$($service:ident $url:expr),*]),+ $(,)? })*) => {$(
            #[test]
            fn $name() {$(
                let expected: Vec<(Service, String)> = vec![$(($service, String::from($url))),*];
                assert_eq!(all(&$text), expected, "in {:?}", $text);
            )+}
        )*};
    }

    const TEAMS_WORK: &str = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjY4%40thread.v2/0?context=%7b%7d";

    finds! {
        joinme { "Join at https://join.me/acme-sales, see you!" => [Joinme "https://join.me/acme-sales"] }
        zoom {
            "Zoom: https://zoom.us/j/81234567890?pwd=abc." => [Zoom "https://zoom.us/j/81234567890?pwd=abc"],
            "Personal room https://zoom.us/my/jane.doe today" => [Zoom "https://zoom.us/my/jane.doe"],
            "Webinar: https://zoom.us/webinar/register/WN_ab" => [Zoom "https://zoom.us/webinar/register/WN_ab"],
            "http stays http: http://zoom.us/j/123" => [Zoom "http://zoom.us/j/123"],
        }
        zoom_vanity_and_other_domains {
            "Join acme.zoom.us/j/123 now" => [Zoom "https://acme.zoom.us/j/123"],
            "See https://any-client.zoom-x.de/j/65194487075." => [Zoom "https://any-client.zoom-x.de/j/65194487075"],
            "Gov: https://acme.zoomgov.com/j/1601234567" => [Zoom "https://acme.zoomgov.com/j/1601234567"],
            "https://zoom.com.cn/s/123 https://zoom.com/wc/9/start" => [Zoom "https://zoom.com.cn/s/123",
                Zoom "https://zoom.com/wc/9/start"],
        }
        zoommtg_is_rewritten_to_https {
            "Open zoommtg://zoom.us/join?action=join&confno=812&pwd=abc now" => [Zoom "https://zoom.us/j/812?pwd=abc"],
            "App: zoommtg://acme.zoom.us/join?confno=123." => [Zoom "https://zoom.us/j/123"],
            "zoommtg://zoom.us/join?confno=abc zoommtg://evil.example/join?confno=1" => [],
        }
        google_meet {
            "Meet: https://meet.google.com/abc-defg-hij?authuser=0" => [GoogleMeet
                "https://meet.google.com/abc-defg-hij?authuser=0"],
            "https://meet.google.com/_meet/abc-defg-hij?ijlm=1" => [GoogleMeet
                "https://meet.google.com/_meet/abc-defg-hij?ijlm=1"],
            "https://meet.google.com/new https://meet.google.com/landing https://meet.google.com/ABC-DEF" => [],
        }
        scheme_less_meet_becomes_https {
            "Join meet.google.com/abc-defg-hij." => [GoogleMeet "https://meet.google.com/abc-defg-hij"],
        }
        teams {
            format!("Click here to join the meeting <{TEAMS_WORK}>") => [Teams TEAMS_WORK],
            "ID: https://teams.microsoft.com/meet/2412345678901?p=AbC" => [Teams
                "https://teams.microsoft.com/meet/2412345678901?p=AbC"],
            "Free: https://teams.live.com/meet/934567?p=XyZ." => [Teams "https://teams.live.com/meet/934567?p=XyZ"],
            "https://gov.teams.microsoft.us/l/meetup-join/19%3am/0" => [Teams
                "https://gov.teams.microsoft.us/l/meetup-join/19%3am/0"],
            "https://teams.microsoft.com/meet/abc https://teams.microsoft.com/l/chat/0/0" => [],
        }
        webex {
            "Join https://acme.webex.com/meet/jdoe." => [Webex "https://acme.webex.com/meet/jdoe"],
            "https://acme.webex.com/join/jdoe" => [Webex "https://acme.webex.com/join/jdoe"],
            "https://acme.webex.com/acme/j.php?MTID=m0123abc" => [Webex "https://acme.webex.com/acme/j.php?MTID=m0123abc"],
            "https://acme.webex.com/acme/j.php https://webex.com/meet/jdoe" => [],
        }
        goto_meeting {
            "Join: https://global.gotomeeting.com/join/123456789" => [GoToMeeting
                "https://global.gotomeeting.com/join/123456789"],
            "https://meet.goto.com/123456789" => [GoToMeeting "https://meet.goto.com/123456789"],
            "My room: https://gotomeet.me/janedoe!" => [GoToMeeting "https://gotomeet.me/janedoe"],
        }
        jitsi_keeps_fragment {
            "https://meet.jit.si/Sync#config.startWithAudioMuted=true" => [Jitsi
                "https://meet.jit.si/Sync#config.startWithAudioMuted=true"],
            "JaaS https://8x8.vc/vpaas-magic-cookie-abc/Room" => [Jitsi "https://8x8.vc/vpaas-magic-cookie-abc/Room"],
        }
        whereby { "Room: https://whereby.com/acme-standup." => [Whereby "https://whereby.com/acme-standup"] }
        skype {
            "https://join.skype.com/AbCdEfGh1234" => [Skype "https://join.skype.com/AbCdEfGh1234"],
            "SfB: https://meet.lync.com/acme/jdoe/ABC123" => [Skype "https://meet.lync.com/acme/jdoe/ABC123"],
        }
        bluejeans { "Call https://bluejeans.com/123456789/0123" => [BlueJeans "https://bluejeans.com/123456789/0123"] }
        chime { "Chime: https://app.chime.aws/1234567890." => [Chime "https://app.chime.aws/1234567890"] }
        service_home_pages_are_skipped {
            "https://zoom.us/ https://zoom.us/download https://support.zoom.us/hc/en-us https://meet.google.com/" => [],
            "https://www.webex.com/ https://join.me/ https://join.me/download https://teams.microsoft.com/" => [],
            "https://chime.aws/meetings https://whereby.com/pricing https://bluejeans.com/" => [],
        }
        safelinks_wrapped_teams {
            format!("Join: https://nam12.safelinks.protection.outlook.com/?url={}&data=05%7C01&reserved=0.",
                encode(TEAMS_WORK)) => [Teams TEAMS_WORK],
        }
        google_redirect_wrapped_meet {
            "https://www.google.com/url?q=https://meet.google.com/abc-defg-hij&sa=D&source=calendar&usg=AOv" => [
                GoogleMeet "https://meet.google.com/abc-defg-hij"],
            // Only the exact hosts and path: a lookalike is a web page like any other.
            "https://google.com.evil.example/url?q=https://zoom.us/j/1" => [Other
                "https://google.com.evil.example/url?q=https://zoom.us/j/1"],
        }
        teams_launcher_becomes_meetup_join {
            "https://teams.microsoft.com/dl/launcher/launcher.html?url=%2f_%23%2fl%2fmeetup-join%2f19%3am%2540t%2f0&a=1"
                => [Teams "https://teams.microsoft.com/l/meetup-join/19:m%40t/0"],
        }
        html_entities_and_href_preferred {
            "<p><a href=\"https://zoom.us/j/812?pwd=abc&amp;uname=x\">https://zoom.us/j/812?pwd=abc&amp;uname=x</a>"
                => [Zoom "https://zoom.us/j/812?pwd=abc&uname=x"],
            // The anchor's target comes first though a plain URL precedes it.
            "https://zoom.us/j/1 or <A class=x HREF='https://acme.webex.com/meet/jd'>https://zoom.us/j/2</A> \
             &lt;meet.google.com/ab-cd&gt;" => [Webex "https://acme.webex.com/meet/jd", Zoom "https://zoom.us/j/1",
                Zoom "https://zoom.us/j/2", GoogleMeet "https://meet.google.com/ab-cd"],
        }
        wrapping_punctuation_is_not_part_of_the_url {
            "(https://zoom.us/j/1) <https://zoom.us/j/2> \"https://zoom.us/j/3\", [Join](https://zoom.us/j/4)." => [
                Zoom "https://zoom.us/j/1", Zoom "https://zoom.us/j/2", Zoom "https://zoom.us/j/3",
                Zoom "https://zoom.us/j/4"],
        }
        plain_text_without_meeting_links {
            "" => [],
            "Weekly sync, bring notes" => [],
            "Let's zoom in on Q3. Meet at 10 in room 4.2, zoom.us installed?" => [],
        }
        tel_mailto_and_other_schemes_are_never_returned {
            "Dial tel:+15551234567, mail mailto:bob@example.com" => [],
            "javascript://zoom.us/j/1 file:///tmp/x ftp://example.com/f zoommtg://zoom.us/start" => [],
        }
        unknown_https_is_other_and_ranked_after_known {
            "Agenda https://docs.example.com/a then https://zoom.us/j/1" => [Zoom "https://zoom.us/j/1",
                Other "https://docs.example.com/a"],
            // Lookalike hosts are not the service; credentials make a link unfit to offer at all.
            "https://zoom.us.evil.example/j/1 https://evilzoom.us/j/1 https://zoom.us@evil.example/j/1" => [
                Other "https://zoom.us.evil.example/j/1", Other "https://evilzoom.us/j/1"],
        }
        unknown_http_and_scheme_less_unknown_are_ignored {
            "See http://example.com/meeting or example.com/meeting" => [],
        }
        same_meeting_longer_url_first_and_deduplicated {
            "https://zoom.us/j/1 or https://meet.jit.si/R or https://zoom.us/j/1?pwd=a, again https://zoom.us/j/1" => [
                Zoom "https://zoom.us/j/1?pwd=a", Zoom "https://zoom.us/j/1", Jitsi "https://meet.jit.si/R"],
        }
    }

    #[test]
    fn nested_wrappers_unwrap_up_to_the_cap() {
        let nest = |depth| {
            (0..depth).fold("https://zoom.us/j/1".to_owned(), |inner, _| {
                format!("https://eur.safelinks.protection.outlook.com/?url={}&data=x", encode(&inner))
            })
        };
        assert_eq!(all(&nest(MAX_UNWRAP)), [(Zoom, "https://zoom.us/j/1".to_owned())]);
        assert_eq!(all(&nest(MAX_UNWRAP + 1)), []);
    }

    #[test]
    fn wrapped_non_http_or_garbage_is_dropped() {
        for target in ["javascript%3Aalert(1)", "file%3A%2F%2F%2Fetc%2Fpasswd", "%E0%80%FF", "%ZZ", ""] {
            let text = format!("https://nam.safelinks.protection.outlook.com/?url={target}&data=1");
            assert_eq!(all(&text), [], "{text}");
        }
    }

    #[test]
    fn best_link_across_texts() {
        let best = |texts: &[&str]| best_link(texts.iter().copied()).map(|link| (link.service, link.url));
        let pair = |service, url: &str| Some((service, url.to_owned()));
        let meet = "https://meet.google.com/abc-defg-hij";
        let desc = format!("desc {meet} https://zoom.us/j/1");
        assert_eq!(best(&["https://docs.example.com/x", &desc]), pair(GoogleMeet, meet));
        assert_eq!(best(&["https://acme.webex.com/meet/a", &desc]), pair(Webex, "https://acme.webex.com/meet/a"));
        assert_eq!(best(&["zoom.us/j/1", "https://zoom.us/j/1?pwd=a"]), pair(Zoom, "https://zoom.us/j/1?pwd=a"));
        assert_eq!(best(&["none", "https://a.example/x https://b.example/y"]), pair(Other, "https://a.example/x"));
        assert_eq!(best(&["Meet at 10", "tel:+15551234567"]), None);
        assert_eq!(best(&[]), None);
    }

    #[test]
    fn classify_parse_link_and_names() {
        let classified = |s: &str| Url::parse(s).ok().and_then(|url| classify(&url));
        assert_eq!(classified("https://zoom.us/j/1"), Some(Zoom));
        assert_eq!(classified("https://example.com/"), Some(Other));
        assert_eq!([classified("http://example.com/"), classified("https://zoom.us/")], [None, None]);
        assert_eq!(classified("zoommtg://zoom.us/join?confno=1"), None);
        assert_eq!(parse_link("meet.google.com/abc-defg-hij").map(|link| link.service), Some(GoogleMeet));
        let names = [Teams.name(), GoToMeeting.name(), Chime.name(), Other.name()];
        assert_eq!(names, ["Microsoft Teams", "GoTo Meeting", "Amazon Chime", "Web link"]);
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let long = "https://zoom.us/j/1 a.b.c (((<a [[ ".repeat(20_000);
        let hostile = [
            long.clone(),
            "<a".repeat(50_000),
            "<a href=".repeat(20_000),
            "a.".repeat(100_000),
            "<a href=' <a href=\"https://zoom.us/j/1 &&&amp&amp;&#x27 ((((https://zoom.us/j/1]]]}}}".to_owned(),
            "会议 https://zoom.us/j/123?pwd=密码 🎉 meet.google.com/ábc-défg-híj".to_owned(),
            "https://nam.safelinks.protection.outlook.com/?url=%%%ZZ%E0%A4%A&data=%".to_owned(),
            "https://[::1/ https:// zoommtg:// http://zoom.us/j/ https://meet.google.com/-- https://zoom.us:99999/j/1"
                .to_owned(),
        ];
        for text in &hostile {
            let links = find_links(text);
            assert!(links.iter().all(|link| link.url.starts_with("http")), "{links:?}");
        }
        assert_eq!(all(&long), [(Zoom, "https://zoom.us/j/1".to_owned())]);
    }

    /// Any text: never a panic, and only http(s) links come out (`cargo xtask fuzz`).
    #[test]
    fn fuzz_find_links() {
        bolero::check!().for_each(|bytes: &[u8]| {
            let text = String::from_utf8_lossy(bytes);
            for link in find_links(&text) {
                assert!(link.url.starts_with("https://") || link.url.starts_with("http://"), "{link:?}");
            }
            let _ = best_link([text.as_ref(), "Zoom: https://zoom.us/j/1"]);
        });
    }
}
