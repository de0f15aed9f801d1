//! The few strings the Rust side shows itself (tray menu, the missing-WebView2 message), from
//! the same catalogs as the UI.

use std::sync::LazyLock;

static JA: LazyLock<serde_json::Value> =
    LazyLock::new(|| serde_json::from_str(include_str!("../../ui/src/i18n/ja.json")).expect("ja.json is valid JSON"));
static EN: LazyLock<serde_json::Value> =
    LazyLock::new(|| serde_json::from_str(include_str!("../../ui/src/i18n/en.json")).expect("en.json is valid JSON"));

/// Looks up a dotted key such as `tray.quit`.
pub fn text(language: &str, key: &str) -> String {
    let catalog = if language == "ja" { &*JA } else { &*EN };
    key.split('.').try_fold(catalog, |node, part| node.get(part)).and_then(|v| v.as_str()).unwrap_or(key).to_owned()
}

/// The catalog for the OS's locale (`ja-JP`, `ja_JP.UTF-8`, …): Japanese for Japanese,
/// English for every other language.
pub fn os_language(locale: Option<&str>) -> &'static str {
    if locale.is_some_and(|l| l.to_ascii_lowercase().starts_with("ja")) { "ja" } else { "en" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tray_strings_exist_in_both_languages() {
        for key in [
            "tray.show",
            "tray.quit",
            "tray.no_accounts",
            "tray.locked",
            "tray.more",
            "tray.tooltip",
            "tray.import_dialog",
            "tray.export_dialog",
            "scan.google_export",
            "scan.picture_dialog",
            "scan.pictures",
        ] {
            assert_ne!(text("ja", key), key);
            assert_ne!(text("en", key), key);
            assert_ne!(text("ja", key), text("en", key), "{key} is translated");
        }
    }

    /// The message shown before Tauri starts where WebView2 is missing (`webview_runtime`).
    #[test]
    fn webview2_strings_exist_in_both_languages() {
        for key in ["webview2.title", "webview2.missing", "webview2.how", "webview2.open"] {
            assert_ne!(text("ja", key), key);
            assert_ne!(text("en", key), key);
            assert_ne!(text("ja", key), text("en", key), "{key} is translated");
        }
    }

    #[test]
    fn the_os_locale_picks_the_catalog() {
        assert_eq!(os_language(Some("ja-JP")), "ja");
        assert_eq!(os_language(Some("JA_jp.UTF-8")), "ja");
        assert_eq!(os_language(Some("en-US")), "en");
        assert_eq!(os_language(Some("fr-FR")), "en");
        assert_eq!(os_language(None), "en");
    }

    /// The import and export dialogs name each format (and so the app a file came from)
    /// from `formats.<id>`.
    #[test]
    fn every_backup_format_has_a_name_in_both_languages() {
        for format in ninsho_core::backup::FORMATS {
            let key = format!("formats.{}", format.id());
            assert_ne!(text("ja", &key), key);
            assert_ne!(text("en", &key), key);
        }
    }
}
