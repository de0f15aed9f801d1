#![no_main]
//! Network replies: SNTP packets and HTTP Date headers.

use libfuzzer_sys::fuzz_target;
use ninsho_core::clock::{http_date, sntp};

fuzz_target!(|bytes: &[u8]| {
    let request = sntp::request([0x5a; 8]);
    let _ = sntp::parse_reply(bytes, &request, 1_800_000_000.0, 1_800_000_000.1);
    let mut echoed = bytes.to_vec();
    if echoed.len() >= sntp::PACKET_LEN {
        echoed[24..32].copy_from_slice(&request[40..48]);
        if let Ok(sample) = sntp::parse_reply(&echoed, &request, 1_800_000_000.0, 1_800_000_000.1) {
            assert!(sample.delay >= 0.0 && !sample.offset.is_nan());
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = http_date::offset_from_date(Some(text), 0.0, 1.0);
    }
});
