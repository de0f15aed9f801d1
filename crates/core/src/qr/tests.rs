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

