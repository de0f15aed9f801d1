//! Ninsho's domain: one-time codes, `otpauth://` URIs, accounts and the encrypted vault.
//!
//! Nothing here depends on a GUI. Every parser is a pure function that returns a typed
//! error naming what is wrong, so the app, the CLI and the fuzzers share one behaviour.

pub mod account;
pub mod autobackup;
pub mod backup;
pub mod clock;
pub mod name_limit;
pub mod otp;
pub mod paths;
pub mod policy;
pub mod private_file;
pub mod qr;
pub mod secret;
pub mod update;
pub mod vault;

pub use account::{Account, AccountDraft};
pub use otp::{Algorithm, Code, Method, Otp};
pub use secret::Secret;
