//! What the app knows of the clock: the last measurement, the organization's limit on
//! correcting by it, and the offset the codes are made with. Measuring and showing it is
//! the clock feature's (`crate::clock`).

use std::sync::Mutex;

use ninsho_core::clock::{Limit, Readings};
use tokio::sync::Notify;

#[derive(Default)]
pub struct ClockState {
    pub last: Mutex<Option<Result<Readings, String>>>,
    pub checked_at: Mutex<Option<u64>>,
    /// The organization's limit as last read from the policy: at each check, and by the
    /// checker every 15 s, so a changed limit holds without waiting for the next check.
    pub limit: Mutex<Limit>,
    pub wake: Notify,
}

impl ClockState {
    /// The offset codes are shifted by when correction is on: what the core's rule allows,
    /// else none.
    pub fn correction(&self, enabled: bool) -> i64 {
        if !enabled {
            return 0;
        }
        let limit = *self.limit.lock().expect("clock lock");
        match &*self.last.lock().expect("clock lock") {
            Some(Ok(readings)) => readings.correction(limit).unwrap_or(0),
            _ => 0,
        }
    }

    /// Takes the policy's limit; true when it changed.
    pub fn set_limit(&self, limit: Limit) -> bool {
        let mut current = self.limit.lock().expect("clock lock");
        std::mem::replace(&mut *current, limit) != limit
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use ninsho_core::clock::{Measurement, Source};

    use super::*;

    pub(crate) fn readings(offsets: &[(&str, f64)]) -> Readings {
        let all = offsets.iter().map(|(server, offset)| Measurement {
            offset: *offset,
            uncertainty: 0.01,
            source: Source::Ntp { server: (*server).into() },
        });
        Readings::new(all.collect(), vec![]).unwrap()
    }

    #[test]
    fn codes_shift_only_by_what_the_rule_allows() {
        let clock = ClockState::default();
        assert_eq!(clock.correction(true), 0, "nothing measured yet");
        *clock.last.lock().unwrap() = Some(Ok(readings(&[("a", -45.2), ("b", -44.8)])));
        assert_eq!((clock.correction(true), clock.correction(false)), (-45, 0));
        assert!(clock.set_limit(Limit { seconds: 30, managed: true }), "a tighter limit from the policy");
        assert_eq!(clock.correction(true), 0);
        assert!(!clock.set_limit(Limit { seconds: 30, managed: true }));
        *clock.last.lock().unwrap() = Some(Ok(readings(&[("a", 20.0)])));
        assert_eq!(clock.correction(true), 0, "one source");
    }
}
