//! Backup files of other authenticators, and Ninsho's own transfer file: one module per
//! format, each a pure function from bytes (and a password) to accounts and back, behind
//! the small [`Format`] trait. The UI and CLI list formats from [`FORMATS`].

pub mod aegis;
pub mod andotp;
pub mod authenticator_json;
pub mod authenticator_pro;
pub mod authenticator_txt;
pub mod bitwarden;
mod cryptojs;
pub mod ente_encrypted;
pub mod freeotp_plus;
pub mod google_migration;
pub mod lastpass;
mod migration_error;
pub mod migration_payload;
pub mod ninsho_transfer;
pub mod otpauth_lines;
pub mod otpauth_list;
pub mod password_csv;
mod problem;
pub mod proton;
pub mod totp_authenticator;
pub mod twofas;

use std::fmt;

use crate::account::{Account, AccountDraft, Names};
use crate::otp::Otp;

pub use migration_error::MigrationError;
pub use problem::{EntryError, Field, Place, Problem, Problems};

/// One account as a backup carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub issuer: String,
    pub account: String,
    pub label: String,
    pub otp: Otp,
    pub pinned: bool,
}

impl From<&Account> for Entry {
    fn from(a: &Account) -> Self {
        Entry { issuer: a.issuer.clone(), account: a.account.clone(), label: a.label.clone(), otp: a.otp.clone(), pinned: a.pinned }
    }
}

impl Entry {
    pub fn into_draft(self) -> AccountDraft {
        AccountDraft { issuer: self.issuer, account: self.account, label: self.label, otp: self.otp }
    }

    /// How people name the account in messages.
    pub fn display_name(&self) -> String {
        match (self.label.is_empty(), self.issuer.is_empty(), self.account.is_empty()) {
            (false, _, _) => self.label.clone(),
            (true, false, false) => format!("{} ({})", self.issuer, self.account),
            (true, false, true) => self.issuer.clone(),
            _ => self.account.clone(),
        }
    }
}

/// What a file held: the accounts that could be read and the parts that could not.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub entries: Vec<Entry>,
    pub problems: Problems,
}

impl Parsed {
    /// Every item of a file's list read by `entry`; one that cannot be read is a problem named
    /// by its number and `name`, and the others still import.
    pub(crate) fn each<T, N: fmt::Display>(items: &[T], entry: impl Fn(&T) -> Result<Entry, EntryError>, name: impl Fn(&T) -> N) -> Parsed {
        let mut parsed = Parsed::default();
        for (i, item) in items.iter().enumerate() {
            match entry(item) {
                Ok(e) => parsed.entries.push(e),
                Err(error) => parsed.problems.push(Problem { place: Place::entry(i + 1, name(item)), error }),
            }
        }
        parsed
    }
}

/// Written files (several for multi-part QR exports), the accounts they could not carry
/// (name, why), and a note on what the writer did that the user should know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub files: Vec<Vec<u8>>,
    pub skipped: Vec<(String, Remark)>,
    pub note: Option<Remark>,
}

/// What a writer tells the user: a code the app shows in the user's language
/// (`transfer.remarks.*` in the catalogs), in English for the CLI (`Display`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Remark {
    SteamUnsupported,
    PeriodNot30,
    DigitsNot6Or8,
    JsonInsteadOfTxt,
    Sha1OnlyBefore2023,
    #[serde(rename = "counter_too_large_for_2fas")]
    CounterTooLargeFor2Fas,
}

impl Remark {
    pub const ALL: [Remark; 6] = [
        Remark::SteamUnsupported,
        Remark::PeriodNot30,
        Remark::DigitsNot6Or8,
        Remark::JsonInsteadOfTxt,
        Remark::Sha1OnlyBefore2023,
        Remark::CounterTooLargeFor2Fas,
    ];
}

impl fmt::Display for Remark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Remark::SteamUnsupported => "Steam codes are not supported by Google Authenticator",
            Remark::PeriodNot30 => "Google Authenticator supports only 30-second codes",
            Remark::DigitsNot6Or8 => "Google Authenticator supports 6 or 8 digits only",
            Remark::JsonInsteadOfTxt => {
                "Steam and Battle.net accounts cannot be carried by authenticator.txt, so the extension's \
                 authenticator.json format was written instead (as the extension itself does)"
            }
            Remark::CounterTooLargeFor2Fas => "2FAS holds counters up to 2,147,483,647 only; this counter-based account's is higher",
            Remark::Sha1OnlyBefore2023 => {
                "SHA-256 and SHA-512 accounts were included: Google Authenticator computes them since 2023; \
                 older versions show wrong codes for them, so update the app first"
            }
        })
    }
}

impl Written {
    pub fn one(bytes: Vec<u8>) -> Self {
        Written { files: vec![bytes], skipped: Vec::new(), note: None }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackupError {
    #[error("the file is encrypted; give its password")]
    NeedsPassword,
    #[error("the password is wrong (or the file is damaged)")]
    WrongPassword,
    #[error("{at}: {message}")]
    Malformed { at: String, message: String },
    #[error("no format Ninsho knows matches this file")]
    UnknownFormat,
    #[error("{0} files cannot be written by Ninsho")]
    ReadOnly(&'static str),
    #[error("a password is needed to write this format")]
    PasswordRequired,
    #[error("the file holds no accounts")]
    Empty,
    #[error("the file is {} MiB; backups over 64 MiB are refused (a backup of a thousand accounts is under 1 MiB: is this the right file?)", .0 / (1024 * 1024))]
    TooLarge(u64),
    /// A key-derivation cost or number of password slots over the format's cap, refused
    /// before any key is derived: a crafted file could otherwise keep Ninsho busy for hours.
    #[error(
        "the file asks for far more key derivation than the app that made it ever does ({what}: {value}, at most {max}), so it was refused without trying the password"
    )]
    TooCostly { what: &'static str, value: u64, max: u64 },
}

impl BackupError {
    pub fn malformed(at: impl Into<String>, message: impl fmt::Display) -> Self {
        BackupError::Malformed { at: at.into(), message: message.to_string() }
    }
}

/// A backup format: reading is pure and never panics on any input; writing is pure too.
pub trait Format: Sync {
    /// The name used on the command line, e.g. `authenticator-txt`.
    fn id(&self) -> &'static str;
    /// What users call it.
    fn name(&self) -> &'static str;
    /// Whether the bytes look like this format (content, never the file name).
    fn detect(&self, bytes: &[u8]) -> bool;
    fn read(&self, bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError>;
    /// `None` when Ninsho only reads this format (the default).
    fn write(&self, _entries: &[Entry], _password: Option<&str>) -> Option<Result<Written, BackupError>> {
        None
    }
    /// Whether `write` ever returns a file: asked with no accounts and no password, which
    /// every writer answers at once (a file, or that it needs a password).
    fn writable(&self) -> bool {
        self.write(&[], None).is_some()
    }
    /// Writing needs a password.
    fn encrypted(&self) -> bool {
        false
    }
}

/// How an entry of a file relates to what is already stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    New,
    /// The same key is stored already (as this account).
    SameKey(Names),
    /// Another stored account has the same issuer and account name (but another key).
    SameName(Names),
    /// The file itself lists this key twice.
    RepeatedInFile,
}

/// The import preview: every entry with its status, and the file's problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub items: Vec<(Entry, Status)>,
    pub problems: Problems,
}

impl Preview {
    pub fn new(existing: &[Account], parsed: Parsed) -> Preview {
        let mut items: Vec<(Entry, Status)> = Vec::new();
        let mut problems = parsed.problems;
        for entry in parsed.entries {
            if let Err(e) = crate::name_limit::check_names(&[&entry.issuer, &entry.account, &entry.label]) {
                problems.push(Problem { place: Place::account(&entry.display_name()), error: e.into() });
                continue;
            }
            let same =
                |a: &Account| a.issuer.to_lowercase() == entry.issuer.to_lowercase() && a.account.to_lowercase() == entry.account.to_lowercase();
            let status = if let Some(a) = existing.iter().find(|a| a.otp.secret == entry.otp.secret) {
                Status::SameKey(a.into())
            } else if items.iter().any(|(e, _)| e.otp.secret == entry.otp.secret) {
                Status::RepeatedInFile
            } else if let Some(a) = existing.iter().find(|a| same(a)) {
                Status::SameName(a.into())
            } else {
                Status::New
            };
            items.push((entry, status));
        }
        Preview { items, problems }
    }

    /// What an import adds: new accounts, plus same-name ones when asked (they have a
    /// different key, so they are different logins).
    pub fn to_import(&self, include_same_name: bool) -> Vec<Entry> {
        self.items
            .iter()
            .filter(|(_, s)| matches!(s, Status::New) || (include_same_name && matches!(s, Status::SameName(_))))
            .map(|(e, _)| e.clone())
            .collect()
    }
}

/// Appends imported entries after the stored accounts, keeping their order and pins.
pub fn append(accounts: &mut Vec<Account>, entries: &[Entry], now: u64) -> usize {
    let first = accounts.iter().map(|a| a.position + 1).max().unwrap_or(0);
    for (position, e) in (first..).zip(entries) {
        let mut a = Account::from_draft(e.clone().into_draft(), position, now);
        a.pinned = e.pinned;
        accounts.push(a);
    }
    entries.len()
}

/// Every format, in the order detection tries them (most specific first).
pub static FORMATS: &[&dyn Format] = &[
    &ninsho_transfer::NinshoTransfer,
    &authenticator_pro::AuthenticatorPro,
    &aegis::AegisPlain,
    &aegis::AegisEncrypted,
    &twofas::TwoFas,
    &bitwarden::BitwardenEncrypted,
    &bitwarden::BitwardenJson,
    // Never reached by detection (`TwoFas` reads every .2fas file); listed for writing.
    &twofas::TwoFasPlain,
    &freeotp_plus::FreeOtpPlus,
    &ente_encrypted::EnteEncrypted,
    &proton::ProtonAuthenticator,
    &lastpass::LastPass,
    &authenticator_json::AuthenticatorEncrypted,
    &authenticator_json::AuthenticatorJson,
    &andotp::AndOtp,
    &google_migration::GoogleMigration,
    &password_csv::BitwardenCsv,
    &password_csv::OnePasswordCsv,
    &password_csv::KeePassXcCsv,
    &password_csv::ApplePasswordsCsv,
    &authenticator_txt::AuthenticatorTxt,
    &otpauth_list::OtpauthList,
    // The last two have no header: text claimed only as base64 of AES blocks (see
    // `totp_authenticator::looks_like_backup`), and binary that no format above claims (see
    // `andotp::looks_encrypted`). Every format above is tried first.
    &totp_authenticator::TotpAuthenticator,
    &andotp::AndOtpEncrypted,
];

pub fn by_id(id: &str) -> Option<&'static dyn Format> {
    FORMATS.iter().copied().find(|f| f.id() == id)
}

pub fn detect(bytes: &[u8]) -> Option<&'static dyn Format> {
    FORMATS.iter().copied().find(|f| f.detect(bytes))
}

/// The text of a file, without a UTF-8 byte order mark.
/// Backups larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// An otpauth line or a CSV row is a few hundred bytes. JSON documents are not held to it:
/// they are parsed whole within [`MAX_FILE_BYTES`], and some apps write them on one line with
/// every custom icon inside (Authenticator Pro), far over a line's limit.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

fn is_json_document(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    matches!(bytes.iter().find(|b| !b.is_ascii_whitespace()), Some(b'{' | b'['))
}

/// What every input must pass before a format reads it, so that a huge file or line is
/// named as such instead of read, detected as nothing, or held in memory several times.
pub fn check_limits(bytes: &[u8]) -> Result<(), BackupError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(BackupError::TooLarge(bytes.len() as u64));
    }
    if is_json_document(bytes) {
        return Ok(());
    }
    match bytes.split(|&b| b == b'\n').enumerate().find(|(_, line)| line.len() > MAX_LINE_BYTES) {
        Some((i, line)) => Err(BackupError::malformed(
            format!("line {}", i + 1),
            format_args!("the line is {:.1} MiB long; lines over 1 MiB are refused", line.len() as f64 / (1024.0 * 1024.0)),
        )),
        None => Ok(()),
    }
}

/// Reads a backup file, never more than [`MAX_FILE_BYTES`] of it, and checks its limits.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, ReadFileError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(bytes.len() as u64);
        return Err(ReadFileError::Backup(BackupError::TooLarge(size)));
    }
    check_limits(&bytes)?;
    Ok(bytes)
}

#[derive(Debug, thiserror::Error)]
pub enum ReadFileError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Backup(#[from] BackupError),
}

pub(crate) fn text(bytes: &[u8]) -> Result<&str, BackupError> {
    check_limits(bytes)?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| BackupError::malformed(format!("byte {}", e.valid_up_to()), "the file is not UTF-8 text"))
}

pub(crate) fn json(bytes: &[u8]) -> Option<serde_json::Value> {
    text(bytes).ok().and_then(|t| serde_json::from_str(t).ok())
}

/// The committed sample of each format Ninsho read before the other apps' (made by this
/// project, `crates/cli/tests/samples`), with its format: each new format's tests check that
/// it claims none of them.
#[cfg(test)]
pub(crate) const CLI_SAMPLES: [(&[u8], &str); 8] = [
    (include_bytes!("../../../cli/tests/samples/authenticator.txt"), "authenticator-txt"),
    (include_bytes!("../../../cli/tests/samples/authenticator.json"), "authenticator-json"),
    (include_bytes!("../../../cli/tests/samples/authenticator-encrypted.json"), "authenticator-encrypted"),
    (include_bytes!("../../../cli/tests/samples/aegis.json"), "aegis"),
    (include_bytes!("../../../cli/tests/samples/aegis-encrypted.json"), "aegis-encrypted"),
    (include_bytes!("../../../cli/tests/samples/accounts.ninsho"), "ninsho"),
    (include_bytes!("../../../cli/tests/samples/google-migration.txt"), "google-migration"),
    (include_bytes!("../../../cli/tests/samples/services.2fas"), "2fas"),
];

#[cfg(test)]
mod tests;
