//! Where the keyring slot's wrapping key lives: the OS keyring (macOS Keychain, Windows
//! Credential Manager, the Secret Service on Linux).

use uuid::Uuid;
use zeroize::Zeroizing;

use crate::paths::APP_ID;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyStoreError {
    #[error("the OS keyring cannot be reached ({0})")]
    Unavailable(String),
    #[error("the OS keyring refused access; unlock it (log in again) and retry ({0})")]
    Refused(String),
    #[error("the OS keyring failed: {0}")]
    Failed(String),
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

fn entry(slot: &Uuid) -> Result<keyring::Entry, KeyStoreError> {
    keyring::Entry::new(APP_ID, &format!("vault-key-{slot}")).map_err(map_error)
}

/// Keyring errors can carry the stored bytes (`BadEncoding`); never pass those on.
fn map_error(e: keyring::Error) -> KeyStoreError {
    use keyring::Error as E;
    match e {
        E::NoStorageAccess(inner) => KeyStoreError::Refused(inner.to_string()),
        E::NoDefaultStore => KeyStoreError::Unavailable("no keyring service is running for this session".into()),
        E::PlatformFailure(inner) => KeyStoreError::Unavailable(inner.to_string()),
        E::BadEncoding(_) | E::BadDataFormat(..) => KeyStoreError::Failed("the stored key has an unexpected form".into()),
        other => KeyStoreError::Failed(other.to_string()),
    }
}

impl KeyStore for OsKeyring {
    fn load(&self, slot: &Uuid) -> Result<Option<Zeroizing<Vec<u8>>>, KeyStoreError> {
        match entry(slot)?.get_secret() {
            Ok(bytes) => Ok(Some(Zeroizing::new(bytes))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    fn save(&self, slot: &Uuid, key: &[u8]) -> Result<(), KeyStoreError> {
        entry(slot)?.set_secret(key).map_err(map_error)
    }

    fn delete(&self, slot: &Uuid) -> Result<(), KeyStoreError> {
        match entry(slot)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e)),
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
