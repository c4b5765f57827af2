//! The backend: one task on its own tokio runtime that owns the HTTP clients and the sessions, takes
//! [`Command`]s on a channel and answers with [`Event`]s. The GUI, the tray and the command line all go
//! through it, so none of them waits on the network. Every event wakes the UI (repaint on send), so the UI
//! repaints only when something changed.

// Dates and waits here come from servers: no arithmetic that can overflow or panic (checked or saturating).
#![cfg_attr(not(test), warn(clippy::arithmetic_side_effects))]

mod cache;
mod config;
mod demo;
mod diagnostics;
mod dispatch;
pub mod drafts;
mod handlers;
mod live;
pub mod model;
pub mod ops;
mod protocol;
pub mod reminders;
pub mod retry;
mod schedule;
mod state;
mod task;

pub use demo::demo_endpoints;
#[cfg(feature = "demo")]
pub use demo::demo_sandbox;

use std::time::Duration;

pub use config::{
    BackendConfig, BackendHandle, DiagnosticsConfig, HOLD_AT_MOST, Hold, KeychainChoice, Notifier, Release, Services,
};
pub use model::{AgendaItem, Draft, DraftState, Field, FieldProblem, ItemKind, PresentersView};
pub use protocol::{Command, Event, Joined, Reply, SecretSource, Started};
pub use reminders::ReminderSettings;
pub use retry::RetryPolicy;
pub use schedule::{LiveConfig, Trigger};

/// The UI's end of the backend.
pub struct Backend {
    commands: tokio::sync::mpsc::UnboundedSender<Command>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Backend {
    /// Starts the backend thread and its runtime. Events arrive on the returned receiver.
    pub fn start(mut config: BackendConfig) -> (Self, std::sync::mpsc::Receiver<Event>) {
        let (commands, outer) = tokio::sync::mpsc::unbounded_channel();
        // The backend sends itself commands too: a reminder's action arrives on the notification's thread.
        let own = BackendHandle(commands.clone());
        let (events, outbox) = std::sync::mpsc::channel();
        // The diagnostics commands are answered in front of the task; the rest reach it through `inbox`.
        let (forward, inbox) = tokio::sync::mpsc::unbounded_channel();
        let sink = state::Sink { tx: events.clone(), notify: config.notifier.clone() };
        let front = diagnostics::front(config.diagnostics.take(), sink, outer, forward);
        let hold = config.hold.take();
        let thread = std::thread::Builder::new()
            .name("backend".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .thread_name("backend-worker")
                    .build()
                    .expect("the backend runtime starts");
                runtime.spawn(front);
                runtime.block_on(async move {
                    if let Some(hold) = hold {
                        if hold.wait(HOLD_AT_MOST).await {
                            tracing::info!("backend starting: released");
                        } else {
                            tracing::warn!(at_most = ?HOLD_AT_MOST, "backend starting: never released");
                        }
                    }
                    task::run(config, inbox, own, events).await
                });
                // In-flight work was finished or cancelled by `run`; don't wait for stragglers.
                runtime.shutdown_timeout(Duration::from_secs(2));
            })
            .expect("the backend thread starts");
        (Self { commands, thread: Some(thread) }, outbox)
    }

    /// Queues a command; never blocks.
    pub fn send(&self, command: Command) {
        let _ = self.commands.send(command);
    }

    /// A sender for other threads (the tray, other launches).
    pub fn handle(&self) -> BackendHandle {
        BackendHandle(self.commands.clone())
    }

    /// Asks the backend to finish: pending deletes are sent, in-flight work gets a few seconds.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let _ = self.commands.send(Command::Shutdown);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        self.stop();
    }
}
