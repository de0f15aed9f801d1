//! What the app holds while it runs: the vault (or why it is locked) and the settings.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use ninsho_core::paths::default_vault_path;
use ninsho_core::vault::{OsKeyring, Unlock, Vault, VaultError};

use crate::error::UiError;
use crate::settings::Settings;

pub enum VaultState {
    Open(Vault),
    /// Not open, and why: the UI shows the sentence and what to do next.
    Locked(UiError),
}

pub struct AppState {
    pub vault_path: PathBuf,
    pub vault: Mutex<VaultState>,
    pub settings: Mutex<Settings>,
    pub settings_path: PathBuf,
    pub os_locale: Option<String>,
    /// The last code put on the clipboard, so that clearing it later never wipes
    /// something else the user copied meanwhile.
    pub clipboard_code: Mutex<Option<String>>,
    pub clock: crate::clock::ClockState,
}

pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default()
}

pub fn vault_path() -> Result<PathBuf, UiError> {
    std::env::var_os("NINSHO_VAULT")
        .map(PathBuf::from)
        .or_else(default_vault_path)
        .ok_or_else(|| UiError::new("no_data_folder"))
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
    pub fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> Result<T, UiError>) -> Result<T, UiError> {
        let mut guard = self.vault.lock().map_err(|_| UiError::new("internal").with("detail", "lock poisoned"))?;
        match &mut *guard {
            VaultState::Open(vault) => f(vault),
            VaultState::Locked(reason) => Err(reason.clone()),
        }
    }

    pub fn settings(&self) -> Settings {
        self.settings.lock().map(|s| s.clone()).unwrap_or_default()
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
