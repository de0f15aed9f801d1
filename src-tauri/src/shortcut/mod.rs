//! The global shortcut that brings the window forward with search focused.
//!
//! macOS and Windows use Tauri's global-shortcut plugin: Carbon's hot keys and
//! `RegisterHotKey` hand it the press as an event. On Linux Ninsho grabs the key on X11
//! itself (`x11.rs`), because the plugin's X11 thread wakes 20 times a second to look for
//! one. Both take the same text ("CommandOrControl+Shift+K"), parsed by the same crate.

#[cfg(target_os = "linux")]
mod x11;

#[cfg(target_os = "linux")]
use global_hotkey::hotkey::HotKey as Shortcut;
use tauri::{AppHandle, Manager};
#[cfg(not(target_os = "linux"))]
use tauri_plugin_global_shortcut::{GlobalShortcutExt, Shortcut, ShortcutState};

use crate::error::UiError;
use crate::state::AppState;

fn pressed(app: &AppHandle) {
    app.state::<AppState>().lock.touch_unless_locked();
    crate::window::show_search(app);
}

fn parse(text: &str) -> Result<Shortcut, UiError> {
    text.parse::<Shortcut>().map_err(|_| UiError::new("shortcut_invalid").with("value", text))
}

#[cfg(not(target_os = "linux"))]
pub fn plugin() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    tauri_plugin_global_shortcut::Builder::new()
        .with_handler(|app, _shortcut, event| {
            if event.state == ShortcutState::Pressed {
                pressed(app);
            }
        })
        .build()
}

#[cfg(not(target_os = "linux"))]
pub fn register(app: &AppHandle, text: &str) -> Result<(), UiError> {
    app.global_shortcut().register(parse(text)?).map_err(|e| UiError::new("shortcut_taken").with("value", text).with("detail", e))
}

/// Swaps the shortcut; on failure the old one stays registered.
#[cfg(not(target_os = "linux"))]
pub fn replace(app: &AppHandle, old: &str, new: &str) -> Result<(), UiError> {
    let new_shortcut = parse(new)?;
    if let Ok(old) = parse(old) {
        let _ = app.global_shortcut().unregister(old);
    }
    app.global_shortcut().register(new_shortcut).map_err(|e| {
        let _ = register(app, old);
        UiError::new("shortcut_taken").with("value", new).with("detail", e)
    })
}

#[cfg(target_os = "linux")]
pub fn register(app: &AppHandle, text: &str) -> Result<(), UiError> {
    let shortcut = parse(text)?;
    grabber(app, text)?.grab(&shortcut).map_err(|e| grab_error(text, e))
}

/// Swaps the shortcut; on failure the old one stays grabbed.
#[cfg(target_os = "linux")]
pub fn replace(app: &AppHandle, _old: &str, new: &str) -> Result<(), UiError> {
    register(app, new)
}

/// The X11 connection, made at the first registration and kept for the app's life.
#[cfg(target_os = "linux")]
fn grabber<'a>(app: &'a AppHandle, text: &str) -> Result<tauri::State<'a, x11::Grabber>, UiError> {
    static CONNECTING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = CONNECTING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if app.try_state::<x11::Grabber>().is_none() {
        let handle = app.clone();
        let grabber = x11::Grabber::connect(move || {
            let app = handle.clone();
            let _ = handle.run_on_main_thread(move || pressed(&app));
        })
        .map_err(|e| grab_error(text, e))?;
        app.manage(grabber);
    }
    Ok(app.state::<x11::Grabber>())
}

#[cfg(target_os = "linux")]
fn grab_error(text: &str, e: x11::Error) -> UiError {
    let error = match e {
        x11::Error::UnsupportedKey(_) | x11::Error::NotOnKeyboard(_) => UiError::new("shortcut_invalid"),
        x11::Error::NoDisplay(_) | x11::Error::Taken | x11::Error::Refused(_) | x11::Error::Thread(_) => UiError::new("shortcut_taken"),
    };
    error.with("value", text).with("detail", e)
}
