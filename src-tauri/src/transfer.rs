//! Import and export in the app. Files are chosen in native dialogs on the Rust side, and
//! what a file holds stays here: the web view sees names and statuses, never keys, and an
//! import is one atomic save of the accounts the user ticked.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ninsho_core::account::display_order;
use ninsho_core::backup::{self, BackupError, Entry, Preview, Status};
use ninsho_core::vault::VaultError;
use serde::Serialize;
use tauri::{AppHandle, Manager, State};
use zeroize::Zeroizing;

use crate::error::UiError;
use crate::events::{self, Change};
use crate::file_dialogs::{self, file_dialog};
use crate::i18n::text;
use crate::import_preview::{PendingImport, PreviewView, preview_view};
use crate::state::AppState;

/// The file chosen in the import dialog, kept while its password is asked for: the page
/// asks again with the password, never with a path.
#[derive(Default)]
pub struct ChosenImport(Mutex<Option<PathBuf>>);

#[derive(Serialize)]
pub struct FormatView {
    id: &'static str,
    encrypted: bool,
    /// The organization's policy lets Ninsho write it.
    allowed: bool,
}

#[tauri::command]
pub fn formats(state: State<'_, AppState>) -> Vec<FormatView> {
    let policy = state.policy().policy;
    backup::FORMATS
        .iter()
        .filter(|f| f.writable())
        .map(|f| FormatView { id: f.id(), encrypted: f.encrypted(), allowed: policy.export_refusal(f.id(), f.encrypted()).is_none() })
        .collect()
}

/// Asks for a file in the OS's dialog and previews it; with `password`, previews the file
/// chosen last again (it asked for one).
#[tauri::command]
pub async fn import_preview(app: AppHandle, password: Option<Zeroizing<String>>) -> Result<Option<PreviewView>, UiError> {
    let handle = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let state = handle.state::<AppState>();
        let chosen = handle.state::<ChosenImport>();
        let path = match password {
            Some(_) => chosen.0.lock().expect("import lock").clone().ok_or_else(|| UiError::new("import_no_file"))?,
            None => match file_dialogs::chosen(&handle, file_dialog(&handle, text(state.language(), "tray.import_dialog")).blocking_pick_file()) {
                Some(p) => p,
                None => return Ok(None),
            },
        };
        *chosen.0.lock().expect("import lock") = Some(path.clone());
        let view = preview_file(&state, &handle.state::<PendingImport>(), &path, password.as_deref().map(|p| p.as_str()))?;
        chosen.0.lock().expect("import lock").take();
        Ok(Some(view))
    })
    .await
    .map_err(|e| UiError::new("internal").with("detail", e))?
}

/// Key derivation for an encrypted file takes up to a second or two: the caller runs this
/// off the async runtime.
fn preview_file(state: &AppState, pending: &PendingImport, path: &Path, password: Option<&str>) -> Result<PreviewView, UiError> {
    let bytes = backup::read_file(path).map_err(|e| UiError::read_file(path, e))?;
    let format = backup::detect(&bytes).ok_or_else(|| UiError::from(BackupError::UnknownFormat).with("path", path.display()))?;
    // The format tells the password form which password this is (the extension's, Aegis's,
    // a transfer file's or an automatic backup's).
    let parsed = format.read(&bytes, password).map_err(|e| UiError::from(e).with("path", path.display()).with("format", format.id()))?;
    let preview = state.with_vault(|v| Ok(Preview::new(v.accounts(), parsed)))?;
    let mut view = preview_view(&path.display().to_string(), format.id(), &preview);
    // Every format that encrypts refuses to read without a password, so a file read without
    // one was plaintext.
    view.plaintext = password.is_none();
    *pending.0.lock().expect("import lock") = Some((path.to_owned(), preview));
    Ok(view)
}

/// Saves the chosen items of the previewed file in one step.
#[tauri::command]
pub fn import_commit(app: AppHandle, state: State<'_, AppState>, pending: State<'_, PendingImport>, chosen: Vec<usize>) -> Result<usize, UiError> {
    let Some((_, preview)) = pending.0.lock().expect("import lock").take() else {
        return Ok(0);
    };
    let entries: Vec<Entry> = chosen
        .iter()
        .filter_map(|&i| preview.items.get(i))
        .filter(|(_, s)| matches!(s, Status::New | Status::SameName(_)))
        .map(|(e, _)| e.clone())
        .collect();
    let now = state.now();
    let count = state.with_vault(|v| Ok(v.update(|accounts| Ok::<_, VaultError>(backup::append(accounts, &entries, now)))?))?;
    events::tell(&app, Change::Accounts);
    Ok(count)
}

#[tauri::command]
pub fn import_cancel(pending: State<'_, PendingImport>, chosen: State<'_, ChosenImport>) {
    pending.0.lock().expect("import lock").take();
    chosen.0.lock().expect("import lock").take();
}

#[derive(Serialize)]
pub struct Exported {
    file: Option<String>,
    count: usize,
    skipped: Vec<(String, backup::Remark)>,
    note: Option<backup::Remark>,
    /// Google Authenticator export: the QR codes to scan with the phone, in order.
    qr_svgs: Vec<String>,
}

fn entries(state: &AppState) -> Result<Vec<Entry>, UiError> {
    state.with_vault(|v| Ok(display_order(v.accounts()).into_iter().map(Entry::from).collect()))
}

/// Writes an export to the file the user names in the OS's save dialog. Plain formats need
/// `plaintext: true`, the user's explicit choice; the Google format comes back as QR codes
/// to scan instead of a file.
#[tauri::command]
pub async fn export(
    app: AppHandle,
    state: State<'_, AppState>,
    format: String,
    password: Option<Zeroizing<String>>,
    plaintext: bool,
) -> Result<Option<Exported>, UiError> {
    let f = backup::by_id(&format).ok_or_else(|| UiError::new("backup_unknown_format"))?;
    if let Some(refusal) = state.policy().policy.export_refusal(f.id(), f.encrypted()) {
        return Err(refusal.into());
    }
    if !f.encrypted() && !plaintext && f.id() != "google-migration" {
        return Err(UiError::new("backup_plaintext_not_confirmed"));
    }
    let password = password.filter(|p| !p.is_empty());
    if f.encrypted() && password.is_none() {
        return Err(UiError::new("file_password_empty"));
    }
    let entries = entries(&state)?;
    let count_all = entries.len();
    // Sealing runs the key derivation: off the async runtime.
    let written = tauri::async_runtime::spawn_blocking(move || f.write(&entries, password.as_deref().map(|p| p.as_str())))
        .await
        .map_err(|e| UiError::new("internal").with("detail", e))?
        .ok_or(BackupError::ReadOnly(f.name()))??;
    let count = count_all - written.skipped.len();
    if f.id() == "google-migration" {
        let qr_svgs = written
            .files
            .iter()
            .map(|uri| {
                qrcode::QrCode::with_error_correction_level(uri, qrcode::EcLevel::L)
                    .map(|q| q.render::<qrcode::render::svg::Color<'_>>().min_dimensions(280, 280).build())
                    .map_err(|e| UiError::new("internal").with("detail", e))
            })
            .collect::<Result<_, _>>()?;
        return Ok(Some(Exported { file: None, count, skipped: written.skipped, note: written.note, qr_svgs }));
    }
    let default_name = match f.id() {
        "authenticator-txt" => "authenticator.txt",
        "authenticator-json" | "authenticator-encrypted" => "authenticator.json",
        "aegis" | "aegis-encrypted" => "aegis-export.json",
        "2fas" | "2fas-plain" => "ninsho-export.2fas",
        "ente-encrypted" => "ente-auth-export.txt",
        "ninsho" => "accounts.ninsho",
        _ => "accounts.txt",
    };
    let Some(path) =
        file_dialogs::chosen(&app, file_dialog(&app, text(state.language(), "tray.export_dialog")).set_file_name(default_name).blocking_save_file())
    else {
        return Ok(None);
    };
    ninsho_core::private_file::write(&path, &written.files.join(&b'\n')).map_err(|e| UiError::io(&path, &e))?;
    Ok(Some(Exported { file: Some(path.display().to_string()), count, skipped: written.skipped, note: written.note, qr_svgs: Vec::new() }))
}
