//! What the app can tell about itself when something goes wrong: the `doctor` checks, the report the Help page
//! shows and copies, and the redaction every text that leaves the app through a crash report or "Copy
//! diagnostics" goes through. Plain data: the engine fills it, the window draws it, the binary prints it.

use std::fmt::Write as _;
use std::path::PathBuf;

/// The app's version (the whole workspace shares one).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How many lines of the newest log file "Copy diagnostics" includes.
pub const LOG_TAIL_LINES: usize = 200;

/// How bad a check's finding is: warnings are things the app works around, failures things it cannot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Ok,
    Warn,
    Fail,
}

impl Level {
    /// The four-character tag `doctor` prints.
    pub fn tag(self) -> &'static str {
        match self {
            Level::Ok => "ok  ",
            Level::Warn => "warn",
            Level::Fail => "FAIL",
        }
    }
}

/// One thing `doctor` looked at: what it found and, for a problem, the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub level: Level,
    pub name: String,
    pub found: String,
    pub fix: Option<String>,
}

impl Check {
    pub fn new(level: Level, name: &str, found: impl Into<String>, fix: Option<&str>) -> Self {
        Self { level, name: name.to_string(), found: found.into(), fix: fix.map(String::from) }
    }

    /// As `doctor` prints it: the tag, the name and the finding, then the fix on its own line.
    pub fn lines(&self) -> String {
        let mut text = format!("{} {}: {}", self.level.tag(), self.name, self.found);
        if let Some(fix) = &self.fix {
            let _ = write!(text, "\n     fix: {fix}");
        }
        text
    }
}

/// What the Help page shows and "Copy diagnostics" copies.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    pub version: String,
    /// `linux x86_64`.
    pub os: String,
    /// The desktop and the session type (`GNOME, wayland`), or what stands for them.
    pub desktop: String,
    pub checks: Vec<Check>,
    /// Where the log files and crash reports are; `None`: the platform has no such folder for us.
    pub log_dir: Option<PathBuf>,
    /// The last lines of the newest log file, redacted.
    pub log_tail: Vec<String>,
}

impl Report {
    /// The text "Copy diagnostics" puts on the clipboard. Redacted again as a whole, whatever a check found.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        let _ = writeln!(text, "Meeting Launcher {}", self.version);
        let _ = writeln!(text, "OS: {}", self.os);
        let _ = writeln!(text, "Desktop: {}", self.desktop);
        let folder = self.log_dir.as_ref().map(|d| d.display().to_string());
        let _ = writeln!(text, "Log folder: {}", folder.as_deref().unwrap_or("none"));
        let _ = writeln!(text, "\ndoctor:");
        for check in &self.checks {
            let _ = writeln!(text, "{}", check.lines());
        }
        let _ = writeln!(text, "\nLast {} log lines:", self.log_tail.len());
        for line in &self.log_tail {
            let _ = writeln!(text, "{line}");
        }
        redact(&text)
    }
}

/// `linux x86_64`: the OS and architecture this build runs on.
pub fn os() -> String {
    format!("{} {}", std::env::consts::OS, std::env::consts::ARCH)
}

/// The keys whose values are masked wherever they appear as `key=value` or `"key": "value"`.
const SECRET_KEYS: [&str; 9] = [
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "code_verifier",
    "password",
    "token",
    "code",
    "secret",
];

/// Masks what could be a secret in a text that leaves the app (a panic message, a log tail): the values of
/// [`SECRET_KEYS`] (`code=…`, `"password": "…"`), and every long opaque run (20 or more characters of
/// `A-Za-z0-9._~+/=-`, letters and digits both) — the shape of every token, code and verifier. Paths and words
/// (no digits) are left readable.
pub fn redact(text: &str) -> String {
    mask_opaque_runs(&mask_key_values(text))
}

const REDACTED: &str = "[redacted]";

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._~+/=-".contains(c)
}

fn mask_opaque_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let opaque =
            run.len() >= 20 && run.chars().any(|c| c.is_ascii_digit()) && run.chars().any(|c| c.is_ascii_alphabetic());
        out.push_str(if opaque { REDACTED } else { run });
        run.clear();
    };
    for c in text.chars() {
        if is_token_char(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// `key=value` (query strings, forms, our own `key=value` log fields) and `"key": "value"` (JSON).
fn mask_key_values(text: &str) -> String {
    // Same byte length as `text`: only ASCII letters change.
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let key = SECRET_KEYS.iter().find(|k| {
            lower.as_bytes()[i..].starts_with(k.as_bytes())
                // A whole key: not the tail of a longer word (`encode=`, `passwords`).
                && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'))
        });
        let Some(key) = key else {
            i += 1;
            continue;
        };
        let mut j = i + key.len();
        // `"key"` in JSON: skip the closing quote.
        if bytes.get(j) == Some(&b'"') && i > 0 && bytes[i - 1] == b'"' {
            j += 1;
        }
        let separator_start = j;
        while j < bytes.len() && matches!(bytes[j], b' ' | b':' | b'=') {
            j += 1;
        }
        let separator = &text[separator_start..j];
        if separator.is_empty() || !(separator.contains('=') || separator.contains(':')) {
            i += key.len();
            continue;
        }
        let quoted = bytes.get(j) == Some(&b'"');
        if quoted {
            j += 1;
        }
        let value_start = j;
        while j < bytes.len() {
            let b = bytes[j];
            let end = if quoted {
                b == b'"'
            } else {
                b.is_ascii_whitespace() || matches!(b, b'&' | b',' | b';' | b'"' | b'\'' | b')' | b'}')
            };
            if end {
                break;
            }
            j += 1;
        }
        if j > value_start {
            out.push_str(&text[copied..value_start]);
            out.push_str(REDACTED);
            copied = j;
        }
        i = j.max(i + 1);
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_key_values_and_opaque_runs_and_keeps_the_rest() {
        let text = "callback?code=abc123&state=x access_token=short password: hunter2 \
                    {\"refresh_token\": \"r1\"} token 0123456789abcdefGHIJ and /work/main/src/main.rs:12 encode=keep";
        let masked = redact(text);
        for secret in ["abc123", "short", "hunter2", "r1", "0123456789abcdefGHIJ"] {
            assert!(!masked.contains(secret), "{secret} in {masked}");
        }
        for kept in ["state=x", "/work/main/src/main.rs:12", "encode=keep", "callback?code="] {
            assert!(masked.contains(kept), "{kept} not in {masked}");
        }
    }

    #[test]
    fn odd_text_does_not_panic() {
        for text in ["", "code", "code=", "password:", "\"token\"", "é code=ü€ token=", "a=b&code"] {
            let _ = redact(text);
        }
        assert_eq!(redact("code=ü€ x"), "code=[redacted] x");
    }
}
