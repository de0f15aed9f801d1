#![no_main]
//! Every backup format's reader on any bytes, up to where it would need the file's password
//! (past that, each reader decrypts with a key derivation no fuzzer can afford per input).

use libfuzzer_sys::fuzz_target;
use ninsho_core::backup::{FORMATS, Problems};

fuzz_target!(|bytes: &[u8]| {
    let _ = ninsho_core::backup::detect(bytes);
    for format in FORMATS {
        if let Ok(parsed) = format.read(bytes, None) {
            assert!(parsed.problems.len() <= Problems::LISTED);
        }
    }
});
