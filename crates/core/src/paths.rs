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

#[cfg(test)]
mod tests {
    use super::*;

    /// The folder Windows names FOLDERID_RoamingAppData, which `%APPDATA%` also names.
    #[cfg(windows)]
    #[test]
    fn the_vault_lives_in_roaming_app_data_on_windows() {
        let app_data = PathBuf::from(std::env::var_os("APPDATA").expect("Windows sets APPDATA"));
        assert_eq!(default_vault_path().unwrap(), app_data.join("jp.ninsho.app").join("vault.ninsho"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_vault_follows_xdg_data_home_on_linux() {
        let path = default_vault_path().unwrap();
        assert!(path.ends_with("jp.ninsho.app/vault.ninsho"), "{}", path.display());
        if let Some(data_home) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
            assert!(path.starts_with(data_home));
        }
    }
}
