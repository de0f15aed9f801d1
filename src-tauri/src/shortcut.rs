//! The global shortcut that brings the window forward with search focused.

use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_global_shortcut::{GlobalShortcutExt, Shortcut, ShortcutState};

use crate::error::UiError;

pub fn plugin() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    tauri_plugin_global_shortcut::Builder::new()
        .with_handler(|app, _shortcut, event| {
            if event.state == ShortcutState::Pressed {
                app.state::<crate::state::AppState>().lock.touch_unless_locked();
                crate::show_main(app);
                let _ = app.emit("focus-search", ());
            }
        })
        .build()
}

fn parse(text: &str) -> Result<Shortcut, UiError> {
    text.parse::<Shortcut>().map_err(|_| UiError::new("shortcut_invalid").with("value", text))
}

pub fn register(app: &AppHandle, text: &str) -> Result<(), UiError> {
    app.global_shortcut().register(parse(text)?).map_err(|e| UiError::new("shortcut_taken").with("value", text).with("detail", e))
}

/// Swaps the shortcut; on failure the old one stays registered.
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
