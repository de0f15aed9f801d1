//! Where the open and save dialogs start: the folder last chosen in one of them, or else
//! Downloads, where browsers save the extension's `authenticator.txt`. The backup folder
//! picker starts in the backup folder already set, or else Documents.
//!
//! Left to itself GTK starts an open dialog in "Recent", where a typed path and Return were
//! seen to leave the dialog open (in three of four runs of the transfer tests); macOS and
//! Windows start in whatever folder they last showed, often unrelated to Ninsho.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};

/// The folder of the last file chosen in this run of the app.
#[derive(Default)]
pub struct LastFolder(Mutex<Option<PathBuf>>);

/// A file dialog with its title, starting in the right folder.
pub fn file_dialog<R: Runtime>(app: &AppHandle<R>, title: impl Into<String>) -> FileDialogBuilder<R> {
    let last = app.try_state::<LastFolder>().and_then(|l| l.0.lock().ok()?.clone());
    let paths = app.path();
    starting_in(app, title, [last, paths.download_dir().ok(), paths.home_dir().ok()])
}

/// A folder picker starting in the folder chosen before (the backup folder now set), else
/// Documents, where people look for a place to keep things.
pub fn folder_dialog<R: Runtime>(app: &AppHandle<R>, title: impl Into<String>, current: Option<PathBuf>) -> FileDialogBuilder<R> {
    let paths = app.path();
    starting_in(app, title, [current, paths.document_dir().ok(), paths.home_dir().ok()])
}

fn starting_in<R: Runtime>(app: &AppHandle<R>, title: impl Into<String>, candidates: [Option<PathBuf>; 3]) -> FileDialogBuilder<R> {
    let dialog = app.dialog().file().set_title(title);
    match start_folder(candidates, |p| p.is_dir()) {
        Some(folder) => dialog.set_directory(folder),
        None => dialog,
    }
}

/// The path of the file the user chose, if any, whose folder the next dialog starts in.
pub fn chosen<R: Runtime>(app: &AppHandle<R>, file: Option<FilePath>) -> Option<PathBuf> {
    chosen_many(app, file.map(|f| vec![f])).into_iter().next()
}

/// The paths of the files the user chose (none when the dialog was cancelled); the next
/// dialog starts in the folder of the first.
pub fn chosen_many<R: Runtime>(app: &AppHandle<R>, files: Option<Vec<FilePath>>) -> Vec<PathBuf> {
    let paths: Vec<PathBuf> = files.unwrap_or_default().into_iter().filter_map(|f| f.into_path().ok()).collect();
    if let (Some(state), Some(folder)) = (app.try_state::<LastFolder>(), paths.first().and_then(|p| p.parent()))
        && let Ok(mut last) = state.0.lock()
    {
        *last = Some(folder.to_path_buf());
    }
    paths
}

/// The first candidate folder that still exists (a USB stick chosen last may since have
/// been taken out).
fn start_folder(candidates: [Option<PathBuf>; 3], exists: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    candidates.into_iter().flatten().find(|p| exists(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<PathBuf> {
        Some(PathBuf::from(s))
    }

    #[test]
    fn the_last_folder_comes_first_then_downloads_then_home() {
        let all = |_: &Path| true;
        assert_eq!(start_folder([p("/media/usb"), p("/home/a/Downloads"), p("/home/a")], all), p("/media/usb"));
        assert_eq!(start_folder([None, p("/home/a/Downloads"), p("/home/a")], all), p("/home/a/Downloads"));
        assert_eq!(start_folder([None, None, p("/home/a")], all), p("/home/a"));
        assert_eq!(start_folder([None, None, None], all), None);
    }

    #[test]
    fn a_folder_that_has_gone_is_skipped() {
        let only_home = |p: &Path| p == Path::new("/home/a");
        assert_eq!(start_folder([p("/media/usb"), p("/home/a/Downloads"), p("/home/a")], only_home), p("/home/a"));
        assert_eq!(start_folder([p("/media/usb"), None, None], only_home), None);
    }
}
