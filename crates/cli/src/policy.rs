//! `ninsho policy`: the settings this PC's organization manages, where each comes from, and
//! every value that could not be used.

use anyhow::{Result, bail};
use ninsho_core::policy::{self, Managed, Policy, Report};
use serde::Serialize;

/// Each setting's name as the policy file spells it, and its value in words.
fn rows(p: &Policy) -> Vec<(&'static str, Option<(String, &policy::Source)>)> {
    fn show<T>(m: &Option<Managed<T>>, f: impl Fn(&T) -> String) -> Option<(String, &policy::Source)> {
        m.as_ref().map(|m| (f(&m.value), &m.source))
    }
    let yes_no = |b: &bool| if *b { "yes" } else { "no" }.to_owned();
    vec![
        ("clock_servers", show(&p.clock_servers, |v| v.join(", "))),
        ("clock_https_url", show(&p.clock_https_url, |v| if v.is_empty() { "(none: no HTTPS fallback)".into() } else { v.clone() })),
        ("clock_correction_allowed", show(&p.clock_correction_allowed, yes_no)),
        ("clock_correction_max_seconds", show(&p.clock_correction_max_seconds, |s| format!("{s} s"))),
        ("lock_required", show(&p.lock_required, yes_no)),
        ("lock_max_minutes", show(&p.lock_max_minutes, u32::to_string)),
        ("plaintext_export_allowed", show(&p.plaintext_export_allowed, yes_no)),
        ("export_formats", show(&p.export_formats, |v| v.join(", "))),
        ("auto_backup_required", show(&p.auto_backup_required, yes_no)),
        ("auto_backup_folder", show(&p.auto_backup_folder, String::clone)),
        ("update_check", show(&p.update_check, |b| if *b { "yes (users cannot turn it off)" } else { "no (IT deploys updates)" }.to_owned())),
        ("update_url", show(&p.update_url, String::clone)),
    ]
}

pub fn run(json: bool) -> Result<()> {
    let report = policy::load();
    if json {
        #[derive(Serialize)]
        struct Out<'a> {
            schema_version: u64,
            #[serde(flatten)]
            report: &'a Report,
            unknown_keys: Vec<&'a str>,
        }
        println!(
            "{}",
            serde_json::to_string_pretty(&Out { schema_version: policy::SCHEMA_VERSION, report: &report, unknown_keys: report.unknown_keys() })?
        );
        return Ok(());
    }
    let looked_at: Vec<String> = report.sources.iter().map(ToString::to_string).collect();
    if report.policy.is_empty() {
        println!("No setting is managed by an organization on this PC.");
    } else {
        println!("Managed by your organization (these cannot be changed in Ninsho):");
        for (name, row) in rows(&report.policy) {
            if let Some((value, source)) = row {
                println!("  {name:<26} {value}\n  {:<26} from {source}", "");
            }
        }
        let free: Vec<&str> = rows(&report.policy).into_iter().filter(|(_, r)| r.is_none()).map(|(n, _)| n).collect();
        if !free.is_empty() {
            println!("Left to the user: {}.", free.join(", "));
        }
    }
    if !report.problems.is_empty() {
        println!("Not applied:");
        for problem in &report.problems {
            println!("  {problem}");
        }
    }
    let unknown = report.unknown_keys();
    if !unknown.is_empty() {
        println!("Unknown keys: {}.", unknown.join(", "));
    }
    println!("Looked at: {}.", looked_at.join("; "));
    Ok(())
}

/// Refuses a change to a setting the organization manages, naming who set it.
pub fn refuse_if_managed<T>(setting: &str, managed: &Option<Managed<T>>) -> Result<()> {
    if let Some(m) = managed {
        bail!("{setting} is managed by your organization (set by {}); see `ninsho policy`", m.source);
    }
    Ok(())
}
