//! The vault as every command gets it: found and unlocked the way a person expects (the
//! keyring without a prompt, the passphrase when the keyring can't, no silent fallback to
//! plain files), and backed up after each change a command saves. The layer below every
//! command: what they all need after opening the vault is here too.

use std::borrow::Cow;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result, anyhow, bail};
use ninsho_core::autobackup;
use ninsho_core::paths::default_vault_path;
use ninsho_core::vault::{BackupSetting, OsKeyring, Unlock, Vault, VaultError};
use zeroize::Zeroizing;

pub struct Context {
    vault: Option<PathBuf>,
    passphrase_env: Option<String>,
    pub json: bool,
}

pub fn read_env_passphrase(var: &str) -> Result<Zeroizing<String>> {
    let value = std::env::var(var).map_err(|_| anyhow!("the environment variable {var} (named by a --*-env option) is not set"))?;
    if value.is_empty() {
        bail!("the environment variable {var} is empty; a passphrase cannot be empty");
    }
    Ok(Zeroizing::new(value))
}

pub fn prompt(text: &str) -> Result<Zeroizing<String>> {
    if !std::io::stdin().is_terminal() {
        bail!("a passphrase is needed; pass it with --passphrase-env VAR when not at a terminal");
    }
    Ok(Zeroizing::new(rpassword::prompt_password(text).context("could not read the passphrase")?))
}

/// A new passphrase or password (`what` names it in messages): from the environment
/// variable when one is named, else typed twice at the terminal.
pub fn new_secret(var: Option<&str>, question: &str, what: &str) -> Result<Zeroizing<String>> {
    if let Some(var) = var {
        return read_env_passphrase(var);
    }
    let first = prompt(question)?;
    let again = prompt("Type it again: ")?;
    if first != again {
        bail!("the two {what}s differ; nothing was changed");
    }
    if first.is_empty() {
        bail!("a {what} cannot be empty");
    }
    Ok(first)
}

impl Context {
    pub fn new(vault: Option<PathBuf>, passphrase_env: Option<String>, json: bool) -> Self {
        Context { vault, passphrase_env, json }
    }

    pub fn path(&self) -> Result<PathBuf> {
        self.vault
            .clone()
            .or_else(default_vault_path)
            .ok_or_else(|| anyhow!("this system has no per-user data folder; name the vault with --vault PATH"))
    }

    fn passphrase(&self) -> Result<Option<Zeroizing<String>>> {
        self.passphrase_env.as_deref().map(read_env_passphrase).transpose()
    }

    /// Opens the existing vault.
    pub fn open(&self) -> Result<Vault> {
        let path = self.path()?;
        if let Some(passphrase) = self.passphrase()? {
            let mut vault = Vault::open(&path, Unlock::Passphrase(&passphrase))?;
            self.remember_on_this_pc(&mut vault);
            return Ok(vault);
        }
        match Vault::open(&path, Unlock::Keyring(&OsKeyring)) {
            Err(VaultError::NotFound(path)) => {
                bail!("there is no vault at {} yet; add an account with `ninsho add` to create it", path.display())
            }
            Err(e @ (VaultError::NoKeyOnThisPc | VaultError::Keyring(_))) if std::io::stdin().is_terminal() => {
                eprintln!("{e}.");
                let passphrase = prompt("Vault passphrase: ")?;
                let mut vault = Vault::open(&path, Unlock::Passphrase(&passphrase))?;
                self.remember_on_this_pc(&mut vault);
                Ok(vault)
            }
            other => Ok(other?),
        }
    }

    /// Opens the vault, creating it when it does not exist yet.
    pub fn open_or_create(&self) -> Result<Vault> {
        let path = self.path()?;
        if path.exists() {
            return self.open();
        }
        let passphrase = self.passphrase()?;
        if let Some(passphrase) = &passphrase {
            return Ok(match Vault::create(&path, Some(&OsKeyring), Some(passphrase)) {
                Err(VaultError::KeyringSave(_)) => Vault::create(&path, None, Some(passphrase))?,
                other => other?,
            });
        }
        match Vault::create(&path, Some(&OsKeyring), None) {
            Err(VaultError::KeyringSave(e)) => Err(anyhow!(
                "{e}. Ninsho keeps no keys in plain files; to create a vault that opens with a passphrase \
                 instead, run again with --passphrase-env VAR"
            )),
            other => Ok(other?),
        }
    }

    /// After a passphrase unlock, let this PC's keyring open the vault from now on. A
    /// keyring that can't be reached is not an error here: the passphrase still works.
    /// Said on stderr with --json too: the vault file changed, and whoever can use this
    /// user's keyring can open the vault from now on.
    fn remember_on_this_pc(&self, vault: &mut Vault) {
        if vault.keyring_opens(&OsKeyring) {
            return;
        }
        if vault.add_keyring_slot(&OsKeyring).is_ok() {
            eprintln!("ninsho: from now on, this PC's keyring opens the vault without the passphrase.");
        }
    }
}

/// Called after every change a command saved: writes the automatic backup when it is on. A
/// failure does not fail the command (the change is saved); it is said on stderr.
pub fn after_change(vault: &Vault) {
    let Some(setting) = vault.auto_backup() else { return };
    // A folder the organization set later applies to backups set up before it, as in the
    // app (which also moves the stored setting); the password stays the same.
    let managed = ninsho_core::policy::load().policy.auto_backup_folder.and_then(|m| managed_folder(&m.value).ok());
    let setting = match managed {
        Some(folder) if !same_folder(&setting.folder, &folder) && std::fs::create_dir_all(&folder).is_ok() => {
            Cow::Owned(BackupSetting { folder, key: setting.key.clone() })
        }
        _ => Cow::Borrowed(setting),
    };
    if let Err(e) = autobackup::run(vault.path(), &setting, vault.accounts(), now()) {
        eprintln!("ninsho: the change is saved, but the automatic backup failed: {e}; it will be retried after the next change");
    }
}

/// The organization's backup folder for this user, with its variables filled in.
pub fn managed_folder(pattern: &str) -> Result<PathBuf> {
    ninsho_core::policy::folder_for_this_user(pattern)
        .map_err(|missing| anyhow!("the backup folder your organization set, {pattern}, names {missing}, which is not set on this PC"))
}

pub fn same_folder(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// Now in Unix seconds: what changes are stamped with and codes are computed for.
pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default()
}
