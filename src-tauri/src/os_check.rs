//! The OS's own user check (Touch ID or the login password, Windows Hello, polkit), behind
//! one function for every platform: robius-authentication does the platform's part.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Not set up or not reachable here (no polkit agent, no Windows Hello, no Touch ID
    /// and no password prompt): the passphrase is the way in.
    Unavailable,
    Canceled,
    Rejected,
}

impl Failure {
    /// The message's key under `errors.` in the catalogs.
    pub fn key(self) -> &'static str {
        match self {
            Failure::Unavailable => "os_check_unavailable",
            Failure::Canceled => "os_check_canceled",
            Failure::Rejected => "os_check_rejected",
        }
    }

    pub(crate) fn of(e: &robius_authentication::Error) -> Failure {
        use robius_authentication::Error::*;
        match e {
            UserCanceled | AppCanceled | SystemCanceled => Failure::Canceled,
            Authentication | Exhausted => Failure::Rejected,
            _ => Failure::Unavailable,
        }
    }
}

pub const NAME: &str = if cfg!(target_os = "macos") {
    "touch_id"
} else if cfg!(windows) {
    "windows_hello"
} else {
    "polkit"
};

/// The polkit action installed with the Linux packages
/// (src-tauri/linux/jp.ninsho.app.policy): the user's own password (`auth_self`).
pub const POLKIT_ACTION: &str = "jp.ninsho.app.unlock";

pub type Done = Box<dyn FnOnce(Result<(), Failure>) + Send>;

pub fn verify(reason: &str, done: Done) {
    use robius_authentication::{AndroidText, BiometricStrength, Context, PolicyBuilder, Text, WindowsText};
    let Some(policy) = PolicyBuilder::new().biometrics(Some(BiometricStrength::Strong)).password(true).action_ids([POLKIT_ACTION]).build() else {
        return done(Err(Failure::Unavailable));
    };
    let text = Text {
        android: AndroidText { title: reason, subtitle: None, description: None },
        apple: reason,
        windows: WindowsText::new_truncated("Ninsho", reason),
    };
    // robius calls back with `Fn`; the answer is given once.
    let done = std::sync::Mutex::new(Some(done));
    let answered = Context::new(()).authenticate(text, &policy, move |result| {
        if let Some(done) = done.lock().ok().and_then(|mut d| d.take()) {
            done(result.map_err(|e| Failure::of(&e)));
        }
    });
    if let Err(e) = answered {
        eprintln!("ninsho: the OS user check did not start: {e:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_check_failures_have_words() {
        use robius_authentication::Error;
        assert_eq!(Failure::of(&Error::UserCanceled), Failure::Canceled);
        assert_eq!(Failure::of(&Error::Authentication), Failure::Rejected);
        assert_eq!(Failure::of(&Error::Unavailable), Failure::Unavailable);
        for f in [Failure::Unavailable, Failure::Canceled, Failure::Rejected] {
            let key = format!("errors.{}", f.key());
            assert_ne!(crate::i18n::text("ja", &key), key);
            assert_ne!(crate::i18n::text("en", &key), key);
        }
    }
}
