//! The PC clock check: how far this PC's clock is from network time, and what to tell the
//! user. "The code does not match" is nearly always a clock that is off. Warning about an
//! offset needs one source; shifting the codes by it needs two that agree (`correction`).

mod correction;
pub mod http_date;
mod measure;
pub mod sntp;

use std::fmt;

use serde::Serialize;

pub use correction::{AGREEMENT_SECONDS, Assessment, DEFAULT_LIMIT_SECONDS, Limit, NotApplied, assess};
pub use measure::{ClockConfig, measure};

/// Servers tried in order: Japan's standard time first, then the large public services.
pub const DEFAULT_SERVERS: [&str; 5] = ["ntp.nict.jp", "time.google.com", "time.cloudflare.com", "time.apple.com", "time.windows.com"];
pub const DEFAULT_HTTPS_URL: &str = "https://www.google.com/generate_204";

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Source {
    Ntp { server: String },
    Https { url: String },
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Ntp { server } => write!(f, "NTP {server}"),
            Source::Https { url } => write!(f, "the Date header of {url}"),
        }
    }
}

/// Server time minus this PC's time: positive when the PC's clock is slow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measurement {
    pub offset: f64,
    pub uncertainty: f64,
    pub source: Source,
}

/// What the sources said, in the order they were asked (NTP servers, then HTTPS); never
/// empty. The sources that did not answer are kept to say why only one did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Readings {
    measurements: Vec<Measurement>,
    failures: Vec<(String, String)>,
}

impl Readings {
    /// `failures` become the error when no source answered.
    pub fn new(measurements: Vec<Measurement>, failures: Vec<(String, String)>) -> Result<Readings, ClockError> {
        if measurements.is_empty() { Err(ClockError(failures)) } else { Ok(Readings { measurements, failures }) }
    }

    /// The first source that answered: the figure the warning states, as before there was
    /// a second source.
    pub fn primary(&self) -> &Measurement {
        &self.measurements[0]
    }

    pub fn all(&self) -> &[Measurement] {
        &self.measurements
    }

    /// Each source that did not answer, and why.
    pub fn failures(&self) -> &[(String, String)] {
        &self.failures
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Ok,
    /// Codes may be rejected near the end of their window.
    Warn,
    /// Codes will be rejected.
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct Thresholds {
    pub warn: f64,
    pub error: f64,
}

impl Default for Thresholds {
    /// Sites accept the previous and next 30-second code at most; past 30 s the code
    /// shown is already outside that, past 10 s it is often rejected near a boundary.
    fn default() -> Self {
        Thresholds { warn: 10.0, error: 30.0 }
    }
}

impl Thresholds {
    pub fn verdict(&self, offset: f64) -> Verdict {
        let off = offset.abs();
        if off >= self.error {
            Verdict::Error
        } else if off >= self.warn {
            Verdict::Warn
        } else {
            Verdict::Ok
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the clock could not be checked: {}", .0.iter().map(|(s, e)| format!("{s}: {e}")).collect::<Vec<_>>().join("; "))]
pub struct ClockError(pub Vec<(String, String)>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        let t = Thresholds::default();
        assert_eq!(t.verdict(0.4), Verdict::Ok);
        assert_eq!(t.verdict(-9.9), Verdict::Ok);
        assert_eq!(t.verdict(10.0), Verdict::Warn);
        assert_eq!(t.verdict(-20.0), Verdict::Warn);
        assert_eq!(t.verdict(45.0), Verdict::Error);
        assert_eq!(t.verdict(-90.0), Verdict::Error);
    }
}
