//! Scanning QR codes in the app: every screen (with Ninsho's own window out of the way),
//! a picture file (dialog or drag-and-drop) or the clipboard's image. What a code holds
//! stays here; the web view gets names and what kind of code it is (no code before the
//! account is stored), and adds an account by pointing at what was found.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ninsho_core::account::{Account, AccountDraft, Names};
use ninsho_core::backup::Preview;
use ninsho_core::backup::migration_payload::BatchCollector;
use ninsho_core::otp::uri::KeyUri;
use ninsho_core::qr::{self, PayloadKind, QrError, ScanOutcome, desktop, screen::CaptureError};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use zeroize::{Zeroize, Zeroizing};

use crate::account_view::AccountView;
use crate::adding::{self, AddInput};
use crate::error::UiError;
use crate::events::{self, Change};
use crate::file_dialogs::{self, file_dialog};
use crate::i18n::text;
use crate::import_preview::{PendingImport, PreviewView, preview_view};
use crate::navigation;
use crate::state::AppState;

/// What the last scan found, and the Google export codes collected so far.
#[derive(Default)]
pub struct PendingScan {
    found: Mutex<Found>,
    batches: Mutex<BatchCollector>,
    cancel: AtomicBool,
}

#[derive(Serialize, Clone)]
pub struct FoundView {
    /// Points at the payload kept here, for `scan_add`.
    index: usize,
    kind: PayloadKind,
    /// A setup code made for one vendor's own app: the page shows that app's guidance.
    for_another_app: bool,
    /// An account code: the names adding it would store. No code: a code shown before the
    /// account is stored was typed into the service's page and lost with the dialog.
    account: Option<ScannedAccount>,
    /// The stored account with the same key.
    already: Option<Names>,
    /// Why an account code cannot be added.
    problem: Option<UiError>,
    /// A web address without its query or fragment, so the user sees what they scanned;
    /// other texts are not sent (a bare key in a QR code is a secret too).
    text: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct ScannedAccount {
    issuer: String,
    account: String,
    label: String,
}

impl From<&Account> for ScannedAccount {
    fn from(a: &Account) -> Self {
        Self { issuer: a.issuer.clone(), account: a.account.clone(), label: a.label.clone() }
    }
}

#[derive(Serialize, Clone)]
pub struct MigrationView {
    scanned: usize,
    size: usize,
}

/// The payloads of one scan. Each scan has its own number: a picture dropped on the window
/// replaces what is kept while a dialog still shows the scan before, and Add there must
/// not store the dropped picture's account under the label typed for another.
#[derive(Default)]
struct Found {
    scan: u64,
    payloads: Vec<Zeroizing<String>>,
}

#[derive(Serialize, Clone)]
pub struct ScanView {
    /// Which scan this is, for `scan_add`.
    scan: u64,
    found: Vec<FoundView>,
    /// A code seems cut off at the edge of a screen.
    cut_off: bool,
    /// Google export codes: how many of the batch are in.
    migration: Option<MigrationView>,
    /// A complete Google export, previewed for import.
    import: Option<PreviewView>,
}

impl From<CaptureError> for UiError {
    fn from(e: CaptureError) -> Self {
        match e {
            CaptureError::PermissionDenied => UiError::new("scan_permission"),
            CaptureError::Wayland(detail) => UiError::new("scan_wayland").with("detail", detail),
            CaptureError::NoScreens => UiError::new("scan_no_screens"),
            CaptureError::Failed(detail) => UiError::new("scan_failed").with("detail", detail),
            CaptureError::Cancelled => UiError::new("scan_cancelled"),
        }
    }
}

impl From<QrError> for UiError {
    fn from(e: QrError) -> Self {
        match e {
            QrError::NotAnImage => UiError::new("scan_not_a_picture"),
            QrError::TooLarge(w, h) => UiError::new("scan_too_large").with("size", format!("{w}×{h}")),
        }
    }
}

/// Longer addresses are cut: they are shown only to tell the user what the code is.
const SHOWN_TEXT: usize = 120;

fn found_view(state: &AppState, index: usize, payload: &str, kind: PayloadKind) -> FoundView {
    let mut found = FoundView { index, kind, for_another_app: kind.is_for_another_app(), account: None, already: None, problem: None, text: None };
    match kind {
        PayloadKind::Account => match payload.parse::<KeyUri>() {
            Ok(uri) => {
                let draft = AccountDraft::from(uri);
                let time = state.now();
                let preview = Account::from_draft(draft, 0, time);
                found.already =
                    state.with_vault(|v| Ok(v.accounts().iter().find(|a| a.otp.secret == preview.otp.secret).map(Names::from))).ok().flatten();
                found.account = Some(ScannedAccount::from(&preview));
            }
            Err(e) => found.problem = Some(e.into()),
        },
        PayloadKind::WebAddress | PayloadKind::AppStore => {
            let address = payload.split(['?', '#']).next().unwrap_or_default();
            found.text = Some(address.chars().take(SHOWN_TEXT).collect());
        }
        // Another app's setup code holds its activation token: never shown.
        PayloadKind::Text | PayloadKind::Migration | PayloadKind::MicrosoftAuthenticator | PayloadKind::DuoMobile | PayloadKind::OktaVerify => {}
    }
    found
}

/// Keeps what was found and describes it; Google export codes go to the batch collector,
/// and a complete export becomes an import preview.
fn remember(app: &AppHandle, outcomes: Vec<ScanOutcome>) -> Result<ScanView, UiError> {
    let state = app.state::<AppState>();
    let pending = app.state::<PendingScan>();
    let mut kept = pending.found.lock().expect("scan lock");
    kept.scan += 1;
    kept.payloads.clear();
    let mut view = ScanView { scan: kept.scan, found: Vec::new(), cut_off: false, migration: None, import: None };
    let mut collector = pending.batches.lock().expect("scan lock");
    for outcome in outcomes {
        view.cut_off |= outcome.cut_off;
        for code in outcome.codes {
            if code.kind == PayloadKind::Migration {
                let progress = collector.add(&code.payload).map_err(|_| UiError::new("scan_migration_damaged"))?;
                view.migration = Some(MigrationView { scanned: progress.scanned, size: progress.size });
            }
            let index = kept.payloads.len();
            view.found.push(found_view(&state, index, &code.payload, code.kind));
            kept.payloads.push(code.payload);
        }
    }
    if view.migration.as_ref().is_some_and(|m| m.scanned >= m.size) {
        let parsed = std::mem::take(&mut *collector).finish();
        let preview = state.with_vault(|v| Ok(Preview::new(v.accounts(), parsed)))?;
        let label = text(state.language(), "scan.google_export");
        view.import = Some(preview_view(&label, "google-migration", &preview));
        view.migration = None;
        *app.state::<PendingImport>().0.lock().expect("import lock") = Some((label.into(), preview));
    }
    Ok(view)
}

/// Hides Ninsho's windows, captures and scans every screen, and shows the window again.
#[tauri::command]
pub async fn scan_screens(app: AppHandle) -> Result<ScanView, UiError> {
    app.state::<AppState>().lock.ensure_unlocked()?;
    let pending = app.state::<PendingScan>();
    pending.cancel.store(false, Ordering::Relaxed);
    let window = app.get_webview_window("main");
    let was_visible = window.as_ref().is_some_and(|w| w.is_visible().unwrap_or(false));
    if let Some(w) = &window {
        let _ = w.hide();
        // The compositor needs a moment to take the window off the screen.
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let handle = app.clone();
    let result = tauri::async_runtime::spawn_blocking(move || {
        let pending = handle.state::<PendingScan>();
        qr::screen::scan_screens(&pending.cancel)
    })
    .await
    .map_err(|e| UiError::new("scan_failed").with("detail", e))?;
    if let Some(w) = &window
        && was_visible
    {
        let _ = w.show();
        let _ = w.set_focus();
    }
    let scans = result?;
    remember(&app, scans.into_iter().map(|s| s.outcome).collect())
}

#[tauri::command]
pub fn scan_cancel(pending: State<'_, PendingScan>) {
    pending.cancel.store(true, Ordering::Relaxed);
}

/// Scans picture files together: the QR codes of a Google export photographed one by one
/// are collected into one preview. A file that is not a picture fails them all, named.
fn scan_files(app: &AppHandle, paths: &[PathBuf]) -> Result<ScanView, UiError> {
    let outcomes = paths
        .iter()
        .map(|path| {
            let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| UiError::io(path, &e))?);
            qr::scan_picture(&bytes).map_err(|e| UiError::from(e).with("path", path.display()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    remember(app, outcomes)
}

/// Asks for pictures (screenshots, or photos of a phone's export screen: one or several at
/// once) and scans them.
#[tauri::command]
pub async fn scan_picture(app: AppHandle, state: State<'_, AppState>) -> Result<Option<ScanView>, UiError> {
    state.lock.ensure_unlocked()?;
    let picked = file_dialogs::chosen_many(
        &app,
        file_dialog(&app, text(state.language(), "scan.picture_dialog"))
            .add_filter(text(state.language(), "scan.pictures"), &["png", "jpg", "jpeg", "PNG", "JPG", "JPEG"])
            .blocking_pick_files(),
    );
    if picked.is_empty() {
        return Ok(None);
    }
    tauri::async_runtime::spawn_blocking(move || scan_files(&app, &picked))
        .await
        .map_err(|e| UiError::new("scan_failed").with("detail", e))?
        .map(Some)
}

/// Scans the image on the clipboard (a screenshot copied with PrintScreen or ⌘⇧⌃4).
#[tauri::command]
pub async fn scan_clipboard(app: AppHandle) -> Result<ScanView, UiError> {
    app.state::<AppState>().lock.ensure_unlocked()?;
    let image = app.clipboard().read_image().map_err(|_| UiError::new("scan_no_clipboard_image"))?;
    let (width, height) = (image.width(), image.height());
    let mut rgba = image.rgba().to_vec();
    let outcome = tauri::async_runtime::spawn_blocking(move || {
        let outcome = qr::scan_rgba(&rgba, width, height);
        rgba.zeroize();
        outcome
    })
    .await
    .map_err(|e| UiError::new("scan_failed").with("detail", e))?;
    remember(&app, vec![outcome])
}

/// What a dropped picture held, or why it could not be read.
#[derive(Serialize, Clone)]
struct Dropped {
    view: Option<ScanView>,
    error: Option<UiError>,
}

/// Pictures dropped on the window: scanned together, and the result sent to the UI as an event.
pub fn dropped(app: &AppHandle, paths: &[PathBuf]) {
    if app.state::<AppState>().lock.is_locked() || paths.is_empty() {
        return;
    }
    let (app, paths) = (app.clone(), paths.to_vec());
    tauri::async_runtime::spawn_blocking(move || {
        let (view, error) = match scan_files(&app, &paths) {
            Ok(view) => (Some(view), None),
            Err(e) => (None, Some(e)),
        };
        let _ = app.emit("scan-dropped", Dropped { view, error });
    });
}

/// Adds the account scan `scan` found at `index`; refused once another scan replaced it.
#[tauri::command]
pub fn scan_add(app: AppHandle, pending: State<'_, PendingScan>, scan: u64, index: usize, label: String) -> Result<AccountView, UiError> {
    let payload = pending.found.lock().expect("scan lock").payload(scan, index).ok_or_else(|| UiError::new("scan_gone"))?;
    adding::add(&app, AddInput::Uri { uri: payload, label })
}

/// The lock takes the page down with its dialogs: what was scanned (keys) goes too.
pub fn follow(app: &AppHandle) {
    events::subscribe(app, |app, change| {
        if let Change::Locked(_) = change {
            app.state::<PendingScan>().forget();
        }
    });
}

/// Forgets what was scanned (the dialog closed).
#[tauri::command]
pub fn scan_forget(pending: State<'_, PendingScan>) {
    pending.forget();
}

impl PendingScan {
    /// Drops every scanned payload (they hold keys) and the export codes collected.
    pub fn forget(&self) {
        self.found.lock().expect("scan lock").payloads.clear();
        *self.batches.lock().expect("scan lock") = BatchCollector::default();
    }
}

impl Found {
    fn payload(&self, scan: u64, index: usize) -> Option<Zeroizing<String>> {
        if scan != self.scan {
            return None;
        }
        self.payloads.get(index).cloned()
    }
}

/// The rectangle the user is dragging in the "select an area" window, once released.
#[derive(Default)]
pub struct AreaSelection(Mutex<Option<tokio::sync::oneshot::Sender<Option<Area>>>>);

/// CSS pixels in the selection window, which covers one monitor exactly.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Area {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

/// The fallback when a scan found nothing: a transparent window over the monitor Ninsho
/// was on, where the user drags a rectangle around the code; that part of the screen is
/// then captured and read enlarged. `None` when the user pressed Esc.
#[tauri::command]
pub async fn scan_area(app: AppHandle) -> Result<Option<ScanView>, UiError> {
    app.state::<AppState>().lock.ensure_unlocked()?;
    let main = app.get_webview_window("main");
    let monitor = main
        .as_ref()
        .and_then(|w| w.current_monitor().ok().flatten())
        .or_else(|| app.primary_monitor().ok().flatten())
        .ok_or_else(|| UiError::from(CaptureError::NoScreens))?;
    let (position, size, scale) = (*monitor.position(), *monitor.size(), monitor.scale_factor());
    if let Some(w) = &main {
        let _ = w.hide();
    }
    let (sender, chosen) = tokio::sync::oneshot::channel();
    *app.state::<AreaSelection>().0.lock().expect("area lock") = Some(sender);
    // Placed in physical pixels once built: a logical position would be converted with the
    // scale of whichever monitor the window starts on, wrong on a mixed-DPI desk.
    let overlay = navigation::guarded(tauri::WebviewWindowBuilder::new(&app, "select", tauri::WebviewUrl::App("select.html".into())))
        .title("Ninsho")
        .visible(false)
        .decorations(false)
        .transparent(true)
        .always_on_top(true)
        .skip_taskbar(true)
        .resizable(false)
        .build()
        .and_then(|overlay| {
            let placed =
                overlay.set_position(position).and_then(|()| overlay.set_size(size)).and_then(|()| overlay.show()).and_then(|()| overlay.set_focus());
            match placed {
                Ok(()) => Ok(overlay),
                Err(e) => {
                    let _ = overlay.destroy();
                    Err(e)
                }
            }
        });
    let result = match overlay {
        Ok(overlay) => {
            let area = chosen.await.ok().flatten();
            let _ = overlay.destroy();
            match area {
                Some(a) => {
                    // The overlay must be off the screen before the capture.
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    let monitor = desktop::Monitor { x: position.x, y: position.y, scale };
                    let css = desktop::CssRect { x: a.x, y: a.y, width: a.width, height: a.height };
                    let (x, y, w, h) = desktop::capture_region(monitor, css, desktop::CaptureUnits::CURRENT);
                    tauri::async_runtime::spawn_blocking(move || qr::screen::scan_area(x, y, w, h))
                        .await
                        .map_err(|e| UiError::new("scan_failed").with("detail", e))
                        .and_then(|r| r.map_err(UiError::from))
                        .and_then(|outcome| remember(&app, vec![outcome]))
                        .map(Some)
                }
                None => Ok(None),
            }
        }
        Err(e) => Err(UiError::new("scan_failed").with("detail", e)),
    };
    if let Some(w) = &main {
        let _ = w.show();
        let _ = w.set_focus();
    }
    result
}

/// From the selection window: the rectangle, or `None` for Esc.
#[tauri::command]
pub fn area_chosen(selection: State<'_, AreaSelection>, area: Option<Area>) {
    if let Some(sender) = selection.0.lock().expect("area lock").take() {
        let _ = sender.send(area);
    }
}

/// The selection window's language, so its one instruction matches the app.
#[tauri::command]
pub fn area_language(state: State<'_, AppState>) -> &'static str {
    state.language()
}

/// Opens macOS's Screen Recording privacy pane, where the user allows Ninsho to capture.
#[tauri::command]
pub fn open_screen_recording_settings() -> Result<(), UiError> {
    #[cfg(target_os = "macos")]
    {
        std::process::Command::new("open")
            .arg("x-apple.systempreferences:com.apple.preference.security?Privacy_ScreenCapture")
            .spawn()
            .map_err(|e| UiError::new("scan_failed").with("detail", e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_points_into_the_scan_it_was_shown_for() {
        let found = Found { scan: 7, payloads: vec![Zeroizing::new("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP".into())] };
        assert!(found.payload(7, 0).is_some());
        assert_eq!(found.payload(7, 1), None, "no such index");
        assert_eq!(found.payload(6, 0), None, "a picture dropped meanwhile made scan 7: the card of scan 6 adds nothing");
    }
}
