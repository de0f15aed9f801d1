//! The organization's policy while the app runs: read again now and then, and a change
//! applied without a restart. How it bears on the settings is `state::managed`'s.

use std::time::Duration;

use tauri::{AppHandle, Manager};

use crate::events::{self, Change};
use crate::state::AppState;

/// How often the policy is read again while the app runs: a few file or registry reads.
const REREAD: Duration = Duration::from_secs(30);

/// Reads the policy again now and then; a change is told to whatever follows it (the clock
/// checker, the backup folder, the page).
pub fn spawn_watcher(app: AppHandle) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(REREAD);
            let report = ninsho_core::policy::load();
            let state = app.state::<AppState>();
            let before = state.settings();
            {
                let mut current = state.policy.lock().expect("policy lock");
                if *current == report {
                    continue;
                }
                *current = report;
            }
            events::tell(&app, Change::Policy { before, after: state.settings() });
        }
    });
}
