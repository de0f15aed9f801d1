//! The one screen that asks a user whose accounts have no safety net (no vault passphrase,
//! no automatic backups) to set one up: on the first start, once more after the first
//! account is added, then at most once a month. What it showed is remembered in its own
//! file in the config folder (Settings are rewritten whole by the settings form).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use zeroize::Zeroizing;

use crate::error::UiError;
use crate::state::{AppState, now};

const MONTH: u64 = 30 * 24 * 60 * 60;

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown {
    pub last: Option<u64>,
    /// Shown while the vault held at least one account.
    pub with_accounts: bool,
}

/// Whether to show the screen now.
pub fn due(shown: &Shown, protected: bool, accounts: usize, now: u64) -> bool {
    if protected {
        return false;
    }
    match shown.last {
        None => true,
        Some(_) if accounts > 0 && !shown.with_accounts => true,
        Some(last) => now.saturating_sub(last) >= MONTH,
    }
}

fn path(app: &AppHandle) -> Option<PathBuf> {
    app.path().app_config_dir().ok().map(|dir| dir.join("protect-prompt.json"))
}

fn read(path: &Path) -> Shown {
    std::fs::read(path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

/// True when the screen should be shown now; showing it is remembered at once, so a
/// skipped screen does not come back at the next start.
#[tauri::command]
pub fn protect_prompt_due(app: AppHandle, state: State<'_, AppState>) -> bool {
    let Some(path) = path(&app) else { return false };
    let Ok((protected, accounts)) = state.with_vault(|v| Ok((v.has_passphrase() || v.auto_backup().is_some(), v.accounts().len()))) else {
        return false;
    };
    let shown = read(&path);
    let time = now();
    if !due(&shown, protected, accounts, time) {
        return false;
    }
    let next = Shown { last: Some(time), with_accounts: shown.with_accounts || accounts > 0 };
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    std::fs::write(&path, serde_json::to_vec(&next).expect("always serializes")).is_ok()
}

/// Adds (or replaces) the vault passphrase, which opens the vault on any PC and after this
/// PC's keyring is lost. A change re-encrypts the vault under a new key (see
/// `Vault::set_passphrase`).
#[tauri::command]
pub async fn set_passphrase(app: AppHandle, passphrase: Zeroizing<String>) -> Result<(), UiError> {
    if passphrase.is_empty() {
        return Err(UiError::new("passphrase_empty"));
    }
    tauri::async_runtime::spawn_blocking(move || {
        app.state::<AppState>().with_vault(|v| Ok(v.set_passphrase(&passphrase, &ninsho_core::vault::OsKeyring)?))
    })
    .await
    .map_err(|e| UiError::new("internal").with("detail", e))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_start_then_first_account_then_monthly_and_never_once_protected() {
        let t0 = 1_800_000_000;
        let mut shown = Shown::default();
        assert!(due(&shown, false, 0, t0), "first start");
        assert!(!due(&shown, true, 0, t0), "a passphrase or backups: never");
        shown = Shown { last: Some(t0), with_accounts: false };
        assert!(!due(&shown, false, 0, t0 + 60), "skipped: not again at the next start");
        assert!(due(&shown, false, 1, t0 + 600), "once more after the first account");
        shown = Shown { last: Some(t0 + 600), with_accounts: true };
        assert!(!due(&shown, false, 5, t0 + 600 + MONTH - 1), "not within a month");
        assert!(due(&shown, false, 5, t0 + 600 + MONTH), "a month later");
        assert!(!due(&shown, true, 5, t0 + 600 + MONTH));
    }
}
