//! The clock check in the app: at start, every N minutes, after the PC wakes, and on
//! demand; the result goes to the UI as an event, and optionally corrects the codes.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use ninsho_core::clock::{Measurement, Verdict, measure};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::Notify;

use crate::state::AppState;

/// What the UI shows about the clock.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ClockView {
    /// "unknown" before the first check, "ok", "warn", "error", or "failed" when no
    /// source answered (then there is no alarm, only a note).
    pub state: &'static str,
    /// Server minus PC, seconds; positive: the PC is slow.
    pub offset: Option<f64>,
    pub uncertainty: Option<f64>,
    pub source: Option<String>,
    /// Unix time of the last check.
    pub checked_at: Option<u64>,
    /// Codes are being corrected by `applied_offset` seconds.
    pub correcting: bool,
    pub applied_offset: i64,
}

#[derive(Default)]
pub struct ClockState {
    pub last: Mutex<Option<Result<Measurement, String>>>,
    pub checked_at: Mutex<Option<u64>>,
    pub wake: Notify,
}

impl ClockState {
    /// The offset codes are shifted by: the rounded measurement, when correction is on.
    pub fn correction(&self, enabled: bool) -> i64 {
        if !enabled {
            return 0;
        }
        match &*self.last.lock().expect("clock lock") {
            Some(Ok(m)) => m.offset.round() as i64,
            _ => 0,
        }
    }
}

pub fn view(app: &AppHandle) -> ClockView {
    let state = app.state::<AppState>();
    let settings = state.settings();
    let last = state.clock.last.lock().expect("clock lock").clone();
    let checked_at = *state.clock.checked_at.lock().expect("clock lock");
    let applied_offset = state.clock.correction(settings.clock_correction);
    let (state_name, m) = match &last {
        None => ("unknown", None),
        Some(Err(_)) => ("failed", None),
        Some(Ok(m)) => (
            match settings.thresholds().verdict(m.offset) {
                Verdict::Ok => "ok",
                Verdict::Warn => "warn",
                Verdict::Error => "error",
            },
            Some(m),
        ),
    };
    ClockView {
        state: state_name,
        offset: m.map(|m| m.offset),
        uncertainty: m.map(|m| m.uncertainty),
        source: m.map(|m| m.source.to_string()),
        checked_at,
        correcting: settings.clock_correction && m.is_some(),
        applied_offset,
    }
}

/// Measures once and tells the UI (and the tray, whose copies use the corrected time).
pub async fn check(app: &AppHandle) -> ClockView {
    let config = app.state::<AppState>().settings().clock_config();
    // No sources configured: the user turned the check off.
    if config.servers.is_empty() && config.https_url.is_none() {
        return view(app);
    }
    let result = measure(&config).await.map_err(|e| e.to_string());
    if let Err(e) = &result {
        eprintln!("ninsho: {e}");
    }
    let state = app.state::<AppState>();
    *state.clock.last.lock().expect("clock lock") = Some(result);
    *state.clock.checked_at.lock().expect("clock lock") = Some(crate::state::now());
    let view = view(app);
    let _ = app.emit("clock-status", &view);
    view
}

/// Checks at start, then every N minutes, and soon after the PC wakes from sleep (seen as
/// the wall clock jumping ahead of the monotonic clock, which stops during sleep).
pub fn spawn_checker(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        loop {
            check(&app).await;
            let minutes = app.state::<AppState>().settings().clock_check_minutes;
            let interval = Duration::from_secs(u64::from(minutes) * 60);
            let waited = Instant::now();
            let (mut mono, mut wall) = (Instant::now(), SystemTime::now());
            let state = app.state::<AppState>();
            loop {
                tokio::select! {
                    _ = state.clock.wake.notified() => break,
                    _ = tokio::time::sleep(Duration::from_secs(15)) => {}
                }
                let wall_elapsed = SystemTime::now().duration_since(wall).unwrap_or_default();
                let jumped = wall_elapsed.saturating_sub(mono.elapsed()) > Duration::from_secs(60);
                if jumped || waited.elapsed() >= interval {
                    break;
                }
                (mono, wall) = (Instant::now(), SystemTime::now());
            }
        }
    });
}
