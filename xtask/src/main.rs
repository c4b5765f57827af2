//! `cargo xtask`: the project's two commands and its chores.
//!
//! - `cargo xtask run [ARGS…]`: build and start the app (installing what it needs first).
//! - `cargo xtask layers`: the layering rules (crate dependencies, crate paths in code, no import cycles between a
//!   crate's files); see `layers.rs`.
//! - `cargo xtask workflows`: actionlint on `.github/workflows` (part of `cargo xtask test`); see `workflows.rs`.
//! - `cargo xtask test`: the layering check, the workflows check, the format check, clippy with warnings denied,
//!   and the whole test suite inside a private D-Bus session with an unlocked gnome-keyring Secret Service and an
//!   Xvfb display.
//! - `cargo xtask test-only [CARGO TEST ARGS…]`: the same session and tests, without the format and lint checks.
//! - `cargo xtask test-year-ahead [CARGO TEST ARGS…]`: the suite again with every test binary (and the app it starts)
//!   living a year ahead (libfaketime): no test may depend on today's date.
//! - `cargo xtask fuzz [SECONDS]`: every fuzz target (bolero; the `fuzz_` tests) for SECONDS each (default 60).
//! - `cargo xtask bench`: the app against references measured in the same run (see `bench.rs`).
//! - `cargo xtask package [--no-build] [--target TRIPLE]`: the .deb, .rpm and (placeholder-payload) .msi plus the
//!   policy templates in `dist/`, each checked: lintian, install, a smoke run under Xvfb, purge, rpm queries, MSI
//!   tables, the macOS bundle layout and `.icns`. On Windows and macOS, with `--target`, the real MSI or `.app`.

mod apt;
mod bench;
mod layers;
mod package;
mod session;
mod workflows;

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(&args[1..]),
        // The suite (or a part of it) in the test session, without the format and lint checks: for iterating.
        Some("test-only") => session::run_tests(&args[1..]),
        Some("test-year-ahead") => test_year_ahead(&args[1..]),
        Some("fuzz") => fuzz(args.get(1).map(String::as_str)),
        Some("bench") => bench::run(),
        Some(bench::INNER) => bench::inner(),
        Some("layers") => layers::check(),
        Some("workflows") => workflows::check(),
        Some("package") => package::run(&args[1..]),
        Some(session::INNER) => session::inner(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask run [ARGS…] | cargo xtask test [CARGO TEST ARGS…] | cargo xtask test-year-ahead | cargo xtask fuzz [SECONDS] | cargo xtask bench \
                 | cargo xtask package [--no-build] [--target TRIPLE] | cargo xtask layers | cargo xtask workflows"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a command and turns a failure into an error that names it.
pub fn status(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    match command.status() {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("{shown} failed ({s})")),
        Err(e) => Err(format!("cannot run {shown}: {e}")),
    }
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn run(args: &[String]) -> Result<(), String> {
    apt::ensure(&[apt::RUN])?;
    status(cargo().args(["run", "--quiet", "--bin", "meeting-launcher", "--"]).args(args))
}

fn test(args: &[String]) -> Result<(), String> {
    // The tests open the real window too.
    apt::ensure(&[apt::RUN, apt::TEST])?;
    ensure_components()?;
    eprintln!("xtask: checking the layers");
    layers::check()?;
    eprintln!("xtask: checking the GitHub workflows (actionlint)");
    workflows::check()?;
    eprintln!("xtask: checking formatting");
    status(cargo().args(["fmt", "--all", "--", "--check"]))
        .map_err(|e| format!("{e}\n  run `cargo fmt --all` to fix the formatting"))?;
    eprintln!("xtask: running clippy");
    status(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    eprintln!("xtask: building the tests");
    status(cargo().args(["test", "--workspace", "--no-run", "--quiet"]))?;
    session::run_tests(args)
}

/// The suite a year from now. Only the test binaries run under libfaketime (as cargo's target runner): cargo and
/// build scripts under it hang or rebuild. The thread-safe build (`-m`) and an untouched monotonic clock keep tokio's
/// timers and the keychain's D-Bus calls working; the wall clock is what the code under test must not depend on.
fn test_year_ahead(args: &[String]) -> Result<(), String> {
    apt::ensure(&[apt::RUN, apt::TEST, apt::YEAR_AHEAD])?;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/xtask");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let runner = dir.join("year-ahead.sh");
    let script = "#!/bin/sh\n# Test binaries a year ahead; anything else (build scripts) as it is.\n\
                  case \"$1\" in */deps/*) exec faketime -m --exclude-monotonic -f +365d \"$@\";; esac\nexec \"$@\"\n";
    std::fs::write(&runner, script).map_err(|e| format!("cannot write {}: {e}", runner.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runner, std::fs::Permissions::from_mode(0o755)).map_err(|e| e.to_string())?;
    }
    let variable = format!("CARGO_TARGET_{}_UNKNOWN_LINUX_GNU_RUNNER", std::env::consts::ARCH.to_uppercase());
    session::run_tests_with(args, &[(variable, runner.into_os_string())])
}

/// The fuzz targets (bolero property tests named `fuzz_…`), each for `seconds` of random inputs, one at a time. A
/// failure prints the `BOLERO_RANDOM_SEED` that reproduces it; keep its input as a regression test.
fn fuzz(seconds: Option<&str>) -> Result<(), String> {
    let seconds: u64 = seconds.unwrap_or("60").parse().map_err(|_| "usage: cargo xtask fuzz [SECONDS]".to_string())?;
    eprintln!("xtask: fuzzing each target for {seconds} s");
    status(
        cargo()
            // The whole workspace, as `cargo xtask test` builds it: a `-p` selection unifies features differently and
            // would build many dependencies a second time.
            .args(["test", "--lib", "--workspace"])
            .args(["fuzz_", "--", "--test-threads=1"])
            .env("BOLERO_RANDOM_TEST_TIME_MS", (seconds * 1000).to_string()),
    )
}

/// rustfmt and clippy come with rustup's default profile, but not with its minimal one.
fn ensure_components() -> Result<(), String> {
    let have = |tool: &str| cargo().args([tool, "--version"]).output().is_ok_and(|o| o.status.success());
    let missing: Vec<&str> = [("fmt", "rustfmt"), ("clippy", "clippy")]
        .into_iter()
        .filter(|(tool, _)| !have(tool))
        .map(|(_, component)| component)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing rustup components {} (format and lint checks)", missing.join(", "));
    status(Command::new("rustup").args(["component", "add"]).args(&missing))
}
