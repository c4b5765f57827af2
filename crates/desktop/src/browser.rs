//! The user's browser behind the engine's [`BrowserOpener`] port (only http(s) URLs are handed to the OS), and
//! the file manager behind its `FolderOpener` port (only folders).

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

/// The system's file manager, for a local folder (the log folder): `xdg-open`, Finder, Explorer.
pub struct SystemFolders;

impl launcher_engine::ports::FolderOpener for SystemFolders {
    fn open_folder(&self, path: &std::path::Path) -> Result<(), String> {
        // A folder only: anything else could be a program the OS would run.
        if !path.is_dir() {
            return Err(format!("{} is not a folder", path.display()));
        }
        open::that_detached(path).map_err(|e| format!("no file manager could be opened ({e})"))
    }
}
