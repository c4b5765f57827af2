//! One refresh at a time per account across processes: the window, `meeting-launcher status` and a status-bar
//! script all present the same rotating refresh token, and the loser of a race would be refused. An advisory
//! file lock (`flock` on Unix, `LockFileEx` on Windows, through `std::fs::File::lock`) per account, held only for
//! the refresh, with a timeout so a stuck process cannot hold the others up for long.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a refresh waits for another process's before going ahead anyway.
const WAIT: Duration = Duration::from_secs(15);

/// Held while refreshing; the lock is released when it is dropped (or the process ends).
pub struct RefreshLock {
    file: std::fs::File,
}

impl RefreshLock {
    /// Tells the other processes a refresh happened `at` (by the refreshing process's clock, the one tokens are
    /// judged by): the file's modification time moves (see [`mark`]) and the file says when.
    pub fn announce(&mut self, at: chrono::DateTime<chrono::Utc>) {
        use std::io::Write as _;
        let _ = self.file.set_len(0).and_then(|()| self.file.write_all(at.to_rfc3339().as_bytes()));
    }
}

/// Tells the other processes the sign-in changed without a refresh (a sign-out): the same mark as [`RefreshLock::announce`].
pub fn touch(dir: &Path, key: &str, at: chrono::DateTime<chrono::Utc>) {
    let _ = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(path_for(dir, key), at.to_rfc3339()));
}

/// When the last announced change happened, as the announcing process wrote it.
pub fn announced_at(dir: &Path, key: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let text = std::fs::read_to_string(path_for(dir, key)).ok()?;
    chrono::DateTime::parse_from_rfc3339(text.trim()).ok().map(|t| t.to_utc())
}

/// When a process last announced a refresh of `key` (the lock file's modification time), if ever.
pub fn mark(dir: &Path, key: &str) -> Option<std::time::SystemTime> {
    std::fs::metadata(path_for(dir, key)).and_then(|m| m.modified()).ok()
}

/// The lock file of an account: a stable hash of its key (keys hold `:`, `@` and URLs).
fn path_for(dir: &Path, key: &str) -> PathBuf {
    // FNV-1a: the same in every build, so an older CLI and a newer window agree on the name.
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    dir.join(format!("refresh-{hash:016x}.lock"))
}

/// Takes the account's lock, waiting up to [`WAIT`]. `None` when it cannot be had (no writable folder, or another
/// process holds it too long): the refresh goes ahead, as it would without the lock.
pub async fn acquire(dir: &Path, key: &str) -> Option<RefreshLock> {
    let path = path_for(dir, key);
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        if let Err(e) = std::fs::create_dir_all(&dir) {
            tracing::warn!(error = %e, "no folder for the refresh locks");
            return None;
        }
        let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path);
        let file = match file {
            Ok(file) => file,
            Err(e) => {
                tracing::warn!(error = %e, "cannot open a refresh lock");
                return None;
            }
        };
        let deadline = Instant::now().checked_add(WAIT).unwrap_or_else(Instant::now);
        loop {
            match file.try_lock() {
                Ok(()) => return Some(RefreshLock { file }),
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "refreshing without the lock");
                    return None;
                }
            }
        }
    })
    .await
    .ok()
    .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_second_holder_waits_for_the_first() {
        let dir = std::env::temp_dir().join(format!("ml-locks-{}", rand::random::<u64>()));
        let first = acquire(&dir, "meetingbooster:a@b@https://x/").await.expect("the first takes it");
        let started = Instant::now();
        let second = tokio::spawn({
            let dir = dir.clone();
            async move { acquire(&dir, "meetingbooster:a@b@https://x/").await.map(|_| started.elapsed()) }
        });
        // Another account's lock is free meanwhile (control: locks are per account).
        assert!(acquire(&dir, "joinme:a@b@join.me").await.is_some());
        tokio::time::sleep(Duration::from_millis(300)).await;
        drop(first);
        let waited = second.await.unwrap().expect("the second gets it once the first lets go");
        assert!(waited >= Duration::from_millis(300), "it waited: {waited:?}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
