//! joind.in's state: consumers (API keys), users (verified and not), tokens, events in several time zones,
//! talks with speakers, attendance and stars.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, FixedOffset, NaiveTime, Utc};

pub const CONSUMER_KEY: &str = "ml-sandbox-joindin-key";
pub const CONSUMER_SECRET: &str = "ml-sandbox-joindin-secret";
pub const NO_PASSWORD_KEY: &str = "web-only-consumer-key";
pub const NO_PASSWORD_SECRET: &str = "web-only-consumer-secret";
pub const CALLBACK: &str = "http://127.0.0.1:53682/cb/joindin";
pub const DEFAULT_USER: &str = "alexmorgan";
pub const PASSWORD: &str = "sandbox-password";
pub const UNVERIFIED_USER: &str = "newcomer";

#[derive(Debug, Clone)]
pub struct Consumer {
    pub key: String,
    pub secret: String,
    pub name: String,
    pub callback: String,
    pub password_grant: bool,
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: u64,
    pub username: String,
    pub full_name: String,
    pub email: String,
    pub password: String,
    pub verified: bool,
    pub twitter: String,
    pub biography: String,
    pub admin: bool,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub user_id: u64,
    pub last_used: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub id: u64,
    pub name: String,
    pub stub: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub tz_continent: String,
    pub tz_place: String,
    /// The zone's offset, fixed for the sandbox's purposes.
    pub offset: FixedOffset,
    pub description: String,
    pub location: String,
    pub url: String,
    pub hashtag: String,
    pub latitude: String,
    pub longitude: String,
    pub tags: Vec<String>,
    pub cfp: Option<(DateTime<Utc>, DateTime<Utc>)>,
    pub hosts: Vec<u64>,
    pub attendees: BTreeSet<u64>,
    pub approved: bool,
}

#[derive(Debug, Clone)]
pub struct Comment {
    pub user_id: u64,
    pub rating: u8,
    pub comment: String,
    pub created: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Talk {
    pub id: u64,
    pub event_id: u64,
    pub title: String,
    pub description: String,
    pub kind: String,
    pub start: DateTime<Utc>,
    pub duration: u32,
    /// (display name, claimed user id)
    pub speakers: Vec<(String, Option<u64>)>,
    pub track: Option<String>,
    pub starred: BTreeSet<u64>,
    pub comments: Vec<Comment>,
}

#[derive(Debug)]
pub struct Data {
    pub consumers: Vec<Consumer>,
    pub users: Vec<User>,
    pub tokens: HashMap<String, Token>,
    pub events: Vec<Event>,
    pub talks: Vec<Talk>,
}

impl Data {
    pub fn consumer(&self, key: &str) -> Option<&Consumer> {
        self.consumers.iter().find(|c| c.key == key)
    }

    pub fn user(&self, id: u64) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn event(&self, id: u64) -> Option<&Event> {
        self.events.iter().find(|e| e.id == id && e.approved)
    }

    pub fn seed(now: DateTime<Utc>) -> Self {
        let consumers = vec![
            Consumer {
                key: CONSUMER_KEY.into(),
                secret: CONSUMER_SECRET.into(),
                name: "Meeting Launcher".into(),
                callback: CALLBACK.into(),
                password_grant: true,
            },
            Consumer {
                key: NO_PASSWORD_KEY.into(),
                secret: NO_PASSWORD_SECRET.into(),
                name: "A Web-Only App".into(),
                callback: "https://web-only.example/callback".into(),
                password_grant: false,
            },
        ];
        let user = |id, username: &str, full_name: &str, verified, twitter: &str, biography: &str| User {
            id,
            username: username.into(),
            full_name: full_name.into(),
            email: format!("{username}@example.com"),
            password: PASSWORD.into(),
            verified,
            twitter: twitter.into(),
            biography: biography.into(),
            admin: false,
        };
        let users = vec![
            user(2_101, DEFAULT_USER, "Alex Morgan", true, "alexmorgan", "Runs operations; speaks about remote teams."),
            user(2_102, "jordankim", "Jordan Kim", true, "jkim", "Engineering manager and Rust enthusiast."),
            user(2_103, "caseydiaz", "Casey Diaz", true, "", "Product designer."),
            user(2_104, UNVERIFIED_USER, "New Comer", false, "", ""),
            // A display name that looks numeric, so clients meet the coercion quirk on real data.
            user(2_105, "room1337", "1337", true, "", "Conference AV team."),
        ];
        let day = now.date_naive().and_time(NaiveTime::MIN).and_utc();
        let zone = |hours: i32| FixedOffset::east_opt(hours * 3600).expect("valid offset");
        #[allow(clippy::type_complexity)]
        let plan: [(u64, &str, &str, i64, i64, &str, &str, i32, &str, &str, &str, &[&str], bool); 5] = [
            (
                6_001,
                "RustConf Europe",
                "rustconfeu",
                12,
                2,
                "Europe",
                "Amsterdam",
                1,
                "Amsterdam, NL",
                "52.3676",
                "4.9041",
                &["rust", "systems"],
                true,
            ),
            (
                6_002,
                "Remote Work Summit",
                "rws",
                30,
                1,
                "America",
                "New_York",
                -5,
                "New York, US",
                "40.7128",
                "-74.006",
                &["remote", "teams"],
                true,
            ),
            (
                6_003,
                "PHP Benelux",
                "phpbnl",
                45,
                2,
                "Europe",
                "Brussels",
                1,
                "Antwerp, BE",
                "51.2194",
                "4.4025",
                &["php"],
                false,
            ),
            (
                6_004,
                "DevOps Days Sydney",
                "ddsyd",
                -20,
                2,
                "Australia",
                "Sydney",
                11,
                "Sydney, AU",
                "-33.8688",
                "151.2093",
                &["devops"],
                false,
            ),
            (
                6_005,
                "Frontend Forward",
                "ffwd",
                -60,
                1,
                "Europe",
                "London",
                0,
                "London, UK",
                "51.5072",
                "-0.1276",
                &["javascript", "css"],
                false,
            ),
        ];
        let mut events = Vec::new();
        for (id, name, stub, days, length, continent, place, hours, location, lat, long, tags, cfp_open) in plan {
            let start = day + Duration::days(days) + Duration::hours(8) - Duration::hours(hours as i64);
            let mut attendees = BTreeSet::new();
            if matches!(id, 6_001 | 6_004) {
                attendees.insert(2_101);
            }
            attendees.insert(2_102);
            events.push(Event {
                id,
                name: name.into(),
                stub: stub.into(),
                start,
                end: start + Duration::days(length) - Duration::seconds(1),
                tz_continent: continent.into(),
                tz_place: place.into(),
                offset: zone(hours),
                description: format!("{name}: talks, workshops and a hallway track."),
                location: location.into(),
                url: format!("https://{stub}.example.org"),
                hashtag: format!("#{stub}"),
                latitude: lat.into(),
                longitude: long.into(),
                tags: tags.iter().map(|t| t.to_string()).collect(),
                cfp: cfp_open.then(|| (now - Duration::days(10), now + Duration::days(5))),
                hosts: if id == 6_002 { vec![2_101] } else { vec![2_103] },
                attendees,
                approved: true,
            });
        }
        events.push(Event {
            id: 6_099,
            name: "Pending Meetup".into(),
            stub: "pending".into(),
            approved: false,
            ..events[0].clone()
        });
        let talk = |id,
                    event_id: u64,
                    title: &str,
                    kind: &str,
                    slot: i64,
                    duration,
                    speakers: Vec<(&str, Option<u64>)>,
                    track: Option<&str>| {
            let event = events.iter().find(|e| e.id == event_id).expect("seeded event");
            Talk {
                id,
                event_id,
                title: title.into(),
                description: format!("{title}: what we learned and what we would do again."),
                kind: kind.into(),
                start: event.start + Duration::hours(1 + slot),
                duration,
                speakers: speakers.into_iter().map(|(n, u)| (n.to_string(), u)).collect(),
                track: track.map(Into::into),
                starred: BTreeSet::new(),
                comments: Vec::new(),
            }
        };
        let mut talks = vec![
            talk(
                7_001,
                6_001,
                "Async Rust without tears",
                "Talk",
                0,
                45,
                vec![("Jordan Kim", Some(2_102))],
                Some("Main"),
            ),
            talk(
                7_002,
                6_001,
                "Fearless desktop apps with egui",
                "Talk",
                1,
                45,
                vec![("Casey Diaz", Some(2_103))],
                Some("Main"),
            ),
            talk(
                7_003,
                6_001,
                "Hands-on: tokio in production",
                "Workshop",
                2,
                120,
                vec![("Sam Lee", None)],
                Some("Workshops"),
            ),
            talk(
                7_004,
                6_002,
                "Meetings that could have been e-mails",
                "Keynote",
                0,
                60,
                vec![("Alex Morgan", Some(2_101))],
                None,
            ),
            talk(7_005, 6_002, "Async-first teams", "Talk", 2, 30, vec![("Priya Shah", None)], None),
            talk(7_006, 6_003, "Modern PHP testing", "Talk", 0, 45, vec![("Robin Ode", None)], None),
            talk(7_007, 6_004, "Incident reviews that help", "Talk", 0, 30, vec![("Jordan Kim", Some(2_102))], None),
            talk(7_008, 6_005, "CSS has grown up", "Talk", 0, 40, vec![("Taylor Fox", None)], None),
        ];
        talks[6].comments.push(Comment {
            user_id: 2_101,
            rating: 5,
            comment: "Clear and practical.".into(),
            created: now - Duration::days(19),
        });
        talks[0].starred.insert(2_101);
        Self { consumers, users, tokens: HashMap::new(), events, talks }
    }
}
