// The security review's findings, each against the real app: a reload cannot repaint the
// list over the lock screen, the page navigates nowhere else, an organization's required
// lock holds without a passphrase, the page names no file to write or read, starting over
// is refused on a healthy vault, and a copied code is marked for the OS as sensitive and
// cleared when the app locks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { assertAccessible, awaitFreshCode, clipboard, digitsOnly, onPc, screenshot, textOf } from "./harness.mjs";

const PASSPHRASE = "correct horse battery staple";
const NAMES = ["給与システム", "a-sato", "Wiki", "s.sato"];

function withAccounts(pc, { passphrase = true } = {}) {
  pc.cli("add", "--secret", "JBSWY3DPEHPK3PXP", "--issuer", "給与システム", "--account", "a-sato");
  pc.cli("add", "--secret", "GEZDGNBVGY3TQOJQ", "--issuer", "Wiki", "--account", "s.sato");
  if (passphrase) pc.cli("passphrase", "set", "--new-passphrase-env", "NEW_PASSPHRASE");
}

/** A command called from the page, as a script in it could: `{ value }` or `{ refused }`
 *  (an "error" member would read to WebDriver as its own error). */
const invoke = (b, command, args = {}) =>
  b.executeAsync(
    (command, args, done) => window.__TAURI_INTERNALS__.invoke(command, args).then((value) => done({ value }), (e) => done({ refused: e.key ?? String(e) })),
    command,
    args,
  );

async function assertNothingShown(b, where) {
  const page = await b.execute(() => document.documentElement.outerHTML + document.body.innerText);
  for (const name of NAMES) assert.ok(!page.includes(name), `${where}: "${name}" is in the page while locked`);
  assert.equal((await b.$$(".row")).length, 0, where);
  assert.deepEqual(await invoke(b, "list"), { refused: "app_locked" }, `${where}: the list command is refused`);
}

/** The X clipboard's targets: what a clipboard manager reads to decide whether to keep it. */
function clipboardTargets() {
  try {
    return execFileSync("xclip", ["-selection", "clipboard", "-t", "TARGETS", "-o"], { encoding: "utf8", timeout: 3000 }).split("\n");
  } catch {
    return [];
  }
}

test("lock: a reload after the lock engaged paints no account, and the page loads no other address", () =>
  onPc({ settings: { lock_enabled: false }, env: { NEW_PASSPHRASE: PASSPHRASE } }, async (pc) => {
    withAccounts(pc);
    const b = await pc.launch();
    await b.waitUntil(async () => (await b.$$(".row")).length === 2, { timeout: 15000 });
    // The lock turned on after start, so the window was created with the list in hand.
    const info = await invoke(b, "app_info");
    assert.ok((await invoke(b, "save_settings", { settings: { ...info.value.settings, lock_enabled: true } })).value);
    assert.ok((await invoke(b, "lock_now")).value);
    await b.$(".app-lock").waitForExist({ timeout: 5000 });
    await assertNothingShown(b, "locked");

    await b.execute(() => window.location.reload());
    await b.pause(2000);
    await b.refresh().catch(() => {});
    await b.pause(2000);
    assert.ok(await b.$(".app-lock").isExisting(), "the lock screen stays");
    await assertNothingShown(b, "after a reload");

    // Another address: a page on this PC's loopback, which would see every command.
    let visits = 0;
    const server = http.createServer((_, res) => {
      visits += 1;
      res.end("<title>elsewhere</title>");
    });
    await new Promise((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${server.address().port}/`;
      await b.execute((u) => {
        window.location.href = u;
      }, url);
      await b.pause(2000);
      await b.execute((u) => window.open(u), url);
      await b.pause(1500);
      assert.equal(visits, 0, "nothing outside the app was loaded");
      assert.match(await b.execute(() => window.location.href), /^(tauri:\/\/localhost|http:\/\/tauri\.localhost)/);
      assert.equal((await b.getWindowHandles()).length, 1, "no new window");
    } finally {
      server.close();
    }
    await unlock(b);
    await b.waitUntil(async () => (await b.$$(".row")).length === 2, { timeout: 15000 });
  }));

async function unlock(b) {
  await b.$("input[name=lock-passphrase]").setValue(PASSPHRASE);
  await b.$(".app-lock form button[type=submit]").click();
}

test("policy: a required lock holds on a vault without a passphrase, with the OS check as the way in", () =>
  onPc({ lang: "ja_JP.UTF-8" }, async (pc) => {
    withAccounts(pc, { passphrase: false });
    const policy = path.join(pc.dir, "policy.json");
    writeFileSync(policy, JSON.stringify({ version: 1, lock_required: true }));
    pc.env.NINSHO_POLICY_FILE = policy;
    const b = await pc.launch();
    await b.$(".app-lock").waitForExist({ timeout: 15000 });
    await assertNothingShown(b, "at start");
    assert.match(await textOf(b, ".app-lock"), /組織の設定により、ロックは常にオンです/);
    assert.equal((await b.$$("input[name=lock-passphrase]")).length, 0, "no passphrase to ask for");
    assert.deepEqual(await invoke(b, "unlock_with_passphrase", { passphrase: "anything" }), { refused: "no_passphrase_slot" });
    await assertAccessible(b, "required lock without a passphrase, Japanese");
    await screenshot(b, "lock-required-no-passphrase-ja");
    // No polkit agent in this session: the OS check says so, and the lock stays.
    await b.$("button[name=unlock-os]").click();
    await b.waitUntil(async () => ((await textOf(b, ".app-lock .form-error")) ?? "").length > 0, { timeout: 10000 });
    await assertNothingShown(b, "after a failed OS check");
  }));

test("the page names no file: a folder, a backup or a vault to replace from the page is refused", () =>
  onPc({ env: { BP: "バックアップ 2026" } }, async (pc) => {
    withAccounts(pc, { passphrase: false });
    const folder = path.join(pc.dir, "backups");
    mkdirSync(folder);
    pc.cli("backup", "folder", folder, "--password-env", "BP");
    const b = await pc.launch();
    await b.waitUntil(async () => (await b.$$(".row")).length === 2, { timeout: 15000 });

    const elsewhere = path.join(pc.dir, "elsewhere");
    mkdirSync(elsewhere);
    // The folder the page names is not where a backup goes: the one the user picked in the
    // folder dialog is (none here), else the one in use.
    await invoke(b, "backup_enable", { folder: elsewhere, password: "another password" });
    assert.deepEqual(readdirSync(elsewhere), [], "nothing was written into a folder the page named");
    assert.equal((await invoke(b, "backup_status")).value.folder, folder, "backups stay where the user set them");

    const planted = path.join(elsewhere, "ninsho-backup-20260101-000000Z.ninsho");
    writeFileSync(planted, "NINSHO-VAULT\n");
    assert.deepEqual(await invoke(b, "restore_preview", { path: planted, password: null }), { refused: "backup_not_listed" });
    assert.deepEqual(await invoke(b, "restore_replace", { path: "/etc/passwd", password: null }), { refused: "backup_not_listed" });

    // Starting over is for a vault this PC cannot open, never for a healthy one.
    assert.deepEqual(await invoke(b, "recover_fresh"), { refused: "recover_not_needed" });
    assert.deepEqual(await invoke(b, "recover_from_backup", { latest: true, password: "バックアップ 2026" }), { refused: "recover_not_needed" });
    assert.ok(existsSync(pc.vault), "the vault is where it was");
    assert.equal(JSON.parse(pc.cli("--json", "list")).length, 2, "no account was lost");
    assert.deepEqual(readdirSync(pc.dir).filter((f) => f.includes("unreadable")), [], "nothing was set aside");
  }));

test("clipboard: a copied code is marked for clipboard managers to skip, and goes when the app locks", () =>
  onPc({ settings: { lock_enabled: true, clipboard_clear_seconds: 0 }, env: { NEW_PASSPHRASE: PASSPHRASE } }, async (pc) => {
    withAccounts(pc);
    const b = await pc.launch();
    await b.$(".app-lock").waitForExist({ timeout: 15000 });
    await unlock(b);
    await b.waitUntil(async () => (await b.$$(".row")).length === 2, { timeout: 15000 });
    await awaitFreshCode(b);
    const code = digitsOnly(await b.$(".row .code .digits").getText());
    await b.$(".row .code").click();
    await b.waitUntil(() => clipboard() === code, { timeout: 5000, timeoutMsg: `clipboard held "${clipboard()}"` });
    assert.ok(clipboardTargets().includes("x-kde-passwordManagerHint"), `targets: ${clipboardTargets().join(", ")}`);

    await b.$("button[name=lock]").click();
    await b.$(".app-lock").waitForExist({ timeout: 5000 });
    await b.waitUntil(() => clipboard() === "", { timeout: 5000, timeoutMsg: "the code stayed on the clipboard after the lock" });

    // Something the user copied afterwards is never wiped.
    await unlock(b);
    await b.waitUntil(async () => (await b.$$(".row")).length === 2, { timeout: 15000 });
    // xclip stays behind to serve what it copied: its output must not hold this process.
    execFileSync("xclip", ["-selection", "clipboard", "-i"], { input: "meeting notes", stdio: ["pipe", "ignore", "ignore"] });
    await b.$("button[name=lock]").click();
    await b.$(".app-lock").waitForExist({ timeout: 5000 });
    await b.pause(500);
    assert.equal(clipboard(), "meeting notes");
  }));

test("policy: no key shown where plaintext is forbidden, and backups set up earlier move to the organization's folder", () =>
  onPc({ env: { BP: "バックアップ 2026" } }, async (pc) => {
    withAccounts(pc, { passphrase: false });
    const own = path.join(pc.dir, "my-backups");
    const managed = path.join(pc.dir, "corp-backups");
    mkdirSync(own);
    pc.cli("backup", "folder", own, "--password-env", "BP");
    const policy = path.join(pc.dir, "policy.json");
    writeFileSync(policy, JSON.stringify({ version: 1, plaintext_export_allowed: false, auto_backup_folder: managed }));
    pc.env.NINSHO_POLICY_FILE = policy;
    const b = await pc.launch();
    await b.waitUntil(async () => (await b.$$(".row")).length === 2, { timeout: 15000 });

    const id = JSON.parse(pc.cli("--json", "list"))[0].id;
    assert.deepEqual(await invoke(b, "reveal", { id }), { refused: "export_plaintext_forbidden" });

    await b.waitUntil(async () => (await invoke(b, "backup_status")).value.folder === managed, {
      timeout: 10000,
      timeoutMsg: "backups stayed in the folder chosen before the policy",
    });
    await invoke(b, "backup_now");
    assert.equal(readdirSync(managed).filter((f) => f.startsWith("ninsho-backup-")).length, 1, "the next backup is written there");
  }));
