//! Text size: the whole page zoomed, so every measure grows with the text (a bigger font in
//! a fixed layout would cut words off). Follows Windows' Settings → Accessibility → Text
//! size unless the user chose a size in Settings.

use tauri::{AppHandle, Manager};

/// The sizes Settings offers, in percent; 0 means "as the system says".
pub const SIZES: [u16; 5] = [100, 125, 150, 175, 200];

/// The zoom for a setting and the system's own text scale (percent, where the OS has one).
/// A system scale beyond the offered sizes is kept within 100–225 % (Windows' own range).
pub fn zoom(setting: u16, system: Option<u16>) -> f64 {
    let percent = if setting == 0 { system.unwrap_or(100).clamp(100, 225) } else { setting };
    f64::from(percent) / 100.0
}

/// A stored setting outside the offered sizes reads as "as the system says".
pub fn sanitized(setting: u16) -> u16 {
    if SIZES.contains(&setting) { setting } else { 0 }
}

/// Windows keeps the Text size slider's value (100–225) in the user's registry.
#[cfg(windows)]
pub fn system_scale() -> Option<u16> {
    use windows_sys::Win32::System::Registry::{HKEY_CURRENT_USER, RRF_RT_REG_DWORD, RegGetValueW};
    let key: Vec<u16> = "SOFTWARE\\Microsoft\\Accessibility\0".encode_utf16().collect();
    let name: Vec<u16> = "TextScaleFactor\0".encode_utf16().collect();
    let mut value: u32 = 0;
    let mut size = std::mem::size_of::<u32>() as u32;
    // SAFETY: both names are NUL-terminated UTF-16, and `value` holds the DWORD asked for
    // with its size in `size`.
    let status = unsafe {
        RegGetValueW(HKEY_CURRENT_USER, key.as_ptr(), name.as_ptr(), RRF_RT_REG_DWORD, std::ptr::null_mut(), (&raw mut value).cast(), &mut size)
    };
    (status == 0).then(|| u16::try_from(value).ok()).flatten()
}

/// macOS has no system-wide text size an app can read (its Text Size panel serves listed
/// Apple apps), and GNOME's text scaling does not reach a page laid out in CSS pixels; the
/// Settings choice and ⌘/Ctrl with + and − serve there.
#[cfg(not(windows))]
pub fn system_scale() -> Option<u16> {
    None
}

pub fn apply(app: &AppHandle, setting: u16) {
    if let Some(window) = app.get_webview_window("main")
        && let Err(e) = window.set_zoom(zoom(setting, system_scale()))
    {
        eprintln!("ninsho: cannot set the text size: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chosen_size_wins_over_the_system() {
        assert_eq!(zoom(150, Some(200)), 1.5);
        assert_eq!(zoom(0, Some(175)), 1.75);
        assert_eq!(zoom(0, None), 1.0);
        assert_eq!(zoom(0, Some(90)), 1.0);
        assert_eq!(zoom(0, Some(300)), 2.25);
    }

    #[test]
    fn unknown_settings_follow_the_system() {
        assert_eq!(sanitized(125), 125);
        assert_eq!(sanitized(0), 0);
        assert_eq!(sanitized(130), 0);
        assert_eq!(sanitized(900), 0);
    }
}
