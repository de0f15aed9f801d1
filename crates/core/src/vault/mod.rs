//! The encrypted vault: one file, contents sealed with AES-256-GCM under a random data
//! key, the data key wrapped once per unlock method (keyring slot, passphrase slot).

mod crypto;
mod envelope;
mod keystore;
mod passphrase_key;
pub(crate) mod storage;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::account::Account;
pub use crypto::KdfParams;
use crypto::{CryptoError, KEY_LEN, Key, NONCE_LEN, SALT_LEN};
pub use envelope::EnvelopeError;
use envelope::{Header, Slot};
pub use keystore::{KeyStore, KeyStoreError, OsKeyring};
pub use passphrase_key::PassphraseKey;
pub use storage::backup_path;
use storage::{LockError, WriteLock};

/// How long a writer waits for another Ninsho process before reporting the vault busy.
const LOCK_TIMEOUT: Duration = Duration::from_secs(10);
const CONTENTS_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("there is no vault at {0}")]
    NotFound(PathBuf),
    #[error("a vault already exists at {0}")]
    AlreadyExists(PathBuf),
    #[error("could not read or write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path} cannot be opened: {source}")]
    Format { path: PathBuf, source: EnvelopeError },
    #[error(
        "{path} is damaged or was changed outside Ninsho, so it was not opened and will not be overwritten{}",
        backup.as_ref().map(|b| format!("; the previous good copy is {}", b.display())).unwrap_or_default()
    )]
    Damaged { path: PathBuf, backup: Option<PathBuf> },
    #[error("{0}; open the vault with its passphrase instead")]
    Keyring(KeyStoreError),
    #[error("{0}, and this vault has no passphrase, so only the keyring can open it")]
    KeyringOnly(KeyStoreError),
    #[error("this PC's keyring holds no key for this vault; open it with its passphrase")]
    NoKeyOnThisPc,
    #[error("this PC's keyring holds no key for this vault and the vault has no passphrase, so it cannot be opened here")]
    NoWayToUnlock,
    #[error("the passphrase is wrong")]
    WrongPassphrase,
    #[error("this vault has no passphrase; it opens only with the keyring of the PC that made it")]
    NoPassphraseSlot,
    #[error("the vault would have no way left to unlock it")]
    LastSlot,
    #[error("the OS keyring could not store the vault key: {0}")]
    KeyringSave(KeyStoreError),
    #[error("another Ninsho window or command is saving {0}; try again in a moment")]
    Busy(PathBuf),
    #[error("{0} was replaced by a different vault while it was open; open it again")]
    Replaced(PathBuf),
    #[error("{0}")]
    Crypto(#[from] CryptoError),
}

type Result<T, E = VaultError> = std::result::Result<T, E>;

/// How to unlock an existing vault.
#[derive(Clone, Copy)]
pub enum Unlock<'a> {
    Keyring(&'a dyn KeyStore),
    Passphrase(&'a str),
}

/// Accounts stay restorable this long after they were deleted.
pub const KEEP_DELETED_SECS: u64 = 30 * 24 * 60 * 60;

/// A deleted account, kept (encrypted, like every account) so it can be restored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedAccount {
    pub account: Account,
    /// Unix time (seconds).
    pub deleted_at: u64,
}

/// Where automatic backups go, and the key their password gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupSetting {
    pub folder: PathBuf,
    pub key: PassphraseKey,
}

/// What the vault holds besides the accounts. Vaults from before these existed read as
/// empty, and an empty part is not written, so older Ninsho versions still open the file.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Extras {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    deleted: Vec<DeletedAccount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    auto_backup: Option<BackupSetting>,
}

#[derive(Serialize, Deserialize)]
struct Contents {
    version: u32,
    accounts: Vec<Account>,
    #[serde(flatten)]
    extras: Extras,
}

/// Drops deletions older than [`KEEP_DELETED_SECS`].
fn forget_old_deletions(deleted: &mut Vec<DeletedAccount>, now: u64) {
    deleted.retain(|d| now.saturating_sub(d.deleted_at) < KEEP_DELETED_SECS);
}

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// An unlocked vault. Reads come from memory; every change re-reads the file under the
/// write lock, applies the change and saves, so concurrent app and CLI edits both land.
pub struct Vault {
    path: PathBuf,
    header: Header,
    data_key: Key,
    accounts: Vec<Account>,
    /// Boxed: it is rarely touched, and `Vault` is moved around by value in the shells.
    extras: Box<Extras>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("path", &self.path).field("accounts", &self.accounts.len()).finish_non_exhaustive()
    }
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> VaultError + '_ {
    move |source| VaultError::Io { path: path.to_owned(), source }
}

fn lock(path: &Path) -> Result<WriteLock> {
    WriteLock::acquire(path, LOCK_TIMEOUT).map_err(|e| match e {
        LockError::Busy => VaultError::Busy(path.to_owned()),
        LockError::Io(source) => VaultError::Io { path: path.to_owned(), source },
    })
}

fn read_file(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => VaultError::NotFound(path.to_owned()),
        _ => VaultError::Io { path: path.to_owned(), source: e },
    })
}

fn wrap(wrapping_key: &[u8; KEY_LEN], id: &Uuid, data_key: &Key) -> Result<([u8; NONCE_LEN], Vec<u8>)> {
    let nonce = crypto::random_bytes::<NONCE_LEN>()?;
    Ok((nonce, crypto::seal(wrapping_key, &nonce, data_key.as_ref(), &Slot::aad(id))))
}

fn unwrap_key(wrapping_key: &[u8], id: &Uuid, nonce: &[u8; NONCE_LEN], wrapped: &[u8]) -> Option<Key> {
    let wrapping_key: &[u8; KEY_LEN] = wrapping_key.try_into().ok()?;
    let plain = crypto::open(wrapping_key, nonce, wrapped, &Slot::aad(id)).ok()?;
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    key.copy_from_slice(plain.get(..KEY_LEN).filter(|_| plain.len() == KEY_LEN)?);
    Some(key)
}

fn keyring_slot(store: &dyn KeyStore, data_key: &Key) -> Result<Slot> {
    let id = Uuid::new_v4();
    let wrapping_key = crypto::random_key()?;
    store.save(&id, wrapping_key.as_ref()).map_err(VaultError::KeyringSave)?;
    let (nonce, wrapped_key) = wrap(&wrapping_key, &id, data_key)?;
    Ok(Slot::Keyring { id, nonce, wrapped_key })
}

fn passphrase_slot(passphrase: &str, data_key: &Key) -> Result<Slot> {
    let id = Uuid::new_v4();
    let salt = crypto::random_bytes::<SALT_LEN>()?.to_vec();
    let kdf = KdfParams::DEFAULT;
    let wrapping_key = crypto::derive_key(passphrase, &salt, kdf)?;
    let (nonce, wrapped_key) = wrap(&wrapping_key, &id, data_key)?;
    Ok(Slot::Passphrase { id, kdf, salt, nonce, wrapped_key })
}

/// Finds the data key through the first slot the unlock method opens.
fn unlock_data_key(header: &Header, unlock: Unlock<'_>) -> Result<Key> {
    let has_passphrase = header.slots.iter().any(|s| matches!(s, Slot::Passphrase { .. }));
    match unlock {
        Unlock::Keyring(store) => {
            for slot in &header.slots {
                if let Slot::Keyring { id, nonce, wrapped_key } = slot {
                    let found = store.load(id).map_err(|e| if has_passphrase { VaultError::Keyring(e) } else { VaultError::KeyringOnly(e) })?;
                    if let Some(key) = found.and_then(|k| unwrap_key(&k, id, nonce, wrapped_key)) {
                        return Ok(key);
                    }
                }
            }
            Err(if has_passphrase { VaultError::NoKeyOnThisPc } else { VaultError::NoWayToUnlock })
        }
        Unlock::Passphrase(passphrase) => {
            if !has_passphrase {
                return Err(VaultError::NoPassphraseSlot);
            }
            for slot in &header.slots {
                if let Slot::Passphrase { id, kdf, salt, nonce, wrapped_key } = slot {
                    let wrapping_key = crypto::derive_key(passphrase, salt, *kdf)?;
                    if let Some(key) = unwrap_key(wrapping_key.as_ref(), id, nonce, wrapped_key) {
                        return Ok(key);
                    }
                }
            }
            Err(VaultError::WrongPassphrase)
        }
    }
}

fn seal_file(header: &Header, data_key: &Key, accounts: &[Account], extras: &Extras) -> Result<Vec<u8>> {
    #[derive(Serialize)]
    struct ContentsRef<'a> {
        version: u32,
        accounts: &'a [Account],
        #[serde(flatten)]
        extras: &'a Extras,
    }
    let plain = Zeroizing::new(serde_json::to_vec(&ContentsRef { version: CONTENTS_VERSION, accounts, extras }).expect("accounts always serialize"));
    let aad = envelope::header_bytes(header);
    let nonce = crypto::random_bytes::<NONCE_LEN>()?;
    let ciphertext = crypto::seal(data_key, &nonce, &plain, &aad);
    Ok(envelope::encode(&aad, &nonce, &ciphertext))
}

impl Vault {
    /// Creates a new vault with a keyring slot, a passphrase slot, or both.
    pub fn create(path: &Path, keyring: Option<&dyn KeyStore>, passphrase: Option<&str>) -> Result<Vault> {
        if keyring.is_none() && passphrase.is_none() {
            return Err(VaultError::LastSlot);
        }
        let _lock = lock(path)?;
        if path.exists() {
            return Err(VaultError::AlreadyExists(path.to_owned()));
        }
        let data_key = crypto::random_key()?;
        let mut slots = Vec::new();
        if let Some(store) = keyring {
            slots.push(keyring_slot(store, &data_key)?);
        }
        if let Some(passphrase) = passphrase {
            slots.push(passphrase_slot(passphrase, &data_key)?);
        }
        let header = Header { version: envelope::FORMAT_VERSION, vault_id: Uuid::new_v4(), slots };
        let bytes = seal_file(&header, &data_key, &[], &Extras::default())?;
        storage::create_new(path, &bytes).map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => VaultError::AlreadyExists(path.to_owned()),
            _ => VaultError::Io { path: path.to_owned(), source: e },
        })?;
        Ok(Vault { path: path.to_owned(), header, data_key, accounts: Vec::new(), extras: Box::default() })
    }

    pub fn open(path: &Path, unlock: Unlock<'_>) -> Result<Vault> {
        let bytes = read_file(path)?;
        let envelope = envelope::decode(&bytes).map_err(|source| VaultError::Format { path: path.to_owned(), source })?;
        let data_key = unlock_data_key(&envelope.header, unlock)?;
        let contents = decrypt_contents(path, &envelope, &data_key)?;
        Ok(Vault { path: path.to_owned(), header: envelope.header, data_key, accounts: contents.accounts, extras: Box::new(contents.extras) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    pub fn has_passphrase(&self) -> bool {
        self.header.slots.iter().any(|s| matches!(s, Slot::Passphrase { .. }))
    }

    pub fn has_keyring_slot(&self) -> bool {
        self.header.slots.iter().any(|s| matches!(s, Slot::Keyring { .. }))
    }

    /// Accounts deleted in the last 30 days, newest first.
    pub fn deleted(&self) -> Vec<&DeletedAccount> {
        let mut deleted: Vec<&DeletedAccount> = self.extras.deleted.iter().collect();
        deleted.sort_by_key(|d| std::cmp::Reverse(d.deleted_at));
        deleted
    }

    pub fn auto_backup(&self) -> Option<&BackupSetting> {
        self.extras.auto_backup.as_ref()
    }

    /// Picks up changes another process saved.
    pub fn reload(&mut self) -> Result<()> {
        let (header, contents) = self.read_current()?;
        self.header = header;
        self.accounts = contents.accounts;
        *self.extras = contents.extras;
        Ok(())
    }

    /// Applies `change` to the latest saved accounts and saves the result atomically.
    /// If `change` fails, nothing is written and the vault in memory is unchanged.
    pub fn update<T, E: From<VaultError>>(&mut self, change: impl FnOnce(&mut Vec<Account>) -> Result<T, E>) -> Result<T, E> {
        self.update_contents(|accounts, _| change(accounts))
    }

    fn update_contents<T, E: From<VaultError>>(&mut self, change: impl FnOnce(&mut Vec<Account>, &mut Extras) -> Result<T, E>) -> Result<T, E> {
        let _lock = lock(&self.path)?;
        let (header, mut contents) = self.read_current()?;
        let out = change(&mut contents.accounts, &mut contents.extras)?;
        self.write(header, contents.accounts, contents.extras)?;
        Ok(out)
    }

    /// Deletes accounts, keeping them restorable for [`KEEP_DELETED_SECS`]. Returns what
    /// was deleted (ids no longer stored are skipped).
    pub fn delete(&mut self, ids: &[Uuid], now: u64) -> Result<Vec<Account>> {
        self.update_contents(|accounts, extras| {
            let (gone, kept): (Vec<Account>, Vec<Account>) = std::mem::take(accounts).into_iter().partition(|a| ids.contains(&a.id));
            *accounts = kept;
            extras.deleted.extend(gone.iter().map(|a| DeletedAccount { account: a.clone(), deleted_at: now }));
            Ok(gone)
        })
    }

    /// Puts deleted accounts back at the end of the list, under their old ids.
    pub fn undelete(&mut self, ids: &[Uuid]) -> Result<Vec<Account>> {
        self.update_contents(|accounts, extras| {
            let (back, kept): (Vec<DeletedAccount>, Vec<DeletedAccount>) =
                std::mem::take(&mut extras.deleted).into_iter().partition(|d| ids.contains(&d.account.id));
            extras.deleted = kept;
            let mut position = accounts.iter().map(|a| a.position + 1).max().unwrap_or(0);
            let mut restored = Vec::new();
            for d in back {
                if accounts.iter().any(|a| a.id == d.account.id) {
                    continue;
                }
                let mut account = d.account;
                account.position = position;
                position += 1;
                accounts.push(account.clone());
                restored.push(account);
            }
            Ok(restored)
        })
    }

    /// Forgets every deleted account for good. Returns how many there were.
    pub fn empty_deleted(&mut self) -> Result<usize> {
        self.update_contents(|_, extras| Ok(std::mem::take(&mut extras.deleted).len()))
    }

    /// Turns automatic backups on (or changes their folder or password), or off.
    pub fn set_auto_backup(&mut self, setting: Option<BackupSetting>) -> Result<()> {
        self.update_contents(|_, extras| {
            extras.auto_backup = setting;
            Ok(())
        })
    }

    /// Sets (or changes) the passphrase, under a new data key: an old passphrase, an old
    /// copy of the file (a roaming profile, a sync history, the `.bak`) and other PCs'
    /// keyring slots open nothing saved from now on. This PC's keyring gets a new slot if
    /// it had one; other PCs ask for the new passphrase once.
    pub fn set_passphrase(&mut self, passphrase: &str, keyring: &dyn KeyStore) -> Result<()> {
        self.rekey(keyring, Some(passphrase))
    }

    /// Removes the passphrase, under a new data key: the vault then opens only with this
    /// PC's keyring (other PCs' slots go with the old key, and no passphrase is left to
    /// enroll them again).
    pub fn remove_passphrase(&mut self, keyring: &dyn KeyStore) -> Result<()> {
        if !self.has_passphrase() {
            return Err(VaultError::NoPassphraseSlot);
        }
        self.rekey(keyring, None)
    }

    /// The new key's slots are made (and this PC's new keyring entry saved) before the file
    /// is replaced, and the old keyring entries deleted only after, so a failure at any
    /// step leaves a vault that opens the way it did.
    fn rekey(&mut self, keyring: &dyn KeyStore, passphrase: Option<&str>) -> Result<()> {
        let _lock = lock(&self.path)?;
        let (header, contents) = self.read_current()?;
        let keep_keyring =
            header.slots.iter().any(|s| matches!(s, Slot::Keyring { .. })) && unlock_data_key(&header, Unlock::Keyring(keyring)).is_ok();
        if !keep_keyring && passphrase.is_none() {
            return Err(VaultError::LastSlot);
        }
        let data_key = crypto::random_key()?;
        let mut slots = Vec::new();
        if let Some(passphrase) = passphrase {
            slots.push(passphrase_slot(passphrase, &data_key)?);
        }
        if keep_keyring {
            slots.push(keyring_slot(keyring, &data_key)?);
        }
        let new_keyring_slot = slots.iter().find(|s| matches!(s, Slot::Keyring { .. })).map(Slot::id);
        // A new id: another process that has the vault open with the old key is told the
        // file was replaced, instead of finding it undecryptable and calling it damaged.
        let new_header = Header { version: header.version, vault_id: Uuid::new_v4(), slots };
        let mut extras = contents.extras;
        forget_old_deletions(&mut extras.deleted, unix_now());
        let written = seal_file(&new_header, &data_key, &contents.accounts, &extras)
            .and_then(|bytes| storage::replace_forgetting_previous(&self.path, &bytes).map_err(io_error(&self.path)));
        if let Err(e) = written {
            if let Some(id) = new_keyring_slot {
                let _ = keyring.delete(&id);
            }
            return Err(e);
        }
        for slot in &header.slots {
            if let Slot::Keyring { id, .. } = slot
                && keyring.load(id).ok().flatten().is_some()
            {
                let _ = keyring.delete(id);
            }
        }
        self.header = new_header;
        self.data_key = data_key;
        self.accounts = contents.accounts;
        *self.extras = extras;
        Ok(())
    }

    /// Whether `passphrase` opens this vault as it is open now (not merely some file at its
    /// path): the lock's passphrase check.
    pub fn check_passphrase(&self, passphrase: &str) -> Result<()> {
        let key = unlock_data_key(&self.header, Unlock::Passphrase(passphrase))?;
        if key.as_ref() == self.data_key.as_ref() { Ok(()) } else { Err(VaultError::WrongPassphrase) }
    }

    /// Lets this PC's keyring open the vault from now on (after it was opened with the
    /// passphrase, e.g. on a second PC). Other PCs' keyring slots stay.
    pub fn add_keyring_slot(&mut self, store: &dyn KeyStore) -> Result<()> {
        let slot = keyring_slot(store, &self.data_key)?;
        let id = slot.id();
        self.change_slots(|slots| {
            slots.push(slot);
            Ok(())
        })
        .inspect_err(|_| {
            let _ = store.delete(&id);
        })
    }

    /// True when `store` holds a key that opens this vault.
    pub fn keyring_opens(&self, store: &dyn KeyStore) -> bool {
        unlock_data_key(&self.header, Unlock::Keyring(store)).is_ok()
    }

    fn change_slots(&mut self, change: impl FnOnce(&mut Vec<Slot>) -> Result<()>) -> Result<()> {
        let _lock = lock(&self.path)?;
        let (mut header, contents) = self.read_current()?;
        change(&mut header.slots)?;
        self.write(header, contents.accounts, contents.extras)
    }

    /// The file as saved now, decrypted with the key this vault was unlocked with.
    fn read_current(&self) -> Result<(Header, Contents)> {
        let bytes = read_file(&self.path)?;
        let envelope = envelope::decode(&bytes).map_err(|source| VaultError::Format { path: self.path.clone(), source })?;
        if envelope.header.vault_id != self.header.vault_id {
            return Err(VaultError::Replaced(self.path.clone()));
        }
        let contents = decrypt_contents(&self.path, &envelope, &self.data_key)?;
        Ok((envelope.header, contents))
    }

    fn write(&mut self, header: Header, accounts: Vec<Account>, mut extras: Extras) -> Result<()> {
        forget_old_deletions(&mut extras.deleted, unix_now());
        let bytes = seal_file(&header, &self.data_key, &accounts, &extras)?;
        storage::replace(&self.path, &bytes).map_err(io_error(&self.path))?;
        self.header = header;
        self.accounts = accounts;
        *self.extras = extras;
        Ok(())
    }
}

/// True when the bytes start like a vault (or transfer) file.
pub fn is_vault_file(bytes: &[u8]) -> bool {
    bytes.starts_with(envelope::MAGIC)
}

/// A transfer file: the vault format with only a passphrase slot, held in memory.
pub fn seal_transfer(accounts: &[Account], passphrase: &str) -> Result<Vec<u8>> {
    let data_key = crypto::random_key()?;
    let header = Header { version: envelope::FORMAT_VERSION, vault_id: Uuid::new_v4(), slots: vec![passphrase_slot(passphrase, &data_key)?] };
    seal_file(&header, &data_key, accounts, &Extras::default())
}

pub fn open_transfer(bytes: &[u8], passphrase: &str) -> Result<Vec<Account>> {
    let path = Path::new("transfer file");
    let envelope = envelope::decode(bytes).map_err(|source| VaultError::Format { path: path.to_owned(), source })?;
    let data_key = unlock_data_key(&envelope.header, Unlock::Passphrase(passphrase))?;
    decrypt_contents(path, &envelope, &data_key).map(|c| c.accounts)
}

fn decrypt_contents(path: &Path, envelope: &envelope::Envelope<'_>, data_key: &Key) -> Result<Contents> {
    let plain = decrypt_plain(path, envelope, data_key)?;
    serde_json::from_slice(&plain).map_err(|_| damaged(path))
}

fn damaged(path: &Path) -> VaultError {
    let backup = backup_path(path);
    VaultError::Damaged { path: path.to_owned(), backup: backup.exists().then_some(backup) }
}

fn decrypt_plain(path: &Path, envelope: &envelope::Envelope<'_>, data_key: &Key) -> Result<Zeroizing<Vec<u8>>> {
    crypto::open(data_key, &envelope.nonce, envelope.ciphertext, envelope.aad).map_err(|_| damaged(path))
}

#[cfg(test)]
mod tests;
