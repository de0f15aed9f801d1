use std::collections::BTreeSet;
use std::sync::LazyLock;

use super::*;
use crate::account::AccountDraft;
use crate::otp::uri::KeyUri;
use crate::vault::open_transfer;

const PASSWORD: &str = "バックアップ pass";
/// Deriving costs a quarter of a second; every test shares one key.
static KEY: LazyLock<PassphraseKey> = LazyLock::new(|| PassphraseKey::derive(PASSWORD).unwrap());

fn setting(folder: &Path) -> BackupSetting {
    BackupSetting { folder: folder.to_owned(), key: KEY.clone() }
}

fn account(n: usize) -> Account {
    let uri: KeyUri = format!("otpauth://totp/Payroll:user{n}@example.co.jp?secret=JBSWY3DPEHPK3PXP&issuer=Payroll").parse().unwrap();
    Account::from_draft(AccountDraft::from(uri), n as u32, 1_700_000_000)
}

#[test]
fn names_carry_the_time_and_nothing_else_looks_like_a_backup() {
    assert_eq!(file_name(1_796_094_724, 0), "ninsho-backup-20261201-031204Z.ninsho");
    assert_eq!(file_name(1_796_094_724, 2), "ninsho-backup-20261201-031204Z-2.ninsho");
    assert_eq!(parse_file_name("ninsho-backup-20261201-031204Z.ninsho"), Some((1_796_094_724, 0)));
    assert_eq!(parse_file_name("ninsho-backup-20261201-031204Z-2.ninsho"), Some((1_796_094_724, 2)));
    for other in [
        ".ninsho-backup-partial-0123",
        "ninsho-backup-20261201-031204Z.ninsho.tmp",
        "ninsho-backup-20261301-031204Z.ninsho",
        "ninsho-backup-20261201-031204Z-0.ninsho",
        "ninsho-backup-.ninsho",
        "vault.ninsho",
    ] {
        assert_eq!(parse_file_name(other), None, "{other}");
    }
}

/// 1,000 changes, three hours apart on a fake clock (125 days): an office's accounts added,
/// renamed and now and then deleted. Every backup holds exactly the accounts of its moment, and
/// what stays follows the retention rule, so every account ever saved is still in some
/// backup.
#[test]
fn a_thousand_changes_keep_the_retention_rule_and_every_account() {
    let dir = tempfile::tempdir().unwrap();
    let setting = setting(dir.path());
    let start = 1_790_000_000u64;
    let mut accounts: Vec<Account> = Vec::new();
    let mut ever: BTreeSet<uuid::Uuid> = BTreeSet::new();
    let mut first_file = None;
    for change in 0..1000usize {
        let now = start + change as u64 * 3 * 3600;
        match change % 20 {
            0 | 10 => {
                accounts.push(account(change));
                ever.insert(accounts.last().unwrap().id);
            }
            15 if accounts.len() > 3 => {
                accounts.remove(change % 3);
            }
            _ => {
                let which = change % accounts.len();
                accounts[which].label = format!("B-ID {change}");
            }
        }
        let file = write(&setting, &accounts, now).unwrap();
        first_file.get_or_insert_with(|| file.clone());
        let held = open(&file, &KEY).unwrap().unwrap();
        assert_eq!(held, accounts, "change {change}: the backup holds that moment's accounts");
    }
    let now = start + 999 * 3 * 3600;
    let files = list(dir.path()).unwrap();
    assert!(files.len() >= retention::KEEP_NEWEST && files.len() < 1000, "{} files", files.len());
    let snapshots: Vec<retention::Snapshot> = files
        .iter()
        .map(|f| retention::Snapshot { time: f.time, ids: Some(open(&f.path, &KEY).unwrap().unwrap().iter().map(|a| a.id).collect()) })
        .collect();
    assert!(retention::keep(&snapshots, now).iter().all(|&k| k), "nothing left that the rule would drop");
    let mut days: Vec<u64> = files.iter().filter(|f| now - f.time < 90 * 86400).map(|f| f.time / 86400).collect();
    days.dedup();
    // 90 × 24 hours back from a time of day reach into a 91st UTC day.
    assert_eq!(days.len(), 91, "one per day for the last 90 days");
    let held: BTreeSet<uuid::Uuid> = snapshots.iter().flat_map(|s| s.ids.clone().unwrap()).collect();
    assert_eq!(held, ever, "every account ever saved is in a backup still");
    assert!(!first_file.unwrap().exists(), "old ones were thinned out");

    let newest = fs::read(&files[0].path).unwrap();
    assert_eq!(open_transfer(&newest, PASSWORD).unwrap(), accounts, "the password alone opens the newest");
    assert!(fs::read_dir(dir.path()).unwrap().all(|e| parse_file_name(e.unwrap().file_name().to_str().unwrap()).is_some()));
}

#[test]
fn two_backups_in_one_second_both_stay() {
    let dir = tempfile::tempdir().unwrap();
    let setting = setting(dir.path());
    let a = write(&setting, &[account(1)], 1_796_094_724).unwrap();
    let b = write(&setting, &[account(1), account(2)], 1_796_094_724).unwrap();
    assert_ne!(a, b);
    assert_eq!(list(dir.path()).unwrap()[0].path, b, "the later one sorts first");
}

#[test]
fn a_missing_folder_fails_loudly_and_the_next_success_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let vault_path = dir.path().join("vault.ninsho");
    let folder = dir.path().join("usb");
    let setting = setting(&folder);
    let e = run(&vault_path, &setting, &[account(1)], 1000).unwrap_err();
    assert_eq!(e.reason(), FailureReason::FolderMissing);
    let status = Status::read(&vault_path);
    assert_eq!(status.last_failure.as_ref().unwrap().reason, FailureReason::FolderMissing);
    assert!(status.last_failure.unwrap().detail.contains("usb"));

    fs::create_dir(&folder).unwrap();
    let ok = run(&vault_path, &setting, &[account(1), account(2)], 2000).unwrap();
    assert_eq!(ok.accounts, 2);
    let status = Status::read(&vault_path);
    assert_eq!(status.last_failure, None);
    assert_eq!(status.last_success.unwrap().time, 2000);
}

#[test]
fn stale_partial_files_are_removed_and_fresh_ones_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let stale = dir.path().join(format!("{PARTIAL_PREFIX}old"));
    fs::write(&stale, b"half").unwrap();
    write(&setting(dir.path()), &[account(1)], unix_now() + 2 * STALE_PARTIAL_SECS).unwrap();
    let fresh = dir.path().join(format!("{PARTIAL_PREFIX}new"));
    fs::write(&fresh, b"being written").unwrap();
    write(&setting(dir.path()), &[account(1)], unix_now()).unwrap();
    assert!(!stale.exists());
    assert!(fresh.exists(), "another process may be writing it");
}

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

#[test]
fn io_errors_read_as_what_the_user_can_do() {
    use io::ErrorKind::*;
    assert_eq!(FailureReason::of(&io::Error::from(StorageFull)), FailureReason::DiskFull);
    assert_eq!(FailureReason::of(&io::Error::from(QuotaExceeded)), FailureReason::DiskFull);
    assert_eq!(FailureReason::of(&io::Error::from(NotFound)), FailureReason::FolderMissing);
    assert_eq!(FailureReason::of(&io::Error::from(PermissionDenied)), FailureReason::NotAllowed);
    assert_eq!(FailureReason::of(&io::Error::from(ReadOnlyFilesystem)), FailureReason::NotAllowed);
    assert_eq!(FailureReason::of(&io::Error::from(TimedOut)), FailureReason::Other);
}

/// Real file systems: a full disk and a read-only one, as small tmpfs mounts. Mounting
/// needs root; elsewhere the test says it was skipped.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_and_a_read_only_disk_fail_with_their_reason_and_leave_no_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let mount = |target: &Path, options: &str| {
        fs::create_dir_all(target).unwrap();
        std::process::Command::new("mount").args(["-t", "tmpfs", "-o", options, "tmpfs"]).arg(target).status().is_ok_and(|s| s.success())
    };
    let full = dir.path().join("full");
    if !mount(&full, "size=64k") {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    }
    let unmount = |target: &Path| {
        let _ = std::process::Command::new("umount").arg(target).status();
    };
    fs::write(full.join("filler"), vec![0u8; 60 * 1024]).ok();
    let many: Vec<Account> = (0..200).map(account).collect();
    let e = write(&setting(&full), &many, 1000).unwrap_err();
    let names: Vec<String> = fs::read_dir(&full).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    unmount(&full);
    assert_eq!(e.reason(), FailureReason::DiskFull, "{e}");
    assert_eq!(names, vec!["filler".to_owned()], "no partial file is left behind");

    let read_only = dir.path().join("ro");
    assert!(mount(&read_only, "ro,size=64k"));
    let e = write(&setting(&read_only), &many, 1000).unwrap_err();
    unmount(&read_only);
    assert_eq!(e.reason(), FailureReason::NotAllowed, "{e}");
}

#[test]
fn the_copy_before_a_restore_is_the_whole_vault_file() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault.ninsho");
    fs::write(&vault, b"sealed bytes").unwrap();
    let copy = keep_copy_before_restore(&vault, 1_796_094_724).unwrap();
    assert_eq!(copy.file_name().unwrap(), "vault.ninsho.before-restore-20261201-031204Z");
    assert_eq!(fs::read(copy).unwrap(), b"sealed bytes");
}

#[test]
fn an_unreadable_vault_is_moved_aside_with_its_previous_copy_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault.ninsho");
    fs::write(&vault, b"sealed with a lost key").unwrap();
    fs::write(crate::vault::backup_path(&vault), b"older").unwrap();
    let aside = set_aside_unreadable(&vault, 1_796_094_724).unwrap();
    assert_eq!(aside.file_name().unwrap(), "vault.ninsho.unreadable-20261201-031204Z");
    assert_eq!(fs::read(&aside).unwrap(), b"sealed with a lost key");
    assert_eq!(fs::read(crate::vault::backup_path(&aside)).unwrap(), b"older");
    assert!(!vault.exists() && !crate::vault::backup_path(&vault).exists(), "the name is free for a new vault");

    fs::write(&vault, b"a new empty vault").unwrap();
    assert_eq!(set_aside_unreadable(&vault, 1_796_094_724).unwrap_err().kind(), std::io::ErrorKind::AlreadyExists);
    assert_eq!(fs::read(&aside).unwrap(), b"sealed with a lost key", "the first one set aside is never replaced");
    assert_eq!(fs::read(&vault).unwrap(), b"a new empty vault");
}

#[test]
fn backups_under_an_earlier_password_can_be_removed_and_the_rest_stay() {
    let dir = tempfile::tempdir().unwrap();
    let earlier = BackupSetting { folder: dir.path().to_owned(), key: PassphraseKey::derive("earlier password").unwrap() };
    let old_a = write(&earlier, &[account(1)], 1_796_094_700).unwrap();
    let old_b = write(&earlier, &[account(1), account(2)], 1_796_094_710).unwrap();
    let current = setting(dir.path());
    let kept = write(&current, &[account(1)], 1_796_094_720).unwrap();
    let damaged = dir.path().join(file_name(1_796_094_730, 0));
    fs::write(&damaged, b"NINSHO-VAULT\ncut short").unwrap();

    let mut deleted = remove_other_passwords(&current).unwrap();
    deleted.sort();
    assert_eq!(deleted, vec![old_a.clone(), old_b.clone()]);
    assert!(!old_a.exists() && !old_b.exists());
    assert!(kept.exists(), "the current password's backup stays");
    assert!(damaged.exists(), "a damaged file is not taken for another password's");
    assert!(remove_other_passwords(&current).unwrap().is_empty());
}
