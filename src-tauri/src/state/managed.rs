//! The organization's settings over the user's: what the app works with, what the user may
//! save, and what Settings shows as managed.

use std::collections::BTreeMap;

use ninsho_core::policy::Policy;

use super::settings::Settings;

/// The settings the app works with: the user's, with every managed value put in.
pub fn effective(user: &Settings, policy: &Policy) -> Settings {
    let mut s = user.clone();
    if let Some(m) = &policy.clock_servers {
        s.clock_servers = m.value.clone();
    }
    if let Some(m) = &policy.clock_https_url {
        s.clock_https_url = m.value.clone();
    }
    if !policy.correction_allowed() {
        s.clock_correction = false;
    }
    if policy.lock_required() {
        s.lock_enabled = true;
    }
    s.lock_minutes = policy.lock_minutes(s.lock_minutes);
    if let Some(m) = &policy.update_check {
        s.update_check = m.value;
    }
    s
}

/// What the user may save: the new settings with every managed field left as it was
/// stored, so that the user's own choice comes back if the policy is lifted.
pub fn keep_managed(mut new: Settings, stored: &Settings, policy: &Policy) -> Settings {
    for field in managed(policy).keys() {
        match *field {
            "clock_servers" => new.clock_servers = stored.clock_servers.clone(),
            "clock_https_url" => new.clock_https_url = stored.clock_https_url.clone(),
            "clock_correction" => new.clock_correction = stored.clock_correction,
            "lock_enabled" => new.lock_enabled = stored.lock_enabled,
            "update_check" => new.update_check = stored.update_check,
            _ => {}
        }
    }
    new
}

/// Settings fields the organization manages, and who set each.
pub fn managed(policy: &Policy) -> BTreeMap<&'static str, String> {
    let mut fields = BTreeMap::new();
    let mut put = |field, source: Option<String>| {
        if let Some(source) = source {
            fields.insert(field, source);
        }
    };
    put("clock_servers", policy.clock_servers.as_ref().map(|m| m.source.to_string()));
    put("clock_https_url", policy.clock_https_url.as_ref().map(|m| m.source.to_string()));
    put("clock_correction", policy.clock_correction_allowed.as_ref().filter(|m| !m.value).map(|m| m.source.to_string()));
    put("lock_enabled", policy.lock_required.as_ref().filter(|m| m.value).map(|m| m.source.to_string()));
    put("lock_minutes", policy.lock_max_minutes.as_ref().map(|m| m.source.to_string()));
    put("auto_backup", policy.auto_backup_required.as_ref().filter(|m| m.value).map(|m| m.source.to_string()));
    put("auto_backup_folder", policy.auto_backup_folder.as_ref().map(|m| m.source.to_string()));
    put("update_check", policy.update_check.as_ref().map(|m| m.source.to_string()));
    let plaintext_forbidden = policy.plaintext_export_allowed.as_ref().filter(|m| !m.value);
    put("export", policy.export_formats.as_ref().map(|m| m.source.to_string()).or(plaintext_forbidden.map(|m| m.source.to_string())));
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use ninsho_core::policy::Report;

    fn policy(json: &str) -> Policy {
        let entries = ninsho_core::policy::Entries {
            source: ninsho_core::policy::Source("/etc/ninsho/policy.json".into()),
            values: ninsho_core::policy::json::parse(json.as_bytes()),
        };
        Report::from_sources(vec![entries], vec![]).policy
    }

    #[test]
    fn managed_values_replace_the_users_and_survive_a_save() {
        let p = policy(
            r#"{"clock_servers": ["ntp.corp.example"], "clock_correction_allowed": false, "lock_required": true, "lock_max_minutes": 10, "update_check": false}"#,
        );
        let user = Settings { clock_correction: true, lock_minutes: 30, update_check: false, ..Settings::default() };
        let eff = effective(&user, &p);
        assert_eq!(eff.clock_servers, ["ntp.corp.example"]);
        assert!(!eff.clock_correction && eff.lock_enabled);
        assert!(!eff.update_check, "IT deploys updates");
        assert_eq!(eff.lock_minutes, 10);
        assert_eq!(effective(&Settings { lock_minutes: 3, ..user.clone() }, &p).lock_minutes, 3, "a shorter timeout is the user's to choose");

        let from_ui = Settings {
            clock_servers: vec!["evil.example".into()],
            clock_correction: true,
            lock_enabled: false,
            update_check: true,
            theme: "dark".into(),
            ..eff
        };
        let saved = keep_managed(from_ui, &user, &p);
        assert_eq!(saved.clock_servers, user.clock_servers, "the user's own list is kept for when the policy goes");
        assert!(saved.clock_correction && !saved.lock_enabled);
        assert!(!saved.update_check, "the user's own choice is kept, not the page's");
        assert_eq!(saved.theme, "dark", "what is not managed is saved");
        assert_eq!(effective(&saved, &Policy::default()).clock_servers, user.clock_servers);
    }

    #[test]
    fn settings_show_who_manages_what() {
        let p = policy(r#"{"lock_required": true, "clock_correction_allowed": true, "export_formats": ["ninsho"]}"#);
        let m = managed(&p);
        assert_eq!(m.keys().copied().collect::<Vec<_>>(), ["export", "lock_enabled"], "allowing correction leaves it to the user");
        assert_eq!(m["lock_enabled"], "/etc/ninsho/policy.json");
        assert!(managed(&Policy::default()).is_empty());
    }
}
