//! `passphrase set` and `passphrase remove`: the passphrase that opens the vault on
//! another PC.

use anyhow::Result;
use clap::{Args, Subcommand};
use ninsho_core::vault::OsKeyring;

use crate::vault::{Context, new_secret};

#[derive(Args)]
pub struct PassphraseArgs {
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

pub fn run(ctx: &Context, args: PassphraseArgs) -> Result<()> {
    match args.action {
        PassphraseAction::Set { new_passphrase_env } => set(ctx, new_passphrase_env),
        PassphraseAction::Remove => remove(ctx),
    }
}

fn set(ctx: &Context, new_passphrase_env: Option<String>) -> Result<()> {
    let passphrase = new_secret(new_passphrase_env.as_deref(), "New vault passphrase: ", "passphrase")?;
    let mut vault = ctx.open()?;
    vault.set_passphrase(&passphrase, &OsKeyring)?;
    if !ctx.json {
        println!("The vault now also opens with this passphrase, on any PC. It was re-encrypted under a new key:");
        println!("an earlier passphrase and older copies of the file open nothing saved from now on, and other PCs ask for this passphrase once.");
    }
    Ok(())
}

fn remove(ctx: &Context) -> Result<()> {
    let mut vault = ctx.open()?;
    vault.remove_passphrase(&OsKeyring)?;
    if !ctx.json {
        println!("Passphrase removed, and the vault re-encrypted under a new key: only this PC's keyring opens it now.");
    }
    Ok(())
}
