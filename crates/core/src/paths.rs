//! Where Ninsho keeps its files on each OS.

use std::path::PathBuf;

/// The app identifier; the Tauri app's data folder and keyring service use it too, so the
/// app and the CLI open the same vault.
pub const APP_ID: &str = "jp.ninsho.app";

pub const VAULT_FILE_NAME: &str = "vault.ninsho";

/// The per-user vault path: `~/.local/share/jp.ninsho.app/vault.ninsho` on Linux,
/// `~/Library/Application Support/jp.ninsho.app/` on macOS, `%APPDATA%\jp.ninsho.app\` on Windows.
pub fn default_vault_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(APP_ID).join(VAULT_FILE_NAME))
}
