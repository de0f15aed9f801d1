//! Capturing every monitor at its native resolution, then scanning each capture in its
//! own thread. Captures stay in memory and are zeroized once scanned (or dropped).

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use zeroize::{Zeroize, Zeroizing};

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

/// Captures every monitor, then scans the captures in parallel. `cancel` stops the scan
/// between the captures and their decoding.
pub fn scan_screens(cancel: &AtomicBool) -> Result<Vec<MonitorScan>, CaptureError> {
    if !permission::granted() {
        permission::request();
        return Err(CaptureError::PermissionDenied);
    }
    let monitors = xcap::Monitor::all().map_err(failed)?;
    if monitors.is_empty() {
        return Err(CaptureError::NoScreens);
    }
    // Captured one after the other on this thread: a monitor handle (an HMONITOR on
    // Windows) may not be shared with other threads, the pixels may. A capture takes tens
    // of milliseconds; the scans are what is worth spreading.
    let captures: Vec<(MonitorScan, Zeroizing<Vec<u8>>)> = monitors.iter().map(capture).collect::<Result<_, _>>()?;
    let scans: Vec<MonitorScan> = std::thread::scope(|scope| {
        let workers: Vec<_> = captures
            .into_iter()
            .map(|(mut scan, pixels)| {
                scope.spawn(move || {
                    if !cancel.load(Ordering::Relaxed) && !scan.blank {
                        scan.outcome = scan_rgba(&pixels, scan.width, scan.height);
                    }
                    scan
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().map_err(|_| CaptureError::Failed("the scanner stopped".into()))).collect::<Result<_, _>>()
    })?;
    if cancel.load(Ordering::Relaxed) {
        return Err(CaptureError::Cancelled);
    }
    if cfg!(target_os = "macos") && scans.iter().all(|s| s.blank) {
        return Err(CaptureError::PermissionDenied);
    }
    Ok(scans)
}

/// One monitor's capture and what is known of the monitor; the scan comes later.
fn capture(monitor: &xcap::Monitor) -> Result<(MonitorScan, Zeroizing<Vec<u8>>), CaptureError> {
    let image = monitor.capture_image().map_err(failed)?;
    let (width, height) = image.dimensions();
    let pixels = Zeroizing::new(image.into_raw());
    let blank = pixels.chunks_exact(4).all(|p| p[..3] == pixels[..3]);
    let scan = MonitorScan {
        name: monitor.friendly_name().or_else(|_| monitor.name()).unwrap_or_default(),
        primary: monitor.is_primary().unwrap_or(false),
        x: monitor.x().unwrap_or(0),
        y: monitor.y().unwrap_or(0),
        width,
        height,
        scale: monitor.scale_factor().unwrap_or(1.0),
        blank,
        outcome: ScanOutcome::default(),
    };
    Ok((scan, pixels))
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
