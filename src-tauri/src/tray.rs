//! The tray / menu-bar icon: the accounts' names (pinned first), a click copies a code.

use tauri::image::Image;
use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Wry};
use uuid::Uuid;

use crate::events;
use crate::i18n::text;
use crate::state::AppState;
use crate::window::{show_main, show_search};

const TRAY_ID: &str = "main";

/// A menu taller than the screen scrolls on no desktop we ship for (the macOS menu bar cuts
/// it off with arrows, Windows with a slow scroll strip); past this many accounts the
/// rest are found through the window's search.
const MENU_ACCOUNTS: usize = 15;

/// Which accounts the menu lists, in display order (pinned first), and how many it leaves
/// to "more…". Pinned accounts beyond the limit are left out too: the limit is about the
/// menu's height, whatever the rows are.
fn menu_accounts<T>(accounts: Vec<T>) -> (Vec<T>, usize) {
    let hidden = accounts.len().saturating_sub(MENU_ACCOUNTS);
    let shown = accounts.into_iter().take(MENU_ACCOUNTS).collect();
    (shown, hidden)
}

/// The menu's rows above Show and Quit.
#[derive(Debug, PartialEq)]
enum Row {
    /// A line of text that cannot be clicked, by catalog key.
    Note(&'static str),
    Copy(Uuid, String),
    More(usize),
}

/// While the app is locked the menu names no account, whatever it is given.
fn rows(names: Vec<(Uuid, String)>, locked: bool) -> Vec<Row> {
    if locked {
        return vec![Row::Note("tray.locked")];
    }
    if names.is_empty() {
        return vec![Row::Note("tray.no_accounts")];
    }
    let (shown, hidden) = menu_accounts(names);
    let mut rows: Vec<Row> = shown.into_iter().map(|(id, name)| Row::Copy(id, name)).collect();
    if hidden > 0 {
        rows.push(Row::More(hidden));
    }
    rows
}

fn menu(app: &AppHandle) -> tauri::Result<Menu<Wry>> {
    let state = app.state::<AppState>();
    let lang = state.language();
    let menu = Menu::new(app)?;
    for row in rows(state.account_names(), state.lock.is_locked()) {
        let item = match row {
            Row::Note(key) => MenuItem::with_id(app, "note", text(lang, key), false, None::<&str>)?,
            Row::Copy(id, name) => MenuItem::with_id(app, format!("copy:{id}"), name, true, None::<&str>)?,
            Row::More(hidden) => MenuItem::with_id(app, "more", text(lang, "tray.more").replace("{n}", &hidden.to_string()), true, None::<&str>)?,
        };
        menu.append(&item)?;
    }
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&MenuItem::with_id(app, "show", text(lang, "tray.show"), true, None::<&str>)?)?;
    menu.append(&MenuItem::with_id(app, "quit", text(lang, "tray.quit"), true, None::<&str>)?)?;
    Ok(menu)
}

fn on_menu(app: &AppHandle, event: MenuEvent) {
    app.state::<AppState>().lock.touch_unless_locked();
    match event.id().as_ref() {
        "show" => show_main(app),
        "more" => show_search(app),
        "quit" => app.exit(0),
        id => {
            if let Some(uuid) = id.strip_prefix("copy:").and_then(|s| s.parse::<Uuid>().ok())
                && let Err(e) = crate::codes::copy(app, uuid)
            {
                eprintln!("ninsho: tray copy failed: {}", e.key);
            }
        }
    }
}

/// Windows users expect a left click on a tray icon to bring the window back and a right
/// click to open the menu; on macOS's menu bar (and Linux's indicators) a click opens the
/// menu, which has "Show" in it.
const LEFT_CLICK_SHOWS_WINDOW: bool = cfg!(windows);

fn on_icon(tray: &TrayIcon, event: TrayIconEvent) {
    if let TrayIconEvent::Click { button: MouseButton::Left, button_state: MouseButtonState::Up, .. } = event {
        show_main(tray.app_handle());
    }
}

/// Creates the icon; false where the desktop has no tray (some Linux sessions).
pub fn create(app: &AppHandle) -> bool {
    let lang = app.state::<AppState>().language();
    let built = menu(app).and_then(|menu| {
        let mut builder = TrayIconBuilder::with_id(TRAY_ID)
            .tooltip(text(lang, "tray.tooltip"))
            .menu(&menu)
            .show_menu_on_left_click(!LEFT_CLICK_SHOWS_WINDOW)
            .on_menu_event(on_menu);
        if LEFT_CLICK_SHOWS_WINDOW {
            builder = builder.on_tray_icon_event(on_icon);
        }
        if cfg!(target_os = "macos") {
            // The menu bar wants a template image: black and transparency, tinted by macOS
            // for light, dark and highlighted bars (icons/tray-template.svg).
            builder = builder.icon(Image::from_bytes(include_bytes!("../../icons/tray-template@2x.png"))?).icon_as_template(true);
        } else if let Some(icon) = app.default_window_icon() {
            builder = builder.icon(icon.clone());
        }
        builder.build(app)
    });
    match built {
        Ok(_) => true,
        Err(e) => {
            eprintln!("ninsho: no tray icon on this desktop: {e}");
            false
        }
    }
}

/// The menu follows the accounts, the lock and the language.
pub fn follow(app: &AppHandle) {
    events::subscribe(app, |app, change| {
        if change.concerns_tray() {
            refresh(app);
        }
    });
}

fn refresh(app: &AppHandle) {
    if let Some(tray) = app.tray_by_id(TRAY_ID)
        && let Ok(menu) = menu(app)
    {
        let _ = tray.set_menu(Some(menu));
        let _ = tray.set_tooltip(Some(text(app.state::<AppState>().language(), "tray.tooltip")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_menu_lists_the_first_accounts_and_counts_the_rest() {
        assert_eq!(menu_accounts(vec!["a", "b"]), (vec!["a", "b"], 0));
        let many: Vec<usize> = (0..300).collect();
        let (shown, hidden) = menu_accounts(many);
        assert_eq!(shown, (0..MENU_ACCOUNTS).collect::<Vec<_>>());
        assert_eq!(hidden, 300 - MENU_ACCOUNTS);
        assert_eq!(menu_accounts(Vec::<u8>::new()), (vec![], 0));
    }

    #[test]
    fn a_locked_menu_names_no_account() {
        let names = vec![(Uuid::nil(), "給与システム (a-sato)".to_owned())];
        assert_eq!(rows(names.clone(), true), [Row::Note("tray.locked")]);
        assert_eq!(rows(names, false), [Row::Copy(Uuid::nil(), "給与システム (a-sato)".into())]);
        assert_eq!(rows(vec![], false), [Row::Note("tray.no_accounts")]);
        let many: Vec<(Uuid, String)> = (0..20).map(|i| (Uuid::nil(), i.to_string())).collect();
        assert_eq!(rows(many, false).last(), Some(&Row::More(20 - MENU_ACCOUNTS)));
    }

    /// macOS treats a template image's colour as meaningless and tints only by alpha; a
    /// coloured or opaque pixel would show as a block in the menu bar.
    #[test]
    fn the_menu_bar_icon_is_a_template_image() {
        let icon = Image::from_bytes(include_bytes!("../../icons/tray-template@2x.png")).unwrap();
        assert_eq!((icon.width(), icon.height()), (44, 44), "22 points at 2x");
        let pixels: Vec<&[u8]> = icon.rgba().chunks(4).collect();
        assert!(pixels.iter().all(|p| p[..3] == [0, 0, 0]), "black only");
        let opaque = pixels.iter().filter(|p| p[3] > 128).count();
        let clear = pixels.iter().filter(|p| p[3] == 0).count();
        assert!(opaque > 44 * 44 / 4 && clear > 44 * 44 / 4, "a shape, not a block: {opaque} opaque, {clear} clear");
    }
}
