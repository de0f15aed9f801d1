//! The accounts as the window lists and edits them. Names, codes and expiry times only: the
//! key leaves Rust in `reveal` alone, when the user asked to see it.

use serde::Serialize;
use tauri::{AppHandle, State};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::account_view::{AccountView, ListView, list_view};
use crate::adding::{self, AddInput};
use crate::codes::{self, Copied};
use crate::error::UiError;
use crate::events::{self, Change};
use crate::state::AppState;

#[tauri::command]
pub async fn list(state: State<'_, AppState>) -> Result<ListView, UiError> {
    let time = state.now();
    state.with_vault(|v| Ok(list_view(v, time)))
}

/// Picks up changes the CLI or another window saved.
#[tauri::command]
pub fn reload(app: AppHandle, state: State<'_, AppState>) -> Result<ListView, UiError> {
    let time = state.now();
    let view = state.with_vault(|v| {
        v.reload()?;
        Ok(list_view(v, time))
    })?;
    events::tell(&app, Change::AccountsReloaded);
    Ok(view)
}

#[tauri::command]
pub fn add_account(app: AppHandle, input: AddInput) -> Result<AccountView, UiError> {
    adding::add(&app, input)
}

fn not_found() -> UiError {
    UiError::new("account_not_found")
}

#[tauri::command]
pub fn update_account(
    app: AppHandle,
    state: State<'_, AppState>,
    id: Uuid,
    issuer: String,
    account: String,
    label: String,
    pinned: bool,
) -> Result<(), UiError> {
    if issuer.trim().is_empty() && account.trim().is_empty() && label.trim().is_empty() {
        return Err(UiError::new("no_name"));
    }
    ninsho_core::account::check_names(&[&issuer, &account, &label])?;
    state.with_vault(|v| {
        v.update(|accounts| {
            let a = accounts.iter_mut().find(|a| a.id == id).ok_or_else(not_found)?;
            a.issuer = issuer.trim().to_owned();
            a.account = account.trim().to_owned();
            a.label = label.trim().to_owned();
            a.pinned = pinned;
            Ok::<_, UiError>(())
        })
    })?;
    events::tell(&app, Change::Accounts);
    Ok(())
}

#[tauri::command]
pub fn delete_account(app: AppHandle, state: State<'_, AppState>, id: Uuid) -> Result<(), UiError> {
    let time = state.now();
    let deleted = state.with_vault(|v| Ok(v.delete(&[id], time)?))?;
    if deleted.is_empty() {
        return Err(not_found());
    }
    events::tell(&app, Change::Accounts);
    Ok(())
}

/// Saves the user's order: `ids` as shown, pinned ones included.
#[tauri::command]
pub fn reorder(app: AppHandle, state: State<'_, AppState>, ids: Vec<Uuid>) -> Result<(), UiError> {
    state.with_vault(|v| {
        v.update(|accounts| {
            for a in accounts.iter_mut() {
                // Accounts the UI did not list (added meanwhile by the CLI) go last.
                a.position = ids.iter().position(|id| *id == a.id).unwrap_or(ids.len() + a.position as usize) as u32;
            }
            Ok::<_, UiError>(())
        })
    })?;
    events::tell(&app, Change::Accounts);
    Ok(())
}

#[tauri::command]
pub fn copy_code(app: AppHandle, id: Uuid) -> Result<Copied, UiError> {
    codes::copy(&app, id)
}

#[derive(Serialize)]
pub struct Revealed {
    secret: Zeroizing<String>,
    uri: Zeroizing<String>,
    qr_svg: String,
}

/// The key, its URI and a QR code, for moving the account to a phone. Called only from
/// the "show key and QR code" button.
#[tauri::command]
pub fn reveal(state: State<'_, AppState>, id: Uuid) -> Result<Revealed, UiError> {
    // A key on screen is a key out of the vault in plain text, as an export would be.
    if let Some(refusal) = state.policy().policy.keys_shown_refusal() {
        return Err(refusal.into());
    }
    state.with_vault(|v| {
        let account = v.accounts().iter().find(|a| a.id == id).ok_or_else(not_found)?;
        let uri = account.to_key_uri().to_uri_string();
        let qr = qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M)
            .map_err(|e| UiError::new("internal").with("detail", e))?;
        let qr_svg = qr.render::<qrcode::render::svg::Color<'_>>().min_dimensions(220, 220).quiet_zone(true).build();
        Ok(Revealed { secret: account.otp.secret.to_base32(), uri, qr_svg })
    })
}
