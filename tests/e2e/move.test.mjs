// "別の PC へ移す…" in the real app, in Japanese: the entry in Settings, each destination's
// numbered steps, the exports they start through the real GTK save dialog, and a second
// "PC" importing the Ninsho file (and being told to delete a plain file it imported).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { assertAccessible, awaitFreshCode, CLI, digitsOnly, Pc, ROOT, screenshot, textOf, typeIntoFileDialog, withPc } from "./harness.mjs";

const SAMPLES = path.join(ROOT, "crates/cli/tests/samples");
const PASSWORD = "引っ越しの合言葉 2026";
const KEY = "KRUGKIDROVUWG2ZAMJZG653O";
const MOVE = "dialog.move-dialog";

// The words come from the catalog, so that the glossary can change them without this test;
// what the test checks is that each step is there, in its place, with its names filled in.
const CATALOG = JSON.parse(readFileSync(path.join(ROOT, "ui/src/i18n/ja.json"), "utf8"));
const ja = (key, params = {}) =>
  key.split(".").reduce((node, part) => node[part], CATALOG).replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
/** A button as the steps quote it: in brackets, without the "…" of a button that opens a dialog. */
const quoted = (key) => `［${ja(key).replace(/…$/, "")}］`;

function seed(pc) {
  pc.cli("add", "--secret", KEY, "--issuer", "給与システム", "--account", "a-sato@example.co.jp", "--label", "B-ID 経理");
  pc.cli("add", "--secret", "JBSWY3DPEHPK3PXP", "--issuer", "Gitea", "--account", "a-sato");
}

/** Clicks through the page: WebKitWebDriver's own clicks miss under page zoom (200 %). */
const press = async (b, selector) => b.execute((el) => el.click(), await b.$(selector));

async function openMove(b, shot) {
  await press(b, "header .icon-button.settings");
  await b.$("dialog.settings-dialog").waitForExist({ timeout: 5000 });
  if (shot) await screenshot(b, shot);
  const first = await b.execute(() => document.querySelector("dialog.settings-dialog fieldset.group button")?.getAttribute("name"));
  assert.equal(first, "move", "the move entry is the first button of Settings' first group");
  await press(b, "dialog.settings-dialog button[name=move]");
  await b.$(`${MOVE} .move-plan`).waitForExist({ timeout: 5000 });
}

async function choose(b, destination) {
  await press(b, `${MOVE} input[name=destination][value=${destination}]`);
  await b.waitUntil(async () => (await b.execute((sel) => document.querySelector(sel)?.dataset.destination, `${MOVE} .move-plan`)) === destination, { timeout: 3000 });
}

/** The steps of one side as the user reads them, one string per numbered item. */
function steps(b, side) {
  return b.execute((sel) => [...document.querySelectorAll(sel)].map((li) => li.innerText.trim()), `${MOVE} .move-side[data-side=${side}] ol > li`);
}

/** Pictures of the whole dialog: its top, then its body scrolled to the end. */
async function shots(b, name) {
  const body = `${MOVE} .dialog-body`;
  await b.execute((sel) => (document.querySelector(sel).scrollTop = 0), body);
  await screenshot(b, name);
  if (await b.execute((sel) => document.querySelector(sel).scrollHeight > document.querySelector(sel).clientHeight, body)) {
    await b.execute((sel) => (document.querySelector(sel).scrollTop = 1e6), body);
    await screenshot(b, `${name}-end`);
  }
}

test("別の PC へ移す: each destination's steps; the Ninsho file opens on a second PC with the same codes", async () => {
  const first = new Pc({ lang: "ja_JP.UTF-8" });
  // ASCII names: xdotool types into the GTK dialog key by key, and has no keys for kana.
  const file = path.join(first.dir, "accounts.ninsho");
  const extensionFile = path.join(first.dir, "authenticator.json");
  seed(first);
  await withPc(first, async (pc) => {
    const b = await pc.launch();
    await b.$(".row").waitForExist({ timeout: 15000 });
    await openMove(b, "ja-light-settings-move-entry");
    assert.equal(await textOf(b, `${MOVE} h2`), ja("move.title"));
    const options = await b.execute((sel) => [...document.querySelectorAll(sel)].map((l) => l.innerText.trim()), `${MOVE} .choice`);
    assert.deepEqual(options, [ja("move.ninsho.label"), ja("move.extension.label"), ja("move.phone.label")]);
    assert.equal(await b.$(`${MOVE} input[name=destination]:checked`).getValue(), "ninsho", "Ninsho on another PC comes first");

    // Ninsho on another PC: a password, the save, the carrying; then four steps there.
    let here = await steps(b, "here");
    assert.equal(here.length, 3);
    assert.ok(here[0].startsWith(ja("move.ninsho.here.password")), here[0]);
    assert.ok(here[0].includes(ja("transfer.password")), "the password is named by where it is typed again");
    assert.ok(here[1].includes(quoted("move.ninsho.button")), here[1]);
    assert.equal(here[2], ja("move.ninsho.here.carry"));
    let there = await steps(b, "there");
    assert.equal(there.length, 4);
    assert.ok(there[1].includes(`［${ja("header.settings")}］→${quoted("transfer.import")}→${quoted("transfer.import_choose")}`), there[1]);
    assert.equal(there[3], ja("move.ninsho.there.check"));
    assert.equal(await textOf(b, `${MOVE} .move-side[data-side=there] h3`), ja("move.ninsho.there_title"));
    await assertAccessible(b, "move, Ninsho");
    await shots(b, "ja-light-move-ninsho");

    // The extension: its own password-protected backup, named in its own menu's words.
    await choose(b, "extension");
    here = await steps(b, "here");
    assert.ok(here[0].includes(ja("transfer.password_extension")), here[0]);
    assert.ok(here[1].includes(quoted("move.extension.button")), here[1]);
    there = await steps(b, "there");
    assert.equal(there.length, 3);
    // The extension's own menu words (its _locales/ja/messages.json).
    assert.match(there[0], /［エクスポート\/インポート］から［バックアップのインポート］/);
    assert.match(there[1], /［バックアップファイルのインポート］/);
    await assertAccessible(b, "move, extension");
    await shots(b, "ja-light-move-extension");

    // The phone: QR codes on the screen, no file, no password; privacy first.
    await choose(b, "phone");
    here = await steps(b, "here");
    assert.equal(here.length, 2);
    assert.equal(here[0], ja("move.phone.here.private"));
    assert.ok(here[1].includes(quoted("move.phone.button")), here[1]);
    assert.equal((await b.$$(`${MOVE} input[name=export-password]`)).length, 0, "no password for the QR codes");
    there = await steps(b, "there");
    assert.match(there[0], /［アカウントを移行］→［アカウントをインポート］/);
    assert.ok(there[1].includes(quoted("transfer.qr_next")), there[1]);
    await assertAccessible(b, "move, phone");
    await shots(b, "ja-light-move-phone");

    // The phone's button shows the codes, with the phone's steps beside them.
    await press(b, `${MOVE} button[name=move-export]`);
    await b.$("dialog.qr-dialog img.qr").waitForExist({ timeout: 10000 });
    assert.equal(await b.$(MOVE).isExisting(), false, "the codes replace the move dialog");
    const qrSteps = await b.execute(() => [...document.querySelectorAll("dialog.qr-dialog .move-side ol > li")].length);
    assert.equal(qrSteps, 3);
    assert.match(await textOf(b, "dialog.qr-dialog .qr-step"), /^1 \/ 1$/);
    await assertAccessible(b, "move, phone, QR codes");
    await screenshot(b, "ja-light-move-phone-qr");
    await press(b, "dialog.qr-dialog .dialog-actions button:not(.primary)");

    // The extension's file: encrypted, and read back with its password.
    await openMove(b);
    await choose(b, "extension");
    await b.$(`${MOVE} input[name=export-password]`).setValue(PASSWORD);
    await b.$(`${MOVE} input[name=export-password-again]`).setValue(PASSWORD);
    await press(b, `${MOVE} button[name=move-export]`);
    await typeIntoFileDialog(b, extensionFile, { save: true });
    await b.waitUntil(() => existsSync(extensionFile), { timeout: 10000 });
    await b.waitUntil(async () => (await textOf(b, `${MOVE} .move-result`)) === ja("transfer.exported", { n: 2, file: extensionFile }), { timeout: 5000 });
    assert.ok(!readFileSync(extensionFile, "utf8").includes("Gitea"), "nothing readable in the extension's file");
    const inspected = execFileSync(CLI, ["inspect", extensionFile, "--password-env", "P"], { env: { ...pc.env, P: PASSWORD }, encoding: "utf8" });
    assert.match(inspected, /"issuer":"Gitea"/);

    // Ninsho: the passwords must match, then the file is saved where the user says.
    await choose(b, "ninsho");
    await b.$(`${MOVE} input[name=export-password]`).setValue(PASSWORD);
    await b.$(`${MOVE} input[name=export-password-again]`).setValue("ちがう合言葉");
    await press(b, `${MOVE} button[name=move-export]`);
    await b.waitUntil(async () => ((await textOf(b, `${MOVE} .form-error`)) ?? "").trim() === ja("errors.password_mismatch"), { timeout: 3000 });
    await b.$(`${MOVE} input[name=export-password-again]`).setValue(PASSWORD);
    await press(b, `${MOVE} button[name=move-export]`);
    await typeIntoFileDialog(b, file, { save: true });
    await b.waitUntil(() => existsSync(file), { timeout: 10000 });
    await b.waitUntil(async () => (await textOf(b, `${MOVE} .move-result`)) === ja("transfer.exported", { n: 2, file }), { timeout: 5000 });
    assert.equal((await steps(b, "there")).length, 4, "the other PC's steps stay in view after the save");
    await screenshot(b, "ja-light-move-ninsho-saved");

    // For other apps, the full export: its formats grouped by where the accounts go.
    await press(b, `${MOVE} button[name=other-formats]`);
    await b.$("dialog.export-dialog input[name=format]:checked").waitForExist({ timeout: 5000 });
    const groups = await b.execute(() =>
      [...document.querySelectorAll("dialog.export-dialog .choice-group")].map((g) => [
        g.querySelector(".choice-group-label").textContent,
        [...g.querySelectorAll("input")].map((r) => r.value),
      ]),
    );
    assert.deepEqual(groups, [
      [ja("transfer.format_groups.ninsho"), ["ninsho"]],
      [ja("transfer.format_groups.extension"), ["authenticator-encrypted", "authenticator-json", "authenticator-txt"]],
      [ja("transfer.format_groups.other"), ["aegis-encrypted", "2fas", "ente-encrypted", "aegis", "2fas-plain", "google-migration", "otpauth"]],
    ]);
    assert.equal(await b.$("dialog.export-dialog input[name=format]:checked").getValue(), "ninsho");
    await assertAccessible(b, "export, grouped");
    await screenshot(b, "ja-light-export-grouped");
  });
  const bytes = readFileSync(file);
  assert.ok(!bytes.includes("Gitea") && !bytes.includes(Buffer.from("給与")), "nothing readable in the transfer file");

  // The other PC: Settings → Import → the file → its password, named; the same codes.
  await withPc(new Pc({ lang: "ja_JP.UTF-8" }), async (pc) => {
    const b = await pc.launch();
    await b.$(".top").waitForExist({ timeout: 15000 });
    await press(b, "header .icon-button.settings");
    await press(b, "dialog.settings-dialog button[name=import]");
    await press(b, "dialog.import-dialog button.primary");
    await typeIntoFileDialog(b, file);
    await b.$("dialog.import-dialog input[name=file-password]").waitForExist({ timeout: 10000 });
    const form = await textOf(b, "dialog.import-dialog form");
    assert.ok(form.includes(ja("transfer.file_password")), form);
    assert.ok(form.includes(ja("transfer.file_password_hints.ninsho")), "the form says which password this is");
    await screenshot(b, "ja-light-move-import-password");
    await b.$("dialog.import-dialog input[name=file-password]").setValue(PASSWORD);
    await press(b, "dialog.import-dialog form button.primary");
    await b.$("dialog.import-dialog .preview").waitForExist({ timeout: 10000 });
    await press(b, "dialog.import-dialog .dialog-actions button.primary");
    await b.waitUntil(async () => (await b.$$(".row")).length === 2, { timeout: 5000 });
    assert.equal(await b.$("dialog.import-dialog").isExisting(), false, "an encrypted file needs no reminder: the dialog closes");
    const labels = await b.execute(() => [...document.querySelectorAll(".row .primary")].map((e) => e.textContent));
    assert.ok(labels.includes("B-ID 経理"), `the label travelled too (${labels})`);
    await awaitFreshCode(b);
    const codes = await b.execute(() => [...document.querySelectorAll(".row")].map((r) => [r.querySelector(".primary")?.textContent, r.querySelector(".code .digits")?.textContent]));
    const payroll = codes.find(([name]) => name === "B-ID 経理");
    assert.equal(digitsOnly(payroll[1]), pc.cli("code", "--secret", KEY).trim());

    // A plain authenticator.txt imported next: the dialog stays, saying to delete the file.
    await press(b, "header .icon-button.settings");
    await press(b, "dialog.settings-dialog button[name=import]");
    await press(b, "dialog.import-dialog button.primary");
    const plain = path.join(SAMPLES, "authenticator.txt");
    await typeIntoFileDialog(b, plain);
    await b.$("dialog.import-dialog .preview").waitForExist({ timeout: 10000 });
    await press(b, "dialog.import-dialog .dialog-actions button.primary");
    await b.$("dialog.import-dialog .plain-imported").waitForExist({ timeout: 5000 });
    const reminder = await textOf(b, "dialog.import-dialog .plain-imported");
    assert.ok(reminder.startsWith(ja("transfer.plain_imported_title")), reminder);
    assert.ok(reminder.includes(ja("transfer.plain_imported", { file: plain })), reminder);
    assert.match(reminder, /誰でも/, "it says why");
    assert.equal(await b.$("dialog.import-dialog .dialog-actions button.primary").isDisplayed(), false, "nothing left to import");
    await assertAccessible(b, "import, delete the plain file");
    await screenshot(b, "ja-light-import-plain-reminder");
    await press(b, "dialog.import-dialog .dialog-actions button");
    assert.equal(await b.$("dialog.import-dialog").isExisting(), false);
  });
});

test("別の PC へ移す at 200 % text, dark: every destination fits the window", () =>
  withPc(new Pc({ lang: "ja_JP.UTF-8", settings: { theme: "dark", text_size: 200 } }), async (pc) => {
    seed(pc);
    const b = await pc.launch();
    await b.$(".row").waitForExist({ timeout: 15000 });
    await b.waitUntil(async () => (await b.execute(() => window.innerWidth)) < 240, { timeout: 5000, timeoutMsg: "the page was not zoomed to 200 %" });
    await openMove(b);
    for (const destination of ["ninsho", "extension", "phone"]) {
      await choose(b, destination);
      const wide = await b.execute((sel) => {
        const d = document.querySelector(sel);
        return [...d.querySelectorAll("*")].filter((el) => el.getBoundingClientRect().right > d.getBoundingClientRect().right + 1).map((el) => `${el.tagName} ${el.textContent.slice(0, 20)}`);
      }, MOVE);
      assert.deepEqual(wide, [], `${destination}: nothing sticks out of the dialog`);
      const sideways = await b.execute((sel) => {
        const body = document.querySelector(sel);
        return body.scrollWidth > body.clientWidth + 1 ? `${body.scrollWidth} > ${body.clientWidth}` : null;
      }, `${MOVE} .dialog-body`);
      assert.equal(sideways, null, `${destination}: no sideways scrolling`);
      await shots(b, `ja-dark-text-200-move-${destination}`);
    }
  }));

test("別の PC へ移す, dark at 100 %: the steps read as well as in light", () =>
  withPc(new Pc({ lang: "ja_JP.UTF-8", settings: { theme: "dark" } }), async (pc) => {
    seed(pc);
    const b = await pc.launch();
    await b.$(".row").waitForExist({ timeout: 15000 });
    await openMove(b);
    for (const destination of ["ninsho", "extension", "phone"]) {
      await choose(b, destination);
      await assertAccessible(b, `move, dark, ${destination}`);
      await shots(b, `ja-dark-move-${destination}`);
    }
  }));
