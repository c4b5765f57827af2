//! The macOS app bundle, laid out and checked on any host: `Meeting Launcher.app` with its `Info.plist` from
//! `packaging/macos/Info.plist.in`, its executable, `PkgInfo`, and an `.icns` written here from the Linux icon
//! PNGs (an `.icns` is a header and one PNG per size, tagged by its role). Signing, the `.pkg` and notarization
//! need Apple's tools: the release workflow runs them on a macOS runner.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{APP_ID, INFO_PLIST, PACKAGE, png_size, read, status};

/// The bundle's folder name, which Finder shows as the app's name.
pub const BUNDLE: &str = "Meeting Launcher.app";
/// `CFBundleIconFile` in the template.
const ICNS: &str = "MeetingLauncher.icns";

/// Each `.icns` entry: its type and the PNG size it holds. The `@2x` types reuse the next size up; 1024 px
/// (`ic10`, 512@2x) is left out, as no 1024 px PNG is drawn (Finder scales 512 px up on a Retina Dock).
pub const ICNS_ENTRIES: [(&str, u32); 10] = [
    ("icp4", 16),
    ("icp5", 32),
    ("icp6", 64),
    ("ic07", 128),
    ("ic08", 256),
    ("ic09", 512),
    ("ic11", 32),  // 16@2x
    ("ic12", 64),  // 32@2x
    ("ic13", 256), // 128@2x
    ("ic14", 512), // 256@2x
];

/// The PNG of `size` px from the Linux icon set.
fn icon_png(size: u32) -> PathBuf {
    PathBuf::from(format!("packaging/linux/icons/hicolor/{size}x{size}/apps/{APP_ID}.png"))
}

/// `CFBundleShortVersionString` is numbers only: 0.2.0-beta.1 becomes 0.2.0.
pub fn bundle_version(version: &str) -> &str {
    version.split(['-', '+']).next().unwrap_or(version)
}

/// The `.icns` of the icon set.
pub fn icns() -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    for (kind, size) in ICNS_ENTRIES {
        let path = icon_png(size);
        let png = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if png_size(&png) != Some((size, size)) {
            return Err(format!("{} is not a {size}x{size} PNG", path.display()));
        }
        body.extend_from_slice(kind.as_bytes());
        body.extend_from_slice(&(png.len() as u32 + 8).to_be_bytes());
        body.extend_from_slice(&png);
    }
    let mut icns = b"icns".to_vec();
    icns.extend_from_slice(&(body.len() as u32 + 8).to_be_bytes());
    icns.extend_from_slice(&body);
    Ok(icns)
}

/// An `.icns` entry: its type, and its PNG's size (`None` when it holds no PNG).
type IcnsEntry = (String, Option<(u32, u32)>);

/// The entries of an `.icns`.
pub fn icns_entries(bytes: &[u8]) -> Result<Vec<IcnsEntry>, String> {
    let word = |at: usize| bytes.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize);
    if !bytes.starts_with(b"icns") || word(4) != Some(bytes.len()) {
        return Err(format!("not an icns file, or its length is not its size ({} bytes)", bytes.len()));
    }
    let mut entries = Vec::new();
    let mut at = 8;
    while at < bytes.len() {
        let kind = String::from_utf8_lossy(&bytes[at..(at + 4).min(bytes.len())]).into_owned();
        let length = word(at + 4).filter(|&l| l >= 8 && at + l <= bytes.len());
        let length = length.ok_or_else(|| format!("entry {kind} at byte {at} runs past the end"))?;
        entries.push((kind, png_size(&bytes[at + 8..at + length])));
        at += length;
    }
    Ok(entries)
}

/// Lays out `<out>/Meeting Launcher.app` around `exe` and returns its path.
pub fn bundle(version: &str, exe: &Path, out: &Path) -> Result<PathBuf, String> {
    let app = out.join(BUNDLE);
    let _ = std::fs::remove_dir_all(&app);
    let contents = app.join("Contents");
    for dir in ["MacOS", "Resources"] {
        std::fs::create_dir_all(contents.join(dir)).map_err(|e| format!("cannot create {}: {e}", app.display()))?;
    }
    let plist = read(INFO_PLIST)?.replace("@VERSION@", bundle_version(version));
    write(&contents.join("Info.plist"), plist.as_bytes())?;
    // The type and creator codes, as Xcode writes them.
    write(&contents.join("PkgInfo"), b"APPL????")?;
    write(&contents.join("Resources").join(ICNS), &icns()?)?;
    let target = contents.join("MacOS").join(PACKAGE);
    std::fs::copy(exe, &target).map_err(|e| format!("cannot copy {} into the bundle: {e}", exe.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("cannot make {} executable: {e}", target.display()))?;
    }
    Ok(app)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Checks a laid-out bundle: the Info.plist's keys (read by Python's plistlib), the bundle id, the version, an
/// executable where `CFBundleExecutable` says, and every icon size in the `.icns` (read back here, and by
/// libicns' `icns2png` where it is installed: `cargo xtask package` installs it on Linux).
pub fn check_bundle(app: &Path, version: &str) -> Result<(), String> {
    let mut problems = Vec::new();
    let contents = app.join("Contents");
    const SCRIPT: &str = "import json, plistlib, sys\nwith open(sys.argv[1], 'rb') as f:\n    \
                          print(json.dumps(plistlib.load(f)))\n";
    let plist = contents.join("Info.plist");
    let out = Command::new("python3").arg("-c").arg(SCRIPT).arg(&plist).output();
    let out = out.map_err(|e| format!("cannot run python3 to read {}: {e}", plist.display()))?;
    if !out.status.success() {
        return Err(format!("{} is not a plist: {}", plist.display(), String::from_utf8_lossy(&out.stderr).trim()));
    }
    let json = String::from_utf8_lossy(&out.stdout).into_owned();
    let short = bundle_version(version);
    let expected: [(&str, String); 10] = [
        ("CFBundleIdentifier", format!("\"{APP_ID}\"")),
        ("CFBundleExecutable", format!("\"{PACKAGE}\"")),
        ("CFBundleIconFile", format!("\"{ICNS}\"")),
        ("CFBundleName", "\"Meeting Launcher\"".into()),
        ("CFBundleDisplayName", "\"Meeting Launcher\"".into()),
        ("CFBundlePackageType", "\"APPL\"".into()),
        ("CFBundleShortVersionString", format!("\"{short}\"")),
        ("CFBundleVersion", format!("\"{short}\"")),
        ("CFBundleInfoDictionaryVersion", "\"6.0\"".into()),
        ("NSHighResolutionCapable", "true".into()),
    ];
    for (key, value) in expected {
        // json.dumps writes `"key": value` with one space.
        if !json.contains(&format!("\"{key}\": {value}")) {
            problems.push(format!("Info.plist: {key} is not {value}"));
        }
    }
    for key in ["LSMinimumSystemVersion", "LSApplicationCategoryType"] {
        if !json.contains(&format!("\"{key}\":")) {
            problems.push(format!("Info.plist has no {key}"));
        }
    }
    if json.contains('@') {
        problems.push(format!("Info.plist still holds a template placeholder: {json}"));
    }
    let exe = contents.join("MacOS").join(PACKAGE);
    match std::fs::metadata(&exe) {
        Err(e) => problems.push(format!("{}: {e}", exe.display())),
        #[cfg(unix)]
        Ok(m) if std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o111 == 0 => {
            problems.push(format!("{} is not executable", exe.display()))
        }
        Ok(_) => {}
    }
    match std::fs::read(contents.join("PkgInfo")) {
        Ok(bytes) if bytes == b"APPL????" => {}
        other => problems.push(format!("Contents/PkgInfo is not APPL????: {other:?}")),
    }
    let icns = contents.join("Resources").join(ICNS);
    match std::fs::read(&icns).map_err(|e| e.to_string()).and_then(|b| icns_entries(&b)) {
        Err(e) => problems.push(format!("{}: {e}", icns.display())),
        Ok(entries) => {
            for (kind, size) in ICNS_ENTRIES {
                match entries.iter().find(|(k, _)| k == kind) {
                    None => problems.push(format!("{ICNS} has no {kind} ({size} px)")),
                    Some((_, found)) if *found != Some((size, size)) => {
                        problems.push(format!("{ICNS}: {kind} holds {found:?}, not a {size}x{size} PNG"))
                    }
                    Some(_) => {}
                }
            }
            if entries.len() != ICNS_ENTRIES.len() {
                problems.push(format!("{ICNS} has {} entries, not {}", entries.len(), ICNS_ENTRIES.len()));
            }
        }
    }
    if let Err(e) = icns2png_lists(&icns) {
        problems.push(e);
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}

/// libicns' own reading of the `.icns`: its size, every entry listed, and the two it decodes (libicns 0.8 knows
/// `ic08` and `ic09`; it lists the newer types without decoding them). Skipped (said so) where icns2png is not
/// installed: on a macOS runner, `iconutil` and Finder read it instead.
fn icns2png_lists(icns: &Path) -> Result<(), String> {
    let out = match Command::new("icns2png").arg("-l").arg(icns).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !cfg!(target_os = "linux") => {
            eprintln!("xtask: icns2png is not installed here: the .icns was checked by its own reader only");
            return Ok(());
        }
        Err(e) => return Err(format!("cannot run icns2png (apt: icnsutils): {e}")),
    };
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let size = std::fs::metadata(icns).map(|m| m.len()).unwrap_or_default();
    let mut wanted: Vec<String> = ICNS_ENTRIES.iter().map(|(kind, _)| format!("'{kind}'")).collect();
    wanted.extend(["'ic08' 256x256 32-bit".into(), "'ic09' 512x512 32-bit".into()]);
    wanted.push(format!("Icon family size is {size} bytes"));
    let missing: Vec<&String> = wanted.iter().filter(|w| !text.contains(w.as_str())).collect();
    if !out.status.success() || !missing.is_empty() {
        return Err(format!("icns2png -l {} does not say {missing:?}:\n{}", icns.display(), text.trim()));
    }
    Ok(())
}

/// `lipo` joins the two architectures' binaries into one universal binary (macOS hosts only).
pub fn universal(parts: &[PathBuf], out: &Path) -> Result<(), String> {
    status(Command::new("lipo").arg("-create").args(parts).arg("-output").arg(out))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// Paths in the templates are the workspace's (as `cargo xtask package` runs); every test sets the same one.
    fn in_workspace() {
        std::env::set_current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()).unwrap();
    }

    /// The layout the macOS runner builds, laid out around a stand-in and checked; then the check shown to catch
    /// a wrong bundle id, a template placeholder left in, and a missing icon size.
    #[test]
    fn the_bundle_is_laid_out_and_checked_and_a_damaged_one_is_refused() {
        in_workspace();
        let out = std::env::temp_dir().join(format!("ml-bundle-{}", std::process::id()));
        std::fs::create_dir_all(&out).unwrap();
        let exe = out.join("stand-in");
        std::fs::write(&exe, "#!/bin/sh\n").unwrap();
        let app = bundle("1.2.3-beta.1", &exe, &out).unwrap();
        assert_eq!(app, out.join("Meeting Launcher.app"));
        check_bundle(&app, "1.2.3-beta.1").unwrap();
        let plist = std::fs::read_to_string(app.join("Contents/Info.plist")).unwrap();
        assert!(plist.contains("<string>1.2.3</string>") && !plist.contains("@VERSION@"), "{plist}");

        let entries = icns_entries(&std::fs::read(app.join("Contents/Resources/MeetingLauncher.icns")).unwrap());
        let entries = entries.unwrap();
        assert_eq!(entries.len(), 10);
        assert!(entries.contains(&("ic14".to_string(), Some((512, 512)))), "{entries:?}");

        // Damaged three ways: each is named.
        let info = app.join("Contents/Info.plist");
        std::fs::write(&info, plist.replace(APP_ID, "org.example.Other").replace("1.2.3", "@VERSION@")).unwrap();
        let icns = app.join("Contents/Resources/MeetingLauncher.icns");
        let mut bytes = std::fs::read(&icns).unwrap();
        let cut = 8 + u32::from_be_bytes(bytes[12..16].try_into().unwrap()) as usize; // drop icp4 (16 px)
        bytes.drain(8..cut);
        let total = (bytes.len() as u32).to_be_bytes();
        bytes[4..8].copy_from_slice(&total);
        std::fs::write(&icns, bytes).unwrap();
        let error = check_bundle(&app, "1.2.3").unwrap_err();
        assert!(error.contains("CFBundleIdentifier"), "{error}");
        assert!(error.contains("template placeholder"), "{error}");
        assert!(error.contains("no icp4"), "{error}");
        assert!(error.contains("icns2png"), "libicns sees it too: {error}");
        let _ = std::fs::remove_dir_all(out);
    }

    #[test]
    fn a_truncated_icns_is_an_error_not_a_panic() {
        in_workspace();
        let icns = icns().unwrap();
        for cut in [0, 4, 8, 12, 20, icns.len() - 1] {
            let mut part = icns[..cut].to_vec();
            if part.len() >= 8 {
                let total = (part.len() as u32).to_be_bytes();
                part[4..8].copy_from_slice(&total);
            }
            assert!(icns_entries(&part).is_err() || cut == 8, "cut at {cut}");
        }
    }
}
