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
    vault.set_passphrase("合言葉 correct horse", &store).unwrap();
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

    there.remove_passphrase(&second_pc).unwrap();
    assert!(matches!(Vault::open(&path, Unlock::Passphrase("合言葉 correct horse")), Err(VaultError::NoPassphraseSlot)));
    assert!(matches!(there.remove_passphrase(&second_pc), Err(VaultError::NoPassphraseSlot)));
    Vault::open(&path, Unlock::Keyring(&second_pc)).unwrap();
    assert!(
        matches!(Vault::open(&path, Unlock::Keyring(&store)), Err(VaultError::NoWayToUnlock)),
        "the first PC's slot went with the old key, and no passphrase is left to enroll it again"
    );
}

#[test]
fn passphrase_only_vault_keeps_its_last_slot() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let mut vault = Vault::create(&path, None, Some("pass")).unwrap();
    assert!(matches!(vault.remove_passphrase(&MemoryKeyStore::default()), Err(VaultError::LastSlot)));
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

/// The data key a file's passphrase slot gives, read the way an attacker holding an old
/// copy of the file and its old passphrase would.
fn key_from_copy(bytes: &[u8], passphrase: &str) -> Key {
    let envelope = envelope::decode(bytes).unwrap();
    unlock_data_key(&envelope.header, Unlock::Passphrase(passphrase)).unwrap()
}

fn opens_with_key(bytes: &[u8], key: &Key) -> bool {
    let envelope = envelope::decode(bytes).unwrap();
    decrypt_plain(Path::new("v"), &envelope, key).is_ok()
}

#[test]
fn changing_the_passphrase_rotates_the_data_key_and_forgets_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let (path, mut vault) = keyring_vault(&dir, &store);
    add(&mut vault, 1);
    add(&mut vault, 2);
    vault.set_passphrase("old one", &store).unwrap();
    let second_pc = MemoryKeyStore::default();
    Vault::open(&path, Unlock::Passphrase("old one")).unwrap().add_keyring_slot(&second_pc).unwrap();
    let old_copy = std::fs::read(&path).unwrap();
    let old_key = key_from_copy(&old_copy, "old one");

    vault.set_passphrase("new one", &store).unwrap();
    let now = std::fs::read(&path).unwrap();
    assert!(!opens_with_key(&now, &old_key), "an old copy and its passphrase no longer open the vault");
    assert_eq!(std::fs::read(backup_path(&path)).unwrap(), now, "the .bak holds the new file, not the old header");
    assert!(matches!(Vault::open(&path, Unlock::Passphrase("old one")), Err(VaultError::WrongPassphrase)));
    assert_eq!(Vault::open(&path, Unlock::Passphrase("new one")).unwrap().accounts(), vault.accounts());
    assert_eq!(Vault::open(&path, Unlock::Keyring(&store)).unwrap().accounts(), vault.accounts(), "this PC's keyring still opens it");
    assert_eq!(store.0.borrow().len(), 1, "this PC's old keyring entry is deleted");
    assert!(matches!(Vault::open(&path, Unlock::Keyring(&second_pc)), Err(VaultError::NoKeyOnThisPc)), "another PC asks for the new passphrase");

    vault.remove_passphrase(&store).unwrap();
    let after_removal = std::fs::read(&path).unwrap();
    assert!(!opens_with_key(&after_removal, &key_from_copy(&now, "new one")), "removing the passphrase rotates too");
    assert_eq!(Vault::open(&path, Unlock::Keyring(&store)).unwrap().accounts(), vault.accounts());
    add(&mut vault, 3);
    assert_eq!(Vault::open(&path, Unlock::Keyring(&store)).unwrap().accounts().len(), 3, "the vault in memory goes on saving under the new key");
}

#[test]
fn another_process_with_the_old_key_is_told_the_vault_was_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let (path, mut vault) = keyring_vault(&dir, &store);
    let mut other = Vault::open(&path, Unlock::Keyring(&store)).unwrap();
    vault.set_passphrase("p", &store).unwrap();
    assert!(matches!(other.empty_deleted(), Err(VaultError::Replaced(_))));
}

#[test]
fn the_passphrase_check_is_against_the_open_vault_not_the_file_at_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let (path, mut vault) = keyring_vault(&dir, &store);
    vault.set_passphrase("ours", &store).unwrap();
    vault.check_passphrase("ours").unwrap();
    assert!(matches!(vault.check_passphrase("theirs"), Err(VaultError::WrongPassphrase)));

    let elsewhere = dir.path().join("planted");
    Vault::create(&elsewhere, None, Some("theirs")).unwrap();
    std::fs::rename(&elsewhere, &path).unwrap();
    Vault::open(&path, Unlock::Passphrase("theirs")).unwrap();
    assert!(matches!(vault.check_passphrase("theirs"), Err(VaultError::WrongPassphrase)), "a planted file's passphrase unlocks nothing");
    vault.check_passphrase("ours").unwrap();
}

/// Writes `original` with other slots in its header (its contents then no longer decrypt,
/// but the header is all that is read before a key is derived).
fn rewrite_slots(path: &Path, original: &[u8], slots: Vec<Slot>) {
    let envelope = envelope::decode(original).unwrap();
    let header = Header { slots, ..envelope.header.clone() };
    fs::write(path, envelope::encode(&envelope::header_bytes(&header), &envelope.nonce, envelope.ciphertext)).unwrap();
}

/// Before the caps, each refused file had every slot derived, twice (vault, then transfer):
/// the genuine one and 1 GiB × 20 passes (a minute in all), or two hundred of about a
/// second each (minutes).
#[test]
fn vault_and_transfer_files_asking_for_costly_or_countless_argon2_are_refused_before_deriving() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.ninsho");
    Vault::create(&path, None, Some("ours")).unwrap();
    let original = fs::read(&path).unwrap();
    let genuine = envelope::decode(&original).unwrap().header.slots.remove(0);
    let Slot::Passphrase { id, salt, nonce, wrapped_key, .. } = genuine.clone() else { panic!("{genuine:?}") };
    let costing = |m_cost, t_cost, p_cost| Slot::Passphrase {
        id,
        kdf: KdfParams { m_cost, t_cost, p_cost },
        salt: salt.clone(),
        nonce,
        wrapped_key: wrapped_key.clone(),
    };
    let refused = |slots: Vec<Slot>| {
        rewrite_slots(&path, &original, slots);
        let transfer = fs::read(&path).unwrap();
        match (Vault::open(&path, Unlock::Passphrase("wrong")), open_transfer(&transfer, "wrong")) {
            (
                Err(VaultError::Format { source: EnvelopeError::TooCostly(a), .. }),
                Err(VaultError::Format { source: EnvelopeError::TooCostly(b), .. }),
            ) => {
                assert_eq!(a, b);
                (a.what, a.value, a.max)
            }
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(refused(vec![genuine.clone(), costing(1024 * 1024, 20, 16)]), ("Argon2 memory in KiB", 1024 * 1024, 256 * 1024));
    assert_eq!(refused(vec![costing(64 * 1024, 20, 1)]), ("Argon2 memory × passes in KiB", 64 * 1024 * 20, KdfParams::MAX_WORK));
    assert_eq!(refused(vec![costing(256 * 1024, 3, 1); 200]), ("passphrase slots", 200, 2));

    rewrite_slots(&path, &original, vec![genuine]);
    assert!(Vault::open(&path, Unlock::Passphrase("ours")).is_ok(), "the default cost opens");
    let message = VaultError::Format {
        path: path.clone(),
        source: EnvelopeError::TooCostly(crypto::TooCostly { what: "passphrase slots", value: 200, max: 2 }),
    };
    assert!(
        message.to_string().ends_with(
            "cannot be opened: the file asks for far more key derivation than Ninsho ever does (passphrase slots: 200, at most 2), so the passphrase was not tried"
        ),
        "{message}"
    );
}
