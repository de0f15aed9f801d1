use super::*;

#[test]
fn kinds() {
    assert_eq!(classify("otpauth://totp/a?secret=AAAA"), PayloadKind::Account);
    assert_eq!(classify("OTPAUTH-MIGRATION://offline?data=x"), PayloadKind::Migration);
    assert_eq!(classify("https://example.com"), PayloadKind::WebAddress);
    assert_eq!(classify("WIFI:S:office;;"), PayloadKind::Text);
    assert_eq!(classify(""), PayloadKind::Text);
}

#[test]
fn tiny_and_empty_images_find_nothing() {
    assert_eq!(scan_luma(&[], 0, 0), ScanOutcome::default());
    assert_eq!(scan_luma(&[0; 100], 10, 10), ScanOutcome::default());
    assert_eq!(scan_luma(&[0; 10], 100, 100), ScanOutcome::default());
}

#[test]
fn not_a_picture() {
    assert_eq!(scan_picture(b"hello"), Err(QrError::NotAnImage));
}


#[test]
fn a_png_whose_palette_is_not_whole_rgb_entries_is_refused_not_a_panic() {
    // Found by the qr_image fuzz target: a 20-byte PLTE chunk made the png crate panic.
    let crash = include_bytes!("../../../../fuzz/regressions/qr_image/png-palette-20-bytes.png");
    assert_eq!(scan_picture(crash), Err(QrError::NotAnImage));
    assert!(png_palette_fits(b"not a png at all"));
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[0, 0, 0, 6]);
    png.extend_from_slice(b"PLTE");
    png.extend_from_slice(&[0; 10]);
    assert!(png_palette_fits(&png));
    png[11] = 7;
    assert!(!png_palette_fits(&png));
}
