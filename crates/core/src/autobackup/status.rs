//! What the last backups did, beside the vault (`vault.ninsho.backup.json`), so the app and
//! the CLI show the same "last backup 12:03 (14 accounts)" and the same failure. It holds no
//! secret: times, counts, the folder's file name and the error.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::FailureReason;
use crate::vault::storage::{self, private_options, sibling};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub last_success: Option<Success>,
    /// Set while backups fail; cleared by the next one that succeeds.
    pub last_failure: Option<Failure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Success {
    pub time: u64,
    pub accounts: usize,
    pub file: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub time: u64,
    pub reason: FailureReason,
    /// The error in English, for the CLI and for support.
    pub detail: String,
}

pub fn status_path(vault_path: &Path) -> PathBuf {
    sibling(vault_path, ".backup.json")
}

impl Status {
    /// The recorded status; a missing or unreadable file reads as "nothing recorded yet".
    pub fn read(vault_path: &Path) -> Status {
        fs::read(status_path(vault_path)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    pub fn write(&self, vault_path: &Path) -> io::Result<()> {
        let path = status_path(vault_path);
        let tmp = sibling(&path, ".tmp");
        let mut file = private_options().write(true).create(true).truncate(true).open(&tmp)?;
        file.write_all(&serde_json::to_vec_pretty(self).expect("status always serializes"))?;
        file.sync_all()?;
        storage::rename_durably(&tmp, &path)
    }
}
