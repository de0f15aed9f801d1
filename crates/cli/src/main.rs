//! `ninsho`: codes, accounts and the vault from a terminal or a script.

mod auto_backup;
mod backup;
mod clock;
mod commands;
mod policy;
mod unlock;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use ninsho_cli::scan;

#[derive(Parser)]
#[command(name = "ninsho", version, about = "Ninsho (認証): one-time codes for two-step sign-in")]
struct Cli {
    /// The vault file (default: the per-user app-data folder).
    #[arg(long, global = true, env = "NINSHO_VAULT", value_name = "PATH")]
    vault: Option<PathBuf>,
    /// Unlock with the vault's passphrase, read from this environment variable, instead of
    /// the OS keyring.
    #[arg(long, global = true, value_name = "VAR")]
    passphrase_env: Option<String>,
    /// Machine-readable output.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

// Only the subcommand given is built: building all of them took a third of `ninsho code`'s
// instructions (callgrind), for arguments that were never parsed.
#[derive(Subcommand)]
#[command(defer = true)]
enum Command {
    /// Print a code: for a key or URI given here, or for a stored account.
    Code(commands::CodeArgs),
    /// Add an account from an otpauth:// URI or a typed key; creates the vault if needed.
    Add(commands::AddArgs),
    /// List stored accounts (never their keys).
    List,
    /// Change an account's issuer, account name or label.
    Rename(commands::RenameArgs),
    /// Delete an account (restorable for 30 days with `undelete`).
    Remove(commands::QueryArgs),
    /// Accounts deleted in the last 30 days.
    Deleted,
    /// Put a deleted account back.
    Undelete(auto_backup::UndeleteArgs),
    /// Automatic encrypted backups into a folder: folder, off, now, status, list.
    Backup(auto_backup::BackupArgs),
    /// Restore accounts from a Ninsho backup: add what is missing, or --replace.
    Restore(auto_backup::RestoreArgs),
    /// Add, change or remove the passphrase that opens the vault on another PC.
    Passphrase(PassphraseArgs),
    /// Check this PC's clock against network time. Exit status: 0 ok, 3 warning, 4 codes
    /// will be rejected, 2 could not check.
    Clock(clock::ClockArgs),
    /// Print every account in a backup file, one JSON object per line (keys included).
    Inspect(backup::InspectArgs),
    /// Convert a backup file to another format.
    Convert(backup::ConvertArgs),
    /// Import a backup file into the vault, after showing what is new.
    Import(backup::ImportArgs),
    /// Export the vault's accounts (encrypted formats unless --plaintext).
    Export(backup::ExportArgs),
    /// Read QR codes on every screen (or in picture files) and print each payload on its
    /// own line (--json: with its kind and position). Exit status 1 when none was found.
    Scan(scan::ScanArgs),
    /// The settings your organization manages on this PC, where each comes from, and any
    /// value that could not be used.
    Policy,
}

#[derive(Args)]
struct PassphraseArgs {
    #[command(subcommand)]
    action: PassphraseAction,
}

#[derive(Subcommand)]
enum PassphraseAction {
    /// Set or replace the passphrase.
    Set {
        /// Read the new passphrase from this environment variable instead of asking.
        #[arg(long, value_name = "VAR")]
        new_passphrase_env: Option<String>,
    },
    /// Remove the passphrase; only this PC's keyring will open the vault.
    Remove,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = unlock::Context::new(cli.vault, cli.passphrase_env, cli.json);
    let result = match cli.command {
        Command::Code(args) => commands::code(&ctx, args),
        Command::Add(args) => commands::add(&ctx, args),
        Command::List => commands::list(&ctx),
        Command::Rename(args) => commands::rename(&ctx, args),
        Command::Remove(args) => commands::remove(&ctx, args),
        Command::Deleted => auto_backup::deleted(&ctx),
        Command::Undelete(args) => auto_backup::undelete(&ctx, args),
        Command::Backup(args) => auto_backup::run(&ctx, args),
        Command::Restore(args) => auto_backup::restore(&ctx, args),
        Command::Passphrase(PassphraseArgs { action: PassphraseAction::Set { new_passphrase_env } }) => {
            commands::passphrase_set(&ctx, new_passphrase_env)
        }
        Command::Passphrase(PassphraseArgs { action: PassphraseAction::Remove }) => commands::passphrase_remove(&ctx),
        Command::Clock(args) => return clock::run(&ctx, args),
        Command::Inspect(args) => backup::inspect(args),
        Command::Convert(args) => backup::convert(args),
        Command::Import(args) => backup::import(&ctx, args),
        Command::Export(args) => backup::export(&ctx, args),
        Command::Scan(args) => return scan::run(args, cli.json),
        Command::Policy => policy::run(cli.json),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ninsho: {}", format!("{e:#}").replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}
