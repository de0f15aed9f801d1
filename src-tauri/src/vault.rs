//! Opening the vault: with the keyring (again, after the user unlocked it), with the vault
//! passphrase on a PC whose keyring lacks its key, or creating one with a passphrase only.

use ninsho_core::vault::{OsKeyring, Unlock, Vault, VaultError};
use tauri::{AppHandle, State};
use zeroize::Zeroizing;

use crate::error::UiError;
use crate::events::{self, Change};
use crate::state::{AppState, Opened, VaultState, VaultStatus, open_vault};

/// Async so that waiting for the vault to open never holds the main thread.
#[tauri::command]
pub async fn status(state: State<'_, AppState>) -> Result<VaultStatus, UiError> {
    Ok(state.vault_status())
}

/// Tries the keyring again (after the user unlocked their keychain or logged in again).
#[tauri::command]
pub async fn reopen(app: AppHandle, state: State<'_, AppState>) -> Result<VaultStatus, UiError> {
    let path = state.vault_path.clone();
    let opened = tauri::async_runtime::spawn_blocking(move || open_vault(&path)).await.map_err(|e| UiError::new("internal").with("detail", e))?;
    state.install_vault(opened, Opened::ByItself);
    events::tell(&app, Change::VaultOpened);
    Ok(state.vault_status())
}

/// Opens the vault with its passphrase (on a PC whose keyring lacks its key) and lets this
/// PC's keyring open it from then on.
#[tauri::command]
pub async fn unlock(app: AppHandle, state: State<'_, AppState>, passphrase: Zeroizing<String>) -> Result<VaultStatus, UiError> {
    let path = state.vault_path.clone();
    let vault = tauri::async_runtime::spawn_blocking(move || {
        let mut vault = Vault::open(&path, Unlock::Passphrase(&passphrase))?;
        if !vault.keyring_opens(&OsKeyring) {
            let _ = vault.add_keyring_slot(&OsKeyring);
        }
        Ok::<_, VaultError>(vault)
    })
    .await
    .map_err(|e| UiError::new("internal").with("detail", e))??;
    Ok(opened(&app, &state, vault))
}

/// Creates the vault with a passphrase only, where no keyring can be reached.
#[tauri::command]
pub async fn create_with_passphrase(app: AppHandle, state: State<'_, AppState>, passphrase: Zeroizing<String>) -> Result<VaultStatus, UiError> {
    if passphrase.is_empty() {
        return Err(UiError::new("passphrase_empty"));
    }
    let path = state.vault_path.clone();
    let vault = tauri::async_runtime::spawn_blocking(move || Vault::create(&path, None, Some(&passphrase)))
        .await
        .map_err(|e| UiError::new("internal").with("detail", e))??;
    Ok(opened(&app, &state, vault))
}

fn opened(app: &AppHandle, state: &AppState, vault: Vault) -> VaultStatus {
    state.install_vault(VaultState::Open(vault), Opened::Proven);
    events::tell(app, Change::VaultOpened);
    state.vault_status()
}
