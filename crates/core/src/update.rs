//! Updates: whether this copy of Ninsho looks for them and where, whether it may install
//! one itself, when the next look is due, and what of a release's notes is shown. The
//! download and its signature check are tauri-plugin-updater's, in the app.

use std::time::{Duration, SystemTime};

use crate::policy::{Policy, Source};

/// A look at start, then one a day: a fix reaches a PC within a day of its release, and
/// the update server sees one request per PC and day.
pub const CHECK_EVERY: Duration = Duration::from_secs(24 * 60 * 60);

/// Release notes longer than this are cut: they are read in a banner and a settings pane,
/// and the manifest that carries them is not signed.
pub const MAX_NOTES_CHARS: usize = 2000;

/// How this copy was installed, as the installer recorded it in the app's binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Install {
    /// Windows, the per-user NSIS installer.
    Nsis,
    /// Windows, the per-machine MSI that IT deploys.
    Msi,
    /// Linux, a single file in the user's own folders.
    AppImage,
    /// Linux, a system package (`.deb`, `.rpm`).
    SystemPackage,
    /// macOS, the `.app` bundle.
    MacApp,
    /// Not from an installer: a build run where it was built or copied.
    Unbundled,
}

/// Who installs a new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Ninsho itself, when the user agrees.
    InApp,
    /// IT, who deployed the per-machine MSI: the app tells, and installs nothing.
    Organization,
    /// The system's package manager, which installed the package.
    PackageManager,
    /// Nobody from here: the user cannot write where the app is (an `.app` an
    /// administrator put in /Applications).
    ReadOnlyFolder,
}

/// `folder_writable`: whether this user may replace the app's files.
pub fn route(install: Install, folder_writable: bool) -> Route {
    match install {
        Install::Msi => Route::Organization,
        Install::SystemPackage => Route::PackageManager,
        Install::Nsis | Install::AppImage | Install::MacApp | Install::Unbundled if folder_writable => Route::InApp,
        Install::Nsis | Install::AppImage | Install::MacApp | Install::Unbundled => Route::ReadOnlyFolder,
    }
}

/// Whether to look for updates, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub check: bool,
    /// Who decided `check`, when it was the organization.
    pub managed_by: Option<Source>,
    /// The manifest's address; `None` for a build that names no release server.
    pub manifest: Option<String>,
    /// Who named `manifest`, when it is not the releases'.
    pub server_set_by: Option<Source>,
}

/// The organization's `update_check` over the user's choice, and its `update_url` over
/// `releases`, the manifest the release build names (the file each release publishes
/// beside its installers).
pub fn plan(policy: &Policy, user_wants_checks: bool, releases: Option<&str>) -> Plan {
    let (manifest, server_set_by) = match &policy.update_url {
        Some(m) => (Some(m.value.clone()), Some(m.source.clone())),
        None => (releases.map(str::to_owned), None),
    };
    match &policy.update_check {
        Some(m) => Plan { check: m.value, managed_by: Some(m.source.clone()), manifest, server_set_by },
        None => Plan { check: user_wants_checks, managed_by: None, manifest, server_set_by },
    }
}

/// Whether a look is due: never looked yet, a day since the last, or the clock went back
/// past it (the PC's clock was wrong then or is now; looking again costs one request).
pub fn due(last: Option<SystemTime>, now: SystemTime) -> bool {
    match last {
        None => true,
        Some(last) => now.duration_since(last).map_or(true, |since| since >= CHECK_EVERY),
    }
}

/// A release's notes as shown: plain text (the page never renders them as HTML), control
/// characters but line breaks dropped, blank lines at the ends trimmed, at most
/// [`MAX_NOTES_CHARS`] characters with an ellipsis where they were cut.
pub fn notes(raw: &str) -> String {
    let clean: String = raw.replace("\r\n", "\n").chars().filter(|c| *c == '\n' || !c.is_control()).collect();
    let clean = clean.trim();
    match clean.char_indices().nth(MAX_NOTES_CHARS) {
        Some((end, _)) => format!("{}…", clean[..end].trim_end()),
        None => clean.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Managed;

    fn source(name: &str) -> Source {
        Source(name.into())
    }

    #[test]
    fn only_copies_the_user_can_replace_update_themselves() {
        assert_eq!(route(Install::Nsis, true), Route::InApp);
        assert_eq!(route(Install::AppImage, true), Route::InApp);
        assert_eq!(route(Install::MacApp, false), Route::ReadOnlyFolder);
        assert_eq!(route(Install::Msi, true), Route::Organization, "an administrator's MSI is IT's to update, writable or not");
        assert_eq!(route(Install::SystemPackage, true), Route::PackageManager);
        assert_eq!(route(Install::Unbundled, false), Route::ReadOnlyFolder);
    }

    #[test]
    fn the_organization_decides_over_the_user_and_may_name_its_server() {
        const RELEASES: Option<&str> = Some("https://github.com/o/ninsho/releases/latest/download/latest.json");
        let none = Policy::default();
        assert_eq!(plan(&none, true, RELEASES), Plan { check: true, managed_by: None, manifest: RELEASES.map(Into::into), server_set_by: None });
        assert!(!plan(&none, false, RELEASES).check);
        assert_eq!(plan(&none, true, None).manifest, None, "a build without a release server");

        let off = Policy { update_check: Some(Managed { value: false, source: source("HKLM") }), ..Policy::default() };
        assert!(!plan(&off, true, RELEASES).check);
        assert_eq!(plan(&off, true, RELEASES).managed_by, Some(source("HKLM")));
        let on = Policy { update_check: Some(Managed { value: true, source: source("HKLM") }), ..Policy::default() };
        assert!(plan(&on, false, RELEASES).check, "a required check cannot be turned off");

        let own = Policy { update_url: Some(Managed { value: "https://intra.example/latest.json".into(), source: source("/etc") }), ..none };
        let p = plan(&own, true, None);
        assert_eq!((p.manifest.as_deref(), p.server_set_by), (Some("https://intra.example/latest.json"), Some(source("/etc"))));
    }

    #[test]
    fn a_look_is_due_daily_and_after_the_clock_went_back() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        assert!(due(None, t));
        assert!(!due(Some(t), t + Duration::from_secs(23 * 3600)));
        assert!(due(Some(t), t + CHECK_EVERY));
        assert!(due(Some(t), t - Duration::from_secs(60)));
    }

    #[test]
    fn notes_are_plain_trimmed_and_capped() {
        assert_eq!(notes("\r\n  Fixes:\r\n- the clock\u{1b}[31m check\u{0}\r\n\r\n"), "Fixes:\n- the clock[31m check");
        let long = "あ".repeat(MAX_NOTES_CHARS + 5);
        let shown = notes(&long);
        assert_eq!(shown.chars().count(), MAX_NOTES_CHARS + 1);
        assert!(shown.ends_with('…'));
        assert_eq!(notes(&"x".repeat(MAX_NOTES_CHARS)), "x".repeat(MAX_NOTES_CHARS), "at the cap nothing is cut");
    }
}
