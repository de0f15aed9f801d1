//! The global shortcut on X11: a passive grab of the key on the root window, and a thread
//! that sleeps in `wait_for_event` until the X server sends the press. (The global-shortcut
//! plugin's X11 thread polls its connection every 50 ms instead: 20 wake-ups a second all
//! day, with the window hidden too, 7 of the app's 115 CPU ticks a minute while idle.)

use std::sync::{Arc, Mutex, PoisonError};

use global_hotkey::hotkey::{Code, HotKey, Modifiers};
use x11rb::connection::{Connection, RequestConnection};
use x11rb::errors::ReplyError;
use x11rb::protocol::xkb::{self, ConnectionExt as _};
use x11rb::protocol::xproto::{ConnectionExt as _, GrabMode, KeyButMask, Keycode, ModMask, Window};
use x11rb::protocol::{ErrorKind, Event};
use x11rb::rust_connection::RustConnection;
use xkeysym::{RawKeysym, key};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no X display: {0}")]
    NoDisplay(String),
    #[error("the key {0} cannot be a shortcut on X11")]
    UnsupportedKey(Code),
    #[error("no key on this keyboard types the key {0}")]
    NotOnKeyboard(Code),
    #[error("another application holds the shortcut")]
    Taken,
    #[error("the X server refused: {0}")]
    Refused(String),
    #[error("the shortcut's thread did not start: {0}")]
    Thread(String),
}

/// The modifiers a shortcut may use, as X11 reports them in a key event's state.
const SHORTCUT_MODIFIERS: [KeyButMask; 4] = [KeyButMask::SHIFT, KeyButMask::CONTROL, KeyButMask::MOD1, KeyButMask::MOD4];

/// X11 counts Caps Lock and Num Lock as modifiers: a grab names every combination of them,
/// or the shortcut stops working while one of them is on.
fn lock_combinations() -> [ModMask; 4] {
    [ModMask::from(0u16), ModMask::LOCK, ModMask::M2, ModMask::LOCK | ModMask::M2]
}

fn modifiers(mods: Modifiers) -> ModMask {
    let mut mask = ModMask::from(0u16);
    for (modifier, bit) in
        [(Modifiers::SHIFT, ModMask::SHIFT), (Modifiers::CONTROL, ModMask::CONTROL), (Modifiers::ALT, ModMask::M1), (Modifiers::SUPER, ModMask::M4)]
    {
        if mods.contains(modifier) {
            mask |= bit;
        }
    }
    mask
}

/// The key symbol a key types without Shift on a US layout; letters and digits are found
/// on any layout by what they type, so Ctrl+Shift+K is the key that types k.
fn keysym(code: Code) -> Option<RawKeysym> {
    // Runs of keys are named with their place in the run ("KeyK", "Digit7", "Numpad3",
    // "F12"), and their symbols are runs too.
    let name = code.to_string();
    let last = |prefix: &str| name.strip_prefix(prefix).filter(|rest| rest.len() == 1).and_then(|rest| rest.chars().next());
    if let Some(letter) = last("Key").filter(char::is_ascii_uppercase) {
        return Some(u32::from(letter.to_ascii_lowercase()));
    }
    if let Some(digit) = last("Digit").and_then(|d| d.to_digit(10)) {
        return Some(key::_0 + digit);
    }
    if let Some(digit) = last("Numpad").and_then(|d| d.to_digit(10)) {
        return Some(key::KP_0 + digit);
    }
    if let Some(n) = name.strip_prefix('F').and_then(|n| n.parse::<u32>().ok()).filter(|n| (1..=24).contains(n)) {
        return Some(key::F1 + n - 1);
    }
    Some(match code {
        Code::Backquote => key::grave,
        Code::Minus => key::minus,
        Code::Equal => key::equal,
        Code::BracketLeft => key::bracketleft,
        Code::BracketRight => key::bracketright,
        Code::Backslash => key::backslash,
        Code::Semicolon => key::semicolon,
        Code::Quote => key::apostrophe,
        Code::Comma => key::comma,
        Code::Period => key::period,
        Code::Slash => key::slash,
        Code::Space => key::space,
        Code::Enter => key::Return,
        Code::Tab => key::Tab,
        Code::Backspace => key::BackSpace,
        Code::Escape => key::Escape,
        Code::Insert => key::Insert,
        Code::Delete => key::Delete,
        Code::Home => key::Home,
        Code::End => key::End,
        Code::PageUp => key::Page_Up,
        Code::PageDown => key::Page_Down,
        Code::ArrowUp => key::Up,
        Code::ArrowDown => key::Down,
        Code::ArrowLeft => key::Left,
        Code::ArrowRight => key::Right,
        Code::PrintScreen => key::Print,
        Code::Pause => key::Pause,
        Code::NumpadAdd => key::KP_Add,
        Code::NumpadSubtract => key::KP_Subtract,
        Code::NumpadMultiply => key::KP_Multiply,
        Code::NumpadDivide => key::KP_Divide,
        Code::NumpadDecimal => key::KP_Decimal,
        Code::NumpadEnter => key::KP_Enter,
        _ => return None,
    })
}

/// The first key code whose row of the keyboard mapping holds `wanted` (any level: the
/// row of the K key holds both k and K).
fn find_keycode(first: Keycode, per_keycode: u8, keysyms: &[RawKeysym], wanted: RawKeysym) -> Option<Keycode> {
    if per_keycode == 0 {
        return None;
    }
    let row = keysyms.chunks(usize::from(per_keycode)).position(|row| row.contains(&wanted))?;
    first.checked_add(u8::try_from(row).ok()?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Grab {
    keycode: Keycode,
    mods: ModMask,
}

impl Grab {
    fn is_pressed_by(&self, keycode: Keycode, state: KeyButMask) -> bool {
        let held = SHORTCUT_MODIFIERS.iter().filter(|m| state.contains(**m)).fold(0u16, |bits, m| bits | u16::from(*m));
        keycode == self.keycode && held == u16::from(self.mods)
    }
}

pub struct Grabber {
    conn: Arc<RustConnection>,
    root: Window,
    current: Arc<Mutex<Option<Grab>>>,
}

impl Grabber {
    /// Connects to the X display and starts the thread that calls `on_press` for each press
    /// of the grabbed shortcut. The thread lives as long as the app.
    pub fn connect(on_press: impl Fn() + Send + 'static) -> Result<Self, Error> {
        let (conn, screen) = RustConnection::connect(None).map_err(|e| Error::NoDisplay(e.to_string()))?;
        let root = conn.setup().roots.get(screen).ok_or_else(|| Error::NoDisplay(format!("screen {screen} missing")))?.root;
        // A held key then repeats as presses without releases between them, so holding the
        // shortcut down counts once. Without XKB each repeat would show the window again,
        // which is harmless, so a server without it is not an error.
        if conn.extension_information(xkb::X11_EXTENSION_NAME).ok().flatten().is_some() {
            if let Ok(cookie) = conn.xkb_use_extension(1, 0) {
                let _ = cookie.reply();
            }
            let flag = xkb::PerClientFlag::DETECTABLE_AUTO_REPEAT;
            if let Ok(cookie) = conn.xkb_per_client_flags(xkb::ID::USE_CORE_KBD.into(), flag, flag, 0u32.into(), 0u32.into(), 0u32.into()) {
                let _ = cookie.reply();
            }
        }
        let conn = Arc::new(conn);
        let current = Arc::new(Mutex::new(None::<Grab>));
        let (listener, grabbed) = (Arc::clone(&conn), Arc::clone(&current));
        std::thread::Builder::new()
            .name("x11-shortcut".into())
            .spawn(move || {
                let mut held = false;
                while let Ok(event) = listener.wait_for_event() {
                    let grab = *grabbed.lock().unwrap_or_else(PoisonError::into_inner);
                    let Some(grab) = grab else { continue };
                    match event {
                        Event::KeyPress(e) if grab.is_pressed_by(e.detail, e.state) && !held => {
                            held = true;
                            on_press();
                        }
                        Event::KeyRelease(e) if e.detail == grab.keycode => held = false,
                        _ => {}
                    }
                }
            })
            .map_err(|e| Error::Thread(e.to_string()))?;
        Ok(Grabber { conn, root, current })
    }

    /// Grabs `shortcut` in place of the one grabbed before; if it cannot, the one before
    /// stays.
    pub fn grab(&self, shortcut: &HotKey) -> Result<(), Error> {
        let wanted = keysym(shortcut.key).ok_or(Error::UnsupportedKey(shortcut.key))?;
        let keycode = self.keycode(wanted)?.ok_or(Error::NotOnKeyboard(shortcut.key))?;
        let grab = Grab { keycode, mods: modifiers(shortcut.mods) };
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if *current == Some(grab) {
            return Ok(());
        }
        for locks in lock_combinations() {
            let checked = self
                .conn
                .grab_key(false, self.root, grab.mods | locks, keycode, GrabMode::ASYNC, GrabMode::ASYNC)
                .map_err(|e| Error::Refused(e.to_string()))
                .and_then(|cookie| {
                    cookie.check().map_err(|e| match e {
                        ReplyError::X11Error(e) if e.error_kind == ErrorKind::Access => Error::Taken,
                        e => Error::Refused(e.to_string()),
                    })
                });
            if let Err(e) = checked {
                self.ungrab(grab);
                return Err(e);
            }
        }
        if let Some(before) = current.replace(grab) {
            self.ungrab(before);
        }
        Ok(())
    }

    fn keycode(&self, wanted: RawKeysym) -> Result<Option<Keycode>, Error> {
        let setup = self.conn.setup();
        let (first, last) = (setup.min_keycode, setup.max_keycode);
        let mapping = self
            .conn
            .get_keyboard_mapping(first, last - first + 1)
            .map_err(|e| Error::Refused(e.to_string()))?
            .reply()
            .map_err(|e| Error::Refused(e.to_string()))?;
        Ok(find_keycode(first, mapping.keysyms_per_keycode, &mapping.keysyms, wanted))
    }

    fn ungrab(&self, grab: Grab) {
        for locks in lock_combinations() {
            if let Ok(cookie) = self.conn.ungrab_key(grab.keycode, self.root, grab.mods | locks) {
                cookie.ignore_error();
            }
        }
        let _ = self.conn.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shortcut(text: &str) -> HotKey {
        text.parse().unwrap()
    }

    #[test]
    fn keys_are_found_by_what_they_type() {
        assert_eq!(keysym(Code::KeyK), Some(u32::from(b'k')));
        assert_eq!(keysym(Code::Digit7), Some(u32::from(b'7')));
        assert_eq!(keysym(Code::F12), Some(key::F12));
        assert_eq!(keysym(Code::Numpad3), Some(key::KP_3));
        assert_eq!(keysym(Code::Quote), Some(u32::from(b'\'')));
        assert_eq!(keysym(Code::KeyA), Some(u32::from(b'a')));
        assert_eq!(keysym(Code::KeyZ), Some(u32::from(b'z')));
        assert_eq!(keysym(Code::Digit0), Some(u32::from(b'0')));
        assert_eq!(keysym(Code::F1), Some(key::F1));
        assert_eq!(keysym(Code::F24), Some(key::F24));
        assert_eq!(keysym(Code::Numpad0), Some(key::KP_0));
        assert_eq!(keysym(Code::Space), Some(key::space));
        assert_eq!(keysym(Code::Fn), None);
        assert_eq!(keysym(Code::F25), None);
        assert_eq!(keysym(Code::NumpadParenLeft), None);
    }

    #[test]
    fn modifiers_map_to_the_x11_bits() {
        assert_eq!(modifiers(shortcut("CommandOrControl+Shift+K").mods), ModMask::CONTROL | ModMask::SHIFT);
        assert_eq!(modifiers(shortcut("Alt+Super+K").mods), ModMask::M1 | ModMask::M4);
    }

    #[test]
    fn a_keycode_is_the_row_holding_the_symbol() {
        let rows = [key::Escape, 0, key::a, key::A, key::k, key::K];
        assert_eq!(find_keycode(8, 2, &rows, key::K), Some(10));
        assert_eq!(find_keycode(8, 2, &rows, key::k), Some(10));
        assert_eq!(find_keycode(8, 2, &rows, key::z), None);
        assert_eq!(find_keycode(8, 0, &rows, key::k), None);
        assert_eq!(find_keycode(255, 2, &rows, key::k), None, "past the last key code");
    }

    #[test]
    fn a_press_matches_with_lock_keys_on_but_not_with_other_modifiers() {
        let grab = Grab { keycode: 45, mods: ModMask::CONTROL | ModMask::SHIFT };
        let ctrl_shift = KeyButMask::CONTROL | KeyButMask::SHIFT;
        assert!(grab.is_pressed_by(45, ctrl_shift));
        assert!(grab.is_pressed_by(45, ctrl_shift | KeyButMask::LOCK | KeyButMask::MOD2), "Caps Lock and Num Lock on");
        assert!(!grab.is_pressed_by(45, ctrl_shift | KeyButMask::MOD1));
        assert!(!grab.is_pressed_by(45, KeyButMask::CONTROL));
        assert!(!grab.is_pressed_by(46, ctrl_shift));
    }

    fn press(keys: &str) {
        let status = std::process::Command::new("xdotool").args(["key", keys]).status().expect("xdotool runs");
        assert!(status.success());
    }

    #[test]
    fn a_grabbed_shortcut_is_pressed_taken_and_replaced_on_a_real_x_server() {
        use std::sync::mpsc;
        use std::time::Duration;
        assert!(std::env::var_os("DISPLAY").is_some(), "this test needs an X display: run it through scripts/test");
        let (pressed, presses) = mpsc::channel();
        let ninsho = Grabber::connect(move || {
            let _ = pressed.send(());
        })
        .unwrap();
        let other_app = Grabber::connect(|| {}).unwrap();

        ninsho.grab(&shortcut("Control+Shift+F9")).unwrap();
        assert!(matches!(other_app.grab(&shortcut("Control+Shift+F9")), Err(Error::Taken)));
        press("ctrl+shift+F9");
        presses.recv_timeout(Duration::from_secs(5)).expect("the press reached the grabber");

        ninsho.grab(&shortcut("Control+Shift+F10")).unwrap();
        other_app.grab(&shortcut("Control+Shift+F9")).expect("the shortcut before was let go");
        press("ctrl+shift+F9");
        assert!(presses.recv_timeout(Duration::from_millis(500)).is_err(), "the shortcut before no longer shows the window");
        press("ctrl+shift+F10");
        presses.recv_timeout(Duration::from_secs(5)).expect("the new shortcut reached the grabber");

        assert!(matches!(ninsho.grab(&shortcut("Control+Shift+F9")), Err(Error::Taken)));
        press("ctrl+shift+F10");
        presses.recv_timeout(Duration::from_secs(5)).expect("a refused shortcut leaves the one before grabbed");

        press("Caps_Lock");
        press("ctrl+shift+F10");
        let with_caps_lock = presses.recv_timeout(Duration::from_secs(5));
        press("Caps_Lock");
        with_caps_lock.expect("the shortcut works with Caps Lock on");
    }
}
