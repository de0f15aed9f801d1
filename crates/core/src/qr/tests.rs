use super::*;

#[test]
fn kinds() {
    assert_eq!(classify("otpauth://totp/a?secret=AAAA"), PayloadKind::Account);
    assert_eq!(classify("OTPAUTH-MIGRATION://offline?data=x"), PayloadKind::Migration);
    assert_eq!(classify("https://example.com"), PayloadKind::WebAddress);
    // Microsoft Authenticator's own codes, in the forms Microsoft 365 and Microsoft
    // accounts show them (as users reported them in Aegis, FreeOTP and the extension).
    assert_eq!(
        classify("phonefactor://activate_account?code=694660881&url=https://mobileappcommunicator.auth.microsoft.com/activatev2/1/2"),
        PayloadKind::MicrosoftAuthenticator
    );
    assert_eq!(
        classify("PHONEFACTOR://activate_account?code=123456789&url=https%3a%2f%2fmfaportal.example.com%2fMfaWsMobile%2f"),
        PayloadKind::MicrosoftAuthenticator
    );
    assert_eq!(
        classify("https://login.microsoftonline.com/authenticatorApp/activateAccount?source=qrCode&accountType=msa&code=M.C501_BAY.2.U.x&uaid=4"),
        PayloadKind::MicrosoftAuthenticator
    );
    assert_eq!(classify("https://mobileappcommunicator.auth.microsoft.com/activatev2/123/abc"), PayloadKind::MicrosoftAuthenticator);
    // Microsoft's other pages are plain web addresses.
    assert_eq!(classify("https://login.microsoftonline.com/common/oauth2/authorize"), PayloadKind::WebAddress);
    assert_eq!(classify("https://example.com/authenticatorApp/"), PayloadKind::WebAddress);
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
