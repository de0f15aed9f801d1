//! User preferences, kept as JSON in the app's config folder (not in the vault: they hold
//! nothing secret and must be readable before the vault is unlocked).

use std::fs;
use std::path::{Path, PathBuf};

use ninsho_core::clock;
use serde::{Deserialize, Serialize};

use crate::i18n;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// "auto" (the OS locale), "ja" or "en".
    pub language: String,
    /// "auto" (the OS), "light" or "dark".
    pub theme: String,
    /// Seconds after which a copied code is wiped from the clipboard; 0 keeps it.
    pub clipboard_clear_seconds: u32,
    /// Closing the window keeps Ninsho in the tray / menu bar.
    pub close_to_tray: bool,
    /// Global shortcut that shows the window with search focused.
    pub shortcut: String,
    /// NTP servers (`host` or `host:port`), tried in order.
    pub clock_servers: Vec<String>,
    /// URL whose Date header is used when UDP 123 is blocked; empty turns the fallback off.
    pub clock_https_url: String,
    pub clock_warn_seconds: f64,
    pub clock_error_seconds: f64,
    /// Minutes between automatic checks.
    pub clock_check_minutes: u32,
    /// Codes use network time (the measured offset) instead of this PC's clock.
    pub clock_correction: bool,
    /// Text size in percent (`text_size::SIZES`); 0 follows the system.
    pub text_size: u16,
    /// The lock: after `lock_minutes` without use, when the screen locks or the PC sleeps.
    pub lock_enabled: bool,
    pub lock_minutes: u32,
    /// The window is left out of screenshots, recordings and screen sharing (Windows and
    /// macOS; Linux has no such request a window can make).
    pub screen_share_protection: bool,
    /// Look for updates at start and once a day.
    pub update_check: bool,
}

pub const DEFAULT_SHORTCUT: &str = "CommandOrControl+Shift+K";

impl Default for Settings {
    fn default() -> Self {
        Settings {
            language: "auto".into(),
            theme: "auto".into(),
            clipboard_clear_seconds: 30,
            close_to_tray: true,
            shortcut: DEFAULT_SHORTCUT.into(),
            clock_servers: clock::DEFAULT_SERVERS.iter().map(|s| s.to_string()).collect(),
            clock_https_url: clock::DEFAULT_HTTPS_URL.into(),
            clock_warn_seconds: clock::Thresholds::default().warn,
            clock_error_seconds: clock::Thresholds::default().error,
            clock_check_minutes: 60,
            clock_correction: false,
            text_size: 0,
            lock_enabled: false,
            lock_minutes: 5,
            screen_share_protection: true,
            update_check: true,
        }
    }
}

impl Settings {
    pub fn clock_config(&self) -> clock::ClockConfig {
        clock::ClockConfig {
            servers: self.clock_servers.clone(),
            https_url: Some(self.clock_https_url.clone()).filter(|u| !u.is_empty()),
            ..clock::ClockConfig::default()
        }
    }

    pub fn thresholds(&self) -> clock::Thresholds {
        clock::Thresholds { warn: self.clock_warn_seconds, error: self.clock_error_seconds }
    }

    /// Unknown values fall back to the defaults instead of failing the app's start.
    pub fn sanitized(mut self) -> Self {
        if !["auto", "ja", "en"].contains(&self.language.as_str()) {
            self.language = "auto".into();
        }
        if !["auto", "light", "dark"].contains(&self.theme.as_str()) {
            self.theme = "auto".into();
        }
        self.clipboard_clear_seconds = self.clipboard_clear_seconds.min(3600);
        self.text_size = crate::text_size::sanitized(self.text_size);
        self.clock_servers = self.clock_servers.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
        self.clock_https_url = self.clock_https_url.trim().to_owned();
        let defaults = clock::Thresholds::default();
        if !(self.clock_warn_seconds.is_finite() && self.clock_warn_seconds > 0.0) {
            self.clock_warn_seconds = defaults.warn;
        }
        if !(self.clock_error_seconds.is_finite() && self.clock_error_seconds > self.clock_warn_seconds) {
            self.clock_error_seconds = self.clock_warn_seconds.max(defaults.error);
        }
        self.clock_check_minutes = self.clock_check_minutes.clamp(1, 24 * 60);
        self.lock_minutes = self.lock_minutes.clamp(1, ninsho_core::policy::MAX_LOCK_MINUTES);
        self
    }

    pub fn load(path: &Path) -> Settings {
        fs::read(path).ok().and_then(|bytes| serde_json::from_slice::<Settings>(&bytes).ok()).unwrap_or_default().sanitized()
    }

    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        fs::write(&tmp, serde_json::to_vec_pretty(self).expect("settings serialize"))?;
        fs::rename(tmp, path)
    }

    /// "ja" or "en" for this user: the setting, else the OS locale.
    pub fn resolved_language(&self, os_locale: Option<&str>) -> &'static str {
        match self.language.as_str() {
            "ja" => "ja",
            "en" => "en",
            _ => i18n::os_language(os_locale),
        }
    }
}

pub fn settings_path(config_dir: PathBuf) -> PathBuf {
    config_dir.join("settings.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_follows_the_os_unless_chosen() {
        let auto = Settings::default();
        assert_eq!(auto.resolved_language(Some("ja-JP")), "ja");
        assert_eq!(auto.resolved_language(Some("ja_JP.UTF-8")), "ja");
        assert_eq!(auto.resolved_language(Some("en-US")), "en");
        assert_eq!(auto.resolved_language(Some("fr-FR")), "en");
        assert_eq!(auto.resolved_language(None), "en");
        let en = Settings { language: "en".into(), ..Settings::default() };
        assert_eq!(en.resolved_language(Some("ja-JP")), "en");
    }

    #[test]
    fn damaged_or_odd_settings_fall_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = settings_path(dir.path().to_owned());
        assert_eq!(Settings::load(&path), Settings::default());
        fs::write(&path, "{not json").unwrap();
        assert_eq!(Settings::load(&path), Settings::default());
        fs::write(
            &path,
            r#"{"language":"fr","theme":"dark","clipboard_clear_seconds":99999,"clock_servers":[" a ",""],
                "clock_warn_seconds":-1,"clock_error_seconds":5,"clock_check_minutes":0}"#,
        )
        .unwrap();
        let s = Settings::load(&path);
        assert_eq!((s.language.as_str(), s.theme.as_str(), s.clipboard_clear_seconds), ("auto", "dark", 3600));
        assert_eq!(s.clock_servers, ["a"]);
        assert_eq!((s.clock_warn_seconds, s.clock_error_seconds, s.clock_check_minutes), (10.0, 30.0, 1));
        assert!(!s.clock_correction);
        s.save(&path).unwrap();
        assert_eq!(Settings::load(&path), s);
    }
}
