//! One sync or fetch at a time in a clone: `git fetch` writes the clone's one `FETCH_HEAD`,
//! and the record of what a remote last held is read before and written after. A second
//! run (the app's background fetch while the member presses Sync, two terminals) waits for
//! the first, then finds the remote's commits already taken in. The lock is the operating
//! system's (an advisory lock on `.git/gatehouse/sync/lock`): it ends with the process that
//! holds it, so a killed sync never leaves one behind.

use std::fs::{self, File, TryLockError};

use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::repo::Governance;

use super::record;

/// Held while it lives.
pub struct SyncLock {
    _file: File,
}

impl SyncLock {
    pub fn take(gov: &Governance, progress: &mut dyn Progress) -> Result<SyncLock> {
        let dir = gov.data_dir().join(record::DIR);
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let path = dir.join("lock");
        let file =
            File::options().create(true).truncate(false).write(true).open(&path).map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                progress.begin("waiting for another sync in this clone to finish", 0);
                let waited = file.lock();
                progress.end();
                waited.map_err(|e| Error::io(&path, e))?;
            }
            Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        Ok(SyncLock { _file: file })
    }
}
