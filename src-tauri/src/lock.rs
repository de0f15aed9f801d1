//! The optional lock: after some minutes without use, when the screen locks or the PC
//! sleeps, and on demand. While locked, no command gives out an account's name or code and
//! the tray lists none; unlocking takes the OS's own user check or the vault passphrase.
//! The lock hides codes; it is not a second encryption layer (the keyring key still opens
//! the vault), and Settings and the README say so.

use std::time::Duration;

use tauri::{AppHandle, Manager, State};
use zeroize::Zeroizing;

use crate::error::UiError;
use crate::events::{self, Change};
use crate::os_check;
use crate::state::lock::{LockView, Why};
use crate::state::{AppState, now};

const TICK: Duration = Duration::from_secs(5);
/// Ticks this far apart mean the process did not run in between: the PC slept.
const SLEEP_GAP_SECS: u64 = 60;

/// Whether to lock now, and why. `last_tick` is the previous check's wall-clock time.
pub fn due(now: u64, last_activity: u64, last_tick: u64, minutes: u32, screen_locked: bool) -> Option<Why> {
    if screen_locked {
        Some(Why::ScreenLocked)
    } else if now.saturating_sub(last_tick) >= SLEEP_GAP_SECS {
        Some(Why::Sleep)
    } else if now.saturating_sub(last_activity) >= u64::from(minutes) * 60 {
        Some(Why::Idle)
    } else {
        None
    }
}

/// Locks, where the vault has a passphrase (the way in that always works) or the
/// organization requires the lock (the OS's user check is the way in then). A code still
/// on the clipboard goes with it.
pub fn lock(app: &AppHandle, why: Why) {
    if app.state::<AppState>().engage_lock() {
        events::tell(app, Change::Locked(why));
    }
}

fn unlock(app: &AppHandle) {
    app.state::<AppState>().lock.release();
    events::tell(app, Change::Unlocked);
}

/// Checks every few seconds while the lock is on; costs nothing visible when it is off.
pub fn spawn_ticker(app: AppHandle) {
    std::thread::spawn(move || {
        let mut last_tick = now();
        loop {
            std::thread::sleep(TICK);
            let state = app.state::<AppState>();
            let settings = state.settings();
            let time = now();
            if !settings.lock_enabled {
                state.lock.touch();
            } else if !state.lock.is_locked() {
                let last = state.lock.last_activity();
                if let Some(why) = due(time, last, last_tick, settings.lock_minutes, screen::is_locked() == Some(true)) {
                    lock(&app, why);
                }
            }
            last_tick = time;
        }
    });
}

#[tauri::command]
pub fn lock_status(state: State<'_, AppState>) -> LockView {
    state.lock_view()
}

#[tauri::command]
pub fn lock_now(app: AppHandle, state: State<'_, AppState>) -> Result<LockView, UiError> {
    if !state.settings().lock_enabled {
        return Err(UiError::new("lock_off"));
    }
    if !state.open_vault_can_lock() {
        return Err(UiError::new("lock_needs_passphrase"));
    }
    lock(&app, Why::Asked);
    Ok(state.lock_view())
}

/// The window was used (a key, a click); called at most every few seconds by the page.
#[tauri::command]
pub fn lock_activity(state: State<'_, AppState>) {
    state.lock.touch_unless_locked();
}

/// The vault passphrase, checked against the vault that is open (a file planted at its
/// path with a passphrase of its own unlocks nothing).
#[tauri::command]
pub async fn unlock_with_passphrase(app: AppHandle, passphrase: Zeroizing<String>) -> Result<LockView, UiError> {
    let handle = app.clone();
    tauri::async_runtime::spawn_blocking(move || handle.state::<AppState>().with_vault_even_locked(|v| Ok(v.check_passphrase(&passphrase)?)))
        .await
        .map_err(|e| UiError::new("internal").with("detail", e))??;
    unlock(&app);
    Ok(app.state::<AppState>().lock_view())
}

/// Touch ID or the login password, Windows Hello, or polkit; the user's answer comes back
/// when they gave it.
#[tauri::command]
pub async fn unlock_with_os(app: AppHandle) -> Result<LockView, UiError> {
    let lang = app.state::<AppState>().language();
    let reason = crate::i18n::text(lang, "applock.os_reason");
    let (sender, receiver) = tokio::sync::oneshot::channel();
    os_check::verify(
        &reason,
        Box::new(move |result| {
            let _ = sender.send(result);
        }),
    );
    let result = receiver.await.unwrap_or(Err(os_check::Failure::Unavailable));
    match result {
        Ok(()) => {
            unlock(&app);
            Ok(app.state::<AppState>().lock_view())
        }
        Err(failure) => Err(UiError::new(failure.key())),
    }
}

/// Whether the OS shows its lock screen now; `None` where that cannot be told.
mod screen {
    /// logind's LockedHint for this session, which GNOME, KDE and others set.
    #[cfg(target_os = "linux")]
    pub fn is_locked() -> Option<bool> {
        let bus = zbus::blocking::Connection::system().ok()?;
        let proxy =
            zbus::blocking::Proxy::new(&bus, "org.freedesktop.login1", "/org/freedesktop/login1/session/auto", "org.freedesktop.login1.Session")
                .ok()?;
        proxy.get_property::<bool>("LockedHint").ok()
    }

    /// While the lock screen shows, the input desktop is Winlogon's, which a user's
    /// process may not open.
    #[cfg(windows)]
    pub fn is_locked() -> Option<bool> {
        use windows_sys::Win32::System::StationsAndDesktops::{CloseDesktop, DESKTOP_SWITCHDESKTOP, OpenInputDesktop};
        // SAFETY: plain Win32 calls; the handle is closed when one was returned.
        unsafe {
            let desktop = OpenInputDesktop(0, 0, DESKTOP_SWITCHDESKTOP);
            if desktop.is_null() {
                return Some(true);
            }
            CloseDesktop(desktop);
        }
        Some(false)
    }

    /// The session dictionary's CGSSessionScreenIsLocked, set while the lock screen shows.
    #[cfg(target_os = "macos")]
    pub fn is_locked() -> Option<bool> {
        use std::ffi::c_void;
        #[link(name = "CoreGraphics", kind = "framework")]
        unsafe extern "C" {
            fn CGSessionCopyCurrentDictionary() -> *const c_void;
        }
        #[link(name = "CoreFoundation", kind = "framework")]
        unsafe extern "C" {
            fn CFStringCreateWithCString(alloc: *const c_void, text: *const std::ffi::c_char, encoding: u32) -> *const c_void;
            fn CFDictionaryGetValue(dict: *const c_void, key: *const c_void) -> *const c_void;
            fn CFBooleanGetValue(boolean: *const c_void) -> u8;
            fn CFRelease(object: *const c_void);
        }
        const UTF8: u32 = 0x0800_0100;
        // SAFETY: Core Foundation calls with objects this function created and releases.
        unsafe {
            let session = CGSessionCopyCurrentDictionary();
            if session.is_null() {
                return None;
            }
            let key = CFStringCreateWithCString(std::ptr::null(), c"CGSSessionScreenIsLocked".as_ptr(), UTF8);
            let value = CFDictionaryGetValue(session, key);
            let locked = !value.is_null() && CFBooleanGetValue(value) != 0;
            CFRelease(key);
            CFRelease(session);
            Some(locked)
        }
    }

    #[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
    pub fn is_locked() -> Option<bool> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_the_minutes_when_the_screen_locks_and_after_sleep() {
        let t = 1_800_000_000;
        assert_eq!(due(t, t - 299, t - 5, 5, false), None, "4 min 59 s without use");
        assert_eq!(due(t, t - 300, t - 5, 5, false), Some(Why::Idle));
        assert_eq!(due(t, t, t - 5, 5, true), Some(Why::ScreenLocked));
        assert_eq!(due(t, t - 10, t - 3600, 60, false), Some(Why::Sleep), "an hour between two 5 s ticks");
        assert_eq!(due(t, t, t + 30, 5, false), None, "a clock set back is no sleep");
    }
}
