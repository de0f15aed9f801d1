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

/// The largest update download accepted: a release's AppImage is about a tenth of this,
/// and the file is held in memory until its signature is checked.
pub const MAX_DOWNLOAD_BYTES: u64 = 512 * 1024 * 1024;

/// Whether a downloaded (and verified) file is the kind this copy installs. The signature
/// binds a file to a version, not to a platform: every bundle of a release is signed, so a
/// crafted manifest could offer the release's own `.deb` or `.msi` where the AppImage or
/// the per-user installer belongs.
pub fn fits(install: Install, bytes: &[u8]) -> bool {
    const ELF: &[u8] = b"\x7fELF";
    const MSI: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];
    match install {
        // An AppImage (type 2) marks itself in the ELF header's padding.
        Install::AppImage => bytes.starts_with(ELF) && bytes.get(8..11) == Some(b"AI\x02"),
        Install::Nsis => bytes.starts_with(b"MZ"),
        // The `.app` comes as a gzipped tar.
        Install::MacApp => bytes.starts_with(&[0x1f, 0x8b]),
        Install::Unbundled if cfg!(windows) => bytes.starts_with(b"MZ") && !bytes.starts_with(MSI),
        Install::Unbundled => bytes.starts_with(ELF),
        Install::Msi | Install::SystemPackage => false,
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
    fn only_the_kind_of_file_this_copy_installs_fits() {
        let appimage = b"\x7fELF\x02\x01\x01\x00AI\x02\x00\x00\x00\x00\x00\x00\x00";
        let deb = b"!<arch>\ndebian-binary   ";
        let msi = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        assert!(fits(Install::AppImage, appimage));
        assert!(!fits(Install::AppImage, deb), "the release's signed .deb over an AppImage");
        assert!(!fits(Install::AppImage, b"\x7fELF\x02\x01\x01\x00\x00\x00\x00"), "a plain ELF is no AppImage");
        assert!(fits(Install::Nsis, b"MZ\x90\x00"));
        assert!(!fits(Install::Nsis, &msi), "the per-machine MSI where the per-user setup belongs");
        assert!(fits(Install::MacApp, &[0x1f, 0x8b, 8, 0]));
        assert!(!fits(Install::MacApp, appimage));
        assert!(!fits(Install::Msi, &msi) && !fits(Install::SystemPackage, deb), "never installed from here");
        assert!(!fits(Install::AppImage, b""), "an empty file");
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
