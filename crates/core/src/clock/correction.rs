//! Whether the measured offset may shift the codes. An NTP reply is unauthenticated UDP, so
//! one forged reply could once move every code by any amount. A correction now needs two
//! sources that agree and stays within a limit; the warning depends on neither, so a clock
//! years off is still reported with its figure.

use serde::Serialize;

use super::{Measurement, Readings, Source, Thresholds, Verdict};

/// How far apart two sources may be and still agree. A Date header is good to ±0.5 s plus
/// half its round trip, so honest sources differ by about 2 s at worst (a 3-second round
/// trip); NTP servers agree to milliseconds. A shift that hides inside 3 s moves the codes
/// by a tenth of a 30-second step, which sites absorb (they accept the neighbouring code).
pub const AGREEMENT_SECONDS: f64 = 3.0;

/// The largest correction made unless the organization sets another
/// (`clock_correction_max_seconds`). Correction is for PCs whose clock IT locked: those
/// follow the domain's time service, which is off by seconds to minutes, and a PC crystal
/// left to itself drifts up to about 4 s a day (50 ppm), so five minutes is two months
/// unsynchronized. More is a broken clock (a dead CMOS battery, a wrong date) to be fixed,
/// not hidden; and five minutes bounds how far ahead a forged pair of replies could push
/// the codes shown to ten steps.
pub const DEFAULT_LIMIT_SECONDS: u32 = 300;

/// The largest correction, in seconds either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limit {
    pub seconds: u32,
    /// Set by the organization's policy, not Ninsho's default.
    pub managed: bool,
}

impl Default for Limit {
    fn default() -> Self {
        Limit { seconds: DEFAULT_LIMIT_SECONDS, managed: false }
    }
}

/// Why the codes are not shifted although correction is on.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NotApplied {
    #[error("only one time source answered ({answered}), and a correction needs two that agree")]
    OneSource { answered: Source },
    #[error(
        "the time sources differ by {spread:.1} s, more than the {AGREEMENT_SECONDS} s allowed ({} says {}; {} says {})",
        low.source, how_far(low.offset), high.source, how_far(high.offset)
    )]
    Disagree { spread: f64, low: Measurement, high: Measurement },
    #[error(
        "the offset ({:.0} s) is more than the largest correction {} ({} s)",
        offset.abs(), if limit.managed { "your organization allows" } else { "Ninsho makes" }, limit.seconds
    )]
    OverLimit { offset: f64, limit: Limit },
}

fn how_far(offset: f64) -> String {
    format!("{:.1} s {}", offset.abs(), if offset > 0.0 { "slow" } else { "fast" })
}

/// What one check means: the warning, from the first source that answered, and the
/// correction codes get when the user turned it on.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub verdict: Verdict,
    pub correction: Result<i64, NotApplied>,
}

pub fn assess(readings: &Readings, thresholds: &Thresholds, limit: Limit) -> Assessment {
    Assessment { verdict: thresholds.verdict(readings.primary().offset), correction: readings.correction(limit) }
}

impl Readings {
    /// The whole seconds codes are shifted by, or why they are not. Every source must agree
    /// (one that disagrees may be the honest one); the most precise of them gives the figure.
    /// Disagreement is checked first because without agreement there is no offset to hold
    /// against the limit, and the limit before the count because no second source would
    /// make an offset over it acceptable.
    pub fn correction(&self, limit: Limit) -> Result<i64, NotApplied> {
        let all = self.all();
        let by_offset = |a: &&Measurement, b: &&Measurement| a.offset.total_cmp(&b.offset);
        let low = all.iter().min_by(by_offset).expect("readings are never empty");
        let high = all.iter().max_by(by_offset).expect("readings are never empty");
        let spread = high.offset - low.offset;
        if spread > AGREEMENT_SECONDS {
            return Err(NotApplied::Disagree { spread, low: low.clone(), high: high.clone() });
        }
        let best = all.iter().min_by(|a, b| a.uncertainty.total_cmp(&b.uncertainty)).expect("readings are never empty");
        let seconds = best.offset.round();
        if seconds.abs() > f64::from(limit.seconds) {
            return Err(NotApplied::OverLimit { offset: best.offset, limit });
        }
        if all.len() < 2 {
            return Err(NotApplied::OneSource { answered: best.source.clone() });
        }
        Ok(seconds as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ntp(server: &str, offset: f64) -> Measurement {
        Measurement { offset, uncertainty: 0.002, source: Source::Ntp { server: server.into() } }
    }

    fn https(offset: f64) -> Measurement {
        Measurement { offset, uncertainty: 0.6, source: Source::Https { url: "https://intranet.example/".into() } }
    }

    fn check(measurements: Vec<Measurement>, limit: Limit) -> Assessment {
        assess(&Readings::new(measurements, vec![]).unwrap(), &Thresholds::default(), limit)
    }

    #[test]
    fn two_agreeing_sources_correct_by_the_more_precise_figure() {
        let a = check(vec![ntp("a", 74.31), https(75.1)], Limit::default());
        assert_eq!(a, Assessment { verdict: Verdict::Error, correction: Ok(74) });
        assert_eq!(check(vec![ntp("a", -45.2), ntp("b", -44.9)], Limit::default()).correction, Ok(-45));
        let edge = check(vec![https(10.0), ntp("a", 10.0 + AGREEMENT_SECONDS)], Limit::default());
        assert_eq!(edge.correction, Ok(13), "exactly the tolerance still agrees");
    }

    #[test]
    fn one_source_alone_warns_but_does_not_correct() {
        let a = check(vec![ntp("a", 74.0)], Limit::default());
        assert_eq!(a.verdict, Verdict::Error);
        assert_eq!(a.correction, Err(NotApplied::OneSource { answered: Source::Ntp { server: "a".into() } }));
        assert_eq!(a.correction.unwrap_err().to_string(), "only one time source answered (NTP a), and a correction needs two that agree");
    }

    #[test]
    fn disagreeing_sources_do_not_correct_and_name_the_figures() {
        // A forged NTP reply 20 s off against the TLS-protected Date header.
        let a = check(vec![ntp("a", 65.0), https(45.4), ntp("b", 45.0)], Limit::default());
        assert_eq!(a.verdict, Verdict::Error, "the warning still uses the first source");
        let err = a.correction.unwrap_err();
        assert_eq!(err, NotApplied::Disagree { spread: 20.0, low: ntp("b", 45.0), high: ntp("a", 65.0) });
        assert_eq!(err.to_string(), "the time sources differ by 20.0 s, more than the 3 s allowed (NTP b says 45.0 s slow; NTP a says 65.0 s slow)");
        let just_over = check(vec![ntp("a", 0.0), ntp("b", -AGREEMENT_SECONDS - 0.1)], Limit::default());
        assert!(matches!(just_over.correction, Err(NotApplied::Disagree { .. })));
    }

    #[test]
    fn an_offset_over_the_limit_is_not_applied() {
        let limit = Limit { seconds: 60, managed: true };
        let a = check(vec![ntp("a", -90.0), ntp("b", -90.2)], limit);
        assert_eq!(a.correction, Err(NotApplied::OverLimit { offset: -90.0, limit }));
        assert_eq!(a.correction.unwrap_err().to_string(), "the offset (90 s) is more than the largest correction your organization allows (60 s)");
        assert_eq!(check(vec![ntp("a", 60.4), ntp("b", 60.3)], limit).correction, Ok(60), "the limit itself is applied");
        let over_default = check(vec![ntp("a", 301.0), ntp("b", 301.0)], Limit::default()).correction.unwrap_err();
        assert_eq!(over_default.to_string(), "the offset (301 s) is more than the largest correction Ninsho makes (300 s)");
        let single = check(vec![ntp("a", 900.0)], Limit::default());
        assert!(matches!(single.correction, Err(NotApplied::OverLimit { .. })), "the limit is the reason more sources would not change");
    }

    #[test]
    fn a_clock_years_off_still_warns_with_its_figure() {
        // A dead CMOS battery: the PC thinks it is three years earlier. TLS fails on such a
        // clock (certificates are not yet valid), so NTP is all that answers.
        let years = 3.0 * 365.0 * 86_400.0;
        let a = check(vec![ntp("a", years), ntp("b", years + 0.01)], Limit::default());
        assert_eq!(a.verdict, Verdict::Error);
        assert!(matches!(a.correction, Err(NotApplied::OverLimit { offset, .. }) if offset == years));
        let managed = Limit { seconds: 86_400, managed: true };
        assert_eq!(check(vec![ntp("a", -years)], managed).verdict, Verdict::Error);
    }

    #[test]
    fn the_reasons_serialize_for_the_app_and_scripts() {
        let err = check(vec![ntp("a", 0.0), ntp("b", 5.0)], Limit::default()).correction.unwrap_err();
        let v = serde_json::to_value(&err).unwrap();
        assert_eq!(v["reason"], "disagree");
        assert_eq!(v["spread"], 5.0);
        assert_eq!(v["high"]["source"]["server"], "b");
        let over = NotApplied::OverLimit { offset: 90.0, limit: Limit::default() };
        assert_eq!(
            serde_json::to_value(&over).unwrap(),
            serde_json::json!({"reason": "over_limit", "offset": 90.0, "limit": {"seconds": 300, "managed": false}})
        );
    }
}
