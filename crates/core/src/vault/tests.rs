use super::keystore::memory::MemoryKeyStore;
use super::*;
use crate::account::AccountDraft;
use crate::otp::uri::KeyUri;

fn draft(n: usize) -> AccountDraft {
    let uri: KeyUri = format!("otpauth://totp/給与システム:user{n}@example.jp?secret=JBSWY3DPEHPK3PXP&issuer=給与システム").parse().unwrap();
    uri.into()
}

fn add(vault: &mut Vault, n: usize) {
    vault
        .update(|accounts| {
            accounts.push(Account::from_draft(draft(n), accounts.len() as u32, 1_700_000_000));
            Ok::<_, VaultError>(())
        })
        .unwrap();
}

fn keyring_vault(dir: &tempfile::TempDir, store: &MemoryKeyStore) -> (PathBuf, Vault) {
    let path = dir.path().join("sub").join("vault.ninsho");
    let vault = Vault::create(&path, Some(store), None).unwrap();
    (path, vault)
}

#[test]
fn round_trip_through_the_keyring_slot() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let (path, mut vault) = keyring_vault(&dir, &store);
    for n in 0..3 {
        add(&mut vault, n);
    }
    let reopened = Vault::open(&path, Unlock::Keyring(&store)).unwrap();
    assert_eq!(reopened.accounts(), vault.accounts());
    assert_eq!(reopened.accounts()[2].account, "user2@example.jp");
    let bytes = fs::read(&path).unwrap();
    assert!(!bytes.windows(4).any(|w| w == b"user"), "account names must not be readable in the file");
    assert!(!bytes.windows(8).any(|w| w == b"JBSWY3DP"));
}

#[test]
fn create_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let (path, _) = keyring_vault(&dir, &store);
    assert!(matches!(Vault::create(&path, Some(&store), None), Err(VaultError::AlreadyExists(_))));
    assert!(matches!(Vault::create(&dir.path().join("x"), None, None), Err(VaultError::LastSlot)));
}

#[test]
fn wrong_or_missing_keyring_key() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let (path, _) = keyring_vault(&dir, &store);
    let other_pc = MemoryKeyStore::default();
    assert!(matches!(Vault::open(&path, Unlock::Keyring(&other_pc)), Err(VaultError::NoWayToUnlock)));
    // A keyring entry holding a different key must not open it either.
    let id = *store.0.borrow().keys().next().unwrap();
    other_pc.save(&id, &[7u8; 32]).unwrap();
    assert!(matches!(Vault::open(&path, Unlock::Keyring(&other_pc)), Err(VaultError::NoWayToUnlock)));
    assert!(matches!(Vault::open(&path, Unlock::Passphrase("x")), Err(VaultError::NoPassphraseSlot)));
}

#[test]
fn passphrase_slot_opens_on_another_pc_and_enrolls_its_keyring() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let (path, mut vault) = keyring_vault(&dir, &store);
    add(&mut vault, 1);
    vault.set_passphrase("合言葉 correct horse").unwrap();
    assert!(vault.has_passphrase());

    let second_pc = MemoryKeyStore::default();
    assert!(matches!(Vault::open(&path, Unlock::Keyring(&second_pc)), Err(VaultError::NoKeyOnThisPc)));
    assert!(matches!(Vault::open(&path, Unlock::Passphrase("wrong")), Err(VaultError::WrongPassphrase)));
    let mut there = Vault::open(&path, Unlock::Passphrase("合言葉 correct horse")).unwrap();
    assert_eq!(there.accounts(), vault.accounts());
    assert!(!there.keyring_opens(&second_pc));
    there.add_keyring_slot(&second_pc).unwrap();
    assert!(there.keyring_opens(&second_pc));
    Vault::open(&path, Unlock::Keyring(&second_pc)).unwrap();
    Vault::open(&path, Unlock::Keyring(&store)).unwrap();

    there.remove_passphrase().unwrap();
    assert!(matches!(Vault::open(&path, Unlock::Passphrase("合言葉 correct horse")), Err(VaultError::NoPassphraseSlot)));
    assert!(matches!(there.remove_passphrase(), Err(VaultError::NoPassphraseSlot)));
}

#[test]
fn passphrase_only_vault_keeps_its_last_slot() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let mut vault = Vault::create(&path, None, Some("pass")).unwrap();
    assert!(matches!(vault.remove_passphrase(), Err(VaultError::LastSlot)));
    Vault::open(&path, Unlock::Passphrase("ｐａｓｓ")).unwrap();
    let store = MemoryKeyStore::default();
    assert!(matches!(Vault::open(&path, Unlock::Keyring(&store)), Err(VaultError::NoKeyOnThisPc)));
}

#[test]
fn every_flipped_byte_is_refused_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let (path, mut vault) = keyring_vault(&dir, &store);
    add(&mut vault, 1);
    add(&mut vault, 2);
    let good = fs::read(&path).unwrap();
    for i in 0..good.len() {
        let mut bad = good.clone();
        bad[i] ^= 0x20;
        fs::write(&path, &bad).unwrap();
        let opened = Vault::open(&path, Unlock::Keyring(&store));
        assert!(opened.is_err(), "byte {i} flipped and the vault still opened");
        // A vault already open must not write over the damaged file either.
        let result = vault.update(|a| {
            a.clear();
            Ok::<_, VaultError>(())
        });
        assert!(result.is_err(), "byte {i}: saved over a damaged file");
        assert_eq!(fs::read(&path).unwrap(), bad);
    }
    fs::write(&path, &good).unwrap();
    assert_eq!(Vault::open(&path, Unlock::Keyring(&store)).unwrap().accounts().len(), 2);
}

#[test]
fn damaged_file_names_the_backup() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let (path, mut vault) = keyring_vault(&dir, &store);
    add(&mut vault, 1);
    add(&mut vault, 2);
    let mut bytes = fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    fs::write(&path, &bytes).unwrap();
    let err = Vault::open(&path, Unlock::Keyring(&store)).unwrap_err();
    assert!(matches!(&err, VaultError::Damaged { backup: Some(_), .. }), "{err}");
    assert!(err.to_string().contains("vault.ninsho.bak"), "{err}");
    let backup = Vault::open(&backup_path(&path), Unlock::Keyring(&store)).unwrap();
    assert_eq!(backup.accounts().len(), 1);
}

#[test]
fn every_truncation_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let (path, mut vault) = keyring_vault(&dir, &store);
    add(&mut vault, 1);
    let good = fs::read(&path).unwrap();
    for len in 0..good.len() {
        fs::write(&path, &good[..len]).unwrap();
        let err = Vault::open(&path, Unlock::Keyring(&store)).unwrap_err();
        assert!(matches!(err, VaultError::Format { .. } | VaultError::Damaged { .. }), "length {len}: {err}");
    }
}

#[test]
fn two_writers_do_not_lose_each_others_changes() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let (path, mut app) = keyring_vault(&dir, &store);
    let mut cli = Vault::open(&path, Unlock::Keyring(&store)).unwrap();
    add(&mut app, 1);
    add(&mut cli, 2);
    add(&mut app, 3);
    let names: Vec<_> = app.accounts().iter().map(|a| a.account.as_str()).collect();
    assert_eq!(names, ["user1@example.jp", "user2@example.jp", "user3@example.jp"]);
    cli.reload().unwrap();
    assert_eq!(cli.accounts(), app.accounts());
}

#[test]
fn failed_change_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let (path, mut vault) = keyring_vault(&dir, &store);
    add(&mut vault, 1);
    let before = fs::read(&path).unwrap();
    let result: Result<(), VaultError> = vault.update(|a| {
        a.clear();
        Err(VaultError::LastSlot)
    });
    assert!(result.is_err());
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(vault.accounts().len(), 1);
}

#[test]
fn replaced_file_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let (path, mut vault) = keyring_vault(&dir, &store);
    let other = dir.path().join("other");
    Vault::create(&other, Some(&store), None).unwrap();
    fs::copy(&other, &path).unwrap();
    assert!(matches!(vault.reload(), Err(VaultError::Replaced(_))));
}

#[test]
fn not_found_and_not_a_vault() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let missing = dir.path().join("none");
    assert!(matches!(Vault::open(&missing, Unlock::Keyring(&store)), Err(VaultError::NotFound(_))));
    fs::write(&missing, "otpauth://totp/x?secret=AAAA").unwrap();
    let err = Vault::open(&missing, Unlock::Keyring(&store)).unwrap_err();
    assert!(err.to_string().contains("not a Ninsho vault"), "{err}");
}

#[test]
fn deleted_accounts_can_be_restored_for_thirty_days() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let (path, mut vault) = keyring_vault(&dir, &store);
    for n in 0..3 {
        add(&mut vault, n);
    }
    let victim = vault.accounts()[1].clone();
    let now = unix_now();
    let gone = vault.delete(&[victim.id], now).unwrap();
    assert_eq!(gone, vec![victim.clone()]);
    assert_eq!(vault.accounts().len(), 2);

    let reopened = Vault::open(&path, Unlock::Keyring(&store)).unwrap();
    assert_eq!(reopened.deleted().len(), 1, "the deletion is saved, encrypted, with the vault");
    assert_eq!(reopened.deleted()[0].account, victim);
    assert!(!fs::read(&path).unwrap().windows(4).any(|w| w == b"user"));

    let restored = vault.undelete(&[victim.id]).unwrap();
    assert_eq!(restored.len(), 1);
    assert_eq!(restored[0].id, victim.id, "the same account comes back, not a copy");
    assert_eq!(vault.accounts().len(), 3);
    assert!(vault.deleted().is_empty());
    assert!(vault.undelete(&[victim.id]).unwrap().is_empty(), "restoring twice adds nothing");

    vault.delete(&[victim.id], now).unwrap();
    assert_eq!(vault.empty_deleted().unwrap(), 1);
    assert!(Vault::open(&path, Unlock::Keyring(&store)).unwrap().deleted().is_empty());
}

#[test]
fn deletions_older_than_thirty_days_are_forgotten_at_the_next_save() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let (_, mut vault) = keyring_vault(&dir, &store);
    add(&mut vault, 0);
    add(&mut vault, 1);
    let (old, recent) = (vault.accounts()[0].id, vault.accounts()[1].id);
    vault.delete(&[old], unix_now() - KEEP_DELETED_SECS - 1).unwrap();
    vault.delete(&[recent], unix_now() - KEEP_DELETED_SECS + 60).unwrap();
    let ids: Vec<Uuid> = vault.deleted().iter().map(|d| d.account.id).collect();
    assert_eq!(ids, vec![recent]);
}

#[test]
fn a_vault_without_the_newer_parts_opens_and_an_empty_one_writes_none() {
    let plain = br#"{"version":1,"accounts":[]}"#;
    let contents: Contents = serde_json::from_slice(plain).unwrap();
    assert_eq!(contents.extras, Extras::default());
    let written = serde_json::to_string(&Contents { version: 1, accounts: vec![], extras: Extras::default() }).unwrap();
    assert_eq!(written.as_bytes(), plain, "older Ninsho versions read what this one writes");
}

#[test]
fn the_backup_setting_is_kept_in_the_vault_and_its_key_opens_what_it_sealed() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let (path, mut vault) = keyring_vault(&dir, &store);
    add(&mut vault, 0);
    let key = PassphraseKey::derive("backup pass").unwrap();
    vault.set_auto_backup(Some(BackupSetting { folder: dir.path().join("backups"), key: key.clone() })).unwrap();
    let reopened = Vault::open(&path, Unlock::Keyring(&store)).unwrap();
    let setting = reopened.auto_backup().unwrap();
    assert_eq!(setting.folder, dir.path().join("backups"));

    let sealed = setting.key.seal(vault.accounts()).unwrap();
    assert_eq!(open_transfer(&sealed, "backup pass").unwrap(), vault.accounts(), "the password alone opens it anywhere");
    assert!(matches!(open_transfer(&sealed, "wrong"), Err(VaultError::WrongPassphrase)));
    assert_eq!(key.open(&sealed).unwrap().unwrap(), vault.accounts());
    let other = PassphraseKey::derive("backup pass").unwrap();
    assert_eq!(other.open(&sealed).unwrap(), None, "another salt: only the password can tell");
    assert!(!format!("{setting:?}").contains("pass"));
}
