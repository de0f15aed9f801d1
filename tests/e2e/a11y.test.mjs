// Accessibility in the real app: axe-core on every screen in both languages and both
// themes, and a whole day's work done from the keyboard alone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { assertAccessible, awaitFreshCode, clipboard, digitsOnly, focusAppWindow, onPc, ROOT, screenshot, textOf, typeIntoFileDialog } from "./harness.mjs";

const SAMPLES = path.join(ROOT, "crates/cli/tests/samples");
const KEY = "KRUGKIDROVUWG2ZAMJZG653O";


function seed(pc) {
  pc.cli("add", "--secret", "JBSWY3DPEHPK3PXP", "--issuer", "給与システム", "--account", "a-sato@example.co.jp", "--label", "A-ID 経理");
  pc.cli("add", "--secret", "JBSWY3DPEHPK3PXQ", "--issuer", "勤怠管理", "--account", "b-sato@example.co.jp");
  pc.cli("add", "--secret", "GEZDGNBVGY3TQOJQ", "--issuer", "勤怠管理", "--account", "b-sato@example.co.jp");
}

/** Where the focus is, and whether a sighted keyboard user can see it. */
function focusState(b) {
  return b.execute(() => {
    const el = document.activeElement;
    const open = document.querySelector("dialog[open]");
    if (!el || el === document.body) return { ok: false, why: "focus is on the page itself", open: Boolean(open) };
    if (open && !open.contains(el)) return { ok: false, why: `focus is behind the open dialog, on ${el.outerHTML.slice(0, 80)}`, open: true };
    const style = getComputedStyle(el);
    const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const name = `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(" ").join(".")}` : ""}${el.name ? `[name=${el.name}]` : ""}`;
    return { ok: outlined, why: outlined ? "" : `no visible focus on ${name}`, open: Boolean(open), name };
  });
}

async function assertFocusVisible(b, where) {
  const state = await focusState(b);
  assert.ok(state.ok, `${where}: ${state.why}`);
  return state;
}

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`, checking on
 *  every stop that the focus is visible and inside the open dialog, if any. */
async function tabTo(b, selector, { back = false, max = 40 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await b.execute((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
    await b.keys(back ? ["Shift", "Tab"] : ["Tab"]);
    await assertFocusVisible(b, `tabbing to ${selector}`);
  }
  assert.fail(`Tab never reached ${selector}`);
}

/** From search (Ctrl+F), Tab to `control` and press Enter; returns when `dialog` is open. */
async function openByKeyboard(b, control, dialog, timeout = 5000) {
  await b.keys(["Control", "f"]);
  await tabTo(b, control);
  await b.keys(["Enter"]);
  await b.$(dialog).waitForExist({ timeout });
}

/** Tab to `control` inside the open dialog and press Enter; returns when `dialog` is open. */
async function pressInDialog(b, control, dialog) {
  await tabTo(b, control);
  await b.keys(["Enter"]);
  await b.$(dialog).waitForExist({ timeout: 5000 });
}

async function escCloses(b, dialogSelector) {
  await b.keys(["Escape"]);
  await b.waitUntil(async () => !(await b.$(dialogSelector).isExisting()), { timeout: 3000, timeoutMsg: `Esc did not close ${dialogSelector}` });
  await assertFocusVisible(b, `after closing ${dialogSelector}`);
}

for (const [lang, theme] of [
  ["en_US.UTF-8", "light"],
  ["en_US.UTF-8", "dark"],
  ["ja_JP.UTF-8", "light"],
  ["ja_JP.UTF-8", "dark"],
]) {
  test(`axe finds nothing serious on any screen (${lang.slice(0, 2)}, ${theme})`, () =>
    onPc({ lang, settings: { theme } }, async (pc) => {
      seed(pc);
      const b = await pc.launch();
      await b.$(".row").waitForExist({ timeout: 15000 });
      await assertAccessible(b, "list");

      await b.$("button.add").click();
      await b.$("dialog.add-dialog").waitForExist({ timeout: 5000 });
      await assertAccessible(b, "add, typed key");
      await b.$("button.tab:nth-child(2)").click();
      await assertAccessible(b, "add, URI");
      await b.$("button.tab:nth-child(1)").click();
      await b.$("input[name=issuer]").setValue("Wiki");
      await b.$("input[name=account]").setValue("s.sato");
      await b.$("input[name=secret]").setValue(KEY);
      await b.$("dialog.add-dialog button[type=submit]").click();
      await b.$("dialog.finish-dialog").waitForExist({ timeout: 5000 });
      await assertAccessible(b, "finish setup");
      await b.$("dialog.finish-dialog button.primary").click();

      await b.$(".row .edit").click();
      await b.$("dialog.edit-dialog").waitForExist({ timeout: 5000 });
      await assertAccessible(b, "edit");
      await b.$("dialog.edit-dialog button.danger").click();
      await b.$("dialog.delete-dialog").waitForExist({ timeout: 5000 });
      await assertAccessible(b, "delete confirmation");
      await b.keys(["Escape"]);
      await b.waitUntil(async () => !(await b.$("dialog[open]").isExisting()), { timeout: 3000 });

      await b.$("header .icon-button.settings").click();
      await b.$("dialog.settings-dialog").waitForExist({ timeout: 5000 });
      await assertAccessible(b, "settings");
      await b.$("dialog.settings-dialog button[name=export]").click();
      await b.$("dialog.export-dialog").waitForExist({ timeout: 5000 });
      await assertAccessible(b, "export");
      await b.keys(["Escape"]);
      await b.waitUntil(async () => !(await b.$("dialog[open]").isExisting()), { timeout: 3000 });

      await b.$("header .icon-button.settings").click();
      await b.$("dialog.settings-dialog button[name=import]").click();
      await b.$("dialog.import-dialog button.primary").click();
      await typeIntoFileDialog(b, path.join(SAMPLES, "authenticator.txt"));
      await b.$("dialog.import-dialog .preview").waitForExist({ timeout: 10000 });
      await assertAccessible(b, "import preview");
      await b.keys(["Escape"]);
      await b.waitUntil(async () => !(await b.$("dialog[open]").isExisting()), { timeout: 3000 });

      await b.$("header .icon-button.scan").click();
      await b.$("dialog.scan-dialog .dialog-actions button").waitForExist({ timeout: 15000 });
      await b.waitUntil(async () => !(await b.$("dialog.scan-dialog .spinner").isExisting()), { timeout: 15000 });
      await assertAccessible(b, "scan, nothing found");
      await screenshot(b, `a11y-${lang.slice(0, 2)}-${theme}-scan`);
      await b.keys(["Escape"]);
      await b.waitUntil(async () => !(await b.$("dialog[open]").isExisting()), { timeout: 3000 });

      // Toasts are checked too: the copy toast as the app shows it, and an error toast's
      // colours (no command fails on demand here, so one is put in the toast area with the
      // app's own classes and a real message).
      await b.$(".row .code").click();
      await b.$(".toast").waitForExist({ timeout: 5000 });
      await assertAccessible(b, "copy toast");
      await b.execute(() => {
        const item = document.createElement("div");
        item.className = "toast toast-error";
        item.textContent = document.documentElement.lang === "ja" ? "クリップボードにコピーできませんでした。もう一度お試しください。" : "The code could not be copied to the clipboard. Try again.";
        document.querySelector(".toasts")?.appendChild(item);
      });
      await assertAccessible(b, "error toast");
      await screenshot(b, `a11y-${lang.slice(0, 2)}-${theme}-error-toast`);
    }));
}

test("a day's work from the keyboard alone: add, finish, copy, rename, reorder, every dialog, import, the global shortcut", () =>
  onPc({ settings: { clipboard_clear_seconds: 0 } }, async (pc) => {
    pc.cli("add", "--secret", "JBSWY3DPEHPK3PXP", "--issuer", "Payroll", "--account", "first@example.com");
    const b = await pc.launch();
    await b.$(".row").waitForExist({ timeout: 15000 });
    // Any mouse or pointer event the page receives fails the test at the end.
    await b.execute(() => {
      window.__mouse = 0;
      for (const type of ["mousedown", "mouseup", "pointerdown", "pointerup"]) document.addEventListener(type, () => (window.__mouse += 1), true);
    });
    await assertFocusVisible(b, "at start (search)");

    // Ctrl+N: add by typed key, submitted with Enter.
    await b.keys(["Control", "n"]);
    await b.$("dialog.add-dialog").waitForExist({ timeout: 5000 });
    assert.equal((await assertFocusVisible(b, "add dialog")).name, "input[name=issuer]");
    await b.keys("Wiki");
    await b.keys(["Tab"]);
    await b.keys("s.sato");
    await b.keys(["Tab"]);
    await b.keys(KEY);
    await b.keys(["Enter"]);
    await b.$("dialog.finish-dialog").waitForExist({ timeout: 5000 });
    await assertFocusVisible(b, "finish setup");
    await b.keys(["Enter"]);
    await b.waitUntil(async () => (await b.$$(".row")).length === 2, { timeout: 5000 });
    await b.waitUntil(async () => !(await b.$("dialog[open]").isExisting()), { timeout: 3000 });
    await assertFocusVisible(b, "after finishing setup");

    // Into the list, copy the selected code with Enter.
    await b.keys(["Control", "f"]);
    await tabTo(b, "button.code");
    await awaitFreshCode(b);
    await b.keys(["Home"]);
    const first = await b.execute(() => document.activeElement.closest(".row").dataset.id);
    const code = digitsOnly(await b.execute(() => document.activeElement.querySelector(".digits").textContent));
    await b.keys(["Enter"]);
    await b.waitUntil(() => clipboard() === code, { timeout: 5000, timeoutMsg: `clipboard held "${clipboard()}"` });
    assert.equal(await b.execute(() => document.activeElement.querySelector(".sr-only").textContent.split(": ").pop().replace(/\D/g, "")), code, "the code's name is its digits");

    // Rename: E opens the editor on the focused row; Enter saves.
    await b.keys(["e"]);
    await b.$("dialog.edit-dialog").waitForExist({ timeout: 5000 });
    assert.equal((await assertFocusVisible(b, "edit dialog")).name, "input[name=label]");
    await b.keys("A-ID");
    await b.keys(["Enter"]);
    await b.waitUntil(async () => (await textOf(b, `.row[data-id="${first}"] .primary`)) === "A-ID", { timeout: 5000 });
    await b.waitUntil(async () => !(await b.$("dialog[open]").isExisting()), { timeout: 3000 });

    // Reorder with Alt+↓: the renamed account moves second, in the app and for the CLI.
    await b.keys(["Control", "f"]);
    await tabTo(b, "button.code");
    await b.keys(["Home"]);
    await b.keys(["Alt", "ArrowDown"]);
    await b.waitUntil(async () => (await b.execute(() => document.querySelectorAll(".row")[1]?.dataset.id)) === first, { timeout: 5000 });
    assert.match(JSON.parse(pc.cli("--json", "list"))[1].label, /A-ID/);
    await assertFocusVisible(b, "after reordering");

    // Every dialog opens from the keyboard and closes with Esc.
    await openByKeyboard(b, "header .icon-button.settings", "dialog.settings-dialog");
    await assertFocusVisible(b, "settings");
    await escCloses(b, "dialog.settings-dialog");
    await openByKeyboard(b, "header .icon-button.scan", "dialog.scan-dialog", 15000);
    await b.waitUntil(async () => !(await b.$("dialog.scan-dialog .spinner").isExisting()), { timeout: 15000 });
    await assertFocusVisible(b, "scan");
    await escCloses(b, "dialog.scan-dialog");
    await openByKeyboard(b, "header .icon-button.settings", "dialog.settings-dialog");
    await pressInDialog(b, "dialog.settings-dialog button[name=export]", "dialog.export-dialog");
    await assertFocusVisible(b, "export");
    await escCloses(b, "dialog.export-dialog");

    // Import: the file dialog is typed into; the preview's Import button is reached by Tab.
    await openByKeyboard(b, "header .icon-button.settings", "dialog.settings-dialog");
    await pressInDialog(b, "dialog.settings-dialog button[name=import]", "dialog.import-dialog");
    await assertFocusVisible(b, "import");
    await b.keys(["Enter"]);
    await typeIntoFileDialog(b, path.join(SAMPLES, "authenticator.txt"));
    await b.$("dialog.import-dialog .preview").waitForExist({ timeout: 10000 });
    focusAppWindow();
    await tabTo(b, "dialog.import-dialog .dialog-actions button.primary");
    await b.keys(["Enter"]);
    // The file had no password: the reminder to delete it takes the focus, on Close.
    await b.$("dialog.import-dialog .plain-imported").waitForExist({ timeout: 5000 });
    await assertFocusVisible(b, "the reminder to delete the imported file");
    await b.keys(["Enter"]);
    await b.waitUntil(async () => !(await b.$("dialog.import-dialog").isExisting()), { timeout: 3000 });
    await b.waitUntil(async () => (await b.$$(".row")).length > 2, { timeout: 5000 });
    await assertFocusVisible(b, "after importing");

    // The global shortcut, pressed on the X server, lands in search.
    await b.keys(["Control", "f"]);
    await tabTo(b, "button.code");
    execFileSync("xdotool", ["key", "--clearmodifiers", "ctrl+shift+k"]);
    await b.waitUntil(() => b.execute(() => document.activeElement?.matches("input.search") ?? false), {
      timeout: 5000,
      timeoutMsg: "the global shortcut did not focus search",
    });

    assert.equal(await b.execute(() => window.__mouse), 0, "no mouse event reached the page");
  }));

/** Elements whose content is cut off: wider than a box that clips or scrolls sideways,
 *  and the page itself wider than the window. */
function clipped(b) {
  return b.execute(() => {
    const cut = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1) cut.push(`the page (${document.documentElement.scrollWidth} > ${window.innerWidth})`);
    for (const el of document.querySelectorAll("body *")) {
      if (!el.getClientRects().length || el.closest(".sr-only")) continue;
      const style = getComputedStyle(el);
      if (style.overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1) {
        // Name the widest child too: that is what does not fit.
        const right = el.getBoundingClientRect().right;
        const widest = [...el.querySelectorAll("*")].filter((c) => c.getBoundingClientRect().right > right + 1).pop();
        const name = (n) => `${n.tagName.toLowerCase()}.${String(n.className).split(" ").join(".")} "${(n.textContent ?? "").trim().slice(0, 30)}"`;
        cut.push(`${name(el)}${widest ? ` by ${name(widest)}` : ""}`);
      }
    }
    return cut;
  });
}

test("at 200 % text size nothing is cut off: the list, Add and Settings (ja)", () =>
  onPc({ lang: "ja_JP.UTF-8", settings: { text_size: 200 } }, async (pc) => {
    seed(pc);
    pc.cli("add", "--secret", "MFRGGZDFMZTWQ2LK", "--issuer", "とても長い名前の社内ポータルサービス", "--account", "administrator-account@example.co.jp");
    const b = await pc.launch();
    await b.$(".row").waitForExist({ timeout: 15000 });
    await b.waitUntil(async () => (await b.execute(() => window.innerWidth)) < 240, { timeout: 5000, timeoutMsg: "the page was not zoomed to 200 %" });
    assert.deepEqual(await clipped(b), [], "list");
    await screenshot(b, "ja-light-text-200-main");
    // WebKitWebDriver clicks miss under page zoom; the keyboard opens the dialogs here.
    await b.keys(["Control", "n"]);
    await b.$("dialog.add-dialog").waitForExist({ timeout: 5000 });
    assert.deepEqual(await clipped(b), [], "add");
    await screenshot(b, "ja-light-text-200-add");
    await b.keys(["Escape"]);
    await b.execute((el) => el.focus(), await b.$("header .icon-button.settings"));
    await b.keys(["Enter"]);
    await b.$("dialog.settings-dialog").waitForExist({ timeout: 5000 });
    assert.deepEqual(await clipped(b), [], "settings");
    await screenshot(b, "ja-light-text-200-settings");
    await b.keys(["Escape"]);
    // Ctrl with − steps the size down and remembers it.
    await b.keys(["Control", "-"]);
    await b.waitUntil(async () => (await b.execute(() => window.innerWidth)) > 240, { timeout: 5000, timeoutMsg: "Ctrl+− did not shrink the text" });
    const saved = JSON.parse(readFileSync(path.join(pc.dir, "config", "jp.ninsho.app", "settings.json"), "utf8"));
    assert.equal(saved.text_size, 175);
  }));
