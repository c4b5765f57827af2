//! Reminders on the sandbox's virtual clock: each due meeting is reminded once, its Start action starts it,
//! a restart repeats nothing, a deleted meeting gets none, and a desktop without notifications still tells
//! the window.
//!
//! A "no reminder" is checked once a control meeting, due when the missing one would have been, was reminded:
//! the backend gives every due reminder in one look at the agenda, so the control's arrival shows it looked.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use launcher_engine::backend::{AgendaItem, Command, Draft, Event};
use launcher_engine::ports::{DesktopNotifier, OnChoice, Reminder, ReminderChoice, Shown};
use launcher_engine::providers::Provider;
use launcher_engine::settings::ReminderSettings;
use launcher_sandbox::Sandbox;

use super::ui::{Ui, sandbox};

/// Records what would have popped up, and keeps each one's action for the test to click.
#[derive(Default)]
struct Desktop {
    shown: Mutex<Vec<(Reminder, Option<OnChoice>)>>,
    broken: Option<String>,
}

impl DesktopNotifier for Desktop {
    fn show(&self, reminder: &Reminder, on_choice: OnChoice) -> Result<Shown, String> {
        if let Some(why) = &self.broken {
            return Err(why.clone());
        }
        self.shown.lock().unwrap().push((reminder.clone(), Some(on_choice)));
        Ok(Shown::WithButtons)
    }
}

impl Desktop {
    /// The user picks `choice` in the latest notification titled `summary`.
    fn pick(&self, summary: &str, choice: ReminderChoice) {
        let mut shown = self.shown.lock().unwrap();
        let action = shown.iter_mut().rev().find(|(r, _)| r.summary == summary).and_then(|(_, a)| a.take());
        (action.expect("a reminder still open"))(choice);
    }

    fn latest(&self, summary: &str) -> Reminder {
        let shown = self.shown.lock().unwrap();
        shown.iter().rev().find(|(r, _)| r.summary == summary).map(|(r, _)| r.clone()).expect("shown")
    }

    fn count(&self, summary: &str) -> usize {
        self.shown.lock().unwrap().iter().filter(|(r, _)| r.summary == summary).count()
    }
}

fn later(agenda: &[AgendaItem], now: DateTime<Utc>) -> Vec<AgendaItem> {
    // Meetings far enough ahead that no reminder is due yet.
    agenda.iter().filter(|i| i.start > now + Duration::minutes(30)).cloned().collect()
}

fn move_clock_to(sb: &Sandbox, at: DateTime<Utc>) {
    sb.control().advance_clock(at - sb.control().now());
}

/// Whole seconds: the service keeps meeting times to the second.
fn whole(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).expect("in range")
}

/// Creates a half-hour join.me meeting at `start` and waits until the backend's agenda has it.
async fn create(ui: &mut Ui, account: &str, title: &str, start: DateTime<Utc>) -> AgendaItem {
    let draft = Draft::new(account, Provider::Joinme, title, start, start + Duration::minutes(30));
    let draft_id = draft.id.clone();
    ui.send(Command::SaveMeeting { draft });
    let Event::DraftSaved { meeting_id, .. } =
        ui.wait_for(title, |e| matches!(e, Event::DraftSaved { draft_id: d, .. } if *d == draft_id)).await
    else {
        unreachable!()
    };
    let Event::Agenda(agenda) =
        ui.wait_for(title, |e| matches!(e, Event::Agenda(a) if a.iter().any(|i| i.id == meeting_id))).await
    else {
        unreachable!()
    };
    agenda.into_iter().find(|i| i.id == meeting_id).unwrap()
}

/// How many reminders for `item` the window has heard of so far.
fn heard_count(ui: &Ui, item: &AgendaItem) -> usize {
    ui.seen.iter().filter(|e| matches!(e, Event::Reminder { item: i, .. } if i.id == item.id)).count()
}

/// Waits until the window has heard of `count` reminders for `item` (those already seen count); returns
/// whether the desktop showed the last one. The desktop is called before the window hears.
async fn heard(ui: &mut Ui, item: &AgendaItem, count: usize) -> Result<Shown, String> {
    while heard_count(ui, item) < count {
        let what = format!("reminder {} for {}", heard_count(ui, item) + 1, item.title);
        ui.wait_for(&what, |e| matches!(e, Event::Reminder { item: i, .. } if i.id == item.id)).await;
    }
    let last = ui.seen.iter().rev().find(|e| matches!(e, Event::Reminder { item: i, .. } if i.id == item.id));
    let Some(Event::Reminder { item: given, notified, .. }) = last else { unreachable!() };
    assert_eq!(given.account, item.account);
    notified.clone()
}

/// A backend reminding through `desktop` `lead` minutes ahead (`None`: reminders off), signed in to join.me, its
/// clock moved to `before` minutes ahead of the first meeting more than half an hour away (which it returns).
async fn reminding(desktop: Arc<Desktop>, lead: Option<u32>, before: i64) -> (Ui, Arc<Sandbox>, AgendaItem, TempDir) {
    let sb = sandbox().await;
    let dir = TempDir::new();
    let mut ui = Ui::start_reminding(sb.clone(), dir.0.clone(), desktop);
    ui.send(Command::SetReminders(ReminderSettings { enabled: lead.is_some(), lead_minutes: lead.unwrap_or(5) }));
    ui.sign_in_joinme().await;
    let agenda = ui.agenda_after(Command::Reload).await;
    let first = later(&agenda, sb.control().now())[0].clone();
    move_clock_to(&sb, first.start - Duration::minutes(before));
    (ui, sb, first, dir)
}

struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new() -> Self {
        Self(std::env::temp_dir().join(format!("ml-reminders-{}", rand::random::<u64>())))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn each_meeting_is_reminded_once_before_it_starts_and_its_start_action_starts_it() {
    let sb = sandbox().await;
    let dir = TempDir::new();
    let desktop = Arc::new(Desktop::default());
    let mut ui = Ui::start_reminding(sb.clone(), dir.0.clone(), desktop.clone());
    let account = ui.sign_in_joinme().await;
    let agenda = ui.agenda_after(Command::Reload).await;
    let first = later(&agenda, sb.control().now()).first().cloned().expect("the sandbox has meetings ahead");

    // Not early: a meeting due now is reminded while the first, more than 30 minutes away, is not.
    let soon = create(&mut ui, &account, "Due now", whole(sb.control().now() + Duration::minutes(2))).await;
    assert_eq!(heard(&mut ui, &soon, 1).await, Ok(Shown::WithButtons));
    assert_eq!(heard_count(&ui, &first), 0, "not yet: it starts in more than 30 minutes");

    // Four minutes before the start (the default lead is five), the reminder is given.
    move_clock_to(&sb, first.start - Duration::minutes(4));
    ui.send(Command::Reload);
    assert_eq!(heard(&mut ui, &first, 1).await, Ok(Shown::WithButtons));
    let reminder = desktop.latest(&first.title);
    assert_eq!(reminder.action.as_deref(), Some("Start"));
    assert!(reminder.body.contains("in 4 min"), "{}", reminder.body);
    assert_eq!(reminder.snooze_minutes, Some(4), "snoozing never goes past the start");

    // Once: a meeting falling due a minute later is reminded while the first is still open, and the first is
    // not given again.
    let next = create(&mut ui, &account, "Due a minute later", first.start + Duration::minutes(2)).await;
    sb.control().advance_clock(Duration::minutes(1));
    ui.send(Command::Reload);
    heard(&mut ui, &next, 1).await.unwrap();
    assert_eq!(heard_count(&ui, &first), 1, "no repeat");
    assert_eq!(desktop.count(&first.title), 1, "no repeat");

    // The notification's Start starts that meeting on the service.
    desktop.pick(&first.title, ReminderChoice::Start);
    ui.wait_for("started", |e| matches!(e, Event::MeetingStarted { .. })).await;
    let started = sb.control().started_meetings();
    assert_eq!(started.len(), 1);
    assert_eq!(started[0].meeting_id.map(|id| id.to_string()), Some(first.id.clone()));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restart_does_not_repeat_a_reminder_already_given() {
    let sb = sandbox().await;
    let remembered = TempDir::new();
    let mut ui = Ui::start_reminding(sb.clone(), remembered.0.clone(), Arc::new(Desktop::default()));
    ui.sign_in_joinme().await;
    let agenda = ui.agenda_after(Command::Reload).await;
    let first = later(&agenda, sb.control().now())[0].clone();
    move_clock_to(&sb, first.start - Duration::minutes(4));
    ui.send(Command::Reload);
    heard(&mut ui, &first, 1).await.unwrap();
    ui.shutdown();

    // Control: a run that remembers nothing (another data folder) gives it again. It also makes a meeting due
    // at the same time, which the first run never saw.
    let fresh = TempDir::new();
    let mut ui = Ui::start_reminding(sb.clone(), fresh.0.clone(), Arc::new(Desktop::default()));
    let account = ui.sign_in_joinme().await;
    let unseen = create(&mut ui, &account, "Planned while closed", first.start + Duration::minutes(1)).await;
    heard(&mut ui, &unseen, 1).await.unwrap();
    heard(&mut ui, &first, 1).await.unwrap();
    ui.shutdown();

    // The restart, on the first run's data folder: the meeting it never saw is reminded, the first is not.
    let desktop = Arc::new(Desktop::default());
    let mut ui = Ui::start_reminding(sb.clone(), remembered.0.clone(), desktop.clone());
    ui.sign_in_joinme().await;
    ui.send(Command::Reload);
    heard(&mut ui, &unseen, 1).await.unwrap();
    assert_eq!(heard_count(&ui, &first), 0, "the restart repeated a reminder");
    assert_eq!(desktop.count(&first.title), 0, "the restart repeated a reminder");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_meeting_gets_no_reminder() {
    let sb = sandbox().await;
    let dir = TempDir::new();
    let desktop = Arc::new(Desktop::default());
    let mut ui = Ui::start_reminding(sb.clone(), dir.0.clone(), desktop.clone());
    let account = ui.sign_in_joinme().await;
    // Two meetings alike but for their titles; only one is deleted. The other is the control.
    let start = whole(sb.control().now() + Duration::hours(1));
    let deleted = create(&mut ui, &account, "Cancelled sync", start).await;
    let kept = create(&mut ui, &account, "Kept sync", start).await;
    ui.send(Command::DeleteMeeting { account: account.clone(), meeting_id: deleted.id.clone() });
    ui.wait_for("deleted", |e| matches!(e, Event::Deleted { meeting_id, .. } if *meeting_id == deleted.id)).await;

    move_clock_to(&sb, start - Duration::minutes(2));
    ui.send(Command::Reload);
    heard(&mut ui, &kept, 1).await.unwrap();
    assert_eq!(heard_count(&ui, &deleted), 0, "a deleted meeting was reminded");
    assert_eq!(desktop.count(&deleted.title), 0, "a deleted meeting was reminded");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_notification_server_the_window_still_gets_the_reminder_and_why() {
    let desktop = Arc::new(Desktop { broken: Some("no notification server".into()), ..Desktop::default() });
    let (mut ui, _sb, first, _dir) = reminding(desktop, Some(5), 1).await;
    ui.send(Command::Reload);
    assert_eq!(heard(&mut ui, &first, 1).await, Err("no notification server".to_string()));
}

#[tokio::test(flavor = "multi_thread")]
async fn reminders_turned_off_give_none_until_turned_on() {
    let desktop = Arc::new(Desktop::default());
    let (mut ui, sb, first, _dir) = reminding(desktop.clone(), None, 4).await;
    // Due, but off. Nothing marks a look that gave nothing, so the reload's agenda is the last word before it.
    ui.agenda_after(Command::Reload).await;

    // Control, differing only in the setting: turned on a minute later, it is given with that minute's
    // countdown, so it was not given while off (that one would say 4 min, and would not be given again).
    sb.control().advance_clock(Duration::minutes(1));
    ui.send(Command::SetReminders(ReminderSettings { enabled: true, lead_minutes: 5 }));
    heard(&mut ui, &first, 1).await.unwrap();
    let reminder = desktop.latest(&first.title);
    assert!(reminder.body.contains("in 3 min"), "given while off: {}", reminder.body);
    assert_eq!(desktop.count(&first.title), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_snoozed_reminder_comes_back_once_when_the_snooze_ends() {
    let desktop = Arc::new(Desktop::default());
    let (mut ui, sb, first, _dir) = reminding(desktop.clone(), Some(15), 15).await;
    ui.send(Command::Reload);
    heard(&mut ui, &first, 1).await.unwrap();
    assert_eq!(desktop.latest(&first.title).snooze_minutes, Some(5));

    // The snooze's end is set by the backend's clock when it takes the snooze: the clock moves only after that.
    desktop.pick(&first.title, ReminderChoice::Snooze);
    let Event::ReminderSnoozed { until, account, .. } = ui
        .wait_for("the snooze", |e| matches!(e, Event::ReminderSnoozed { meeting_id, .. } if *meeting_id == first.id))
        .await
    else {
        unreachable!()
    };
    assert_eq!(account, first.account);
    let now = sb.control().now();
    assert!(until > now + Duration::minutes(4) && until <= now + Duration::minutes(5), "{until} from {now}");

    // Controls due a minute before and a minute after the snooze ends (with a 15-minute lead).
    let lead = Duration::minutes(15);
    let before =
        create(&mut ui, &account, "Due before the snooze ends", whole(until - Duration::minutes(1)) + lead).await;
    let after =
        create(&mut ui, &account, "Due after the snooze ends", whole(until + Duration::minutes(1)) + lead).await;

    move_clock_to(&sb, until - Duration::seconds(30));
    ui.send(Command::Reload);
    heard(&mut ui, &before, 1).await.unwrap();
    assert_eq!(heard_count(&ui, &first), 1, "not before the snooze ends");

    move_clock_to(&sb, until);
    ui.send(Command::Reload);
    heard(&mut ui, &first, 2).await.unwrap();

    move_clock_to(&sb, until + Duration::minutes(2));
    ui.send(Command::Reload);
    heard(&mut ui, &after, 1).await.unwrap();
    assert_eq!(heard_count(&ui, &first), 2, "once");
    assert_eq!(desktop.count(&first.title), 2, "once");
}
