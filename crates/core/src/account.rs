//! Accounts as the vault stores them and the UI and CLI show them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

// Where they were first defined: the app names them here.
pub use crate::name_limit::{MAX_NAME_CHARS, NameTooLong, check_names};
use crate::otp::uri::KeyUri;
use crate::otp::{Code, Otp};

/// A stored account. The secret lives inside `otp` and is zeroized with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: Uuid,
    pub issuer: String,
    /// The login ID as the service names it, e.g. `a-sato@example.co.jp`.
    pub account: String,
    /// The name staff give this login, e.g. "B-ID 経理"; empty when they gave none.
    #[serde(default)]
    pub label: String,
    pub otp: Otp,
    #[serde(default)]
    pub pinned: bool,
    #[serde(default)]
    pub position: u32,
    /// Unix time (seconds) the account was added.
    pub created: u64,
}

/// What a new account is made from before it gets an id and a place in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountDraft {
    pub issuer: String,
    pub account: String,
    pub label: String,
    pub otp: Otp,
}

impl From<KeyUri> for AccountDraft {
    fn from(uri: KeyUri) -> Self {
        AccountDraft { issuer: uri.issuer, account: uri.account, label: String::new(), otp: uri.otp }
    }
}

/// What an account is called, for a message about it: the CLI prints it (`Display`), the
/// app sends the parts so that each language joins them its own way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Names {
    pub issuer: String,
    pub account: String,
    pub label: String,
}

impl From<&Account> for Names {
    fn from(a: &Account) -> Self {
        Names { issuer: a.issuer.clone(), account: a.account.clone(), label: a.label.clone() }
    }
}

impl std::fmt::Display for Names {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.label.is_empty(), self.issuer.is_empty(), self.account.is_empty()) {
            (false, _, _) => f.write_str(&self.label),
            (true, false, false) => write!(f, "{} ({})", self.issuer, self.account),
            (true, false, true) => f.write_str(&self.issuer),
            (true, true, _) => f.write_str(&self.account),
        }
    }
}

impl Account {
    pub fn from_draft(draft: AccountDraft, position: u32, now: u64) -> Self {
        Account {
            id: Uuid::new_v4(),
            issuer: draft.issuer,
            account: draft.account,
            label: draft.label,
            otp: draft.otp,
            pinned: false,
            position,
            created: now,
        }
    }

    pub fn code_at(&self, unix_time: u64) -> Code {
        self.otp.code_at(unix_time)
    }

    /// The name to show first: the user's label, else "issuer (account)".
    pub fn display_name(&self) -> String {
        Names::from(self).to_string()
    }

    pub fn to_key_uri(&self) -> KeyUri {
        KeyUri { issuer: self.issuer.clone(), account: self.account.clone(), otp: self.otp.clone() }
    }

    /// Case-insensitive substring match on issuer, account and label.
    pub fn matches(&self, query: &str) -> bool {
        let q = query.to_lowercase();
        [&self.issuer, &self.account, &self.label].iter().any(|f| f.to_lowercase().contains(&q))
    }

    /// True when the query names this account exactly by label, account, or "issuer:account".
    pub fn matches_exactly(&self, query: &str) -> bool {
        let q = query.to_lowercase();
        let full = format!("{}:{}", self.issuer, self.account).to_lowercase();
        [self.label.to_lowercase(), self.account.to_lowercase(), full].contains(&q)
    }
}

/// Ids of accounts that a person could not tell apart in a list: same issuer and account
/// name, and no label (or the same label) to distinguish them.
pub fn indistinguishable(accounts: &[Account]) -> std::collections::HashSet<uuid::Uuid> {
    // Counted once per account: comparing every pair was 1,000,000 comparisons (and six
    // lowercase copies each) at every list refresh of a 1,000-account vault.
    let key = |a: &Account| (a.issuer.to_lowercase(), a.account.to_lowercase(), a.label.to_lowercase());
    let mut seen: std::collections::HashMap<_, usize> = std::collections::HashMap::with_capacity(accounts.len());
    let keys: Vec<_> = accounts.iter().map(key).collect();
    for k in &keys {
        *seen.entry(k).or_default() += 1;
    }
    accounts.iter().zip(&keys).filter(|(_, k)| seen[k] > 1).map(|(a, _)| a.id).collect()
}

/// Accounts in the order the user sees them: pinned first, then by position.
pub fn display_order(accounts: &[Account]) -> Vec<&Account> {
    let mut sorted: Vec<&Account> = accounts.iter().collect();
    sorted.sort_by_key(|a| (!a.pinned, a.position));
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Algorithm, Method, Secret};

    fn account(issuer: &str, name: &str, label: &str) -> Account {
        let otp = Otp::new(Method::Totp { period: 30 }, Algorithm::Sha1, 6, Secret::from_bytes(vec![1; 10])).unwrap();
        Account::from_draft(AccountDraft { issuer: issuer.into(), account: name.into(), label: label.into(), otp }, 0, 0)
    }

    #[test]
    fn duplicates_without_distinct_labels_are_flagged() {
        let list = vec![
            account("Payroll", "sato", ""),
            account("payroll", "SATO", ""),
            account("Payroll", "sato", "B-ID 経理"),
            account("Payroll", "suzuki", ""),
        ];
        assert_eq!(indistinguishable(&list), [list[0].id, list[1].id].into_iter().collect());
    }

    #[test]
    fn matching() {
        let a = account("給与システム", "a-sato", "B-ID 経理");
        assert!(a.matches("経理") && a.matches("SATO") && a.matches("給与"));
        assert!(!a.matches("suzuki"));
        assert!(a.matches_exactly("b-id 経理") && a.matches_exactly("給与システム:A-SATO"));
        assert!(!a.matches_exactly("sato"));
        assert_eq!(a.display_name(), "B-ID 経理");
    }
}
