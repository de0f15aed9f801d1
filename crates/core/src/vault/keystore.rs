//! Where the keyring slot's wrapping key lives: the OS keyring.
//!
//! Ninsho links `keyring-core` and one store per platform, chosen on purpose (the `keyring`
//! crate itself is sample glue that its authors advise applications not to link):
//! - **macOS: the login keychain** (`apple-native-keyring-store`, `keychain`). The
//!   data-protection keychain needs a provisioning profile and keychain-access-group
//!   entitlements, which the `ninsho` CLI cannot have, and the CLI must open the same vault.
//!   A login-keychain item trusts the app that created it by its code signature: after an
//!   update signed by the same Developer ID nothing is asked; an unsigned or ad-hoc signed
//!   build is a different program to macOS, which then asks once to allow access
//!   ("Always Allow").
//! - **Windows: Credential Manager** (`windows-native-keyring-store`), generic credentials
//!   with *local-machine* persistence: the key stays on this PC even when a roaming profile
//!   carries the vault to another one, which then opens it with the passphrase and adds its
//!   own keyring slot. Where policy forbids saved credentials (or the sign-in has no
//!   profile), Windows answers `ERROR_NO_SUCH_LOGON_SESSION`; that reads as
//!   [`KeyStoreError::NotAllowed`] and leads to the passphrase.
//! - **Linux and the BSDs: the Secret Service** (`zbus-secret-service-keyring-store`, pure
//!   Rust over D-Bus: GNOME Keyring, KWallet, KeePassXC).

use std::sync::{Arc, Mutex};

use keyring_core::{CredentialStore, Entry, Error as KeyringError};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::paths::APP_ID;

/// What went wrong with the OS keyring, in terms a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyStoreError {
    #[error("no keyring service is running for this session ({0})")]
    NoService(String),
    #[error("this sign-in may not keep saved credentials (a policy, or a sign-in without a user profile) ({0})")]
    NotAllowed(String),
    #[error("the keyring is locked; unlock it (log in again) and retry ({0})")]
    Locked(String),
    #[error("access to the keyring was declined ({0})")]
    Denied(String),
    #[error("the OS keyring failed: {0}")]
    Failed(String),
}

impl KeyStoreError {
    /// The platform's own words, for the details line.
    pub fn detail(&self) -> &str {
        match self {
            KeyStoreError::NoService(d)
            | KeyStoreError::NotAllowed(d)
            | KeyStoreError::Locked(d)
            | KeyStoreError::Denied(d)
            | KeyStoreError::Failed(d) => d,
        }
    }
}

/// A store of per-slot wrapping keys.
pub trait KeyStore {
    fn load(&self, slot: &Uuid) -> Result<Option<Zeroizing<Vec<u8>>>, KeyStoreError>;
    fn save(&self, slot: &Uuid, key: &[u8]) -> Result<(), KeyStoreError>;
    fn delete(&self, slot: &Uuid) -> Result<(), KeyStoreError>;
}

/// The OS keyring, under service `jp.ninsho.app` and one entry per keyring slot.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsKeyring;

/// The platforms whose keyring errors read differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    MacOs,
    Windows,
    SecretService,
}

impl Platform {
    pub const CURRENT: Platform = if cfg!(target_os = "macos") {
        Platform::MacOs
    } else if cfg!(windows) {
        Platform::Windows
    } else {
        Platform::SecretService
    };
}

// Security framework result codes (SecBase.h) that need words of their own.
const ERR_SEC_USER_CANCELED: i32 = -128;
const ERR_SEC_AUTH_FAILED: i32 = -25293;
const ERR_SEC_INTERACTION_NOT_ALLOWED: i32 = -25308;
const ERR_SEC_NOT_AVAILABLE: i32 = -25291;

/// Reads a keyring error as what it means on `platform`. `status` is the macOS Security
/// framework's result code when the error carries one. Keyring errors can carry the stored
/// bytes (`BadEncoding`); those never reach the message.
pub fn classify(platform: Platform, error: &KeyringError, status: Option<i32>) -> KeyStoreError {
    let detail = || match error {
        KeyringError::PlatformFailure(inner) | KeyringError::NoStorageAccess(inner) => inner.to_string(),
        KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => "the stored key has an unexpected form".into(),
        other => other.to_string(),
    };
    match (platform, error) {
        (_, KeyringError::NoDefaultStore) => KeyStoreError::NoService(detail()),
        (Platform::MacOs, _) => match status {
            Some(ERR_SEC_USER_CANCELED | ERR_SEC_AUTH_FAILED) => KeyStoreError::Denied(detail()),
            Some(ERR_SEC_INTERACTION_NOT_ALLOWED) => KeyStoreError::Locked(detail()),
            Some(ERR_SEC_NOT_AVAILABLE) => KeyStoreError::NoService(detail()),
            _ => KeyStoreError::Failed(detail()),
        },
        // The Windows store reports access trouble only for ERROR_NO_SUCH_LOGON_SESSION.
        (Platform::Windows, KeyringError::NoStorageAccess(_)) => KeyStoreError::NotAllowed(detail()),
        (Platform::SecretService, KeyringError::NoStorageAccess(inner)) => {
            if inner.to_string().to_ascii_lowercase().contains("prompt") {
                KeyStoreError::Denied(detail())
            } else {
                KeyStoreError::Locked(detail())
            }
        }
        (Platform::SecretService, KeyringError::PlatformFailure(_)) if is_missing_service(&detail()) => KeyStoreError::NoService(detail()),
        _ => KeyStoreError::Failed(detail()),
    }
}

/// D-Bus's words when no session bus or no Secret Service answers.
fn is_missing_service(detail: &str) -> bool {
    let d = detail.to_ascii_lowercase();
    ["dbus_session_bus_address", "serviceunknown", "was not provided by any", "no such file", "connection refused"]
        .iter()
        .any(|needle| d.contains(needle))
}

fn map_error(error: KeyringError) -> KeyStoreError {
    let status = security_status(&error);
    classify(Platform::CURRENT, &error, status)
}

#[cfg(target_os = "macos")]
fn security_status(error: &KeyringError) -> Option<i32> {
    match error {
        KeyringError::PlatformFailure(inner) | KeyringError::NoStorageAccess(inner) => {
            inner.downcast_ref::<security_framework::base::Error>().map(|e| e.code())
        }
        _ => None,
    }
}

#[cfg(not(target_os = "macos"))]
fn security_status(_: &KeyringError) -> Option<i32> {
    None
}

#[cfg(target_os = "macos")]
fn open_store() -> Result<Arc<CredentialStore>, KeyringError> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(windows)]
fn open_store() -> Result<Arc<CredentialStore>, KeyringError> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(not(any(target_os = "macos", windows)))]
fn open_store() -> Result<Arc<CredentialStore>, KeyringError> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

/// Only a store that opened is kept: a keyring daemon that starts after Ninsho (a session
/// still logging in) is found on the next attempt.
static STORE: Mutex<Option<Arc<CredentialStore>>> = Mutex::new(None);

fn store() -> Result<Arc<CredentialStore>, KeyStoreError> {
    let mut cached = STORE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(store) = cached.as_ref() {
        return Ok(store.clone());
    }
    let store = open_store().map_err(map_error)?;
    *cached = Some(store.clone());
    Ok(store)
}

fn entry(slot: &Uuid) -> Result<Entry, KeyStoreError> {
    let user = format!("vault-key-{slot}");
    let modifiers = if cfg!(windows) { Some(std::collections::HashMap::from([("persistence", "Local")])) } else { None };
    store()?.build(APP_ID, &user, modifiers.as_ref()).map_err(map_error)
}

impl KeyStore for OsKeyring {
    fn load(&self, slot: &Uuid) -> Result<Option<Zeroizing<Vec<u8>>>, KeyStoreError> {
        match entry(slot)?.get_secret() {
            Ok(bytes) => Ok(Some(Zeroizing::new(bytes))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    fn save(&self, slot: &Uuid, key: &[u8]) -> Result<(), KeyStoreError> {
        entry(slot)?.set_secret(key).map_err(map_error)
    }

    fn delete(&self, slot: &Uuid) -> Result<(), KeyStoreError> {
        match entry(slot)?.delete_credential() {
            Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Words(&'static str);
    impl std::fmt::Display for Words {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }
    impl std::error::Error for Words {}

    fn platform_failure(words: &'static str) -> KeyringError {
        KeyringError::PlatformFailure(Box::new(Words(words)))
    }
    fn no_access(words: &'static str) -> KeyringError {
        KeyringError::NoStorageAccess(Box::new(Words(words)))
    }

    #[test]
    fn windows_without_saved_credentials_reads_as_not_allowed() {
        let e = classify(Platform::Windows, &no_access("Windows ERROR_NO_SUCH_LOGON_SESSION"), None);
        assert_eq!(e, KeyStoreError::NotAllowed("Windows ERROR_NO_SUCH_LOGON_SESSION".into()));
        let other = classify(Platform::Windows, &platform_failure("Windows error code 1312"), None);
        assert!(matches!(other, KeyStoreError::Failed(_)));
    }

    #[test]
    fn macos_result_codes_read_as_what_the_user_did() {
        let e = platform_failure("User canceled the operation.");
        assert!(matches!(classify(Platform::MacOs, &e, Some(-128)), KeyStoreError::Denied(_)));
        assert!(matches!(classify(Platform::MacOs, &e, Some(-25293)), KeyStoreError::Denied(_)));
        assert!(matches!(classify(Platform::MacOs, &e, Some(-25308)), KeyStoreError::Locked(_)));
        assert!(matches!(classify(Platform::MacOs, &no_access("not available"), Some(-25291)), KeyStoreError::NoService(_)));
        assert!(matches!(classify(Platform::MacOs, &e, Some(-25299)), KeyStoreError::Failed(_)));
        assert!(matches!(classify(Platform::MacOs, &e, None), KeyStoreError::Failed(_)));
    }

    #[test]
    fn secret_service_locked_dismissed_and_missing() {
        assert!(matches!(classify(Platform::SecretService, &no_access("The collection is locked"), None), KeyStoreError::Locked(_)));
        assert!(matches!(classify(Platform::SecretService, &no_access("Prompt was dismissed"), None), KeyStoreError::Denied(_)));
        let missing = platform_failure("D-Bus error: The name org.freedesktop.secrets was not provided by any .service files");
        assert!(matches!(classify(Platform::SecretService, &missing, None), KeyStoreError::NoService(_)));
        let no_bus = platform_failure("I/O error: No such file or directory (os error 2)");
        assert!(matches!(classify(Platform::SecretService, &no_bus, None), KeyStoreError::NoService(_)));
        assert!(matches!(classify(Platform::SecretService, &platform_failure("Crypto error"), None), KeyStoreError::Failed(_)));
    }

    #[test]
    fn no_store_on_any_platform_reads_as_no_service() {
        for p in [Platform::MacOs, Platform::Windows, Platform::SecretService] {
            assert!(matches!(classify(p, &KeyringError::NoDefaultStore, None), KeyStoreError::NoService(_)));
        }
    }

    #[test]
    fn stored_bytes_never_reach_the_message() {
        let e = KeyringError::BadEncoding(b"SECRETBYTES".to_vec());
        for p in [Platform::MacOs, Platform::Windows, Platform::SecretService] {
            let mapped = classify(p, &e, None);
            assert!(!mapped.to_string().contains("SECRETBYTES"), "{mapped}");
            assert!(!format!("{mapped:?}").contains("SECRETBYTES"));
        }
    }
}

#[cfg(test)]
pub(crate) mod memory {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use super::*;

    /// An in-process store for unit tests of the vault logic; the real keyring has its own
    /// tests against a Secret Service daemon.
    #[derive(Default)]
    pub struct MemoryKeyStore(pub RefCell<HashMap<Uuid, Vec<u8>>>);

    impl KeyStore for MemoryKeyStore {
        fn load(&self, slot: &Uuid) -> Result<Option<Zeroizing<Vec<u8>>>, KeyStoreError> {
            Ok(self.0.borrow().get(slot).cloned().map(Zeroizing::new))
        }
        fn save(&self, slot: &Uuid, key: &[u8]) -> Result<(), KeyStoreError> {
            self.0.borrow_mut().insert(*slot, key.to_vec());
            Ok(())
        }
        fn delete(&self, slot: &Uuid) -> Result<(), KeyStoreError> {
            self.0.borrow_mut().remove(slot);
            Ok(())
        }
    }
}
