//! Settings an organization manages: read from the OS's policy store (Windows registry,
//! macOS managed preferences, a JSON file on Linux), checked value by value, merged with the
//! machine-wide source first. A value that cannot be used is reported in words and ignored;
//! the rest of its source still applies. Schema: docs/policy/README.md.

pub mod json;
pub mod plist;
pub mod registry;
mod sources;

use std::fmt;

use serde::Serialize;
use serde::ser::SerializeMap;

pub use sources::load;

/// The schema version this Ninsho reads. A source that names a newer one is still read:
/// the keys it shares with this version are applied, the others reported as unknown.
pub const SCHEMA_VERSION: u64 = 1;

/// A value as a policy store holds it, before it is checked against its key.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Bool(bool),
    Int(i64),
    Text(String),
    List(Vec<String>),
    /// Anything else the store can hold (a date, binary data, a nested dictionary).
    Other(&'static str),
}

impl Raw {
    fn kind(&self) -> &'static str {
        match self {
            Raw::Bool(_) => "true/false",
            Raw::Int(_) => "a number",
            Raw::Text(_) => "text",
            Raw::List(_) => "a list",
            Raw::Other(kind) => kind,
        }
    }
}

/// Why one source or one value of it is not applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PolicyError {
    #[error("could not be read: {0}")]
    Unreadable(String),
    #[error("is not valid JSON (line {line}, column {column}): {message}")]
    Json { line: usize, column: usize, message: String },
    #[error("is not a property list: {0}")]
    Plist(String),
    #[error("must hold an object of settings at the top level, not {0}")]
    NotAnObject(&'static str),
    #[error("is larger than {} KB; a policy is a few hundred bytes", MAX_BYTES / 1024)]
    TooLarge,
    #[error("is not a setting this Ninsho knows (a typo, or a newer Ninsho's setting)")]
    UnknownKey,
    #[error("must be {expected}, not {found}")]
    WrongType { expected: &'static str, found: &'static str },
    #[error("{0}")]
    Invalid(String),
    #[error("names schema version {0}; this Ninsho reads version {SCHEMA_VERSION}, so settings it does not know are ignored")]
    NewerVersion(u64),
}

/// Policy files larger than this are refused before parsing.
pub const MAX_BYTES: usize = 256 * 1024;

/// Where a value came from, as an administrator would name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source(pub String);

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A managed value and where it was set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Managed<T> {
    pub value: T,
    pub source: Source,
}

/// One source's settings before checking: its name, its entries, or why it was unreadable.
#[derive(Debug, Clone, PartialEq)]
pub struct Entries {
    pub source: Source,
    pub values: Result<Vec<(String, Raw)>, PolicyError>,
}

/// Every setting an organization can manage; `None` leaves it to the user.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Policy {
    /// NTP servers (`host` or `host:port`) the clock check uses, in order.
    pub clock_servers: Option<Managed<Vec<String>>>,
    /// The HTTPS address whose Date header cross-checks NTP and stands in where UDP is
    /// blocked; empty leaves it out.
    pub clock_https_url: Option<Managed<String>>,
    pub clock_correction_allowed: Option<Managed<bool>>,
    /// The largest correction, in seconds either way; see [`crate::clock::DEFAULT_LIMIT_SECONDS`].
    pub clock_correction_max_seconds: Option<Managed<u32>>,
    pub lock_required: Option<Managed<bool>>,
    pub lock_max_minutes: Option<Managed<u32>>,
    pub plaintext_export_allowed: Option<Managed<bool>>,
    /// Format ids (`ninsho`, `authenticator-txt`, …) that may be written.
    pub export_formats: Option<Managed<Vec<String>>>,
    pub auto_backup_required: Option<Managed<bool>>,
    /// The folder automatic backups go to; `~`, `%VAR%` and `${VAR}` are expanded.
    pub auto_backup_folder: Option<Managed<String>>,
    /// Whether Ninsho looks for updates (false: IT deploys them; the user cannot turn the
    /// check on).
    pub update_check: Option<Managed<bool>>,
    /// The organization's own update server: the address of its update manifest, in place of
    /// Ninsho's releases. Updates must still carry Ninsho's release signature.
    pub update_url: Option<Managed<String>>,
}

/// A value that was not applied, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub source: Source,
    /// `None` when the whole source was not applied.
    pub key: Option<String>,
    pub error: PolicyError,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(key) => write!(f, "{}: \"{key}\" {}", self.source, self.error),
            None => write!(f, "{} {}", self.source, self.error),
        }
    }
}

impl Serialize for Problem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(4))?;
        map.serialize_entry("source", &self.source)?;
        map.serialize_entry("key", &self.key)?;
        map.serialize_entry("unknown_key", &(self.error == PolicyError::UnknownKey))?;
        map.serialize_entry("message", &self.to_string())?;
        map.end()
    }
}

/// The effective policy, the sources that were looked at, and what was not applied.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub policy: Policy,
    /// Every place looked at, found or not, highest priority first.
    pub sources: Vec<Source>,
    pub problems: Vec<Problem>,
}

impl Report {
    /// Merges sources given highest priority first: the first valid value of a key wins.
    pub fn from_sources(found: Vec<Entries>, looked_at: Vec<Source>) -> Report {
        let mut report = Report { sources: looked_at, ..Report::default() };
        for Entries { source, values } in found {
            let values = match values {
                Ok(values) => values,
                Err(error) => {
                    report.problems.push(Problem { source, key: None, error });
                    continue;
                }
            };
            for (key, raw) in values {
                if let Err(error) = report.policy.apply(&key, raw, &source) {
                    report.problems.push(Problem { source: source.clone(), key: Some(key), error });
                }
            }
        }
        report
    }

    pub fn unknown_keys(&self) -> Vec<&str> {
        self.problems.iter().filter(|p| p.error == PolicyError::UnknownKey).filter_map(|p| p.key.as_deref()).collect()
    }
}

fn set<T>(slot: &mut Option<Managed<T>>, value: Result<T, PolicyError>, source: &Source) -> Result<(), PolicyError> {
    let value = value?;
    if slot.is_none() {
        *slot = Some(Managed { value, source: source.clone() });
    }
    Ok(())
}

impl Policy {
    /// Checks one entry and keeps it unless a higher-priority source set the key already.
    fn apply(&mut self, key: &str, raw: Raw, source: &Source) -> Result<(), PolicyError> {
        match key {
            "version" => match raw {
                Raw::Int(v) if v >= 1 && (v as u64) <= SCHEMA_VERSION => Ok(()),
                Raw::Int(v) if v > 0 => Err(PolicyError::NewerVersion(v as u64)),
                Raw::Int(_) => Err(PolicyError::Invalid("must be 1 or more".into())),
                other => Err(PolicyError::WrongType { expected: "a number", found: other.kind() }),
            },
            "clock_servers" => set(&mut self.clock_servers, servers(raw), source),
            "clock_https_url" => set(&mut self.clock_https_url, https_url(raw), source),
            "clock_correction_allowed" => set(&mut self.clock_correction_allowed, boolean(raw), source),
            "clock_correction_max_seconds" => set(&mut self.clock_correction_max_seconds, whole(raw, MAX_CORRECTION_SECONDS, "seconds"), source),
            "lock_required" => set(&mut self.lock_required, boolean(raw), source),
            "lock_max_minutes" => set(&mut self.lock_max_minutes, whole(raw, MAX_LOCK_MINUTES, "minutes"), source),
            "plaintext_export_allowed" => set(&mut self.plaintext_export_allowed, boolean(raw), source),
            "export_formats" => set(&mut self.export_formats, formats(raw), source),
            "auto_backup_required" => set(&mut self.auto_backup_required, boolean(raw), source),
            "auto_backup_folder" => set(&mut self.auto_backup_folder, folder(raw), source),
            "update_check" => set(&mut self.update_check, boolean(raw), source),
            "update_url" => set(&mut self.update_url, required(https_url(raw)), source),
            _ => Err(PolicyError::UnknownKey),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Policy::default()
    }

    /// Whether the policy lets Ninsho write this format (by id); the reason when it does not.
    pub fn export_refusal(&self, format_id: &str, encrypted: bool) -> Option<ExportRefusal> {
        if let Some(allowed) = &self.export_formats
            && !allowed.value.iter().any(|f| f == format_id)
        {
            return Some(ExportRefusal::FormatNotAllowed { allowed: allowed.value.clone(), set_by: allowed.source.clone() });
        }
        if encrypted { None } else { self.plaintext_refusal() }
    }

    /// Why a key may not leave the vault in plain text outside an export (shown on screen,
    /// printed by `ninsho inspect`): that is a plaintext export in all but name, refused when
    /// the policy refuses every unencrypted format Ninsho writes, for the reason it gives.
    pub fn keys_shown_refusal(&self) -> Option<ExportRefusal> {
        let plaintext = crate::backup::FORMATS.iter().filter(|f| f.writable() && !f.encrypted());
        let refusals: Vec<ExportRefusal> = plaintext.map(|f| self.export_refusal(f.id(), false)).collect::<Option<_>>()?;
        // "No plaintext exports" holds for every format; a list of formats is the reason otherwise.
        refusals.iter().find(|r| matches!(r, ExportRefusal::Plaintext { .. })).or(refusals.first()).cloned()
    }

    fn plaintext_refusal(&self) -> Option<ExportRefusal> {
        match &self.plaintext_export_allowed {
            Some(Managed { value: false, source }) => Some(ExportRefusal::Plaintext { set_by: source.clone() }),
            _ => None,
        }
    }

    pub fn correction_allowed(&self) -> bool {
        self.clock_correction_allowed.as_ref().is_none_or(|m| m.value)
    }

    pub fn correction_limit(&self) -> crate::clock::Limit {
        self.clock_correction_max_seconds.as_ref().map_or_else(Default::default, |m| crate::clock::Limit { seconds: m.value, managed: true })
    }

    pub fn lock_required(&self) -> bool {
        self.lock_required.as_ref().is_some_and(|m| m.value)
    }

    pub fn backups_required(&self) -> bool {
        self.auto_backup_required.as_ref().is_some_and(|m| m.value)
    }

    /// The lock timeout the user may choose: their own, at most the policy's maximum.
    pub fn lock_minutes(&self, chosen: u32) -> u32 {
        self.lock_max_minutes.as_ref().map_or(chosen, |m| chosen.min(m.value))
    }
}

/// Why an export is refused by policy.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExportRefusal {
    #[error("your organization allows only these export formats: {} (set by {set_by})", allowed.join(", "))]
    FormatNotAllowed { allowed: Vec<String>, set_by: Source },
    #[error("your organization does not allow exports that hold keys unencrypted (set by {set_by})")]
    Plaintext { set_by: Source },
}

fn boolean(raw: Raw) -> Result<bool, PolicyError> {
    match raw {
        Raw::Bool(b) => Ok(b),
        // The registry has no boolean: REG_DWORD 0 or 1, as Group Policy writes them.
        Raw::Int(0) => Ok(false),
        Raw::Int(1) => Ok(true),
        Raw::Int(n) => Err(PolicyError::Invalid(format!("must be 0 or 1 (false or true), not {n}"))),
        other => Err(PolicyError::WrongType { expected: "true/false", found: other.kind() }),
    }
}

/// A list: a real one, or text with one item per line or separated by commas (a REG_SZ, or
/// a single value in a configuration profile).
fn list(raw: Raw) -> Result<Vec<String>, PolicyError> {
    let items = match raw {
        Raw::List(items) => items,
        Raw::Text(text) => text.split([',', '\n']).map(str::to_owned).collect(),
        other => return Err(PolicyError::WrongType { expected: "a list", found: other.kind() }),
    };
    Ok(items.into_iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
}

fn servers(raw: Raw) -> Result<Vec<String>, PolicyError> {
    let servers = list(raw)?;
    if servers.is_empty() {
        return Err(PolicyError::Invalid("names no server".into()));
    }
    if let Some(bad) = servers.iter().find(|s| s.contains(char::is_whitespace) || s.contains('/')) {
        return Err(PolicyError::Invalid(format!("\"{bad}\" is not a host name or host:port")));
    }
    if let Some(bad) = servers.iter().find(|s| s.rsplit_once(':').is_some_and(|(_, port)| port.parse::<u16>().is_err())) {
        return Err(PolicyError::Invalid(format!("\"{bad}\" has a port that is not a number from 1 to 65535")));
    }
    Ok(servers)
}

fn text(raw: Raw) -> Result<String, PolicyError> {
    match raw {
        Raw::Text(t) => Ok(t.trim().to_owned()),
        other => Err(PolicyError::WrongType { expected: "text", found: other.kind() }),
    }
}

fn required(text: Result<String, PolicyError>) -> Result<String, PolicyError> {
    match text? {
        t if t.is_empty() => Err(PolicyError::Invalid("is empty".into())),
        t => Ok(t),
    }
}

fn https_url(raw: Raw) -> Result<String, PolicyError> {
    let url = text(raw)?;
    if url.is_empty() {
        return Ok(url);
    }
    match reqwest::Url::parse(&url) {
        Ok(parsed) if parsed.scheme() == "https" && parsed.host_str().is_some() => Ok(url),
        Ok(_) => Err(PolicyError::Invalid(format!("\"{url}\" is not an https:// address"))),
        Err(e) => Err(PolicyError::Invalid(format!("\"{url}\" is not an address: {e}"))),
    }
}

/// A day at most: a longer timeout is no lock.
pub const MAX_LOCK_MINUTES: u32 = 24 * 60;

/// A day at most: a clock off by more has the wrong date, which network time should fix
/// in the OS rather than in the codes. The least is 1: `clock_correction_allowed: false`
/// is the way to allow none.
pub const MAX_CORRECTION_SECONDS: u32 = 86_400;

/// A whole number from 1 to `max`, in `unit`.
fn whole(raw: Raw, max: u32, unit: &str) -> Result<u32, PolicyError> {
    match raw {
        Raw::Int(n) if (1..=i64::from(max)).contains(&n) => Ok(n as u32),
        Raw::Int(n) => Err(PolicyError::Invalid(format!("must be from 1 to {max} {unit}, not {n}"))),
        other => Err(PolicyError::WrongType { expected: "a number", found: other.kind() }),
    }
}

fn formats(raw: Raw) -> Result<Vec<String>, PolicyError> {
    let ids = list(raw)?;
    if let Some(bad) = ids.iter().find(|id| crate::backup::by_id(id).is_none_or(|f| !f.writable())) {
        let known: Vec<&str> = crate::backup::FORMATS.iter().filter(|f| f.writable()).map(|f| f.id()).collect();
        return Err(PolicyError::Invalid(format!("\"{bad}\" is not a format Ninsho writes ({})", known.join(", "))));
    }
    Ok(ids)
}

fn folder(raw: Raw) -> Result<String, PolicyError> {
    let folder = text(raw)?;
    if folder.is_empty() {
        return Err(PolicyError::Invalid("is empty".into()));
    }
    Ok(folder)
}

/// The folder of `auto_backup_folder` for this user: `~` at the start is the home folder,
/// `%NAME%` and `${NAME}` are environment variables. `None` names the first variable that
/// is not set, so the user is told instead of a backup going to a wrong place.
pub fn expand_folder(pattern: &str, home: Option<&str>, var: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = pattern;
    if let Some(after) = rest.strip_prefix('~').filter(|a| a.is_empty() || a.starts_with(['/', '\\'])) {
        out.push_str(home.ok_or("~ (the home folder)")?);
        rest = after;
    }
    while !rest.is_empty() {
        let (name, len) = if let Some(after) = rest.strip_prefix("${") {
            match after.find('}') {
                Some(end) => (&after[..end], end + 3),
                None => ("", 0),
            }
        } else if let Some(after) = rest.strip_prefix('%') {
            match after.find('%') {
                Some(end) if end > 0 => (&after[..end], end + 2),
                _ => ("", 0),
            }
        } else {
            ("", 0)
        };
        if len == 0 {
            let ch = rest.chars().next().expect("rest is not empty");
            out.push(ch);
            rest = &rest[ch.len_utf8()..];
            continue;
        }
        out.push_str(&var(name).filter(|v| !v.is_empty()).ok_or_else(|| name.to_owned())?);
        rest = &rest[len..];
    }
    Ok(out)
}

/// [`expand_folder`] with this user's home folder and environment.
pub fn folder_for_this_user(pattern: &str) -> Result<std::path::PathBuf, String> {
    let home = dirs::home_dir().map(|h| h.to_string_lossy().into_owned());
    expand_folder(pattern, home.as_deref(), |name| std::env::var(name).ok()).map(Into::into)
}

#[cfg(test)]
mod tests;
