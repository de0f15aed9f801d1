//! What a window's web view may load: the app's own page, once. A reload (F5 or Ctrl+R in
//! WebView2, the default context menu, a script) would run the page and its
//! initialization script again over whatever the app shows now, the lock screen included;
//! any other address would be a page Ninsho does not control with access to its commands.
//! Both are refused here, on the Rust side; new windows (`window.open`) too.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tauri::webview::{NewWindowResponse, PageLoadEvent};
use tauri::{Manager, Runtime, Url, WebviewWindowBuilder};

pub fn guarded<'a, R: Runtime, M: Manager<R>>(builder: WebviewWindowBuilder<'a, R, M>) -> WebviewWindowBuilder<'a, R, M> {
    let loaded = Arc::new(AtomicBool::new(false));
    let seen = loaded.clone();
    builder
        .on_navigation(move |url| {
            let allowed = may_load(url, seen.load(Ordering::SeqCst));
            if !allowed {
                eprintln!("ninsho: refused to load {}", url.scheme());
            }
            allowed
        })
        .on_page_load(move |_, payload| {
            if payload.event() == PageLoadEvent::Finished {
                loaded.store(true, Ordering::SeqCst);
            }
        })
        .on_new_window(|_, _| NewWindowResponse::Deny)
}

/// The first load of the app's own page, and nothing after it.
pub fn may_load(url: &Url, already_loaded: bool) -> bool {
    !already_loaded && is_app_page(url)
}

/// Tauri serves the app as `tauri://localhost` on Linux and macOS and as
/// `http://tauri.localhost` on Windows (WebView2 cannot register a custom scheme as secure).
fn is_app_page(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost") && url.port().is_none(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        s.parse().unwrap()
    }

    #[test]
    fn only_the_first_load_of_the_apps_own_page() {
        assert!(may_load(&url("tauri://localhost/"), false));
        assert!(may_load(&url("tauri://localhost/select.html"), false));
        assert!(may_load(&url("http://tauri.localhost/index.html"), false));
        assert!(!may_load(&url("tauri://localhost/"), true), "a reload");
        for other in [
            "https://example.com/",
            "http://tauri.localhost.example.com/",
            "http://tauri.localhost:8080/",
            "file:///etc/passwd",
            "file://server/share/x.html",
            "tauri://evil/",
            "javascript:alert(1)",
            "data:text/html,hi",
        ] {
            assert!(!may_load(&url(other), false), "{other}");
        }
    }
}
