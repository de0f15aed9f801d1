//! Files that hold keys outside the vault (exports): readable by the user alone, and never
//! seen half-written.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::vault::storage::{private_options, rename_durably, sibling};

/// Writes `bytes` to `path` in one step: a new file in the same folder, flushed to disk,
/// then renamed over `path`, so a crash or a full disk leaves the old file or the new one,
/// never a mix. On Unix the file is 0600 whatever the umask, and a file that was there
/// keeps neither its mode nor its contents.
///
/// A symbolic link at `path` is replaced by the file, never written through: `rename`
/// does not follow links, so whatever the link pointed at stays as it was. Refusing a link
/// instead would need a check before the rename, which whoever made the link could race.
/// The temp file has a random name and is created exclusively, so a link planted under a
/// name guessed in advance is not followed either.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = sibling(path, &format!(".{}.tmp", uuid::Uuid::new_v4().simple()));
    let written = write_new(&tmp, bytes).and_then(|()| rename_durably(&tmp, path));
    match written {
        // USB sticks and network drives may refuse to flush a folder; the rename happened.
        Err(e) if matches!(e.kind(), io::ErrorKind::Unsupported | io::ErrorKind::InvalidInput) && !tmp.exists() => Ok(()),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
        Ok(()) => Ok(()),
    }
}

fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = private_options().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.ends_with(".tmp")).collect()
    }

    #[test]
    fn an_existing_file_is_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.txt");
        fs::write(&path, "an older and much longer export, which must not survive in part").unwrap();
        write(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        // A folder cannot be renamed over: the write fails after the temp file was made.
        let path = dir.path().join("export.txt");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("inside"), "kept").unwrap();
        assert!(write(&path, b"new").is_err());
        assert_eq!(fs::read(path.join("inside")).unwrap(), b"kept");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_private_whatever_it_replaced() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.txt");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        write(&path, b"keys").unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let fresh = dir.path().join("fresh.txt");
        write(&fresh, b"keys").unwrap();
        assert_eq!(fs::metadata(&fresh).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_at_the_destination_is_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere.txt");
        fs::write(&target, "someone else's file").unwrap();
        let path = dir.path().join("export.txt");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        write(&path, b"keys").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"someone else's file");
        assert!(!fs::symlink_metadata(&path).unwrap().file_type().is_symlink());
        assert_eq!(fs::read(&path).unwrap(), b"keys");
    }
}
