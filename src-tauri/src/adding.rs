//! Adding an account from what the page sends: a pasted or scanned URI, or a typed key.
//! Add and Scan both store through [`add`].

use ninsho_core::account::{Account, AccountDraft, indistinguishable};
use ninsho_core::otp::uri::KeyUri;
use ninsho_core::qr::classify;
use ninsho_core::vault::VaultError;
use ninsho_core::{Algorithm, Method, Otp, Secret};
use serde::Deserialize;
use tauri::{AppHandle, Manager};
use zeroize::Zeroizing;

use crate::account_view::{AccountView, view};
use crate::error::UiError;
use crate::events::{self, Change};
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum AddInput {
    Uri {
        uri: Zeroizing<String>,
        label: String,
    },
    Key {
        issuer: String,
        account: String,
        label: String,
        secret: Zeroizing<String>,
        algorithm: String,
        digits: u32,
        period: u32,
        counter: Option<u64>,
    },
}

fn draft_from(input: AddInput) -> Result<AccountDraft, UiError> {
    let draft = match input {
        AddInput::Uri { uri, label } => {
            let kind = classify(&uri);
            if kind.is_for_another_app() {
                return Err(UiError::for_another_app(kind));
            }
            let mut d = AccountDraft::from(uri.parse::<KeyUri>()?);
            d.label = label.trim().to_owned();
            d
        }
        AddInput::Key { issuer, account, label, secret, algorithm, digits, period, counter } => {
            let algorithm: Algorithm = algorithm.parse().map_err(|_| UiError::new("uri_algorithm").with("value", &algorithm))?;
            let method = match counter {
                Some(counter) => Method::Hotp { counter },
                None => Method::Totp { period },
            };
            let otp = Otp::new(method, algorithm, digits, Secret::from_base32(&secret)?)?;
            AccountDraft { issuer: issuer.trim().to_owned(), account: account.trim().to_owned(), label: label.trim().to_owned(), otp }
        }
    };
    if draft.issuer.is_empty() && draft.account.is_empty() && draft.label.is_empty() {
        return Err(UiError::new("no_name"));
    }
    ninsho_core::account::check_names(&[&draft.issuer, &draft.account, &draft.label])?;
    Ok(draft)
}

/// Stores the account and tells the change; the view has the first code, for finish setup.
pub fn add(app: &AppHandle, input: AddInput) -> Result<AccountView, UiError> {
    let state = app.state::<AppState>();
    let draft = draft_from(input)?;
    let time = state.now();
    let added = state.with_vault(|v| {
        let account = v.update(|accounts| {
            let position = accounts.iter().map(|a| a.position + 1).max().unwrap_or(0);
            let account = Account::from_draft(draft, position, time);
            accounts.push(account.clone());
            Ok::<_, VaultError>(account)
        })?;
        let dup = indistinguishable(v.accounts()).contains(&account.id);
        Ok(view(&account, dup, time))
    })?;
    events::tell(app, Change::Accounts);
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pasted(uri: &str) -> Result<AccountDraft, UiError> {
        draft_from(AddInput::Uri { uri: Zeroizing::new(uri.to_owned()), label: String::new() })
    }

    #[test]
    fn a_pasted_setup_code_for_another_app_gets_that_apps_guidance() {
        let guidance = |uri: &str| pasted(uri).err().map(|e| (e.key, e.params.get("guidance").cloned().unwrap_or_default()));
        assert_eq!(
            guidance("phonefactor://activate_account?code=694660881&url=https://mobileappcommunicator.auth.microsoft.com/activatev2/1/2"),
            Some(("for_another_app", "microsoft-authenticator".to_owned()))
        );
        assert_eq!(guidance("duo://X3kP9qLm2ZtR7vBn4WcY-YXBpLWU0YzlmYmU3LmR1b3NlY3VyaXR5LmNvbQ"), Some(("for_another_app", "duo-mobile".to_owned())));
        assert_eq!(
            guidance("otpauth://totp/example.okta.com:taro?issuer=example.okta.com&t=Qm9ndXNU&f=opf1a2b3&s=https%3A%2F%2Fexample.okta.com"),
            Some(("for_another_app", "okta-verify".to_owned()))
        );
        // A standard code still adds, and a key-less one still names what is missing.
        assert!(pasted("otpauth://totp/Okta:taro?secret=JBSWY3DPEHPK3PXP&issuer=Okta").is_ok());
        assert_eq!(pasted("otpauth://totp/a?t=1").err().map(|e| e.key), Some("uri_missing_secret"));
    }
}
