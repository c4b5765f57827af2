//! Installs missing Debian/Ubuntu packages, saying which and why, with sudo when not root.

use std::process::Command;

/// A package and the reason the project needs it.
pub type Need = (&'static str, &'static str);

/// What `cargo xtask run` needs: the libraries the window loads at run time (X11 or Wayland, and a GPU or
/// Mesa's software renderers when there is none).
pub const RUN: &[Need] = &[
    ("libxkbcommon-x11-0", "keyboard input for the window under X11"),
    ("libxcursor1", "mouse cursors under X11"),
    ("libxrandr2", "screen sizes under X11"),
    ("libxi6", "input devices under X11"),
    ("libwayland-client0", "the window under Wayland"),
    ("libvulkan1", "drawing the window with Vulkan"),
    ("mesa-vulkan-drivers", "drawing without a GPU (lavapipe)"),
    ("libgl1-mesa-dri", "drawing with OpenGL, or without a GPU (llvmpipe)"),
    ("libegl1", "OpenGL setup for the window"),
];

/// What `cargo xtask test` needs on top.
pub const TEST: &[Need] = &[
    ("dbus", "a private D-Bus session bus for the keychain tests (dbus-run-session)"),
    ("gnome-keyring", "a real Secret Service, the OS keychain the app stores refresh tokens in"),
    ("libsecret-tools", "secret-tool, to check that the test keychain answers"),
    ("xvfb", "a virtual X display for tests that open the real window"),
    ("xauth", "X authorization for the virtual display"),
    ("curl", "the command-line walk through every sandbox sign-in flow"),
    ("jq", "reading the sandbox's JSON in that walk"),
    ("python3", "decoding redirect URLs in that walk"),
    ("xdotool", "finding the app's window under Xvfb"),
    ("x11-utils", "xprop, to read the window's class"),
    ("x11-apps", "xwd, to take screenshots of the real window"),
    ("imagemagick", "turning those screenshots into PNG"),
    ("desktop-file-utils", "desktop-file-validate, checking the start-at-login entry the app writes"),
    ("util-linux", "setpriv, asking the running app from another user's account"),
    ("procps", "kill, stopping the test display server so it cleans up after itself"),
    ("python3-venv", "a virtual environment for actionlint (from PyPI), checking the GitHub workflows"),
    ("shellcheck", "checking the workflows' shell scripts (actionlint runs it)"),
    ("icnsutils", "icns2png, reading back the macOS .icns in xtask's bundle test"),
];

/// What `cargo xtask test-year-ahead` needs on top of the tests' packages.
pub const YEAR_AHEAD: &[Need] = &[("faketime", "running the tests a year ahead of today's date (libfaketime)")];

/// What `cargo xtask package` needs: the tools that build the installers and the ones that check them.
pub const PACKAGE: &[Need] = &[
    ("wixl", "building the Windows MSI on Linux (GNOME msitools' WiX compiler)"),
    ("msitools", "reading the MSI's tables (msiinfo, msiextract) and patching it (msibuild)"),
    ("lintian", "checking the .deb against Debian policy"),
    ("desktop-file-utils", "desktop-file-validate, checking the .desktop file"),
    ("appstream", "appstreamcli, checking the AppStream metainfo"),
    ("rpm", "querying the .rpm (rpm -qip, -qlp, -qpR)"),
    ("dpkg-dev", "dpkg-shlibdeps, the .deb's automatic library dependencies"),
    ("fakeroot", "root-owned files in the .deb without being root"),
    ("libxml2-utils", "xmllint, checking the ADMX/ADML policy templates"),
    ("xvfb", "a virtual X display for the installed app's smoke run"),
    ("xdotool", "finding the installed app's window by its class"),
    ("x11-utils", "xprop, to show the window's class"),
    ("dbus", "a private D-Bus session bus for the smoke run (dbus-run-session)"),
    ("python3", "parsing the macOS plists (plistlib)"),
    ("icnsutils", "icns2png, reading back the macOS .icns built from the icon PNGs"),
];

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

pub fn ensure(needs: &[&[Need]]) -> Result<(), String> {
    let needs: Vec<Need> = needs.iter().flat_map(|n| n.iter().copied()).collect();
    if Command::new("dpkg-query").arg("--version").output().is_err() {
        eprintln!("xtask: not a Debian/Ubuntu system; install these yourself if missing:");
        for (package, why) in &needs {
            eprintln!("  {package}: {why}");
        }
        return Ok(());
    }
    let missing: Vec<&Need> = needs.iter().filter(|(p, _)| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing missing packages with apt-get:");
    for (package, why) in &missing {
        eprintln!("  {package}: {why}");
    }
    let apt = |args: &[&str]| {
        let mut command = if is_root() { Command::new("apt-get") } else { Command::new("sudo") };
        if !is_root() {
            command.arg("apt-get");
        }
        command.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        command
    };
    crate::status(&mut apt(&["update", "-qq"]))?;
    let mut install = apt(&["install", "-y", "-qq", "--no-install-recommends"]);
    install.args(missing.iter().map(|(p, _)| *p));
    crate::status(&mut install)
}
