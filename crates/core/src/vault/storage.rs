//! Durable file replacement and the lock that serializes writers.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

pub fn backup_path(path: &Path) -> PathBuf {
    sibling(path, ".bak")
}

/// Files only the user can read. On Windows the per-user folder's ACL already does this.
pub(crate) fn private_options() -> OpenOptions {
    #[cfg(unix)]
    {
        let mut options = OpenOptions::new();
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options
    }
    #[cfg(not(unix))]
    OpenOptions::new()
}

pub fn ensure_parent(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            let mut builder = fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(dir)
        }
        _ => Ok(()),
    }
}

#[cfg(unix)]
fn sync_dir(path: &Path) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// Moves `from` over `to` so that the new name is on disk when this returns.
#[cfg(unix)]
pub(crate) fn rename_durably(from: &Path, to: &Path) -> io::Result<()> {
    fs::rename(from, to)?;
    sync_dir(to)
}

/// Windows has no directory handle to flush: `MOVEFILE_WRITE_THROUGH` makes the rename
/// itself durable (std's `rename` does not ask for it). A virus scanner or the search
/// indexer may hold the fresh temp file open for a moment; that passes, so retry briefly.
#[cfg(windows)]
pub(crate) fn rename_durably(from: &Path, to: &Path) -> io::Result<()> {
    use std::os::windows::ffi::OsStrExt;
    use windows_sys::Win32::Storage::FileSystem::{MOVEFILE_REPLACE_EXISTING, MOVEFILE_WRITE_THROUGH, MoveFileExW};

    let wide = |p: &Path| p.as_os_str().encode_wide().chain(Some(0)).collect::<Vec<u16>>();
    let (from, to) = (wide(from), wide(to));
    retry_while_held(Duration::from_secs(2), || {
        // SAFETY: both are NUL-terminated UTF-16 strings that outlive the call.
        if unsafe { MoveFileExW(from.as_ptr(), to.as_ptr(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH) } == 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(())
        }
    })
}

/// Windows' answers while another program holds a file open without sharing it.
#[cfg(any(windows, test))]
fn held_by_another_program(e: &io::Error) -> bool {
    const ERROR_ACCESS_DENIED: i32 = 5;
    const ERROR_SHARING_VIOLATION: i32 = 32;
    matches!(e.raw_os_error(), Some(ERROR_ACCESS_DENIED | ERROR_SHARING_VIOLATION))
}

#[cfg(any(windows, test))]
fn retry_while_held(patience: Duration, mut attempt: impl FnMut() -> io::Result<()>) -> io::Result<()> {
    let start = Instant::now();
    loop {
        match attempt() {
            Err(e) if held_by_another_program(&e) && start.elapsed() < patience => thread::sleep(Duration::from_millis(50)),
            result => return result,
        }
    }
}

/// Replaces `path` with `bytes` so that a crash at any instant leaves either the old or
/// the new file, never a mix. The old file is kept as `<path>.bak`.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = write_temp(path, bytes)?;
    if path.exists() {
        keep_as_backup(path)?;
    }
    rename_durably(&tmp, path)
}

/// Like [`replace`], but `<path>.bak` becomes a copy of the new file: after a key change
/// the previous file must not survive beside it, since the old key still opens it. The
/// old `.bak` goes first, so a crash before the rename leaves the old file and no backup.
pub fn replace_forgetting_previous(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = write_temp(path, bytes)?;
    remove_if_present(&backup_path(path))?;
    rename_durably(&tmp, path)?;
    keep_as_backup(path)
}

fn write_temp(path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    let tmp = sibling(path, ".tmp");
    let mut file = private_options().write(true).create(true).truncate(true).open(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(tmp)
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// `<path>.bak` becomes the file as it is now.
fn keep_as_backup(path: &Path) -> io::Result<()> {
    let backup = backup_path(path);
    remove_if_present(&backup)?;
    // A hard link keeps the previous version without copying it; some file systems
    // (FAT on USB sticks) have none, so copy there.
    if fs::hard_link(path, &backup).is_err() {
        fs::copy(path, &backup)?;
        // Windows flushes only through a handle open for writing.
        OpenOptions::new().write(true).open(&backup)?.sync_all()?;
    }
    Ok(())
}

/// Writes a file that must not exist yet; the caller holds the [`WriteLock`], so no other
/// Ninsho process can create it between the check and the rename.
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if path.exists() {
        return Err(io::Error::new(io::ErrorKind::AlreadyExists, "the file exists"));
    }
    replace(path, bytes)
}

/// An exclusive lock on `<vault>.lock`, held until dropped. The app and the CLI take it
/// around every read-modify-write so neither overwrites the other's change.
#[derive(Debug)]
pub struct WriteLock {
    _held: File,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("timed out waiting for another Ninsho process")]
    Busy,
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl WriteLock {
    pub fn acquire(path: &Path, timeout: Duration) -> Result<WriteLock, LockError> {
        ensure_parent(path)?;
        let file = private_options().read(true).write(true).create(true).truncate(false).open(sibling(path, ".lock"))?;
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(WriteLock { _held: file }),
                Err(fs::TryLockError::WouldBlock) if start.elapsed() < timeout => thread::sleep(Duration::from_millis(20)),
                Err(fs::TryLockError::WouldBlock) => return Err(LockError::Busy),
                Err(fs::TryLockError::Error(e)) => return Err(e.into()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_keeps_previous_copy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v");
        create_new(&path, b"one").unwrap();
        assert!(create_new(&path, b"again").is_err());
        assert_eq!(fs::read(&path).unwrap(), b"one");
        replace(&path, b"two").unwrap();
        replace(&path, b"three").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"three");
        assert_eq!(fs::read(backup_path(&path)).unwrap(), b"two");
        assert!(!sibling(&path, ".tmp").exists());
        replace_forgetting_previous(&path, b"four").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"four");
        assert_eq!(fs::read(backup_path(&path)).unwrap(), b"four", "the previous file is gone");
        assert!(!sibling(&path, ".tmp").exists());
    }

    #[test]
    fn lock_excludes_a_second_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v");
        let held = WriteLock::acquire(&path, Duration::from_secs(1)).unwrap();
        assert!(matches!(WriteLock::acquire(&path, Duration::from_millis(100)), Err(LockError::Busy)));
        drop(held);
        WriteLock::acquire(&path, Duration::from_millis(100)).unwrap();
    }

    /// Windows' error numbers, as a virus scanner holding the temp file would cause them.
    #[test]
    fn a_briefly_held_file_is_retried_and_a_real_error_is_not() {
        let mut tries = 0;
        let result = retry_while_held(Duration::from_secs(2), || {
            tries += 1;
            if tries < 3 { Err(io::Error::from_raw_os_error(32)) } else { Ok(()) }
        });
        assert!(result.is_ok());
        assert_eq!(tries, 3);

        let mut tries = 0;
        let result = retry_while_held(Duration::from_secs(2), || {
            tries += 1;
            Err(io::Error::from_raw_os_error(3))
        });
        assert_eq!(result.unwrap_err().raw_os_error(), Some(3));
        assert_eq!(tries, 1, "a missing path is not worth waiting for");

        let start = Instant::now();
        let result = retry_while_held(Duration::from_millis(200), || Err(io::Error::from_raw_os_error(5)));
        assert_eq!(result.unwrap_err().raw_os_error(), Some(5));
        assert!(start.elapsed() < Duration::from_secs(2), "gives up after its patience");
    }
}
