//! The Microsoft Edge WebView2 Runtime, which draws the app's window on Windows. Where IT
//! removed it (or installed it for another account only), Tauri cannot create the window and
//! a release build, having no console, ends without a word; so before Tauri starts, a native
//! message in the user's language says what is missing and how to get it. macOS and Linux
//! ship their web view with the OS: nothing to check there.

/// Microsoft's download page for the runtime, offered by the message.
#[cfg(any(windows, test))]
const DOWNLOAD_PAGE: &str = "https://developer.microsoft.com/microsoft-edge/webview2/";

/// Returns when the runtime is there; otherwise tells the user, offers Microsoft's page and
/// ends the process with a failure code.
#[cfg(windows)]
pub fn ensure_available() {
    // wry asks WebView2Loader (GetAvailableCoreWebView2BrowserVersionString), the same
    // question Tauri asks before it creates a web view.
    if tauri::webview_version().is_ok() {
        return;
    }
    let language = crate::i18n::os_language(sys_locale::get_locale().as_deref());
    let [title, missing, how, open] = texts(language);
    eprintln!("ninsho: {}", sentences(language, &[&missing, &how]));
    if native::asks_yes(&title, &[missing, how, open].join("\n\n")) {
        native::open(DOWNLOAD_PAGE);
    }
    std::process::exit(1);
}

/// The message's title, what is missing, how to get it, and the question whether to open
/// Microsoft's page.
#[cfg(any(windows, test))]
fn texts(language: &str) -> [String; 4] {
    ["title", "missing", "how", "open"].map(|key| crate::i18n::text(language, &format!("webview2.{key}")).replace("{url}", DOWNLOAD_PAGE))
}

/// Sentences as one line: Japanese runs its sentences together after "。", English puts a
/// space between them.
#[cfg(any(windows, test))]
fn sentences(language: &str, parts: &[&str]) -> String {
    parts.join(if language == "ja" { "" } else { " " })
}

#[cfg(windows)]
mod native {
    use std::ptr::{null, null_mut};

    use windows_sys::Win32::System::Com::{COINIT_APARTMENTTHREADED, COINIT_DISABLE_OLE1DDE, CoInitializeEx};
    use windows_sys::Win32::UI::Shell::ShellExecuteW;
    use windows_sys::Win32::UI::WindowsAndMessaging::{IDYES, MB_ICONWARNING, MB_SETFOREGROUND, MB_YESNO, MessageBoxW, SW_SHOWNORMAL};

    fn wide(text: &str) -> Vec<u16> {
        text.encode_utf16().chain([0]).collect()
    }

    /// A Yes/No box with no owner window (the app has none yet); true for Yes.
    pub fn asks_yes(title: &str, body: &str) -> bool {
        let (title, body) = (wide(title), wide(body));
        // SAFETY: both strings are NUL-terminated UTF-16 that outlive the call.
        unsafe { MessageBoxW(null_mut(), body.as_ptr(), title.as_ptr(), MB_YESNO | MB_ICONWARNING | MB_SETFOREGROUND) == IDYES }
    }

    /// The page in the user's browser.
    pub fn open(url: &str) {
        let (verb, file) = (wide("open"), wide(url));
        // SAFETY: no reserved pointer; ShellExecute may hand the URL to a COM shell extension,
        // so COM is set up on this thread first, as its documentation asks. The strings are
        // NUL-terminated UTF-16 that outlive the call; the other arguments may be null.
        let result = unsafe {
            CoInitializeEx(null(), (COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE) as u32);
            ShellExecuteW(null_mut(), verb.as_ptr(), file.as_ptr(), null(), null(), SW_SHOWNORMAL)
        };
        // Values up to 32 are errors (the call's documented convention).
        if result as usize <= 32 {
            eprintln!("ninsho: the browser could not be opened at {url}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_the_runtime_and_the_page_in_both_languages() {
        for language in ["ja", "en"] {
            let [title, missing, how, open] = texts(language);
            assert!(title.contains("Ninsho"));
            assert!(missing.contains("Microsoft Edge WebView2"), "{missing}");
            assert!(how.contains(DOWNLOAD_PAGE) && how.contains("MSI"), "{how}");
            assert!(!open.is_empty());
        }
    }

    #[test]
    fn the_log_line_joins_sentences_as_each_language_does() {
        assert_eq!(sentences("ja", &["ありません。", "入れてください。"]), "ありません。入れてください。");
        assert_eq!(sentences("en", &["It is missing.", "Install it."]), "It is missing. Install it.");
    }
}
