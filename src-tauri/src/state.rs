//! What the app holds while it runs: the vault (or why it is locked) and the settings.

use std::path::PathBuf;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use ninsho_core::paths::default_vault_path;
use ninsho_core::vault::{OsKeyring, Unlock, Vault, VaultError};

use crate::error::UiError;
use crate::settings::Settings;

pub enum VaultState {
    /// Still being opened in the background (the keyring can take a moment); commands
    /// that need it wait, the tray shows it once ready.
    Opening,
    Open(Vault),
    /// Not open, and why: the UI shows the sentence and what to do next.
    Locked(UiError),
}

pub struct AppState {
    pub vault_path: PathBuf,
    pub vault: Mutex<VaultState>,
    pub vault_changed: Condvar,
    pub settings: Mutex<Settings>,
    pub settings_path: PathBuf,
    pub os_locale: Option<String>,
    /// The last code put on the clipboard, so that clearing it later never wipes
    /// something else the user copied meanwhile.
    pub clipboard_code: Mutex<Option<String>>,
    pub clock: crate::clock::ClockState,
    /// The desktop showed the tray icon, so closing the window may hide it there.
    pub has_tray: std::sync::atomic::AtomicBool,
    /// The organization's settings, read at start and again while the app runs.
    pub policy: Mutex<ninsho_core::policy::Report>,
    pub lock: crate::lock::LockState,
}

pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default()
}

pub fn vault_path() -> Result<PathBuf, UiError> {
    std::env::var_os("NINSHO_VAULT").map(PathBuf::from).or_else(default_vault_path).ok_or_else(|| UiError::new("no_data_folder"))
}

/// Opens the vault with the keyring; on first start, creates it.
pub fn open_vault(path: &std::path::Path) -> VaultState {
    let opened = match Vault::open(path, Unlock::Keyring(&OsKeyring)) {
        Err(VaultError::NotFound(_)) => Vault::create(path, Some(&OsKeyring), None),
        other => other,
    };
    match opened {
        Ok(vault) => VaultState::Open(vault),
        Err(e) => VaultState::Locked(e.into()),
    }
}

impl AppState {
    /// The vault once it is no longer opening.
    pub fn settled_vault(&self) -> MutexGuard<'_, VaultState> {
        let guard = self.vault.lock().expect("vault lock");
        self.vault_changed.wait_while(guard, |v| matches!(v, VaultState::Opening)).expect("vault lock")
    }

    pub fn set_vault(&self, vault: VaultState) {
        *self.vault.lock().expect("vault lock") = vault;
        self.vault_changed.notify_all();
    }

    /// The vault for what the user asked; refused while the app is locked.
    pub fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> Result<T, UiError>) -> Result<T, UiError> {
        self.lock.ensure_unlocked()?;
        self.with_vault_even_locked(f)
    }

    /// The vault for the app's own work that shows nothing (a scheduled backup).
    pub fn with_vault_even_locked<T>(&self, f: impl FnOnce(&mut Vault) -> Result<T, UiError>) -> Result<T, UiError> {
        match &mut *self.settled_vault() {
            VaultState::Open(vault) => f(vault),
            VaultState::Locked(reason) => Err(reason.clone()),
            VaultState::Opening => unreachable!("settled_vault waits until the vault is opened"),
        }
    }

    /// Account names for the tray without waiting: empty while the vault is opening or the
    /// app is locked.
    pub fn account_names(&self) -> Vec<(uuid::Uuid, String)> {
        if self.lock.is_locked() {
            return Vec::new();
        }
        match &*self.vault.lock().expect("vault lock") {
            VaultState::Open(v) => ninsho_core::account::display_order(v.accounts()).iter().map(|a| (a.id, a.display_name())).collect(),
            _ => Vec::new(),
        }
    }

    /// The settings in force: the user's, with the organization's managed values.
    pub fn settings(&self) -> Settings {
        crate::policy::effective(&self.user_settings(), &self.policy().policy)
    }

    /// The settings as the user chose them.
    pub fn user_settings(&self) -> Settings {
        self.settings.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn policy(&self) -> ninsho_core::policy::Report {
        self.policy.lock().map(|p| p.clone()).unwrap_or_default()
    }

    pub fn vault_has_passphrase(&self) -> bool {
        matches!(&*self.vault.lock().expect("vault lock"), VaultState::Open(v) if v.has_passphrase())
    }

    /// The time codes are made for: this PC's clock, or network time when the user turned
    /// correction on (for PCs whose clock IT has locked).
    pub fn now(&self) -> u64 {
        let correction = self.clock.correction(self.settings().clock_correction);
        now().saturating_add_signed(correction)
    }

    pub fn language(&self) -> &'static str {
        self.settings().resolved_language(self.os_locale.as_deref())
    }
}
