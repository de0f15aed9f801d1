//! The import preview: the file (or Google export, or backup) being imported, kept in Rust
//! between the preview and the user's choice, and what the import dialog shows of it. Import,
//! Scan and Restore each fill it; the lock empties it.

use std::path::PathBuf;
use std::sync::Mutex;

use ninsho_core::account::Names;
use ninsho_core::backup::{Preview, Status};
use serde::Serialize;
use tauri::{AppHandle, Manager};

use crate::error::UiError;
use crate::events::{self, Change};

/// The file being imported, between the preview and the user's choice.
#[derive(Default)]
pub struct PendingImport(pub Mutex<Option<(PathBuf, Preview)>>);

impl PendingImport {
    pub fn forget(&self) {
        self.0.lock().expect("import lock").take();
    }
}

#[derive(Serialize, Clone)]
pub struct PreviewItem {
    issuer: String,
    account: String,
    kind: &'static str,
    /// "new", "same_key", "same_name" or "repeated".
    status: &'static str,
    /// The stored account it matches.
    other: Option<Names>,
}

#[derive(Serialize, Clone)]
pub struct PreviewView {
    file: String,
    /// A format id; the UI names it from its catalogs.
    format: &'static str,
    items: Vec<PreviewItem>,
    problems: Vec<ProblemView>,
    /// Unreadable parts beyond those listed (`Problems::LISTED`).
    problems_left_out: usize,
    /// The file opened without a password: anyone who has it can make the codes, so the
    /// import dialog asks the user to delete it once imported.
    pub plaintext: bool,
}

/// A part of the file that could not be read: where, and why, as catalog sentences.
#[derive(Serialize, Clone)]
pub struct ProblemView {
    place: UiError,
    error: UiError,
}

/// What the import dialog shows of a preview: names and statuses, never keys.
pub fn preview_view(file: &str, format: &'static str, preview: &Preview) -> PreviewView {
    PreviewView {
        file: file.to_owned(),
        format,
        items: preview
            .items
            .iter()
            .map(|(e, s)| {
                let (status, other) = match s {
                    Status::New => ("new", None),
                    Status::SameKey(n) => ("same_key", Some(n.clone())),
                    Status::SameName(n) => ("same_name", Some(n.clone())),
                    Status::RepeatedInFile => ("repeated", None),
                };
                PreviewItem { issuer: e.issuer.clone(), account: e.account.clone(), kind: e.otp.method.type_name(), status, other }
            })
            .collect(),
        problems: preview.problems.iter().map(|p| ProblemView { place: (&p.place).into(), error: p.error.clone().into() }).collect(),
        problems_left_out: preview.problems.left_out,
        plaintext: false,
    }
}

/// The lock takes the page down with its dialogs: the preview (which holds keys) goes too.
pub fn follow(app: &AppHandle) {
    events::subscribe(app, |app, change| {
        if let Change::Locked(_) = change {
            app.state::<PendingImport>().forget();
        }
    });
}
