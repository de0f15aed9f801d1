//! The clock check in the app: at start, every N minutes, after the PC wakes, and on
//! demand; the result goes to the UI as an event, and optionally corrects the codes when
//! the core's rule allows it (two sources agree, within the limit).

use std::time::{Duration, Instant, SystemTime};

use ninsho_core::clock::{AGREEMENT_SECONDS, Measurement, NotApplied, Source, Verdict, assess, measure};
use serde::Serialize;
use tauri::{AppHandle, Manager};

use crate::error::UiError;
use crate::events::{self, Change};
use crate::state::AppState;

/// What the UI shows about the clock.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ClockView {
    /// "unknown" before the first check, "ok", "warn", "error", or "failed" when no
    /// source answered (then there is no alarm, only a note).
    pub state: &'static str,
    /// Server minus PC, seconds, by the first source that answered; positive: the PC is slow.
    pub offset: Option<f64>,
    /// Every source that answered, in the order asked.
    pub sources: Vec<SourceView>,
    /// Unix time of the last check.
    pub checked_at: Option<u64>,
    /// The user's choice to correct codes: "off", "on", or "forbidden" by the organization,
    /// so the banner offers to turn it on only where that is allowed.
    pub correction: &'static str,
    /// Codes are being corrected by `applied_offset` seconds.
    pub correcting: bool,
    pub applied_offset: i64,
    /// Correction is on and the clock was measured, but the codes are not shifted: why.
    pub not_applied: Option<NotAppliedView>,
    /// The banner can open the OS's date and time settings (`date_settings.rs`).
    pub date_settings: bool,
}

/// One source's reading, named as a user reads it: a host, without port or path.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SourceView {
    /// "ntp" (a time server) or "https" (a web server's clock).
    pub kind: &'static str,
    pub host: String,
    pub offset: f64,
    pub uncertainty: f64,
}

impl From<&Measurement> for SourceView {
    fn from(m: &Measurement) -> Self {
        let (kind, host) = match &m.source {
            Source::Ntp { server } => ("ntp", without_port(server)),
            Source::Https { url } => ("https", url_host(url)),
        };
        SourceView { kind, host: host.to_owned(), offset: m.offset, uncertainty: m.uncertainty }
    }
}

/// "ntp.nict.jp:123" → "ntp.nict.jp", "[2001:db8::1]:123" → "2001:db8::1"; a bare IPv6
/// address stays whole.
fn without_port(server: &str) -> &str {
    if let Some(rest) = server.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match server.split_once(':') {
        Some((host, port)) if !port.contains(':') => host,
        _ => server,
    }
}

/// "https://user@intranet.example:8443/time?x" → "intranet.example".
fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    without_port(authority.rsplit('@').next().unwrap_or(authority))
}

/// [`NotApplied`] for the banner: the figures; each source's reading is in `sources`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NotAppliedView {
    OneSource,
    Disagree { spread: f64, tolerance: f64 },
    OverLimit { offset: f64, limit: u32, managed: bool },
}

impl From<&NotApplied> for NotAppliedView {
    fn from(why: &NotApplied) -> Self {
        match why {
            NotApplied::OneSource { .. } => NotAppliedView::OneSource,
            NotApplied::Disagree { spread, .. } => NotAppliedView::Disagree { spread: *spread, tolerance: AGREEMENT_SECONDS },
            NotApplied::OverLimit { offset, limit } => NotAppliedView::OverLimit { offset: *offset, limit: limit.seconds, managed: limit.managed },
        }
    }
}

pub fn view(app: &AppHandle) -> ClockView {
    let state = app.state::<AppState>();
    let settings = state.settings();
    let last = state.clock.last.lock().expect("clock lock").clone();
    let checked_at = *state.clock.checked_at.lock().expect("clock lock");
    let limit = *state.clock.limit.lock().expect("clock lock");
    let (state_name, assessment) = match &last {
        None => ("unknown", None),
        Some(Err(_)) => ("failed", None),
        Some(Ok(readings)) => {
            let a = assess(readings, &settings.thresholds(), limit);
            let name = match a.verdict {
                Verdict::Ok => "ok",
                Verdict::Warn => "warn",
                Verdict::Error => "error",
            };
            (name, Some(a))
        }
    };
    let correction = assessment.filter(|_| settings.clock_correction).map(|a| a.correction);
    let readings = last.as_ref().and_then(|r| r.as_ref().ok());
    let chosen = if !state.policy().policy.correction_allowed() {
        "forbidden"
    } else if settings.clock_correction {
        "on"
    } else {
        "off"
    };
    ClockView {
        state: state_name,
        offset: readings.map(|r| r.primary().offset),
        sources: readings.map_or_else(Vec::new, |r| r.all().iter().map(SourceView::from).collect()),
        checked_at,
        correction: chosen,
        correcting: matches!(correction, Some(Ok(_))),
        applied_offset: match correction {
            Some(Ok(seconds)) => seconds,
            _ => 0,
        },
        not_applied: match &correction {
            Some(Err(why)) => Some(why.into()),
            _ => None,
        },
        date_settings: crate::date_settings::available(),
    }
}

/// The banner's button to the OS's date and time settings. What opens is chosen in
/// `date_settings.rs`; the page cannot name a program or an address.
#[tauri::command]
pub async fn open_date_settings() -> Result<(), UiError> {
    let opened = tauri::async_runtime::spawn_blocking(crate::date_settings::open).await.map_err(|e| e.to_string()).and_then(|r| r);
    opened.map_err(|detail| UiError::new("date_settings").with("detail", detail))
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
    state.clock.set_limit(state.policy().policy.correction_limit());
    *state.clock.last.lock().expect("clock lock") = Some(result);
    *state.clock.checked_at.lock().expect("clock lock") = Some(crate::state::now());
    let view = view(app);
    tell(app, &view);
    view
}

fn tell(app: &AppHandle, view: &ClockView) {
    events::tell(app, Change::Clock(serde_json::to_value(view).unwrap_or_default()));
}

/// Settings and the policy decide the sources, the thresholds and whether codes are
/// corrected: a change measures again where the sources moved, and shows the banner anew.
pub fn follow(app: &AppHandle) {
    events::subscribe(app, |app, change| {
        if change.moved_clock_sources() {
            app.state::<AppState>().clock.wake.notify_one();
        }
        if matches!(change, Change::Settings { .. } | Change::Policy { .. }) {
            tell(app, &view(app));
        }
    });
}

#[tauri::command]
pub fn clock_status(app: AppHandle) -> ClockView {
    view(&app)
}

/// Measures now (the "check again" button).
#[tauri::command]
pub async fn check_clock(app: AppHandle) -> Result<ClockView, UiError> {
    Ok(check(&app).await)
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
                if state.clock.set_limit(state.policy().policy.correction_limit()) {
                    tell(&app, &view(&app));
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use ninsho_core::clock::{Limit, Readings};

    use crate::state::clock::tests::readings;

    #[test]
    fn the_reasons_reach_the_ui_as_words() {
        let why = |r: Readings, limit| NotAppliedView::from(&r.correction(limit).unwrap_err());
        assert_eq!(
            serde_json::to_value(why(readings(&[("a", 45.0), ("b", 65.0)]), Limit::default())).unwrap(),
            json!({"reason": "disagree", "spread": 20.0, "tolerance": 3.0})
        );
        assert_eq!(serde_json::to_value(why(readings(&[("a", 5.0)]), Limit::default())).unwrap(), json!({"reason": "one_source"}));
        assert_eq!(
            serde_json::to_value(why(readings(&[("a", -90.0), ("b", -90.0)]), Limit { seconds: 60, managed: true })).unwrap(),
            json!({"reason": "over_limit", "offset": -90.0, "limit": 60, "managed": true})
        );
    }

    #[test]
    fn sources_are_named_by_their_host_alone() {
        let ntp =
            |server: &str| SourceView::from(&Measurement { offset: 1.5, uncertainty: 0.01, source: Source::Ntp { server: server.into() } }).host;
        assert_eq!(ntp("ntp.nict.jp"), "ntp.nict.jp");
        assert_eq!(ntp("127.0.0.1:50977"), "127.0.0.1");
        assert_eq!(ntp("[2001:db8::1]:123"), "2001:db8::1");
        assert_eq!(ntp("2001:db8::1"), "2001:db8::1");
        let https = |url: &str| SourceView::from(&Measurement { offset: 1.5, uncertainty: 0.6, source: Source::Https { url: url.into() } });
        assert_eq!(
            serde_json::to_value(https("https://www.google.com/generate_204")).unwrap(),
            json!({"kind": "https", "host": "www.google.com", "offset": 1.5, "uncertainty": 0.6})
        );
        assert_eq!(https("https://it@intranet.example:8443/time?x=1").host, "intranet.example");
    }
}
