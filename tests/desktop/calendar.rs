//! A calendar feed with the app running: a meeting from the feed becomes the tray's next meeting, and
//! `join-next` from another process opens the Teams address behind its SafeLinks wrapper.

use std::time::Duration;

use super::bus::TrayHost;
use super::desktop_lock;
use super::home::Home;

const TEAMS: &str =
    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_ZmQ2%40thread.v2/0?context=%7b%22Tid%22%3a%221%22%7d";

/// What Outlook's SafeLinks makes of a link in a mail or an invitation.
fn safelinks(url: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(url.as_bytes()).collect();
    format!("https://eur03.safelinks.protection.outlook.com/?url={encoded}&data=05%7C02%7C%7Cabc&reserved=0")
}

/// The sandbox's clock, as the feed's events must be placed by it.
fn sandbox_now(base: &str) -> chrono::DateTime<chrono::Utc> {
    let (_, clock) = super::process::get(&format!("{base}/_sandbox/clock"));
    let clock: serde_json::Value = serde_json::from_str(&clock).unwrap();
    chrono::DateTime::parse_from_rfc3339(clock["now"].as_str().unwrap()).unwrap().to_utc()
}

/// A feed of its own, holding one meeting 20 minutes ahead whose description carries the wrapped Teams link
/// (and an HTML copy, as Outlook writes both), served as the feed `team`.
fn serve_team_feed(base: &str) {
    let start = sandbox_now(base) + chrono::Duration::minutes(20);
    let at = |t: chrono::DateTime<chrono::Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    let wrapped = safelinks(TEAMS);
    let ics = [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN".into(),
        "BEGIN:VEVENT".into(),
        "UID:040000008200E00074C5B7101A82E0080000000050A1".into(),
        format!("DTSTAMP:{}", at(start)),
        format!("DTSTART:{}", at(start)),
        format!("DTEND:{}", at(start + chrono::Duration::minutes(30))),
        "SUMMARY:Quarterly review".into(),
        format!("DESCRIPTION:Join the meeting now <{wrapped}>\\nMeeting ID: 123 456 789"),
        "LOCATION:Microsoft Teams Meeting".into(),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
    ]
    .join("\r\n");
    let body = ics + "\r\n";
    std::thread::spawn({
        let url = format!("{base}/_sandbox/calendar/feeds/team");
        move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                let answer = reqwest::Client::new().put(url).body(body).send().await.unwrap();
                assert!(answer.status().is_success(), "{:?}", answer.text().await);
            })
        }
    })
    .join()
    .unwrap();
}

#[test]
fn a_feed_meeting_twenty_minutes_ahead_is_the_trays_next_and_join_next_opens_its_teams_link() {
    let _one_at_a_time = desktop_lock();
    let home = Home::new();
    serve_team_feed(&home.base);
    let mut add = home.command();
    add.args(["calendar", "add", "Team"]);
    let added = super::process::output_with_input(&mut add, &format!("{}/_sandbox/ics/team.ics\n", home.base));
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));

    // What the app opens goes to a stand-in opener, which writes it down.
    let (opened, path) = super::process::stand_in_opener(&home.root);

    let host = TrayHost::start();
    let mut app = home.start_app_with(&[], &[("PATH", path.as_str())]);
    app.wait("the tray icon", Duration::from_secs(60), || !host.registered().is_empty());
    let item = host.wait_for_item(Duration::from_secs(1));
    app.wait("the feed's meeting to be the tray's next", Duration::from_secs(60), || {
        host.item_property::<String>(&item, "Title").is_some_and(|t| t.starts_with("Quarterly review"))
    });
    let menu: Vec<String> = host.menu(&item).into_iter().map(|(_, label, _)| label).collect();
    assert!(menu.iter().any(|l| l.starts_with("Next: Quarterly review")), "{menu:?}");

    // Handed to the running app, which opens the unwrapped address.
    let mut join = home.command();
    join.env("PATH", &path).arg("join-next");
    let joined = super::home::output_within(&mut join, Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&joined.stderr);
    assert!(joined.status.success(), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&joined.stdout).trim(), TEAMS, "{stderr}");
    app.wait("the opener to be given the link", Duration::from_secs(20), || {
        std::fs::read_to_string(&opened).is_ok_and(|t| t.ends_with('\n'))
    });
    assert_eq!(std::fs::read_to_string(&opened).unwrap(), format!("{TEAMS}\n"), "the Teams address, unwrapped");
}
