//! Helpers for tests that run the real `ninsho` binary.

#![allow(dead_code)] // each test binary uses a different subset

use std::path::PathBuf;
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_ninsho");

/// Tests that need the real Secret Service refuse to run without it rather than pass
/// vacuously; `scripts/test` provides it.
pub fn require_keyring() {
    assert!(std::env::var_os("NINSHO_TEST_KEYRING").is_some(), "this test needs a Secret Service keyring: run it through scripts/test");
}

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Self {
        Env { dir: tempfile::tempdir().unwrap() }
    }

    pub fn vault(&self) -> PathBuf {
        self.dir.path().join("vault.ninsho")
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(BIN);
        c.env("NINSHO_VAULT", self.vault());
        c
    }

    /// A command that cannot reach any keyring, as in a headless session.
    pub fn cmd_without_keyring(&self) -> Command {
        let mut c = self.cmd();
        c.env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", self.dir.path().join("no-bus").display()));
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }
}

pub fn ok(out: Output) -> String {
    assert!(out.status.success(), "failed: {}\n{}", String::from_utf8_lossy(&out.stderr), String::from_utf8_lossy(&out.stdout));
    String::from_utf8(out.stdout).unwrap()
}

/// Runs a failing command and returns its one-line error.
pub fn err(out: Output) -> String {
    assert!(!out.status.success(), "unexpectedly succeeded: {}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(out.status.code(), Some(1), "errors exit 1 (2 is for usage)");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

pub fn json(out: Output) -> serde_json::Value {
    serde_json::from_str(&ok(out)).unwrap()
}
