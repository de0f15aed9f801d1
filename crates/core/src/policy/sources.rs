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

/// `/etc/ninsho/policy.json`. `NINSHO_POLICY_FILE` names another file for tests; on Linux
/// the user owns their processes anyway, so it opens no way around a policy that the
/// user could not take otherwise.
#[cfg(not(any(windows, target_os = "macos")))]
fn sources() -> Vec<(Source, Read)> {
    let path = std::env::var_os("NINSHO_POLICY_FILE").map_or_else(|| "/etc/ninsho/policy.json".into(), std::path::PathBuf::from);
    vec![file(path, super::json::parse)]
}

/// The files a configuration profile's payload for `jp.ninsho.app` becomes: the computer's,
/// then the user's.
#[cfg(target_os = "macos")]
fn sources() -> Vec<(Source, Read)> {
    let dir = std::path::Path::new("/Library/Managed Preferences");
    let name = format!("{}.plist", crate::paths::APP_ID);
    let mut sources = vec![file(dir.join(&name), super::plist::parse)];
    if let Some(user) = std::env::var_os("USER").filter(|u| !u.is_empty()) {
        sources.push(file(dir.join(user).join(&name), super::plist::parse));
    }
    sources
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
