fn main() {
    // Only these commands may be called from the web view; capabilities/default.json
    // grants them to the main window.
    const COMMANDS: &[&str] = &[
        "app_info",
        "status",
        "reopen",
        "unlock",
        "create_with_passphrase",
        "list",
        "reload",
        "add_account",
        "update_account",
        "delete_account",
        "reorder",
        "copy_code",
        "reveal",
        "save_settings",
        "clock_status",
        "check_clock",
        "ui_ready",
        "formats",
        "import_preview",
        "import_commit",
        "import_cancel",
        "export",
        "scan_screens",
        "scan_cancel",
        "scan_picture",
        "scan_clipboard",
        "scan_add",
        "scan_forget",
        "open_screen_recording_settings",
        "scan_area",
        "area_chosen",
        "area_language",
    ];
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)))
        .expect("tauri build configuration");
}
