//! The bottom of the app: what it holds while it runs (the vault or why it is not open,
//! the lock, the settings with the organization's over them, the clock's offset) and the one
//! answer to "may this call see accounts now". Every feature module reads and changes the
//! app through this; none of it knows about windows, the tray or the page.

pub mod clock;
pub mod lock;
pub mod managed;
pub mod settings;

use std::path::PathBuf;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use ninsho_core::paths::default_vault_path;
use ninsho_core::vault::{OsKeyring, Unlock, Vault, VaultError};
use serde::Serialize;

use crate::error::UiError;
use lock::LockView;
use settings::Settings;

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
    pub clipboard: crate::clipboard::CodeClipboard,
    pub clock: clock::ClockState,
    /// The desktop showed the tray icon, so closing the window may hide it there.
    pub has_tray: std::sync::atomic::AtomicBool,
    /// The organization's settings, read at start and again while the app runs.
    pub policy: Mutex<ninsho_core::policy::Report>,
    pub lock: lock::LockState,
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

#[derive(Serialize)]
pub struct VaultStatus {
    open: bool,
    error: Option<UiError>,
    has_passphrase: bool,
    vault_exists: bool,
    /// While locked: the last automatic backup, from the status file beside the vault,
    /// which a PC that lost the vault's key can restore with the backup password.
    latest_backup: Option<ninsho_core::autobackup::Success>,
}

/// How a vault came to be opened: whether the person at the PC just proved they may see
/// it (typed the vault passphrase or a backup's password), or it opened by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// The keyring opened it: with the lock on, it starts locked (anyone at the PC can
    /// start Ninsho, or press "try again").
    ByItself,
    Proven,
}

impl AppState {
    /// The vault once it is no longer opening.
    pub fn settled_vault(&self) -> MutexGuard<'_, VaultState> {
        let guard = self.vault.lock().expect("vault lock");
        self.vault_changed.wait_while(guard, |v| matches!(v, VaultState::Opening)).expect("vault lock")
    }

    /// Hands an opened (or failed) vault to the app. The lock is decided under the vault's
    /// own mutex, before any waiting command can see the vault.
    pub fn install_vault(&self, vault: VaultState, how: Opened) {
        let mut guard = self.vault.lock().expect("vault lock");
        if how == Opened::ByItself
            && let VaultState::Open(v) = &vault
            && self.settings().lock_enabled
            && self.lock_can_engage(v)
        {
            self.lock.engage();
        }
        *guard = vault;
        drop(guard);
        self.vault_changed.notify_all();
    }

    /// The one answer to "may this call see accounts now": the vault is settled and open,
    /// and the lock, checked while holding the vault, is off.
    pub fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> Result<T, UiError>) -> Result<T, UiError> {
        let mut guard = self.settled_vault();
        self.lock.ensure_unlocked()?;
        Self::open_or_why(&mut guard, f)
    }

    /// [`Self::with_vault`] without waiting for a vault still opening (`None` then), for
    /// what must not hold its thread: the tray's menu, the first screen.
    pub fn with_vault_now<T>(&self, f: impl FnOnce(&mut Vault) -> Result<T, UiError>) -> Option<Result<T, UiError>> {
        let mut guard = self.vault.lock().expect("vault lock");
        if matches!(*guard, VaultState::Opening) {
            return None;
        }
        Some(self.lock.ensure_unlocked().and_then(|()| Self::open_or_why(&mut guard, f)))
    }

    /// The vault for the app's own work that shows nothing (a scheduled backup).
    pub fn with_vault_even_locked<T>(&self, f: impl FnOnce(&mut Vault) -> Result<T, UiError>) -> Result<T, UiError> {
        Self::open_or_why(&mut self.settled_vault(), f)
    }

    fn open_or_why<T>(vault: &mut VaultState, f: impl FnOnce(&mut Vault) -> Result<T, UiError>) -> Result<T, UiError> {
        match vault {
            VaultState::Open(vault) => f(vault),
            VaultState::Locked(reason) => Err(reason.clone()),
            VaultState::Opening => unreachable!("settled_vault waits until the vault is opened"),
        }
    }

    /// Whether the lock can hold: the vault has a passphrase (the way in that always
    /// works), or the organization requires the lock, when the OS's user check is the way in.
    pub fn lock_can_engage(&self, vault: &Vault) -> bool {
        vault.has_passphrase() || self.policy().policy.lock_required()
    }

    /// [`Self::lock_can_engage`] for the vault now open; false while none is.
    pub fn open_vault_can_lock(&self) -> bool {
        matches!(&*self.vault.lock().expect("vault lock"), VaultState::Open(v) if self.lock_can_engage(v))
    }

    /// Account names for the tray without waiting: empty while the vault is opening or the
    /// app is locked.
    pub fn account_names(&self) -> Vec<(uuid::Uuid, String)> {
        self.with_vault_now(|v| Ok(ninsho_core::account::display_order(v.accounts()).iter().map(|a| (a.id, a.display_name())).collect()))
            .and_then(Result::ok)
            .unwrap_or_default()
    }

    /// Locks, where the lock can hold (see [`Self::lock_can_engage`]), deciding under the
    /// vault's mutex. True when it was not locked before; what the lock hides goes with it.
    pub fn engage_lock(&self) -> bool {
        let guard = self.vault.lock().expect("vault lock");
        let engaged = matches!(&*guard, VaultState::Open(v) if self.lock_can_engage(v)) && self.lock.engage();
        drop(guard);
        if engaged {
            self.clipboard.clear_now();
        }
        engaged
    }

    pub fn lock_view(&self) -> LockView {
        let policy = self.policy().policy;
        LockView {
            enabled: self.settings().lock_enabled,
            locked: self.lock.is_locked(),
            passphrase: self.vault_has_passphrase(),
            required: policy.lock_required(),
            os_check: crate::os_check::NAME,
            max_minutes: policy.lock_max_minutes.map(|m| m.value),
        }
    }

    /// Whether the vault is open and, if not, why: what the page shows before the list.
    pub fn vault_status(&self) -> VaultStatus {
        match &*self.settled_vault() {
            VaultState::Open(v) => {
                VaultStatus { open: true, error: None, has_passphrase: v.has_passphrase(), vault_exists: true, latest_backup: None }
            }
            VaultState::Locked(e) => VaultStatus {
                open: false,
                error: Some(e.clone()),
                has_passphrase: false,
                vault_exists: self.vault_path.exists(),
                latest_backup: ninsho_core::autobackup::Status::read(&self.vault_path).last_success.filter(|s| s.file.exists()),
            },
            VaultState::Opening => unreachable!("settled_vault waits until the vault is opened"),
        }
    }

    /// The settings in force: the user's, with the organization's managed values.
    pub fn settings(&self) -> Settings {
        managed::effective(&self.user_settings(), &self.policy().policy)
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use ninsho_core::policy::{Managed, Report, Source};

    use super::*;

    fn app_state(dir: &tempfile::TempDir, lock_enabled: bool, lock_required: bool) -> AppState {
        let mut policy = Report::default();
        if lock_required {
            policy.policy.lock_required = Some(Managed { value: true, source: Source("test policy".into()) });
        }
        AppState {
            vault_path: dir.path().join("vault.ninsho"),
            vault: Mutex::new(VaultState::Opening),
            vault_changed: Condvar::new(),
            settings: Mutex::new(Settings { lock_enabled, ..Settings::default() }),
            settings_path: dir.path().join("settings.json"),
            os_locale: None,
            clipboard: crate::clipboard::CodeClipboard::default(),
            clock: clock::ClockState::default(),
            has_tray: std::sync::atomic::AtomicBool::new(false),
            policy: Mutex::new(policy),
            lock: lock::LockState::default(),
        }
    }

    fn vault(dir: &tempfile::TempDir) -> VaultState {
        VaultState::Open(Vault::create(&dir.path().join("vault.ninsho"), None, Some("pass")).unwrap())
    }

    /// A keyring for one vault, kept in memory.
    #[derive(Default)]
    struct Keyring(Mutex<std::collections::HashMap<uuid::Uuid, Vec<u8>>>);

    impl ninsho_core::vault::KeyStore for Keyring {
        fn load(&self, slot: &uuid::Uuid) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>, ninsho_core::vault::KeyStoreError> {
            Ok(self.0.lock().unwrap().get(slot).cloned().map(zeroize::Zeroizing::new))
        }
        fn save(&self, slot: &uuid::Uuid, key: &[u8]) -> Result<(), ninsho_core::vault::KeyStoreError> {
            self.0.lock().unwrap().insert(*slot, key.to_vec());
            Ok(())
        }
        fn delete(&self, slot: &uuid::Uuid) -> Result<(), ninsho_core::vault::KeyStoreError> {
            self.0.lock().unwrap().remove(slot);
            Ok(())
        }
    }

    /// A command made while the vault is still opening waits for it, and then meets the
    /// lock that came with it: it never sees the vault before the lock engaged.
    #[test]
    fn a_call_made_while_the_vault_opens_meets_the_start_lock() {
        let dir = tempfile::tempdir().unwrap();
        let state = Arc::new(app_state(&dir, true, false));
        let waiting = {
            let state = state.clone();
            std::thread::spawn(move || state.with_vault(|v| Ok(v.accounts().len())))
        };
        std::thread::sleep(std::time::Duration::from_millis(200));
        state.install_vault(vault(&dir), Opened::ByItself);
        assert_eq!(waiting.join().unwrap().unwrap_err().key, "app_locked");
    }

    #[test]
    fn a_vault_that_opened_by_itself_starts_locked_and_a_proven_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let state = app_state(&dir, true, false);
        state.install_vault(vault(&dir), Opened::ByItself);
        assert!(state.lock.is_locked(), "\"try again\" after a keyring failure is no way around the lock");

        let dir = tempfile::tempdir().unwrap();
        let state = app_state(&dir, true, false);
        state.install_vault(vault(&dir), Opened::Proven);
        assert!(!state.lock.is_locked(), "the passphrase was just typed");

        let dir = tempfile::tempdir().unwrap();
        let state = app_state(&dir, false, false);
        state.install_vault(vault(&dir), Opened::ByItself);
        assert!(!state.lock.is_locked(), "the lock is off");
    }

    #[test]
    fn a_required_lock_holds_on_a_vault_without_a_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.ninsho");
        let keyring = Keyring::default();
        let opened = VaultState::Open(Vault::create(&path, Some(&keyring), None).unwrap());

        let state = app_state(&dir, true, false);
        assert!(!matches!(&opened, VaultState::Open(v) if state.lock_can_engage(v)), "the user's own lock needs a passphrase");
        let state = app_state(&dir, true, true);
        state.install_vault(opened, Opened::ByItself);
        assert!(state.lock.is_locked());
        assert_eq!(state.with_vault(|_| Ok(())).unwrap_err().key, "app_locked");
        assert!(state.with_vault_even_locked(|_| Ok(())).is_ok(), "scheduled backups still run");
    }
}
