//! Each provider operation for one account, with the account's token and the retry rules: what the backend
//! task runs, and what the command line's quick start reuses.

use crate::auth::{AccountStatus, Auth};
use crate::providers::{Provider, ProviderError, calendar, joindin, joinme, meetingbooster};

use super::model::{AgendaItem, Draft, ItemKind, PresentersView};
use super::retry::{RetryPolicy, with_token};

pub struct Ops<'a> {
    pub auth: &'a Auth,
    pub policy: RetryPolicy,
}

fn provider_of(auth_status: &AccountStatus) -> Provider {
    auth_status.record.provider
}

/// What a saved draft became.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub meeting_id: String,
    /// The answer was lost, but the server has the change (found by reconciliation).
    pub reconciled: bool,
}

impl Ops<'_> {
    fn jm(&self) -> Result<&crate::providers::JoinmeEndpoint, ProviderError> {
        self.auth.endpoints().joinme()
    }

    fn mb(&self) -> Result<&crate::providers::MeetingBoosterEndpoint, ProviderError> {
        self.auth.endpoints().meetingbooster()
    }

    fn jd(&self) -> Result<&crate::providers::JoindinEndpoint, ProviderError> {
        self.auth.endpoints().joindin()
    }

    /// One account's agenda. MeetingBooster's comes through its sync endpoint; `sync` holds the `SyncToken`
    /// and the meetings known so far, and is updated.
    pub async fn agenda(
        &self,
        account: &AccountStatus,
        sync: &mut SyncState,
    ) -> Result<Vec<AgendaItem>, ProviderError> {
        let http = self.auth.http();
        let key = account.key();
        let item = |id: String, kind, title: String, start, end| {
            AgendaItem::new(provider_of(account), key, id, kind, title, start, end)
        };
        match provider_of(account) {
            Provider::Joinme => {
                let ep = self.jm()?;
                let meetings = with_token(self.auth, key, self.policy, |t| async move {
                    joinme::list_meetings(http, ep, &t, None).await
                })
                .await?;
                Ok(meetings
                    .into_iter()
                    .map(|m| AgendaItem {
                        participants: m.participants.clone().unwrap_or_default(),
                        link: m.viewer_link.clone(),
                        can_edit: true,
                        can_start: true,
                        ..item(m.id.to_string(), ItemKind::Meeting, m.name, m.start, m.end)
                    })
                    .collect())
            }
            Provider::Meetingbooster => {
                let ep = self.mb()?;
                let token = sync.token.clone();
                let answer = with_token(self.auth, key, self.policy, |t| {
                    let token = token.clone();
                    async move { meetingbooster::sync(http, ep, &t, token.as_deref()).await }
                })
                .await?;
                sync.apply(answer);
                let me = account.record.user.to_lowercase();
                Ok(sync
                    .meetings
                    .values()
                    .map(|m| {
                        let co_host = m.invitations.iter().any(|i| i.co_host && i.email.eq_ignore_ascii_case(&me));
                        AgendaItem {
                            participants: m.invitations.iter().map(|i| i.email.clone()).collect(),
                            answers: m
                                .invitations
                                .iter()
                                .filter_map(|i| Some((i.email.clone(), meetingbooster_answer(&i.status)?)))
                                .collect(),
                            description: m.purpose.clone(),
                            location: m.location.clone(),
                            // MeetingBooster has no join link of its own: the one people wrote in.
                            link: launcher_core::links::best_link([m.location.as_str(), m.purpose.as_str()])
                                .map(|l| l.url),
                            can_edit: m.host_email.eq_ignore_ascii_case(&me) || co_host,
                            ..item(m.id.clone(), ItemKind::Meeting, m.title.clone(), m.start, m.end)
                        }
                    })
                    .collect())
            }
            Provider::Joindin => {
                let ep = self.jd()?;
                let (attending, hosting) =
                    with_token(self.auth, key, self.policy, |t| async move { joindin::my_events(http, ep, &t).await })
                        .await?;
                let mut seen = std::collections::HashSet::new();
                // joind.in also lists the past events you attended; an agenda shows what is ahead.
                let now = self.auth.now();
                Ok(attending
                    .into_iter()
                    .map(|e| (e, true))
                    .chain(hosting.into_iter().map(|e| (e, false)))
                    .filter(|(e, _)| e.end >= now && seen.insert(e.id.clone()))
                    .map(|(e, attending)| AgendaItem {
                        location: e.location.clone(),
                        // An online event's meeting link where it gives one; its page otherwise.
                        link: launcher_core::links::best_link([e.location.as_str()])
                            .map(|l| l.url)
                            .or_else(|| Some(e.url.clone()).filter(|u| !u.is_empty())),
                        attending: Some(attending || e.attending),
                        ..item(e.id.clone(), ItemKind::Event, e.name.clone(), e.start, e.end)
                    })
                    .collect())
            }
            Provider::Calendar => self.feed_agenda(account, &mut sync.feed).await,
        }
    }

    /// Sends a create or an edit. A create whose answer is lost is reconciled against the server before any
    /// retry, so no duplicate is made.
    pub async fn save(&self, draft: &mut Draft) -> Result<Saved, ProviderError> {
        let http = self.auth.http();
        let key = draft.account.clone();
        match draft.provider {
            Provider::Joinme => {
                let ep = self.jm()?;
                let input = joinme_input(draft);
                if let Some(id) = draft.meeting_id.as_ref().and_then(|id| id.parse::<u64>().ok()) {
                    let input = &input;
                    let m = with_token(self.auth, &key, self.policy, |t| async move {
                        joinme::update_meeting(http, ep, &t, id, input).await
                    })
                    .await?;
                    return Ok(Saved { meeting_id: m.id.to_string(), reconciled: false });
                }
                if draft.known_lookalikes.is_none() {
                    draft.known_lookalikes = Some(self.joinme_lookalikes(&key, &input).await?);
                }
                let known = draft.known_lookalikes.clone().unwrap_or_default();
                let input = &input;
                let mut attempt = 0;
                loop {
                    match with_token(self.auth, &key, RetryPolicy::NONE, |t| async move {
                        joinme::create_meeting(http, ep, &t, input).await
                    })
                    .await
                    {
                        Ok(m) => {
                            return Ok(Saved { meeting_id: m.id.to_string(), reconciled: false });
                        }
                        Err(e) if e.is_transient() => {
                            // The server may have made it before the answer was lost: look before trying again.
                            let now = self.joinme_lookalikes(&key, input).await?;
                            if let Some(id) = now.into_iter().find(|id| !known.contains(id)) {
                                return Ok(Saved { meeting_id: id, reconciled: true });
                            }
                            if attempt >= self.policy.retries {
                                return Err(e);
                            }
                            tokio::time::sleep(self.policy.delay(attempt, &e)).await;
                            attempt = attempt.saturating_add(1);
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
            Provider::Meetingbooster => {
                let ep = self.mb()?;
                let editing = draft.meeting_id.is_some();
                let meeting = meetingbooster::Meeting {
                    id: draft.meeting_id.clone().unwrap_or_else(|| draft.client_id.clone()),
                    title: draft.title.trim().to_string(),
                    start: draft.start,
                    end: draft.end,
                    location: draft.location.clone(),
                    // Not sent: the server keeps what it has.
                    purpose: String::new(),
                    host_email: String::new(),
                    invitations: draft
                        .participants
                        .iter()
                        .map(|e| meetingbooster::Invitation {
                            email: e.clone(),
                            name: String::new(),
                            status: "PENDING".into(),
                            co_host: false,
                        })
                        .collect(),
                };
                let meeting = &meeting;
                if editing {
                    with_token(self.auth, &key, self.policy, |t| async move {
                        meetingbooster::update(http, ep, &t, meeting).await
                    })
                    .await?;
                    return Ok(Saved { meeting_id: meeting.id.clone(), reconciled: false });
                }
                let mut attempt = 0;
                loop {
                    match with_token(self.auth, &key, RetryPolicy::NONE, |t| async move {
                        meetingbooster::create(http, ep, &t, meeting).await
                    })
                    .await
                    {
                        Ok(m) => {
                            return Ok(Saved { meeting_id: m.id, reconciled: false });
                        }
                        // The id is ours: whether the server has it answers whether the create happened.
                        Err(e) if e.is_transient() || matches!(e, ProviderError::Invalid { .. }) => {
                            let id = meeting.id.clone();
                            let found = with_token(self.auth, &key, self.policy, |t| {
                                let id = id.clone();
                                async move { meetingbooster::get(http, ep, &t, &id).await }
                            })
                            .await?;
                            if found.is_some() {
                                return Ok(Saved { meeting_id: meeting.id.clone(), reconciled: true });
                            }
                            if !e.is_transient() || attempt >= self.policy.retries {
                                return Err(e);
                            }
                            tokio::time::sleep(self.policy.delay(attempt, &e)).await;
                            attempt = attempt.saturating_add(1);
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
            Provider::Joindin => Err(ProviderError::NotPermitted {
                provider: Provider::Joindin,
                detail: "joind.in events are made on its website".into(),
            }),
            Provider::Calendar => Err(read_only()),
        }
    }

    /// Before a join.me create is first sent: note which meetings already look like it, so that a lost answer
    /// can later be told apart from a meeting that was there before (the draft is saved with this list).
    pub async fn prepare(&self, draft: &mut Draft) -> Result<(), ProviderError> {
        if draft.provider == Provider::Joinme && draft.meeting_id.is_none() && draft.known_lookalikes.is_none() {
            let input = joinme_input(draft);
            draft.known_lookalikes = Some(self.joinme_lookalikes(&draft.account, &input).await?);
        }
        Ok(())
    }

    /// Ids of upcoming join.me meetings that look exactly like `input`.
    async fn joinme_lookalikes(&self, key: &str, input: &joinme::MeetingInput) -> Result<Vec<String>, ProviderError> {
        let (http, ep) = (self.auth.http(), self.jm()?);
        let list =
            with_token(self.auth, key, self.policy, |t| async move { joinme::list_meetings(http, ep, &t, None).await })
                .await?;
        Ok(list
            .into_iter()
            .filter(|m| m.name == input.name && m.start == input.start && m.end == input.end)
            .map(|m| m.id.to_string())
            .collect())
    }

    /// Deletes a meeting. Deleting what is already gone is done.
    pub async fn delete(&self, provider: Provider, account: &str, meeting_id: &str) -> Result<(), ProviderError> {
        let http = self.auth.http();
        let result = match provider {
            Provider::Joinme => {
                let ep = self.jm()?;
                let id: u64 = meeting_id
                    .parse()
                    .map_err(|_| ProviderError::NotFound { provider, what: "such meeting".into() })?;
                with_token(self.auth, account, self.policy, |t| async move {
                    joinme::delete_meeting(http, ep, &t, id).await
                })
                .await
            }
            Provider::Meetingbooster => {
                let ep = self.mb()?;
                with_token(self.auth, account, self.policy, |t| async move {
                    meetingbooster::delete(http, ep, &t, meeting_id).await
                })
                .await
            }
            Provider::Joindin => {
                return Err(ProviderError::NotPermitted {
                    provider,
                    detail: "joind.in events cannot be deleted here".into(),
                });
            }
            Provider::Calendar => return Err(read_only()),
        };
        match result {
            Err(ProviderError::NotFound { .. }) => Ok(()),
            other => other,
        }
    }

    /// Starts a meeting (ad hoc when `meeting_id` is `None`). Not retried after a lost answer: a second start
    /// would make a second meeting.
    pub async fn start(
        &self,
        account: &str,
        meeting_id: Option<&str>,
        personal_url: bool,
    ) -> Result<joinme::Started, ProviderError> {
        let (http, ep) = (self.auth.http(), self.jm()?);
        let policy = RetryPolicy { retries: 0, ..self.policy };
        match meeting_id {
            None => {
                with_token(self.auth, account, policy, |t| async move {
                    joinme::start_adhoc(http, ep, &t, personal_url).await
                })
                .await
            }
            Some(id) => {
                let id: u64 = id
                    .parse()
                    .map_err(|_| ProviderError::NotFound { provider: Provider::Joinme, what: "such meeting".into() })?;
                with_token(
                    self.auth,
                    account,
                    policy,
                    |t| async move { joinme::start_scheduled(http, ep, &t, id).await },
                )
                .await
            }
        }
    }

    /// The join.me user and their audio conference.
    pub async fn profile(&self, account: &str) -> Result<(joinme::User, Option<joinme::Conference>), ProviderError> {
        let (http, ep) = (self.auth.http(), self.jm()?);
        let user =
            with_token(self.auth, account, self.policy, |t| async move { joinme::user(http, ep, &t).await }).await?;
        let conference =
            with_token(
                self.auth,
                account,
                self.policy,
                |t| async move { joinme::conference_settings(http, ep, &t).await },
            )
            .await?;
        Ok((user, conference))
    }

    pub async fn presenters(&self, account: &str) -> Result<PresentersView, ProviderError> {
        let (http, ep) = (self.auth.http(), self.jm()?);
        match with_token(self.auth, account, self.policy, |t| async move { joinme::presenters(http, ep, &t).await })
            .await
        {
            Ok(list) => Ok(PresentersView::Ready(list)),
            Err(e) if joinme::needs_business_plan(&e) => Ok(PresentersView::NeedsBusinessPlan),
            Err(e) => Err(e),
        }
    }

    pub async fn invite_presenter(&self, account: &str, email: &str) -> Result<(), ProviderError> {
        if !super::model::valid_email(email) {
            return Err(ProviderError::Invalid {
                provider: Provider::Joinme,
                message: format!("\"{email}\" is not an e-mail address."),
            });
        }
        let (http, ep) = (self.auth.http(), self.jm()?);
        let email = email.trim();
        with_token(self.auth, account, RetryPolicy::NONE, |t| async move {
            joinme::invite_presenter(http, ep, &t, email).await
        })
        .await
        .map(|_| ())
    }

    pub async fn remove_presenter(&self, account: &str, id: u64) -> Result<(), ProviderError> {
        let (http, ep) = (self.auth.http(), self.jm()?);
        with_token(self.auth, account, self.policy, |t| async move { joinme::remove_presenter(http, ep, &t, id).await })
            .await
    }

    pub async fn talks(&self, event_id: &str) -> Result<Vec<joindin::Talk>, ProviderError> {
        let (http, ep) = (self.auth.http(), self.jd()?);
        let mut attempt = 0;
        loop {
            match joindin::talks(http, ep, event_id).await {
                Err(e) if e.is_transient() && attempt < self.policy.retries => {
                    tokio::time::sleep(self.policy.delay(attempt, &e)).await;
                    attempt = attempt.saturating_add(1);
                }
                other => return other,
            }
        }
    }

    /// Whether the service still accepts the account's sign-in: one cheap call that needs it (who the user is).
    /// A token that ran out or is refused is renewed first, as for any call. A calendar has no sign-in to check.
    pub async fn check(&self, account: &AccountStatus) -> Result<(), ProviderError> {
        let (http, key) = (self.auth.http(), account.key());
        match provider_of(account) {
            Provider::Joinme => {
                let ep = self.jm()?;
                with_token(self.auth, key, self.policy, |t| async move { joinme::user(http, ep, &t).await.map(drop) })
                    .await
            }
            Provider::Meetingbooster => {
                let ep = self.mb()?;
                with_token(
                    self.auth,
                    key,
                    self.policy,
                    |t| async move { meetingbooster::me(http, ep, &t).await.map(drop) },
                )
                .await
            }
            Provider::Joindin => {
                let ep = self.jd()?;
                with_token(
                    self.auth,
                    key,
                    self.policy,
                    |t| async move { joindin::whoami(http, ep, &t).await.map(drop) },
                )
                .await
            }
            Provider::Calendar => Ok(()),
        }
    }

    pub async fn set_attending(&self, account: &str, event_id: &str, attend: bool) -> Result<(), ProviderError> {
        let (http, ep) = (self.auth.http(), self.jd()?);
        with_token(self.auth, account, self.policy, |t| async move {
            joindin::set_attending(http, ep, &t, event_id, attend).await
        })
        .await
    }
}

/// What join.me is sent for a draft. Times to the second, as the service keeps them, so that a meeting read
/// back compares equal to the one sent.
fn joinme_input(draft: &Draft) -> joinme::MeetingInput {
    let second = |t: chrono::DateTime<chrono::Utc>| chrono::DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t);
    joinme::MeetingInput {
        name: draft.title.trim().to_string(),
        start: second(draft.start),
        end: second(draft.end),
        participants: draft.participants.clone(),
        start_with_personal_url: false,
    }
}

/// What one account's last load leaves for the next: MeetingBooster's `SyncToken` and the meetings it has
/// reported; a calendar's version and the feed it held.
#[derive(Debug, Default, Clone)]
pub struct SyncState {
    pub token: Option<String>,
    pub meetings: std::collections::BTreeMap<String, meetingbooster::Meeting>,
    pub feed: Option<HeldFeed>,
}

/// A calendar feed as last fetched: re-expanded on a 304, over the window of the moment.
#[derive(Debug, Clone)]
pub struct HeldFeed {
    /// Which address it came from (a digest: the address is secret), so a new address starts afresh.
    pub address: [u8; 32],
    pub validators: calendar::Validators,
    pub feed: std::sync::Arc<calendar::ics::Feed>,
}

/// How far ahead a calendar is expanded: two months. From now, as the services list what is ahead (a meeting
/// that began earlier and still runs overlaps now, so it is found).
pub const FEED_AHEAD: chrono::Duration = chrono::Duration::days(60);

/// A calendar meeting is changed where it lives, in the calendar.
fn read_only() -> ProviderError {
    ProviderError::NotPermitted {
        provider: Provider::Calendar,
        detail: "a calendar feed is read-only; change the meeting in the calendar itself".into(),
    }
}

/// The user's zone, for a feed's floating times and all-day dates: `TZ` when it names a zone (`Europe/Berlin`,
/// `:Europe/Berlin`, a path into the zone database), else the system's; UTC if neither is one the app knows.
pub fn local_zone() -> chrono_tz::Tz {
    let from_tz = std::env::var("TZ").ok().and_then(|tz| {
        let name = tz.trim_start_matches(':');
        let name = name.split_once("zoneinfo/").map_or(name, |(_, zone)| zone);
        name.parse().ok()
    });
    from_tz.or_else(|| iana_time_zone::get_timezone().ok()?.parse().ok()).unwrap_or(chrono_tz::UTC)
}

impl HeldFeed {
    pub fn new(
        address: &launcher_core::secret::Secret,
        validators: calendar::Validators,
        feed: calendar::ics::Feed,
    ) -> Self {
        Self { address: digest(address), validators, feed: std::sync::Arc::new(feed) }
    }
}

/// Which address a feed came from, without keeping the address.
fn digest(address: &launcher_core::secret::Secret) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(address.expose().as_bytes()).into()
}

impl Ops<'_> {
    /// A calendar's agenda: fetched only if changed, expanded from now to [`FEED_AHEAD`]. Its meetings'
    /// links come from the conference properties first, then the URL, place and description.
    async fn feed_agenda(
        &self,
        account: &AccountStatus,
        held: &mut Option<HeldFeed>,
    ) -> Result<Vec<AgendaItem>, ProviderError> {
        let http = self.auth.http();
        let key = account.key();
        let address = self.auth.access_token(key).await?;
        let digest = digest(&address);
        if held.as_ref().is_some_and(|h| h.address != digest) {
            *held = None;
        }
        let validators = held.as_ref().map(|h| h.validators.clone()).unwrap_or_default();
        let validators = &validators;
        let fetched = with_token(self.auth, key, self.policy, |address| async move {
            calendar::fetch(http, &address, validators).await
        })
        .await?;
        let feed = match (fetched, held.as_ref()) {
            (calendar::Fetched::NotModified, Some(h)) => h.feed.clone(),
            (calendar::Fetched::NotModified, None) => {
                return Err(ProviderError::Unexpected {
                    provider: Provider::Calendar,
                    detail: "it answered “not modified” to a request for the whole calendar".into(),
                });
            }
            (calendar::Fetched::Changed { text, validators }, _) => {
                // A feed of megabytes takes a while to read: off the runtime's workers.
                let parsed = tokio::task::spawn_blocking(move || calendar::ics::parse(&text)).await.map_err(|_| {
                    ProviderError::Unexpected { provider: Provider::Calendar, detail: "it could not be read".into() }
                })?;
                let feed =
                    std::sync::Arc::new(parsed.map_err(|e| ProviderError::Unexpected {
                        provider: Provider::Calendar,
                        detail: e.to_string(),
                    })?);
                *held = Some(HeldFeed { address: digest, validators, feed: feed.clone() });
                feed
            }
        };
        let now = self.auth.now();
        let to = launcher_core::timefmt::later(now, FEED_AHEAD);
        let mut me = account.record.addresses.clone();
        me.extend(feed.name.iter().filter(|n| n.contains('@')).map(|n| n.to_lowercase()));
        // Thousands of occurrences take a moment: off the runtime's workers.
        let occurrences =
            tokio::task::spawn_blocking(move || feed.occurrences(now, to, &me, local_zone())).await.unwrap_or_default();
        let mut seen = std::collections::HashSet::new();
        // One item per id, whatever a feed repeats (an override written twice, in two zones).
        Ok(occurrences
            .into_iter()
            .filter(|o| o.end > now && seen.insert(o.id.clone()))
            .map(|o| feed_item(key, o))
            .collect())
    }
}

/// A MeetingBooster invitation's status (its four documented states) as an answer; any other says nothing.
fn meetingbooster_answer(status: &str) -> Option<launcher_core::agenda::Answer> {
    use launcher_core::agenda::Answer;
    match status {
        "ACCEPTED" => Some(Answer::Accepted),
        "TENTATIVE" => Some(Answer::Tentative),
        "DECLINED" => Some(Answer::Declined),
        "PENDING" => Some(Answer::Pending),
        _ => None,
    }
}

/// One occurrence as the agenda shows it: read-only, joined through the best link it carries.
fn feed_item(account: &str, o: calendar::ics::Occurrence) -> AgendaItem {
    use launcher_core::agenda::Skipped;
    use launcher_core::links::{best_link, parse_link};
    let kind = if o.all_day { ItemKind::AllDay } else { ItemKind::Meeting };
    let link = o
        .conference
        .iter()
        .find_map(|c| parse_link(c))
        .or_else(|| best_link([o.url.as_deref().unwrap_or(""), o.location.as_str(), o.description.as_str()]))
        .map(|l| l.url);
    AgendaItem {
        participants: o.attendees,
        description: o.description,
        location: o.location,
        link,
        skipped: if o.cancelled {
            Some(Skipped::Cancelled)
        } else if o.declined {
            Some(Skipped::Declined)
        } else {
            None
        },
        ..AgendaItem::new(Provider::Calendar, account, o.id, kind, o.title, o.start, o.end)
    }
}

impl SyncState {
    pub fn apply(&mut self, sync: meetingbooster::Sync) {
        if sync.full {
            self.meetings.clear();
        }
        for change in sync.changes {
            match change {
                meetingbooster::Change::Upsert(m) => {
                    self.meetings.insert(m.id.to_lowercase(), m);
                }
                meetingbooster::Change::Deleted { id } => {
                    self.meetings.remove(&id.to_lowercase());
                }
            }
        }
        self.token = sync.sync_token.or(self.token.take());
    }
}
