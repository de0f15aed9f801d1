//! Automatic backups: after every change, the accounts as a Ninsho transfer file (passphrase
//! slot only, so Import or `ninsho inspect` opens it on any PC with the backup password),
//! written atomically into a folder the user chose, old ones thinned out by [`retention`].
//! A failed backup never blocks or undoes the vault change; it is recorded in a status file
//! beside the vault so the app and the CLI can say what failed and retry.

pub mod retention;
mod status;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use time::macros::format_description;
use uuid::Uuid;

use crate::account::Account;
use crate::vault::storage::{self, private_options};
use crate::vault::{BackupSetting, PassphraseKey, VaultError};
pub use status::{Failure, Status, Success, status_path};

const PREFIX: &str = "ninsho-backup-";
const EXTENSION: &str = ".ninsho";
/// Half-written files carry this name until their rename, so no partial file ever looks
/// like a backup; ones a crash left behind are removed by a later backup.
const PARTIAL_PREFIX: &str = ".ninsho-backup-partial-";
const STALE_PARTIAL_SECS: u64 = 60 * 60;

/// Why a backup could not be written, in the terms the user acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    /// The folder is gone: a USB stick unplugged, a network share or cloud folder offline.
    FolderMissing,
    /// No permission, or a read-only disk.
    NotAllowed,
    DiskFull,
    Other,
}

impl FailureReason {
    pub fn of(e: &io::Error) -> FailureReason {
        // ENOSPC and EDQUOT on Linux and macOS (28, 122 / 69); ERROR_DISK_FULL and
        // ERROR_HANDLE_DISK_FULL on Windows (112, 39); its unreachable network paths (53, 67).
        match (e.kind(), e.raw_os_error()) {
            (io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded, _) => FailureReason::DiskFull,
            (_, Some(112 | 39)) if cfg!(windows) => FailureReason::DiskFull,
            (io::ErrorKind::NotFound | io::ErrorKind::NotADirectory, _) => FailureReason::FolderMissing,
            (_, Some(53 | 67)) if cfg!(windows) => FailureReason::FolderMissing,
            (io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem, _) => FailureReason::NotAllowed,
            _ => FailureReason::Other,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AutoBackupError {
    #[error("the backup folder {0} is not there (unplugged, offline or removed)")]
    FolderMissing(PathBuf),
    #[error("{path} could not be written: {source}")]
    Io { path: PathBuf, reason: FailureReason, source: io::Error },
    #[error(transparent)]
    Vault(#[from] VaultError),
}

impl AutoBackupError {
    pub fn reason(&self) -> FailureReason {
        match self {
            AutoBackupError::FolderMissing(_) => FailureReason::FolderMissing,
            AutoBackupError::Io { reason, .. } => *reason,
            AutoBackupError::Vault(_) => FailureReason::Other,
        }
    }

    fn io(path: &Path) -> impl FnOnce(io::Error) -> AutoBackupError + '_ {
        move |source| AutoBackupError::Io { path: path.to_owned(), reason: FailureReason::of(&source), source }
    }
}

/// `ninsho-backup-20261201-031204Z.ninsho`: UTC, so names sort by time and never repeat
/// or go backwards when the clocks change; the app shows each in local time.
pub fn file_name(time: u64, sequence: u32) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp(time as i64).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let stamp = at.format(format_description!("[year][month][day]-[hour][minute][second]")).unwrap_or_default();
    match sequence {
        0 => format!("{PREFIX}{stamp}Z{EXTENSION}"),
        n => format!("{PREFIX}{stamp}Z-{n}{EXTENSION}"),
    }
}

/// The time and sequence number a backup's name says, or `None` for any other file.
pub fn parse_file_name(name: &str) -> Option<(u64, u32)> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(EXTENSION)?;
    let (stamp, sequence) = match rest.split_once("Z-") {
        Some((stamp, n)) => (stamp, n.parse::<u32>().ok().filter(|&n| n > 0)?),
        None => (rest.strip_suffix('Z')?, 0),
    };
    let at = time::PrimitiveDateTime::parse(stamp, format_description!("[year][month][day]-[hour][minute][second]")).ok()?;
    u64::try_from(at.assume_utc().unix_timestamp()).ok().map(|t| (t, sequence))
}

/// A backup file in the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    pub path: PathBuf,
    pub time: u64,
    sequence: u32,
}

/// The backups in `folder`, newest first.
pub fn list(folder: &Path) -> Result<Vec<BackupFile>, AutoBackupError> {
    let entries = fs::read_dir(folder).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => AutoBackupError::FolderMissing(folder.to_owned()),
        _ => AutoBackupError::io(folder)(e),
    })?;
    let mut files: Vec<BackupFile> = entries
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let (time, sequence) = parse_file_name(entry.file_name().to_str()?)?;
            entry.file_type().ok()?.is_file().then(|| BackupFile { path: entry.path(), time, sequence })
        })
        .collect();
    files.sort_by_key(|f| std::cmp::Reverse((f.time, f.sequence)));
    Ok(files)
}

/// The accounts a backup holds, opened with the stored key (`None`: another password).
pub fn open(file: &Path, key: &PassphraseKey) -> Result<Option<Vec<Account>>, AutoBackupError> {
    Ok(key.open(&read(file)?)?)
}

fn read(file: &Path) -> Result<Vec<u8>, AutoBackupError> {
    crate::backup::read_file(file).map_err(|e| match e {
        crate::backup::ReadFileError::Io(source) => AutoBackupError::io(file)(source),
        crate::backup::ReadFileError::Backup(b) => AutoBackupError::Io {
            path: file.to_owned(),
            reason: FailureReason::Other,
            source: io::Error::new(io::ErrorKind::InvalidData, b.to_string()),
        },
    })
}

/// Writes one backup of `accounts` into the folder, then thins out old ones. Returns the
/// new file's path.
pub fn write(setting: &BackupSetting, accounts: &[Account], now: u64) -> Result<PathBuf, AutoBackupError> {
    let folder = &setting.folder;
    if !folder.is_dir() {
        return Err(AutoBackupError::FolderMissing(folder.clone()));
    }
    let bytes = setting.key.seal(accounts)?;
    let existing = list(folder)?;
    let sequence = (0..).find(|&n| !existing.iter().any(|f| f.time == now && f.sequence == n)).unwrap_or(0);
    let path = folder.join(file_name(now, sequence));
    let partial = folder.join(format!("{PARTIAL_PREFIX}{}", uuid::Uuid::new_v4().simple()));
    let written = write_partial(&partial, &bytes).and_then(|()| {
        storage::rename_durably(&partial, &path).or_else(|e| match e.kind() {
            // Cloud and network folders may refuse to flush a directory; the file itself is on disk.
            io::ErrorKind::Unsupported | io::ErrorKind::InvalidInput if path.exists() => Ok(()),
            _ => Err(e),
        })
    });
    if let Err(e) = written {
        let _ = fs::remove_file(&partial);
        return Err(AutoBackupError::io(folder)(e));
    }
    remove_stale_partials(folder, now);
    let _ = prune(setting, now);
    Ok(path)
}

fn write_partial(partial: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = private_options().write(true).create_new(true).open(partial)?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn remove_stale_partials(folder: &Path, now: u64) {
    let Ok(entries) = fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let stale = entry.file_name().to_str().is_some_and(|n| n.starts_with(PARTIAL_PREFIX))
            && entry
                .metadata()
                .ok()
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .is_some_and(|t| now.saturating_sub(t.as_secs()) > STALE_PARTIAL_SECS);
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Deletes the backups [`retention::keep`] does not keep; returns what was deleted. A file
/// that cannot be read for any reason but another password is kept too.
pub fn prune(setting: &BackupSetting, now: u64) -> Result<Vec<PathBuf>, AutoBackupError> {
    let files = list(&setting.folder)?;
    let snapshots: Vec<retention::Snapshot> =
        files.iter().map(|f| retention::Snapshot { time: f.time, ids: held_ids(&f.path, &setting.key) }).collect();
    let mut deleted = Vec::new();
    for (file, keep) in files.iter().zip(retention::keep(&snapshots, now)) {
        if !keep && fs::remove_file(&file.path).is_ok() {
            deleted.push(file.path.clone());
        }
    }
    Ok(deleted)
}

/// Deletes the backups the current password cannot open: made under an earlier password,
/// which may be known to someone who should no longer read them (retention keeps them,
/// since what they hold is unknown). A file unreadable for any other reason is kept.
/// Returns what was deleted.
pub fn remove_other_passwords(setting: &BackupSetting) -> Result<Vec<PathBuf>, AutoBackupError> {
    let mut deleted = Vec::new();
    for file in list(&setting.folder)? {
        if matches!(open(&file.path, &setting.key), Ok(None)) {
            fs::remove_file(&file.path).map_err(AutoBackupError::io(&file.path))?;
            deleted.push(file.path);
        }
    }
    Ok(deleted)
}

/// `20261201-031204Z`: the time as backup names and kept copies carry it.
pub fn stamp(time: u64) -> String {
    file_name(time, 0).trim_start_matches(PREFIX).trim_end_matches(EXTENSION).to_owned()
}

/// Copies the vault file to `vault.ninsho.before-restore-20261201-031204Z` (flushed) before a
/// restore replaces its accounts, and returns the copy's path.
pub fn keep_copy_before_restore(vault_path: &Path, now: u64) -> io::Result<PathBuf> {
    let copy = storage::sibling(vault_path, &format!(".before-restore-{}", stamp(now)));
    fs::copy(vault_path, &copy)?;
    sync_file(&copy)?;
    Ok(copy)
}

/// Flushes a file to disk. Windows flushes only through a handle open for writing.
fn sync_file(path: &Path) -> io::Result<()> {
    fs::OpenOptions::new().write(true).open(path)?.sync_all()
}

/// Moves a vault this PC can no longer open (its keyring entry gone, no passphrase given)
/// out of the way, with its previous copy, so a restored or new vault never overwrites it:
/// `vault.ninsho.unreadable-20261201-031204Z` (and `….bak`). Returns the new path.
pub fn set_aside_unreadable(vault_path: &Path, now: u64) -> io::Result<PathBuf> {
    let aside = storage::sibling(vault_path, &format!(".unreadable-{}", stamp(now)));
    // A rename replaces what is there: a vault set aside earlier in the same second stays.
    if aside.exists() || crate::vault::backup_path(&aside).exists() {
        return Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("{} is already there", aside.display())));
    }
    let previous = crate::vault::backup_path(vault_path);
    if previous.exists() {
        storage::rename_durably(&previous, &crate::vault::backup_path(&aside))?;
    }
    storage::rename_durably(vault_path, &aside)?;
    Ok(aside)
}

/// Backups never change once written, and retention reads every one after each change: a
/// long-running app reads each file once. Keyed by size and time too, in case a file was
/// replaced by hand.
type IdCache = std::collections::HashMap<(PathBuf, u64, Option<std::time::SystemTime>), Option<BTreeSet<Uuid>>>;
static HELD_IDS: std::sync::LazyLock<std::sync::Mutex<IdCache>> = std::sync::LazyLock::new(Default::default);

/// The ids of the accounts a backup holds, or `None` when the current key cannot read it.
fn held_ids(file: &Path, key: &PassphraseKey) -> Option<BTreeSet<Uuid>> {
    let meta = fs::metadata(file).ok()?;
    let cache_key = (file.to_owned(), meta.len(), meta.modified().ok());
    let mut cache = HELD_IDS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(ids) = cache.get(&cache_key) {
        return ids.clone();
    }
    let ids = read(file).ok().and_then(|bytes| key.held_ids(&bytes).ok().flatten()).map(|ids| ids.into_iter().collect());
    if ids.is_some() {
        cache.insert(cache_key, ids.clone());
    }
    ids
}

/// Writes a backup if `setting` is on and records the outcome in the vault's status file.
/// What the vault holds is already saved either way.
pub fn run(vault_path: &Path, setting: &BackupSetting, accounts: &[Account], now: u64) -> Result<Success, AutoBackupError> {
    let outcome = write(setting, accounts, now);
    let mut status = Status::read(vault_path);
    match &outcome {
        Ok(file) => {
            status.last_success = Some(Success { time: now, accounts: accounts.len(), file: file.clone() });
            status.last_failure = None;
        }
        Err(e) => status.last_failure = Some(Failure { time: now, reason: e.reason(), detail: e.to_string() }),
    }
    let _ = status.write(vault_path);
    outcome.map(|_| status.last_success.clone().expect("set above"))
}

#[cfg(test)]
mod tests;
