//! Logging to stderr, filtered by `MEETING_LAUNCHER_LOG` (e.g. `debug`), and to a daily log file in the
//! platform's log folder (`launcher_engine::diagnostics::log_dir`), a week of them kept. Nothing logged may hold
//! a secret: the code logs methods, paths and outcomes, never tokens, codes, passwords or bodies (`tests/secrets.rs`
//! searches both, at trace level).

use std::path::Path;

use launcher_engine::diagnostics::{LOG_PREFIX, LOG_SUFFIX, create_log_dir};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{EnvFilter, Layer as _};

/// The windowing and GPU crates warn about things a user cannot change.
const QUIET: &str = "winit=error,wgpu_hal=error,wgpu_core=error,naga=error,zbus=error";

/// How many daily files are kept.
const KEPT_FILES: usize = 7;

/// Installs the global subscriber: stderr always, and a file in `log_dir` when given and writable. Keep the
/// returned guard alive until the end of `main`: it flushes the file's last lines.
pub fn init(log_dir: Option<&Path>) -> Option<WorkerGuard> {
    let from_env = || EnvFilter::try_from_env("MEETING_LAUNCHER_LOG").ok();
    // By default our warnings only on stderr; the file keeps our crates' info too, for the Help page and reports.
    let stderr_filter = from_env().unwrap_or_else(|| EnvFilter::new(format!("warn,{QUIET}")));
    let stderr = tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_filter(stderr_filter);

    let mut problem = None;
    let file = log_dir.and_then(|dir| {
        let appender = create_log_dir(dir).map_err(|e| e.to_string()).and_then(|()| {
            RollingFileAppender::builder()
                .rotation(Rotation::DAILY)
                .filename_prefix(LOG_PREFIX)
                .filename_suffix(LOG_SUFFIX)
                .max_log_files(KEPT_FILES)
                .build(dir)
                .map_err(|e| e.to_string())
        });
        match appender {
            Ok(appender) => Some(tracing_appender::non_blocking(appender)),
            Err(e) => {
                problem = Some(format!("no log file in {}: {e}", dir.display()));
                None
            }
        }
    });
    let (file_layer, guard) = match file {
        Some((writer, guard)) => {
            let ours = "meeting_launcher=info,launcher_core=info,launcher_engine=info,launcher_desktop=info,\
                        launcher_ui=info";
            let filter = from_env().unwrap_or_else(|| EnvFilter::new(format!("warn,{ours},{QUIET}")));
            let layer = tracing_subscriber::fmt::layer().with_writer(writer).with_ansi(false).with_filter(filter);
            (Some(layer), Some(guard))
        }
        None => (None, None),
    };
    let _ = tracing_subscriber::registry().with(stderr).with(file_layer).try_init();
    if let Some(problem) = problem {
        tracing::warn!("{problem}");
    }
    guard
}
