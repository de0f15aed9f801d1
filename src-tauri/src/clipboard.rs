//! Codes on the clipboard. Each is marked for the OS as sensitive, so that clipboard
//! history, cloud clipboard and clipboard managers leave it out, which the timed clear
//! cannot reach: Windows excludes it from monitoring (history, cloud clipboard and
//! clipboard listeners), macOS gets `org.nspasteboard.ConcealedType` (the convention
//! clipboard managers follow; arboard has no way to ask for the current host only, so
//! Universal Clipboard may still carry a code to the user's own iPhone), Linux the
//! `x-kde-passwordManagerHint` target (Klipper, and GNOME's and others' managers that
//! follow it). A code is cleared after the set time, when the app locks and when it
//! quits, and only while the clipboard still holds it.

use std::sync::Mutex;

use zeroize::Zeroizing;

#[derive(Default)]
pub struct CodeClipboard(Mutex<Held>);

#[derive(Default)]
struct Held {
    /// On X11 the content is served by this object's thread: it must outlive the copy.
    clipboard: Option<arboard::Clipboard>,
    code: Option<Zeroizing<String>>,
    /// Counts copies, so a timer set for an earlier copy leaves a later one alone.
    copies: u64,
}

/// Which copy a scheduled clear is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copy(u64);

impl CodeClipboard {
    pub fn put(&self, code: &str) -> Result<Copy, arboard::Error> {
        let mut held = self.0.lock().expect("clipboard lock");
        let clipboard = match &mut held.clipboard {
            Some(c) => c,
            empty => empty.insert(arboard::Clipboard::new()?),
        };
        sensitive(clipboard.set()).text(code)?;
        held.code = Some(Zeroizing::new(code.to_owned()));
        held.copies += 1;
        Ok(Copy(held.copies))
    }

    /// Clears `copy` if it is still the last code copied and still on the clipboard.
    pub fn clear_if_still(&self, copy: Copy) {
        let mut held = self.0.lock().expect("clipboard lock");
        if held.copies == copy.0 {
            clear_ours(&mut held);
        }
    }

    /// Clears the last code copied, if the clipboard still holds it (lock and quit).
    pub fn clear_now(&self) {
        clear_ours(&mut self.0.lock().expect("clipboard lock"));
    }
}

/// Something the user copied after the code is never wiped.
fn clear_ours(held: &mut Held) {
    let Some(code) = held.code.take() else { return };
    if let Some(clipboard) = &mut held.clipboard
        && clipboard.get_text().ok().as_deref() == Some(code.as_str())
    {
        let _ = clipboard.clear();
    }
}

#[cfg(target_os = "linux")]
fn sensitive(set: arboard::Set<'_>) -> arboard::Set<'_> {
    use arboard::SetExtLinux;
    set.exclude_from_history()
}

/// Monitoring covers history and the cloud clipboard; arboard advises against adding
/// either flag beside it.
#[cfg(windows)]
fn sensitive(set: arboard::Set<'_>) -> arboard::Set<'_> {
    use arboard::SetExtWindows;
    set.exclude_from_monitoring()
}

#[cfg(target_os = "macos")]
fn sensitive(set: arboard::Set<'_>) -> arboard::Set<'_> {
    use arboard::SetExtApple;
    set.exclude_from_history()
}

#[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
fn sensitive(set: arboard::Set<'_>) -> arboard::Set<'_> {
    set
}
