//! `backup …`, `restore`, `deleted` and `undelete`: automatic backups into a folder, and
//! getting accounts back from them or from the vault's recently deleted list.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};
use clap::{Args, Subcommand};
use ninsho_core::account::Account;
use ninsho_core::autobackup::{self, Status};
use ninsho_core::backup::{self, Entry, Parsed, Preview};
use ninsho_core::vault::{self, BackupSetting, PassphraseKey, Vault};
use serde_json::json;

use crate::query::find;
use crate::vault::{Context, after_change, managed_folder, new_secret, now, prompt, read_env_passphrase, same_folder};

#[derive(Args)]
pub struct BackupArgs {
    #[command(subcommand)]
    action: BackupAction,
}

#[derive(Subcommand)]
enum BackupAction {
    /// Turn automatic backups on (or change their folder or password): after every change
    /// an encrypted backup is written into FOLDER (OneDrive, iCloud Drive, a USB stick…).
    Folder {
        folder: PathBuf,
        /// Read the backup password from this environment variable instead of asking.
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
    },
    /// Turn automatic backups off (the files already written stay).
    Off,
    /// Write a backup now.
    Now,
    /// The folder, the last good backup and the last error.
    Status,
    /// The backups in the folder, newest first.
    List,
}

pub fn run(ctx: &Context, args: BackupArgs) -> Result<()> {
    match args.action {
        BackupAction::Folder { folder, password_env } => {
            if let Some(managed) = ninsho_core::policy::load().policy.auto_backup_folder {
                let wanted = managed_folder(&managed.value)?;
                if !same_folder(&folder, &wanted) {
                    bail!("your organization sets the backup folder to {} (set by {}); use that folder", wanted.display(), managed.source);
                }
            }
            if !folder.is_dir() {
                bail!("{} is not a folder (create it first, or check that the drive is connected)", folder.display());
            }
            let folder = folder.canonicalize().unwrap_or(folder);
            let password = new_secret(password_env.as_deref(), "Backup password (needed to open the backups on another PC): ", "password")?;
            let mut vault = ctx.open_or_create()?;
            let key = PassphraseKey::derive(&password)?;
            vault.set_auto_backup(Some(BackupSetting { folder: folder.clone(), key }))?;
            let setting = vault.auto_backup().expect("just set");
            let done = autobackup::run(vault.path(), setting, vault.accounts(), now())
                .map_err(|e| anyhow!("backups are on, but the first one failed: {e}; it will be retried after the next change"))?;
            if !ctx.json {
                println!("Automatic backups are on: {} ({} account(s) in the first).", done.file.display(), done.accounts);
            }
            Ok(())
        }
        BackupAction::Off => {
            let policy = ninsho_core::policy::load().policy;
            if policy.backups_required() {
                crate::policy::refuse_if_managed("automatic backup", &policy.auto_backup_required)?;
            }
            let mut vault = ctx.open()?;
            vault.set_auto_backup(None)?;
            if !ctx.json {
                println!("Automatic backups are off; the backups already written stay in their folder.");
            }
            Ok(())
        }
        BackupAction::Now => {
            let vault = ctx.open()?;
            let setting = vault.auto_backup().ok_or_else(|| anyhow!("automatic backups are off; turn them on with `ninsho backup folder PATH`"))?;
            let done = autobackup::run(vault.path(), setting, vault.accounts(), now())?;
            if ctx.json {
                println!("{}", json!({ "file": done.file, "time": done.time, "accounts": done.accounts }));
            } else {
                println!("Backed up {} account(s) to {}.", done.accounts, done.file.display());
            }
            Ok(())
        }
        BackupAction::Status => status(ctx),
        BackupAction::List => list(ctx),
    }
}

fn status(ctx: &Context) -> Result<()> {
    let vault = ctx.open()?;
    let status = Status::read(vault.path());
    let folder = vault.auto_backup().map(|s| s.folder.clone());
    let required_by = ninsho_core::policy::load().policy.auto_backup_required.filter(|m| m.value).map(|m| m.source);
    if ctx.json {
        println!(
            "{}",
            json!({ "on": folder.is_some(), "folder": folder, "last_success": status.last_success, "last_failure": status.last_failure, "required_by": required_by })
        );
        return Ok(());
    }
    match (&folder, &required_by) {
        (None, Some(source)) => println!(
            "Automatic backups are off, but your organization requires them (set by {source}). Turn them on with `ninsho backup folder PATH`."
        ),
        (None, None) => println!("Automatic backups are off. Turn them on with `ninsho backup folder PATH`."),
        (Some(folder), _) => println!("Automatic backups are on, into {}.", folder.display()),
    }
    if let Some(s) = &status.last_success {
        println!("Last backup: {} ({} account(s)), {}.", utc(s.time), s.accounts, s.file.display());
    } else if folder.is_some() {
        println!("No backup has been written yet.");
    }
    if let Some(f) = &status.last_failure {
        println!("FAILED at {}: {}. It is retried after the next change, or now with `ninsho backup now`.", utc(f.time), f.detail);
    }
    Ok(())
}

fn utc(time: u64) -> String {
    autobackup::stamp(time)
}

fn list(ctx: &Context) -> Result<()> {
    let vault = ctx.open()?;
    let setting = vault.auto_backup().ok_or_else(|| anyhow!("automatic backups are off; there is no backup folder to list"))?;
    let files = autobackup::list(&setting.folder)?;
    let rows: Vec<(PathBuf, u64, Option<usize>)> =
        files.iter().map(|f| (f.path.clone(), f.time, autobackup::open(&f.path, &setting.key).ok().flatten().map(|a| a.len()))).collect();
    if ctx.json {
        let items: Vec<_> = rows.iter().map(|(path, time, accounts)| json!({ "path": path, "time": time, "accounts": accounts })).collect();
        println!("{}", serde_json::Value::Array(items));
        return Ok(());
    }
    if rows.is_empty() {
        println!("No backups in {} yet.", setting.folder.display());
    }
    for (path, _, accounts) in rows {
        let accounts = accounts.map(|n| format!("{n} account(s)")).unwrap_or_else(|| "made with an earlier password".into());
        println!("{}\t{accounts}", path.display());
    }
    Ok(())
}

#[derive(Args)]
pub struct RestoreArgs {
    /// A backup file (any Ninsho transfer file).
    file: PathBuf,
    /// Read the backup's password from this environment variable (not needed for backups
    /// this vault wrote with its current backup password).
    #[arg(long, value_name = "VAR")]
    password_env: Option<String>,
    /// Replace the vault's accounts with the backup's, instead of adding what is missing. A
    /// copy of the current vault is kept first.
    #[arg(long)]
    replace: bool,
    /// Do it without asking.
    #[arg(long)]
    yes: bool,
}

/// The accounts in a backup: through the vault's own backup key when it wrote the file,
/// else with the password.
fn open_backup(file: &Path, vault: &Vault, password_env: Option<&str>) -> Result<Vec<Account>> {
    if let Some(setting) = vault.auto_backup()
        && let Ok(Some(accounts)) = autobackup::open(file, &setting.key)
    {
        return Ok(accounts);
    }
    let bytes = backup::read_file(file).map_err(|e| anyhow!("cannot read {}: {e}", file.display()))?;
    if !vault::is_vault_file(&bytes) {
        bail!("{} is not a Ninsho backup; use `ninsho import` for other apps' files", file.display());
    }
    let password = match password_env {
        Some(var) => read_env_passphrase(var)?,
        None => prompt(&format!("Password for {}: ", file.display()))?,
    };
    vault::open_transfer(&bytes, &password).with_context(|| format!("{} cannot be opened", file.display()))
}

fn confirm(question: &str) -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        bail!("add --yes to {question} without being asked");
    }
    print!("{question}? [y/N] ");
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(answer.trim().eq_ignore_ascii_case("y"))
}

pub fn restore(ctx: &Context, args: RestoreArgs) -> Result<()> {
    let mut vault = ctx.open_or_create()?;
    let accounts = open_backup(&args.file, &vault, args.password_env.as_deref())?;
    let parsed = Parsed { entries: accounts.iter().map(Entry::from).collect(), problems: Default::default() };
    let preview = Preview::new(vault.accounts(), parsed);
    let chosen = preview.to_import(true);
    println!("{}: {} account(s).", args.file.display(), accounts.len());
    if args.replace {
        println!("The vault's {} account(s) will be replaced by these {}.", vault.accounts().len(), accounts.len());
        if !args.yes && !confirm(&format!("replace the vault's accounts with the backup's {}", accounts.len()))? {
            println!("Nothing was changed.");
            return Ok(());
        }
        let copy = autobackup::keep_copy_before_restore(vault.path(), now())
            .with_context(|| format!("could not keep a copy of {}; nothing was changed", vault.path().display()))?;
        vault.update(|stored| {
            *stored = accounts;
            Ok::<_, anyhow::Error>(())
        })?;
        println!("Restored {} account(s). The vault as it was is kept as {}.", vault.accounts().len(), copy.display());
    } else {
        for (e, s) in &preview.items {
            println!("  {:<40} {}", e.display_name(), crate::backup::status_text(s));
        }
        if chosen.is_empty() {
            println!("Nothing to restore: every account in the backup is in the vault.");
            return Ok(());
        }
        if !args.yes && !confirm(&format!("add {} account(s)", chosen.len()))? {
            println!("Nothing was changed.");
            return Ok(());
        }
        let time = now();
        let count = vault.update(|stored| Ok::<_, anyhow::Error>(backup::append(stored, &chosen, time)))?;
        println!("Restored {count} account(s).");
    }
    after_change(&vault);
    Ok(())
}

pub fn deleted(ctx: &Context) -> Result<()> {
    let vault = ctx.open()?;
    let deleted = vault.deleted();
    if ctx.json {
        let items: Vec<_> = deleted
            .iter()
            .map(|d| json!({ "id": d.account.id, "issuer": d.account.issuer, "account": d.account.account, "label": d.account.label, "deleted_at": d.deleted_at }))
            .collect();
        println!("{}", serde_json::Value::Array(items));
        return Ok(());
    }
    if deleted.is_empty() {
        println!("No account was deleted in the last 30 days.");
    }
    for d in deleted {
        println!("{}\tdeleted {}\t{}", d.account.display_name(), utc(d.deleted_at), &d.account.id.to_string()[..8]);
    }
    Ok(())
}

#[derive(Args)]
pub struct UndeleteArgs {
    /// Part of the deleted account's label, issuer or account name, or the start of its id.
    query: String,
}

pub fn undelete(ctx: &Context, args: UndeleteArgs) -> Result<()> {
    let mut vault = ctx.open()?;
    let candidates: Vec<Account> = vault.deleted().iter().map(|d| d.account.clone()).collect();
    let id = find(&candidates, &args.query).map_err(|e| anyhow!("among the deleted accounts: {e}"))?.id;
    let restored = vault.undelete(&[id])?;
    after_change(&vault);
    for a in restored {
        println!("Restored {}.", a.display_name());
    }
    Ok(())
}
