//! The commands the web view may call. They return labels, codes and expiry times; only
//! `reveal` returns a key, and only when the user asked to see it.

use std::time::Duration;

use ninsho_core::account::{Account, AccountDraft, display_order, indistinguishable};
use ninsho_core::otp::uri::KeyUri;
use ninsho_core::qr::classify;
use ninsho_core::vault::{OsKeyring, Unlock, Vault, VaultError};
use ninsho_core::{Algorithm, Method, Otp, Secret};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, State};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::error::UiError;
use crate::settings::Settings;
use crate::state::{AppState, Opened, VaultState};

/// Sites count a code typed after it expired as a failed attempt (and lock the account
/// after a few); with less than this left, the next code is copied instead.
pub const MIN_SECONDS_TO_COPY: u64 = 3;

#[derive(Serialize, Clone)]
pub struct AccountView {
    id: Uuid,
    issuer: String,
    account: String,
    label: String,
    kind: &'static str,
    digits: u8,
    period: Option<u32>,
    pinned: bool,
    duplicate: bool,
    code: String,
    next_code: Option<String>,
    valid_from: Option<u64>,
    expires_at: Option<u64>,
}

#[derive(Serialize)]
pub struct ListView {
    /// The app's clock, so the UI counts down from the same time the codes were made at.
    now: u64,
    accounts: Vec<AccountView>,
}

pub fn view(a: &Account, duplicate: bool, time: u64) -> AccountView {
    let code = a.code_at(time);
    AccountView {
        id: a.id,
        issuer: a.issuer.clone(),
        account: a.account.clone(),
        label: a.label.clone(),
        kind: a.otp.method.type_name(),
        digits: a.otp.digits,
        period: a.otp.method.period(),
        pinned: a.pinned,
        duplicate,
        next_code: code.expires_at.map(|e| a.code_at(e).code),
        code: code.code,
        valid_from: code.valid_from,
        expires_at: code.expires_at,
    }
}

fn list_view(vault: &Vault, time: u64) -> ListView {
    let dups = indistinguishable(vault.accounts());
    let accounts = display_order(vault.accounts()).into_iter().map(|a| view(a, dups.contains(&a.id), time)).collect();
    ListView { now: time, accounts }
}

#[derive(Serialize)]
pub struct Status {
    open: bool,
    error: Option<UiError>,
    has_passphrase: bool,
    vault_exists: bool,
    /// While locked: the last automatic backup, from the status file beside the vault,
    /// which a PC that lost the vault's key can restore with the backup password.
    latest_backup: Option<ninsho_core::autobackup::Success>,
}

fn status_of(state: &AppState) -> Status {
    match &*state.settled_vault() {
        VaultState::Open(v) => Status { open: true, error: None, has_passphrase: v.has_passphrase(), vault_exists: true, latest_backup: None },
        VaultState::Locked(e) => Status {
            open: false,
            error: Some(e.clone()),
            has_passphrase: false,
            vault_exists: state.vault_path.exists(),
            latest_backup: ninsho_core::autobackup::Status::read(&state.vault_path).last_success.filter(|s| s.file.exists()),
        },
        VaultState::Opening => unreachable!("settled_vault waits until the vault is opened"),
    }
}

#[derive(Serialize)]
pub struct AppInfo {
    language: &'static str,
    settings: Settings,
    /// Settings fields the organization manages, with where each was set.
    managed: std::collections::BTreeMap<&'static str, String>,
    /// Policy values that were not applied: a sentence per reason for the user, the
    /// precise English message folded away for IT.
    policy_problems: Vec<PolicyProblemView>,
    lock: crate::lock::LockView,
    platform: &'static str,
    version: &'static str,
    /// The commit the app was built from; empty for a build from a source archive.
    commit: &'static str,
    arch: &'static str,
}

#[derive(Serialize)]
pub struct PolicyProblemView {
    /// Where the value was set ("HKLM\\Software\\Policies\\Ninsho", a file's path).
    source: String,
    /// The setting, or `None` when the whole source was not applied.
    key: Option<String>,
    /// A sentence under `policy_problems.` in the catalogs.
    reason: &'static str,
    detail: String,
}

impl From<&ninsho_core::policy::Problem> for PolicyProblemView {
    fn from(p: &ninsho_core::policy::Problem) -> Self {
        use ninsho_core::policy::PolicyError::*;
        let reason = match p.error {
            Unreadable(_) => "unreadable",
            Json { .. } | Plist(_) | NotAnObject(_) => "not_readable_format",
            TooLarge => "too_large",
            UnknownKey => "unknown_key",
            WrongType { .. } | Invalid(_) => "invalid_value",
            NewerVersion(_) => "newer_version",
        };
        PolicyProblemView { source: p.source.to_string(), key: p.key.clone(), reason, detail: p.to_string() }
    }
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    info_of(&state)
}

fn info_of(state: &AppState) -> AppInfo {
    let policy = state.policy();
    AppInfo {
        language: state.language(),
        settings: state.settings(),
        managed: crate::policy::managed(&policy.policy),
        policy_problems: policy.problems.iter().map(PolicyProblemView::from).collect(),
        lock: crate::lock::view(state),
        platform: std::env::consts::OS,
        version: env!("CARGO_PKG_VERSION"),
        commit: env!("NINSHO_COMMIT"),
        arch: std::env::consts::ARCH,
    }
}

/// Everything the first screen needs. It is handed to the page before its scripts run
/// (an initialization script), so the first codes are painted without waiting for three
/// IPC round trips. Labels, codes and expiry times only, as every command returns.
#[derive(Serialize)]
pub struct Boot {
    info: AppInfo,
    status: Status,
    list: Option<ListView>,
    clock: crate::clock::ClockView,
}

/// `None` while the vault is still opening: the page then asks for all this itself.
pub fn boot(app: &AppHandle) -> Option<Boot> {
    let state = app.state::<AppState>();
    if matches!(*state.vault.lock().expect("vault lock"), VaultState::Opening) {
        return None;
    }
    let time = state.now();
    // The script stays with the window and runs again on every reload of the page: with
    // the lock on, a list in it would outlive a lock that engaged later, so the page
    // asks for the list instead (the lock is checked then).
    let list = match &*state.settled_vault() {
        VaultState::Open(v) if !state.lock.is_locked() && !state.settings().lock_enabled => Some(list_view(v, time)),
        _ => None,
    };
    Some(Boot { info: info_of(&state), status: status_of(&state), list, clock: crate::clock::view(app) })
}

/// Async so that waiting for the vault to open never holds the main thread.
#[tauri::command]
pub async fn status(state: State<'_, AppState>) -> Result<Status, UiError> {
    Ok(status_of(&state))
}

/// Tries the keyring again (after the user unlocked their keychain or logged in again).
#[tauri::command]
pub async fn reopen(app: AppHandle, state: State<'_, AppState>) -> Result<Status, UiError> {
    let path = state.vault_path.clone();
    let opened = tauri::async_runtime::spawn_blocking(move || crate::state::open_vault(&path))
        .await
        .map_err(|e| UiError::new("internal").with("detail", e))?;
    state.install_vault(opened, Opened::ByItself);
    crate::tray::refresh(&app);
    Ok(status_of(&state))
}

pub fn set_open(app: &AppHandle, state: &AppState, vault: Vault, how: Opened) -> Status {
    state.install_vault(VaultState::Open(vault), how);
    crate::tray::refresh(app);
    status_of(state)
}

/// Opens the vault with its passphrase (on a PC whose keyring lacks its key) and lets this
/// PC's keyring open it from then on.
#[tauri::command]
pub async fn unlock(app: AppHandle, state: State<'_, AppState>, passphrase: Zeroizing<String>) -> Result<Status, UiError> {
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
    Ok(set_open(&app, &state, vault, Opened::Proven))
}

/// Creates the vault with a passphrase only, where no keyring can be reached.
#[tauri::command]
pub async fn create_with_passphrase(app: AppHandle, state: State<'_, AppState>, passphrase: Zeroizing<String>) -> Result<Status, UiError> {
    if passphrase.is_empty() {
        return Err(UiError::new("passphrase_empty"));
    }
    let path = state.vault_path.clone();
    let vault = tauri::async_runtime::spawn_blocking(move || Vault::create(&path, None, Some(&passphrase)))
        .await
        .map_err(|e| UiError::new("internal").with("detail", e))??;
    Ok(set_open(&app, &state, vault, Opened::Proven))
}

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
    crate::tray::refresh(&app);
    Ok(view)
}

#[derive(Deserialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum AddInput {
    Uri {
        uri: Zeroizing<String>,
        label: String,
    },
    Key {
        issuer: String,
        account: String,
        label: String,
        secret: Zeroizing<String>,
        algorithm: String,
        digits: u32,
        period: u32,
        counter: Option<u64>,
    },
}

fn draft_from(input: AddInput) -> Result<AccountDraft, UiError> {
    let draft = match input {
        AddInput::Uri { uri, label } => {
            let kind = classify(&uri);
            if kind.is_for_another_app() {
                return Err(UiError::for_another_app(kind));
            }
            let mut d = AccountDraft::from(uri.parse::<KeyUri>()?);
            d.label = label.trim().to_owned();
            d
        }
        AddInput::Key { issuer, account, label, secret, algorithm, digits, period, counter } => {
            let algorithm: Algorithm = algorithm.parse().map_err(|_| UiError::new("uri_algorithm").with("value", &algorithm))?;
            let method = match counter {
                Some(counter) => Method::Hotp { counter },
                None => Method::Totp { period },
            };
            let otp = Otp::new(method, algorithm, digits, Secret::from_base32(&secret)?)?;
            AccountDraft { issuer: issuer.trim().to_owned(), account: account.trim().to_owned(), label: label.trim().to_owned(), otp }
        }
    };
    if draft.issuer.is_empty() && draft.account.is_empty() && draft.label.is_empty() {
        return Err(UiError::new("no_name"));
    }
    ninsho_core::account::check_names(&[&draft.issuer, &draft.account, &draft.label])?;
    Ok(draft)
}

#[tauri::command]
pub fn add_account(app: AppHandle, state: State<'_, AppState>, input: AddInput) -> Result<AccountView, UiError> {
    let draft = draft_from(input)?;
    let time = state.now();
    let added = state.with_vault(|v| {
        let account = v.update(|accounts| {
            let position = accounts.iter().map(|a| a.position + 1).max().unwrap_or(0);
            let account = Account::from_draft(draft, position, time);
            accounts.push(account.clone());
            Ok::<_, VaultError>(account)
        })?;
        let dup = indistinguishable(v.accounts()).contains(&account.id);
        Ok(view(&account, dup, time))
    })?;
    crate::tray::refresh(&app);
    crate::backups::changed(&app);
    Ok(added)
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
    crate::tray::refresh(&app);
    crate::backups::changed(&app);
    Ok(())
}

#[tauri::command]
pub fn delete_account(app: AppHandle, state: State<'_, AppState>, id: Uuid) -> Result<(), UiError> {
    let time = state.now();
    let deleted = state.with_vault(|v| Ok(v.delete(&[id], time)?))?;
    if deleted.is_empty() {
        return Err(not_found());
    }
    crate::tray::refresh(&app);
    crate::backups::changed(&app);
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
    crate::tray::refresh(&app);
    crate::backups::changed(&app);
    Ok(())
}

#[derive(Serialize)]
pub struct Copied {
    /// The next code was copied because the current one had under 3 s left.
    used_next: bool,
    /// Seconds until the copied code becomes valid (0 when it already is).
    valid_in: u64,
}

/// Puts an account's code on the clipboard and clears it later if it is still there.
pub fn copy_code_of(app: &AppHandle, state: &AppState, id: Uuid) -> Result<Copied, UiError> {
    let time = state.now();
    let (code, used_next) = state.with_vault(|v| {
        let account = v.accounts().iter().find(|a| a.id == id).ok_or_else(not_found)?;
        let (code, used_next) = account.otp.code_to_copy(time, MIN_SECONDS_TO_COPY);
        if let Method::Hotp { .. } = account.otp.method {
            // A counter-based code is used up once handed out.
            v.update(|accounts| {
                if let Some(Method::Hotp { counter }) = accounts.iter_mut().find(|a| a.id == id).map(|a| &mut a.otp.method) {
                    *counter = counter.saturating_add(1);
                }
                Ok::<_, VaultError>(())
            })?;
            crate::backups::changed(app);
        }
        Ok((code, used_next))
    })?;
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

#[tauri::command]
pub fn copy_code(app: AppHandle, state: State<'_, AppState>, id: Uuid) -> Result<Copied, UiError> {
    let copied = copy_code_of(&app, &state, id)?;
    crate::tray::refresh(&app);
    Ok(copied)
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

#[tauri::command]
pub fn save_settings(app: AppHandle, state: State<'_, AppState>, settings: Settings) -> Result<AppInfo, UiError> {
    // Turning the lock off from a locked window would also spare the next start its lock.
    state.lock.ensure_unlocked()?;
    let previous = state.settings();
    let settings = crate::policy::keep_managed(settings.sanitized(), &state.user_settings(), &state.policy().policy);
    let in_force = crate::policy::effective(&settings, &state.policy().policy);
    if in_force.lock_enabled && !previous.lock_enabled && !state.vault_has_passphrase() {
        return Err(UiError::new("lock_needs_passphrase"));
    }
    let clock_changed = in_force.clock_servers != previous.clock_servers || in_force.clock_https_url != previous.clock_https_url;
    if settings.shortcut != previous.shortcut {
        crate::shortcut::replace(&app, &previous.shortcut, &settings.shortcut)?;
    }
    if settings.text_size != previous.text_size {
        crate::text_size::apply(&app, settings.text_size);
    }
    if settings.screen_share_protection != previous.screen_share_protection
        && let Some(window) = app.get_webview_window("main")
    {
        window.set_content_protected(settings.screen_share_protection).map_err(|e| UiError::new("internal").with("detail", e))?;
    }
    settings.save(&state.settings_path).map_err(|e| UiError::io(&state.settings_path, &e))?;
    *state.settings.lock().expect("settings lock") = settings;
    if clock_changed {
        state.clock.wake.notify_one();
    }
    let _ = app.emit("clock-status", crate::clock::view(&app));
    crate::tray::refresh(&app);
    Ok(app_info(state))
}

/// Whether the OS starts Ninsho at sign-in: asked of the OS each time (a Login Items,
/// Task Manager or desktop-session setting the user may have changed there), never stored.
#[tauri::command]
pub fn start_at_login(app: AppHandle) -> bool {
    use tauri_plugin_autostart::ManagerExt;
    app.autolaunch().is_enabled().unwrap_or(false)
}

#[tauri::command]
pub fn set_start_at_login(app: AppHandle, enabled: bool) -> Result<bool, UiError> {
    use tauri_plugin_autostart::ManagerExt;
    let launcher = app.autolaunch();
    let done = if enabled { launcher.enable() } else { launcher.disable() };
    done.map_err(|e| UiError::new("start_at_login").with("detail", e))?;
    Ok(launcher.is_enabled().unwrap_or(enabled))
}

#[tauri::command]
pub fn clock_status(app: AppHandle) -> crate::clock::ClockView {
    crate::clock::view(&app)
}

/// Measures now (the "check again" button).
#[tauri::command]
pub async fn check_clock(app: AppHandle) -> Result<crate::clock::ClockView, UiError> {
    Ok(crate::clock::check(&app).await)
}

/// The UI calls this once its first screen is painted (the launch benchmark reads the
/// line); what the first paint does not need is set up only then.
#[tauri::command]
pub fn ui_ready(app: AppHandle) {
    eprintln!("ninsho: first codes painted {} ms after start", crate::STARTED.elapsed().as_millis());
    crate::finish_startup(&app);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pasted(uri: &str) -> Result<AccountDraft, UiError> {
        draft_from(AddInput::Uri { uri: Zeroizing::new(uri.to_owned()), label: String::new() })
    }

    #[test]
    fn a_pasted_setup_code_for_another_app_gets_that_apps_guidance() {
        let guidance = |uri: &str| pasted(uri).err().map(|e| (e.key, e.params.get("guidance").cloned().unwrap_or_default()));
        assert_eq!(
            guidance("phonefactor://activate_account?code=694660881&url=https://mobileappcommunicator.auth.microsoft.com/activatev2/1/2"),
            Some(("for_another_app", "microsoft-authenticator".to_owned()))
        );
        assert_eq!(guidance("duo://X3kP9qLm2ZtR7vBn4WcY-YXBpLWU0YzlmYmU3LmR1b3NlY3VyaXR5LmNvbQ"), Some(("for_another_app", "duo-mobile".to_owned())));
        assert_eq!(
            guidance("otpauth://totp/example.okta.com:taro?issuer=example.okta.com&t=Qm9ndXNU&f=opf1a2b3&s=https%3A%2F%2Fexample.okta.com"),
            Some(("for_another_app", "okta-verify".to_owned()))
        );
        // A standard code still adds, and a key-less one still names what is missing.
        assert!(pasted("otpauth://totp/Okta:taro?secret=JBSWY3DPEHPK3PXP&issuer=Okta").is_ok());
        assert_eq!(pasted("otpauth://totp/a?t=1").err().map(|e| e.key), Some("uri_missing_secret"));
    }
}
