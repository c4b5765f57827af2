//! Calendar feeds through the backend, against the sandbox's feed over real HTTP: read-only meetings in the one
//! agenda, joined through the link their conference properties or text give, fetched again only when changed.

use chrono::Duration;
use launcher_core::agenda::{Skipped, next_meeting};
use launcher_engine::backend::{Command, Draft, Event, ItemKind};
use launcher_engine::providers::{Provider, ProviderError};
use launcher_sandbox::CalendarEvent;

use super::ui::{Ui, sandbox};

/// Adds the sandbox's feed `feed` as the calendar `name`.
fn add(ui: &Ui, name: &str, base: &str, feed: &str) {
    ui.send(Command::AddCalendar {
        name: name.into(),
        address: launcher_core::secret::Secret::new(format!("{base}/_sandbox/ics/{feed}.ics")),
        allow_http: false,
        emails: Vec::new(),
    });
}

#[tokio::test(flavor = "multi_thread")]
async fn a_feed_joins_the_agenda_read_only_and_an_unchanged_feed_costs_no_body() {
    let sb = sandbox().await;
    let base = sb.config().sandbox.base.clone();
    let mut ui = Ui::start(sb.clone(), None);
    add(&ui, "Work", &base, "work");
    let Event::SignInFinished { result: Ok(calendar), .. } =
        ui.wait_for("the calendar added", |e| matches!(e, Event::SignInFinished { .. })).await
    else {
        panic!("the calendar was not added: {:?}", ui.seen_last());
    };
    let key = calendar.record.key.clone();
    assert_eq!(calendar.record.provider, Provider::Calendar);
    let items = match ui
        .wait_for("the calendar's meetings", |e| matches!(e, Event::Agenda(a) if a.iter().any(|i| i.account == key)))
        .await
    {
        Event::Agenda(items) => items.into_iter().filter(|i| i.account == key).collect::<Vec<_>>(),
        _ => unreachable!(),
    };
    // The add fetched the feed once; its first load only asked whether it changed.
    assert_eq!(sb.control().counter("calendar.feed.full"), 1);
    assert_eq!(sb.control().counter("calendar.feed.not_modified"), 1);

    assert!(items.iter().all(|i| !i.can_edit && !i.can_start), "read-only");
    let titled = |t: &'static str| items.iter().filter(move |i| i.title == t);
    assert!(titled("Team planning").count() >= 2, "a weekly series: {:#?}", items);
    assert_eq!(titled("Team planning (moved)").count(), 1, "one occurrence moved");
    assert!(items.iter().any(|i| i.kind == ItemKind::AllDay), "the all-day entry is listed");
    assert!(items.iter().any(|i| i.skipped == Some(Skipped::Cancelled)), "the cancelled meeting is listed");
    // Google names a person's main calendar by their address: their declines count without --email.
    assert!(items.iter().any(|i| i.skipped == Some(Skipped::Declined)), "the declined meeting is listed");
    let teams: Vec<_> = items
        .iter()
        .filter_map(|i| i.link.as_deref())
        .filter(|l| l.starts_with("https://teams.microsoft.com/l/meetup-join/"))
        .collect();
    assert!(!teams.is_empty(), "the SafeLinks-wrapped Teams link is unwrapped: {items:#?}");
    assert!(items.iter().all(|i| !i.link.as_deref().unwrap_or_default().contains("safelinks")));
    // What is next is a meeting to join: the first to start of those neither skipped nor all-day.
    let now = sb.control().now();
    let joinable = items.iter().filter(|i| i.skipped.is_none() && i.kind == ItemKind::Meeting);
    let first = joinable.min_by_key(|i| i.start).expect("the feed has meetings to join");
    let next = next_meeting(&items, now).expect("one is next");
    assert_eq!((next.id.as_str(), next.start), (first.id.as_str(), first.start));
    let skipped_first =
        items.iter().filter(|i| i.skipped.is_some() || i.kind == ItemKind::AllDay).min_by_key(|i| i.start);
    assert!(skipped_first.is_some_and(|s| s.id != next.id), "{items:#?}");

    // Reloads of an unchanged feed transfer no body.
    for _ in 0..2 {
        ui.agenda_after(Command::Reload).await;
    }
    assert_eq!(sb.control().counter("calendar.feed.full"), 1, "no body for an unchanged feed");
    assert_eq!(sb.control().counter("calendar.feed.not_modified"), 3);
    // A change is fetched, once.
    let start = now + Duration::minutes(20);
    sb.control()
        .add_calendar_event(
            "work",
            CalendarEvent {
                uid: "budget-sync@test".into(),
                summary: "Budget sync".into(),
                start,
                end: start + Duration::minutes(30),
                description: None,
                location: Some("https://meet.google.com/abc-defg-hij".into()),
            },
        )
        .unwrap();
    let agenda = ui.agenda_after(Command::Reload).await;
    assert_eq!(sb.control().counter("calendar.feed.full"), 2);
    let budget = agenda.iter().find(|i| i.title == "Budget sync").expect("the new event");
    assert_eq!(budget.link.as_deref(), Some("https://meet.google.com/abc-defg-hij"));

    // Meetings are changed where they live: the app says so instead of trying.
    let mut draft = Draft::new(&key, Provider::Calendar, "Not here", start, start + Duration::hours(1));
    draft.meeting_id = Some(budget.id.clone());
    ui.send(Command::SaveMeeting { draft });
    let failed = ui.wait_for("the edit refused", |e| matches!(e, Event::DraftFailed { .. })).await;
    assert!(
        matches!(&failed, Event::DraftFailed { error: ProviderError::NotPermitted { detail, .. }, .. }
            if detail.contains("read-only")),
        "{failed:?}"
    );

    // Removed: its meetings go, and so does its address.
    ui.send(Command::SignOut { account: key.clone() });
    ui.wait_for(
        "the calendar's meetings gone",
        |e| matches!(e, Event::Agenda(a) if !a.iter().any(|i| i.account == key)),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_feed_that_is_not_a_calendar_or_is_gone_says_so_plainly() {
    let sb = sandbox().await;
    let base = sb.config().sandbox.base.clone();
    let mut ui = Ui::start(sb.clone(), None);
    add(&ui, "Nope", &base, "missing");
    let finished = ui.wait_for("refused", |e| matches!(e, Event::SignInFinished { .. })).await;
    let Event::SignInFinished { result: Err(error), .. } = finished else { panic!("{finished:?}") };
    let said = error.to_string();
    assert!(said.contains("no longer answers its private address (HTTP 404)"), "{said}");
    assert!(!said.contains("missing.ics"), "only the host is named: {said}");

    // A feed that answers with something no calendar is: refused at once, nothing added.
    sb.control().replace_calendar_feed("odd", "<html><body>Sign in to continue</body></html>").unwrap();
    add(&ui, "Odd", &base, "odd");
    let finished = ui.wait_for("refused", |e| matches!(e, Event::SignInFinished { .. })).await;
    let Event::SignInFinished { result: Err(error), .. } = finished else { panic!("{finished:?}") };
    assert!(error.to_string().contains("iCalendar"), "{error}");

    // Tens of MB is no calendar anyone reads: a clear error, not the memory it would take.
    let event = "BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261201T100000Z\r\nSUMMARY:Padding\r\nEND:VEVENT\r\n";
    let huge =
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{}END:VCALENDAR\r\n", event.repeat(17 * 1024 * 1024 / event.len()));
    sb.control().replace_calendar_feed("huge", &huge).unwrap();
    add(&ui, "Huge", &base, "huge");
    let finished = ui.wait_for("refused", |e| matches!(e, Event::SignInFinished { .. })).await;
    let Event::SignInFinished { result: Err(error), .. } = finished else { panic!("{finished:?}") };
    assert!(error.to_string().contains("longer than 16 MB"), "{error}");
    // Control: a feed of several MB (tens of thousands of events) is normal, and read.
    let events: String = (0..40_000)
        .map(|n| {
            format!(
                "BEGIN:VEVENT\r\nUID:{n}@large\r\nDTSTART:20261201T100000Z\r\nSUMMARY:Event {n} {}\r\nEND:VEVENT\r\n",
                "x".repeat(40)
            )
        })
        .collect();
    assert!(events.len() > 4 * 1024 * 1024);
    let several = format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n");
    sb.control().replace_calendar_feed("large", &several).unwrap();
    add(&ui, "Large", &base, "large");
    // Told before the account is announced.
    let told = ui.wait_for("told", |e| matches!(e, Event::Notice(t) if t.contains("“Large”"))).await;
    assert!(matches!(&told, Event::Notice(t) if t.contains("40000 events")), "{told:?}");
    let finished = ui.wait_for("added", |e| matches!(e, Event::SignInFinished { .. })).await;
    assert!(matches!(finished, Event::SignInFinished { result: Ok(_), .. }), "{finished:?}");
}
