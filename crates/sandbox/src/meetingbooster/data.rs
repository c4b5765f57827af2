//! A MeetingBooster server's state: users (with disabled and guest ones), login throttling, tokens, meetings
//! with invitations, and the change sequence that the sync endpoint reads.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveTime, Utc};

pub const DEFAULT_USER: &str = "alex.morgan@example.com";
pub const PASSWORD: &str = "sandbox-password";

/// Properties whose changes the sync endpoint reports, as its `properties` parameter names them.
pub const SYNC_PROPERTIES: &[&str] = &["Title", "Start", "End", "Invitations", "SendInvitations"];

#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub name: String,
    pub email: String,
    pub title: String,
    pub password: String,
    pub enabled: bool,
    pub guest: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Login {
    pub failures: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct Access {
    pub user_id: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Refresh {
    pub user_id: String,
    pub access: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Invitation {
    pub user_id: String,
    pub status: String,
    pub required: bool,
    pub is_co_host: bool,
}

#[derive(Debug, Clone)]
pub struct Meeting {
    /// As the client chose it (a guid), or a legacy integer id.
    pub id: String,
    pub legacy_integer_id: bool,
    pub client_sync_id: String,
    pub title: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub location: String,
    pub purpose: String,
    pub host_id: String,
    pub invitations: Vec<Invitation>,
    pub invitation_send_time: Option<DateTime<Utc>>,
    pub send_invitations: bool,
    pub actual_start: Option<DateTime<Utc>>,
    pub actual_end: Option<DateTime<Utc>>,
    pub create_teams_meeting: bool,
    pub all_day_event: bool,
    pub modified: DateTime<Utc>,
    pub created_seq: u64,
    /// The change sequence number at which each sync property last changed.
    pub changed: BTreeMap<&'static str, u64>,
    pub deleted: bool,
    pub deleted_seq: u64,
}

impl Meeting {
    pub fn involves(&self, user_id: &str) -> bool {
        self.host_id.eq_ignore_ascii_case(user_id)
            || self.invitations.iter().any(|i| i.user_id.eq_ignore_ascii_case(user_id))
    }

    pub fn can_edit(&self, user_id: &str) -> bool {
        self.host_id.eq_ignore_ascii_case(user_id)
            || self.invitations.iter().any(|i| i.is_co_host && i.user_id.eq_ignore_ascii_case(user_id))
    }
}

#[derive(Debug)]
pub struct Data {
    pub users: Vec<User>,
    pub logins: HashMap<String, Login>,
    pub access: HashMap<String, Access>,
    pub refresh: HashMap<String, Refresh>,
    /// Keyed by the lower-cased id: guids compare case-insensitively.
    pub meetings: BTreeMap<String, Meeting>,
    pub seq: u64,
    /// Makes sync tokens from before a reset unknown.
    pub sync_prefix: String,
}

pub fn guid() -> String {
    uuid::Uuid::new_v4().to_string().to_ascii_uppercase()
}

impl Data {
    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        self.users.iter().find(|u| u.email.eq_ignore_ascii_case(email.trim()))
    }

    pub fn user_by_id(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id.eq_ignore_ascii_case(id.trim()))
    }

    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn seed(now: DateTime<Utc>) -> Self {
        let user = |id: &str, name: &str, email: &str, title: &str, enabled: bool, guest: bool| User {
            id: id.into(),
            name: name.into(),
            email: email.into(),
            title: title.into(),
            password: PASSWORD.into(),
            enabled,
            guest,
        };
        let users = vec![
            user(
                "FDD049F3-5B1C-4C57-9D0E-1A2B3C4D5E01",
                "Alex Morgan",
                DEFAULT_USER,
                "Head of Operations",
                true,
                false,
            ),
            user(
                "FDD049F3-5B1C-4C57-9D0E-1A2B3C4D5E02",
                "Jordan Kim",
                "jordan.kim@example.com",
                "Engineering Manager",
                true,
                false,
            ),
            user(
                "FDD049F3-5B1C-4C57-9D0E-1A2B3C4D5E03",
                "Casey Diaz",
                "casey.diaz@example.com",
                "Product Designer",
                true,
                false,
            ),
            user(
                "FDD049F3-5B1C-4C57-9D0E-1A2B3C4D5E04",
                "Taylor Fox",
                "taylor.fox@example.com",
                "Sales Director",
                true,
                false,
            ),
            user(
                "FDD049F3-5B1C-4C57-9D0E-1A2B3C4D5E05",
                "Robin Former",
                "robin.former@example.com",
                "Analyst",
                false,
                false,
            ),
            user("FDD049F3-5B1C-4C57-9D0E-1A2B3C4D5E06", "Pat Guest", "pat@partner.example", "External", true, true),
        ];
        let mut data = Self {
            users,
            logins: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            meetings: BTreeMap::new(),
            seq: 0,
            sync_prefix: crate::http::random_token(6),
        };
        let day = now.date_naive().and_time(NaiveTime::MIN).and_utc();
        let invite = |data: &Data, i: usize, status: &str, co_host: bool| Invitation {
            user_id: data.users[i].id.clone(),
            status: status.into(),
            required: true,
            is_co_host: co_host,
        };
        let plan = [
            (
                "Board meeting preparation",
                1,
                8,
                60,
                "Room 4.01",
                "Agree the board pack",
                0usize,
                vec![invite(&data, 1, "ACCEPTED", false), invite(&data, 3, "PENDING", false)],
            ),
            (
                "Vendor selection: CRM",
                2,
                13,
                45,
                "Teams",
                "Shortlist two vendors. Join on Teams: \
                 https://teams.microsoft.com/l/meetup-join/19%3ameeting_vendor-crm%40thread.v2/0",
                0,
                vec![invite(&data, 3, "TENTATIVE", true)],
            ),
            (
                "Engineering weekly",
                3,
                9,
                30,
                "Room 2.10",
                "Status, risks, hiring",
                1,
                vec![invite(&data, 0, "ACCEPTED", false), invite(&data, 2, "PENDING", false)],
            ),
            (
                "Partner kickoff",
                4,
                15,
                60,
                "Partner office",
                "Scope and timeline",
                0,
                vec![invite(&data, 5, "PENDING", false), invite(&data, 2, "DECLINED", false)],
            ),
            (
                "Budget review",
                6,
                10,
                90,
                "Room 4.01",
                "Q3 forecast",
                0,
                vec![invite(&data, 1, "PENDING", false), invite(&data, 3, "ACCEPTED", false)],
            ),
            (
                "Design sign-off",
                8,
                14,
                60,
                "Studio",
                "Approve the new onboarding flow",
                2,
                vec![invite(&data, 0, "PENDING", false)],
            ),
        ];
        for (i, (title, days, hour, minutes, location, purpose, host, invitations)) in plan.into_iter().enumerate() {
            let start = day + Duration::days(days) + Duration::hours(hour);
            let id = guid();
            let seq = data.next_seq();
            let mut invitations = invitations;
            invitations.sort_by_key(|inv| data.user_by_id(&inv.user_id).map(|u| u.email.clone()).unwrap_or_default());
            let meeting = Meeting {
                id: if i == 4 { "1042".into() } else { id.clone() },
                legacy_integer_id: i == 4,
                client_sync_id: id,
                title: title.into(),
                start,
                end: start + Duration::minutes(minutes),
                location: location.into(),
                purpose: purpose.into(),
                host_id: data.users[host].id.clone(),
                invitations,
                invitation_send_time: Some(now - Duration::days(3)),
                send_invitations: true,
                actual_start: None,
                actual_end: None,
                create_teams_meeting: location == "Teams",
                all_day_event: false,
                modified: now - Duration::days(3),
                created_seq: seq,
                changed: SYNC_PROPERTIES.iter().map(|p| (*p, seq)).collect(),
                deleted: false,
                deleted_seq: 0,
            };
            data.meetings.insert(meeting.id.to_ascii_lowercase(), meeting);
        }
        data
    }
}
