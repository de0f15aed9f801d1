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
fn private_options() -> OpenOptions {
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

fn sync_dir(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        File::open(dir)?.sync_all()?;
    }
    // Windows has no directory handles to flush; MoveFileEx with write-through (what
    // std::fs::rename uses) is the durable step there.
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Replaces `path` with `bytes` so that a crash at any instant leaves either the old or
/// the new file, never a mix. The old file is kept as `<path>.bak`.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = sibling(path, ".tmp");
    let mut file = private_options().write(true).create(true).truncate(true).open(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);

    if path.exists() {
        let backup = backup_path(path);
        match fs::remove_file(&backup) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        // A hard link keeps the previous version without copying it; some file systems
        // (FAT on USB sticks) have none, so copy there.
        if fs::hard_link(path, &backup).is_err() {
            fs::copy(path, &backup)?;
            File::open(&backup)?.sync_all()?;
        }
    }
    fs::rename(&tmp, path)?;
    sync_dir(path)
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
}
