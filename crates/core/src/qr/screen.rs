//! Capturing every monitor at its native resolution and scanning each in its own thread.
//! Captures stay in memory and are zeroized once scanned.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use zeroize::Zeroize;

use super::{ScanOutcome, scan_rgba, scan_selection};

/// One monitor's scan.
#[derive(Debug, Clone, Serialize)]
pub struct MonitorScan {
    pub name: String,
    pub primary: bool,
    /// The monitor's place on the desktop and its size in captured pixels.
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    pub scale: f32,
    /// Every pixel had the same colour: on macOS, what a refused capture looks like.
    pub blank: bool,
    #[serde(skip)]
    pub outcome: ScanOutcome,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CaptureError {
    #[error("no screen to capture was found")]
    NoScreens,
    #[error("screen recording is not allowed for Ninsho (System Settings → Privacy & Security → Screen Recording)")]
    PermissionDenied,
    #[error("this Wayland desktop did not allow a screen capture: {0}")]
    Wayland(String),
    #[error("the screen could not be captured: {0}")]
    Failed(String),
    #[error("the scan was cancelled")]
    Cancelled,
}

fn on_wayland() -> bool {
    cfg!(target_os = "linux") && std::env::var_os("WAYLAND_DISPLAY").is_some() && std::env::var("XDG_SESSION_TYPE").is_ok_and(|t| t == "wayland")
}

fn failed(e: xcap::XCapError) -> CaptureError {
    if on_wayland() { CaptureError::Wayland(e.to_string()) } else { CaptureError::Failed(e.to_string()) }
}

/// Captures and scans every monitor in parallel. `cancel` stops the scan between a
/// capture and its decoding.
pub fn scan_screens(cancel: &AtomicBool) -> Result<Vec<MonitorScan>, CaptureError> {
    if !permission::granted() {
        permission::request();
        return Err(CaptureError::PermissionDenied);
    }
    let monitors = xcap::Monitor::all().map_err(failed)?;
    if monitors.is_empty() {
        return Err(CaptureError::NoScreens);
    }
    let scans: Vec<Result<MonitorScan, CaptureError>> = std::thread::scope(|scope| {
        let workers: Vec<_> = monitors.iter().map(|m| scope.spawn(move || scan_monitor(m, cancel))).collect();
        workers.into_iter().map(|w| w.join().unwrap_or_else(|_| Err(CaptureError::Failed("the scanner stopped".into())))).collect()
    });
    if cancel.load(Ordering::Relaxed) {
        return Err(CaptureError::Cancelled);
    }
    let scans: Vec<MonitorScan> = scans.into_iter().collect::<Result<_, _>>()?;
    if cfg!(target_os = "macos") && scans.iter().all(|s| s.blank) {
        return Err(CaptureError::PermissionDenied);
    }
    Ok(scans)
}

fn scan_monitor(monitor: &xcap::Monitor, cancel: &AtomicBool) -> Result<MonitorScan, CaptureError> {
    let image = monitor.capture_image().map_err(failed)?;
    let (width, height) = image.dimensions();
    let mut pixels = image.into_raw();
    let blank = pixels.chunks_exact(4).all(|p| p[..3] == pixels[..3]);
    let outcome = if cancel.load(Ordering::Relaxed) || blank { ScanOutcome::default() } else { scan_rgba(&pixels, width, height) };
    pixels.zeroize();
    Ok(MonitorScan {
        name: monitor.friendly_name().or_else(|_| monitor.name()).unwrap_or_default(),
        primary: monitor.is_primary().unwrap_or(false),
        x: monitor.x().unwrap_or(0),
        y: monitor.y().unwrap_or(0),
        width,
        height,
        scale: monitor.scale_factor().unwrap_or(1.0),
        blank,
        outcome,
    })
}

/// A rectangle the user selected on the desktop (physical pixels, desktop coordinates),
/// captured and scanned enlarged: the fallback when a full scan found nothing.
pub fn scan_area(x: i32, y: i32, width: u32, height: u32) -> Result<ScanOutcome, CaptureError> {
    if !permission::granted() {
        permission::request();
        return Err(CaptureError::PermissionDenied);
    }
    let monitor = xcap::Monitor::from_point(x, y).map_err(failed)?;
    let (mx, my) = (monitor.x().map_err(failed)?, monitor.y().map_err(failed)?);
    let (mw, mh) = (monitor.width().map_err(failed)?, monitor.height().map_err(failed)?);
    let (left, top) = ((x - mx).max(0) as u32, (y - my).max(0) as u32);
    let (width, height) = (width.min(mw.saturating_sub(left)), height.min(mh.saturating_sub(top)));
    if width < 8 || height < 8 {
        return Ok(ScanOutcome::default());
    }
    let image = monitor.capture_region(left, top, width, height).map_err(failed)?;
    let (w, h) = image.dimensions();
    let mut pixels = image.into_raw();
    let outcome = scan_selection(&pixels, w, h);
    pixels.zeroize();
    Ok(outcome)
}

#[cfg(target_os = "macos")]
mod permission {
    #[link(name = "CoreGraphics", kind = "framework")]
    unsafe extern "C" {
        fn CGPreflightScreenCaptureAccess() -> bool;
        fn CGRequestScreenCaptureAccess() -> bool;
    }

    pub fn granted() -> bool {
        // SAFETY: plain queries without arguments, available since macOS 10.15.
        unsafe { CGPreflightScreenCaptureAccess() }
    }

    /// Adds Ninsho to the Screen Recording list (macOS asks the user once).
    pub fn request() {
        // SAFETY: as above.
        unsafe {
            CGRequestScreenCaptureAccess();
        }
    }
}

#[cfg(not(target_os = "macos"))]
mod permission {
    pub fn granted() -> bool {
        true
    }

    pub fn request() {}
}
