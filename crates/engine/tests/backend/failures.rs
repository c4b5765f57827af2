//! Failure modes through the sandbox's operator controls: nothing lost, nothing doubled, one account's
//! trouble stays that account's.

use chrono::Duration;
use launcher_engine::auth::AuthError;
use launcher_engine::backend::{Command, Draft, DraftState, Event};
use launcher_engine::providers::{Provider, ProviderError};
use launcher_sandbox::{Fault, FaultKind};

use super::ui::{Ui, sandbox};

#[tokio::test(flavor = "multi_thread")]
async fn a_create_whose_answer_is_lost_ends_with_exactly_one_meeting_and_the_user_told() {
    let sb = sandbox().await;
    let mut ui = Ui::start(sb.clone(), None);
    let account = ui.sign_in_joinme().await;
    sb.control().add_fault(Fault::new("/joinme/api/v1/meetings", FaultKind::DropResponse).method("POST").times(1));
    let start = sb.control().now() + Duration::days(4);
    ui.send(Command::SaveMeeting {
        draft: Draft::new(&account, Provider::Joinme, "Board prep", start, start + Duration::hours(1)),
    });
    let Event::DraftSaved { message, .. } = ui.wait_for("saved", |e| matches!(e, Event::DraftSaved { .. })).await
    else {
        unreachable!()
    };
    assert!(message.contains("Created \"Board prep\"") && message.contains("the meeting is there"), "{message}");
    assert_eq!(sb.control().joinme_meetings_named("Board prep"), 1);
    assert_eq!(sb.control().counter("joinme.meetings.create"), 1, "no retry was sent");

    // An identical meeting made on purpose later is not mistaken for a lost answer.
    sb.control().add_fault(Fault::new("/joinme/api/v1/meetings", FaultKind::Drop).method("POST").times(1));
    ui.send(Command::SaveMeeting {
        draft: Draft::new(&account, Provider::Joinme, "Board prep", start, start + Duration::hours(1)),
    });
    ui.wait_for("saved", |e| matches!(e, Event::DraftSaved { .. })).await;
    assert_eq!(
        sb.control().joinme_meetings_named("Board prep"),
        2,
        "the dropped attempt made nothing, the retry made one"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn meetingbooster_create_with_a_lost_answer_is_not_doubled() {
    let sb = sandbox().await;
    let mut ui = Ui::start(sb.clone(), None);
    let account = ui.sign_in_password(Provider::Meetingbooster, "alex.morgan@example.com").await;
    sb.control()
        .add_fault(Fault::new("/meetingbooster/api/v1/meetings", FaultKind::DropResponse).method("POST").times(1));
    let start = sb.control().now() + Duration::days(4);
    ui.send(Command::SaveMeeting {
        draft: Draft::new(&account, Provider::Meetingbooster, "Vendor review", start, start + Duration::hours(1)),
    });
    let Event::DraftSaved { message, .. } = ui.wait_for("saved", |e| matches!(e, Event::DraftSaved { .. })).await
    else {
        unreachable!()
    };
    assert!(message.contains("the meeting is there"), "{message}");
    assert_eq!(sb.control().meetingbooster_meetings_titled("Vendor review"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_create_keeps_the_draft_across_a_restart_and_retry_sends_it_once() {
    let sb = sandbox().await;
    let mut ui = Ui::start(sb.clone(), None);
    let account = ui.sign_in_joinme().await;
    // The server is down for creates: every attempt fails.
    sb.control().add_fault(
        Fault::new("/joinme/api/v1/meetings", FaultKind::Status { status: 503, retry_after: None }).method("POST"),
    );
    let start = sb.control().now() + Duration::days(5);
    let mut draft = Draft::new(&account, Provider::Joinme, "Offsite planning", start, start + Duration::hours(2));
    draft.participants = vec!["jordan.kim@example.com".into()];
    let draft_id = draft.id.clone();
    ui.send(Command::SaveMeeting { draft });
    let Event::DraftFailed { error, .. } = ui.wait_for("failed", |e| matches!(e, Event::DraftFailed { .. })).await
    else {
        unreachable!()
    };
    assert!(matches!(error, ProviderError::ServerTrouble { status: 503, .. }), "{error:?}");
    assert!(error.to_string().contains("Try again later"));
    assert_eq!(sb.control().counter("joinme.meetings.create"), 0, "the faults answered; nothing was made");
    let data_dir = ui.data_dir.clone();
    ui.shutdown();

    // A new run of the app, same data folder: the draft is there, marked failed, with its details.
    sb.control().clear_faults();
    let mut ui = Ui::start(sb.clone(), Some(data_dir));
    let Event::Drafts(drafts) = ui.wait_for("drafts", |e| matches!(e, Event::Drafts(d) if !d.is_empty())).await else {
        unreachable!()
    };
    assert_eq!(drafts[0].id, draft_id);
    assert_eq!(drafts[0].participants, ["jordan.kim@example.com"]);
    assert!(matches!(drafts[0].state, DraftState::Failed { .. }));
    // Sessions are in memory in these tests: sign in again, then retry.
    let _ = ui.sign_in_joinme().await;
    ui.send(Command::RetryDraft { draft_id: draft_id.clone() });
    ui.wait_for("saved", |e| matches!(e, Event::DraftSaved { .. })).await;
    assert_eq!(sb.control().joinme_meetings_named("Offsite planning"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn bursts_of_5xx_and_latency_are_ridden_out() {
    let sb = sandbox().await;
    let mut ui = Ui::start(sb.clone(), None);
    let account = ui.sign_in_joinme().await;
    sb.control().add_fault(
        Fault::new("/joinme/api/v1/meetings", FaultKind::Status { status: 500, retry_after: None })
            .method("GET")
            .times(2),
    );
    sb.control()
        .add_fault(Fault::new("/joinme/api/v1/meetings", FaultKind::Latency { ms: 200 }).method("GET").times(1));
    let agenda = ui.agenda_after(Command::Reload).await;
    assert_eq!(agenda.iter().filter(|i| i.account == account).count(), 12);
    assert!(!ui.seen.iter().any(|e| matches!(e, Event::Failed { .. })), "no error shown for a passing burst");

    // Retry-After is honoured (a one-second wait, within the policy's cap... here capped to 200 ms).
    sb.control().add_fault(
        Fault::new("/joinme/api/v1/meetings", FaultKind::Status { status: 503, retry_after: Some(1) })
            .method("GET")
            .times(1),
    );
    let agenda = ui.agenda_after(Command::Reload).await;
    assert_eq!(agenda.len(), 12);

    // A longer outage: the user is told, with the reference number.
    sb.control().add_fault(
        Fault::new("/joinme/api/v1/meetings", FaultKind::Status { status: 500, retry_after: None })
            .method("GET")
            .times(10),
    );
    ui.send(Command::Reload);
    let Event::Failed { error, action, .. } = ui.wait_for("failed", |e| matches!(e, Event::Failed { .. })).await else {
        unreachable!()
    };
    assert!(action.contains("join.me"));
    assert!(
        matches!(&error, ProviderError::ServerTrouble { reference: Some(r), .. } if r.starts_with('d')),
        "{error:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_grant_asks_that_account_to_sign_in_again_and_the_others_keep_working() {
    let sb = sandbox().await;
    let mut ui = Ui::start(sb.clone(), None);
    let jm = ui.sign_in_joinme().await;
    let mb = ui.sign_in_password(Provider::Meetingbooster, "alex.morgan@example.com").await;
    sb.control().revoke_joinme_grant("alex.morgan@example.com", None);
    let agenda = ui.agenda_after(Command::Reload).await;
    let Some(Event::SignInNeeded { account, error }) =
        ui.seen.iter().find(|e| matches!(e, Event::SignInNeeded { .. })).cloned()
    else {
        panic!("no sign-in-again event: {:#?}", ui.seen)
    };
    assert_eq!(account, jm);
    assert!(error.to_string().contains("Sign in again"));
    assert!(agenda.iter().any(|i| i.account == mb), "MeetingBooster still loads");
    // join.me's meetings are kept (only a sign-out or a successful load replaces them), marked with why.
    assert!(agenda.iter().any(|i| i.account == jm), "join.me's last meetings are kept");
    let status = ui.seen.iter().rev().find_map(|e| match e {
        Event::AgendaStatus(f) if f.contains_key(&jm) => Some(f.clone()),
        _ => None,
    });
    let status = status.expect("the agenda's status");
    assert!(status[&jm].problem.as_deref().is_some_and(|p| p.contains("Sign in again")), "{:?}", status[&jm]);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_token_mid_session_is_refreshed_without_the_user_noticing() {
    let sb = sandbox().await;
    let mut ui = Ui::start(sb.clone(), None);
    let jm = ui.sign_in_joinme().await;
    let mb = ui.sign_in_password(Provider::Meetingbooster, "alex.morgan@example.com").await;
    ui.agenda_after(Command::Reload).await;
    // Expired behind the client's back (its clock still says the token is good).
    ui.send(Command::ExpireAccess { account: jm.clone() });
    ui.wait_for("expired", |e| matches!(e, Event::Notice(_))).await;
    sb.control().advance_clock(Duration::hours(25));
    let agenda = ui.agenda_after(Command::Reload).await;
    assert!(agenda.iter().any(|i| i.account == jm) && agenda.iter().any(|i| i.account == mb));
    assert!(!ui.seen.iter().any(|e| matches!(e, Event::Failed { .. } | Event::SignInNeeded { .. })), "{:#?}", ui.seen);
    assert!(sb.control().counter("joinme.token.refresh_token") >= 1);
    assert!(sb.control().counter("meetingbooster.oauth.refresh_token") >= 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn lockout_is_reported_with_the_wait() {
    let sb = sandbox().await;
    // Set here, so the counts and waits below are this test's own.
    sb.control().update_switches(|s| {
        s.meetingbooster_retry_secs = 10;
        s.meetingbooster_lockout_after = 3;
        s.meetingbooster_lockout_secs = 600;
    });
    let mut ui = Ui::start(sb.clone(), None);
    let mut sign_in = async |password: &str| {
        ui.send(Command::SignInWithPassword {
            provider: Provider::Meetingbooster,
            username: "alex.morgan@example.com".into(),
            password: launcher_core::secret::Secret::new(password),
        });
        match ui.wait_for("a sign-in", |e| matches!(e, Event::SignInFinished { .. })).await {
            // A password sign-in fails only with what the service answered.
            Event::SignInFinished { result, .. } => result.map_err(|e| match e {
                AuthError::Provider(e) => e,
                other => panic!("not a service's answer: {other:?}"),
            }),
            _ => unreachable!(),
        }
    };
    // Wrong passwords short of the lockout are only that, each with the short wait.
    for _ in 1..3 {
        let error = sign_in("wrong").await.unwrap_err();
        assert_eq!(error, ProviderError::WrongCredentials { provider: Provider::Meetingbooster, retry_after: 10 });
        sb.control().advance_clock(Duration::seconds(11));
    }
    // The third locks the account, for the server's ten minutes.
    let locked = ProviderError::LockedOut { provider: Provider::Meetingbooster, seconds: 600 };
    assert_eq!(sign_in("wrong").await.unwrap_err(), locked);

    // While locked, even the right password is refused, with the wait that is left.
    sb.control().advance_clock(Duration::seconds(100));
    let error = sign_in("sandbox-password").await.unwrap_err();
    let ProviderError::LockedOut { seconds, .. } = error else { panic!("{error:?}") };
    // Up to a few seconds of real time pass on the sandbox's clock too.
    assert!((495..=500).contains(&seconds), "{seconds}");
    assert_eq!(error.action(), launcher_engine::providers::UserAction::Wait { seconds });

    // Control: once the lockout is over, the same sign-in works, so the refusal was the lockout.
    sb.control().advance_clock(Duration::seconds(501));
    sign_in("sandbox-password").await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn shutdown_sends_pending_deletes_and_does_not_hang() {
    let sb = sandbox().await;
    let mut ui = Ui::start(sb.clone(), None);
    let account = ui.sign_in_joinme().await;
    let agenda = ui.agenda_after(Command::Reload).await;
    let victim = agenda[0].clone();
    let before = sb.control().joinme_meetings_named(&victim.title);
    ui.send(Command::DeleteMeeting { account: account.clone(), meeting_id: victim.id.clone() });
    ui.wait_for("pending", |e| matches!(e, Event::DeletePending { .. })).await;
    // Work still in flight when the app quits: a slow answer.
    sb.control().add_fault(Fault::new("/joinme/api/v1/presenters", FaultKind::Latency { ms: 60_000 }));
    ui.send(Command::LoadPresenters { account });
    let began = std::time::Instant::now();
    ui.shutdown();
    assert!(began.elapsed() < std::time::Duration::from_secs(15), "shutdown gave up on the stuck call");
    assert_eq!(sb.control().joinme_meetings_named(&victim.title), before - 1);
    assert_eq!(sb.control().counter("joinme.meetings.delete"), 1, "the delete the user did not undo was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_settings_files_network_options_are_the_ones_the_window_uses() {
    // A CA file that is not there: the settings' network options reach the HTTP client, which says so.
    let root = std::env::temp_dir().join(format!("ml-network-{}", rand::random::<u64>()));
    let paths = launcher_engine::settings::Paths::under(&root);
    std::fs::create_dir_all(paths.settings_file.parent().unwrap()).unwrap();
    std::fs::write(&paths.settings_file, "[joinme]\napi_key = \"k\"\n[network]\nca_file = \"/nonexistent/ca.pem\"\n")
        .unwrap();
    let (backend, events) = launcher_engine::backend::Backend::start(launcher_engine::backend::BackendConfig {
        services: launcher_engine::backend::Services::Auto(paths.clone()),
        network: launcher_engine::settings::NetworkSettings::default(),
        data_dir: paths.data_dir.clone(),
        keychain: launcher_engine::backend::KeychainChoice::Given(launcher_engine::auth::Keychain::memory("test")),
        browser: std::sync::Arc::new(launcher_engine::auth::NoBrowser),
        clock: std::sync::Arc::new(launcher_engine::auth::SystemClock),
        notifier: std::sync::Arc::new(|| {}),
        retry: super::ui::fast_retries(),
        undo_window: std::time::Duration::from_millis(400),
        flow_timeout: std::time::Duration::from_secs(5),
        reminders: None,
        autostart: None,
        live: None,
        policy_root: None,
        diagnostics: None,
        hold: None,
    });
    let failed = loop {
        match events.recv_timeout(std::time::Duration::from_secs(20)).expect("an event") {
            Event::Failed { action, error, .. } if action == "Starting" => break error,
            _ => continue,
        }
    };
    assert!(
        matches!(&failed, ProviderError::Network { detail } if detail.contains("/nonexistent/ca.pem")),
        "{failed:?}"
    );
    backend.shutdown();
    let _ = std::fs::remove_dir_all(root);
}

/// A MeetingBooster server answering what no sane server does: waits of centuries and meetings in year 9999
/// (and beyond what a date can hold). The backend keeps answering, with the waits cut to a day.
#[tokio::test(flavor = "multi_thread")]
async fn absurd_waits_and_far_future_dates_crash_nothing() {
    let sb = sandbox().await;
    let mut ui = Ui::start(sb.clone(), None);
    let mb = ui.sign_in_password(Provider::Meetingbooster, "alex.morgan@example.com").await;
    let meeting = |id: &str, title: &str, start: &str, end: &str| {
        serde_json::json!({"ClientSyncId": id, "State": "NEW", "Meeting": {
            "Id": id, "Title": title, "Start": start, "End": end, "Location": "https://zoom.us/j/99"}})
    };
    let body = serde_json::json!({"SyncToken": "t", "Meetings": [
        meeting("7d0c3f52-0000-4000-8000-000000000001", "The last meeting", "9999-12-31T23:40:00Z", "9999-12-31T23:59:59Z"),
        meeting("7d0c3f52-0000-4000-8000-000000000002", "Beyond", "+262143-12-31T23:00:00Z", "+262143-12-31T23:59:00Z"),
    ]});
    sb.control().add_fault(
        Fault::new(
            "/meetingbooster/api/v1/mymeetings/sync",
            FaultKind::Answer {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: body.to_string(),
            },
        )
        .times(1),
    );
    let agenda = ui.agenda_after(Command::Reload).await;
    assert!(agenda.iter().any(|i| i.account == mb && i.title == "The last meeting"), "year 9999 is a date");
    assert!(!agenda.iter().any(|i| i.title == "Beyond"), "a date past 9999 is not");
    // Waits of centuries, in the header and the body: cut to a day.
    let absurd = |status: u16| FaultKind::Answer {
        status,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("retry-after".into(), "99999999999999999999999".into()),
        ],
        body: r#"{"error": "unauthorized_client", "error_state": "FAILEDLOGIN", "retry_in_seconds": 9000000000000}"#
            .into(),
    };
    sb.control().add_fault(Fault::new("/meetingbooster/api", absurd(503)).times(4));
    ui.send(Command::Reload);
    let Event::Failed { error, .. } = ui.wait_for("the failure", |e| matches!(e, Event::Failed { .. })).await else {
        unreachable!()
    };
    assert!(matches!(error, ProviderError::ServerTrouble { retry_after: Some(86_400), .. }), "{error:?}");
    sb.control().add_fault(Fault::new("/meetingbooster/oauth", absurd(400)).times(1));
    ui.send(Command::SignInWithPassword {
        provider: Provider::Meetingbooster,
        username: "alex.morgan@example.com".into(),
        password: launcher_core::secret::Secret::new("wrong"),
    });
    let finished = ui.wait_for("the sign-in", |e| matches!(e, Event::SignInFinished { .. })).await;
    let Event::SignInFinished { result: Err(error), .. } = finished else { panic!("{finished:?}") };
    assert!(error.to_string().contains("86400 seconds"), "{error}");

    // An endless answer (a broken proxy): cut off at the limit, with a clear error.
    let huge = format!("[{}]", "0,".repeat(5 * 1024 * 1024));
    sb.control().add_fault(
        Fault::new("/meetingbooster/api", FaultKind::Answer { status: 200, headers: vec![], body: huge }).times(4),
    );
    ui.send(Command::Reload);
    let Event::Failed { error, .. } = ui.wait_for("the failure", |e| matches!(e, Event::Failed { .. })).await else {
        unreachable!()
    };
    assert!(error.to_string().contains("longer than 8 MB"), "{error}");
}

/// Damaged files (a disk error, an editor, a crash of an older version): each is moved aside, nothing is written
/// over it, and the user is told once where it is.
#[tokio::test(flavor = "multi_thread")]
async fn damaged_drafts_and_account_list_are_kept_aside_and_the_user_is_told() {
    let sb = sandbox().await;
    let data_dir = std::env::temp_dir().join(format!("ml-damaged-{}", rand::random::<u64>()));
    std::fs::create_dir_all(&data_dir).unwrap();
    std::fs::write(data_dir.join("drafts.json"), "[{\"id\": \"half a draft").unwrap();
    std::fs::write(data_dir.join("accounts.toml"), "[[account]]\nkey = ").unwrap();
    let mut ui = Ui::start(sb.clone(), Some(data_dir.clone()));
    let mut told = Vec::new();
    for _ in 0..2 {
        let Event::Notice(text) = ui.wait_for("a notice", |e| matches!(e, Event::Notice(_))).await else {
            unreachable!()
        };
        told.push(text);
    }
    assert!(
        told.iter().any(|t| t.contains("unsent meeting changes") && t.contains("drafts.json.damaged-")),
        "{told:?}"
    );
    assert!(told.iter().any(|t| t.contains("signed-in accounts") && t.contains("accounts.toml.damaged-")), "{told:?}");
    let names: Vec<String> =
        std::fs::read_dir(&data_dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    let kept = |prefix: &str| names.iter().find(|n| n.starts_with(prefix)).cloned();
    let drafts = kept("drafts.json.damaged-").expect("the drafts kept aside");
    assert_eq!(std::fs::read_to_string(data_dir.join(drafts)).unwrap(), "[{\"id\": \"half a draft", "byte for byte");
    assert!(kept("accounts.toml.damaged-").is_some());
    // A new sign-in writes a new list; the damaged one stays as it was.
    ui.sign_in_password(Provider::Meetingbooster, "alex.morgan@example.com").await;
    let _ = std::fs::remove_dir_all(data_dir);
}

/// The disk refuses the drafts (the folder gone: here the file's place is taken by a folder): the draft is kept
/// and still sent, and the user is told that a restart would lose it.
#[tokio::test(flavor = "multi_thread")]
async fn a_draft_the_disk_refuses_is_kept_sent_and_the_user_told() {
    let data_dir = std::env::temp_dir().join(format!("ml-refused-{}", rand::random::<u64>()));
    std::fs::create_dir_all(&data_dir).unwrap();
    let drafts = data_dir.join("drafts.json");
    a_draft_the_disk_refuses(&data_dir, || std::fs::create_dir_all(&drafts).unwrap(), |()| ()).await;
    let _ = std::fs::remove_dir_all(data_dir);
}

/// A truly full disk: the data folder is a small tmpfs, filled to the last byte after the sign-in. The draft is
/// kept and sent, the user told, every file already on it (the agenda cache, which the
/// save's reload tries to replace) stays as it was, and once space is
/// back the drafts file is written again.
#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_keeps_the_draft_and_every_file_on_it() {
    let data_dir = std::env::temp_dir().join(format!("ml-diskfull-{}", rand::random::<u64>()));
    let Some(_mount) = TmpFs::mount(&data_dir, 256 * 1024) else {
        eprintln!("skipped: mounting a small tmpfs needs root (or CAP_SYS_ADMIN)");
        return;
    };
    let filler = data_dir.join("filler");
    let fill = || {
        use std::io::Write;
        let mut file = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 4096];
        let full = loop {
            if let Err(e) = file.write_all(&block).and_then(|()| file.sync_all()) {
                break e;
            }
        };
        assert_eq!(full.raw_os_error(), Some(libc::ENOSPC), "the tmpfs filled up: {full}");
    };
    let files = || -> std::collections::BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(&data_dir)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name() != "filler" && e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
            .collect()
    };
    a_draft_the_disk_refuses(
        &data_dir,
        || {
            let before = files();
            assert!(
                before.contains_key("agenda-cache.json"),
                "the sign-ins wrote the agenda cache: {:?}",
                before.keys()
            );
            fill();
            before
        },
        |before| {
            assert_eq!(files(), before, "every file on the full disk stays as it was");
            std::fs::remove_file(&filler).unwrap();
        },
    )
    .await;
    let drafts = std::fs::read_to_string(data_dir.join("drafts.json")).expect("written once space was back");
    assert!(!drafts.contains("Kept in memory"), "the sent draft is no longer kept: {drafts}");
}

/// A tmpfs of `size` bytes mounted on `at` for one test, unmounted (lazily, in case a file is still open) when
/// dropped. `None` where the test may not mount.
struct TmpFs(std::path::PathBuf);

impl TmpFs {
    fn mount(at: &std::path::Path, size: u64) -> Option<TmpFs> {
        std::fs::create_dir_all(at).ok()?;
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0700"), "tmpfs"])
            .arg(at)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if mounted {
            Some(TmpFs(at.to_owned()))
        } else {
            let _ = std::fs::remove_dir(at);
            None
        }
    }
}

impl Drop for TmpFs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(&self.0).status();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// After two sign-ins, `refuse` makes the disk refuse writes; a draft whose first try fails must then be kept in
/// memory, the user told, and a retry sends it exactly once. `restore` runs before the retry, given what `refuse`
/// returned.
async fn a_draft_the_disk_refuses<T>(data_dir: &std::path::Path, refuse: impl FnOnce() -> T, restore: impl FnOnce(T)) {
    let sb = sandbox().await;
    let mut ui = Ui::start(sb.clone(), Some(data_dir.to_owned()));
    let account = ui.sign_in_joinme().await;
    ui.sign_in_password(Provider::Meetingbooster, "alex.morgan@example.com").await;
    let refused = refuse();
    // The service fails the first try, so the draft has to be kept.
    sb.control().add_fault(
        Fault::new("/joinme/api/v1/meetings", FaultKind::Status { status: 400, retry_after: None })
            .method("POST")
            .times(1),
    );
    let start = sb.control().now() + Duration::days(2);
    let draft = Draft::new(&account, Provider::Joinme, "Kept in memory", start, start + Duration::hours(1));
    let draft_id = draft.id.clone();
    ui.send(Command::SaveMeeting { draft });
    let Event::Notice(told) =
        ui.wait_for("told", |e| matches!(e, Event::Notice(t) if t.contains("saved to disk"))).await
    else {
        unreachable!()
    };
    assert!(told.contains("kept while the app runs"), "{told}");
    ui.wait_for("the draft failed and kept", |e| {
        matches!(e, Event::Drafts(d) if d.iter().any(|d| d.id == draft_id && matches!(d.state, DraftState::Failed { .. })))
    })
    .await;
    restore(refused);
    // Retry sends it once.
    ui.send(Command::RetryDraft { draft_id: draft_id.clone() });
    ui.wait_for("saved", |e| matches!(e, Event::DraftSaved { draft_id: id, .. } if *id == draft_id)).await;
    assert_eq!(sb.control().joinme_meetings_named("Kept in memory"), 1);
    ui.shutdown();
}

/// The keychain locked or gone in the middle of a session (a screen locker that locks the collection, the
/// keyring daemon crashed): the sign-in goes on in memory, the agenda keeps loading, and the token panel says
/// where the secret is now and why.
#[tokio::test(flavor = "multi_thread")]
async fn a_keychain_gone_mid_session_keeps_the_session_in_memory_and_says_so() {
    use std::collections::HashMap;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, Ordering};

    use launcher_engine::auth::{Keychain, KeychainBackend, Storage};

    #[derive(Default)]
    struct Lockable {
        entries: Mutex<HashMap<String, String>>,
        gone: AtomicBool,
    }
    impl Lockable {
        fn check(&self) -> Result<(), String> {
            if self.gone.load(Ordering::SeqCst) { Err("the collection is locked".into()) } else { Ok(()) }
        }
    }
    impl KeychainBackend for Lockable {
        fn get(&self, account: &str) -> Result<Option<String>, String> {
            self.check()?;
            Ok(self.entries.lock().unwrap().get(account).cloned())
        }
        fn set(&self, account: &str, value: &str) -> Result<(), String> {
            self.check()?;
            self.entries.lock().unwrap().insert(account.into(), value.into());
            Ok(())
        }
        fn delete(&self, account: &str) -> Result<(), String> {
            self.check()?;
            self.entries.lock().unwrap().remove(account);
            Ok(())
        }
    }

    let sb = sandbox().await;
    let store = std::sync::Arc::new(Lockable::default());
    let keychain = Keychain::with_backend(store.clone(), Storage::Keychain);
    let mut ui = Ui::start_options(sb.clone(), super::ui::Options { keychain: Some(keychain), ..Default::default() });
    let mb = ui.sign_in_password(Provider::Meetingbooster, "alex.morgan@example.com").await;
    assert!(!store.entries.lock().unwrap().is_empty(), "control: the sign-in went to the keychain");

    store.gone.store(true, Ordering::SeqCst);
    // Past the access token's life: the next load refreshes, and the rotated token cannot be saved.
    sb.control().advance_clock(Duration::minutes(30));
    let agenda = ui.agenda_after(Command::Reload).await;
    assert!(agenda.iter().any(|i| i.account == mb), "the agenda still loads");
    // The panel hears of it on the account changes' own path: before or after the agenda, so look back, then wait.
    let told = |e: &Event| {
        matches!(e, Event::Accounts(accounts) if accounts.iter().any(|a| a.record.key == mb
            && matches!(&a.storage, Storage::Memory { reason } if reason.contains("the collection is locked"))))
    };
    if !ui.seen.iter().any(told) {
        ui.wait_for("the panel says the secret is in memory now, and why", told).await;
    }
    // Still signed in, for this run: another load works.
    sb.control().advance_clock(Duration::minutes(1));
    let again = ui.agenda_after(Command::Reload).await;
    assert!(again.iter().any(|i| i.account == mb));
}

/// Issue 15: with no keychain (memory only), an app secret is refused with the reason rather than kept in memory
/// as if saved. Configured services bring their own secrets: the window is told so, and offers nothing to set.
#[tokio::test(flavor = "multi_thread")]
async fn an_app_secret_without_a_keychain_is_refused_with_the_reason() {
    use launcher_core::secret::Secret;
    use launcher_engine::auth::keychain::SecretName;
    use launcher_engine::backend::SecretSource;

    let sb = sandbox().await;
    let mut ui = Ui::start(sb.clone(), None);
    let sources = ui.wait_for("the secrets' sources", |e| matches!(e, Event::AppSecrets(_))).await;
    let Event::AppSecrets(sources) = sources else { unreachable!() };
    assert_eq!(sources.len(), 2, "both secrets are told about: {sources:?}");
    assert!(sources.iter().all(|(_, s)| *s == SecretSource::Services), "{sources:?}");
    ui.send(Command::SetAppSecret { name: SecretName::JoinmeClientSecret, value: Some(Secret::new("s3cret")) });
    let saved = ui.wait_for("the answer", |e| matches!(e, Event::AppSecretSaved { .. })).await;
    let Event::AppSecretSaved { name, result } = saved else { unreachable!() };
    assert_eq!(name, SecretName::JoinmeClientSecret);
    let error = result.unwrap_err();
    assert!(error.contains("no keychain") && error.contains("backend tests"), "{error}");
}
