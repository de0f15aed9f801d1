//! Opening and saving a vault of 1,000 accounts, against the same accounts as a plain
//! JSON file (read and parse; write and fsync) in the same run. `scripts/bench` prints
//! the ratios: what encryption, the lock, the re-read and the backup copy cost.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fs;
use std::io::Write;

use criterion::{Criterion, criterion_group, criterion_main};
use ninsho_core::otp::uri::KeyUri;
use ninsho_core::vault::{KeyStore, KeyStoreError, Unlock, Vault, VaultError};
use ninsho_core::{Account, AccountDraft};
use uuid::Uuid;
use zeroize::Zeroizing;

/// The OS keyring costs a D-Bus round trip that has nothing to do with the vault's own
/// work, so the benchmark keeps the wrapping key in memory.
#[derive(Default)]
struct InMemory(RefCell<HashMap<Uuid, Vec<u8>>>);

impl KeyStore for InMemory {
    fn load(&self, slot: &Uuid) -> Result<Option<Zeroizing<Vec<u8>>>, KeyStoreError> {
        Ok(self.0.borrow().get(slot).cloned().map(Zeroizing::new))
    }
    fn save(&self, slot: &Uuid, key: &[u8]) -> Result<(), KeyStoreError> {
        self.0.borrow_mut().insert(*slot, key.to_vec());
        Ok(())
    }
    fn delete(&self, slot: &Uuid) -> Result<(), KeyStoreError> {
        self.0.borrow_mut().remove(slot);
        Ok(())
    }
}

const ACCOUNTS: usize = 1000;

fn vault(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.ninsho");
    let store = InMemory::default();
    let mut vault = Vault::create(&path, Some(&store), None).unwrap();
    vault
        .update(|accounts| {
            for i in 0..ACCOUNTS {
                let uri: KeyUri =
                    format!("otpauth://totp/給与システム:user{i}%40example.co.jp?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=給与システム")
                        .parse()
                        .unwrap();
                let mut draft = AccountDraft::from(uri);
                draft.label = format!("B-ID 経理 {i}");
                accounts.push(Account::from_draft(draft, i as u32, 1_700_000_000));
            }
            Ok::<_, VaultError>(())
        })
        .unwrap();
    let plain_path = dir.path().join("plain.json");
    let plain = serde_json::to_vec(vault.accounts()).unwrap();
    fs::write(&plain_path, &plain).unwrap();

    let mut open = c.benchmark_group("vault-open-1000");
    open.bench_function("ninsho", |b| b.iter(|| Vault::open(&path, Unlock::Keyring(&store)).unwrap()));
    open.bench_function("baseline-plain-json", |b| b.iter(|| serde_json::from_slice::<Vec<Account>>(&fs::read(&plain_path).unwrap()).unwrap()));
    open.finish();

    let mut save = c.benchmark_group("vault-save-1000");
    save.bench_function("ninsho", |b| b.iter(|| vault.update(|_| Ok::<_, VaultError>(())).unwrap()));
    save.bench_function("baseline-plain-json-fsync", |b| {
        b.iter(|| {
            let mut f = fs::File::create(&plain_path).unwrap();
            f.write_all(&serde_json::to_vec(vault.accounts()).unwrap()).unwrap();
            f.sync_all().unwrap();
        })
    });
    save.finish();
}

criterion_group!(benches, vault);
criterion_main!(benches);
