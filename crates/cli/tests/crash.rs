//! Kills `ninsho add` at random moments, hundreds of times, and checks after each batch
//! that the vault opens and holds every account whose save completed.

// Hundreds of killed processes: quick on Linux, many minutes under Wine, where the rename
// semantics differ from Windows anyway (see scripts/platform-check).
#![cfg(not(windows))]

mod common;

use std::collections::BTreeSet;
use std::process::Stdio;
use std::thread::sleep;
use std::time::Instant;

use common::{Env, json, ok, require_keyring};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

const ROUNDS: usize = 400;

fn stored(env: &Env) -> BTreeSet<String> {
    let list = json(env.run(&["--json", "list"]));
    list.as_array().unwrap().iter().map(|a| a["account"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn killed_saves_never_corrupt_or_lose_completed_accounts() {
    require_keyring();
    let env = Env::new();
    ok(env.run(&["add", "--secret", "JBSWY3DPEHPK3PXP", "--account", "seed"]));

    // Measure how long one add takes, spawned as below, so the kills can be spread over
    // its life; the save comes last, so the later part gets more of them.
    let spawn = |name: &str| {
        env.cmd().args(["add", "--secret", "JBSWY3DPEHPK3PXP", "--account", name]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap()
    };
    let start = Instant::now();
    for i in 0..10 {
        assert!(spawn(&format!("warm-{i}")).wait().unwrap().success());
    }
    let lifetime = start.elapsed() / 10;
    let tmp = env.dir.path().join("vault.ninsho.tmp");

    let mut rng = StdRng::seed_from_u64(7);
    let mut completed: BTreeSet<String> = stored(&env);
    let mut killed = BTreeSet::new();
    let mut mid_save = 0;
    let mut save_at = 0.9;
    for round in 0..ROUNDS {
        let name = format!("acct-{round}");
        let mut child = spawn(&name);
        // Even rounds: anywhere in the run. Odd rounds: around the moment the save seems to
        // happen, found by moving later after a kill that came too early and earlier after
        // a run that finished, so that many kills land inside the save itself.
        let fraction = if round % 2 == 0 { rng.random_range(0.0..1.2) } else { save_at * rng.random_range(0.95..1.05) };
        sleep(lifetime.mul_f64(fraction));
        let _ = child.kill();
        let finished = child.wait().unwrap().success();
        // A temporary file left behind means the kill landed inside the save itself.
        let inside = std::fs::remove_file(&tmp).is_ok();
        mid_save += usize::from(inside);
        if round % 2 == 1 && !inside {
            save_at = (save_at + if finished { -0.02 } else { 0.02 }).clamp(0.05, 1.5);
        }
        if finished {
            completed.insert(name);
        } else {
            killed.insert(name);
        }
        if round % 20 == 19 || round == ROUNDS - 1 {
            let now = stored(&env);
            let missing: Vec<_> = completed.difference(&now).collect();
            assert!(missing.is_empty(), "after round {round}: completed saves lost: {missing:?}");
        }
    }
    let now = stored(&env);
    let killed_saved = killed.intersection(&now).count();
    let killed_unsaved = killed.len() - killed_saved;
    eprintln!(
        "{ROUNDS} runs of ~{lifetime:?}: {} finished, {killed_saved} killed after their save landed, \
         {mid_save} killed inside the save, {killed_unsaved} killed before the save landed",
        ROUNDS - killed.len()
    );
    assert!(mid_save >= 5, "too few kills landed inside a save to prove anything");
}

/// With automatic backups on, kills land in the vault save and in the backup written after
/// it: the vault keeps every completed account, and every file in the backup folder that
/// looks like a backup is a complete one (half-written files have a hidden partial name).
#[test]
fn killed_changes_with_backups_on_leave_only_complete_backups() {
    require_keyring();
    let env = Env::new();
    let folder = env.dir.path().join("backups");
    std::fs::create_dir(&folder).unwrap();
    ok(env.run(&["add", "--secret", "JBSWY3DPEHPK3PXP", "--account", "seed"]));
    ok(env.cmd().args(["backup", "folder"]).arg(&folder).args(["--password-env", "BP"]).env("BP", "backup pass").output().unwrap());
    let spawn = |name: &str| {
        env.cmd().args(["add", "--secret", "JBSWY3DPEHPK3PXP", "--account", name]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap()
    };
    let start = Instant::now();
    for i in 0..5 {
        assert!(spawn(&format!("warm-{i}")).wait().unwrap().success());
    }
    let lifetime = start.elapsed() / 5;
    let mut rng = StdRng::seed_from_u64(11);
    let mut completed = stored(&env);
    for round in 0..120 {
        let name = format!("acct-{round}");
        let mut child = spawn(&name);
        sleep(lifetime.mul_f64(rng.random_range(0.5..1.2)));
        let _ = child.kill();
        if child.wait().unwrap().success() {
            completed.insert(name);
        }
    }
    let now = stored(&env);
    assert!(completed.is_subset(&now), "completed saves lost: {:?}", completed.difference(&now).collect::<Vec<_>>());
    let listed = json(env.run(&["--json", "backup", "list"]));
    let listed = listed.as_array().unwrap();
    assert!(listed.len() > 10, "backups were written: {}", listed.len());
    for backup in listed {
        assert!(backup["accounts"].is_u64(), "a file named as a backup does not open: {backup}");
    }
    let partial = std::fs::read_dir(&folder)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(".ninsho-backup-partial-"))
        .count();
    eprintln!("120 kills: {} backups kept, {partial} killed while writing a backup", listed.len());
    let newest = listed[0]["path"].as_str().unwrap();
    let inspected = ok(env.cmd().args(["inspect", newest, "--password-env", "BP"]).env("BP", "backup pass").output().unwrap());
    assert!(inspected.lines().count() >= completed.len() - 1, "the newest backup opens with the password alone");
}
