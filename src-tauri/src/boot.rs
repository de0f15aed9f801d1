//! The first screen's data, handed to the page with its window.

use serde::Serialize;
use tauri::{AppHandle, Manager};

use crate::account_view::{ListView, list_view};
use crate::app::{AppInfo, info_of};
use crate::clock::ClockView;
use crate::state::{AppState, VaultStatus};

/// Everything the first screen needs. It is handed to the page before its scripts run
/// (an initialization script), so the first codes are painted without waiting for three
/// IPC round trips. Labels, codes and expiry times only, as every command returns.
#[derive(Serialize)]
pub struct Boot {
    info: AppInfo,
    status: VaultStatus,
    list: Option<ListView>,
    clock: ClockView,
}

/// `None` while the vault is still opening: the page then asks for all this itself.
pub fn boot(app: &AppHandle) -> Option<Boot> {
    let state = app.state::<AppState>();
    let time = state.now();
    // The script stays with the window and runs again on every reload of the page: with
    // the lock on, a list in it would outlive a lock that engaged later, so the page
    // asks for the list instead (the lock is checked then).
    let lock_on = state.settings().lock_enabled;
    let list = state.with_vault_now(|v| Ok((!lock_on).then(|| list_view(v, time))))?.ok().flatten();
    Some(Boot { info: info_of(app), status: state.vault_status(), list, clock: crate::clock::view(app) })
}
