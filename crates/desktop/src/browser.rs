//! The user's browser behind the engine's [`BrowserOpener`] port. Only http(s) URLs are handed to the OS.

use launcher_engine::ports::BrowserOpener;

/// The system's default browser.
pub struct SystemBrowser;

impl BrowserOpener for SystemBrowser {
    fn open(&self, url: &url::Url) -> Result<(), String> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("refusing to open a {} URL", url.scheme()));
        }
        // Detached: some openers block until the browser exits.
        open::that_detached(url.as_str()).map_err(|e| format!("no browser could be opened ({e})"))
    }
}
