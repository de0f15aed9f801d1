/// The commit this app is built from, shown in Settings beside the version so a report
/// names the exact build. Empty when built from a source archive.
fn commit() -> String {
    for path in ["../.git/HEAD", "../.git/refs/heads", "../.git/packed-refs"] {
        if std::path::Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    std::process::Command::new("git")
        .args(["rev-parse", "--short=10", "HEAD"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn main() {
    println!("cargo:rustc-env=NINSHO_COMMIT={}", commit());
    // Only these commands may be called from the web view; capabilities/default.json
    // grants them to the main window.
    const COMMANDS: &[&str] = &[
        "app_info",
        "update_status",
        "update_check",
        "update_install",
        "update_restart",
        "lock_status",
        "lock_now",
        "lock_activity",
        "unlock_with_passphrase",
        "unlock_with_os",
        "start_at_login",
        "set_start_at_login",
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
        "open_date_settings",
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
        "backup_status",
        "backup_pick_folder",
        "backup_enable",
        "backup_disable",
        "backup_now",
        "deleted_list",
        "undelete",
        "empty_deleted",
        "backup_list",
        "backup_forget_earlier",
        "restore_preview",
        "restore_replace",
        "recover_from_backup",
        "recover_fresh",
        "protect_prompt_due",
        "set_passphrase",
    ];
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)))
        .expect("tauri build configuration");
}
