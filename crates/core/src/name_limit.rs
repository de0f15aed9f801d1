//! The longest name an account may have: checked where a name comes in (an `otpauth://`
//! URI, an import, the app and the CLI), below both accounts and URIs.

/// Names longer than this are refused: real ones are a few dozen characters, and every
/// name is shown in the list, the tray menu and exports.
pub const MAX_NAME_CHARS: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a name is {0} characters long; names over 1,000 characters are refused")]
pub struct NameTooLong(pub usize);

/// Checks an account's issuer, account name and label against [`MAX_NAME_CHARS`].
pub fn check_names(names: &[&str]) -> Result<(), NameTooLong> {
    match names.iter().map(|n| n.chars().count()).max() {
        Some(longest) if longest > MAX_NAME_CHARS => Err(NameTooLong(longest)),
        _ => Ok(()),
    }
}
