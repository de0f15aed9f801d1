//! How the page sees accounts: labels, codes and expiry times, never a key.

use ninsho_core::account::{Account, display_order, indistinguishable};
use ninsho_core::vault::Vault;
use serde::Serialize;
use uuid::Uuid;

#[derive(Serialize, Clone)]
pub struct AccountView {
    id: Uuid,
    issuer: String,
    account: String,
    label: String,
    kind: &'static str,
    digits: u8,
    period: Option<u32>,
    pinned: bool,
    duplicate: bool,
    code: String,
    next_code: Option<String>,
    valid_from: Option<u64>,
    expires_at: Option<u64>,
}

#[derive(Serialize)]
pub struct ListView {
    /// The app's clock, so the UI counts down from the same time the codes were made at.
    now: u64,
    accounts: Vec<AccountView>,
}

pub fn view(a: &Account, duplicate: bool, time: u64) -> AccountView {
    let code = a.code_at(time);
    AccountView {
        id: a.id,
        issuer: a.issuer.clone(),
        account: a.account.clone(),
        label: a.label.clone(),
        kind: a.otp.method.type_name(),
        digits: a.otp.digits,
        period: a.otp.method.period(),
        pinned: a.pinned,
        duplicate,
        next_code: code.expires_at.map(|e| a.code_at(e).code),
        code: code.code,
        valid_from: code.valid_from,
        expires_at: code.expires_at,
    }
}

pub fn list_view(vault: &Vault, time: u64) -> ListView {
    let dups = indistinguishable(vault.accounts());
    let accounts = display_order(vault.accounts()).into_iter().map(|a| view(a, dups.contains(&a.id), time)).collect();
    ListView { now: time, accounts }
}
