//! The app's own settings and facts: the language, Settings (with what the organization
//! manages), the version, and starting at sign-in.

use serde::Serialize;
use tauri::{AppHandle, Manager, State};

use crate::error::UiError;
use crate::events::{self, Change};
use crate::state::lock::LockView;
use crate::state::settings::Settings;
use crate::state::{AppState, managed};

#[derive(Serialize)]
pub struct AppInfo {
    language: &'static str,
    settings: Settings,
    /// Settings fields the organization manages, with where each was set.
    managed: std::collections::BTreeMap<&'static str, String>,
    /// Policy values that were not applied: a sentence per reason for the user, the
    /// precise English message folded away for IT.
    policy_problems: Vec<PolicyProblemView>,
    lock: LockView,
    platform: &'static str,
    /// The app's version as the bundle and the updater know it (tauri.conf.json).
    version: String,
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
pub fn app_info(app: AppHandle) -> AppInfo {
    info_of(&app)
}

pub fn info_of(app: &AppHandle) -> AppInfo {
    let state = app.state::<AppState>();
    let policy = state.policy();
    AppInfo {
        language: state.language(),
        settings: state.settings(),
        managed: managed::managed(&policy.policy),
        policy_problems: policy.problems.iter().map(PolicyProblemView::from).collect(),
        lock: state.lock_view(),
        platform: std::env::consts::OS,
        version: app.package_info().version.to_string(),
        commit: env!("NINSHO_COMMIT"),
        arch: std::env::consts::ARCH,
    }
}

#[tauri::command]
pub fn save_settings(app: AppHandle, state: State<'_, AppState>, settings: Settings) -> Result<AppInfo, UiError> {
    // Turning the lock off from a locked window would also spare the next start its lock.
    state.lock.ensure_unlocked()?;
    let previous = state.settings();
    let settings = managed::keep_managed(settings.sanitized(), &state.user_settings(), &state.policy().policy);
    let in_force = managed::effective(&settings, &state.policy().policy);
    if in_force.lock_enabled && !previous.lock_enabled && !state.vault_has_passphrase() {
        return Err(UiError::new("lock_needs_passphrase"));
    }
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
    events::tell(&app, Change::Settings { before: previous, after: in_force });
    Ok(info_of(&app))
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
