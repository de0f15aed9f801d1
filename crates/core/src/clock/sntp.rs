//! SNTP (RFC 4330, RFC 5905 section 8) as pure functions: the request packet and the
//! checks and arithmetic on a reply. The network side lives in `super::measure`.

/// Seconds from the NTP epoch (1900) to the Unix epoch (1970).
const NTP_TO_UNIX: f64 = 2_208_988_800.0;
const ERA: f64 = 4_294_967_296.0;
pub const PACKET_LEN: usize = 48;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SntpError {
    #[error("the reply is {0} bytes, shorter than an NTP packet (48)")]
    TooShort(usize),
    #[error("the reply is not from an NTP server (mode {0})")]
    NotAServer(u8),
    #[error("the reply has NTP version {0}, which is not supported")]
    Version(u8),
    #[error("the server refused the request (kiss code {0:?})")]
    KissOfDeath(String),
    #[error("the server says its own clock is not synchronized")]
    Unsynchronized,
    #[error("the server's stratum {0} is invalid")]
    Stratum(u8),
    #[error("the reply does not answer our request (origin timestamp differs)")]
    OriginMismatch,
    #[error("the reply's timestamps are impossible (transmit before receive, or zero)")]
    Timestamps,
    #[error("no random bytes for the request: {0}")]
    Random(String),
}

/// One round trip: the clock offset (server minus local, seconds; positive means the
/// local clock is slow) and the round-trip delay it was measured over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub offset: f64,
    pub delay: f64,
}

/// NTP 64-bit timestamp → Unix seconds, choosing the era nearest `near` (Unix seconds), so
/// the arithmetic keeps working past the 2036 wrap of the 32-bit seconds field.
fn to_unix(raw: u64, near: f64) -> f64 {
    let seconds = (raw >> 32) as f64 + (raw & 0xffff_ffff) as f64 / ERA;
    let base = seconds - NTP_TO_UNIX;
    let era = ((near - base) / ERA).round();
    base + era * ERA
}

fn read_u64(bytes: &[u8], at: usize) -> u64 {
    u64::from_be_bytes(bytes[at..at + 8].try_into().expect("caller checked the length"))
}

/// Eight random bytes for a request's transmit timestamp. The server echoes them as the
/// origin, so only a host that saw the request can forge a reply that passes
/// [`parse_reply`]; the time of sending was guessable to the second by anyone, and told
/// every server and on-looker this PC's clock (chrony and the IETF's NTP data-minimization
/// draft send random bytes for both reasons). The time of sending is kept locally.
pub fn nonce() -> Result<[u8; 8], SntpError> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| SntpError::Random(e.to_string()))?;
    Ok(bytes)
}

/// A client request (version 4, mode 3) carrying `nonce` (from [`nonce`]) as its transmit
/// timestamp.
pub fn request(nonce: [u8; 8]) -> [u8; PACKET_LEN] {
    let mut packet = [0u8; PACKET_LEN];
    packet[0] = (4 << 3) | 3;
    packet[40..48].copy_from_slice(&nonce);
    packet
}

/// Checks a reply to `request` and computes the offset and delay. `sent` and `received`
/// are the local Unix times the request left and the reply arrived (T1 and T4).
pub fn parse_reply(reply: &[u8], request: &[u8; PACKET_LEN], sent: f64, received: f64) -> Result<Sample, SntpError> {
    if reply.len() < PACKET_LEN {
        return Err(SntpError::TooShort(reply.len()));
    }
    let leap = reply[0] >> 6;
    let version = (reply[0] >> 3) & 7;
    let mode = reply[0] & 7;
    let stratum = reply[1];
    if mode != 4 {
        return Err(SntpError::NotAServer(mode));
    }
    if !(3..=4).contains(&version) {
        return Err(SntpError::Version(version));
    }
    if stratum == 0 {
        let code: String = reply[12..16].iter().map(|&b| if b.is_ascii_graphic() { b as char } else { '?' }).collect();
        return Err(SntpError::KissOfDeath(code));
    }
    if stratum > 15 {
        return Err(SntpError::Stratum(stratum));
    }
    if leap == 3 {
        return Err(SntpError::Unsynchronized);
    }
    if reply[24..32] != request[40..48] {
        return Err(SntpError::OriginMismatch);
    }
    let (receive_raw, transmit_raw) = (read_u64(reply, 32), read_u64(reply, 40));
    if receive_raw == 0 || transmit_raw == 0 {
        return Err(SntpError::Timestamps);
    }
    let t2 = to_unix(receive_raw, sent);
    let t3 = to_unix(transmit_raw, sent);
    if t3 < t2 {
        return Err(SntpError::Timestamps);
    }
    let (t1, t4) = (sent, received);
    Ok(Sample { offset: ((t2 - t1) + (t3 - t4)) / 2.0, delay: ((t4 - t1) - (t3 - t2)).max(0.0) })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Unix seconds → an NTP 64-bit timestamp, as a server writes its clock.
    fn to_ntp(unix: f64) -> u64 {
        let ntp = (unix + NTP_TO_UNIX).rem_euclid(ERA);
        let seconds = ntp.trunc() as u64;
        let fraction = ((ntp - ntp.trunc()) * ERA) as u64;
        (seconds << 32) | (fraction & 0xffff_ffff)
    }

    const NONCE: [u8; 8] = [0x5c, 0x0f, 0xe1, 0x9a, 0x33, 0x70, 0x02, 0xd8];

    /// A server's reply to `req`, as if its clock read `server_now` on receipt and
    /// `server_now + hold` on sending.
    pub fn reply(req: &[u8; PACKET_LEN], server_now: f64, hold: f64) -> [u8; PACKET_LEN] {
        let mut r = [0u8; PACKET_LEN];
        r[0] = (4 << 3) | 4;
        r[1] = 2;
        r[24..32].copy_from_slice(&req[40..48]);
        r[32..40].copy_from_slice(&to_ntp(server_now).to_be_bytes());
        r[40..48].copy_from_slice(&to_ntp(server_now + hold).to_be_bytes());
        r
    }

    #[test]
    fn offset_and_delay_follow_rfc_5905() {
        let t1 = 1_800_000_000.25;
        let req = request(NONCE);
        // Network 0.05 s each way, server 74 s ahead, holds the request 0.01 s.
        let rep = reply(&req, t1 + 0.05 + 74.0, 0.01);
        let s = parse_reply(&rep, &req, t1, t1 + 0.11).unwrap();
        assert!((s.offset - 74.0).abs() < 1e-6, "{s:?}");
        assert!((s.delay - 0.10).abs() < 1e-6, "{s:?}");
        let rep = reply(&req, t1 + 0.05 - 90.0, 0.0);
        assert!((parse_reply(&rep, &req, t1, t1 + 0.1).unwrap().offset + 90.0).abs() < 1e-6);
    }

    #[test]
    fn survives_the_2036_era_wrap() {
        let t1 = 2_085_978_495.5; // 1 s before NTP seconds wrap (2036-02-07)
        let req = request(NONCE);
        let rep = reply(&req, t1 + 3.0, 0.0);
        let s = parse_reply(&rep, &req, t1, t1).unwrap();
        assert!((s.offset - 3.0).abs() < 1e-6, "{s:?}");
    }

    #[test]
    fn refuses_bad_replies() {
        let t1 = 1_800_000_000.0;
        let req = request(NONCE);
        let good = reply(&req, t1, 0.0);
        let mutate = |f: &dyn Fn(&mut [u8; PACKET_LEN])| {
            let mut r = good;
            f(&mut r);
            parse_reply(&r, &req, t1, t1)
        };
        assert_eq!(parse_reply(&good[..47], &req, t1, t1), Err(SntpError::TooShort(47)));
        assert_eq!(mutate(&|r| r[0] = (4 << 3) | 3), Err(SntpError::NotAServer(3)));
        assert_eq!(mutate(&|r| r[0] = (2 << 3) | 4), Err(SntpError::Version(2)));
        assert_eq!(
            mutate(&|r| {
                r[1] = 0;
                r[12..16].copy_from_slice(b"RATE");
            }),
            Err(SntpError::KissOfDeath("RATE".into()))
        );
        assert_eq!(mutate(&|r| r[1] = 16), Err(SntpError::Stratum(16)));
        assert_eq!(mutate(&|r| r[0] |= 3 << 6), Err(SntpError::Unsynchronized));
        assert_eq!(mutate(&|r| r[31] ^= 1), Err(SntpError::OriginMismatch));
        assert_eq!(mutate(&|r| r[40..48].fill(0)), Err(SntpError::Timestamps));
        assert_eq!(mutate(&|r| r[32] = r[40].wrapping_add(1)), Err(SntpError::Timestamps));
    }

    #[test]
    fn the_transmit_timestamp_is_random_and_a_reply_must_echo_it() {
        let (a, b) = (nonce().unwrap(), nonce().unwrap());
        assert_ne!(a, b, "two requests never carry the same bytes");
        let t1 = 1_800_000_000.25;
        let req = request(a);
        assert_eq!(req[40..48], a, "the transmit field is the nonce, not the time");
        assert_ne!(req[40..48], to_ntp(t1).to_be_bytes());
        let mut forged = reply(&req, t1 + 3600.0, 0.0);
        // An off-path attacker who cannot see the request can only guess its time of sending.
        forged[24..32].copy_from_slice(&to_ntp(t1).to_be_bytes());
        assert_eq!(parse_reply(&forged, &req, t1, t1 + 0.01), Err(SntpError::OriginMismatch));
        assert_eq!(parse_reply(&reply(&request(b), t1, 0.0), &req, t1, t1), Err(SntpError::OriginMismatch), "a reply to another request");
        assert!(parse_reply(&reply(&req, t1 + 3600.0, 0.0), &req, t1, t1 + 0.01).is_ok());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80), t in 0.0f64..4e9) {
            let req = request(NONCE);
            let _ = parse_reply(&bytes, &req, t, t + 0.1);
        }
    }
}
