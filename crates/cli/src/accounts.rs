//! `code`, `add`, `list`, `rename` and `remove`: the accounts and their codes. Each prints
//! human text by default and JSON with `--json`.

use anyhow::{Result, anyhow, bail};
use clap::Args;
use ninsho_cli::scan;
use ninsho_core::account::{Account, AccountDraft, display_order, indistinguishable};
use ninsho_core::otp::uri::{KeyUri, UriError};
use ninsho_core::qr::classify;
use ninsho_core::vault::{Vault, VaultError};
use ninsho_core::{Algorithm, Code, Method, Otp, Secret};
use serde_json::json;

use crate::input;
use crate::query::{find, looks_like_a_key};
use crate::vault::{Context, after_change, now};

/// Sites lock an account after a few wrong codes; a code about to expire is offered
/// together with the next one.
const NEXT_CODE_WINDOW: u64 = 5;

// The key and parameters as a setup page shows them. A plain comment: a doc comment on a
// flattened struct became the about line of `code --help` and `add --help` once the
// subcommands were deferred.
#[derive(Args)]
pub struct KeyArgs {
    /// The key in base32 (spaces, lower case and full-width letters are fine). `-` reads it
    /// from standard input (asked for without echo at a terminal): a key typed here is shown
    /// to every user of the PC by `ps` and stays in the shell's history.
    #[arg(long, value_name = "BASE32", group = "key", conflicts_with = "uri_source")]
    secret: Option<String>,
    /// Read the key from this environment variable: only your own processes can read it,
    /// while a command line is shown to everyone.
    #[arg(long, value_name = "VAR", group = "key", conflicts_with = "uri_source")]
    secret_env: Option<String>,
    #[arg(long, default_value = "SHA1", requires = "key")]
    algorithm: Algorithm,
    #[arg(long, default_value_t = 6, requires = "key")]
    digits: u32,
    /// Seconds each code lasts (time-based codes).
    #[arg(long, default_value_t = 30, requires = "key", conflicts_with = "counter")]
    period: u32,
    /// Make it a counter-based (HOTP) account starting at this counter.
    #[arg(long, requires = "key")]
    counter: Option<u64>,
    /// An otpauth:// URI instead of a key; `-` reads it from standard input (see --secret).
    #[arg(long, value_name = "URI", group = "uri_source")]
    uri: Option<String>,
    /// Read the URI from this environment variable (see --secret-env).
    #[arg(long, value_name = "VAR", group = "uri_source")]
    uri_env: Option<String>,
}

/// Another app's setup code pasted here gets the guidance a scan of it gives.
fn parse_uri(uri: &str) -> Result<KeyUri> {
    let kind = classify(uri);
    if kind.is_for_another_app()
        && let Some(guidance) = scan::guidance(kind)
    {
        bail!("the URI is not usable: {guidance}");
    }
    uri.parse::<KeyUri>().map_err(|e| match e {
        // The error cannot quote the text (it may be a key), so say what it looks like.
        UriError::NotOtpauth(_) if looks_like_a_key(uri) => {
            anyhow!("the URI is not usable: this is a key, not an otpauth:// URI; give it with --secret")
        }
        e => anyhow!("the URI is not usable: {e}"),
    })
}

impl KeyArgs {
    fn given(&self) -> bool {
        self.secret.is_some() || self.secret_env.is_some() || self.uri_given()
    }

    fn uri_given(&self) -> bool {
        self.uri.is_some() || self.uri_env.is_some()
    }

    fn to_key_uri(&self, issuer: &str, account: &str) -> Result<KeyUri> {
        if let Some(uri) = input::read(self.uri.as_deref(), self.uri_env.as_deref().map(|var| ("--uri-env", var)), "the URI")? {
            return parse_uri(&uri);
        }
        let secret = input::read(self.secret.as_deref(), self.secret_env.as_deref().map(|var| ("--secret-env", var)), "the key")?
            .ok_or_else(|| anyhow!("give a key with --secret or a URI with --uri"))?;
        let option = if self.secret_env.is_some() { "--secret-env" } else { "--secret" };
        let secret = Secret::from_base32(&secret).map_err(|e| anyhow!("{option}: {e}"))?;
        let method = match self.counter {
            Some(counter) => Method::Hotp { counter },
            None => Method::Totp { period: self.period },
        };
        let otp = Otp::new(method, self.algorithm, self.digits, secret)?;
        Ok(KeyUri { issuer: issuer.trim().to_owned(), account: account.trim().to_owned(), otp })
    }
}

#[derive(Args)]
pub struct CodeArgs {
    /// A stored account: part of its label, issuer or account name.
    #[arg(conflicts_with_all = ["key", "uri_source"])]
    query: Option<String>,
    #[command(flatten)]
    key: KeyArgs,
    /// Unix time to compute the code for (default: now).
    #[arg(long, value_name = "UNIX")]
    time: Option<u64>,
}

fn code_json(code: &Code, time: u64) -> serde_json::Value {
    json!({
        "code": code.code,
        "valid_from": code.valid_from,
        "expires_at": code.expires_at,
        "seconds_left": code.expires_at.map(|e| e.saturating_sub(time)),
    })
}

pub fn code(ctx: &Context, args: CodeArgs) -> Result<()> {
    let time = args.time.unwrap_or_else(now);
    let code = match &args.query {
        None if args.key.given() => args.key.to_key_uri("", "")?.otp.code_at(time),
        None => bail!("name an account, or give --secret or --uri"),
        Some(query) => {
            let mut vault = ctx.open()?;
            let id = find(vault.accounts(), query)?.id;
            // Showing a counter-based code uses it up: the next request gets the next one.
            let code = vault.update(|accounts| {
                let account = accounts.iter_mut().find(|a| a.id == id).ok_or_else(|| anyhow!("the account was removed meanwhile"))?;
                let code = account.code_at(time);
                if let Method::Hotp { counter } = &mut account.otp.method {
                    *counter = counter.saturating_add(1);
                }
                Ok::<_, anyhow::Error>(code)
            })?;
            // Only a counter-based code changed what is stored.
            if code.expires_at.is_none() {
                after_change(&vault);
            }
            code
        }
    };
    if ctx.json {
        println!("{}", code_json(&code, time));
    } else {
        println!("{}", code.code);
    }
    Ok(())
}

#[derive(Args)]
pub struct AddArgs {
    /// An otpauth:// URI (from a QR code or a setup page). `-` reads it from standard input,
    /// which keeps it out of `ps` and the shell's history.
    #[arg(conflicts_with_all = ["key", "uri_source"])]
    uri_arg: Option<String>,
    #[command(flatten)]
    key: KeyArgs,
    /// The service's name, e.g. 給与システム.
    #[arg(long, default_value = "")]
    issuer: String,
    /// The login ID, e.g. a-sato@example.co.jp.
    #[arg(long, default_value = "")]
    account: String,
    /// Your own name for this login, e.g. "B-ID 経理".
    #[arg(long, default_value = "")]
    label: String,
}

pub fn add(ctx: &Context, args: AddArgs) -> Result<()> {
    let key_uri = match input::read(args.uri_arg.as_deref(), None, "the URI")? {
        Some(uri) => parse_uri(&uri)?,
        None if args.key.given() => {
            let mut k = args.key.to_key_uri(&args.issuer, &args.account)?;
            if args.key.uri_given() {
                if !args.issuer.is_empty() {
                    k.issuer = args.issuer.trim().to_owned();
                }
                if !args.account.is_empty() {
                    k.account = args.account.trim().to_owned();
                }
            }
            k
        }
        None => bail!("give an otpauth:// URI, or --secret with --account (and --issuer)"),
    };
    let mut draft = AccountDraft::from(key_uri);
    draft.label = args.label.trim().to_owned();
    ninsho_core::name_limit::check_names(&[&draft.issuer, &draft.account, &draft.label])?;
    if draft.issuer.is_empty() && draft.account.is_empty() && draft.label.is_empty() {
        bail!("the account has no name; give --account, --issuer or --label so you can tell it apart later");
    }

    let mut vault = ctx.open_or_create()?;
    let time = now();
    let (added, same_key, same_name) = vault.update(|accounts| {
        let same_key: Vec<String> = accounts.iter().filter(|a| a.otp.secret == draft.otp.secret).map(Account::display_name).collect();
        let same_name = accounts.iter().any(|a| {
            a.issuer.to_lowercase() == draft.issuer.to_lowercase()
                && a.account.to_lowercase() == draft.account.to_lowercase()
                && a.label.to_lowercase() == draft.label.to_lowercase()
        });
        let position = accounts.iter().map(|a| a.position + 1).max().unwrap_or(0);
        let account = Account::from_draft(draft, position, time);
        accounts.push(account.clone());
        Ok::<_, VaultError>((account, same_key, same_name))
    })?;
    after_change(&vault);
    let code = added.code_at(time);
    if ctx.json {
        println!("{}", json!({ "account": account_json(&added, false), "code": code_json(&code, time) }));
        return Ok(());
    }
    println!("Added {}.", added.display_name());
    match code.expires_at {
        Some(expires) => println!(
            "Current code: {}  ({} s left). Enter it on the setup page now: the page's QR code changes if it is opened again.",
            group(&code.code),
            expires.saturating_sub(time)
        ),
        None => println!("First code: {}", group(&code.code)),
    }
    if let Some(expires) = code.expires_at.filter(|e| e.saturating_sub(time) < NEXT_CODE_WINDOW) {
        println!("Next code: {} (from {} s from now).", group(&added.code_at(expires).code), expires.saturating_sub(time));
    }
    if !same_key.is_empty() {
        eprintln!("Note: the same key is already stored as {}.", same_key.join(", "));
    }
    if same_name {
        eprintln!("Note: another account has the same issuer and account name; give one a label (ninsho rename … --label).");
    }
    Ok(())
}

/// "123456" → "123 456", as the app shows codes.
fn group(code: &str) -> String {
    let mid = code.len() / 2;
    if code.len() >= 6 && code.is_ascii() { format!("{} {}", &code[..mid], &code[mid..]) } else { code.to_owned() }
}

fn account_json(a: &Account, duplicate: bool) -> serde_json::Value {
    json!({
        "id": a.id,
        "issuer": a.issuer,
        "account": a.account,
        "label": a.label,
        "type": a.otp.method.type_name(),
        "algorithm": a.otp.algorithm,
        "digits": a.otp.digits,
        "period": a.otp.method.period(),
        "counter": a.otp.method.counter(),
        "pinned": a.pinned,
        "duplicate": duplicate,
    })
}

pub fn list(ctx: &Context) -> Result<()> {
    let vault = ctx.open()?;
    let dups = indistinguishable(vault.accounts());
    let ordered = display_order(vault.accounts());
    if ctx.json {
        let items: Vec<_> = ordered.iter().map(|a| account_json(a, dups.contains(&a.id))).collect();
        println!("{}", serde_json::Value::Array(items));
        return Ok(());
    }
    if ordered.is_empty() {
        println!("No accounts yet. Add one with `ninsho add`.");
    }
    for a in ordered {
        let kind = match a.otp.method {
            Method::Totp { period } => format!("totp {period}s"),
            Method::Hotp { counter } => format!("hotp #{counter}"),
            other => other.type_name().to_owned(),
        };
        let pin = if a.pinned { "📌 " } else { "" };
        let warn = if dups.contains(&a.id) { "  ⚠ same issuer and account as another; give it a label" } else { "" };
        println!("{pin}{}\t{}\t{}\t{kind}\t{}{warn}", a.label, a.issuer, a.account, &a.id.to_string()[..8]);
    }
    Ok(())
}

#[derive(Args)]
pub struct QueryArgs {
    /// Part of the account's label, issuer or account name, or the start of its id.
    query: String,
}

#[derive(Args)]
pub struct RenameArgs {
    #[command(flatten)]
    target: QueryArgs,
    #[arg(long)]
    issuer: Option<String>,
    #[arg(long)]
    account: Option<String>,
    #[arg(long)]
    label: Option<String>,
}

pub fn rename(ctx: &Context, args: RenameArgs) -> Result<()> {
    if args.issuer.is_none() && args.account.is_none() && args.label.is_none() {
        bail!("say what to change with --issuer, --account or --label");
    }
    let new_names: Vec<&str> = [&args.issuer, &args.account, &args.label].into_iter().flatten().map(String::as_str).collect();
    ninsho_core::name_limit::check_names(&new_names)?;
    let mut vault = ctx.open()?;
    let id = find(vault.accounts(), &args.target.query)?.id;
    let renamed = vault.update(|accounts| {
        let a = accounts.iter_mut().find(|a| a.id == id).ok_or_else(|| anyhow!("the account was removed meanwhile"))?;
        if let Some(issuer) = &args.issuer {
            a.issuer = issuer.trim().to_owned();
        }
        if let Some(account) = &args.account {
            a.account = account.trim().to_owned();
        }
        if let Some(label) = &args.label {
            a.label = label.trim().to_owned();
        }
        Ok::<_, anyhow::Error>(a.clone())
    })?;
    after_change(&vault);
    report(ctx, &vault, &renamed, "Renamed")
}

fn report(ctx: &Context, vault: &Vault, account: &Account, verb: &str) -> Result<()> {
    if ctx.json {
        let dup = indistinguishable(vault.accounts()).contains(&account.id);
        println!("{}", account_json(account, dup));
    } else {
        println!("{verb} {}.", account.display_name());
    }
    Ok(())
}

pub fn remove(ctx: &Context, args: QueryArgs) -> Result<()> {
    let mut vault = ctx.open()?;
    let id = find(vault.accounts(), &args.query)?.id;
    let removed = vault.delete(&[id], now())?.pop().ok_or_else(|| anyhow!("the account was removed meanwhile"))?;
    after_change(&vault);
    if ctx.json {
        println!("{}", account_json(&removed, false));
    } else {
        println!("Removed {}. It can be restored for 30 days: ninsho undelete {}", removed.display_name(), &removed.id.to_string()[..8]);
    }
    Ok(())
}
