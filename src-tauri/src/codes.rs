//! Handing out a code: to the clipboard from the window or the tray, never one about to
//! expire.

use std::time::Duration;

use ninsho_core::Method;
use ninsho_core::vault::VaultError;
use serde::Serialize;
use tauri::{AppHandle, Manager};
use uuid::Uuid;

use crate::error::UiError;
use crate::events::{self, Change};
use crate::state::AppState;

/// Sites count a code typed after it expired as a failed attempt (and lock the account
/// after a few); with less than this left, the next code is copied instead.
pub const MIN_SECONDS_TO_COPY: u64 = 3;

#[derive(Serialize)]
pub struct Copied {
    /// The next code was copied because the current one had under 3 s left.
    used_next: bool,
    /// Seconds until the copied code becomes valid (0 when it already is).
    valid_in: u64,
}

/// Puts an account's code on the clipboard and clears it later if it is still there.
pub fn copy(app: &AppHandle, id: Uuid) -> Result<Copied, UiError> {
    let state = app.state::<AppState>();
    let time = state.now();
    let mut counter_used = false;
    let (code, used_next) = state.with_vault(|v| {
        let account = v.accounts().iter().find(|a| a.id == id).ok_or_else(|| UiError::new("account_not_found"))?;
        let (code, used_next) = account.otp.code_to_copy(time, MIN_SECONDS_TO_COPY);
        if let Method::Hotp { .. } = account.otp.method {
            // A counter-based code is used up once handed out.
            v.update(|accounts| {
                if let Some(Method::Hotp { counter }) = accounts.iter_mut().find(|a| a.id == id).map(|a| &mut a.otp.method) {
                    *counter = counter.saturating_add(1);
                }
                Ok::<_, VaultError>(())
            })?;
            counter_used = true;
        }
        Ok((code, used_next))
    })?;
    if counter_used {
        events::tell(app, Change::Accounts);
    }
    let copy = state.clipboard.put(&code.code).map_err(|e| UiError::new("clipboard").with("detail", e))?;
    // The lock may have engaged (and cleared the clipboard) since the code was made.
    if state.lock.is_locked() {
        state.clipboard.clear_now();
        return Err(UiError::new("app_locked"));
    }
    schedule_clipboard_clear(app.clone(), copy, state.settings().clipboard_clear_seconds);
    Ok(Copied { used_next, valid_in: code.valid_from.unwrap_or(time).saturating_sub(time) })
}

fn schedule_clipboard_clear(app: AppHandle, copy: crate::clipboard::Copy, seconds: u32) {
    if seconds == 0 {
        return;
    }
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(u64::from(seconds)));
        app.state::<AppState>().clipboard.clear_if_still(copy);
    });
}
