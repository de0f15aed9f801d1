//! Keys and URIs from standard input or an environment variable: on the command line they
//! are readable by every user of the PC (`ps`, /proc) and stay in the shell's history.

use std::io::{IsTerminal, Read};

use anyhow::{Context as _, Result, anyhow, bail};
use zeroize::{Zeroize, Zeroizing};

/// A key is a few dozen letters; a URI with two 1,000-character names, percent-encoded,
/// stays under 30 KB. More is something else piped in by mistake.
const MAX_BYTES: usize = 64 * 1024;

/// The value an option gave: `-` for standard input, else the text itself; or the value of
/// the environment variable that `env` names. `what` names the value in messages ("the key").
pub fn read(value: Option<&str>, env: Option<(&str, &str)>, what: &str) -> Result<Option<Zeroizing<String>>> {
    match (value, env) {
        (Some("-"), _) => stdin(what).map(Some),
        (Some(text), _) => Ok(Some(Zeroizing::new(text.to_owned()))),
        (None, Some((option, var))) => from_env(option, var, what).map(Some),
        (None, None) => Ok(None),
    }
}

fn from_env(option: &str, var: &str, what: &str) -> Result<Zeroizing<String>> {
    let value = Zeroizing::new(std::env::var(var).map_err(|_| anyhow!("the environment variable {var} (named by {option}) is not set"))?);
    if value.len() > MAX_BYTES {
        bail!("{what} in {var} is longer than {} KB", MAX_BYTES / 1024);
    }
    Ok(value)
}

/// At a terminal the value is asked for without echo, so it is not left on the screen;
/// otherwise standard input is read to its end.
fn stdin(what: &str) -> Result<Zeroizing<String>> {
    if std::io::stdin().is_terminal() {
        let typed = rpassword::prompt_password(format!("Paste {what} (it is not shown): "));
        return Ok(Zeroizing::new(typed.with_context(|| format!("could not read {what}"))?));
    }
    // Room for one byte past the limit up front: a growing Vec would leave copies of the
    // key behind in memory it freed, which nothing zeroizes.
    let mut bytes = Zeroizing::new(Vec::with_capacity(MAX_BYTES + 1));
    std::io::stdin()
        .lock()
        .take(MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("could not read {what} from standard input"))?;
    if bytes.len() > MAX_BYTES {
        bail!("{what} on standard input is longer than {} KB", MAX_BYTES / 1024);
    }
    match String::from_utf8(std::mem::take(&mut *bytes)) {
        Ok(text) => Ok(Zeroizing::new(text)),
        Err(e) => {
            e.into_bytes().zeroize();
            bail!("{what} on standard input is not UTF-8 text")
        }
    }
}
