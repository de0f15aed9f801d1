//! From a rectangle dragged in the "select an area" window to the region a screen capture
//! takes. Each monitor has its own scale factor (a 100 % laptop panel beside a 150 % 4K
//! screen is common on office desks), and the capture APIs count differently: physical
//! pixels on Windows and X11, points on macOS.

/// A monitor as the window system reports it: its top-left corner on the desktop in
/// physical pixels, and its scale factor (CSS pixels to physical pixels).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Monitor {
    pub x: i32,
    pub y: i32,
    pub scale: f64,
}

/// A rectangle in CSS pixels of a window that covers `Monitor` exactly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CssRect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// The units of the desktop coordinates a capture API takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureUnits {
    /// Windows (per-monitor DPI aware) and X11.
    Physical,
    /// macOS: Core Graphics display bounds are in points.
    Points,
}

impl CaptureUnits {
    pub const CURRENT: CaptureUnits = if cfg!(target_os = "macos") { CaptureUnits::Points } else { CaptureUnits::Physical };
}

/// A region on the desktop in the capture API's units: `(x, y, width, height)`.
pub fn capture_region(monitor: Monitor, area: CssRect, units: CaptureUnits) -> (i32, i32, u32, u32) {
    let scale = if monitor.scale.is_finite() && monitor.scale > 0.0 { monitor.scale } else { 1.0 };
    let size = |v: f64| v.max(0.0).round() as u32;
    match units {
        CaptureUnits::Physical => (
            monitor.x + (area.x * scale).round() as i32,
            monitor.y + (area.y * scale).round() as i32,
            size(area.width * scale),
            size(area.height * scale),
        ),
        // The monitor's physical origin is its origin in points times its own scale.
        CaptureUnits::Points => (
            (f64::from(monitor.x) / scale).round() as i32 + area.x.round() as i32,
            (f64::from(monitor.y) / scale).round() as i32 + area.y.round() as i32,
            size(area.width),
            size(area.height),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREA: CssRect = CssRect { x: 100.0, y: 50.0, width: 200.0, height: 120.0 };

    #[test]
    fn windows_mixed_dpi_a_150_percent_monitor_right_of_a_100_percent_one() {
        let laptop = Monitor { x: 0, y: 0, scale: 1.0 };
        let office_4k = Monitor { x: 1920, y: 0, scale: 1.5 };
        assert_eq!(capture_region(laptop, AREA, CaptureUnits::Physical), (100, 50, 200, 120));
        assert_eq!(capture_region(office_4k, AREA, CaptureUnits::Physical), (2070, 75, 300, 180));
    }

    #[test]
    fn windows_a_125_percent_monitor_left_of_and_above_the_primary() {
        let left = Monitor { x: -2400, y: -300, scale: 1.25 };
        let area = CssRect { x: 10.4, y: 0.0, width: 80.2, height: 80.2 };
        assert_eq!(capture_region(left, area, CaptureUnits::Physical), (-2387, -300, 100, 100));
    }

    #[test]
    fn macos_counts_in_points_on_a_retina_display_beside_a_standard_one() {
        let built_in = Monitor { x: 0, y: 0, scale: 2.0 };
        // An external 1× display right of the 1440-point-wide built-in Retina screen.
        let external = Monitor { x: 1440, y: 0, scale: 1.0 };
        assert_eq!(capture_region(built_in, AREA, CaptureUnits::Points), (100, 50, 200, 120));
        assert_eq!(capture_region(external, AREA, CaptureUnits::Points), (1540, 50, 200, 120));
        // A Retina display right of the built-in one: Tauri reports 2 × 1440 physical.
        let retina_right = Monitor { x: 2880, y: 0, scale: 2.0 };
        assert_eq!(capture_region(retina_right, AREA, CaptureUnits::Points), (1540, 50, 200, 120));
    }

    #[test]
    fn a_broken_scale_factor_counts_as_one_and_sizes_never_go_negative() {
        let odd = Monitor { x: 0, y: 0, scale: f64::NAN };
        let area = CssRect { x: 5.0, y: 5.0, width: -3.0, height: 10.0 };
        assert_eq!(capture_region(odd, area, CaptureUnits::Physical), (5, 5, 0, 10));
        let zero = Monitor { x: 0, y: 0, scale: 0.0 };
        assert_eq!(capture_region(zero, AREA, CaptureUnits::Points), (100, 50, 200, 120));
    }
}
