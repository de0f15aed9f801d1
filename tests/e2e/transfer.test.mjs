// Import and export in the real app, choosing files in the real GTK file dialog (typed
// into with xdotool, as a keyboard user would), and moving accounts to a second "PC".
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Pc, ROOT, awaitFreshCode, digitsOnly, screenshot, textOf } from "./harness.mjs";

const SAMPLES = path.join(ROOT, "crates/cli/tests/samples");
const PASSWORD = "春の合言葉 2026";

/**
 * Waits for the native file dialog, gives it the keyboard (there is no window manager
 * under Xvfb to do that), then types a path into it and confirms.
 */
async function typeIntoFileDialog(b, file, { save = false } = {}) {
  let dialog;
  await b.waitUntil(
    () => {
      // By class: xdotool cannot match window names in Japanese.
      const ids = execFileSync("xdotool", ["search", "--onlyvisible", "--class", "."], { encoding: "utf8" }).trim().split("\n");
      const named = ids.map((id) => [Number(id), execFileSync("xdotool", ["getwindowname", id], { encoding: "utf8" }).trim()]);
      const others = named.filter(([, name]) => name !== "Ninsho" && name !== "").map(([id]) => id);
      dialog = others.length ? String(Math.max(...others)) : undefined;
      return Boolean(dialog);
    },
    { timeout: 10000, interval: 250, timeoutMsg: "no file dialog appeared" },
  );
  execFileSync("xdotool", ["windowfocus", "--sync", dialog]);
  await b.pause(500);
  // Open dialogs take a path after Ctrl+L; save dialogs in their name field.
  execFileSync("xdotool", ["key", "--clearmodifiers", save ? "ctrl+a" : "ctrl+l"]);
  await b.pause(300);
  execFileSync("xdotool", ["type", "--delay", "15", file]);
  await b.pause(300);
  execFileSync("xdotool", ["key", "Return"]);
}

async function openSettingsButton(b, name) {
  await b.$("header .icon-button.settings").click();
  await b.$(`dialog.settings-dialog button[name=${name}]`).click();
}

/** Settings → Import → the file in the file dialog → its password form appears. */
async function importEncrypted(b, file) {
  await b.$(".top").waitForExist({ timeout: 15000 });
  await openSettingsButton(b, "import");
  await b.$("dialog.import-dialog button.primary").click();
  await typeIntoFileDialog(b, file);
  await b.$("dialog.import-dialog input[name=file-password]").waitForExist({ timeout: 10000 });
}

async function run(pc, body) {
  try {
    await body(pc);
  } finally {
    await pc.quit();
  }
}

test("importing the extension's authenticator.txt shows a preview, then adds the new accounts", () =>
  run(new Pc({ lang: "ja_JP.UTF-8" }), async (pc) => {
    pc.cli("add", "--secret", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "--issuer", "Gitea", "--account", "bob@example.net");
    const b = await pc.launch();
    await b.$(".row").waitForExist({ timeout: 15000 });
    await openSettingsButton(b, "import");
    await b.$("dialog.import-dialog button.primary").click();
    await typeIntoFileDialog(b, path.join(SAMPLES, "authenticator.txt"));
    await b.$("dialog.import-dialog .preview").waitForExist({ timeout: 10000 });
    const preview = await textOf(b, "dialog.import-dialog");
    assert.match(preview, /登録済み（Gitea \(bob@example\.net\)）/);
    assert.match(preview, /ファイル内で重複/);
    assert.equal((await b.$$("dialog.import-dialog input[type=checkbox]:checked")).length, 7);
    await screenshot(b, "ja-light-import-preview");
    await b.$("dialog.import-dialog .dialog-actions button.primary").click();
    await b.waitUntil(async () => (await b.$$(".row")).length === 8, { timeout: 5000 });
    assert.equal(JSON.parse(pc.cli("--json", "list")).length, 8);
  }));

test("an encrypted extension backup asks for its password", () =>
  run(new Pc(), async (pc) => {
    const file = path.join(pc.dir, "enc.json");
    execFileSync(path.join(ROOT, "target/debug/ninsho"), ["convert", "--to", "authenticator-encrypted", "--export-password-env", "P", "-o", file, path.join(SAMPLES, "authenticator.json")], {
      env: { ...pc.env, P: PASSWORD },
    });
    const b = await pc.launch();
    await importEncrypted(b, file);
    await b.$("dialog.import-dialog input[name=file-password]").setValue("wrong");
    await b.$("dialog.import-dialog form button.primary").click();
    await b.waitUntil(async () => /password is wrong/.test((await textOf(b, "dialog.import-dialog .form-error")) ?? ""), { timeout: 10000 });
    await b.$("dialog.import-dialog input[name=file-password]").setValue(PASSWORD);
    await b.$("dialog.import-dialog form button.primary").click();
    await b.$("dialog.import-dialog .preview").waitForExist({ timeout: 10000 });
    await b.$("dialog.import-dialog .dialog-actions button.primary").click();
    await b.waitUntil(async () => (await b.$$(".row")).length === 4, { timeout: 5000 });
  }));

test("moving to another PC: export a Ninsho transfer file, import it there, same codes", async () => {
  const first = new Pc();
  const file = path.join(first.dir, "move.ninsho");
  first.cli("add", "--secret", "KRUGKIDROVUWG2ZAMJZG653O", "--issuer", "Payroll", "--account", "sato", "--label", "B-ID");
  await run(first, async (pc) => {
    const b = await pc.launch();
    await b.$(".row").waitForExist({ timeout: 15000 });
    await openSettingsButton(b, "export");
    await b.$("dialog.export-dialog input[name=export-password]").waitForExist({ timeout: 5000 });
    assert.equal(await b.$("dialog.export-dialog select").getValue(), "ninsho", "the encrypted transfer file is the default");
    await b.$("dialog.export-dialog input[name=export-password]").setValue(PASSWORD);
    await b.$("dialog.export-dialog input[name=export-password-again]").setValue(PASSWORD);
    await screenshot(b, "en-light-export");
    await b.$("dialog.export-dialog button.primary").click();
    await typeIntoFileDialog(b, file, { save: true });
    await b.waitUntil(() => existsSync(file), { timeout: 10000 });
  });
  assert.ok(!readFileSync(file).includes("Payroll"), "nothing readable in the transfer file");

  await run(new Pc(), async (pc) => {
    const b = await pc.launch();
    await importEncrypted(b, file);
    await b.$("dialog.import-dialog input[name=file-password]").setValue(PASSWORD);
    await b.$("dialog.import-dialog form button.primary").click();
    await b.$("dialog.import-dialog .preview").waitForExist({ timeout: 10000 });
    await b.$("dialog.import-dialog .dialog-actions button.primary").click();
    await b.$(".row").waitForExist({ timeout: 5000 });
    assert.equal(await textOf(b, ".row .primary"), "B-ID", "the label travelled too");
    await awaitFreshCode(b);
    assert.equal(digitsOnly(await b.$(".row .code").getText()), first.cli("code", "--secret", "KRUGKIDROVUWG2ZAMJZG653O").trim());
  });
});
