#![no_main]
//! authenticator.txt and otpauth lists: any bytes give accounts and located problems.

use libfuzzer_sys::fuzz_target;
use ninsho_core::backup::{Format, Place, Problems, authenticator_txt::AuthenticatorTxt};

fuzz_target!(|bytes: &[u8]| {
    let _ = ninsho_core::backup::detect(bytes);
    if let Ok(parsed) = AuthenticatorTxt.read(bytes, None) {
        // A line, a missing code of an export, or an account inside an export line.
        assert!(parsed.problems.iter().all(|p| matches!(p.place, Place::Line(_) | Place::QrCode { .. } | Place::Entry { .. })));
        assert!(parsed.problems.len() <= Problems::LISTED);
    }
});
