//! The OS's own date and time settings, opened from the clock banner: there the user turns
//! on automatic time or syncs now, which fixes the clock for every app, not only Ninsho.
//! What is opened is fixed here for each OS; the page only asks for "the date settings".

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::LazyLock;

/// A program to start, and its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Launch {
    pub program: &'static str,
    pub args: &'static [&'static str],
}

/// What chooses the way in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    Windows,
    /// The major version: 11 for Big Sur, 15 for Sequoia.
    MacOs {
        major: u32,
    },
    /// GNOME Settings' major version where it can run: installed, under GNOME or Unity (the
    /// only desktops it starts under; elsewhere it exits at once). `None`: no settings
    /// screen Ninsho knows how to open, so the banner shows no button.
    Linux {
        gnome_settings: Option<u32>,
    },
}

/// Windows 10 and 11: the Settings app's Date & time page, by its `ms-settings:` address.
/// explorer hands an address to the app registered for it without the console window that
/// `cmd /c start` would flash.
const WINDOWS: Launch = Launch { program: "explorer.exe", args: &["ms-settings:dateandtime"] };
/// macOS 13 and later: System Settings' Date & Time, by its extension's id.
const MACOS: Launch = Launch { program: "/usr/bin/open", args: &["x-apple.systempreferences:com.apple.Date-Time-Settings.extension"] };
/// macOS 11 and 12: System Preferences knows no extension ids (it would open on its overview);
/// opening the pane's bundle shows the pane.
const MACOS_PREFERENCES: Launch = Launch { program: "/usr/bin/open", args: &["/System/Library/PreferencePanes/DateAndTime.prefPane"] };
/// GNOME 46 made Date & Time a page of the System panel.
const GNOME: Launch = Launch { program: "gnome-control-center", args: &["system", "datetime"] };
/// GNOME 45 and earlier (Ubuntu 22.04 has 41, RHEL 9 has 40): a panel of its own.
const GNOME_45: Launch = Launch { program: "gnome-control-center", args: &["datetime"] };

pub fn launch(host: Host) -> Option<Launch> {
    match host {
        Host::Windows => Some(WINDOWS),
        Host::MacOs { major } if major >= 13 => Some(MACOS),
        Host::MacOs { .. } => Some(MACOS_PREFERENCES),
        Host::Linux { gnome_settings: Some(version) } if version >= 46 => Some(GNOME),
        Host::Linux { gnome_settings: Some(_) } => Some(GNOME_45),
        Host::Linux { gnome_settings: None } => None,
    }
}

/// Whether the banner offers the button. Asked for every clock view, so it starts nothing,
/// and looks once: what the desktop offers does not change while Ninsho runs.
pub fn available() -> bool {
    static AVAILABLE: LazyLock<bool> = LazyLock::new(|| match std::env::consts::OS {
        "windows" | "macos" => true,
        "linux" => gnome_settings_can_run(),
        _ => false,
    });
    *AVAILABLE
}

/// Opens the settings; an error in words when there is nothing to open or it would not start.
pub fn open() -> Result<(), String> {
    let launch = host().and_then(launch).ok_or("no date and time settings Ninsho can open here")?;
    let mut command = system_command(launch.program);
    command.args(launch.args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    let mut child = command.spawn().map_err(|e| format!("{}: {e}", launch.program))?;
    // GNOME Settings runs until the user closes it; waited for so it leaves no zombie.
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// A program of the system's, started with the system's libraries (see `outside_appimage`):
/// the version probe as much as the settings themselves, or the probe fails, reads as the
/// newest version and opens the wrong page on GNOME 45 and earlier.
fn system_command(program: &str) -> Command {
    let mut command = Command::new(program_path(program));
    for (name, value) in outside_appimage(std::env::vars_os()) {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    command
}

/// Windows looks for a bare program name in the application's own folder first, which a
/// per-user install leaves writable: explorer is started from the Windows folder by path.
#[cfg(windows)]
fn program_path(program: &str) -> OsString {
    match std::env::var_os("SystemRoot") {
        Some(root) if !program.contains(['\\', '/']) => Path::new(&root).join(program).into_os_string(),
        _ => program.into(),
    }
}

#[cfg(not(windows))]
fn program_path(program: &str) -> OsString {
    program.into()
}

/// Asked when the button is pressed: the versions come from the programs themselves.
fn host() -> Option<Host> {
    match std::env::consts::OS {
        "windows" => Some(Host::Windows),
        "macos" => Some(Host::MacOs { major: major_version(Command::new("/usr/bin/sw_vers").arg("-productVersion")) }),
        "linux" => Some(Host::Linux {
            gnome_settings: gnome_settings_can_run().then(|| major_version(system_command("gnome-control-center").arg("--version"))),
        }),
        _ => None,
    }
}

/// The major version a program prints last ("gnome-control-center 46.0", "14.5"). One that
/// cannot be read is taken as the newest, the releases whose output might have changed.
fn major_version(command: &mut Command) -> u32 {
    let output = command.stdin(Stdio::null()).stderr(Stdio::null()).output().ok();
    output.and_then(|o| parse_major(&String::from_utf8_lossy(&o.stdout))).unwrap_or(u32::MAX)
}

fn parse_major(printed: &str) -> Option<u32> {
    printed.split_whitespace().last()?.split('.').next()?.parse().ok()
}

fn gnome_settings_can_run() -> bool {
    gnome_desktop(std::env::var("XDG_CURRENT_DESKTOP").ok().as_deref()) && on_path("gnome-control-center")
}

/// gnome-control-center's own test: one of the colon-separated names is GNOME or Unity.
fn gnome_desktop(current: Option<&str>) -> bool {
    current.is_some_and(|d| d.split(':').any(|name| name.eq_ignore_ascii_case("GNOME") || name.eq_ignore_ascii_case("Unity")))
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|dir| runnable(&dir.join(program))))
}

#[cfg(unix)]
fn runnable(file: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    file.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn runnable(file: &Path) -> bool {
    file.is_file()
}

/// What GNOME Settings' environment changes from Ninsho's. An AppImage's runtime points GTK,
/// GIO and the loader at the libraries inside its mount (`APPDIR`); a program of the system's
/// would load those instead of its own and fail to start. So every variable naming a place
/// inside the mount loses that entry (`PATH` keeps the system's folders), or goes when
/// nothing else is left, and the AppImage's own variables go. `None`: remove it.
fn outside_appimage(vars: impl Iterator<Item = (OsString, OsString)>) -> Vec<(OsString, Option<OsString>)> {
    let vars: Vec<_> = vars.collect();
    let Some((_, appdir)) = vars.iter().find(|(name, _)| name == "APPDIR") else { return Vec::new() };
    let appdir = Path::new(appdir);
    let mut changes = Vec::new();
    for (name, value) in &vars {
        if ["APPDIR", "APPIMAGE", "ARGV0", "OWD"].iter().any(|own| name == own) {
            changes.push((name.clone(), None));
            continue;
        }
        let entries: Vec<PathBuf> = std::env::split_paths(value).collect();
        let kept: Vec<&PathBuf> = entries.iter().filter(|entry| !entry.starts_with(appdir)).collect();
        if kept.len() < entries.len() {
            let rest = Some(kept).filter(|k| !k.is_empty()).and_then(|k| std::env::join_paths(k).ok());
            changes.push((name.clone(), rest));
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_os_opens_its_own_date_settings() {
        assert_eq!(launch(Host::Windows), Some(Launch { program: "explorer.exe", args: &["ms-settings:dateandtime"] }));
        for major in [13, 14, 15, 26] {
            assert_eq!(launch(Host::MacOs { major }).unwrap().args, ["x-apple.systempreferences:com.apple.Date-Time-Settings.extension"]);
        }
        for major in [11, 12] {
            assert_eq!(launch(Host::MacOs { major }).unwrap().args, ["/System/Library/PreferencePanes/DateAndTime.prefPane"]);
        }
        assert_eq!(launch(Host::Linux { gnome_settings: Some(46) }).unwrap().args, ["system", "datetime"]);
        assert_eq!(launch(Host::Linux { gnome_settings: Some(u32::MAX) }).unwrap().args, ["system", "datetime"], "an unreadable version");
        assert_eq!(launch(Host::Linux { gnome_settings: Some(45) }).unwrap().args, ["datetime"]);
        assert_eq!(launch(Host::Linux { gnome_settings: Some(3) }).unwrap().args, ["datetime"], "GNOME 3.38");
        assert_eq!(launch(Host::Linux { gnome_settings: None }), None, "no button without GNOME Settings");
    }

    #[test]
    fn versions_read_as_the_programs_print_them() {
        assert_eq!(parse_major("gnome-control-center 46.0\n"), Some(46));
        assert_eq!(parse_major("gnome-control-center 3.38.4\n"), Some(3));
        assert_eq!(parse_major("14.5\n"), Some(14));
        assert_eq!(parse_major(""), None);
        assert_eq!(parse_major("gnome-control-center beta"), None);
    }

    #[test]
    fn gnome_settings_only_under_the_desktops_it_starts_under() {
        assert!(gnome_desktop(Some("GNOME")));
        assert!(gnome_desktop(Some("ubuntu:GNOME")));
        assert!(gnome_desktop(Some("Unity")));
        assert!(!gnome_desktop(Some("KDE")));
        assert!(!gnome_desktop(Some("XFCE")));
        assert!(!gnome_desktop(Some("GNOME-Flashback-ish")));
        assert!(!gnome_desktop(None));
    }

    // The lists are colon-separated, as on Linux.
    #[cfg(unix)]
    #[test]
    fn an_appimages_folders_stay_out_of_gnome_settings() {
        let env = |pairs: &[(&str, &str)]| pairs.iter().map(|(n, v)| (OsString::from(n), OsString::from(v))).collect::<Vec<_>>();
        let mount = "/tmp/.mount_NinshoAB";
        let vars = env(&[
            ("APPDIR", mount),
            ("APPIMAGE", "/home/sato/Ninsho.AppImage"),
            ("PATH", "/tmp/.mount_NinshoAB/usr/bin:/usr/local/bin:/usr/bin"),
            ("GDK_PIXBUF_MODULE_FILE", "/tmp/.mount_NinshoAB/usr/lib/gdk-pixbuf-2.0/loaders.cache"),
            ("XDG_DATA_DIRS", "/tmp/.mount_NinshoAB/usr/share:/usr/share"),
            ("GDK_BACKEND", "x11"),
            ("HOME", "/home/sato"),
            ("OTHER", "/tmp/.mount_NinshoABCD/lib"),
        ]);
        let changes = outside_appimage(vars.into_iter());
        let changed = |name: &str| changes.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        assert_eq!(changed("PATH"), Some(Some("/usr/local/bin:/usr/bin".into())));
        assert_eq!(changed("XDG_DATA_DIRS"), Some(Some("/usr/share".into())));
        assert_eq!(changed("GDK_PIXBUF_MODULE_FILE"), Some(None));
        assert_eq!((changed("APPDIR"), changed("APPIMAGE")), (Some(None), Some(None)));
        assert_eq!((changed("GDK_BACKEND"), changed("HOME")), (None, None));
        assert_eq!(changed("OTHER"), None, "another mount whose name only starts the same");
        assert!(outside_appimage(env(&[("PATH", "/usr/bin")]).into_iter()).is_empty(), "not an AppImage: nothing changes");
    }
}
