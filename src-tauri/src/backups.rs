//! Automatic backups in the app: a change schedules one a few seconds later (a burst of
//! edits makes one backup), a failure is retried every few minutes and after the next
//! change, a pending one is written before the app quits. The window hears every outcome as
//! a `backup-status` event; a failure shows as a banner until a backup succeeds.

use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use ninsho_core::autobackup::{self, FailureReason, Status};
use ninsho_core::vault::{BackupSetting, PassphraseKey};
use serde::Serialize;
use tauri::{AppHandle, Manager, State};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::error::UiError;
use crate::events::{self, Change};
use crate::file_dialogs::{self, file_dialog, folder_dialog};
use crate::import_preview::{PendingImport, PreviewView, preview_view};
use crate::state::{AppState, Opened, VaultState, VaultStatus, now};

/// Long enough that typing a label or dragging rows makes one backup, short enough that
/// closing the laptop right after a change rarely finds one pending.
const DEBOUNCE: Duration = Duration::from_secs(3);
const RETRY: Duration = Duration::from_secs(5 * 60);

#[derive(Default)]
pub struct Backups {
    due: Mutex<Option<Instant>>,
    wake: Condvar,
    /// The folder last chosen in the folder picker: `backup_enable` turns backups on there
    /// and nowhere the page names.
    picked: Mutex<Option<PathBuf>>,
    /// Held through a recovery until its vault is installed: a second press meanwhile
    /// would find the key still "gone" and set the first one's new vault aside.
    recovering: tokio::sync::Mutex<()>,
}

#[derive(Serialize, Clone)]
pub struct BackupView {
    on: bool,
    folder: Option<String>,
    last_success: Option<autobackup::Success>,
    failure: Option<FailureView>,
    /// Where the organization requires backups to be on (the policy's source).
    required_by: Option<String>,
    /// Where the organization set the folder.
    folder_managed_by: Option<String>,
}

#[derive(Serialize, Clone)]
struct FailureView {
    time: u64,
    reason: FailureReason,
    detail: String,
}

fn view_of(state: &AppState) -> BackupView {
    let folder = state.with_vault_even_locked(|v| Ok(v.auto_backup().map(|s| s.folder.display().to_string()))).ok().flatten();
    let status = Status::read(&state.vault_path);
    let policy = state.policy().policy;
    BackupView {
        on: folder.is_some(),
        folder,
        last_success: status.last_success,
        failure: status.last_failure.map(|f| FailureView { time: f.time, reason: f.reason, detail: f.detail }),
        required_by: policy.auto_backup_required.filter(|m| m.value).map(|m| m.source.to_string()),
        folder_managed_by: policy.auto_backup_folder.map(|m| m.source.to_string()),
    }
}

/// Saved changes are backed up shortly; a policy naming a folder moves backups there.
pub fn follow(app: &AppHandle) {
    events::subscribe(app, |app, change| match change {
        Change::Accounts => changed(app),
        Change::Policy { .. } => follow_managed_folder(&app.state::<AppState>()),
        Change::Quitting => flush(app),
        _ => {}
    });
}

fn tell(app: &AppHandle, view: &BackupView) {
    events::tell(app, Change::Backup(serde_json::to_value(view).unwrap_or_default()));
}

/// A change was saved: back it up shortly.
fn changed(app: &AppHandle) {
    let backups = app.state::<Backups>();
    *backups.due.lock().expect("backup lock") = Some(Instant::now() + DEBOUNCE);
    backups.wake.notify_all();
}

/// Writes a backup now if backups are on, records and announces the outcome.
fn write_now(app: &AppHandle) -> Option<Result<(), autobackup::AutoBackupError>> {
    let state = app.state::<AppState>();
    follow_managed_folder(&state);
    let snapshot: Option<(BackupSetting, Vec<ninsho_core::Account>)> =
        state.with_vault_even_locked(|v| Ok(v.auto_backup().map(|s| (s.clone(), v.accounts().to_vec())))).ok().flatten();
    let (setting, accounts) = snapshot?;
    let outcome = autobackup::run(&state.vault_path, &setting, &accounts, now()).map(|_| ());
    tell(app, &view_of(&state));
    Some(outcome)
}

/// The thread that writes scheduled backups and retries failed ones.
pub fn spawn_writer(app: AppHandle) {
    std::thread::spawn(move || {
        follow_managed_folder(&app.state::<AppState>());
        let backups = app.state::<Backups>();
        loop {
            let mut due = backups.due.lock().expect("backup lock");
            loop {
                match *due {
                    Some(at) if at <= Instant::now() => break,
                    Some(at) => due = backups.wake.wait_timeout(due, at - Instant::now()).expect("backup lock").0,
                    None => due = backups.wake.wait(due).expect("backup lock"),
                }
            }
            *due = None;
            drop(due);
            if let Some(Err(_)) = write_now(&app) {
                let mut due = backups.due.lock().expect("backup lock");
                due.get_or_insert(Instant::now() + RETRY);
            }
        }
    });
}

/// Before the app quits: a backup still waiting for its debounce is written now.
pub fn flush(app: &AppHandle) {
    let pending = app.state::<Backups>().due.lock().expect("backup lock").take().is_some();
    if pending {
        let _ = write_now(app);
    }
}

#[tauri::command]
pub fn backup_status(state: State<'_, AppState>) -> BackupView {
    view_of(&state)
}

/// The organization's backup folder for this user, created if it is not there yet.
fn managed_folder(state: &AppState) -> Option<Result<PathBuf, UiError>> {
    let managed = state.policy().policy.auto_backup_folder?;
    Some(
        ninsho_core::policy::folder_for_this_user(&managed.value)
            .map_err(|missing| UiError::new("managed_folder_unset").with("pattern", &managed.value).with("missing", missing))
            .and_then(|folder| {
                std::fs::create_dir_all(&folder)
                    .map_err(|e| UiError::new("backup_folder_missing").with("path", folder.display()).with("detail", e))?;
                Ok(folder)
            }),
    )
}

/// Backups set up before the organization named a folder move there, with the same
/// password: the policy applies to an existing setting, not only to a new one.
pub fn follow_managed_folder(state: &AppState) {
    let Some(Ok(managed)) = managed_folder(state) else { return };
    let _ = state.with_vault_even_locked(|v| match v.auto_backup() {
        Some(setting) if setting.folder != managed => {
            let moved = BackupSetting { folder: managed, key: setting.key.clone() };
            Ok(v.set_auto_backup(Some(moved))?)
        }
        _ => Ok(()),
    });
}

/// The OS folder picker; `None` when the user closed it. Where the organization set the
/// folder, that folder, without asking.
#[tauri::command]
pub async fn backup_pick_folder(app: AppHandle) -> Result<Option<String>, UiError> {
    let state = app.state::<AppState>();
    let picked = match managed_folder(&state) {
        Some(folder) => Some(folder?),
        None => {
            let title = crate::i18n::text(state.language(), "backup.pick_title");
            let current = state.with_vault_even_locked(|v| Ok(v.auto_backup().map(|s| s.folder.clone()))).ok().flatten();
            let handle = app.clone();
            tauri::async_runtime::spawn_blocking(move || {
                folder_dialog(&handle, title, current).blocking_pick_folder().and_then(|f| f.into_path().ok())
            })
            .await
            .map_err(|e| UiError::new("internal").with("detail", e))?
        }
    };
    let shown = picked.as_ref().map(|p| p.display().to_string());
    if picked.is_some() {
        *app.state::<Backups>().picked.lock().expect("backup lock") = picked;
    }
    Ok(shown)
}

/// Turns backups on (or changes their password) and writes the first: into the folder the
/// organization set, else the one just picked in the folder picker, else the one in use.
#[tauri::command]
pub async fn backup_enable(app: AppHandle, password: Zeroizing<String>) -> Result<BackupView, UiError> {
    let state = app.state::<AppState>();
    let folder = match managed_folder(&state) {
        Some(managed) => managed?,
        None => {
            let picked = app.state::<Backups>().picked.lock().expect("backup lock").clone();
            let current = state.with_vault(|v| Ok(v.auto_backup().map(|s| s.folder.clone())))?;
            picked.or(current).ok_or_else(|| UiError::new("backup_no_folder"))?
        }
    };
    if !folder.is_dir() {
        return Err(UiError::new("backup_folder_missing").with("path", folder.display()));
    }
    if password.is_empty() {
        return Err(UiError::new("backup_password_empty"));
    }
    let handle = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let key = PassphraseKey::derive(&password)?;
        let state = handle.state::<AppState>();
        state.with_vault(|v| Ok(v.set_auto_backup(Some(BackupSetting { folder, key }))?))?;
        Ok::<_, UiError>(())
    })
    .await
    .map_err(|e| UiError::new("internal").with("detail", e))??;
    app.state::<Backups>().picked.lock().expect("backup lock").take();
    let handle = app.clone();
    let _ = tauri::async_runtime::spawn_blocking(move || write_now(&handle)).await;
    Ok(view_of(&app.state::<AppState>()))
}

#[tauri::command]
pub fn backup_disable(app: AppHandle, state: State<'_, AppState>) -> Result<BackupView, UiError> {
    if let Some(required) = state.policy().policy.auto_backup_required.filter(|m| m.value) {
        return Err(UiError::new("managed").with("source", required.source));
    }
    state.with_vault(|v| Ok(v.set_auto_backup(None)?))?;
    let view = view_of(&state);
    tell(&app, &view);
    Ok(view)
}

#[tauri::command]
pub async fn backup_now(app: AppHandle) -> BackupView {
    let handle = app.clone();
    let _ = tauri::async_runtime::spawn_blocking(move || write_now(&handle)).await;
    view_of(&app.state::<AppState>())
}

#[derive(Serialize)]
pub struct DeletedView {
    id: Uuid,
    issuer: String,
    account: String,
    label: String,
    deleted_at: u64,
}

/// Accounts deleted in the last 30 days: names and times, never keys.
#[tauri::command]
pub fn deleted_list(state: State<'_, AppState>) -> Result<Vec<DeletedView>, UiError> {
    state.with_vault(|v| {
        Ok(v.deleted()
            .iter()
            .map(|d| DeletedView {
                id: d.account.id,
                issuer: d.account.issuer.clone(),
                account: d.account.account.clone(),
                label: d.account.label.clone(),
                deleted_at: d.deleted_at,
            })
            .collect())
    })
}

#[tauri::command]
pub fn undelete(app: AppHandle, state: State<'_, AppState>, ids: Vec<Uuid>) -> Result<usize, UiError> {
    let restored = state.with_vault(|v| Ok(v.undelete(&ids)?.len()))?;
    events::tell(&app, Change::Accounts);
    Ok(restored)
}

#[tauri::command]
pub fn empty_deleted(state: State<'_, AppState>) -> Result<usize, UiError> {
    state.with_vault(|v| Ok(v.empty_deleted()?))
}

#[derive(Serialize)]
pub struct BackupFileView {
    path: String,
    time: u64,
    /// `None` when the file was made with an earlier backup password.
    accounts: Option<usize>,
}

/// The backups in the folder, newest first, each with its number of accounts.
#[tauri::command]
pub async fn backup_list(app: AppHandle) -> Result<Vec<BackupFileView>, UiError> {
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let setting = state.with_vault(|v| v.auto_backup().cloned().ok_or_else(|| UiError::new("backup_off")))?;
        let files = autobackup::list(&setting.folder).map_err(|e| backup_error(&e))?;
        Ok(files
            .into_iter()
            .map(|f| BackupFileView {
                accounts: autobackup::open(&f.path, &setting.key).ok().flatten().map(|a| a.len()),
                path: f.path.display().to_string(),
                time: f.time,
            })
            .collect())
    })
    .await
    .map_err(|e| UiError::new("internal").with("detail", e))?
}

/// Deletes the backups in the folder made under an earlier backup password; returns how many.
#[tauri::command]
pub async fn backup_forget_earlier(app: AppHandle) -> Result<usize, UiError> {
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let setting = state.with_vault(|v| v.auto_backup().cloned().ok_or_else(|| UiError::new("backup_off")))?;
        Ok(autobackup::remove_other_passwords(&setting).map_err(|e| backup_error(&e))?.len())
    })
    .await
    .map_err(|e| UiError::new("internal").with("detail", e))?
}

fn backup_error(e: &autobackup::AutoBackupError) -> UiError {
    UiError::new("backup_failed").with("detail", e)
}

/// The accounts in a backup: with the vault's own backup key when it wrote the file, else
/// with `password` (a backup made before the password changed, or on another PC).
fn open_backup(state: &AppState, path: &std::path::Path, password: Option<&str>) -> Result<Vec<ninsho_core::Account>, UiError> {
    let key = state.with_vault(|v| Ok(v.auto_backup().map(|s| s.key.clone())))?;
    if let Some(key) = key
        && let Ok(Some(accounts)) = autobackup::open(path, &key)
    {
        return Ok(accounts);
    }
    let bytes = ninsho_core::backup::read_file(path).map_err(|e| UiError::read_file(path, e))?;
    match password {
        None => Err(UiError::new("backup_needs_password")),
        Some(password) => ninsho_core::vault::open_transfer(&bytes, password).map_err(|e| match e {
            ninsho_core::vault::VaultError::WrongPassphrase => UiError::new("backup_wrong_password"),
            other => other.into(),
        }),
    }
}

/// A backup the page names by the path `backup_list` gave it: only a file listed in the
/// backup folder now is opened.
fn listed_backup(state: &AppState, path: &str) -> Result<PathBuf, UiError> {
    let setting = state.with_vault(|v| v.auto_backup().cloned().ok_or_else(|| UiError::new("backup_off")))?;
    let files = autobackup::list(&setting.folder).map_err(|e| backup_error(&e))?;
    files.into_iter().map(|f| f.path).find(|p| p.as_os_str() == path).ok_or_else(|| UiError::new("backup_not_listed"))
}

/// Opens a backup into the import preview: adding what is missing goes through Import.
#[tauri::command]
pub async fn restore_preview(app: AppHandle, path: String, password: Option<Zeroizing<String>>) -> Result<PreviewView, UiError> {
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let path = listed_backup(&state, &path)?;
        let accounts = open_backup(&state, &path, password.as_deref().map(|p| p.as_str()))?;
        let parsed =
            ninsho_core::backup::Parsed { entries: accounts.iter().map(ninsho_core::backup::Entry::from).collect(), problems: Default::default() };
        let preview = state.with_vault(|v| Ok(ninsho_core::backup::Preview::new(v.accounts(), parsed)))?;
        let view = preview_view(&path.display().to_string(), "ninsho", &preview);
        *app.state::<PendingImport>().0.lock().expect("import lock") = Some((path, preview));
        Ok(view)
    })
    .await
    .map_err(|e| UiError::new("internal").with("detail", e))?
}

#[derive(Serialize)]
pub struct Replaced {
    accounts: usize,
    copy: String,
}

/// Replaces the vault's accounts with a backup's, after keeping a copy of the vault file.
#[tauri::command]
pub async fn restore_replace(app: AppHandle, path: String, password: Option<Zeroizing<String>>) -> Result<Replaced, UiError> {
    let handle = app.clone();
    let replaced = tauri::async_runtime::spawn_blocking(move || {
        let state = handle.state::<AppState>();
        let path = listed_backup(&state, &path)?;
        let accounts = open_backup(&state, &path, password.as_deref().map(|p| p.as_str()))?;
        let copy = autobackup::keep_copy_before_restore(&state.vault_path, now()).map_err(|e| UiError::io(&state.vault_path, &e))?;
        let count = accounts.len();
        state.with_vault(|v| {
            Ok(v.update(|stored| {
                *stored = accounts;
                Ok::<_, ninsho_core::vault::VaultError>(())
            })?)
        })?;
        Ok::<_, UiError>(Replaced { accounts: count, copy: copy.display().to_string() })
    })
    .await
    .map_err(|e| UiError::new("internal").with("detail", e))??;
    events::tell(&app, Change::Accounts);
    Ok(replaced)
}

/// After this PC lost the vault's key: the unreadable vault is moved aside (never
/// overwritten), a new vault is made with this PC's keyring, and it is filled from a
/// backup: the last automatic one (`latest`, from the status file beside the vault) or
/// one chosen in the file dialog. Backups go on with the same password, into the
/// organization's folder where it set one, else that backup's folder.
#[tauri::command]
pub async fn recover_from_backup(app: AppHandle, latest: bool, password: Zeroizing<String>) -> Result<Option<VaultStatus>, UiError> {
    let backups = app.state::<Backups>();
    let _recovering = backups.recovering.lock().await;
    let state = app.state::<AppState>();
    ensure_key_gone(&state)?;
    let path = if latest {
        autobackup::Status::read(&state.vault_path).last_success.map(|s| s.file).ok_or_else(|| UiError::new("recover_no_latest"))?
    } else {
        let title = crate::i18n::text(state.language(), "tray.import_dialog");
        let handle = app.clone();
        let picked = tauri::async_runtime::spawn_blocking(move || file_dialogs::chosen(&handle, file_dialog(&handle, title).blocking_pick_file()))
            .await
            .map_err(|e| UiError::new("internal").with("detail", e))?;
        match picked {
            Some(p) => p,
            None => return Ok(None),
        }
    };
    let handle = app.clone();
    let vault = tauri::async_runtime::spawn_blocking(move || {
        let state = handle.state::<AppState>();
        let bytes = ninsho_core::backup::read_file(&path).map_err(|e| UiError::read_file(&path, e))?;
        if !ninsho_core::vault::is_vault_file(&bytes) {
            return Err(UiError::new("recover_not_a_backup").with("path", path.display()));
        }
        let accounts = ninsho_core::vault::open_transfer(&bytes, &password).map_err(|e| match e {
            ninsho_core::vault::VaultError::WrongPassphrase => UiError::new("backup_wrong_password"),
            other => other.into(),
        })?;
        let folder = match managed_folder(&state) {
            Some(managed) => Some(managed?),
            None => path.parent().filter(|f| f.is_dir()).map(Path::to_owned),
        };
        let mut vault = start_over(&state)?;
        vault.update(|stored| {
            *stored = accounts;
            Ok::<_, ninsho_core::vault::VaultError>(())
        })?;
        if let Some(folder) = folder {
            let key = PassphraseKey::derive(&password)?;
            vault.set_auto_backup(Some(BackupSetting { folder, key }))?;
        }
        Ok::<_, UiError>(vault)
    })
    .await
    .map_err(|e| UiError::new("internal").with("detail", e))??;
    let status = installed(&app, vault, Opened::Proven);
    events::tell(&app, Change::Accounts);
    Ok(Some(status))
}

/// After this PC lost the vault's key: the unreadable vault is moved aside and a new, empty
/// one made, for an import.
#[tauri::command]
pub async fn recover_fresh(app: AppHandle) -> Result<VaultStatus, UiError> {
    let backups = app.state::<Backups>();
    let _recovering = backups.recovering.lock().await;
    let handle = app.clone();
    let vault = tauri::async_runtime::spawn_blocking(move || start_over(&handle.state::<AppState>()))
        .await
        .map_err(|e| UiError::new("internal").with("detail", e))??;
    Ok(installed(&app, vault, Opened::ByItself))
}

/// The new vault in place of the one whose key was gone.
fn installed(app: &AppHandle, vault: ninsho_core::vault::Vault, how: Opened) -> VaultStatus {
    let state = app.state::<AppState>();
    state.install_vault(VaultState::Open(vault), how);
    events::tell(app, Change::VaultOpened);
    state.vault_status()
}

/// Starting over is for a vault this PC can no longer open (its key is gone), never for one
/// that is open, locked by the app's lock, or failing for a passing reason.
fn ensure_key_gone(state: &AppState) -> Result<(), UiError> {
    match &*state.settled_vault() {
        VaultState::Locked(reason) if key_gone(reason) => Ok(()),
        _ => Err(UiError::new("recover_not_needed")),
    }
}

fn key_gone(reason: &UiError) -> bool {
    matches!(reason.key, "no_key_on_this_pc" | "no_way_to_unlock")
}

/// Checked again while holding the vault, so that a vault opened meanwhile (the keyring
/// came back) is never set aside.
fn start_over(state: &AppState) -> Result<ninsho_core::vault::Vault, UiError> {
    let guard = state.settled_vault();
    if !matches!(&*guard, VaultState::Locked(reason) if key_gone(reason)) {
        return Err(UiError::new("recover_not_needed"));
    }
    let path = &state.vault_path;
    if path.exists() {
        autobackup::set_aside_unreadable(path, now()).map_err(|e| UiError::io(path, &e))?;
    }
    let vault = ninsho_core::vault::Vault::create(path, Some(&ninsho_core::vault::OsKeyring), None)?;
    drop(guard);
    Ok(vault)
}
