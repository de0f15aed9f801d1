//! `ninsho`: codes, accounts and the vault from a terminal or a script.

// One module per command group, over `vault`, which opens the vault for each of them.
mod accounts;
mod auto_backup;
mod backup;
mod clock;
mod input;
mod passphrase;
mod policy;
mod query;
mod vault;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use ninsho_cli::scan;

#[derive(Parser)]
#[command(name = "ninsho", version, about = "Ninsho (認証): one-time codes for two-step sign-in")]
struct Cli {
    #[command(flatten)]
    options: Options,
    #[command(subcommand)]
    command: Command,
}

// The options are declared twice, here and in the command given (`ninsho --json list` and
// `ninsho list --json` both work), rather than once with `global = true`: clap copies a
// global option into all 17 commands before it parses anything: a tenth of `ninsho code`'s
// instructions (callgrind, 630k -> 567k).
#[derive(Args)]
struct Options {
    /// The vault file (default: NINSHO_VAULT, else the per-user app-data folder).
    #[arg(long, value_name = "PATH")]
    vault: Option<PathBuf>,
    /// Unlock with the vault's passphrase, read from this environment variable, instead of
    /// the OS keyring.
    #[arg(long, value_name = "VAR")]
    passphrase_env: Option<String>,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

// The options after a command's name. Global within that command only, so that `backup`'s
// and `passphrase`'s own commands take them too, and only once one of those is given.
// NINSHO_VAULT is read here alone: a `--vault` typed either side of the name beats it.
// (Plain comments: clap would show a doc comment as the command's description.)
#[derive(Args)]
struct CommandOptions {
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
}

impl Options {
    fn with(self, after: CommandOptions) -> vault::Context {
        vault::Context::new(self.vault.or(after.vault), self.passphrase_env.or(after.passphrase_env), self.json || after.json)
    }
}

// A command's own arguments and the options given after its name.
#[derive(Args)]
struct With<T: Args> {
    #[command(flatten)]
    options: CommandOptions,
    #[command(flatten)]
    args: T,
}

// Only the subcommand given is built: building all of them took a third of `ninsho code`'s
// instructions (callgrind), for arguments that were never parsed.
#[derive(Subcommand)]
#[command(defer = true)]
enum Command {
    /// Print a code: for a key or URI given here, or for a stored account.
    Code(With<accounts::CodeArgs>),
    /// Add an account from an otpauth:// URI or a typed key; creates the vault if needed.
    Add(With<accounts::AddArgs>),
    /// List stored accounts (never their keys).
    List(CommandOptions),
    /// Change an account's issuer, account name or label.
    Rename(With<accounts::RenameArgs>),
    /// Delete an account (restorable for 30 days with `undelete`).
    Remove(With<accounts::QueryArgs>),
    /// Accounts deleted in the last 30 days.
    Deleted(CommandOptions),
    /// Put a deleted account back.
    Undelete(With<auto_backup::UndeleteArgs>),
    /// Automatic encrypted backups into a folder: folder, off, now, status, list.
    Backup(With<auto_backup::BackupArgs>),
    /// Restore accounts from a Ninsho backup: add what is missing, or --replace.
    Restore(With<auto_backup::RestoreArgs>),
    /// Add, change or remove the passphrase that opens the vault on another PC.
    Passphrase(With<passphrase::PassphraseArgs>),
    /// Check this PC's clock against network time. Exit status: 0 ok, 3 warning, 4 codes
    /// will be rejected, 2 could not check.
    Clock(With<clock::ClockArgs>),
    /// Print every account in a backup file, one JSON object per line (keys included, unless
    /// your organization forbids exports that hold keys unencrypted).
    Inspect(With<backup::InspectArgs>),
    /// Convert a backup file to another format.
    Convert(With<backup::ConvertArgs>),
    /// Import a backup file into the vault, after showing what is new.
    Import(With<backup::ImportArgs>),
    /// Export the vault's accounts (encrypted formats unless --plaintext).
    Export(With<backup::ExportArgs>),
    /// Read QR codes on every screen (or in picture files) and print each payload on its
    /// own line (--json: with its kind and position). Exit status 1 when none was found.
    ///
    /// A payload that holds line breaks (a vCard, a Wi-Fi code) still takes one line: line
    /// breaks, tabs and other control characters are written as in JSON (\n, \r, \t,
    /// \u001b), and a backslash as \\. --json gives each payload as a JSON string.
    Scan(With<scan::ScanArgs>),
    /// The settings your organization manages on this PC, where each comes from, and any
    /// value that could not be used.
    Policy(CommandOptions),
}

fn main() -> ExitCode {
    let Cli { options, command } = Cli::parse();
    let result = match command {
        Command::Code(c) => accounts::code(&options.with(c.options), c.args),
        Command::Add(c) => accounts::add(&options.with(c.options), c.args),
        Command::List(after) => accounts::list(&options.with(after)),
        Command::Rename(c) => accounts::rename(&options.with(c.options), c.args),
        Command::Remove(c) => accounts::remove(&options.with(c.options), c.args),
        Command::Deleted(after) => auto_backup::deleted(&options.with(after)),
        Command::Undelete(c) => auto_backup::undelete(&options.with(c.options), c.args),
        Command::Backup(c) => auto_backup::run(&options.with(c.options), c.args),
        Command::Restore(c) => auto_backup::restore(&options.with(c.options), c.args),
        Command::Passphrase(c) => passphrase::run(&options.with(c.options), c.args),
        Command::Clock(c) => return clock::run(&options.with(c.options), c.args),
        Command::Inspect(c) => backup::inspect(c.args),
        Command::Convert(c) => backup::convert(c.args),
        Command::Import(c) => backup::import(&options.with(c.options), c.args),
        Command::Export(c) => backup::export(&options.with(c.options), c.args),
        Command::Scan(c) => return scan::run(c.args, options.json || c.options.json),
        Command::Policy(after) => policy::run(options.json || after.json),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ninsho: {}", format!("{e:#}").replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}
