//! The lock's state: whether the app is locked and when it was last used. Whether a call
//! may see accounts is answered in [`super::AppState::with_vault`], which reads this flag
//! while holding the vault; when to lock is the lock feature's (`crate::lock`).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde::Serialize;

use super::now;
use crate::error::UiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    Asked,
    Idle,
    Sleep,
    ScreenLocked,
}

pub struct LockState {
    locked: AtomicBool,
    last_activity: AtomicU64,
}

impl Default for LockState {
    fn default() -> Self {
        LockState { locked: AtomicBool::new(false), last_activity: AtomicU64::new(now()) }
    }
}

impl LockState {
    /// Engaged through [`super::AppState::install_vault`] and [`super::AppState::engage_lock`],
    /// under the vault's mutex. True when it was not engaged before.
    pub(super) fn engage(&self) -> bool {
        !self.locked.swap(true, Ordering::SeqCst)
    }

    /// The user proved who they are: released, and the idle time starts again.
    pub fn release(&self) {
        self.touch();
        self.locked.store(false, Ordering::SeqCst);
    }

    pub fn is_locked(&self) -> bool {
        self.locked.load(Ordering::SeqCst)
    }

    pub fn ensure_unlocked(&self) -> Result<(), UiError> {
        if self.is_locked() { Err(UiError::new("app_locked")) } else { Ok(()) }
    }

    pub fn touch(&self) {
        self.last_activity.store(now(), Ordering::Relaxed);
    }

    pub fn last_activity(&self) -> u64 {
        self.last_activity.load(Ordering::Relaxed)
    }

    /// Use of the app (the window, the tray, the shortcut) puts the idle lock off; while
    /// locked it changes nothing.
    pub fn touch_unless_locked(&self) {
        if !self.is_locked() {
            self.touch();
        }
    }
}

/// What Settings and the lock screen show of the lock.
#[derive(Serialize)]
pub struct LockView {
    pub enabled: bool,
    pub locked: bool,
    /// The vault has a passphrase, the fallback that always works.
    pub passphrase: bool,
    /// The organization requires the lock (then it holds without a passphrase too).
    pub required: bool,
    /// "touch_id", "windows_hello" or "polkit": what the OS check is called here.
    pub os_check: &'static str,
    /// The longest timeout the organization allows.
    pub max_minutes: Option<u32>,
}
