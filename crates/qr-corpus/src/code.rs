//! A QR code as a bitmap, drawn as browsers draw it: below both the screens and `pages`,
//! which place it.

use image::{GrayImage, Luma};
use qrcode::{Color, EcLevel, QrCode};

/// The code's modules as a bitmap with `quiet` modules of margin, `module` px each.
pub fn render_code(payload: &str, ec: EcLevel, module: u32, quiet: u32) -> GrayImage {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), ec).expect("payload fits a QR code");
    let n = code.width() as u32;
    let colors = code.to_colors();
    let side = (n + 2 * quiet) * module;
    GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / module, y / module);
        let dark =
            mx >= quiet && my >= quiet && mx < n + quiet && my < n + quiet && colors[((my - quiet) * n + (mx - quiet)) as usize] == Color::Dark;
        Luma([if dark { 0 } else { 255 }])
    })
}
