//! Each operation of each service through the backend, and the event stream a UI sees.

use std::sync::atomic::Ordering;

use chrono::{Duration, Utc};
use launcher_engine::backend::{Command, Draft, Event, Field, ItemKind, PresentersView};
use launcher_engine::providers::{Endpoints, Provider};

use super::ui::{Ui, sandbox};

#[tokio::test(flavor = "multi_thread")]
async fn joinme_agenda_create_edit_delete_with_undo_and_start() {
    let sb = sandbox().await;
    let mut ui = Ui::start(sb.clone(), None);
    let account = ui.sign_in_joinme().await;
    let agenda = ui.agenda_after(Command::Reload).await;
    assert_eq!(agenda.iter().filter(|i| i.account == account).count(), 12);
    assert!(agenda.windows(2).all(|w| w[0].start <= w[1].start), "one agenda, sorted by start");
    assert!(agenda.iter().all(|i| i.kind == ItemKind::Meeting && i.can_start));

    // Create.
    let start = sb.control().now() + Duration::days(3);
    let mut draft = Draft::new(&account, Provider::Joinme, "Launch review", start, start + Duration::hours(1));
    draft.participants = vec!["casey.diaz@example.com".into()];
    let draft_id = draft.id.clone();
    ui.send(Command::SaveMeeting { draft });
    let saved = ui.wait_for("saved", |e| matches!(e, Event::DraftSaved { .. })).await;
    let Event::DraftSaved { draft_id: id, meeting_id, message } = saved else { unreachable!() };
    assert_eq!(id, draft_id);
    assert_eq!(message, "Created \"Launch review\".");
    let agenda = match ui
        .wait_for("agenda with it", |e| matches!(e, Event::Agenda(a) if a.iter().any(|i| i.id == meeting_id)))
        .await
    {
        Event::Agenda(a) => a,
        _ => unreachable!(),
    };
    assert!(agenda.iter().any(|i| i.title == "Launch review"));
    assert!(ui.seen.iter().any(|e| matches!(e, Event::Drafts(d) if d.is_empty())), "the draft is gone once confirmed");

    // Edit.
    let mut edit = Draft::new(
        &account,
        Provider::Joinme,
        "Launch review (moved)",
        start + Duration::hours(2),
        start + Duration::hours(3),
    );
    edit.meeting_id = Some(meeting_id.clone());
    ui.send(Command::SaveMeeting { draft: edit });
    let Event::DraftSaved { message, .. } = ui.wait_for("edit saved", |e| matches!(e, Event::DraftSaved { .. })).await
    else {
        unreachable!()
    };
    assert!(message.starts_with("Saved"));
    assert_eq!(sb.control().joinme_meetings_named("Launch review (moved)"), 1);

    // Delete, then undo within the window: nothing is sent.
    ui.send(Command::DeleteMeeting { account: account.clone(), meeting_id: meeting_id.clone() });
    ui.wait_for("delete pending", |e| matches!(e, Event::DeletePending { .. })).await;
    let hidden = ui.wait_for("agenda without it", |e| matches!(e, Event::Agenda(_))).await;
    assert!(matches!(&hidden, Event::Agenda(a) if !a.iter().any(|i| i.id == meeting_id)));
    // Control: another meeting deleted after it and not undone is sent when its window passes, which is after
    // the undone one's window.
    let control = agenda.iter().rev().find(|i| i.account == account && i.id != meeting_id).unwrap().clone();
    ui.send(Command::DeleteMeeting { account: account.clone(), meeting_id: control.id.clone() });
    ui.send(Command::UndoDelete { account: account.clone(), meeting_id: meeting_id.clone() });
    ui.wait_for("undone", |e| matches!(e, Event::DeleteUndone { .. })).await;
    ui.wait_for("control deleted", |e| matches!(e, Event::Deleted { meeting_id, .. } if *meeting_id == control.id))
        .await;
    let reloaded = ui.agenda_after(Command::Reload).await;
    assert!(reloaded.iter().any(|i| i.id == meeting_id), "an undone delete is never sent");
    assert_eq!(sb.control().joinme_meetings_named("Launch review (moved)"), 1, "an undone delete is never sent");
    assert_eq!(sb.control().counter("joinme.meetings.delete"), 1, "the control's delete only");

    // Delete for real.
    ui.send(Command::DeleteMeeting { account: account.clone(), meeting_id: meeting_id.clone() });
    ui.wait_for("deleted", |e| matches!(e, Event::Deleted { .. })).await;
    assert_eq!(sb.control().joinme_meetings_named("Launch review (moved)"), 0);

    // Start ad hoc and a scheduled meeting; the presenter link is opened (the test browser follows it).
    ui.send(Command::StartMeeting { account: account.clone(), meeting_id: None, personal_url: true });
    let Event::MeetingStarted { viewer_link, presenter_link, .. } =
        ui.wait_for("started", |e| matches!(e, Event::MeetingStarted { .. })).await
    else {
        unreachable!()
    };
    assert!(viewer_link.starts_with(&sb.config().sandbox.base) && presenter_link.contains("StartMeeting.aspx"));
    assert!(viewer_link.ends_with("/alexmorgan"), "on the personal URL: {viewer_link}");
    let scheduled = agenda.iter().find(|i| i.account == account && i.id != meeting_id).unwrap().id.clone();
    ui.send(Command::StartMeeting {
        account: account.clone(),
        personal_url: false,
        meeting_id: Some(scheduled.clone()),
    });
    ui.wait_for("started", |e| matches!(e, Event::MeetingStarted { .. })).await;
    let started = sb.control().started_meetings();
    assert_eq!(started.len(), 2);
    assert_eq!(started[1].meeting_id, Some(scheduled.parse().unwrap()));
    for _ in 0..50 {
        if sb.control().started_meetings().iter().all(|s| s.launched) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(sb.control().started_meetings().iter().all(|s| s.launched), "the presenter links were opened");

    // Every event woke the UI; nothing woke it without an event.
    ui.shutdown();
    assert_eq!(ui.wakes.load(Ordering::SeqCst), ui.seen.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn joinme_profile_and_conference_settings() {
    let sb = sandbox().await;
    let mut ui = Ui::start(sb.clone(), None);
    let account = ui.sign_in_joinme().await;
    ui.send(Command::LoadProfile { account });
    let Event::Profile { user, conference, .. } = ui.wait_for("profile", |e| matches!(e, Event::Profile { .. })).await
    else {
        unreachable!()
    };
    assert_eq!((user.plan.as_str(), user.personal_url.as_deref()), ("Business", Some("alexmorgan")));
    let conference = conference.unwrap();
    assert_eq!((conference.conference_id.len(), conference.organizer_code.len()), (9, 4));
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_drafts_are_refused_field_by_field_and_kept() {
    let sb = sandbox().await;
    let mut ui = Ui::start(sb.clone(), None);
    let account = ui.sign_in_joinme().await;
    let now = sb.control().now();
    let mut draft = Draft::new(&account, Provider::Joinme, "", now + Duration::hours(2), now + Duration::hours(1));
    draft.participants = vec!["nobody".into()];
    ui.send(Command::SaveMeeting { draft: draft.clone() });
    let Event::DraftInvalid { problems, .. } =
        ui.wait_for("invalid", |e| matches!(e, Event::DraftInvalid { .. })).await
    else {
        unreachable!()
    };
    let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
    assert_eq!(fields, [Field::Title, Field::End, Field::Participants]);
    assert!(problems[1].message.contains("ends before it starts"));
    let kept = ui.seen.iter().any(|e| matches!(e, Event::Drafts(d) if d.iter().any(|x| x.id == draft.id)));
    assert!(kept, "nothing typed is lost");
    assert_eq!(sb.control().counter("joinme.meetings.create"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn presenters_on_business_and_the_plain_answer_elsewhere() {
    let sb = sandbox().await;
    let mut ui = Ui::start(sb.clone(), None);
    let account = ui.sign_in_joinme().await;
    ui.send(Command::LoadPresenters { account: account.clone() });
    let Event::Presenters { view: PresentersView::Ready(list), .. } =
        ui.wait_for("presenters", |e| matches!(e, Event::Presenters { .. })).await
    else {
        panic!("not ready")
    };
    assert_eq!(list.len(), 5);
    assert!(list.iter().any(|p| !p.invitation_accepted));
    ui.send(Command::InvitePresenter { account: account.clone(), email: "new.person@example.com".into() });
    let Event::Presenters { view: PresentersView::Ready(list), .. } =
        ui.wait_for("presenters", |e| matches!(e, Event::Presenters { .. })).await
    else {
        panic!()
    };
    let added = list.iter().find(|p| p.email == "new.person@example.com").unwrap().clone();
    assert!(!added.invitation_accepted && added.seat_assigned);
    ui.send(Command::InvitePresenter { account: account.clone(), email: "not-an-address".into() });
    let Event::Failed { error, .. } = ui.wait_for("refused", |e| matches!(e, Event::Failed { .. })).await else {
        unreachable!()
    };
    assert!(error.to_string().contains("not an e-mail address"));
    ui.send(Command::RemovePresenter { account: account.clone(), presenter_id: added.id });
    let Event::Presenters { view: PresentersView::Ready(list), .. } =
        ui.wait_for("presenters", |e| matches!(e, Event::Presenters { .. })).await
    else {
        panic!()
    };
    assert_eq!(list.len(), 5);

    // A Basic API key: "needs a Business plan", not an error dump.
    let mut endpoints = Endpoints::from_sandbox(sb.config());
    let jm = endpoints.joinme.as_mut().unwrap();
    jm.client_id = sb.config().joinme.basic_client_id.clone();
    jm.client_secret = Some(launcher_core::secret::Secret::new(sb.config().joinme.basic_client_secret.clone()));
    let mut basic = Ui::start_with(sb.clone(), None, endpoints);
    let account = basic.sign_in_joinme().await;
    basic.send(Command::LoadPresenters { account });
    let view = basic.wait_for("presenters", |e| matches!(e, Event::Presenters { .. })).await;
    assert!(matches!(view, Event::Presenters { view: PresentersView::NeedsBusinessPlan, .. }));
}

#[tokio::test(flavor = "multi_thread")]
async fn meetingbooster_sync_create_edit_delete_keeps_the_sync_token() {
    let sb = sandbox().await;
    let mut ui = Ui::start(sb.clone(), None);
    let account = ui.sign_in_password(Provider::Meetingbooster, "alex.morgan@example.com").await;
    let agenda = ui.agenda_after(Command::Reload).await;
    let mine: Vec<_> = agenda.iter().filter(|i| i.account == account).collect();
    assert_eq!(
        mine.len(),
        6,
        "{:#?}",
        ui.seen.iter().filter(|e| matches!(e, Event::Failed { .. } | Event::SignInNeeded { .. })).collect::<Vec<_>>()
    );
    assert!(mine.iter().any(|i| i.id == "1042"), "a legacy integer id, as text");
    assert!(mine.iter().any(|i| !i.can_edit), "meetings hosted by others are read-only");

    let start = sb.control().now() + Duration::days(2);
    let mut draft =
        Draft::new(&account, Provider::Meetingbooster, "Supplier call", start, start + Duration::minutes(45));
    draft.participants = vec!["taylor.fox@example.com".into(), "guest@partner.example".into()];
    let guid = draft.client_id.clone();
    ui.send(Command::SaveMeeting { draft });
    let Event::DraftSaved { meeting_id, .. } = ui.wait_for("saved", |e| matches!(e, Event::DraftSaved { .. })).await
    else {
        unreachable!()
    };
    assert_eq!(meeting_id.to_lowercase(), guid.to_lowercase(), "the client-chosen guid");
    let Event::Agenda(agenda) =
        ui.wait_for("agenda", |e| matches!(e, Event::Agenda(a) if a.iter().any(|i| i.title == "Supplier call"))).await
    else {
        unreachable!()
    };
    let item = agenda.iter().find(|i| i.title == "Supplier call").unwrap();
    assert_eq!(item.participants, ["guest@partner.example", "taylor.fox@example.com"]);

    let mut edit =
        Draft::new(&account, Provider::Meetingbooster, "Supplier call v2", start, start + Duration::hours(1));
    edit.meeting_id = Some(meeting_id.clone());
    ui.send(Command::SaveMeeting { draft: edit });
    ui.wait_for("edited", |e| matches!(e, Event::DraftSaved { .. })).await;
    ui.wait_for("agenda", |e| matches!(e, Event::Agenda(a) if a.iter().any(|i| i.title == "Supplier call v2"))).await;
    ui.send(Command::DeleteMeeting { account: account.clone(), meeting_id: meeting_id.clone() });
    ui.wait_for("deleted", |e| matches!(e, Event::Deleted { .. })).await;
    assert_eq!(sb.control().meetingbooster_meetings_titled("Supplier call v2"), 0);

    // After the first sync, each one sends the SyncToken it was given.
    let syncs: Vec<String> =
        sb.control().requests().into_iter().filter(|r| r.path.ends_with("/mymeetings/sync")).map(|r| r.query).collect();
    assert!(syncs.len() >= 3);
    assert_eq!(syncs[0], "");
    assert!(syncs[1..].iter().all(|q| q.contains("synctoken=")), "{syncs:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn joindin_events_talks_and_attendance() {
    let sb = sandbox().await;
    let mut ui = Ui::start(sb.clone(), None);
    let account = ui.sign_in_password(Provider::Joindin, "alexmorgan").await;
    let agenda = ui.agenda_after(Command::Reload).await;
    let events: Vec<_> = agenda.iter().filter(|i| i.account == account).collect();
    assert!(events.iter().all(|e| e.kind == ItemKind::Event));
    let names: Vec<&str> = events.iter().map(|e| e.title.as_str()).collect();
    assert!(
        names.contains(&"RustConf Europe") && names.contains(&"Remote Work Summit"),
        "attended and hosted: {names:?}"
    );
    let rws = events.iter().find(|e| e.title == "Remote Work Summit").unwrap();
    assert_eq!(rws.attending, Some(false), "hosted, not attended");

    ui.send(Command::LoadTalks { account: account.clone(), event_id: "6001".into() });
    let Event::Talks { talks, .. } = ui.wait_for("talks", |e| matches!(e, Event::Talks { .. })).await else {
        unreachable!()
    };
    assert_eq!(talks.len(), 3);
    assert!(talks.iter().any(|t| t.speakers == ["Casey Diaz"] && t.minutes == 45));

    ui.send(Command::SetAttending { account: account.clone(), event_id: rws.id.clone(), attend: true });
    ui.wait_for("attending", |e| matches!(e, Event::Agenda(a) if a.iter().any(|i| i.title == "Remote Work Summit" && i.attending == Some(true)))).await;
    ui.send(Command::SetAttending { account: account.clone(), event_id: rws.id.clone(), attend: false });
    ui.wait_for("not attending", |e| matches!(e, Event::Agenda(a) if a.iter().any(|i| i.title == "Remote Work Summit" && i.attending == Some(false)))).await;
    assert_eq!(sb.control().counter("joindin.attending.post"), 1);
    assert_eq!(sb.control().counter("joindin.attending.delete"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn one_agenda_across_accounts_and_sign_out_removes_one() {
    let sb = sandbox().await;
    let mut ui = Ui::start(sb.clone(), None);
    let jm = ui.sign_in_joinme().await;
    let mb = ui.sign_in_password(Provider::Meetingbooster, "alex.morgan@example.com").await;
    let agenda = ui.agenda_after(Command::Reload).await;
    assert!(agenda.iter().any(|i| i.account == jm) && agenda.iter().any(|i| i.account == mb));
    assert!(agenda.iter().all(|i| i.start.timezone() == Utc), "UTC inside; local time is the UI's business");
    ui.send(Command::SignOut { account: mb.clone() });
    ui.wait_for("signed out", |e| matches!(e, Event::SignedOut { .. })).await;
    let Event::Agenda(agenda) = ui.wait_for("agenda", |e| matches!(e, Event::Agenda(_))).await else { unreachable!() };
    assert!(agenda.iter().all(|i| i.account == jm));
    assert_eq!(sb.control().counter("meetingbooster.oauth.signout"), 1);
}
