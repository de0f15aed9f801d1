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

// The forms below are those users reported to other authenticators' trackers when those
// apps could not read them (Aegis #117 and #887, andOTP #808, FreeOTP+ #59, 2FAS #185,
// pyotp #141), with made-up tokens.
#[test]
fn duo_mobile_activation_codes() {
    let duo = PayloadKind::DuoMobile;
    assert_eq!(classify("duo://X3kP9qLm2ZtR7vBn4WcY-YXBpLWU0YzlmYmU3LmR1b3NlY3VyaXR5LmNvbQ"), duo);
    // The same without its prefix, as generic QR readers showed it, with and without padding.
    assert_eq!(classify("X3kP9qLm2ZtR7vBn4WcY-YXBpLWU0YzlmYmU3LmR1b3NlY3VyaXR5LmNvbQ"), duo);
    assert_eq!(classify("X3kP9qLm2ZtR7vBn4WcY-YXBpLTFhMmIzYzRkLmR1b3NlY3VyaXR5LmNvbQ=="), duo);
    assert_eq!(classify("https://m-1a2b3c4d.duosecurity.com/activate/X3kP9qLm2ZtR7vBn4WcY"), duo);
    assert!(duo.is_for_another_app());
    // Look-alikes: another host in the base64, a code of the wrong length, Duo's own site.
    assert_eq!(classify("X3kP9qLm2ZtR7vBn4WcY-ZXhhbXBsZS5jb20="), PayloadKind::Text);
    assert_eq!(classify("X3kP9qLm2Zt-YXBpLWU0YzlmYmU3LmR1b3NlY3VyaXR5LmNvbQ"), PayloadKind::Text);
    assert_eq!(classify("X3kP9qLm2ZtR7vBn4WcY-not base64 at all"), PayloadKind::Text);
    assert_eq!(classify("https://duo.com/product/multi-factor-authentication-mfa"), PayloadKind::WebAddress);
    assert_eq!(classify("https://api-1a2b3c4d.duosecurity.com/frame/prompt"), PayloadKind::WebAddress);
}

#[test]
fn okta_verify_enrollment_codes() {
    let okta = PayloadKind::OktaVerify;
    assert_eq!(
        classify(
            "oktaverify://taro.yamada@example.co.jp/?t=Qm9ndXNUb2tlbkZvclRlc3RpbmdPbmx5MTIz&f=opf1a2b3c4d5e6f7g8h9&s=https://example.okta.com&issuer=example.okta.com&isIdxEnabled=true"
        ),
        okta
    );
    assert_eq!(
        classify(
            "otpauth://totp/example.okta.com:taro%40example.co.jp?issuer=example.okta.com&t=Qm9ndXNUb2tlbkZvclRlc3Q&f=opf1a2b3c4d5e6f7g8h9&s=https%3A%2F%2Fexample.okta.com&touchIdRequired=false"
        ),
        okta
    );
    assert!(okta.is_for_another_app());
    // An otpauth:// code with a key stays an account, whatever else it carries.
    assert_eq!(classify("otpauth://totp/Okta:taro?secret=JBSWY3DPEHPK3PXP&issuer=Okta&t=1&f=2"), PayloadKind::Account);
    assert_eq!(classify("otpauth://totp/a?t=1"), PayloadKind::Account);
}

#[test]
fn app_store_links_are_named_as_downloads() {
    for link in [
        "https://apps.apple.com/jp/app/google-authenticator/id388497605",
        "https://itunes.apple.com/app/id388497605",
        "https://play.google.com/store/apps/details?id=com.google.android.apps.authenticator2",
        "https://apps.microsoft.com/detail/9wzdncrfj3rj",
        "market://details?id=com.azure.authenticator",
        "itms-apps://apps.apple.com/app/id983156458",
    ] {
        assert_eq!(classify(link), PayloadKind::AppStore, "{link}");
    }
    assert!(!PayloadKind::AppStore.is_for_another_app());
    assert_eq!(classify("https://play.google.com/books"), PayloadKind::WebAddress);
    assert_eq!(classify("https://apple.com/jp/"), PayloadKind::WebAddress);
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
