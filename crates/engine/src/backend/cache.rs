//! The last agenda of each account, kept on disk so the app shows it at start before the network answers and
//! keeps it through outages. Private (0600), replaced atomically, and free of secrets: titles, times,
//! participants and the links every participant sees. A damaged or foreign file is ignored, never fatal.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::model::AgendaItem;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachedAccount {
    pub updated: DateTime<Utc>,
    pub items: Vec<AgendaItem>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    /// Bumped when the shape changes; another version is ignored rather than misread.
    version: u32,
    accounts: BTreeMap<String, CachedAccount>,
}

const VERSION: u32 = 1;

pub struct AgendaCache {
    path: PathBuf,
}

impl AgendaCache {
    pub fn new(path: PathBuf) -> Self {
        Self { path }
    }

    pub fn load(&self) -> BTreeMap<String, CachedAccount> {
        let Ok(text) = std::fs::read(&self.path) else { return BTreeMap::new() };
        match serde_json::from_slice::<File>(&text) {
            Ok(file) if file.version == VERSION => file.accounts,
            Ok(_) => BTreeMap::new(),
            Err(e) => {
                tracing::warn!(path = %self.path.display(), error = %e, "the agenda cache is unreadable; ignored");
                BTreeMap::new()
            }
        }
    }

    pub fn save(&self, accounts: BTreeMap<String, CachedAccount>) {
        let file = File { version: VERSION, accounts };
        let text = serde_json::to_vec(&file).expect("the agenda serializes");
        if let Err(e) = launcher_core::fsutil::write_private_atomic(&self.path, &text) {
            tracing::warn!(path = %self.path.display(), error = %e, "cannot save the agenda cache");
        }
    }
}
