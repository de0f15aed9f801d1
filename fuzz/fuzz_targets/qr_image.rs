#![no_main]
//! QR scanning: arbitrary picture files, and arbitrary grey pixels (a small image whose
//! width comes from the first byte), through the finder search and the decoders.

use libfuzzer_sys::fuzz_target;
use ninsho_core::qr;

fuzz_target!(|bytes: &[u8]| {
    let _ = qr::scan_picture(bytes);
    if let Some((&w, pixels)) = bytes.split_first() {
        let width = u32::from(w.max(1));
        let height = (pixels.len() as u32) / width;
        let outcome = qr::scan_luma(pixels, width, height);
        for code in &outcome.codes {
            assert!(code.rect.x + code.rect.width <= width && code.rect.y + code.rect.height <= height);
        }
    }
});
