//! `inspect`, `convert`, `import` and `export`: backup files from and for other apps.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};
use clap::Args;
use ninsho_core::account::display_order;
use ninsho_core::backup::{self, BackupError, Entry, Format, Parsed, Preview, Status};
use ninsho_core::vault::VaultError;
use serde_json::json;
use zeroize::Zeroizing;

use crate::vault::{Context, after_change, now, prompt, read_env_passphrase};

fn format_ids() -> String {
    backup::FORMATS.iter().map(|f| f.id()).collect::<Vec<_>>().join(", ")
}

fn format_by_id(id: &str) -> Result<&'static dyn Format> {
    backup::by_id(id).ok_or_else(|| anyhow!("unknown format {id:?} (one of: {})", format_ids()))
}

#[derive(Args)]
pub struct ReadArgs {
    /// The backup file.
    file: PathBuf,
    /// Read the file's password from this environment variable.
    #[arg(long, value_name = "VAR")]
    password_env: Option<String>,
    /// The file's format, when detection from its content is not wanted.
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,
}

/// Reads a file: detected format, its password (from the environment or asked for when it
/// turns out to be encrypted), and every account and problem in it.
fn read_file(args: &ReadArgs) -> Result<(&'static dyn Format, Parsed)> {
    let bytes = backup::read_file(&args.file).map_err(|e| match e {
        backup::ReadFileError::Io(e) => anyhow!("cannot read {}: {e}", args.file.display()),
        backup::ReadFileError::Backup(e) => anyhow!("{}: {e}", args.file.display()),
    })?;
    let format = match &args.format {
        Some(id) => format_by_id(id)?,
        None => backup::detect(&bytes).ok_or_else(|| anyhow!("{}: {}", args.file.display(), BackupError::UnknownFormat))?,
    };
    let mut password = args.password_env.as_deref().map(read_env_passphrase).transpose()?;
    loop {
        match format.read(&bytes, password.as_deref().map(|p| p.as_str())) {
            Ok(parsed) => return Ok((format, parsed)),
            Err(BackupError::NeedsPassword) if password.is_none() && std::io::stdin().is_terminal() => {
                password = Some(prompt(&format!("Password for {}: ", args.file.display()))?);
            }
            Err(BackupError::NeedsPassword) => {
                bail!("{}: the file is encrypted; pass its password with --password-env VAR", args.file.display())
            }
            Err(e) => bail!("{} ({}): {e}", args.file.display(), format.name()),
        }
    }
}

fn report_problems(file: &Path, parsed: &Parsed) {
    for p in parsed.problems.iter() {
        eprintln!("ninsho: {}: {p}", file.display());
    }
    if parsed.problems.left_out > 0 {
        eprintln!("ninsho: {}: and {} more parts that could not be read", file.display(), parsed.problems.left_out);
    }
}

fn entry_json(e: &Entry, time: u64, with_key: bool) -> serde_json::Value {
    let mut item = json!({
        "type": e.otp.method.type_name(),
        "issuer": e.issuer,
        "account": e.account,
        "algorithm": e.otp.algorithm,
        "digits": e.otp.digits,
        "period": e.otp.method.period(),
        "counter": e.otp.method.counter(),
        "code": e.otp.code_at(time).code,
    });
    if with_key {
        item["secret"] = e.otp.secret.to_base32().as_str().into();
    }
    item
}

#[derive(Args)]
pub struct InspectArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// Unix time for the codes shown (default: now).
    #[arg(long, value_name = "UNIX")]
    time: Option<u64>,
}

/// One JSON object per account, with its key: for checking a file before importing it.
pub fn inspect(args: InspectArgs) -> Result<()> {
    let withheld = ninsho_core::policy::load().policy.keys_shown_refusal();
    let (_, parsed) = read_file(&args.read)?;
    let time = args.time.unwrap_or_else(now);
    let mut out = std::io::stdout().lock();
    for e in &parsed.entries {
        writeln!(out, "{}", entry_json(e, time, withheld.is_none()))?;
    }
    if let Some(refusal) = &withheld {
        eprintln!("ninsho: the keys are not shown: {refusal}");
    }
    report_problems(&args.read.file, &parsed);
    if !parsed.problems.is_empty() {
        bail!("{} part(s) of {} could not be read (listed above)", parsed.problems.total(), args.read.file.display());
    }
    Ok(())
}

#[derive(Args)]
pub struct WriteArgs {
    /// The format to write.
    #[arg(long = "to", value_name = "FORMAT")]
    to: String,
    /// Where to write (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Read the new file's password from this environment variable.
    #[arg(long, value_name = "VAR")]
    export_password_env: Option<String>,
}

fn write_out(args: &WriteArgs, entries: &[Entry]) -> Result<usize> {
    let format = format_by_id(&args.to)?;
    if let Some(refusal) = ninsho_core::policy::load().policy.export_refusal(format.id(), format.encrypted()) {
        bail!("{refusal}; nothing was written");
    }
    let password: Option<Zeroizing<String>> = match (&args.export_password_env, format.encrypted()) {
        (Some(var), true) => Some(read_env_passphrase(var)?),
        (None, true) => {
            let first = prompt("Password for the new file: ")?;
            if first != prompt("Type it again: ")? {
                bail!("the two passwords differ; nothing was written");
            }
            Some(first)
        }
        (_, false) => None,
    };
    let written = format
        .write(entries, password.as_deref().map(|p| p.as_str()))
        .ok_or(BackupError::ReadOnly(format.name()))?
        .map_err(|e| anyhow!("{}: {e}", format.name()))?;
    for (name, why) in &written.skipped {
        eprintln!("ninsho: skipped {name}: {why}");
    }
    if let Some(note) = &written.note {
        eprintln!("ninsho: {note}");
    }
    let bytes = Zeroizing::new(written.files.join(&b'\n'));
    match &args.output {
        Some(path) => ninsho_core::private_file::write(path, &bytes).with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(entries.len() - written.skipped.len())
}

#[derive(Args)]
pub struct ConvertArgs {
    #[command(flatten)]
    read: ReadArgs,
    #[command(flatten)]
    write: WriteArgs,
}

pub fn convert(args: ConvertArgs) -> Result<()> {
    let (_, parsed) = read_file(&args.read)?;
    report_problems(&args.read.file, &parsed);
    write_out(&args.write, &parsed.entries)?;
    Ok(())
}

#[derive(Args)]
pub struct ImportArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// Import without asking.
    #[arg(long)]
    yes: bool,
    /// Only show what would be imported.
    #[arg(long)]
    dry_run: bool,
    /// Also import accounts whose issuer and name match a stored one (they have another key).
    #[arg(long)]
    include_same_name: bool,
}

pub fn status_text(s: &Status) -> String {
    match s {
        Status::New => "new".into(),
        Status::SameKey(name) => format!("already stored as {name}"),
        Status::SameName(name) => format!("same name as {name}, different key"),
        Status::RepeatedInFile => "listed twice in the file".into(),
    }
}

/// Shows what the file holds against the vault, then saves the new accounts in one step.
pub fn import(ctx: &Context, args: ImportArgs) -> Result<()> {
    let (format, parsed) = read_file(&args.read)?;
    let mut vault = ctx.open_or_create()?;
    let preview = Preview::new(vault.accounts(), parsed);
    let chosen = preview.to_import(args.include_same_name);
    if ctx.json {
        let items: Vec<_> = preview
            .items
            .iter()
            .map(|(e, s)| json!({ "issuer": e.issuer, "account": e.account, "type": e.otp.method.type_name(), "status": status_text(s) }))
            .collect();
        let problems: Vec<_> = preview.problems.iter().map(|p| json!({ "location": p.place.to_string(), "message": p.error.to_string() })).collect();
        eprintln!("{}", json!({ "format": format.id(), "accounts": items, "problems": problems, "problems_left_out": preview.problems.left_out }));
    } else {
        println!("{} ({}):", args.read.file.display(), format.name());
        for (e, s) in &preview.items {
            println!("  {:<40} {}", e.display_name(), status_text(s));
        }
        for p in preview.problems.iter() {
            println!("  ✗ {p}");
        }
        if preview.problems.left_out > 0 {
            println!("  ✗ … and {} more", preview.problems.left_out);
        }
    }
    if args.dry_run || chosen.is_empty() {
        if chosen.is_empty() {
            println!("Nothing new to import.");
        }
        return Ok(());
    }
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            bail!("add --yes to import {} account(s) without being asked", chosen.len());
        }
        print!("Import {} account(s)? [y/N] ", chosen.len());
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !answer.trim().eq_ignore_ascii_case("y") {
            println!("Nothing was imported.");
            return Ok(());
        }
    }
    let time = now();
    let count = vault.update(|accounts| Ok::<_, VaultError>(backup::append(accounts, &chosen, time)))?;
    after_change(&vault);
    println!("Imported {count} account(s).");
    Ok(())
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    write: WriteArgs,
    /// Allow a format that holds the keys unencrypted.
    #[arg(long)]
    plaintext: bool,
}

pub fn export(ctx: &Context, args: ExportArgs) -> Result<()> {
    let format = format_by_id(&args.write.to)?;
    if !format.encrypted() {
        if !args.plaintext {
            bail!(
                "{} holds the keys unencrypted: anyone with the file can make your codes. Use an encrypted format \
                 (ninsho, authenticator-encrypted, aegis-encrypted) or add --plaintext to write it anyway",
                format.name()
            );
        }
        eprintln!("ninsho: warning: the exported file holds your keys unencrypted; delete it once imported");
    }
    let vault = ctx.open()?;
    let entries: Vec<Entry> = display_order(vault.accounts()).into_iter().map(Entry::from).collect();
    let count = write_out(&args.write, &entries)?;
    eprintln!("ninsho: exported {count} account(s)");
    Ok(())
}
