//! Which account a command means: the query people type (part of a name, or the start of
//! an id), and the keys they type by mistake where a name was expected.

use anyhow::{Result, bail};
use ninsho_core::Secret;
use ninsho_core::account::Account;

/// Ten bytes (16 base32 letters) is the shortest key sites hand out.
pub fn looks_like_a_key(text: &str) -> bool {
    Secret::from_base32(text).is_ok_and(|s| s.len() >= 10)
}

/// One account by query: a unique match, else the one named exactly, else an error that
/// lists the candidates.
pub fn find<'a>(accounts: &'a [Account], query: &str) -> Result<&'a Account> {
    let query = query.trim();
    if query.len() >= 4
        && let Some(a) = accounts.iter().find(|a| a.id.to_string().starts_with(&query.to_lowercase()))
    {
        return Ok(a);
    }
    let hits: Vec<&Account> = accounts.iter().filter(|a| a.matches(query)).collect();
    let exact: Vec<&Account> = hits.iter().copied().filter(|a| a.matches_exactly(query)).collect();
    match (hits.as_slice(), exact.as_slice()) {
        // A key typed where an account was expected must not be repeated in the error.
        ([], _) if looks_like_a_key(query) => {
            bail!("no account matches; what was given looks like a key, so it is not repeated here (a code from a key: ninsho code --secret -)")
        }
        ([], _) => bail!("no account matches {query:?}"),
        ([one], _) | (_, [one]) => Ok(one),
        _ => {
            let names: Vec<String> = hits.iter().map(|a| format!("{} [{}]", a.display_name(), &a.id.to_string()[..8])).collect();
            bail!("{query:?} matches {} accounts: {}; be more specific or give the id", hits.len(), names.join(", "))
        }
    }
}
