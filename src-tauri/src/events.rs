//! What changed in the app, told once where it happens. The parts that follow a change (the
//! tray's menu, the backup writer, the clock checker, the scan and import previews) subscribe
//! here instead of being called by every command that makes one, and the page hears the
//! changes it shows as its events.

use std::sync::{Arc, Mutex};

use serde_json::Value;
use tauri::{AppHandle, Emitter, Manager};

use crate::state::lock::Why;
use crate::state::settings::Settings;

#[derive(Debug, Clone)]
pub enum Change {
    /// The accounts were changed and saved here: added, edited, deleted, reordered,
    /// imported, restored, or a counter-based code handed out.
    Accounts,
    /// The accounts were read again from the file (the CLI or another window saved them).
    AccountsReloaded,
    /// A vault was installed: opened, created or recovered.
    VaultOpened,
    Locked(Why),
    Unlocked,
    /// The user saved Settings; both are the settings in force.
    Settings {
        before: Settings,
        after: Settings,
    },
    /// The organization's policy changed; both are the settings in force.
    Policy {
        before: Settings,
        after: Settings,
    },
    /// The automatic backup's state, as the backup feature shows it.
    Backup(Value),
    /// The clock's state, as the clock feature shows it.
    Clock(Value),
    /// The update's state, as the update feature shows it.
    Update(Value),
    /// The app ends outside the event loop's exit (an update's installer takes over on
    /// Windows): write what is pending now.
    Quitting,
}

impl Change {
    /// The page's event for this change and what it carries; `None` for what only Rust
    /// follows (the page made those changes itself, or reads them when it asks next).
    fn page_event(&self) -> Option<(&'static str, Value)> {
        match self {
            Change::Locked(why) => Some(("app-locked", serde_json::to_value(why).unwrap_or_default())),
            Change::Unlocked => Some(("app-unlocked", Value::Null)),
            Change::Policy { .. } => Some(("policy-changed", Value::Null)),
            Change::Backup(view) => Some(("backup-status", view.clone())),
            Change::Clock(view) => Some(("clock-status", view.clone())),
            Change::Update(view) => Some(("update-status", view.clone())),
            Change::Accounts | Change::AccountsReloaded | Change::VaultOpened | Change::Settings { .. } | Change::Quitting => None,
        }
    }

    /// Whether the tray's menu (account names, the locked note, the language) may differ.
    pub fn concerns_tray(&self) -> bool {
        matches!(
            self,
            Change::Accounts | Change::AccountsReloaded | Change::VaultOpened | Change::Locked(_) | Change::Unlocked | Change::Settings { .. }
        )
    }

    /// Whether the clock sources in force changed, so the checker should measure again.
    pub fn moved_clock_sources(&self) -> bool {
        match self {
            Change::Settings { before, after } | Change::Policy { before, after } => {
                before.clock_servers != after.clock_servers || before.clock_https_url != after.clock_https_url
            }
            _ => false,
        }
    }
}

type Follower = Arc<dyn Fn(&AppHandle, &Change) + Send + Sync>;

/// Who follows changes, in the order they subscribed.
#[derive(Default)]
pub struct Followers(Mutex<Vec<Follower>>);

/// `follow` runs on the thread that tells the change, before the page hears it.
pub fn subscribe(app: &AppHandle, follow: impl Fn(&AppHandle, &Change) + Send + Sync + 'static) {
    app.state::<Followers>().0.lock().expect("followers lock").push(Arc::new(follow));
}

/// Tells a change to every follower, then to the page. A follower may tell another change.
pub fn tell(app: &AppHandle, change: Change) {
    let followers = app.state::<Followers>().0.lock().expect("followers lock").clone();
    for follow in followers {
        follow(app, &change);
    }
    if let Some((name, payload)) = change.page_event() {
        let _ = app.emit(name, payload);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_hears_what_it_shows_and_nothing_else() {
        let settings = Settings::default();
        let moved = Settings { clock_servers: vec!["ntp.corp.example".into()], ..Settings::default() };
        assert_eq!(Change::Locked(Why::Idle).page_event(), Some(("app-locked", Value::String("idle".into()))));
        assert_eq!(Change::Accounts.page_event(), None, "the page made the change, or lists again when it asks");
        assert!(Change::Settings { before: settings.clone(), after: moved.clone() }.moved_clock_sources());
        assert!(!Change::Policy { before: settings.clone(), after: settings }.moved_clock_sources());
        assert!(!Change::Backup(Value::Null).concerns_tray());
    }
}
