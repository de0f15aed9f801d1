//! The main window as the tray, the shortcut and a second launch bring it back.

use tauri::{AppHandle, Emitter, Manager};

pub fn show_main(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Brings the window forward with the cursor in its search field.
pub fn show_search(app: &AppHandle) {
    show_main(app);
    let _ = app.emit("focus-search", ());
}
