//! Frame cost of the long lists: the agenda with 5,000 meetings and the presenters page with 2,000 presenters,
//! scrolled. Run with `cargo xtask bench`; it fails when a frame costs more than its budget.
//!
//! The budget is for the UI pass (layout and tessellation), measured without a GPU: a frame must leave most of a
//! 60 Hz interval to the renderer.

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use launcher_engine::auth::Keychain;
use launcher_engine::backend::{
    AgendaItem, BackendConfig, ItemKind, KeychainChoice, PresentersView, RetryPolicy, Services,
};
use launcher_engine::providers::{Provider, joinme};
use launcher_engine::settings::NetworkSettings;
use launcher_ui::{App, Screen};

const FRAME_BUDGET: Duration = Duration::from_millis(8);

fn app() -> Harness<'static, App> {
    Harness::builder().with_size(egui::vec2(1000.0, 680.0)).build_eframe(|cc| {
        App::new(&cc.egui_ctx, None, |notifier| BackendConfig {
            services: Services::Configured(Box::default()),
            network: NetworkSettings::default(),
            data_dir: std::env::temp_dir().join(format!("ml-bench-{}", std::process::id())),
            keychain: KeychainChoice::Given(Keychain::memory("bench")),
            browser: std::sync::Arc::new(launcher_engine::auth::NoBrowser),
            clock: std::sync::Arc::new(launcher_engine::auth::SystemClock),
            notifier,
            retry: RetryPolicy::NONE,
            undo_window: Duration::from_secs(5),
            flow_timeout: Duration::from_secs(5),
            reminders: None,
            autostart: None,
            live: None,
            policy_root: None,
            diagnostics: None,
            hold: None,
        })
    })
}

/// The median cost of a frame while scrolling down by `step` points each frame.
fn median_frame(harness: &mut Harness<'static, App>, frames: usize) -> Duration {
    let mut times = Vec::with_capacity(frames);
    for _ in 0..frames {
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -120.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        let began = Instant::now();
        harness.step();
        times.push(began.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let start = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap();
    let mut harness = app();
    // Let the backend's first (empty) agenda arrive before replacing it.
    for _ in 0..20 {
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    harness.state_mut().state.agenda = (0..5000)
        .map(|i| AgendaItem {
            provider: if i % 3 == 0 { Provider::Meetingbooster } else { Provider::Joinme },
            account: "joinme:bench@example.com@bench".into(),
            id: i.to_string(),
            kind: ItemKind::Meeting,
            title: format!("Meeting number {i}"),
            start: start + chrono::Duration::minutes(45 * i),
            end: start + chrono::Duration::minutes(45 * i + 30),
            participants: vec!["a@example.com".into(), "b@example.com".into()],
            location: String::new(),
            link: None,
            can_edit: true,
            can_start: i % 3 != 0,
            attending: None,
            skipped: None,
            description: String::new(),
            answers: Default::default(),
        })
        .collect();
    harness.hover_at(egui::pos2(500.0, 400.0));
    harness.run_steps(3);
    assert!(harness.query_by_label_contains("details of “Meeting number 0”").is_some(), "the agenda is drawn");
    let agenda = median_frame(&mut harness, 200);
    // It really scrolled: the first rows are gone, later ones are drawn.
    assert!(harness.query_by_label_contains("details of “Meeting number 0”").is_none(), "the agenda scrolled");

    let key = "joinme:bench@example.com@bench".to_string();
    let presenters = (0..2000)
        .map(|i| joinme::Presenter {
            id: i,
            email: format!("presenter{i}@example.com"),
            invitation_accepted: i % 2 == 0,
            seat_assigned: i % 5 != 0,
        })
        .collect();
    harness.state_mut().state.presenters.insert(key.clone(), PresentersView::Ready(presenters));
    // The page is for a signed-in join.me account.
    harness.state_mut().state.accounts = vec![launcher_engine::auth::AccountStatus {
        record: launcher_engine::auth::AccountRecord {
            key,
            provider: Provider::Joinme,
            realm: "bench".into(),
            user: "bench@example.com".into(),
            display_name: "Bench".into(),
            grant: launcher_engine::auth::Grant::AuthorizationCode,
            scopes: Vec::new(),
            signed_in_at: start,
            addresses: Vec::new(),
        },
        expires_at: None,
        has_access_token: false,
        storage: launcher_engine::auth::Storage::Memory { reason: "bench".into() },
        last_refresh: None,
        problem: None,
    }];
    harness.state_mut().screen = Screen::Presenters;
    harness.run_steps(3);
    assert!(harness.query_by_label("presenter0@example.com").is_some(), "the presenters are drawn");
    let presenters = median_frame(&mut harness, 200);
    assert!(harness.query_by_label("presenter0@example.com").is_none(), "the presenters scrolled");

    println!("agenda, 5000 meetings:    median frame {agenda:?} (budget {FRAME_BUDGET:?})");
    println!("presenters, 2000 entries: median frame {presenters:?} (budget {FRAME_BUDGET:?})");
    if agenda > FRAME_BUDGET || presenters > FRAME_BUDGET {
        eprintln!("over budget");
        std::process::exit(1);
    }
}
