//! The live agenda on the sandbox's virtual clock, over real HTTP: what the service gains reaches the agenda
//! within one interval, outages keep what was known, a suspend reloads at once, and the request budget holds
//! whatever asks.

use std::time::Duration;

use launcher_engine::backend::{AgendaItem, Command, Event, Trigger};
use launcher_engine::providers::Provider;
use launcher_sandbox::{Fault, FaultKind, Sandbox};
use launcher_test_support::services::MB_USER as USER;

use super::ui::{Options, Ui, live, sandbox};

/// The loop looks at the clock this often in these tests (real time); its schedule runs on the virtual clock.
const TICK: Duration = Duration::from_millis(50);

async fn create_on_server(sb: &Sandbox, title: &str, minutes_ahead: i64, location: &str, purpose: &str) {
    launcher_test_support::services::create_meetingbooster_meeting(sb, title, minutes_ahead, location, purpose).await
}

fn agenda_of(event: &Event) -> Option<&Vec<AgendaItem>> {
    match event {
        Event::Agenda(items) => Some(items),
        _ => None,
    }
}

/// Moves the virtual clock in steps (each a little real time, so the loop sees time flow rather than jump)
/// until `done` holds for an event; returns the event and how much virtual time it took.
async fn advance_until(
    ui: &mut Ui,
    sb: &Sandbox,
    step: chrono::Duration,
    limit: chrono::Duration,
    done: impl Fn(&Event) -> bool,
) -> Option<(Event, chrono::Duration)> {
    let from = sb.control().now();
    while sb.control().now() - from < limit {
        sb.control().advance_clock(step);
        let deadline = tokio::time::Instant::now() + TICK * 3;
        while tokio::time::Instant::now() < deadline {
            while let Ok(event) = ui.events.try_recv() {
                ui.seen.push(event.clone());
                if done(&event) {
                    return Some((event, sb.control().now() - from));
                }
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    None
}

#[tokio::test(flavor = "multi_thread")]
async fn a_meeting_made_on_the_service_appears_within_one_interval_with_its_zoom_link_to_join() {
    let sb = sandbox().await;
    let mut ui = Ui::start_live(sb.clone(), None, TICK);
    let account = ui.sign_in_password(Provider::Meetingbooster, USER).await;
    let first = ui.wait_for("the first agenda", |e| agenda_of(e).is_some_and(|a| !a.is_empty())).await;
    assert!(!agenda_of(&first).unwrap().iter().any(|i| i.title == "Budget sync"));

    let zoom = "https://zoom.us/j/81234567890?pwd=Xy7Qb2";
    create_on_server(&sb, "Budget sync", 20, &format!("Zoom: {zoom}"), "Quarterly numbers.").await;
    let (event, took) =
        advance_until(&mut ui, &sb, chrono::Duration::seconds(5), chrono::Duration::seconds(150), |e| {
            agenda_of(e).is_some_and(|a| a.iter().any(|i| i.title == "Budget sync"))
        })
        .await
        .expect("the new meeting within 150 s of virtual time");
    assert!(took <= chrono::Duration::seconds(150), "within 150 s (the interval is 105–120 s): {took}");
    let item = agenda_of(&event).unwrap().iter().find(|i| i.title == "Budget sync").unwrap().clone();
    assert_eq!((item.account.as_str(), item.link.as_deref(), item.can_start), (account.as_str(), Some(zoom), false));

    // It is the next meeting: join-next hands its Zoom link to the browser.
    let (reply, answer) = std::sync::mpsc::channel();
    ui.send(Command::JoinNext { open_browser: false, reply: Some(reply) });
    let joined = tokio::task::spawn_blocking(move || answer.recv_timeout(Duration::from_secs(20)))
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!((joined.title.as_str(), joined.link.as_str()), ("Budget sync", zoom));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_503_storm_keeps_the_agenda_marks_it_stale_backs_off_and_recovers() {
    let sb = sandbox().await;
    let mut ui = Ui::start_live(sb.clone(), None, TICK);
    let account = ui.sign_in_password(Provider::Meetingbooster, USER).await;
    let known = ui.wait_for("the agenda", |e| agenda_of(e).is_some_and(|a| !a.is_empty())).await;
    let known = agenda_of(&known).unwrap().len();

    sb.control().add_fault(Fault::new("/meetingbooster/api", FaultKind::Status { status: 503, retry_after: None }));
    let syncs = sb.control().counter("meetingbooster.sync");
    let before = sb.control().requests().len();
    let stale = advance_until(
        &mut ui,
        &sb,
        chrono::Duration::seconds(10),
        chrono::Duration::minutes(5),
        |e| matches!(e, Event::AgendaStatus(f) if f.get(&account).is_some_and(|f| f.is_stale())),
    )
    .await
    .expect("the failed load marks the agenda stale");
    let Event::AgendaStatus(status) = &stale.0 else { unreachable!() };
    assert!(status[&account].updated.is_some(), "it says when the agenda last loaded");
    assert!(status[&account].problem.as_deref().unwrap().contains("HTTP 503"), "{:?}", status[&account]);
    // Several more minutes of 503s: the tries back off, and no agenda the UI sees loses a meeting.
    let _ = advance_until(&mut ui, &sb, chrono::Duration::seconds(10), chrono::Duration::minutes(15), |_| false).await;
    let storm: Vec<_> =
        sb.control().requests()[before..].iter().filter(|r| r.path.contains("/api/")).cloned().collect();
    // 20 minutes: tries at about 0:00 (the timer), 0:30, 1:30, 3:30, 7:30, 15:30 — never one per tick.
    assert!((3..=8).contains(&storm.len()), "backed off: {} tries in 20 min", storm.len());
    assert!(storm.iter().all(|r| r.status == 503), "the fault answered them all");
    assert_eq!(sb.control().counter("meetingbooster.sync"), syncs, "the service itself saw none");
    assert!(
        ui.seen.iter().filter_map(agenda_of).all(|a| a.len() == known),
        "every agenda during the storm still has the {known} meetings"
    );

    // The network is back: the agenda reloads at once, and is fresh again.
    sb.control().clear_faults();
    ui.send(Command::Refresh(Trigger::NetworkBack));
    ui.wait_for("fresh again", |e| {
        matches!(e, Event::AgendaStatus(f) if f.get(&account).is_some_and(|f| !f.is_stale() && f.updated.is_some()))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_suspend_seen_as_a_clock_jump_reloads_at_once() {
    let sb = sandbox().await;
    let mut ui = Ui::start_live(sb.clone(), None, TICK);
    ui.sign_in_password(Provider::Meetingbooster, USER).await;
    ui.wait_for("the agenda", |e| agenda_of(e).is_some_and(|a| !a.is_empty())).await;
    // Let the first loads settle, then jump 60 s: less than the timer's interval (105–120 s), more than the
    // 30 s a tick can drift. Only the jump explains a reload.
    tokio::time::sleep(TICK * 4).await;
    let syncs = sb.control().counter("meetingbooster.sync");
    create_on_server(&sb, "After the wake", 30, "Room 4", "").await;
    sb.control().advance_clock(chrono::Duration::seconds(60));
    ui.wait_for("the agenda after the wake", |e| {
        agenda_of(e).is_some_and(|a| a.iter().any(|i| i.title == "After the wake"))
    })
    .await;
    assert_eq!(sb.control().counter("meetingbooster.sync"), syncs + 1, "one reload");
}

/// The client's clock set back (by hand, a bad NTP step) is a change of time too: a reload at once, not after the
/// clock has caught up with the last load (which now looks ten minutes ahead).
#[tokio::test(flavor = "multi_thread")]
async fn the_clock_set_back_reloads_at_once() {
    let sb = sandbox().await;
    let clock = std::sync::Arc::new(launcher_test_support::clock::ShiftedClock {
        sandbox: sb.clone(),
        shift: std::sync::Mutex::new(chrono::Duration::zero()),
    });
    let options = Options { live: live(TICK), clock: Some(clock.clone()), ..Options::default() };
    let mut ui = Ui::start_options(sb.clone(), options);
    ui.sign_in_password(Provider::Meetingbooster, USER).await;
    ui.wait_for("the agenda", |e| agenda_of(e).is_some_and(|a| !a.is_empty())).await;
    tokio::time::sleep(TICK * 4).await;
    create_on_server(&sb, "After the clock went back", 30, "Room 5", "").await;
    *clock.shift.lock().unwrap() = chrono::Duration::minutes(-10);
    ui.wait_for("the agenda after the clock went back", |e| {
        agenda_of(e).is_some_and(|a| a.iter().any(|i| i.title == "After the clock went back"))
    })
    .await;
}

/// The budget stated in README ("Requests to each service") and in `backend/live.rs`: per account, at most
/// one agenda load every 30 s whatever asks, each one request (two with a refused token's one retry).
#[tokio::test(flavor = "multi_thread")]
async fn the_request_budget_holds_for_an_hour_whatever_asks() {
    let sb = sandbox().await;
    let mut ui = Ui::start_live(sb.clone(), None, TICK);
    ui.sign_in_password(Provider::Meetingbooster, USER).await;
    ui.sign_in_joinme().await;
    ui.wait_for("the agenda", |e| agenda_of(e).is_some_and(|a| !a.is_empty())).await;
    let start = sb.control().requests().len();
    let hour_start = sb.control().now();
    // An hour in 5-second steps, with the window shown, the network "back" and a resume at every step.
    let mut steps = 0;
    while sb.control().now() - hour_start < chrono::Duration::hours(1) {
        sb.control().advance_clock(chrono::Duration::seconds(5));
        for trigger in [Trigger::WindowShown, Trigger::NetworkBack, Trigger::Resumed] {
            ui.send(Command::Refresh(trigger));
        }
        steps += 1;
        tokio::time::sleep(Duration::from_millis(8)).await;
    }
    tokio::time::sleep(TICK * 4).await;
    let hour: Vec<_> = sb.control().requests()[start..].to_vec();
    // The API calls, not the token endpoints (refreshes follow the tokens' lifetimes, not the triggers).
    let api = |service: &str| hour.iter().filter(|r| r.service == service && r.path.contains("/api/")).count();
    let (mb, jm) = (api("meetingbooster"), api("joinme"));
    // 720 steps each asking three times: without the budget that is over 2,000 loads per service.
    assert!(steps >= 700);
    // No token was refused here, so each load is one request: 120 in the hour, and one more where the hour's
    // first and last instants both hold one.
    assert!(mb <= 121 && jm <= 121, "within the budget: MeetingBooster {mb}, join.me {jm} API requests in an hour");
    // Control: the loop did keep loading all hour (the budget is a ceiling, not a stop).
    assert!(mb >= 60 && jm >= 60, "kept live: MeetingBooster {mb}, join.me {jm}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_agenda_is_shown_at_the_next_start_before_the_service_answers_and_kept_while_it_fails() {
    let sb = sandbox().await;
    let data_dir = std::env::temp_dir().join(format!("ml-live-{}", rand::random::<u64>()));
    // The real keychain: only there does a sign-in outlast a start (the account list is written for it alone).
    let keychain = launcher_test_support::auth::real_keychain().await;
    let mut first = Ui::start_live_keeping(sb.clone(), Some(data_dir.clone()), TICK, keychain.clone());
    let account = first.sign_in_password(Provider::Meetingbooster, USER).await;
    let loaded = first.wait_for("the agenda", |e| agenda_of(e).is_some_and(|a| !a.is_empty())).await;
    let loaded = agenda_of(&loaded).unwrap().clone();
    first.shutdown();

    // The cache is the user's alone and holds no secret.
    let cache = data_dir.join("agenda-cache.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&cache).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let text = std::fs::read_to_string(&cache).unwrap();
    assert!(text.contains(&loaded[0].title), "control: the cache is the agenda");
    for secret in ["sandbox-password", "access_token", "refresh_token", "Bearer"] {
        assert!(!text.contains(secret), "the cache holds no {secret}");
    }

    // Started again while MeetingBooster answers 503: the cached meetings come at once, marked with when they
    // loaded; the failed load marks them stale and keeps them.
    sb.control().add_fault(Fault::new("/meetingbooster/api", FaultKind::Status { status: 503, retry_after: None }));
    // Half an hour later: the access token the keychain kept has run out, so the load needs a refresh.
    sb.control().advance_clock(chrono::Duration::minutes(30));
    let mut second = Ui::start_live_keeping(sb.clone(), Some(data_dir.clone()), TICK, keychain);
    let shown = second.wait_for("the cached agenda", |e| agenda_of(e).is_some()).await;
    assert_eq!(agenda_of(&shown).unwrap(), &loaded, "the first agenda of the new start is the cached one");
    second
        .wait_for("stale, kept", |e| {
            matches!(e, Event::AgendaStatus(f) if f.get(&account).is_some_and(|f| f.is_stale() && f.updated.is_some()))
        })
        .await;
    assert!(second.seen.iter().filter_map(agenda_of).all(|a| a == &loaded), "nothing was dropped");
    // The token panel learned of the refresh the load needed (the saved access token had run out), with no
    // command from the UI.
    // (It comes on its own path, so it may come before or after the failed load's status.)
    let refreshed = |e: &Event| matches!(e, Event::Accounts(a) if a.iter().any(|s| s.record.key == account && s.last_refresh.is_some() && s.expires_at.is_some()));
    if !second.seen.iter().any(refreshed) {
        second.wait_for("the refresh in the token panel", refreshed).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_policy_file_added_while_running_is_applied_at_once_and_keeps_the_sign_ins() {
    let sb = sandbox().await;
    let root = std::env::temp_dir().join(format!("ml-live-policies-{}", rand::random::<u64>()));
    let mut ui = Ui::start_watching(sb.clone(), root.clone());
    let account = ui.sign_in_password(Provider::Meetingbooster, USER).await;
    ui.wait_for("the agenda", |e| agenda_of(e).is_some_and(|a| !a.is_empty())).await;
    let has_proxy_policy = |e: &Event| matches!(e, Event::Policies(p) if p.is_locked("Proxy"));
    assert!(!ui.seen.iter().any(has_proxy_policy), "control: no such policy at start");

    // An administrator drops a policy file in while the app runs.
    let dir = root.join("etc/meeting-launcher/policies/managed");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("10-org.json"), r#"{"Proxy": "http://proxy.example.com:3128"}"#).unwrap();
    ui.wait_for("the new policy in force", has_proxy_policy).await;
    // The sign-in (kept in memory only here) survives the new configuration, and its agenda comes back.
    let accounts = ui.wait_for("the accounts", |e| matches!(e, Event::Accounts(a) if !a.is_empty())).await;
    assert!(matches!(&accounts, Event::Accounts(a) if a.iter().any(|s| s.record.key == account && s.signed_in())));
    ui.wait_for("the agenda again", |e| agenda_of(e).is_some_and(|a| a.iter().any(|i| i.account == account))).await;
    let _ = std::fs::remove_dir_all(root);
}

/// A refresh and a sign-out made by another process of the same user (here a second auth layer on the same
/// keychain and data folder, as `meeting-launcher status` has) reach the running app's token panel.
#[tokio::test(flavor = "multi_thread")]
async fn another_processs_refresh_and_sign_out_reach_the_token_panel() {
    use launcher_engine::auth::{Auth, AuthConfig, NoBrowser};
    let sb = sandbox().await;
    let data_dir = std::env::temp_dir().join(format!("ml-live-other-{}", rand::random::<u64>()));
    let keychain = launcher_test_support::auth::real_keychain().await;
    let mut ui = Ui::start_live_keeping(sb.clone(), Some(data_dir.clone()), TICK, keychain.clone());
    let account = ui.sign_in_password(Provider::Meetingbooster, USER).await;
    ui.wait_for("the agenda", |e| agenda_of(e).is_some_and(|a| !a.is_empty())).await;
    tokio::time::sleep(TICK * 4).await;

    let other = Auth::new(AuthConfig {
        endpoints: launcher_engine::providers::Endpoints::from_sandbox(sb.config()),
        network: launcher_engine::settings::NetworkSettings::default(),
        data_dir: data_dir.clone(),
        keychain,
        browser: std::sync::Arc::new(NoBrowser),
        clock: std::sync::Arc::new(launcher_test_support::clock::SandboxClock(sb.clone())),
        flow_timeout: Duration::from_secs(5),
    })
    .unwrap();
    other.restore().await;
    sb.control().advance_clock(chrono::Duration::seconds(5));
    let refreshed = other.refresh_now(&account).await.unwrap().last_refresh.unwrap();
    let seen = ui
        .wait_for("the other process's refresh", |e| {
            matches!(e, Event::Accounts(a) if a.iter().any(|s| s.record.key == account
                && s.last_refresh == Some(refreshed)
                && s.problem.is_none()))
        })
        .await;
    assert!(matches!(seen, Event::Accounts(_)));
    // The app goes on with the token the other process saved: its next load works (the old access token died
    // with the old refresh token; the refused call refreshes once with the adopted one).
    sb.control().advance_clock(chrono::Duration::seconds(30));
    ui.send(Command::Refresh(Trigger::NetworkBack));
    let failures_before = ui.seen.iter().filter(|e| matches!(e, Event::SignInNeeded { .. })).count();
    ui.wait_for(
        "a fresh load",
        |e| matches!(e, Event::AgendaStatus(f) if f.get(&account).is_some_and(|f| !f.is_stale())),
    )
    .await;
    assert_eq!(ui.seen.iter().filter(|e| matches!(e, Event::SignInNeeded { .. })).count(), failures_before);

    // The other process signs out: the app's panel says so.
    other.sign_out(&account).await.unwrap();
    ui.wait_for(
        "signed out elsewhere",
        |e| matches!(e, Event::Accounts(a) if a.iter().any(|s| s.record.key == account && s.problem.is_some())),
    )
    .await;
    let _ = std::fs::remove_dir_all(data_dir);
}

/// A server that answers one byte at a time: the answer is given up at the network timeout, the agenda is kept
/// (marked stale, with why) and nothing hangs.
#[tokio::test(flavor = "multi_thread")]
async fn a_server_answering_byte_by_byte_times_out_and_the_agenda_is_kept() {
    let sb = sandbox().await;
    let network = launcher_engine::settings::NetworkSettings { timeout_secs: 5, ..Default::default() };
    let mut ui =
        Ui::start_options(sb.clone(), Options { live: live(TICK), network: Some(network), ..Options::default() });
    let account = ui.sign_in_password(Provider::Meetingbooster, USER).await;
    let known = ui.wait_for("the agenda", |e| agenda_of(e).is_some_and(|a| !a.is_empty())).await;
    let known = agenda_of(&known).unwrap().len();
    let body = format!("{{\"Meetings\": [], \"SyncToken\": \"{}\"}}", "x".repeat(200));
    sb.control().add_fault(
        Fault::new("/meetingbooster/api/v1/mymeetings/sync", FaultKind::Trickle { bytes_per_second: 10, body })
            .times(1),
    );
    let started = std::time::Instant::now();
    sb.control().advance_clock(chrono::Duration::seconds(121));
    let stale = ui
        .wait_for(
            "stale after the timeout",
            |e| matches!(e, Event::AgendaStatus(f) if f.get(&account).is_some_and(|f| f.is_stale())),
        )
        .await;
    let Event::AgendaStatus(status) = stale else { unreachable!() };
    assert!(status[&account].problem.as_deref().unwrap().contains("timed out"), "{:?}", status[&account]);
    assert!(started.elapsed() < Duration::from_secs(15), "given up at the timeout: {:?}", started.elapsed());
    assert!(ui.seen.iter().filter_map(agenda_of).all(|a| a.len() == known), "nothing dropped");
}
