//! Ninsho's own transfer file, the recommended way between two PCs: the vault format
//! with only a passphrase slot (Argon2id + AES-256-GCM), so labels, pins and order travel
//! too and nothing in it is readable without the passphrase.

use super::{BackupError, Entry, Format, Parsed, Problems, Written};
use crate::account::Account;
use crate::vault::{self, EnvelopeError, VaultError};

pub struct NinshoTransfer;

impl Format for NinshoTransfer {
    fn id(&self) -> &'static str {
        "ninsho"
    }
    fn name(&self) -> &'static str {
        "Ninsho transfer file (encrypted)"
    }
    fn detect(&self, bytes: &[u8]) -> bool {
        vault::is_vault_file(bytes)
    }
    fn read(&self, bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
        let password = password.ok_or(BackupError::NeedsPassword)?;
        let accounts = vault::open_transfer(bytes, password).map_err(|e| match e {
            VaultError::WrongPassphrase => BackupError::WrongPassword,
            VaultError::Format { source: EnvelopeError::TooCostly(c), .. } => BackupError::TooCostly { what: c.what, value: c.value, max: c.max },
            other => BackupError::malformed("file", other),
        })?;
        let mut ordered: Vec<&Account> = accounts.iter().collect();
        ordered.sort_by_key(|a| a.position);
        Ok(Parsed { entries: ordered.into_iter().map(Entry::from).collect(), problems: Problems::default() })
    }
    fn write(&self, entries: &[Entry], password: Option<&str>) -> Option<Result<Written, BackupError>> {
        let Some(password) = password else {
            return Some(Err(BackupError::PasswordRequired));
        };
        let accounts: Vec<Account> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let mut a = Account::from_draft(e.clone().into_draft(), i as u32, 0);
                a.pinned = e.pinned;
                a
            })
            .collect();
        Some(vault::seal_transfer(&accounts, password).map(Written::one).map_err(|e| BackupError::malformed("file", e)))
    }
    fn encrypted(&self) -> bool {
        true
    }
}
