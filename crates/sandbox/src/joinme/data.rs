//! join.me's state: registered applications, users, grants and tokens, scheduled meetings, presenters, and
//! seed data that looks like a real small company.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveTime, Utc};

pub const CLIENT_ID: &str = "ml-sandbox-business-key";
pub const CLIENT_SECRET: &str = "ml-sandbox-business-secret";
pub const IMPLICIT_CLIENT_ID: &str = "ml-sandbox-implicit-key";
pub const BASIC_CLIENT_ID: &str = "ml-sandbox-basic-key";
pub const BASIC_CLIENT_SECRET: &str = "ml-sandbox-basic-secret";
pub const OTHER_CLIENT_ID: &str = "other-app-key";
pub const OTHER_CLIENT_SECRET: &str = "other-app-secret";
pub const CALLBACK: &str = "http://127.0.0.1:53682/cb/joinme";
pub const DEFAULT_USER: &str = "alex.morgan@example.com";
pub const PASSWORD: &str = "sandbox-password";

pub const SCOPES: &[&str] = &["user_info", "scheduler", "start_meeting"];

#[derive(Debug, Clone)]
pub struct Client {
    pub id: String,
    pub secret: Option<String>,
    pub name: String,
    pub callback: String,
    pub business: bool,
    pub active: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    Free,
    Pro,
    Business,
}

impl Plan {
    pub fn name(self) -> &'static str {
        match self {
            Plan::Free => "Free",
            Plan::Pro => "Pro",
            Plan::Business => "Business",
        }
    }
}

#[derive(Debug, Clone)]
pub struct User {
    pub email: String,
    pub password: String,
    pub full_name: String,
    pub language: String,
    pub plan: Plan,
    pub personal_url: Option<String>,
    pub conference_id: String,
    pub organizer_code: String,
    pub registration: DateTime<Utc>,
    pub meetings_hosted: u32,
}

#[derive(Debug, Clone)]
pub struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub user: String,
    pub scopes: Vec<String>,
    pub expires_at: DateTime<Utc>,
    pub code_challenge: Option<String>,
    pub used: bool,
}

#[derive(Debug, Clone)]
pub struct AccessToken {
    pub client_id: String,
    pub user: String,
    pub scopes: Vec<String>,
    pub expires_at: DateTime<Utc>,
    /// Set by `/expireaccess`: from this moment the token answers `stale_token`.
    pub expired_from: Option<DateTime<Utc>>,
    /// Set when the user revokes the app.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl AccessToken {
    pub fn is_stale(&self, now: DateTime<Utc>) -> bool {
        now >= self.expires_at || self.expired_from.is_some_and(|t| now >= t)
    }
}

#[derive(Debug, Clone)]
pub struct RefreshGrant {
    pub client_id: String,
    pub user: String,
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Meeting {
    pub id: u64,
    pub owner: String,
    pub name: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub start_with_personal_url: bool,
    pub participants: Vec<String>,
    pub conference_id: String,
    /// Set once the meeting has been started through the API.
    pub viewer_link: Option<String>,
}

impl Meeting {
    /// A meeting `owner` scheduled, with its conference id derived from its id, not yet started.
    pub fn scheduled(id: u64, owner: &str, name: &str, start: DateTime<Utc>, minutes: i64, people: &[&str]) -> Self {
        Self {
            id,
            owner: owner.into(),
            name: name.into(),
            start,
            end: start + Duration::minutes(minutes),
            start_with_personal_url: false,
            participants: people.iter().map(|p| p.to_string()).collect(),
            conference_id: format!("{}", 600_000_000 + id % 1_000_000),
            viewer_link: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Presenter {
    pub id: u64,
    pub account: String,
    pub email: String,
    pub invitation_accepted: bool,
    pub seat_assigned: bool,
}

#[derive(Debug, Clone)]
pub struct PresenterLink {
    pub started: usize,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
}

/// One call of a start endpoint, as operators and tests see it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StartedMeeting {
    pub user: String,
    pub meeting_id: Option<u64>,
    pub viewer_link: String,
    pub at: DateTime<Utc>,
    /// Whether the presenter link was opened (the meeting really launched).
    pub launched: bool,
    pub ended: bool,
    #[serde(skip)]
    pub webhooks: HashMap<String, (String, serde_json::Value)>,
}

#[derive(Debug)]
pub struct Data {
    pub clients: Vec<Client>,
    pub users: Vec<User>,
    pub codes: HashMap<String, AuthCode>,
    pub tokens: HashMap<String, AccessToken>,
    pub refresh: HashMap<String, RefreshGrant>,
    pub meetings: BTreeMap<u64, Meeting>,
    pub next_meeting_id: u64,
    pub presenters: BTreeMap<u64, Presenter>,
    pub next_presenter_id: u64,
    pub presenter_links: HashMap<String, PresenterLink>,
    pub started: Vec<StartedMeeting>,
}

impl Data {
    pub fn client(&self, id: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.id == id)
    }

    pub fn user(&self, email: &str) -> Option<&User> {
        self.users.iter().find(|u| u.email.eq_ignore_ascii_case(email))
    }

    pub fn seed(now: DateTime<Utc>) -> Self {
        let client = |id: &str, secret: Option<&str>, name: &str, callback: &str, business: bool| Client {
            id: id.into(),
            secret: secret.map(Into::into),
            name: name.into(),
            callback: callback.into(),
            business,
            active: true,
        };
        let clients = vec![
            client(CLIENT_ID, Some(CLIENT_SECRET), "Meeting Launcher", CALLBACK, true),
            client(IMPLICIT_CLIENT_ID, None, "Meeting Launcher (implicit)", CALLBACK, false),
            client(BASIC_CLIENT_ID, Some(BASIC_CLIENT_SECRET), "Meeting Launcher (Basic key)", CALLBACK, false),
            client(OTHER_CLIENT_ID, Some(OTHER_CLIENT_SECRET), "Someone Else's App", "https://other.example/cb", false),
        ];
        let user = |email: &str, name: &str, plan: Plan, url: Option<&str>, conf: &str, code: &str, hosted| User {
            email: email.into(),
            password: PASSWORD.into(),
            full_name: name.into(),
            language: "en-US".into(),
            plan,
            personal_url: url.map(Into::into),
            conference_id: conf.into(),
            organizer_code: code.into(),
            registration: now - Duration::days(900) - Duration::minutes(75),
            meetings_hosted: hosted,
        };
        let users = vec![
            user(DEFAULT_USER, "Alex Morgan", Plan::Business, Some("alexmorgan"), "482915736", "5521", 312),
            user("priya.shah@example.com", "Priya Shah", Plan::Pro, Some("priya"), "731604285", "8830", 87),
            user("sam.lee@example.com", "Sam Lee", Plan::Free, None, "250118694", "1209", 6),
        ];

        let day = now.date_naive().and_time(NaiveTime::MIN).and_utc();
        let at = |days: i64, hour: i64, minute: i64| {
            day + Duration::days(days) + Duration::hours(hour) + Duration::minutes(minute)
        };
        // (name, in days, hour, minute, minutes long, participants)
        type SeedMeeting = (&'static str, i64, i64, i64, i64, &'static [&'static str]);
        let plan: [SeedMeeting; 12] = [
            ("Daily stand-up", 1, 9, 0, 15, &["jordan.kim@example.com", "priya.shah@example.com"]),
            ("Product roadmap review", 1, 14, 0, 60, &["priya.shah@example.com", "taylor.fox@example.com"]),
            ("Customer onboarding: Northwind", 2, 10, 30, 45, &["buyer@northwind.example"]),
            ("Design critique", 2, 15, 0, 60, &["casey.diaz@example.com"]),
            ("Daily stand-up", 3, 9, 0, 15, &["jordan.kim@example.com", "priya.shah@example.com"]),
            ("Quarterly business review", 3, 13, 0, 90, &["cfo@example.com", "taylor.fox@example.com"]),
            ("Interview: backend engineer", 4, 11, 0, 60, &["candidate@mail.example"]),
            ("Sales pipeline sync", 5, 16, 0, 30, &["taylor.fox@example.com"]),
            ("Sprint planning", 7, 10, 0, 120, &["jordan.kim@example.com", "casey.diaz@example.com"]),
            ("Partner demo: Contoso", 8, 15, 30, 45, &["lead@contoso.example"]),
            ("All-hands", 10, 17, 0, 60, &[]),
            ("Retrospective", 14, 14, 0, 60, &["jordan.kim@example.com", "casey.diaz@example.com"]),
        ];
        let mut meetings = BTreeMap::new();
        let mut next_meeting_id = 81_200_001;
        for (name, days, hour, minute, minutes, people) in plan {
            let start = at(days, hour, minute);
            meetings.insert(
                next_meeting_id,
                Meeting::scheduled(next_meeting_id, DEFAULT_USER, name, start, minutes, people),
            );
            next_meeting_id += 1;
        }
        let priya_start = at(2, 12, 0);
        meetings.insert(
            next_meeting_id,
            Meeting {
                id: next_meeting_id,
                owner: "priya.shah@example.com".into(),
                name: "Pro account check-in".into(),
                start: priya_start,
                end: priya_start + Duration::minutes(30),
                start_with_personal_url: true,
                participants: vec![DEFAULT_USER.into()],
                conference_id: "731604999".into(),
                viewer_link: None,
            },
        );
        next_meeting_id += 1;

        let mut presenters = BTreeMap::new();
        let seats = [
            ("jordan.kim@example.com", true, true),
            ("casey.diaz@example.com", true, true),
            ("taylor.fox@example.com", false, true),
            ("morgan.reed@example.com", true, false),
            ("new.hire@example.com", false, true),
        ];
        for (i, (email, accepted, seat)) in seats.into_iter().enumerate() {
            let id = 5_100 + i as u64;
            presenters.insert(
                id,
                Presenter {
                    id,
                    account: DEFAULT_USER.into(),
                    email: email.into(),
                    invitation_accepted: accepted,
                    seat_assigned: seat,
                },
            );
        }

        Self {
            clients,
            users,
            codes: HashMap::new(),
            tokens: HashMap::new(),
            refresh: HashMap::new(),
            meetings,
            next_meeting_id,
            presenters,
            next_presenter_id: 5_200,
            presenter_links: HashMap::new(),
            started: Vec::new(),
        }
    }
}
