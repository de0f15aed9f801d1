//! The fallback where UDP 123 is blocked: the `Date` header of an HTTP(S) reply, which has
//! a resolution of one second.

use std::time::UNIX_EPOCH;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("the reply has no Date header")]
    Missing,
    #[error("the Date header {0:?} is not an HTTP date")]
    Invalid(String),
}

/// Offset (server minus local, seconds) and its uncertainty from a `Date` header received
/// between the local times `sent` and `received`. The header truncates to the second the
/// reply was made in, so the server's time was somewhere in [date, date + 1).
pub fn offset_from_date(header: Option<&str>, sent: f64, received: f64) -> Result<(f64, f64), DateError> {
    let header = header.ok_or(DateError::Missing)?;
    let date = httpdate::parse_http_date(header.trim()).map_err(|_| DateError::Invalid(header.chars().take(64).collect()))?;
    let server = date.duration_since(UNIX_EPOCH).map_err(|_| DateError::Invalid(header.to_owned()))?.as_secs_f64() + 0.5;
    let half_round_trip = ((received - sent) / 2.0).max(0.0);
    Ok((server - (sent + half_round_trip), 0.5 + half_round_trip))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_with_uncertainty() {
        // 2026-11-26 00:00:00 UTC = 1_795_651_200.
        let (offset, uncertainty) = offset_from_date(Some("Thu, 26 Nov 2026 00:00:00 GMT"), 1_795_651_200.0 - 74.2, 1_795_651_200.0 - 74.0).unwrap();
        // Server time: the middle of second D, so D + 0.5; local time then: D - 74.1.
        assert!((offset - 74.6).abs() < 1e-6, "{offset}");
        assert!((uncertainty - 0.6).abs() < 1e-6, "{uncertainty}");
    }

    #[test]
    fn bad_headers() {
        assert_eq!(offset_from_date(None, 0.0, 0.0), Err(DateError::Missing));
        assert!(matches!(offset_from_date(Some("yesterday"), 0.0, 0.0), Err(DateError::Invalid(_))));
        assert!(matches!(offset_from_date(Some(""), 0.0, 0.0), Err(DateError::Invalid(_))));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,60}") {
            let _ = offset_from_date(Some(&s), 0.0, 1.0);
        }
    }
}
