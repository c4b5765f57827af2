//! Reminders on the sandbox's virtual clock: each due meeting is reminded once, its Start action starts it,
//! a restart repeats nothing, a deleted meeting gets none, and a desktop without notifications still tells
//! the window.

use std::sync::{Arc, Mutex};

use chrono::Duration;
use launcher_engine::backend::{AgendaItem, Command, Event};
use launcher_engine::ports::{DesktopNotifier, OnChoice, Reminder, ReminderChoice};
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
    fn show(&self, reminder: &Reminder, on_choice: OnChoice) -> Result<(), String> {
        if let Some(why) = &self.broken {
            return Err(why.clone());
        }
        self.shown.lock().unwrap().push((reminder.clone(), Some(on_choice)));
        Ok(())
    }
}

impl Desktop {
    fn summaries(&self) -> Vec<String> {
        self.shown.lock().unwrap().iter().map(|(r, _)| r.summary.clone()).collect()
    }

    /// The user picks `choice` in the latest notification titled `summary`.
    fn pick(&self, summary: &str, choice: ReminderChoice) {
        let mut shown = self.shown.lock().unwrap();
        let action = shown.iter_mut().rev().find(|(r, _)| r.summary == summary).and_then(|(_, a)| a.take());
        (action.expect("a reminder still open"))(choice);
    }

    fn count(&self, summary: &str) -> usize {
        self.summaries().iter().filter(|s| *s == summary).count()
    }
}

async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while !done() {
        assert!(tokio::time::Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

fn later(agenda: &[AgendaItem], now: chrono::DateTime<chrono::Utc>) -> Vec<AgendaItem> {
    // Meetings far enough ahead that no reminder is due yet.
    agenda.iter().filter(|i| i.start > now + Duration::minutes(30)).cloned().collect()
}

/// A backend reminding through `desktop` `lead` minutes ahead (`None`: reminders off), signed in to join.me, its clock moved to
/// `before` minutes ahead of the first meeting more than half an hour away (which it returns).
async fn reminding(desktop: Arc<Desktop>, lead: Option<u32>, before: i64) -> (Ui, Arc<Sandbox>, AgendaItem, TempDir) {
    let sb = sandbox().await;
    let dir = TempDir(std::env::temp_dir().join(format!("ml-reminders-{}", rand::random::<u64>())));
    let mut ui = Ui::start_reminding(sb.clone(), dir.0.clone(), desktop);
    ui.send(Command::SetReminders(ReminderSettings { enabled: lead.is_some(), lead_minutes: lead.unwrap_or(5) }));
    ui.sign_in_joinme().await;
    let agenda = ui.agenda_after(Command::Reload).await;
    let first = later(&agenda, sb.control().now())[0].clone();
    sb.control().advance_clock(first.start - Duration::minutes(before) - sb.control().now());
    (ui, sb, first, dir)
}

struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn each_meeting_is_reminded_once_before_it_starts_and_its_start_action_starts_it() {
    let sb = sandbox().await;
    let data_dir = std::env::temp_dir().join(format!("ml-reminders-{}", rand::random::<u64>()));
    let desktop = Arc::new(Desktop::default());
    let mut ui = Ui::start_reminding(sb.clone(), data_dir.clone(), desktop.clone());
    let account = ui.sign_in_joinme().await;
    let agenda = ui.agenda_after(Command::Reload).await;
    let ahead = later(&agenda, sb.control().now());
    assert!(ahead.len() >= 3, "the sandbox has meetings ahead: {agenda:#?}");
    let (first, second) = (ahead[0].clone(), ahead[1].clone());
    assert!(!desktop.summaries().contains(&first.title), "not yet: it starts in more than 30 minutes");

    // Four minutes before the start (the default lead is five), the reminder is given, once.
    let to_first = first.start - Duration::minutes(4) - sb.control().now();
    sb.control().advance_clock(to_first);
    ui.send(Command::Reload);
    wait_until("the first reminder", || desktop.summaries().contains(&first.title)).await;
    let Event::Reminder { item, notified } = ui
        .wait_for("the window hears of it", |e| matches!(e, Event::Reminder { item, .. } if item.id == first.id))
        .await
    else {
        unreachable!()
    };
    assert_eq!(notified, Ok(()));
    assert_eq!(item.account, account);
    {
        let shown = desktop.shown.lock().unwrap();
        let (reminder, _) = shown.iter().find(|(r, _)| r.summary == first.title).unwrap();
        assert_eq!(reminder.action.as_deref(), Some("Start"));
        assert!(reminder.body.contains("in 4 min"), "{}", reminder.body);
        assert_eq!(reminder.snooze_minutes, Some(4), "snoozing never goes past the start");
    }
    ui.send(Command::Reload);
    ui.agenda_after(Command::Reload).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(desktop.summaries().iter().filter(|s| **s == first.title).count(), 1, "no repeat");

    // The notification's Start starts that meeting on the service.
    desktop.pick(&first.title, ReminderChoice::Start);
    ui.wait_for("started", |e| matches!(e, Event::MeetingStarted { .. })).await;
    assert_eq!(sb.control().started_meetings().len(), 1);

    // A restart does not repeat a reminder already given.
    ui.shutdown();
    let again = Arc::new(Desktop::default());
    let mut ui = Ui::start_reminding(sb.clone(), data_dir.clone(), again.clone());
    ui.sign_in_joinme().await;
    ui.agenda_after(Command::Reload).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!again.summaries().contains(&first.title), "{:?}", again.summaries());

    // A deleted meeting gets no reminder.
    ui.send(Command::DeleteMeeting { account: account.clone(), meeting_id: second.id.clone() });
    ui.wait_for("deleted", |e| matches!(e, Event::Deleted { meeting_id, .. } if *meeting_id == second.id)).await;
    let to_second = second.start - Duration::minutes(2) - sb.control().now();
    sb.control().advance_clock(to_second);
    ui.agenda_after(Command::Reload).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!again.summaries().contains(&second.title), "{:?}", again.summaries());
    let _ = std::fs::remove_dir_all(data_dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_notification_server_the_window_still_gets_the_reminder_and_why() {
    let desktop = Arc::new(Desktop { broken: Some("no notification server".into()), ..Desktop::default() });
    let (mut ui, _sb, first, _dir) = reminding(desktop, Some(5), 1).await;
    ui.send(Command::Reload);
    let Event::Reminder { notified, .. } =
        ui.wait_for("the reminder", |e| matches!(e, Event::Reminder { item, .. } if item.id == first.id)).await
    else {
        unreachable!()
    };
    assert_eq!(notified, Err("no notification server".to_string()));
}

#[tokio::test(flavor = "multi_thread")]
async fn reminders_turned_off_give_none() {
    let desktop = Arc::new(Desktop::default());
    let (mut ui, _sb, _first, _dir) = reminding(desktop.clone(), None, 1).await;
    ui.agenda_after(Command::Reload).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(desktop.summaries().is_empty(), "{:?}", desktop.summaries());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_snoozed_reminder_comes_back_once_when_the_snooze_ends() {
    let desktop = Arc::new(Desktop::default());
    let (mut ui, sb, first, _dir) = reminding(desktop.clone(), Some(15), 15).await;
    ui.send(Command::Reload);
    wait_until("the reminder", || desktop.count(&first.title) == 1).await;
    assert_eq!(desktop.shown.lock().unwrap()[0].0.snooze_minutes, Some(5));

    desktop.pick(&first.title, ReminderChoice::Snooze);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    sb.control().advance_clock(Duration::minutes(3));
    ui.agenda_after(Command::Reload).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(desktop.count(&first.title), 1, "not before the snooze ends");

    sb.control().advance_clock(Duration::minutes(2));
    ui.send(Command::Reload);
    wait_until("the snoozed reminder", || desktop.count(&first.title) == 2).await;
    ui.agenda_after(Command::Reload).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(desktop.count(&first.title), 2, "once");
}
