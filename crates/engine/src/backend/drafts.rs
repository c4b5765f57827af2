//! Drafts on disk, so a change the user typed survives a failed request and a restart of the app. The file
//! holds meeting details only, never a secret.

use std::path::PathBuf;

use super::model::{Draft, DraftState};

pub struct DraftStore {
    path: PathBuf,
}

impl DraftStore {
    pub fn new(data_dir: &std::path::Path) -> Self {
        Self { path: data_dir.join("drafts.json") }
    }

    /// The saved drafts. One that was being sent when the app stopped is marked failed: whether it arrived is
    /// found out (by reconciliation) when it is retried.
    /// The drafts, and what to tell the user when the file was damaged (it is moved aside, never lost).
    pub fn load(&self) -> (Vec<Draft>, Option<String>) {
        let Ok(text) = std::fs::read_to_string(&self.path) else {
            return (Vec::new(), None);
        };
        let mut problem = None;
        let mut drafts: Vec<Draft> = serde_json::from_str(&text).unwrap_or_else(|_| {
            let aside =
                self.path.with_extension(format!("json.damaged-{}", chrono::Utc::now().format("%Y%m%dT%H%M%SZ")));
            tracing::warn!(path = %self.path.display(), kept = %aside.display(), "the drafts file is damaged");
            let kept = std::fs::rename(&self.path, &aside).is_ok();
            problem = Some(if kept {
                format!(
                    "Your unsent meeting changes could not be read (the file was damaged). It is kept as {}.",
                    aside.display()
                )
            } else {
                "Your unsent meeting changes could not be read (the file was damaged).".to_string()
            });
            Vec::new()
        });
        for d in &mut drafts {
            if d.state == DraftState::Sending {
                d.state = DraftState::Failed {
                    message: "The app closed before this change was confirmed. Retry to send it.".into(),
                };
            }
        }
        (drafts, problem)
    }

    /// Writes the drafts; an error (a full disk, a folder that went away) says why, and the file keeps its last
    /// whole version.
    pub fn save(&self, drafts: &[Draft]) -> Result<(), String> {
        let text = serde_json::to_vec_pretty(drafts).expect("drafts serialize");
        launcher_core::fsutil::write_private_atomic(&self.path, &text).map_err(|e| {
            tracing::warn!(error = %e, "cannot save the drafts");
            e.to_string()
        })
    }
}
