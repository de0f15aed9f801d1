//! Where each OS keeps an organization's settings. Machine-wide sources come first: a
//! value set for the whole PC wins over one set for the user, as Group Policy does.

use super::{Entries, PolicyError, Report, Source};

/// Reads the policy now; a missing source is no policy, never an error.
pub fn load() -> Report {
    let mut found = Vec::new();
    let mut looked_at = Vec::new();
    for (source, read) in sources() {
        looked_at.push(source.clone());
        match read() {
            Ok(None) => {}
            Ok(Some(values)) => found.push(Entries { source, values: Ok(values) }),
            Err(error) => found.push(Entries { source, values: Err(error) }),
        }
    }
    Report::from_sources(found, looked_at)
}

type Values = Vec<(String, super::Raw)>;
type Read = Box<dyn FnOnce() -> Result<Option<Values>, PolicyError>>;

#[cfg(not(windows))]
fn file(path: std::path::PathBuf, parse: fn(&[u8]) -> Result<Values, PolicyError>) -> (Source, Read) {
    let source = Source(path.display().to_string());
    let read = move || match std::fs::read(&path) {
        Ok(bytes) => parse(&bytes).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(PolicyError::Unreadable(e.to_string())),
    };
    (source, Box::new(read))
}

#[cfg(not(any(windows, target_os = "macos")))]
fn sources() -> Vec<(Source, Read)> {
    let path = linux_policy_file(std::env::var_os("NINSHO_POLICY_FILE"), cfg!(debug_assertions));
    vec![file(path, super::json::parse)]
}

/// `/etc/ninsho/policy.json`. In debug builds `NINSHO_POLICY_FILE` names another file, for
/// tests; a release build ignores it, or one variable in a login script or a launcher would
/// swap the organization's policy for the user's own.
#[cfg(not(any(windows, target_os = "macos")))]
fn linux_policy_file(variable: Option<std::ffi::OsString>, debug_build: bool) -> std::path::PathBuf {
    match variable {
        Some(path) if debug_build => path.into(),
        _ => "/etc/ninsho/policy.json".into(),
    }
}

/// The files a configuration profile's payload for `jp.ninsho.app` becomes: the computer's,
/// then the user's.
#[cfg(target_os = "macos")]
fn sources() -> Vec<(Source, Read)> {
    let dir = std::path::Path::new("/Library/Managed Preferences");
    let name = format!("{}.plist", crate::paths::APP_ID);
    let mut sources = vec![file(dir.join(&name), super::plist::parse)];
    if let Some(user) = real_user_name() {
        sources.push(file(dir.join(user).join(&name), super::plist::parse));
    }
    sources
}

/// The name of the user this process runs as, from the user database. Not `$USER`: anyone
/// can set that, and so pick another user's managed settings, or a folder with none.
#[cfg(any(target_os = "macos", all(test, unix)))]
fn real_user_name() -> Option<std::ffi::OsString> {
    use std::os::unix::ffi::OsStrExt;

    // The size the system suggests is only a hint (and may be unknown): grow on ERANGE.
    let mut buffer: Vec<libc::c_char> = vec![0; 1024];
    // SAFETY: `passwd` is plain data; getpwuid_r fills it in before it is read.
    let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    loop {
        // SAFETY: every pointer is valid for the call, and `buffer.len()` is its real length.
        let status = unsafe { libc::getpwuid_r(libc::getuid(), &mut entry, buffer.as_mut_ptr(), buffer.len(), &mut found) };
        match status {
            libc::ERANGE if buffer.len() < 1 << 20 => buffer.resize(buffer.len() * 2, 0),
            0 if !found.is_null() && !entry.pw_name.is_null() => break,
            _ => return None,
        }
    }
    // SAFETY: on success `pw_name` points to a NUL-terminated string inside `buffer`.
    let name = unsafe { std::ffi::CStr::from_ptr(entry.pw_name) };
    (!name.is_empty()).then(|| std::ffi::OsStr::from_bytes(name.to_bytes()).to_os_string())
}

#[cfg(windows)]
fn sources() -> Vec<(Source, Read)> {
    use super::registry::{Hive, read};
    const KEY: &str = r"SOFTWARE\Policies\Ninsho";
    vec![
        (Source(format!(r"HKLM\{KEY}")), Box::new(|| read(Hive::LocalMachine, KEY))),
        (Source(format!(r"HKCU\{KEY}")), Box::new(|| read(Hive::CurrentUser, KEY))),
    ]
}

#[cfg(test)]
mod tests {
    #[cfg(not(any(windows, target_os = "macos")))]
    #[test]
    fn only_a_debug_build_reads_the_policy_file_a_variable_names() {
        let named = Some(std::ffi::OsString::from("/tmp/mine.json"));
        assert_eq!(super::linux_policy_file(named.clone(), false), std::path::Path::new("/etc/ninsho/policy.json"));
        assert_eq!(super::linux_policy_file(None, true), std::path::Path::new("/etc/ninsho/policy.json"));
        assert_eq!(super::linux_policy_file(named, true), std::path::Path::new("/tmp/mine.json"));
    }

    /// The same answer as `id -un`, which reads the user database too; `$USER` plays no part.
    #[cfg(unix)]
    #[test]
    fn the_user_name_comes_from_the_user_database() {
        let id = std::process::Command::new("id").arg("-un").output().unwrap();
        let expected = String::from_utf8(id.stdout).unwrap();
        assert_eq!(super::real_user_name().unwrap(), expected.trim());
    }
}
