//! Ninsho's desktop app over `ninsho-core`, in layers that only look down (docs/design.md,
//! "The app shell"; `scripts/lint` fails on a cycle, and `tests::layers` on a look up):
//!
//! 1. what the OS and Tauri offer, behind small seams: `error`, `i18n`, `clipboard`,
//!    `date_settings`, `file_dialogs`, `navigation`, `os_check`, `text_size`,
//!    `webview_runtime`, `window`;
//! 2. `state`: what the app holds, and whether a call may see accounts;
//! 3. `events`: what changed, for those who follow it and for the page;
//! 4. what several features share: `account_view`, `adding`, `codes`, `import_preview`,
//!    `shortcut`;
//! 5. one module per feature, each with its commands: `accounts`, `app`, `backups`, `clock`,
//!    `lock`, `policy`, `protect_prompt`, `scan`, `transfer`, `tray`, `update`, `vault`;
//! 6. `boot` (the first screen, from several features) and this file, which wires them.

mod clipboard;
mod date_settings;
mod error;
mod file_dialogs;
mod i18n;
mod navigation;
pub mod os_check;
mod text_size;
mod webview_runtime;
mod window;

mod state;

mod events;

mod account_view;
mod adding;
mod codes;
mod import_preview;
mod shortcut;

mod accounts;
mod app;
mod backups;
mod clock;
mod lock;
mod policy;
mod protect_prompt;
mod scan;
mod transfer;
mod tray;
mod update;
mod vault;

mod boot;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, LazyLock, Mutex, Once};
use std::time::{Duration, Instant};

use tauri::{AppHandle, Manager, WindowEvent};

use events::Change;
use state::settings::{Settings, settings_path};
use state::{AppState, Opened, VaultState, open_vault, vault_path};
use window::show_main;

static STARTED: LazyLock<Instant> = LazyLock::new(Instant::now);

static STARTUP_FINISHED: Once = Once::new();

/// The UI calls this once its first screen is painted (the launch benchmark reads the
/// line); what the first paint does not need is set up only then.
#[tauri::command]
fn ui_ready(app: AppHandle) {
    eprintln!("ninsho: first codes painted {} ms after start", STARTED.elapsed().as_millis());
    finish_startup(&app);
}

/// Tray, global shortcut and clock checks: started after the first paint so that they do
/// not compete with it, and only once.
fn finish_startup(app: &AppHandle) {
    STARTUP_FINISHED.call_once(|| {
        let state = app.state::<AppState>();
        let shortcut = state.settings().shortcut;
        if let Err(e) = shortcut::register(app, &shortcut) {
            eprintln!("ninsho: global shortcut {shortcut} not available: {}", e.key);
        }
        state.has_tray.store(tray::create(app), Ordering::Relaxed);
        clock::spawn_checker(app.clone());
        update::spawn_checker(app.clone());
    });
}

/// The main window, created here rather than from the configuration so that the first
/// screen's data goes in with it (see `boot::Boot`).
fn create_main_window(app: &AppHandle) -> tauri::Result<()> {
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == "main").cloned() else {
        return Ok(());
    };
    let protected = app.state::<AppState>().settings().screen_share_protection;
    let mut builder = navigation::guarded(tauri::WebviewWindowBuilder::from_config(app, &config)?).content_protected(protected);
    if let Some(boot) = boot::boot(app)
        && let Ok(json) = serde_json::to_string(&boot)
    {
        builder = builder.initialization_script(format!("window.__NINSHO_BOOT__ = {json};"));
    }
    builder.build()?;
    text_size::apply(app, app.state::<AppState>().settings().text_size);
    Ok(())
}

/// A logout, shutdown or `kill` sends SIGTERM (Ctrl+C in a terminal SIGINT): quit the way
/// the tray's Quit does, so what is pending (a backup waiting for its debounce) is written.
/// Windows and macOS end apps through the event loop, which Tauri turns into the same exit.
fn quit_on_terminate(app: AppHandle) {
    #[cfg(unix)]
    tauri::async_runtime::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut interrupt)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) else { return };
        tokio::select! {
            _ = term.recv() => {}
            _ = interrupt.recv() => {}
        }
        app.exit(0);
    });
    #[cfg(not(unix))]
    let _ = app;
}

pub fn run() {
    LazyLock::force(&STARTED);
    #[cfg(windows)]
    webview_runtime::ensure_available();
    // Opening the vault (a keyring round trip) overlaps with starting the web view.
    let vault_path = vault_path();
    let opening = vault_path.clone().ok().map(|path| {
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // The receiver is gone only if the app is already quitting.
            let _ = sender.send(open_vault(&path));
        });
        receiver
    });
    let builder = tauri::Builder::default()
        // First, so a second launch only brings the running window forward.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| show_main(app)))
        // The "select an area" overlay is placed over a monitor each time, never restored.
        .plugin(tauri_plugin_window_state::Builder::default().with_denylist(&["select"]).build())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        // Its commands are not granted to the page; `update` drives it (see there).
        .plugin(tauri_plugin_updater::Builder::new().build())
        // A LaunchAgent on macOS: unlike the AppleScript launcher it needs no permission to
        // control System Events. The Run key on Windows, ~/.config/autostart on Linux.
        .plugin(tauri_plugin_autostart::init(tauri_plugin_autostart::MacosLauncher::LaunchAgent, None));
    #[cfg(not(target_os = "linux"))]
    let builder = builder.plugin(shortcut::plugin());
    builder
        .setup(|app| {
            let config_dir = app.path().app_config_dir()?;
            let settings_path = settings_path(config_dir);
            let settings = Settings::load(&settings_path);
            let policy = ninsho_core::policy::load();
            for problem in &policy.problems {
                eprintln!("ninsho: policy value not applied: {problem}");
            }
            let (vault_path, vault) = match vault_path {
                Ok(path) => (path, VaultState::Opening),
                Err(e) => (Default::default(), VaultState::Locked(e)),
            };
            app.manage(AppState {
                vault_path,
                vault: Mutex::new(vault),
                vault_changed: Condvar::new(),
                settings: Mutex::new(settings),
                settings_path,
                os_locale: sys_locale::get_locale(),
                clipboard: clipboard::CodeClipboard::default(),
                clock: state::clock::ClockState::default(),
                has_tray: AtomicBool::new(false),
                policy: Mutex::new(policy),
                lock: state::lock::LockState::default(),
            });
            app.manage(events::Followers::default());
            app.manage(backups::Backups::default());
            app.manage(import_preview::PendingImport::default());
            app.manage(transfer::ChosenImport::default());
            app.manage(scan::PendingScan::default());
            app.manage(scan::AreaSelection::default());
            app.manage(file_dialogs::LastFolder::default());
            app.manage(update::Updates::default());
            let handle = app.handle();
            tray::follow(handle);
            backups::follow(handle);
            clock::follow(handle);
            scan::follow(handle);
            import_preview::follow(handle);
            update::follow(handle);
            policy::spawn_watcher(handle.clone());
            lock::spawn_ticker(handle.clone());
            backups::spawn_writer(handle.clone());
            quit_on_terminate(handle.clone());
            if let Some(opening) = opening {
                // Usually open by now; a keychain prompt must not hold the window back.
                match opening.recv_timeout(Duration::from_millis(150)) {
                    Ok(opened) => handle.state::<AppState>().install_vault(opened, Opened::ByItself),
                    Err(_) => {
                        let handle = handle.clone();
                        std::thread::spawn(move || {
                            let opened = opening.recv().unwrap_or_else(|_| VaultState::Locked(error::UiError::new("internal")));
                            handle.state::<AppState>().install_vault(opened, Opened::ByItself);
                            events::tell(&handle, Change::VaultOpened);
                        });
                    }
                }
            }
            create_main_window(handle)?;
            if let Some(window) = app.get_webview_window("main") {
                let handle = handle.clone();
                window.on_window_event(move |event| {
                    if let WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                        scan::dropped(&handle, paths);
                    }
                    if let WindowEvent::CloseRequested { api, .. } = event
                        && handle.state::<AppState>().has_tray.load(Ordering::Relaxed)
                        && handle.state::<AppState>().settings().close_to_tray
                        && let Some(window) = handle.get_webview_window("main")
                    {
                        api.prevent_close();
                        let _ = window.hide();
                    }
                });
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            ui_ready,
            app::app_info,
            app::save_settings,
            app::start_at_login,
            app::set_start_at_login,
            vault::status,
            vault::reopen,
            vault::unlock,
            vault::create_with_passphrase,
            accounts::list,
            accounts::reload,
            accounts::add_account,
            accounts::update_account,
            accounts::delete_account,
            accounts::reorder,
            accounts::copy_code,
            accounts::reveal,
            clock::clock_status,
            clock::check_clock,
            clock::open_date_settings,
            transfer::formats,
            transfer::import_preview,
            transfer::import_commit,
            transfer::import_cancel,
            transfer::export,
            scan::scan_screens,
            scan::scan_cancel,
            scan::scan_picture,
            scan::scan_clipboard,
            scan::scan_add,
            scan::scan_forget,
            scan::open_screen_recording_settings,
            scan::scan_area,
            scan::area_chosen,
            scan::area_language,
            backups::backup_status,
            backups::backup_pick_folder,
            backups::backup_enable,
            backups::backup_disable,
            backups::backup_now,
            backups::deleted_list,
            backups::undelete,
            backups::empty_deleted,
            backups::backup_list,
            backups::backup_forget_earlier,
            backups::restore_preview,
            backups::restore_replace,
            backups::recover_from_backup,
            backups::recover_fresh,
            protect_prompt::protect_prompt_due,
            protect_prompt::set_passphrase,
            lock::lock_status,
            lock::lock_now,
            lock::lock_activity,
            lock::unlock_with_passphrase,
            lock::unlock_with_os,
            update::update_status,
            update::update_check,
            update::update_install,
            update::update_restart,
        ])
        .build(tauri::generate_context!())
        .expect("the app could not start its window system")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                update::wait_for_install(app);
                app.state::<AppState>().clipboard.clear_now();
                backups::flush(app);
            }
        });
}

#[cfg(test)]
mod tests {
    /// The layers named in this file's first lines, bottom first.
    const LAYERS: [&[&str]; 6] = [
        &["error", "i18n", "clipboard", "date_settings", "file_dialogs", "navigation", "os_check", "text_size", "webview_runtime", "window"],
        &["state"],
        &["events"],
        &["account_view", "adding", "codes", "import_preview", "shortcut"],
        &["accounts", "app", "backups", "clock", "lock", "policy", "protect_prompt", "scan", "transfer", "tray", "update", "vault"],
        &["boot"],
    ];

    /// A module may use what is in a layer below its own, and within the seams and the
    /// shared layer what sits before it in the list (`i18n` may use `error`); a feature never
    /// uses another feature, so that a change to one touches that one alone.
    #[test]
    fn layers() {
        let krate = ninsho_module_graph::Crate::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
        let graph = ninsho_module_graph::Graph::of(&krate);
        let declared: Vec<&str> = LAYERS.iter().flat_map(|l| l.iter().copied()).collect();
        let top: Vec<String> = krate.modules[0].children.keys().cloned().collect();
        let mut sorted = declared.clone();
        sorted.sort_unstable();
        assert_eq!(top, sorted, "every module of lib.rs has its place in LAYERS, once");
        let place = |m: &str| LAYERS.iter().position(|l| l.contains(&m)).unwrap();
        let mut wrong = Vec::new();
        for from in &declared {
            for to in &declared {
                if from != to && graph.depends(from, to) {
                    let (a, b) = (place(from), place(to));
                    let ordered_within = a == b && a != 4 && LAYERS[a].iter().position(|m| m == to) < LAYERS[a].iter().position(|m| m == from);
                    if b > a || (a == b && !ordered_within) {
                        wrong.push(format!("{from} -> {to}"));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "modules looking beside or up: {wrong:?}");
        assert!(graph.depends("tray", "events") && graph.depends("events", "state"), "the check sees dependencies");
        assert!(graph.upward().is_empty(), "{:?}", graph.upward());
    }
}
