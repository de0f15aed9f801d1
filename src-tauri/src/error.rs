//! Errors as the web view receives them: a catalog key and its parameters, so every
//! message reaches the user as a plain sentence in their language.

use std::collections::BTreeMap;

use ninsho_core::backup::{BackupError, EntryError, Field, MigrationError, Place};
use ninsho_core::otp::OtpError;
use ninsho_core::otp::uri::UriError;
use ninsho_core::qr::PayloadKind;
use ninsho_core::secret::SecretError;
use ninsho_core::vault::{KeyStoreError, VaultError};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UiError {
    /// A key under `errors.` in the ja/en catalogs.
    pub key: &'static str,
    pub params: BTreeMap<&'static str, String>,
}

impl UiError {
    pub fn new(key: &'static str) -> Self {
        UiError { key, params: BTreeMap::new() }
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.params.insert(name, value.to_string());
        self
    }

    /// A file that could not be read or written: `cause` names the sentence under
    /// `io_causes.` that says why in the user's words; the OS's own text stays in `detail`,
    /// folded away in the UI.
    pub fn io(path: &std::path::Path, e: &std::io::Error) -> Self {
        use std::io::ErrorKind::*;
        // Windows' sharing and lock violations: a file held open by another program (often
        // OneDrive or an antivirus), which Rust's error kinds do not name.
        let held_open = cfg!(windows) && matches!(e.raw_os_error(), Some(32 | 33));
        let cause = match e.kind() {
            _ if held_open => "busy",
            PermissionDenied => "permission_denied",
            NotFound => "not_found",
            StorageFull | QuotaExceeded => "storage_full",
            ReadOnlyFilesystem => "read_only",
            ResourceBusy | ExecutableFileBusy => "busy",
            NetworkUnreachable | HostUnreachable | NetworkDown | ConnectionRefused | ConnectionReset | TimedOut => "network",
            _ => "other",
        };
        UiError::new("io").with("path", path.display()).with("cause", cause).with("detail", e)
    }

    /// A backup or transfer file that could not be read: the disk's reason, or the file's.
    pub fn read_file(path: &std::path::Path, e: ninsho_core::backup::ReadFileError) -> Self {
        match e {
            ninsho_core::backup::ReadFileError::Io(e) => UiError::io(path, &e),
            ninsho_core::backup::ReadFileError::Backup(e) => UiError::from(e).with("path", path.display()),
        }
    }

    /// A setup code made for another vendor's app, pasted where a key was expected: the
    /// sentence is the scan dialog's guidance for that app (`setup_codes.<kind>`).
    pub fn for_another_app(kind: PayloadKind) -> Self {
        let kind = serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        UiError::new("for_another_app").with("guidance", kind)
    }
}

/// A keyring failure: `reason` names a sentence under `keyring_reasons.` in the catalogs.
fn keystore_error(key: &'static str, e: &KeyStoreError) -> UiError {
    let reason = match e {
        KeyStoreError::NoService(_) => "no_service",
        KeyStoreError::NotAllowed(_) => "not_allowed",
        KeyStoreError::Locked(_) => "locked",
        KeyStoreError::Denied(_) => "denied",
        KeyStoreError::Failed(_) => "failed",
    };
    UiError::new(key).with("reason", reason).with("detail", e.detail())
}

impl From<ninsho_core::policy::ExportRefusal> for UiError {
    fn from(e: ninsho_core::policy::ExportRefusal) -> Self {
        use ninsho_core::policy::ExportRefusal::*;
        match e {
            FormatNotAllowed { allowed, set_by } => {
                UiError::new("export_format_not_allowed").with("formats", allowed.join(", ")).with("source", set_by)
            }
            Plaintext { set_by } => UiError::new("export_plaintext_forbidden").with("source", set_by),
        }
    }
}

impl From<BackupError> for UiError {
    fn from(e: BackupError) -> Self {
        match e {
            BackupError::NeedsPassword => UiError::new("backup_needs_password"),
            BackupError::WrongPassword => UiError::new("backup_wrong_password"),
            BackupError::Malformed { at, message } => UiError::new("backup_malformed").with("detail", format!("{at}: {message}")),
            BackupError::UnknownFormat => UiError::new("backup_unknown_format"),
            BackupError::ReadOnly(name) => UiError::new("backup_read_only").with("format", name),
            BackupError::PasswordRequired => UiError::new("file_password_empty"),
            BackupError::Empty => UiError::new("backup_empty"),
            BackupError::TooLarge(size) => UiError::new("backup_too_large").with("mib", size / (1024 * 1024)),
            BackupError::TooCostly { what, value, max } => {
                UiError::new("backup_too_costly").with("detail", format!("{what}: {value} (at most {max})"))
            }
        }
    }
}

impl From<VaultError> for UiError {
    fn from(e: VaultError) -> Self {
        use VaultError::*;
        match e {
            NotFound(path) => UiError::new("vault_not_found").with("path", path.display()),
            AlreadyExists(path) => UiError::new("vault_exists").with("path", path.display()),
            Io { path, source } => UiError::io(&path, &source),
            Format { path, source } => UiError::new("vault_format").with("path", path.display()).with("detail", source),
            Damaged { path, backup } => UiError::new(if backup.is_some() { "vault_damaged_backup" } else { "vault_damaged" })
                .with("path", path.display())
                .with("backup", backup.map(|b| b.display().to_string()).unwrap_or_default()),
            Keyring(e) => keystore_error("keyring_unavailable", &e),
            KeyringOnly(e) => keystore_error("keyring_only_unavailable", &e),
            NoKeyOnThisPc => UiError::new("no_key_on_this_pc"),
            NoWayToUnlock => UiError::new("no_way_to_unlock"),
            WrongPassphrase => UiError::new("wrong_passphrase"),
            NoPassphraseSlot => UiError::new("no_passphrase_slot"),
            LastSlot => UiError::new("last_slot"),
            KeyringSave(e) => keystore_error("keyring_save", &e),
            Busy(_) => UiError::new("vault_busy"),
            Replaced(_) => UiError::new("vault_replaced"),
            Crypto(e) => UiError::new("internal").with("detail", e),
        }
    }
}

impl From<SecretError> for UiError {
    fn from(e: SecretError) -> Self {
        match e {
            SecretError::Empty => UiError::new("secret_empty"),
            SecretError::InvalidCharacter(c) => UiError::new("secret_invalid_char").with("char", c),
            SecretError::InvalidLength(n) => UiError::new("secret_invalid_length").with("count", n),
        }
    }
}

impl From<OtpError> for UiError {
    fn from(e: OtpError) -> Self {
        match e {
            OtpError::Digits(n) => UiError::new("otp_digits").with("value", n),
            OtpError::Period(n) => UiError::new("otp_period").with("value", n),
            OtpError::EmptySecret => UiError::new("secret_empty"),
            OtpError::KeyTooLong(n) => UiError::new("otp_key_too_long").with("bytes", n),
        }
    }
}

impl From<ninsho_core::account::NameTooLong> for UiError {
    fn from(e: ninsho_core::account::NameTooLong) -> Self {
        UiError::new("name_too_long").with("chars", e.0)
    }
}

impl From<UriError> for UiError {
    fn from(e: UriError) -> Self {
        use UriError::*;
        match e {
            // The core names a scheme or type only where it cannot be part of a key.
            NotOtpauth(scheme) if scheme.is_empty() => UiError::new("uri_not_otpauth_unnamed"),
            NotOtpauth(scheme) => UiError::new("uri_not_otpauth").with("scheme", scheme),
            UnknownType(t) if t.is_empty() => UiError::new("uri_unknown_type_unnamed"),
            UnknownType(t) => UiError::new("uri_unknown_type").with("value", t),
            MissingSecret => UiError::new("uri_missing_secret"),
            DuplicateParameter(name) => UiError::new("uri_duplicate").with("name", name),
            LabelEncoding => UiError::new("uri_label_encoding"),
            NotANumber { name, value } => UiError::new("uri_not_a_number").with("name", name).with("value", value),
            Secret(e) => e.into(),
            Algorithm(e) => UiError::new("uri_algorithm").with("value", shortened(&e.0)),
            Otp(e) => e.into(),
            Name(e) => e.into(),
        }
    }
}

/// A value quoted from a file or URI into a sentence: enough to find it, never a page of it.
fn shortened(value: &str) -> String {
    value.chars().take(40).collect()
}

/// Where an unreadable part of a backup is, as the user's language says it ("5 行目").
impl From<&Place> for UiError {
    fn from(place: &Place) -> Self {
        match place {
            Place::Line(n) => UiError::new("place_line").with("n", n),
            Place::Entry { n, name } if name.is_empty() => UiError::new("place_entry_unnamed").with("n", n),
            Place::Entry { n, name } => UiError::new("place_entry").with("n", n).with("name", name),
            Place::QrCode { n, of } => UiError::new("place_qr_code").with("n", n).with("of", of),
            Place::Account(name) => UiError::new("place_account").with("name", name),
        }
    }
}

impl From<MigrationError> for UiError {
    fn from(e: MigrationError) -> Self {
        match e {
            MigrationError::NotMigration | MigrationError::NoData | MigrationError::Base64 | MigrationError::Protobuf(_) => {
                UiError::new("migration_damaged")
            }
            MigrationError::BatchNumbers { index, size } => UiError::new("migration_batch_numbers").with("index", index).with("size", size),
        }
    }
}

/// Why that part could not be read.
impl From<EntryError> for UiError {
    fn from(e: EntryError) -> Self {
        match e {
            EntryError::NoSecret => UiError::new("entry_no_secret"),
            EntryError::NotHex => UiError::new("entry_not_hex"),
            EntryError::Secret(e) => e.into(),
            EntryError::Unsupported(kind) => UiError::new("entry_unsupported").with("kind", kind),
            EntryError::Unknown(field, value) => UiError::new(match field {
                Field::Type => "entry_unknown_type",
                Field::Algorithm => "entry_unknown_algorithm",
                Field::Digits => "entry_unknown_digits",
                Field::Counter => "entry_unknown_counter",
            })
            .with("value", value),
            EntryError::Algorithm(e) => UiError::new("uri_algorithm").with("value", shortened(&e.0)),
            EntryError::Otp(e) => e.into(),
            EntryError::Uri(e) => e.into(),
            EntryError::NotOtpauth => UiError::new("entry_not_otpauth"),
            EntryError::Migration(e) => e.into(),
            EntryError::NotScanned { scanned, size } => UiError::new("entry_not_scanned").with("scanned", scanned).with("size", size),
            EntryError::Name(e) => e.into(),
        }
    }
}

#[cfg(test)]
pub mod tests {
    use std::path::PathBuf;

    use super::*;

    /// Fails when a key the Rust side sends has no sentence in one of the catalogs.
    fn assert_in_catalogs(keys: &[&str]) {
        for catalog in [include_str!("../../ui/src/i18n/ja.json"), include_str!("../../ui/src/i18n/en.json")] {
            let json: serde_json::Value = serde_json::from_str(catalog).unwrap();
            for key in keys {
                assert!(json["errors"][key].is_string(), "errors.{key} is missing from a catalog");
            }
        }
    }

    #[test]
    fn every_other_apps_setup_code_has_its_guidance() {
        let kinds = [PayloadKind::MicrosoftAuthenticator, PayloadKind::DuoMobile, PayloadKind::OktaVerify, PayloadKind::AppStore];
        for catalog in [include_str!("../../ui/src/i18n/ja.json"), include_str!("../../ui/src/i18n/en.json")] {
            let json: serde_json::Value = serde_json::from_str(catalog).unwrap();
            for kind in kinds {
                let name = serde_json::to_value(kind).unwrap();
                let name = name.as_str().unwrap();
                assert!(json["setup_codes"][name].is_string(), "setup_codes.{name} is missing from a catalog");
            }
        }
        let e = UiError::for_another_app(PayloadKind::OktaVerify);
        assert_eq!((e.key, e.params["guidance"].as_str()), ("for_another_app", "okta-verify"));
        assert_in_catalogs(&[e.key]);
    }

    /// Keys written literally anywhere in the app, e.g. `UiError::new("no_name")`.
    #[test]
    fn every_literal_error_key_has_a_sentence() {
        fn sources(dir: &std::path::Path, into: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    sources(&path, into);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    into.push(std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        let mut all = Vec::new();
        sources(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut all);
        let keys: Vec<&str> = all.iter().flat_map(|s| s.split("UiError::new(\"").skip(1)).filter_map(|rest| rest.split('"').next()).collect();
        assert!(keys.len() >= 40, "{keys:?}");
        assert_in_catalogs(&keys);
    }

    #[test]
    fn every_core_error_has_a_sentence() {
        let p = || PathBuf::from("/v");
        let ks = || KeyStoreError::NoService("x".into());
        let vault = [
            VaultError::NotFound(p()),
            VaultError::AlreadyExists(p()),
            VaultError::Io { path: p(), source: std::io::Error::other("x") },
            VaultError::Format { path: p(), source: ninsho_core::vault::EnvelopeError::NotAVault },
            VaultError::Damaged { path: p(), backup: None },
            VaultError::Damaged { path: p(), backup: Some(p()) },
            VaultError::Keyring(ks()),
            VaultError::KeyringOnly(ks()),
            VaultError::NoKeyOnThisPc,
            VaultError::NoWayToUnlock,
            VaultError::WrongPassphrase,
            VaultError::NoPassphraseSlot,
            VaultError::LastSlot,
            VaultError::KeyringSave(ks()),
            VaultError::Busy(p()),
            VaultError::Replaced(p()),
        ];
        let uri = [
            "https://x",
            "JBSWY3DPEHPK3PXP",
            "otpauth://x/y?secret=A",
            "otpauth://JBSWY3DPEHPK3PXP",
            "otpauth://totp/y",
            "otpauth://totp/y?secret=A&secret=B",
            "otpauth://totp/%FF?secret=AAAAAAAA",
            "otpauth://totp/y?secret=AAAAAAAA&digits=x",
            "otpauth://totp/y?secret=AAAAAAAA&algorithm=md5",
            "otpauth://totp/y?secret=",
            "otpauth://totp/y?secret=A1",
            "otpauth://totp/y?secret=AAA",
            "otpauth://totp/y?secret=AAAAAAAA&digits=4",
            "otpauth://totp/y?secret=AAAAAAAA&period=0",
        ];
        let mut keys: Vec<&'static str> = vault.into_iter().map(|e| UiError::from(e).key).collect();
        for u in uri {
            keys.push(UiError::from(u.parse::<ninsho_core::otp::uri::KeyUri>().unwrap_err()).key);
        }
        keys.push(UiError::from(OtpError::KeyTooLong(2048)).key);
        keys.push(UiError::from(ninsho_core::account::NameTooLong(1001)).key);
        keys.sort();
        keys.dedup();
        assert_eq!(keys.iter().filter(|k| k.starts_with("uri_") || k.starts_with("secret_") || k.starts_with("otp_")).count(), 15);
        assert_in_catalogs(&keys);
    }

    /// An import's unreadable parts reach a Japanese user as Japanese: every place and
    /// reason the core can give has a sentence in both catalogs.
    #[test]
    fn every_backup_problem_has_a_sentence() {
        let places = [Place::Line(5), Place::entry(2, "GitHub"), Place::entry(3, ""), Place::QrCode { n: 2, of: 3 }, Place::Account("x".into())];
        let errors = [
            EntryError::NoSecret,
            EntryError::NotHex,
            EntryError::unsupported("GOST"),
            EntryError::unknown(Field::Type, "yandex"),
            EntryError::unknown(Field::Algorithm, 9),
            EntryError::unknown(Field::Digits, 4),
            EntryError::unknown(Field::Counter, -1),
            EntryError::NotOtpauth,
            EntryError::Migration(MigrationError::Base64),
            EntryError::Migration(MigrationError::BatchNumbers { index: 4, size: 2 }),
            EntryError::NotScanned { scanned: 1, size: 2 },
        ];
        let mut keys: Vec<&str> = places.iter().map(|p| UiError::from(p).key).collect();
        keys.extend(errors.into_iter().map(|e| UiError::from(e).key));
        assert_eq!(UiError::from(&Place::Line(5)).params.get("n").map(String::as_str), Some("5"));
        assert_in_catalogs(&keys);
    }

    #[test]
    fn every_keyring_reason_has_a_sentence() {
        let all = [
            KeyStoreError::NoService("x".into()),
            KeyStoreError::NotAllowed("x".into()),
            KeyStoreError::Locked("x".into()),
            KeyStoreError::Denied("x".into()),
            KeyStoreError::Failed("x".into()),
        ];
        for catalog in [include_str!("../../ui/src/i18n/ja.json"), include_str!("../../ui/src/i18n/en.json")] {
            let json: serde_json::Value = serde_json::from_str(catalog).unwrap();
            for e in &all {
                let ui = UiError::from(VaultError::Keyring(e.clone()));
                let reason = &ui.params["reason"];
                assert!(json["keyring_reasons"][reason].is_string(), "keyring_reasons.{reason} is missing");
                assert_eq!(ui.params["detail"], "x");
            }
        }
    }

    #[test]
    fn every_export_remark_has_a_sentence() {
        for catalog in [include_str!("../../ui/src/i18n/ja.json"), include_str!("../../ui/src/i18n/en.json")] {
            let json: serde_json::Value = serde_json::from_str(catalog).unwrap();
            for remark in ninsho_core::backup::Remark::ALL {
                let key = serde_json::to_value(remark).unwrap();
                let key = key.as_str().unwrap();
                assert!(json["transfer"]["remarks"][key].is_string(), "transfer.remarks.{key} is missing");
            }
        }
    }
}
