//! Opening the authorization page in the user's browser. Only http(s) URLs are handed to the OS; a failure to
//! open is not fatal: the URL is always shown to copy, and the flow keeps waiting.

pub trait BrowserOpener: Send + Sync {
    fn open(&self, url: &url::Url) -> Result<(), String>;
}

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

/// Opens nothing: the user copies the URL (headless machines, SSH).
pub struct NoBrowser;

impl BrowserOpener for NoBrowser {
    fn open(&self, _: &url::Url) -> Result<(), String> {
        Err("not opening a browser".into())
    }
}
