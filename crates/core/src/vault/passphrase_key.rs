//! A passphrase turned into its wrapping key once, so that files sealed for that passphrase
//! (automatic backups, written after every change) cost no key derivation each time, and
//! still open with the passphrase alone anywhere.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::crypto::{self, KEY_LEN, KdfParams, Key, SALT_LEN};
use super::envelope::{self, Header, Slot, b64, b64_array};
use super::{Contents, Extras, Result, VaultError, decrypt_plain, seal_file, unwrap_key, wrap};
use crate::account::Account;

/// The derived key and what derived it. It is kept only inside the encrypted vault.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassphraseKey {
    kdf: KdfParams,
    #[serde(with = "b64")]
    salt: Vec<u8>,
    #[serde(with = "b64_array")]
    key: [u8; KEY_LEN],
}

impl Drop for PassphraseKey {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.key);
    }
}

impl std::fmt::Debug for PassphraseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PassphraseKey(…)")
    }
}

impl PassphraseKey {
    pub fn derive(passphrase: &str) -> Result<PassphraseKey> {
        let salt = crypto::random_bytes::<SALT_LEN>()?.to_vec();
        let kdf = KdfParams::DEFAULT;
        let key = crypto::derive_key(passphrase, &salt, kdf)?;
        Ok(PassphraseKey { kdf, salt, key: *key })
    }

    /// A transfer file for these accounts that opens with the passphrase.
    pub fn seal(&self, accounts: &[Account]) -> Result<Vec<u8>> {
        let data_key = crypto::random_key()?;
        let id = Uuid::new_v4();
        let (nonce, wrapped_key) = wrap(&self.key, &id, &data_key)?;
        let slot = Slot::Passphrase { id, kdf: self.kdf, salt: self.salt.clone(), nonce, wrapped_key };
        let header = Header { version: envelope::FORMAT_VERSION, vault_id: Uuid::new_v4(), slots: vec![slot] };
        seal_file(&header, &data_key, accounts, &Extras::default())
    }

    /// Opens a transfer file sealed with this key. `Ok(None)` when the file was sealed for
    /// another passphrase (made before the password was changed): only it can open that.
    pub fn open(&self, bytes: &[u8]) -> Result<Option<Vec<Account>>> {
        self.open_as::<Contents>(bytes).map(|c| c.map(|c| c.accounts))
    }

    /// Only the ids of the accounts a file holds: retention reads every backup in the
    /// folder after each change, and parsing keys and names there would be wasted.
    pub fn held_ids(&self, bytes: &[u8]) -> Result<Option<Vec<Uuid>>> {
        #[derive(Deserialize)]
        struct Id {
            id: Uuid,
        }
        #[derive(Deserialize)]
        struct Ids {
            accounts: Vec<Id>,
        }
        self.open_as::<Ids>(bytes).map(|c| c.map(|c| c.accounts.into_iter().map(|a| a.id).collect()))
    }

    fn open_as<T: serde::de::DeserializeOwned>(&self, bytes: &[u8]) -> Result<Option<T>> {
        let path = std::path::Path::new("backup file");
        let envelope = envelope::decode(bytes).map_err(|source| VaultError::Format { path: path.to_owned(), source })?;
        for slot in &envelope.header.slots {
            if let Slot::Passphrase { id, kdf, salt, nonce, wrapped_key } = slot
                && *salt == self.salt
                && *kdf == self.kdf
            {
                let data_key: Key = unwrap_key(&self.key, id, nonce, wrapped_key).ok_or(VaultError::WrongPassphrase)?;
                let plain = decrypt_plain(path, &envelope, &data_key)?;
                return serde_json::from_slice(&plain).map(Some).map_err(|_| VaultError::Damaged { path: path.to_owned(), backup: None });
            }
        }
        Ok(None)
    }
}
