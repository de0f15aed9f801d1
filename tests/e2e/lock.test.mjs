// The app's lock and an organization's policy, in the real app: nothing of an account in
// the page while locked, unlocking with the vault passphrase, the idle timeout, and managed
// settings shown as such (in Japanese) and enforced.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { assertAccessible, onPc, screenshot, textOf } from "./harness.mjs";

const PASSPHRASE = "correct horse battery staple";
const NAMES = ["給与システム", "a-sato", "Wiki", "s.sato"];

/** A PC whose vault holds two accounts and has a passphrase. */
function withAccounts(pc) {
  pc.cli("add", "--secret", "JBSWY3DPEHPK3PXP", "--issuer", "給与システム", "--account", "a-sato");
  pc.cli("add", "--secret", "GEZDGNBVGY3TQOJQ", "--issuer", "Wiki", "--account", "s.sato");
  pc.cli("passphrase", "set", "--new-passphrase-env", "NEW_PASSPHRASE");
}

/** What a person or a screen reader could get from the page: its text and attributes. */
const pageText = (b) => b.execute(() => document.documentElement.outerHTML + document.body.innerText);

async function assertNothingShown(b, where) {
  const page = await pageText(b);
  for (const name of NAMES) assert.ok(!page.includes(name), `${where}: "${name}" is in the page while locked`);
  assert.equal((await b.$$(".row")).length, 0, where);
  assert.equal((await b.$$("dialog")).length, 0, `${where}: no dialog stays open`);
  const refused = await b.executeAsync((done) => window.__TAURI_INTERNALS__.invoke("list").then(() => done("listed"), (e) => done(e.key)));
  assert.equal(refused, "app_locked", `${where}: the list command is refused`);
}

async function unlock(b, passphrase) {
  await b.$("input[name=lock-passphrase]").setValue(passphrase);
  await b.$(".app-lock form button[type=submit]").click();
}

test("lock: starts locked, opens with the passphrase, locks on demand, with Ctrl+L over a dialog, and after a minute without use", () =>
  onPc({ settings: { lock_enabled: true, lock_minutes: 1 }, env: { NEW_PASSPHRASE: PASSPHRASE } }, async (pc) => {
    withAccounts(pc);
    const b = await pc.launch();
    await b.$(".app-lock").waitForExist({ timeout: 15000 });
    await assertNothingShown(b, "at start");
    assert.match(await textOf(b, ".app-lock"), /Ninsho is locked/);
    await assertAccessible(b, "lock screen");
    await screenshot(b, "lock-screen-en");

    // No OS check is reachable here (no system bus): the words say so, the passphrase works.
    await b.$("button[name=unlock-os]").click();
    await b.waitUntil(async () => /not available on this PC/.test((await textOf(b, ".app-lock .form-error")) ?? ""), { timeout: 10000 });
    await unlock(b, "wrong passphrase");
    await b.waitUntil(async () => /passphrase is wrong/.test((await textOf(b, ".app-lock .form-error")) ?? ""), { timeout: 15000 });
    assert.ok(await b.$(".app-lock").isExisting(), "a wrong passphrase does not open");
    await unlock(b, PASSPHRASE);
    await b.waitUntil(async () => (await b.$$(".row")).length === 2, { timeout: 15000 });

    await b.$("button[name=lock]").click();
    await b.$(".app-lock").waitForExist({ timeout: 5000 });
    await assertNothingShown(b, "after the Lock button");
    await unlock(b, PASSPHRASE);
    await b.waitUntil(async () => (await b.$$(".row")).length === 2, { timeout: 15000 });

    // Ctrl+L from inside Settings: the dialog goes with everything else.
    await b.$("button.settings").click();
    await b.$("dialog.settings-dialog").waitForExist({ timeout: 5000 });
    assert.match(await textOf(b, "dialog.settings-dialog"), /It adds no encryption/);
    await b.keys(["Control", "l"]);
    await b.$(".app-lock").waitForExist({ timeout: 5000 });
    await assertNothingShown(b, "after Ctrl+L");
    await unlock(b, PASSPHRASE);
    await b.waitUntil(async () => (await b.$$(".row")).length === 2, { timeout: 15000 });

    // A minute without use (the ticker checks every 5 s).
    const idleFrom = Date.now();
    await b.$(".app-lock").waitForExist({ timeout: 80000, interval: 1000 });
    const waited = (Date.now() - idleFrom) / 1000;
    assert.ok(waited >= 50 && waited <= 75, `locked after ${waited} s without use`);
    await assertNothingShown(b, "after a minute without use");
  }));

test("policy: managed settings in Japanese, the lock required, plaintext exports refused, and a changed policy applied while running", () =>
  onPc({ lang: "ja_JP.UTF-8", env: { NEW_PASSPHRASE: PASSPHRASE, GTK_THEME: "Adwaita:dark" } }, async (pc) => {
    withAccounts(pc);
    const policy = path.join(pc.dir, "policy.json");
    const managed = {
      version: 1,
      clock_servers: ["127.0.0.1:9"],
      clock_https_url: "",
      clock_correction_allowed: false,
      lock_required: true,
      lock_max_minutes: 10,
      plaintext_export_allowed: false,
      auto_backup_required: true,
      lock_requird: true,
    };
    writeFileSync(policy, JSON.stringify(managed));
    pc.env.NINSHO_POLICY_FILE = policy;
    const b = await pc.launch();
    // The user never turned the lock on; the organization requires it.
    await b.$(".app-lock").waitForExist({ timeout: 15000 });
    assert.match(await textOf(b, ".app-lock h1"), /ロックされています/);
    await assertAccessible(b, "lock screen, Japanese, dark");
    await screenshot(b, "lock-screen-ja-dark");
    await unlock(b, PASSPHRASE);
    await b.waitUntil(async () => (await b.$$(".row")).length === 2, { timeout: 15000 });
    // The backup state arrives just after the list.
    await b.$(".backup-banner").waitForExist({ timeout: 5000 });
    assert.match(await textOf(b, ".backup-banner"), /組織の方針により、自動バックアップが必要です/);

    await b.$("button.settings").click();
    const d = b.$("dialog.settings-dialog");
    await d.waitForExist({ timeout: 5000 });
    for (const name of ["clock_servers", "clock_https_url", "clock_correction", "lock_enabled"]) {
      const field = d.$(`[name=${name}]`);
      assert.equal(await field.isEnabled(), false, `${name} cannot be changed`);
      assert.match(await textOf(b, `#managed-${name}`), new RegExp(`組織によって管理されています（${policy.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}）`));
    }
    assert.equal(await d.$("[name=lock_enabled]").isSelected(), true);
    assert.equal(await d.$("[name=lock_minutes]").getAttribute("max"), "10");
    assert.match(await textOf(b, "#managed-lock_minutes"), /最長 10 分/);
    // The user reads Japanese; IT finds the precise message folded under it.
    const problems = await textOf(b, ".policy-problems");
    assert.match(problems, /設定「lock_requird」: この版の Ninsho にはない設定です。/);
    assert.doesNotMatch(problems, /is not a setting/, "the English detail is folded away");
    assert.match(await b.execute(() => document.querySelector(".policy-problems details code")?.textContent ?? ""), /"lock_requird" is not a setting this Ninsho knows/);
    assert.equal(await d.$("button[name=backup-off]").isDisplayed(), false);
    await d.$(".lock-group").scrollIntoView();
    await assertAccessible(b, "settings with managed values, Japanese, dark");
    await screenshot(b, "settings-managed-ja");

    // A save from the page cannot change a managed value.
    const saved = await b.executeAsync((done) =>
      window.__TAURI_INTERNALS__.invoke("app_info").then((info) =>
        window.__TAURI_INTERNALS__
          .invoke("save_settings", { settings: { ...info.settings, lock_enabled: false, clock_servers: ["evil.example"], clock_correction: true } })
          .then((next) => done(next.settings)),
      ),
    );
    assert.deepEqual([saved.lock_enabled, saved.clock_servers, saved.clock_correction], [true, ["127.0.0.1:9"], false]);
    await d.$(".dialog-actions button[type=button]").click();

    // Export: the plain formats are listed, greyed, and refused by the Rust side too.
    const formats = await b.executeAsync((done) => window.__TAURI_INTERNALS__.invoke("formats").then(done));
    assert.deepEqual(formats.filter((f) => !f.allowed).map((f) => f.encrypted), formats.filter((f) => !f.encrypted).map(() => false));
    const refused = await b.executeAsync((done) =>
      window.__TAURI_INTERNALS__.invoke("export", { format: "authenticator-txt", password: null, plaintext: true }).then(() => done("written"), (e) => done(e.key)),
    );
    assert.equal(refused, "export_plaintext_forbidden");

    // The organization lifts the lock: within the re-read interval the app follows.
    writeFileSync(policy, JSON.stringify({ ...managed, lock_required: false }));
    await b.waitUntil(async () => !(await b.$("button[name=lock]").isDisplayed()), { timeout: 45000, interval: 1000, timeoutMsg: "the lifted lock still shows its button" });
    // Backups no longer required: the banner goes with the next re-read, not with the next
    // backup.
    writeFileSync(policy, JSON.stringify({ ...managed, lock_required: false, auto_backup_required: false }));
    await b.waitUntil(async () => !(await b.$(".backup-banner").isExisting()), { timeout: 45000, interval: 1000, timeoutMsg: "the backups-required banner stayed after the policy dropped it" });
  }));
