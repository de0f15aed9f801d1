//! Which automatic backups to keep: the newest 50, the newest of each day for 90 days, and
//! every backup that is the newest one holding some account (so an account deleted long
//! ago can still be found in the last backup that had it).

use std::collections::BTreeSet;

use uuid::Uuid;

pub const KEEP_NEWEST: usize = 50;
pub const KEEP_DAILY_DAYS: u64 = 90;
const DAY: u64 = 24 * 60 * 60;

/// One backup as retention sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Unix time (seconds) it was written.
    pub time: u64,
    /// The accounts it holds; `None` when it cannot be read with the current password (made
    /// before the password changed), so what it holds is unknown and it is kept.
    pub ids: Option<BTreeSet<Uuid>>,
}

/// For each snapshot (newest first, as given), whether to keep it. Days are UTC days.
pub fn keep(snapshots: &[Snapshot], now: u64) -> Vec<bool> {
    let mut held_by_newer: BTreeSet<Uuid> = BTreeSet::new();
    let mut days_seen: BTreeSet<u64> = BTreeSet::new();
    snapshots
        .iter()
        .enumerate()
        .map(|(rank, snapshot)| {
            let day = snapshot.time / DAY;
            let newest_of_day = days_seen.insert(day);
            let recent = now.saturating_sub(snapshot.time) < KEEP_DAILY_DAYS * DAY;
            let only_holder = match &snapshot.ids {
                None => true,
                Some(ids) => {
                    let holds_something_new = !ids.is_subset(&held_by_newer);
                    held_by_newer.extend(ids.iter().copied());
                    holds_something_new
                }
            };
            rank < KEEP_NEWEST || (recent && newest_of_day) || only_holder
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: &[u128]) -> Option<BTreeSet<Uuid>> {
        Some(n.iter().map(|&i| Uuid::from_u128(i)).collect())
    }

    #[test]
    fn newest_fifty_then_one_per_day() {
        let now = 1_000 * DAY;
        // 200 backups an hour apart, all holding the same account.
        let snapshots: Vec<Snapshot> = (0..200).map(|i| Snapshot { time: now - i * 3600, ids: ids(&[1]) }).collect();
        let kept = keep(&snapshots, now);
        assert!(kept[..50].iter().all(|&k| k));
        let older: Vec<u64> = snapshots.iter().zip(&kept).skip(50).filter(|(_, k)| **k).map(|(s, _)| s.time / DAY).collect();
        let distinct: BTreeSet<u64> = older.iter().copied().collect();
        assert_eq!(older.len(), distinct.len(), "at most one per day beyond the newest 50");
        assert!(!kept[199], "the oldest is neither recent-daily-newest nor the only holder");
    }

    #[test]
    fn daily_copies_end_after_ninety_days() {
        let now = 1_000 * DAY;
        let snapshots: Vec<Snapshot> = (0..200).map(|d| Snapshot { time: now - d * DAY, ids: ids(&[1]) }).collect();
        let kept = keep(&snapshots, now);
        assert_eq!(kept.iter().filter(|&&k| k).count(), 90);
        assert!(kept[89] && !kept[90]);
    }

    #[test]
    fn the_last_backup_holding_an_account_is_never_dropped() {
        let now = 1_000 * DAY;
        let mut snapshots: Vec<Snapshot> = (0..100).map(|i| Snapshot { time: now - i * 3600, ids: ids(&[1]) }).collect();
        // Account 2 was deleted a year ago; the last backups that had it are old.
        snapshots.push(Snapshot { time: now - 365 * DAY, ids: ids(&[1, 2]) });
        snapshots.push(Snapshot { time: now - 366 * DAY, ids: ids(&[1, 2]) });
        let kept = keep(&snapshots, now);
        assert!(kept[100], "the newest backup with account 2 stays");
        assert!(!kept[101], "an older one with nothing the newer ones lack goes");
    }

    #[test]
    fn backups_another_password_made_are_kept() {
        let now = 1_000 * DAY;
        let mut snapshots: Vec<Snapshot> = (0..60).map(|i| Snapshot { time: now - i * 60, ids: ids(&[1]) }).collect();
        snapshots.push(Snapshot { time: now - 500 * DAY, ids: None });
        assert!(keep(&snapshots, now)[60]);
    }
}
