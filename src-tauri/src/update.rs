//! Updates through tauri-plugin-updater: looked for at start and once a day when the user
//! and the organization allow it, installed only when the user asks and only when the
//! download carries the release signature (the plugin checks it against the key built into
//! this binary, and that the signature names the version announced). A failure leaves the
//! installed app as it was and is said in one sentence where the user looks (the banner's
//! place and Settings); a look in the background never interrupts.
//!
//! The plugin's own commands are not granted to the page (capabilities/default.json): the
//! page asks this module, which enforces the policy and who installs.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ninsho_core::update::{self, Install, Route};
use serde::Serialize;
use tauri::{AppHandle, Manager};
use tauri_plugin_updater::{Error as PluginError, Update, UpdaterExt};

use crate::error::UiError;
use crate::events::{self, Change};
use crate::state::AppState;

/// The public half of the release signing key, given to the build by the release workflow
/// (and by the tests, their own). A build without it cannot verify an update, so it does
/// not look for one.
const RELEASE_KEY: Option<&str> = option_env!("NINSHO_UPDATER_PUBKEY");
/// The manifest each release publishes, named by the release workflow.
const RELEASE_MANIFEST: Option<&str> = option_env!("NINSHO_UPDATE_MANIFEST");

const CHECK_TIMEOUT: Duration = Duration::from_secs(30);
/// A download slower than this is given up, so that a stalled connection cannot hold the
/// progress bar and the downloaded bytes for ever; the installed app stays as it was.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(15 * 60);
/// How often the background looks whether a check is due: hourly, so that a PC that slept
/// through the day's check looks soon after it wakes.
const WAKE_EVERY: Duration = Duration::from_secs(60 * 60);
/// The first look waits for the first screen and the clock check.
const FIRST_LOOK_AFTER: Duration = Duration::from_secs(5);
/// Progress is told at most this often.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    #[default]
    Idle,
    Checking,
    /// The last look found nothing newer.
    Current,
    Available,
    Downloading,
    Installing,
    /// Installed; the new version starts with the next start (a restart is offered).
    Ready,
    Failed,
}

/// Why a look or an install did not succeed, as a sentence under `update.failure.`.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    Offline,
    ServerError,
    BadManifest,
    NoBuildHere,
    BadSignature,
    DownloadCut,
    /// Larger than any release (`update::MAX_DOWNLOAD_BYTES`).
    TooLarge,
    /// Signed, but not the kind of file this copy installs (another bundle of a release).
    WrongFile,
    InstallFailed,
}

impl Failure {
    /// A failed look: the manifest's request and its answer.
    fn of_check(e: &PluginError) -> Failure {
        match e {
            PluginError::Reqwest(e) if e.is_decode() => Failure::BadManifest,
            PluginError::Reqwest(e) if e.is_status() => Failure::ServerError,
            PluginError::Reqwest(_) | PluginError::Network(_) => Failure::Offline,
            // The plugin's word for an answer that was not a success.
            PluginError::ReleaseNotFound => Failure::ServerError,
            PluginError::TargetNotFound(_) | PluginError::TargetsNotFound(_) => Failure::NoBuildHere,
            _ => Failure::BadManifest,
        }
    }

    /// A failed download: the plugin checks the signature once every byte is in.
    fn of_download(e: &PluginError) -> Failure {
        match e {
            PluginError::Minisign(_)
            | PluginError::Base64(_)
            | PluginError::SignatureUtf8(_)
            | PluginError::SignedVersionMismatch { .. }
            | PluginError::MissingSignedVersion => Failure::BadSignature,
            PluginError::Network(_) => Failure::ServerError,
            PluginError::Reqwest(e) if e.is_status() => Failure::ServerError,
            PluginError::Reqwest(e) if e.is_connect() => Failure::Offline,
            _ => Failure::DownloadCut,
        }
    }
}

/// What Settings and the banner show. No secret, nothing about the vault.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UpdateView {
    phase: Phase,
    installed: String,
    offer: Option<Offer>,
    progress: Option<Progress>,
    failure: Option<Failure>,
    /// Unix time of the last look that got an answer.
    checked_at: Option<u64>,
    /// "on", "off" (the user's choice), "managed_off" (the organization's), or
    /// "not_this_build" (built without the release key or a server to ask).
    checks: &'static str,
    route: Route,
    /// Who manages the check, when the organization does.
    managed_by: Option<String>,
    /// Who named the update server, when it is the organization's own.
    server_set_by: Option<String>,
    /// Windows: installing closes Ninsho and its installer starts the new version.
    installer_restarts: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Offer {
    version: String,
    /// Plain text, trimmed and capped (`ninsho_core::update::notes`).
    notes: String,
    /// The release date the manifest gives, Unix time.
    date: Option<i64>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Progress {
    done: u64,
    total: Option<u64>,
}

#[derive(Default)]
struct Inner {
    phase: Phase,
    found: Option<Update>,
    progress: Option<Progress>,
    failure: Option<Failure>,
    last_answer: Option<SystemTime>,
    last_look: Option<SystemTime>,
}

/// The update feature's state.
#[derive(Default)]
pub struct Updates {
    inner: Mutex<Inner>,
    wake: tokio::sync::Notify,
    /// Asked of the file system once: the view is made at every step of a download.
    route: std::sync::OnceLock<Route>,
    /// Held while the new version is written over the old: the app's exit waits for it,
    /// so that a Quit then never leaves half a file where the app was.
    installing: Mutex<()>,
}

/// Waits until an install in progress has finished (the app's exit calls this).
pub fn wait_for_install(app: &AppHandle) {
    drop(app.state::<Updates>().installing.lock());
}

/// Whether and where to look, for this build under this policy and these settings.
fn plan(state: &AppState) -> (update::Plan, &'static str) {
    let plan = update::plan(&state.policy().policy, state.user_settings().update_check, RELEASE_MANIFEST);
    let checks = match () {
        _ if RELEASE_KEY.is_none() || plan.manifest.is_none() => "not_this_build",
        _ if plan.check => "on",
        _ if plan.managed_by.is_some() => "managed_off",
        _ => "off",
    };
    (plan, checks)
}

/// How this copy was installed, from the mark the bundler leaves in the binary.
fn install_here() -> Install {
    use tauri::utils::config::BundleType;
    use tauri::utils::platform::bundle_type;
    match bundle_type() {
        Some(BundleType::Nsis) => Install::Nsis,
        Some(BundleType::Msi) => Install::Msi,
        Some(BundleType::AppImage) => Install::AppImage,
        Some(BundleType::Deb | BundleType::Rpm) => Install::SystemPackage,
        Some(BundleType::App | BundleType::Dmg) => Install::MacApp,
        _ => Install::Unbundled,
    }
}

/// The file or bundle an update replaces: the AppImage (not the copy it runs from), the
/// `.app`, or the executable.
fn replaced_path(app: &AppHandle) -> Option<std::path::PathBuf> {
    #[cfg(target_os = "linux")]
    if let Some(appimage) = app.env().appimage {
        return Some(appimage.into());
    }
    let _ = app;
    let exe = tauri::utils::platform::current_exe().ok()?;
    if cfg!(target_os = "macos") {
        return exe.ancestors().find(|p| p.extension().is_some_and(|e| e == "app")).map(Into::into);
    }
    Some(exe)
}

/// Whether this user may write the folder that holds what an update replaces: a file
/// made there and removed at once, the question the OS answers truly for ACLs and
/// read-only mounts alike.
fn folder_writable(path: &std::path::Path) -> bool {
    let Some(folder) = path.parent() else { return false };
    let probe = folder.join(format!(".ninsho-update-check-{}", std::process::id()));
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => std::fs::remove_file(&probe).is_ok(),
        Err(_) => false,
    }
}

fn route_here(app: &AppHandle) -> Route {
    *app.state::<Updates>().route.get_or_init(|| {
        let writable = replaced_path(app).is_some_and(|p| folder_writable(&p));
        update::route(install_here(), writable)
    })
}

fn unix(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

pub fn view(app: &AppHandle) -> UpdateView {
    let state = app.state::<AppState>();
    let (plan, checks) = plan(&state);
    let updates = app.state::<Updates>();
    let inner = updates.inner.lock().expect("update lock");
    let offer = inner.found.as_ref().map(|u| Offer {
        version: u.version.clone(),
        notes: update::notes(u.body.as_deref().unwrap_or_default()),
        date: u.date.map(|d| d.unix_timestamp()),
    });
    UpdateView {
        phase: inner.phase,
        installed: app.package_info().version.to_string(),
        offer,
        progress: inner.progress,
        failure: inner.failure,
        checked_at: inner.last_answer.map(unix),
        checks,
        route: route_here(app),
        managed_by: plan.managed_by.map(|s| s.to_string()),
        server_set_by: plan.server_set_by.map(|s| s.to_string()),
        installer_restarts: cfg!(windows),
    }
}

fn tell(app: &AppHandle) {
    events::tell(app, Change::Update(serde_json::to_value(view(app)).unwrap_or_default()));
}

fn set(app: &AppHandle, change: impl FnOnce(&mut Inner)) {
    change(&mut app.state::<Updates>().inner.lock().expect("update lock"));
    tell(app);
}

/// Looks for an update now. `Err` only for a look this build or the policy does not allow.
async fn look(app: &AppHandle) -> Result<(), UiError> {
    let state = app.state::<AppState>();
    let (plan, checks) = plan(&state);
    let (Some(key), Some(manifest), "on") = (RELEASE_KEY, plan.manifest, checks) else {
        return Err(UiError::new("update_checks_off"));
    };
    let url = manifest.parse().map_err(|_| UiError::new("update_checks_off"))?;
    {
        let updates = app.state::<Updates>();
        let mut inner = updates.inner.lock().expect("update lock");
        if matches!(inner.phase, Phase::Checking | Phase::Downloading | Phase::Installing | Phase::Ready) {
            return Ok(());
        }
        inner.phase = Phase::Checking;
        inner.last_look = Some(SystemTime::now());
    }
    tell(app);
    let quitting = app.clone();
    let updater = app
        .updater_builder()
        // Windows: the installer is started and Ninsho ends without its event loop's exit.
        .on_before_exit(move || {
            events::tell(&quitting, Change::Quitting);
            quitting.state::<AppState>().clipboard.clear_now();
            quitting.cleanup_before_exit();
        })
        .pubkey(key)
        .endpoints(vec![url])
        .and_then(|b| b.timeout(CHECK_TIMEOUT).build());
    let result = match updater {
        Ok(updater) => updater.check().await,
        Err(e) => Err(e),
    };
    set(app, |inner| match result {
        Ok(found) => {
            inner.phase = if found.is_some() { Phase::Available } else { Phase::Current };
            inner.found = found;
            inner.failure = None;
            inner.last_answer = Some(SystemTime::now());
        }
        Err(e) => {
            eprintln!("ninsho: update check failed: {e}");
            inner.phase = Phase::Failed;
            inner.failure = Some(Failure::of_check(&e));
        }
    });
    Ok(())
}

/// At start (after the first screen) and whenever a day has passed; woken early when the
/// user or the organization turns the check on.
pub fn spawn_checker(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(FIRST_LOOK_AFTER).await;
        loop {
            let last = app.state::<Updates>().inner.lock().expect("update lock").last_look;
            if update::due(last, SystemTime::now()) {
                // Not allowed now: the next wake asks again.
                let _ = look(&app).await;
            }
            let updates = app.state::<Updates>();
            tokio::select! {
                _ = tokio::time::sleep(WAKE_EVERY) => {}
                _ = updates.wake.notified() => {}
            }
        }
    });
}

/// Settings and the policy change what the view says; turning the check on looks now.
pub fn follow(app: &AppHandle) {
    events::subscribe(app, |app, change| {
        if let Change::Settings { before, after } | Change::Policy { before, after } = change {
            if !before.update_check && after.update_check {
                app.state::<Updates>().wake.notify_one();
            }
            tell(app);
        }
    });
}

#[tauri::command]
pub fn update_status(app: AppHandle) -> UpdateView {
    view(&app)
}

/// "Check now" in Settings.
#[tauri::command]
pub async fn update_check(app: AppHandle) -> Result<UpdateView, UiError> {
    look(&app).await?;
    Ok(view(&app))
}

/// Downloads the update found, has the plugin verify its signature, and installs it. The
/// rules are here, not in the page: only where the check is allowed and this user installs.
#[tauri::command]
pub fn update_install(app: AppHandle) -> Result<UpdateView, UiError> {
    let (_, checks) = plan(&app.state::<AppState>());
    if checks != "on" {
        return Err(UiError::new("update_checks_off"));
    }
    if route_here(&app) != Route::InApp {
        return Err(UiError::new("update_not_installed_here"));
    }
    let found = {
        let updates = app.state::<Updates>();
        let mut inner = updates.inner.lock().expect("update lock");
        let Some(found) = inner.found.clone().filter(|_| matches!(inner.phase, Phase::Available | Phase::Failed)) else {
            return Err(UiError::new("update_none_found"));
        };
        inner.phase = Phase::Downloading;
        inner.progress = Some(Progress { done: 0, total: None });
        inner.failure = None;
        found
    };
    tell(&app);
    let handle = app.clone();
    tauri::async_runtime::spawn(async move { download_and_install(&handle, found).await });
    Ok(view(&app))
}

async fn download_and_install(app: &AppHandle, mut found: Update) {
    found.timeout = Some(DOWNLOAD_TIMEOUT);
    let mut done = 0u64;
    let mut told = Instant::now();
    let too_large = std::sync::Arc::new(tokio::sync::Notify::new());
    let stop = too_large.clone();
    // The plugin keeps every byte until it can check the signature: a server that sends
    // more than any release is cut off (its stated length, or the bytes so far).
    let download = found.download(
        |chunk, total| {
            done += chunk as u64;
            if done.max(total.unwrap_or(0)) > update::MAX_DOWNLOAD_BYTES {
                stop.notify_one();
            } else if told.elapsed() >= PROGRESS_EVERY {
                told = Instant::now();
                set(app, |inner| inner.progress = Some(Progress { done, total }));
            }
        },
        || {},
    );
    let downloaded = tokio::select! {
        result = download => result.map_err(|e| {
            eprintln!("ninsho: update download refused: {e}");
            Failure::of_download(&e)
        }),
        _ = too_large.notified() => Err(Failure::TooLarge),
    };
    let install = install_here();
    let bytes = match downloaded {
        Ok(bytes) if update::fits(install, &bytes) => bytes,
        Ok(_) => return fail(app, Failure::WrongFile),
        Err(failure) => return fail(app, failure),
    };
    // The policy may have changed while the file came: it is asked again.
    if plan(&app.state::<AppState>()).1 != "on" {
        return set(app, |inner| {
            inner.phase = Phase::Idle;
            inner.found = None;
            inner.progress = None;
        });
    }
    set(app, |inner| inner.phase = Phase::Installing);
    let handle = app.clone();
    let installed = tauri::async_runtime::spawn_blocking(move || {
        let updates = handle.state::<Updates>();
        let _writing = updates.installing.lock();
        found.install(bytes)
    })
    .await;
    match installed {
        Ok(Ok(())) => set(app, |inner| {
            inner.progress = None;
            inner.phase = Phase::Ready;
        }),
        Ok(Err(e)) => {
            eprintln!("ninsho: update not installed: {e}");
            fail(app, Failure::InstallFailed)
        }
        Err(_) => fail(app, Failure::InstallFailed),
    }
}

fn fail(app: &AppHandle, failure: Failure) {
    set(app, |inner| {
        inner.phase = Phase::Failed;
        inner.progress = None;
        inner.failure = Some(failure);
    });
}

/// "Restart now" once installed: the event loop's exit writes what is pending first.
#[tauri::command]
pub fn update_restart(app: AppHandle) -> Result<(), UiError> {
    if app.state::<Updates>().inner.lock().expect("update lock").phase != Phase::Ready {
        return Err(UiError::new("update_none_found"));
    }
    app.request_restart();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_is_named_for_what_the_user_can_do() {
        assert_eq!(Failure::of_check(&PluginError::ReleaseNotFound), Failure::ServerError);
        let not_json = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
        assert_eq!(Failure::of_check(&PluginError::Serialization(not_json)), Failure::BadManifest);
        assert_eq!(Failure::of_check(&PluginError::TargetsNotFound(vec!["linux-x86_64".into()])), Failure::NoBuildHere);
        assert_eq!(Failure::of_check(&PluginError::Network("no route".into())), Failure::Offline);

        let swapped = PluginError::SignedVersionMismatch { signed: "0.1.1".into(), announced: "9.0.0".into() };
        assert_eq!(Failure::of_download(&swapped), Failure::BadSignature, "an old release offered under a new number");
        assert_eq!(Failure::of_download(&PluginError::MissingSignedVersion), Failure::BadSignature);
        assert_eq!(Failure::of_download(&PluginError::Network("404".into())), Failure::ServerError);
        assert_eq!(Failure::of_download(&PluginError::Io(std::io::ErrorKind::UnexpectedEof.into())), Failure::DownloadCut);
    }
}
