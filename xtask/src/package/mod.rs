//! `cargo xtask package [--no-build]`: builds the installers into `dist/` and checks each one.
//!
//! - `.deb` with cargo-deb and `.rpm` with cargo-generate-rpm, from `[package.metadata.deb]` and
//!   `[package.metadata.generate-rpm]` in Cargo.toml;
//! - the Windows MSI with wixl from `packaging/windows/MeetingLauncher.wxs`, around a placeholder payload (the
//!   Windows binary cannot be built here; see `packaging/windows/placeholder/README.txt`);
//! - the ADMX/ADML policy templates and the macOS configuration profile example, copied as they are.
//!
//! Then it checks the desktop metadata, lints the `.deb`, installs it, runs the installed app under Xvfb until its
//! window appears, purges it and checks that nothing is left; queries the `.rpm`; reads the MSI's tables. Every
//! check runs even when an earlier one failed, and each failure says what is wrong.
//!
//! The macOS bundle (`macos.rs`) is laid out around a placeholder and checked: Info.plist keys, bundle id,
//! the `.icns` made from the icon PNGs.
//!
//! `--no-build` packages the release binary that is already there. `--target TRIPLE` builds for that target:
//! on Windows the real MSI (WiX v3), on macOS the `.app` bundle (`universal-apple-darwin`: both architectures
//! joined by lipo); the release workflow (`.github/workflows/release.yml`) calls exactly this.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{apt, cargo, session, status};

mod macos;

/// The package and binary name.
const PACKAGE: &str = "meeting-launcher";
/// The one reverse-DNS id: .desktop file, AppStream id, icon name, macOS bundle id.
const APP_ID: &str = "org.meetinglauncher.MeetingLauncher";
/// The class the installed app's window must have: its X11 WM_CLASS instance or class, its Wayland app_id.
pub const WINDOW_CLASS: &str = "org.meetinglauncher.MeetingLauncher";
/// The class the window had before it took the app id; named in the message when only that one is found.
const OLD_WINDOW_CLASS: &str = "meeting-launcher";
/// Fixed for the life of the product: Windows Installer finds earlier versions to upgrade by it.
const UPGRADE_CODE: &str = "{9F202543-7A2C-42A5-BC6B-EAF2977C27BC}";
/// The MSI's public properties, which must reach the elevated part of a managed install.
const SECURE_PROPERTIES: [&str; 4] = ["APIKEY", "SERVERURL", "PROVIDER", "AUTOSTART"];
const ICON_SIZES: [u32; 8] = [16, 24, 32, 48, 64, 128, 256, 512];
const WXS: &str = "packaging/windows/MeetingLauncher.wxs";
const DESKTOP: &str = "packaging/linux/org.meetinglauncher.MeetingLauncher.desktop";
const METAINFO: &str = "packaging/linux/org.meetinglauncher.MeetingLauncher.metainfo.xml";
const ADMX: &str = "packaging/windows/policy/MeetingLauncher.admx";
const ADML: &str = "packaging/windows/policy/en-US/MeetingLauncher.adml";
const MOBILECONFIG: &str = "packaging/macos/MeetingLauncher.mobileconfig.example";
const INFO_PLIST: &str = "packaging/macos/Info.plist.in";
/// Libraries the app loads at run time that dpkg-shlibdeps cannot see: the .deb must depend on them.
const DEB_RUNTIME_DEPENDS: [&str; 7] = [
    "libxkbcommon-x11-0",
    "libvulkan1",
    "mesa-vulkan-drivers | libgl1-mesa-dri",
    "libegl1",
    "libwayland-client0",
    "dbus-user-session | dbus-x11",
    "libc6",
];
const RPM_REQUIRES: [&str; 6] = [
    "libxkbcommon-x11.so.0()(64bit)",
    "libvulkan.so.1()(64bit)",
    "libEGL.so.1()(64bit)",
    "libwayland-client.so.0()(64bit)",
    "(mesa-vulkan-drivers or mesa-dri-drivers)",
    "dbus",
];
/// How long the installed app may take to show its window under Xvfb.
const WINDOW_TIMEOUT: Duration = Duration::from_secs(30);

/// What `cargo xtask package` was asked for.
struct Options {
    build: bool,
    /// `--target`: a Rust target triple, or `universal-apple-darwin` for both Mac architectures in one.
    target: Option<String>,
}

const USAGE: &str = "usage: cargo xtask package [--no-build] [--target TRIPLE | --target universal-apple-darwin]";

fn options(args: &[String]) -> Result<Options, String> {
    let mut options = Options { build: true, target: None };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--no-build" => options.build = false,
            "--target" => options.target = Some(args.next().ok_or(USAGE)?.clone()),
            _ => return Err(USAGE.into()),
        }
    }
    Ok(options)
}

/// The system a target triple is for (the host's without one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum System {
    Linux,
    Windows,
    MacOs,
}

fn system(target: Option<&str>) -> Result<System, String> {
    Ok(match target {
        None if cfg!(windows) => System::Windows,
        None if cfg!(target_os = "macos") => System::MacOs,
        None => System::Linux,
        Some(t) if t.contains("-windows-") => System::Windows,
        Some(t) if t.ends_with("-apple-darwin") => System::MacOs,
        Some(t) if t.contains("-linux-") => System::Linux,
        Some(t) => return Err(format!("no packages are made for {t}: Linux, Windows and macOS targets only")),
    })
}

pub fn run(args: &[String]) -> Result<(), String> {
    let options = options(args)?;
    let root = workspace_root();
    std::env::set_current_dir(&root).map_err(|e| format!("cannot enter {}: {e}", root.display()))?;
    let target = options.target.as_deref();
    let host = system(None)?;
    // Each system's installer is built with that system's tools; a developer on Linux gets the Linux packages
    // and checked stand-ins for the other two (the MSI around a placeholder, the macOS bundle layout).
    match (system(target)?, host) {
        (System::Linux, System::Linux) => linux(&options, &root),
        (System::Windows, System::Windows) => windows(&options),
        (System::MacOs, System::MacOs) => macos(&options),
        (wanted, _) => Err(format!(
            "{wanted:?} packages are built on {wanted:?} (the release workflow's runners): this host is {host:?}. \
             Here, `cargo xtask package` builds the Linux packages and checks the Windows and macOS layouts."
        )),
    }
}

fn linux(options: &Options, root: &Path) -> Result<(), String> {
    // The checks install and run the .deb: it is built for the machine it is checked on.
    let host = format!("{}-unknown-linux-gnu", std::env::consts::ARCH);
    if let Some(target) = options.target.as_ref().filter(|t| **t != host) {
        return Err(format!("the .deb and .rpm are built for this machine ({host}), not {target}: build those on one"));
    }
    apt::ensure(&[apt::RUN, apt::PACKAGE])?;
    ensure_cargo_tools()?;
    let version = package_version()?;
    let dist = root.join("dist");
    std::fs::create_dir_all(&dist).map_err(|e| format!("cannot create {}: {e}", dist.display()))?;

    let mut checks = Checks::default();
    eprintln!("xtask: checking the desktop metadata");
    checks.run("desktop-file-validate", validate_desktop_file);
    checks.run("appstreamcli validate", validate_metainfo);
    checks.run("icon sizes", check_icons);
    checks.run("Debian changelog", || check_changelog(&version));

    let artifacts = build_all(options, &version, &dist)?;

    eprintln!("xtask: checking the .deb");
    checks.run("deb control and contents", || check_deb_contents(&artifacts.deb));
    checks.run("lintian", || lintian(&artifacts.deb));
    checks.run("deb install, smoke run, purge", || install_run_purge(&artifacts.deb));
    eprintln!("xtask: checking the .rpm");
    checks.run("rpm", || check_rpm(&artifacts.rpm, &version));
    eprintln!("xtask: checking the .msi");
    checks.run("msi", || check_msi(&artifacts.msi, &version));
    eprintln!("xtask: checking the policy templates");
    checks.run("xmllint ADMX/ADML", check_policy_xml);
    checks.run("plists", check_plists);
    // The layout the macOS runner builds, around a placeholder (not in dist/: never shipped).
    eprintln!("xtask: checking the macOS bundle layout and its .icns");
    checks.run("macOS bundle", || {
        let out = Path::new("target/packaging/macos");
        std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
        let app = macos::bundle(&version, &placeholder()?, out)?;
        macos::check_bundle(&app, &version)?;
        eprintln!("xtask: laid out {} (placeholder executable)", app.display());
        Ok(())
    });
    checks.finish(&dist)
}

/// The release binary's path for `target` (the host's without one).
fn release_binary(target: Option<&str>, name: &str) -> PathBuf {
    let dir = match target {
        Some(t) => Path::new("target").join(t).join("release"),
        None => PathBuf::from("target/release"),
    };
    dir.join(name)
}

fn build_release(target: Option<&str>) -> Result<(), String> {
    eprintln!("xtask: building the release binary{}", target.map(|t| format!(" for {t}")).unwrap_or_default());
    let mut build = cargo();
    build.args(["build", "--release", "--bin", PACKAGE]);
    if let Some(target) = target {
        build.args(["--target", target]);
    }
    status(&mut build)
}

/// On Windows: the release build and the MSI with WiX v3 (`candle`, `light` on PATH) from the same `.wxs` that
/// wixl compiles on Linux, so no condition or secure property is patched in afterwards.
fn windows(options: &Options) -> Result<(), String> {
    let target = options.target.as_deref();
    if options.build {
        build_release(target)?;
    }
    let binary = release_binary(target, &format!("{PACKAGE}.exe"));
    if !binary.is_file() {
        return Err(format!("{} does not exist", binary.display()));
    }
    let version = package_version()?;
    let msi_version = version.split(['-', '+']).next().unwrap_or(&version).to_owned();
    let arch = match target.unwrap_or(if cfg!(target_arch = "aarch64") { "aarch64" } else { "x86_64" }) {
        t if t.starts_with("aarch64") => "arm64",
        t if t.starts_with("x86_64") => "x64",
        t => return Err(format!("no MSI is made for {t}: x86_64 and aarch64 only")),
    };
    let dist = Path::new("dist");
    let work = Path::new("target/packaging/wix").join(arch);
    for dir in [dist, work.as_path()] {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let object = work.join("MeetingLauncher.wixobj");
    let bin_dir = binary.parent().expect("a file has a folder");
    status(
        Command::new("candle")
            .args(["-nologo", "-arch", arch])
            .arg(format!("-dVersion={msi_version}"))
            .arg(format!("-dBinDir={}", bin_dir.display()))
            .arg("-out")
            .arg(&object)
            .arg(WXS),
    )?;
    let msi = dist.join(format!("MeetingLauncher-{msi_version}-{arch}.msi"));
    // light runs the ICE validation that wixl lacks. `-b`: the .wxs names its icon relative to its own folder.
    // ICE38/ICE43/ICE57 want a per-user key path for the Start Menu shortcut; this MSI is per-machine only
    // (ALLUSERS=1), where the HKLM key path is right.
    status(
        Command::new("light")
            .args(["-nologo", "-b", "packaging/windows"])
            .args(["-sice:ICE38", "-sice:ICE43", "-sice:ICE57", "-o"])
            .arg(&msi)
            .arg(&object),
    )?;
    eprintln!("xtask: built {}", msi.display());
    Ok(())
}

/// On macOS: the release build (both architectures joined by `lipo` for `universal-apple-darwin`) in the
/// bundle, checked. The release workflow signs it and builds the `.pkg`.
fn macos(options: &Options) -> Result<(), String> {
    let version = package_version()?;
    let target = options.target.as_deref();
    let exe = match target {
        Some("universal-apple-darwin") => {
            let parts: Vec<PathBuf> = ["aarch64-apple-darwin", "x86_64-apple-darwin"]
                .into_iter()
                .map(|t| {
                    if options.build {
                        build_release(Some(t))?;
                    }
                    Ok(release_binary(Some(t), PACKAGE))
                })
                .collect::<Result<_, String>>()?;
            let joined = Path::new("target/packaging").join(PACKAGE);
            std::fs::create_dir_all("target/packaging").map_err(|e| format!("cannot create target/packaging: {e}"))?;
            macos::universal(&parts, &joined)?;
            joined
        }
        target => {
            if options.build {
                build_release(target)?;
            }
            release_binary(target, PACKAGE)
        }
    };
    let dist = Path::new("dist");
    std::fs::create_dir_all(dist).map_err(|e| format!("cannot create dist: {e}"))?;
    let app = macos::bundle(&version, &exe, dist)?;
    macos::check_bundle(&app, &version)?;
    eprintln!("xtask: built and checked {}", app.display());
    Ok(())
}

/// The results of the checks, printed as they come and summed up at the end.
#[derive(Default)]
struct Checks {
    failures: Vec<(String, String)>,
}

impl Checks {
    fn run(&mut self, name: &str, check: impl FnOnce() -> Result<(), String>) {
        match check() {
            Ok(()) => eprintln!("xtask: ok: {name}"),
            Err(e) => {
                eprintln!("xtask: FAILED: {name}: {e}");
                self.failures.push((name.to_owned(), e));
            }
        }
    }

    fn finish(self, dist: &Path) -> Result<(), String> {
        if self.failures.is_empty() {
            eprintln!("xtask: every package built and checked, in {}", dist.display());
            return Ok(());
        }
        let mut message = format!("{} packaging check(s) failed:", self.failures.len());
        for (name, error) in &self.failures {
            let _ = write!(message, "\n  {name}: {error}");
        }
        Err(message)
    }
}

struct Artifacts {
    deb: PathBuf,
    rpm: PathBuf,
    msi: PathBuf,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// cargo-deb and cargo-generate-rpm, from crates.io when missing.
fn ensure_cargo_tools() -> Result<(), String> {
    let have = |tool: &str| cargo().args([tool, "--version"]).output().is_ok_and(|o| o.status.success());
    let missing: Vec<&str> = [("deb", "cargo-deb"), ("generate-rpm", "cargo-generate-rpm")]
        .into_iter()
        .filter(|(tool, _)| !have(tool))
        .map(|(_, krate)| krate)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing {} (building the .deb and the .rpm)", missing.join(", "));
    status(cargo().args(["install", "--locked"]).args(&missing))
}

/// The app's version, as cargo resolves it (the workspace's `[workspace.package]` version): `cargo pkgid` ends
/// in `#meeting-launcher@0.1.0` (or `#0.1.0` when the name is the folder's).
fn package_version() -> Result<String, String> {
    let id = capture(cargo().args(["pkgid", "-p", PACKAGE]))?;
    let version = id.trim().rsplit(['@', '#']).next().unwrap_or("");
    if version.is_empty() || !version.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!("cannot read the version from `cargo pkgid`: {}", id.trim()));
    }
    Ok(version.to_owned())
}

fn build_all(options: &Options, version: &str, dist: &Path) -> Result<Artifacts, String> {
    let binary = release_binary(None, PACKAGE);
    if options.build {
        build_release(None)?;
    } else if !binary.is_file() {
        return Err(format!("--no-build, but {} does not exist", binary.display()));
    }

    eprintln!("xtask: building the .deb");
    let out = capture(cargo().args(["deb", "--no-build", "-o"]).arg(dist))?;
    let deb = out
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.ends_with(".deb"))
        .map(PathBuf::from)
        .ok_or_else(|| format!("cargo deb printed no .deb path:\n{out}"))?;

    // cargo-deb strips its own copy; cargo-generate-rpm packages the file as it is.
    status(Command::new("strip").arg("--strip-unneeded").arg(&binary))?;
    eprintln!("xtask: building the .rpm");
    status(cargo().args(["generate-rpm", "-o"]).arg(dist))?;
    let rpm = dist.join(format!("{PACKAGE}-{version}-1.{}.rpm", std::env::consts::ARCH));
    if !rpm.is_file() {
        return Err(format!("cargo generate-rpm did not write {}", rpm.display()));
    }

    eprintln!("xtask: building the .msi (placeholder payload)");
    let msi = build_msi(version, dist)?;

    eprintln!("xtask: copying the policy templates");
    for (from, to) in [
        (ADMX, "policy/MeetingLauncher.admx"),
        (ADML, "policy/en-US/MeetingLauncher.adml"),
        (MOBILECONFIG, "MeetingLauncher.mobileconfig.example"),
    ] {
        let to = dist.join(to);
        std::fs::create_dir_all(to.parent().expect("has a parent")).map_err(|e| e.to_string())?;
        std::fs::copy(from, &to).map_err(|e| format!("cannot copy {from} to {}: {e}", to.display()))?;
    }
    Ok(Artifacts { deb, rpm, msi })
}

/// wixl around a placeholder payload, then what wixl 0.101 cannot compile (component conditions,
/// SecureCustomProperties) written into the tables with msibuild.
fn build_msi(version: &str, dist: &Path) -> Result<PathBuf, String> {
    // wixl resolves File/@Source only through relative paths.
    let exe = placeholder()?;
    let placeholder = exe.parent().expect("a file has a folder");
    // MSI versions are numeric: 0.1.0-beta.1 becomes 0.1.0.
    let msi_version = version.split(['-', '+']).next().unwrap_or(version);
    let msi = dist.join(format!("MeetingLauncher-{msi_version}-x64.msi"));
    let _ = std::fs::remove_file(&msi);
    status(
        Command::new("wixl")
            .args(["-a", "x64", "-D"])
            .arg(format!("Version={msi_version}"))
            .arg("-D")
            .arg(format!("BinDir={}", placeholder.display()))
            .args(["-D", "Wixl=1", "-o"])
            .arg(&msi)
            .arg(WXS),
    )?;

    let wxs = read(WXS)?;
    let mut queries = Vec::new();
    for (component, condition) in component_conditions(&wxs) {
        queries.push(format!(
            "UPDATE `Component` SET `Condition` = '{}' WHERE `Component` = '{component}'",
            condition.replace('\'', "''")
        ));
    }
    let properties = msi_table(&msi, "Property")?;
    let current = properties.iter().find(|r| r[0] == "SecureCustomProperties").map(|r| r[1].clone());
    let mut secure: Vec<String> =
        current.as_deref().unwrap_or_default().split(';').filter(|s| !s.is_empty()).map(str::to_owned).collect();
    for property in secure_properties(&wxs) {
        if !secure.contains(&property) {
            secure.push(property);
        }
    }
    let secure = secure.join(";");
    queries.push(if current.is_some() {
        format!("UPDATE `Property` SET `Value` = '{secure}' WHERE `Property` = 'SecureCustomProperties'")
    } else {
        format!("INSERT INTO `Property` (`Property`, `Value`) VALUES ('SecureCustomProperties', '{secure}')")
    });
    for query in queries {
        status(Command::new("msibuild").arg(&msi).arg("-q").arg(&query))?;
    }
    Ok(msi)
}

/// The stand-in for the Windows and macOS executables, which cannot be built on Linux: never shipped.
fn placeholder() -> Result<PathBuf, String> {
    let dir = Path::new("target/packaging/placeholder");
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let exe = dir.join(format!("{PACKAGE}.exe"));
    std::fs::write(&exe, "Placeholder: this program cannot be built on this Linux host. Do not ship it.\n")
        .map_err(|e| format!("cannot write the placeholder: {e}"))?;
    Ok(exe)
}

/// `(component id, condition)` of each `<Component>` in the .wxs that has a `<Condition>`.
fn component_conditions(wxs: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for part in wxs.split("<Component ").skip(1) {
        let body = part.split("</Component>").next().unwrap_or_default();
        let Some(id) = attribute(body, "Id") else { continue };
        if let Some(condition) =
            body.split_once("<Condition>").and_then(|(_, rest)| rest.split_once("</Condition>")).map(|(c, _)| c)
        {
            found.push((id, unescape(condition.trim())));
        }
    }
    found
}

/// The ids of `<Property … Secure="yes"/>` in the .wxs.
fn secure_properties(wxs: &str) -> Vec<String> {
    wxs.split("<Property ")
        .skip(1)
        .map(|p| p.split('>').next().unwrap_or_default())
        .filter(|p| attribute(p, "Secure").as_deref() == Some("yes"))
        .filter_map(|p| attribute(p, "Id"))
        .collect()
}

/// The value of `name="…"` in the first tag of `text`.
fn attribute(text: &str, name: &str) -> Option<String> {
    let tag = text.split('>').next()?;
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"").replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

fn validate_desktop_file() -> Result<(), String> {
    // Hints (e.g. two main categories, on purpose) are printed but do not fail.
    let out = output(Command::new("desktop-file-validate").arg(DESKTOP))?;
    if !out.trim().is_empty() {
        eprintln!("{}", out.trim_end());
    }
    Ok(())
}

fn validate_metainfo() -> Result<(), String> {
    let run = Command::new("appstreamcli").args(["validate", "--no-net", "--pedantic", METAINFO]).output();
    let run = run.map_err(|e| format!("cannot run appstreamcli: {e}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("E:")).collect();
    if !run.status.success() || !errors.is_empty() {
        return Err(format!("{METAINFO} has errors (warnings and pedantic hints are fine):\n{}", text.trim_end()));
    }
    Ok(())
}

fn check_icons() -> Result<(), String> {
    let mut problems = Vec::new();
    for size in ICON_SIZES {
        let path = format!("packaging/linux/icons/hicolor/{size}x{size}/apps/{APP_ID}.png");
        match std::fs::read(&path) {
            Err(e) => problems.push(format!("{path}: {e}")),
            Ok(bytes) => match png_size(&bytes) {
                None => problems.push(format!("{path} is not a PNG")),
                Some(found) if found != (size, size) => {
                    problems.push(format!("{path} is {}x{}, not {size}x{size}", found.0, found.1))
                }
                Some(_) => {}
            },
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || !bytes.starts_with(b"\x89PNG\r\n\x1a\n") || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let word = |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    Some((word(16), word(20)))
}

fn check_changelog(version: &str) -> Result<(), String> {
    let changelog = read("packaging/linux/changelog")?;
    let first = changelog.lines().next().unwrap_or_default();
    if first.starts_with(&format!("{PACKAGE} ({version}-")) {
        Ok(())
    } else {
        Err(format!(
            "packaging/linux/changelog starts with {first:?}: add an entry \"{PACKAGE} ({version}-1) …\" for this version"
        ))
    }
}

/// The paths (without a leading `/`) every Linux package must install.
fn expected_files() -> Vec<String> {
    let mut files = vec![
        format!("usr/bin/{PACKAGE}"),
        format!("usr/share/applications/{APP_ID}.desktop"),
        format!("usr/share/metainfo/{APP_ID}.metainfo.xml"),
        format!("usr/share/doc/{PACKAGE}/README.md"),
        format!("usr/share/doc/{PACKAGE}/examples/policies/managed/10-example.json"),
        format!("usr/share/doc/{PACKAGE}/examples/policies/recommended/10-example.json"),
    ];
    for size in ICON_SIZES {
        files.push(format!("usr/share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png"));
    }
    files
}

/// The paths in the .deb, without the leading `./`; directories end with `/`.
fn deb_contents(deb: &Path) -> Result<Vec<String>, String> {
    let out = capture(Command::new("dpkg-deb").arg("--contents").arg(deb))?;
    Ok(out
        .lines()
        .filter_map(|l| l.split_whitespace().nth(5))
        .map(|p| p.trim_start_matches("./").to_owned())
        .filter(|p| !p.is_empty())
        .collect())
}

fn check_deb_contents(deb: &Path) -> Result<(), String> {
    let mut problems = Vec::new();
    let depends = capture(Command::new("dpkg-deb").args(["--field"]).arg(deb).arg("Depends"))?;
    let depends: Vec<&str> = depends.trim().split(", ").collect();
    for wanted in DEB_RUNTIME_DEPENDS {
        if !depends.iter().any(|d| *d == wanted || d.starts_with(&format!("{wanted} ("))) {
            problems.push(format!("Depends lacks {wanted:?} (it is {depends:?})"));
        }
    }
    if depends.iter().any(|d| d.contains("appindicator")) {
        problems.push("Depends names an appindicator library, but the tray is tray-icon's D-Bus ksni backend".into());
    }
    let contents = deb_contents(deb)?;
    let mut wanted = expected_files();
    wanted.push(format!("usr/share/doc/{PACKAGE}/copyright"));
    wanted.push(format!("usr/share/doc/{PACKAGE}/changelog.Debian.gz"));
    for file in &wanted {
        if !contents.contains(file) {
            problems.push(format!("the .deb lacks /{file}"));
        }
    }
    for path in &contents {
        if path.starts_with("etc/") {
            problems.push(format!(
                "the .deb installs /{path}: it must ship nothing under /etc (policies belong to the admin)"
            ));
        }
    }
    let scripts = capture(Command::new("dpkg-deb").arg("--info").arg(deb))?;
    for script in ["preinst", "postinst", "prerm", "postrm"] {
        if scripts.lines().any(|l| l.split_whitespace().last() == Some(script)) {
            problems.push(format!("the .deb has a {script} maintainer script; it needs none"));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}

fn lintian(deb: &Path) -> Result<(), String> {
    let run = Command::new("lintian").args(["--fail-on", "error"]).arg(deb).output();
    let run = run.map_err(|e| format!("cannot run lintian: {e}"))?;
    let report = String::from_utf8_lossy(&run.stdout);
    if !report.trim().is_empty() {
        eprintln!("{}", report.trim_end());
    }
    if run.status.success() {
        Ok(())
    } else {
        let errors: Vec<&str> = report.lines().filter(|l| l.starts_with("E:")).collect();
        Err(format!(
            "lintian reports errors (fix them, or override one in packaging/linux/lintian-overrides with a comment \
             saying why):\n{}{}",
            errors.join("\n"),
            String::from_utf8_lossy(&run.stderr).trim_end()
        ))
    }
}

/// Installs the .deb, runs the installed app under Xvfb until its window shows, then purges the package and
/// checks that nothing it installed is left.
fn install_run_purge(deb: &Path) -> Result<(), String> {
    let etc = Path::new("/etc").join(PACKAGE);
    let etc_before = list_tree(&etc);
    let deb = std::fs::canonicalize(deb).map_err(|e| format!("{}: {e}", deb.display()))?;
    eprintln!("xtask: installing {}", deb.display());
    status(apt_get().args(["install", "-y", "-qq"]).arg(&deb))?;

    let smoke = smoke_run(&["--demo"]).and_then(|()| managed_policies_in_force());
    eprintln!("xtask: purging {PACKAGE}");
    let purged = status(apt_get().args(["purge", "-y", "-qq", PACKAGE]));

    let mut problems = Vec::new();
    if let Err(e) = smoke {
        problems.push(e);
    }
    if let Err(e) = purged {
        problems.push(e);
    }
    for path in deb_contents(&deb)? {
        let owned = !path.ends_with('/') || path.contains(PACKAGE) || path.contains(APP_ID);
        if owned && Path::new("/").join(&path).symlink_metadata().is_ok() {
            problems.push(format!("/{path} is still there after apt-get purge"));
        }
    }
    if Command::new("dpkg-query").args(["-W", "-f=${Status}", PACKAGE]).output().is_ok_and(|o| {
        let s = String::from_utf8_lossy(&o.stdout);
        o.status.success() && !s.contains("not-installed")
    }) {
        problems.push(format!("dpkg still knows {PACKAGE} after apt-get purge"));
    }
    if list_tree(&etc) != etc_before {
        problems
            .push(format!("{} changed between install and purge; the package must own nothing there", etc.display()));
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}

/// Every path under `dir`, sorted (empty when it does not exist).
fn list_tree(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path.clone());
            }
            found.push(path);
        }
    }
    found.sort();
    found
}

fn apt_get() -> Command {
    let mut command = Command::new("apt-get");
    command.env("DEBIAN_FRONTEND", "noninteractive");
    command
}

/// Kills the app's process group (dbus-run-session, the bus and the app) when the smoke run ends.
struct Group(Child);

impl Drop for Group {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).stderr(Stdio::null()).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.0.try_wait().is_ok_and(|s| s.is_some()) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.0.wait();
    }
}

/// The installed app with an administrator's policies in `/etc/meeting-launcher/policies/managed/`: `status`
/// lists them (a secret only as set), a malformed file beside them is reported, and the window still opens.
/// The files are removed again, and the folder too when this made it.
fn managed_policies_in_force() -> Result<(), String> {
    let etc = Path::new("/etc").join(PACKAGE);
    let made_etc = !etc.exists();
    let managed = etc.join("policies/managed");
    std::fs::create_dir_all(&managed).map_err(|e| format!("cannot create {}: {e}", managed.display()))?;
    let policy = managed.join("10-verify.json");
    let broken = managed.join("20-verify-broken.json");
    let written = std::fs::write(
        &policy,
        r#"{"DefaultProvider": "joinme", "JoinmeApiKey": "verify-api-key", "JoinmeClientSecret": "verify-secret"}"#,
    )
    .and_then(|()| std::fs::write(&broken, "{ \"JoinmeApiKey\": "));
    let result = written.map_err(|e| format!("cannot write the test policies: {e}")).and_then(|()| {
        let scratch = session::Scratch::new("policy")?;
        let shown = output(
            scratch
                .apply(&mut Command::new(format!("/usr/bin/{PACKAGE}")))
                .args(["status", "--offline"])
                .env_remove("DBUS_SESSION_BUS_ADDRESS"),
        )?;
        let wanted = [
            "Policies in force (set by your organization):",
            "DefaultProvider = joinme  [managed (locked), /etc/meeting-launcher/policies/managed/10-verify.json]",
            "JoinmeApiKey = verify-api-key  [managed (locked), ",
            "JoinmeClientSecret = (set)",
            "Policy ignored: /etc/meeting-launcher/policies/managed/20-verify-broken.json: ignored, it is not valid JSON",
        ];
        let missing: Vec<&str> = wanted.into_iter().filter(|w| !shown.contains(w)).collect();
        if !missing.is_empty() {
            return Err(format!("`meeting-launcher status` with managed policies lacks {missing:?}:\n{shown}"));
        }
        if shown.contains("verify-secret") {
            return Err("`meeting-launcher status` printed a secret policy's value".into());
        }
        eprintln!("xtask: status lists the managed policies and reports the malformed file");
        // No --demo: the policy's join.me key is in force; the malformed file must not stop the window.
        smoke_run(&[])
    });
    let _ = std::fs::remove_file(&policy);
    let _ = std::fs::remove_file(&broken);
    if made_etc {
        let _ = std::fs::remove_dir_all(&etc);
    }
    result
}

/// `/usr/bin/meeting-launcher ARGS` in a private D-Bus session on a private Xvfb display, with a throw-away
/// home; passes when a window of class WINDOW_CLASS shows within WINDOW_TIMEOUT.
fn smoke_run(args: &[&str]) -> Result<(), String> {
    let mut helpers = session::Helpers(Vec::new());
    let display = session::start_xvfb(&mut helpers)?;
    let scratch = session::Scratch::new("package")?;
    let log_path = scratch.0.join("app.log");
    let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
    eprintln!("xtask: starting /usr/bin/{PACKAGE} {} on Xvfb {display}", args.join(" "));
    let mut command = Command::new("dbus-run-session");
    scratch
        .apply(&mut command)
        .args(["--", &format!("/usr/bin/{PACKAGE}")])
        .args(args)
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log);
    // Its own process group, stopped whole (`Group`). xtask builds on Windows too, where this never runs.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let child = command.spawn().map_err(|e| format!("cannot start dbus-run-session: {e}"))?;
    let mut app = Group(child);

    // A window whose WM_CLASS instance (`--classname`) or class (`--class`) is `class`, with its WM_CLASS.
    let find = |class: &str| -> Option<String> {
        let mut windows = Vec::new();
        for flag in ["--classname", "--class"] {
            if let Ok(o) = Command::new("xdotool").args(["search", flag, class]).env("DISPLAY", &display).output() {
                windows.extend(String::from_utf8_lossy(&o.stdout).split_whitespace().map(str::to_owned));
            }
        }
        windows.into_iter().find_map(|window| {
            let out =
                Command::new("xprop").args(["-id", &window, "WM_CLASS"]).env("DISPLAY", &display).output().ok()?;
            let wm_class = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            // WM_CLASS(STRING) = "instance", "class": `--class` matches a pattern, so compare exactly.
            wm_class.split('"').skip(1).step_by(2).any(|s| s == class).then_some(wm_class)
        })
    };
    let started = Instant::now();
    let result = loop {
        if let Some(wm_class) = find(WINDOW_CLASS) {
            eprintln!("xtask: the window showed after {:.1} s: {wm_class}", started.elapsed().as_secs_f64());
            break Ok(());
        }
        if let Ok(Some(exit)) = app.0.try_wait() {
            break Err(format!("the app exited ({exit}) before its window showed; its output:\n{}", tail(&log_path)));
        }
        if started.elapsed() > WINDOW_TIMEOUT {
            break Err(match find(OLD_WINDOW_CLASS) {
                Some(wm_class) => format!(
                    "the window shows as {wm_class}, not with the app id {WINDOW_CLASS:?}: the app must set its \
                     window's app id (ViewportBuilder::with_app_id) to {WINDOW_CLASS}, which StartupWMClass names"
                ),
                None => format!(
                    "no window of class {WINDOW_CLASS} within {} s; the app's output:\n{}",
                    WINDOW_TIMEOUT.as_secs(),
                    tail(&log_path)
                ),
            });
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    drop(app);
    drop(helpers);
    result
}

/// The last lines of a log file.
fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

fn check_rpm(rpm: &Path, version: &str) -> Result<(), String> {
    let mut problems = Vec::new();
    let info = capture(Command::new("rpm").arg("-qip").arg(rpm))?;
    let field = |name: &str| {
        info.lines().find_map(|l| l.split_once(':').filter(|(k, _)| k.trim() == name).map(|(_, v)| v.trim().to_owned()))
    };
    if field("Name").as_deref() != Some(PACKAGE) {
        problems.push(format!("rpm -qip: Name is {:?}, not {PACKAGE}", field("Name")));
    }
    if field("Version").as_deref() != Some(version) {
        problems.push(format!("rpm -qip: Version is {:?}, not {version}", field("Version")));
    }
    let files = capture(Command::new("rpm").arg("-qlp").arg(rpm))?;
    let files: Vec<&str> = files.lines().map(|l| l.trim().trim_start_matches('/')).collect();
    for file in expected_files() {
        if !files.contains(&file.as_str()) {
            problems.push(format!("the .rpm lacks /{file}"));
        }
    }
    if let Some(etc) = files.iter().find(|f| f.starts_with("etc/")) {
        problems.push(format!("the .rpm installs /{etc}: it must ship nothing under /etc"));
    }
    let requires = capture(Command::new("rpm").arg("-qpR").arg(rpm))?;
    let requires: Vec<&str> = requires.lines().map(str::trim).collect();
    for wanted in RPM_REQUIRES {
        if !requires.contains(&wanted) {
            problems.push(format!("rpm -qpR lacks {wanted:?}"));
        }
    }
    let scripts = capture(Command::new("rpm").args(["-qp", "--scripts"]).arg(rpm))?;
    if !scripts.trim().is_empty() {
        problems.push(format!("the .rpm has scriptlets; it needs none:\n{scripts}"));
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}

/// The rows of an MSI table, as exported by `msiinfo export` (after its three header lines).
fn msi_table(msi: &Path, table: &str) -> Result<Vec<Vec<String>>, String> {
    let out = capture(Command::new("msiinfo").arg("export").arg(msi).arg(table))?;
    Ok(out
        .lines()
        .skip(3)
        .filter(|l| !l.is_empty())
        .map(|l| l.trim_end_matches('\r').split('\t').map(str::to_owned).collect())
        .collect())
}

fn check_msi(msi: &Path, version: &str) -> Result<(), String> {
    let mut problems = Vec::new();
    let suminfo = capture(Command::new("msiinfo").arg("suminfo").arg(msi))?;
    if !suminfo.lines().any(|l| l.trim() == "Template: x64;1033") {
        problems.push("msiinfo suminfo: the template is not x64;1033".to_owned());
    }

    let properties = msi_table(msi, "Property")?;
    let property = |name: &str| properties.iter().find(|r| r[0] == name).and_then(|r| r.get(1)).cloned();
    let msi_version = version.split(['-', '+']).next().unwrap_or(version);
    for (name, wanted) in [("ALLUSERS", "1"), ("UpgradeCode", UPGRADE_CODE), ("ProductVersion", msi_version)] {
        if property(name).as_deref() != Some(wanted) {
            problems.push(format!("Property {name} is {:?}, not {wanted:?}", property(name)));
        }
    }
    let secure = property("SecureCustomProperties").unwrap_or_default();
    let secure: Vec<&str> = secure.split(';').collect();
    for wanted in SECURE_PROPERTIES {
        if !secure.contains(&wanted) {
            problems.push(format!("SecureCustomProperties ({secure:?}) lacks {wanted}"));
        }
    }

    for row in msi_table(msi, "Registry")? {
        let (root, key) = (row.get(1).map(String::as_str), row.get(2).map(String::as_str).unwrap_or_default());
        if root == Some("1") {
            problems.push(format!("Registry row {} writes HKCU\\{key}; the installer must write HKLM only", row[0]));
        }
        if key.to_ascii_lowercase().starts_with(r"software\policies") {
            problems.push(format!("Registry row {} writes under {key}; policies belong to the administrator", row[0]));
        }
    }

    let components = msi_table(msi, "Component")?;
    for (component, condition) in component_conditions(&read(WXS)?) {
        let found = components.iter().find(|r| r[0] == component).and_then(|r| r.get(4)).cloned();
        if found.as_deref() != Some(condition.as_str()) {
            problems.push(format!("Component {component} has the condition {found:?}, not {condition:?}"));
        }
    }

    let upgrade = msi_table(msi, "Upgrade")?;
    if !upgrade.iter().any(|r| r[0] == UPGRADE_CODE) {
        problems.push("the Upgrade table has no row for the UpgradeCode (MajorUpgrade)".into());
    }
    let shortcuts = msi_table(msi, "Shortcut")?;
    if !shortcuts.iter().any(|r| {
        r.get(1).is_some_and(|d| d == "ProgramMenuFolder")
            && r.get(4).is_some_and(|t| t.ends_with("meeting-launcher.exe"))
    }) {
        problems
            .push("the Shortcut table has no Start Menu shortcut (ProgramMenuFolder) to meeting-launcher.exe".into());
    }
    let listing = capture(Command::new("msiextract").arg("--list").arg(msi))?;
    if !listing.lines().any(|l| l.trim().ends_with("/meeting-launcher.exe")) {
        problems.push(format!("msiextract --list does not list meeting-launcher.exe:\n{listing}"));
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}

fn check_policy_xml() -> Result<(), String> {
    status(Command::new("xmllint").args(["--noout", ADMX, ADML, WXS, METAINFO]))
}

fn check_plists() -> Result<(), String> {
    const SCRIPT: &str = "import plistlib, sys\nfor path in sys.argv[1:]:\n    with open(path, 'rb') as f:\n        \
                          plistlib.load(f)\n";
    status(Command::new("python3").args(["-c", SCRIPT, MOBILECONFIG, INFO_PLIST]))
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
}

/// Runs a command and returns its standard output; a failure names the command and shows its error output.
fn capture(command: &mut Command) -> Result<String, String> {
    let shown = format!("{command:?}");
    let out = command.output().map_err(|e| format!("cannot run {shown}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{shown} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout).trim_end(),
            String::from_utf8_lossy(&out.stderr).trim_end()
        ))
    }
}

/// Like `capture`, but standard output and error together (tools that report on either).
fn output(command: &mut Command) -> Result<String, String> {
    let shown = format!("{command:?}");
    let out = command.output().map_err(|e| format!("cannot run {shown}: {e}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if out.status.success() { Ok(text) } else { Err(format!("{shown} failed ({}):\n{}", out.status, text.trim_end())) }
}
