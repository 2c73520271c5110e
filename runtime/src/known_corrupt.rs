//! The corrupt verdict of a file that has not changed since.
//!
//! The incident this prevents (issue 19, defect 5): an open of a corrupt file runs the
//! whole open sequence, whose health check reads the file, and then hashes all of it
//! to name the backup; a dashboard answering every request with that re-read a 400 MB
//! file per request (about 450 ms each). The registry keeps the verdict with the
//! identity of the file and its `-wal` (device, inode, size, modification time), and
//! answers a later open of the same, unchanged file from it: two `stat` calls, no
//! SQLite, no init lock. Any change (the file repaired, restored or replaced, a WAL
//! appearing) looks again.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::error::Error;
use crate::health::sidecar;

/// What identifies one state of a file, as far as `stat` can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileIdentity {
    device: u64,
    inode: u64,
    len: u64,
    modified: Option<SystemTime>,
}

impl FileIdentity {
    /// The identity of `path`, `None` if it does not exist (or cannot be read).
    fn of(path: &Path) -> Option<FileIdentity> {
        let meta = fs::metadata(path).ok()?;
        #[cfg(unix)]
        let (device, inode) = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let (device, inode) = (0, 0);
        Some(FileIdentity {
            device,
            inode,
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// A corrupt verdict and the state of the database and its WAL it was made on.
#[derive(Debug, Clone)]
pub(crate) struct KnownCorrupt {
    database: Option<FileIdentity>,
    wal: Option<FileIdentity>,
    detail: String,
    backup: Option<PathBuf>,
}

impl KnownCorrupt {
    /// Remembers `error` if it is [`Error::Corrupt`], with the files' state now
    /// (after the failed open let go of them).
    pub(crate) fn remember(path: &Path, error: &Error) -> Option<KnownCorrupt> {
        let Error::Corrupt { detail, backup, .. } = error else {
            return None;
        };
        Some(KnownCorrupt {
            database: FileIdentity::of(path),
            wal: FileIdentity::of(&sidecar(path, "-wal")),
            detail: detail.clone(),
            backup: backup.clone(),
        })
    }

    /// The remembered error, if the files are as they were.
    pub(crate) fn still(&self, path: &Path) -> Option<Error> {
        let unchanged = self.database.is_some()
            && FileIdentity::of(path) == self.database
            && FileIdentity::of(&sidecar(path, "-wal")) == self.wal;
        unchanged.then(|| Error::Corrupt {
            path: path.to_owned(),
            detail: self.detail.clone(),
            backup: self.backup.clone(),
        })
    }
}
