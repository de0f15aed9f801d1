// The real app in a real window (Xvfb), driven through WebDriver, with a real keyring.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { awaitFreshCode, clipboard, digitsOnly, onPc, screenshot, textOf } from "./harness.mjs";

const KEY = "KRUGKIDROVUWG2ZAMJZG653O";

async function addByKey(b, { issuer, account, key, label = "" }) {
  await b.$("button.add").click();
  await b.$("input[name=issuer]").setValue(issuer);
  await b.$("input[name=account]").setValue(account);
  await b.$("input[name=secret]").setValue(key);
  if (label) await b.$("input[name=label]").setValue(label);
  await b.$("dialog.add-dialog button[type=submit]").click();
}

test("a user's day: add, finish setup, rename, search, copy, delete, restart", () =>
  onPc({ settings: { clipboard_clear_seconds: 3 } }, async (pc) => {
  const b = await pc.launch();
  await b.$(".top").waitForExist({ timeout: 15000 });
  assert.ok(existsSync(pc.vault), "first start creates the vault");
  assert.match(await b.$(".welcome").getText(), /No accounts yet/);
  assert.deepEqual(await b.execute(() => [...document.querySelectorAll(".welcome button")].map((x) => x.name)), ["first-scan", "first-key"], "scanning is offered first");

  // Typed in as the setup page shows it: lower case and spaces.
  await addByKey(b, { issuer: "Payroll", account: "a-sato@example.co.jp", key: "krug kidr ovuw g2za mjzg 653o" });
  const finish = b.$("dialog.finish-dialog");
  await finish.waitForExist({ timeout: 5000 });
  assert.match(await textOf(b, "dialog.finish-dialog"), /Enter this code on the service's setup page now/);
  await b.waitUntil(async () => Number(await finish.$(".seconds").getText()) >= 4, { timeout: 35000, interval: 250 });
  const shown = digitsOnly(await finish.$(".big-code").getText());
  assert.equal(shown, pc.cli("code", "--secret", KEY).trim(), "the app's code equals `ninsho code` for the same key");
  // The first code can be copied from here, like any row's.
  await finish.$("button[name=finish-copy]").click();
  await b.waitUntil(() => /^\d{6}$/.test(clipboard()), { timeout: 5000, timeoutMsg: `clipboard held "${clipboard()}"` });
  assert.equal(await finish.$("details.finish-trouble").getAttribute("open"), null, "what to do when the code fails is folded");
  await finish.$("button.primary").click();

  // Pasted as a URI.
  await b.$("button.add").click();
  await b.$("button.tab:nth-child(2)").click();
  await b.$("textarea[name=uri]").setValue("otpauth://totp/Wiki:s.sato?secret=GEZDGNBVGY3TQOJQ&issuer=Wiki&digits=8");
  await b.$("dialog.add-dialog button[type=submit]").click();
  await b.$("dialog.finish-dialog button.primary").click();
  await b.waitUntil(async () => (await b.$$(".row")).length === 2, { timeout: 5000 });

  // A malformed key is refused with a sentence naming the problem, and nothing is added.
  await addByKey(b, { issuer: "Bad", account: "x", key: "JBSW1Y3DP" });
  const error = b.$("dialog.add-dialog .form-error");
  await error.waitForDisplayed({ timeout: 5000 });
  assert.match(await textOf(b, "dialog.add-dialog .form-error"), /contains “1”/);
  await b.$("dialog.add-dialog .dialog-actions button[type=button]").click();
  assert.equal((await b.$$(".row")).length, 2);

  // Rename: the label becomes the row's first line.
  await b.$(".row .edit").click();
  await b.$("dialog.edit-dialog input[name=label]").setValue("B-ID 経理");
  await b.$("dialog.edit-dialog button.primary").click();
  await b.waitUntil(async () => (await textOf(b, ".row .primary")) === "B-ID 経理", { timeout: 5000 });

  // Search narrows the list; the CLI sees the same label.
  await b.$("input.search").setValue("経理");
  await b.waitUntil(async () => (await b.$$(".row")).length === 1, { timeout: 5000 });
  assert.match(pc.cli("list"), /B-ID 経理/);
  // Esc in the search box clears it.
  await b.$("input.search").click();
  await b.keys("Escape");
  await b.waitUntil(async () => (await b.$$(".row")).length === 2, { timeout: 5000 });

  // Copy puts the code on the X clipboard, and it is cleared after the set time.
  await awaitFreshCode(b);
  const code = digitsOnly(await b.$(".row .code .digits").getText());
  await b.$(".row .code").click();
  await b.waitUntil(() => clipboard() === code, { timeout: 5000, timeoutMsg: `clipboard held "${clipboard()}"` });
  await b.waitUntil(() => clipboard() === "", { timeout: 8000, timeoutMsg: "the copied code was not cleared" });

  // Delete names the account and asks first.
  await (await b.$$(".row .edit"))[1].click();
  await b.$("dialog.edit-dialog button.danger").click();
  const confirm = b.$("dialog.delete-dialog");
  assert.match(await textOf(b, "dialog.delete-dialog"), /Delete “Wiki \(s\.sato\)”\?/);
  await confirm.$("button.danger").click();
  await b.waitUntil(async () => (await b.$$(".row")).length === 1, { timeout: 5000 });

  // Restart keeps everything.
  await pc.quit();
  const again = await pc.launch();
  await again.$(".row").waitForExist({ timeout: 15000 });
  assert.equal((await again.$$(".row")).length, 1);
  assert.equal(await textOf(again, ".row .primary"), "B-ID 経理");
  assert.match(pc.cli("--json", "list"), /"label":"B-ID 経理"/);
}));

test("Japanese UI under LANG=ja_JP.UTF-8, with a warning for indistinguishable accounts", () =>
  onPc({ lang: "ja_JP.UTF-8" }, async (pc) => {
  pc.cli("add", "--secret", KEY, "--issuer", "給与システム", "--account", "a-sato");
  pc.cli("add", "--secret", "GEZDGNBVGY3TQOJQ", "--issuer", "給与システム", "--account", "a-sato");
  const b = await pc.launch();
  await b.$(".row").waitForExist({ timeout: 15000 });
  assert.equal(await b.$("html").getAttribute("lang"), "ja");
  assert.equal(await textOf(b, "button.add"), "＋ 追加");
  assert.equal((await b.$$(".duplicate")).length, 2);
  assert.match(await textOf(b, ".duplicate"), /同じ名前のアカウントがあります/);
  // The warning's button goes straight to the label; once labelled, neither row warns.
  await b.$(".row .duplicate button.name-it").click();
  await b.$("dialog.edit-dialog").waitForExist({ timeout: 5000 });
  assert.equal(await b.execute(() => document.activeElement?.getAttribute("name")), "label");
  await b.keys([..."A-ID"]);
  await b.$("dialog.edit-dialog button.primary").click();
  await b.waitUntil(async () => (await b.$$(".duplicate")).length === 0, { timeout: 5000, timeoutMsg: "the duplicate warning stayed" });
}));

test("a row keeps its height when its next code shows in a period's last seconds", () =>
  onPc({}, async (pc) => {
  pc.cli("add", "--secret", KEY, "--issuer", "給与システム", "--account", "a-sato");
  pc.cli("add", "--secret", "GEZDGNBVGY3TQOJQ", "--issuer", "勤怠管理", "--account", "b-sato");
  const b = await pc.launch();
  await b.$(".row").waitForExist({ timeout: 15000 });
  // What the row's tick does when the next code comes, done at once rather than waiting
  // up to 30 s for it: rows that grew here moved every row below under the pointer.
  const [before, after, secondTop, secondTopAfter] = await b.execute(() => {
    const [first, second] = document.querySelectorAll(".row");
    const next = first.querySelector(".next");
    const heights = [first.offsetHeight, second.offsetTop];
    next.textContent = "次 123 456";
    next.hidden = false;
    return [heights[0], first.offsetHeight, heights[1], second.offsetTop];
  });
  assert.equal(after, before);
  assert.equal(secondTopAfter, secondTop);
}));

test("a counter-based key typed into Add: its counter replaces the period, chosen with radio buttons", () =>
  onPc({}, async (pc) => {
  const b = await pc.launch();
  await b.$(".top").waitForExist({ timeout: 15000 });
  await b.$("button.add").click();
  await b.$("input[name=issuer]").setValue("VPN");
  await b.$("input[name=account]").setValue("sato");
  await b.$("input[name=secret]").setValue("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  await b.$("dialog.add-dialog details.advanced summary").click();
  const shown = (name) => b.execute((n) => document.querySelector(`dialog.add-dialog input[name=${n}]`).getClientRects().length > 0, name);
  // A time-based key has a period and no counter, shown or sent.
  assert.deepEqual([await shown("period"), await shown("counter")], [true, false]);
  await b.$("dialog.add-dialog input[name=kind][value=hotp]").click();
  assert.deepEqual([await shown("period"), await shown("counter")], [false, true]);
  await b.$("dialog.add-dialog input[name=counter]").setValue("5");
  await b.$("dialog.add-dialog input[name=digits][value='8']").click();
  await b.$("dialog.add-dialog button[type=submit]").click();
  await b.$("dialog.finish-dialog").waitForExist({ timeout: 5000 });
  const listed = JSON.parse(pc.cli("--json", "list"));
  assert.deepEqual(listed.map((a) => [a.issuer, a.type, a.digits, a.counter, a.period]), [["VPN", "hotp", 8, 5, null]]);
}));

// The OS's own start-at-login entry (here the desktop session's ~/.config/autostart, in a
// home folder of the test's own), and the version line that support requests quote.
test("Settings: start at sign-in writes and removes the session's autostart entry; the version and build", () => {
  const home = mkdtempSync(path.join(os.tmpdir(), "ninsho-home-"));
  const entry = path.join(home, ".config", "autostart", "Ninsho.desktop");
  // As in a desktop user's home (the autostart library creates only the last folder).
  mkdirSync(path.join(home, ".config"));
  return onPc({ lang: "ja_JP.UTF-8", env: { HOME: home } }, async (pc) => {
    const b = await pc.launch();
    await b.$(".top").waitForExist({ timeout: 15000 });
    // By keyboard, as many users tick boxes (a WebDriver click on this box in the scrolled
    // dialog is not delivered by WebKitWebDriver here).
    const toggle = async (box) => {
      await b.execute((el) => el.focus(), box);
      await b.keys(" ");
    };
    const openSettings = async () => {
      await b.$("header .icon-button.settings").click();
      const box = await b.$("dialog.settings-dialog input[name=start_at_login]");
      await b.waitUntil(async () => !(await box.getAttribute("disabled")), { timeout: 5000 });
      return box;
    };
    let box = await openSettings();
    assert.equal(await box.isSelected(), false);
    const version = readFileSync("Cargo.toml", "utf8").match(/^version = "([^"]+)"/m)[1];
    const commit = execFileSync("git", ["rev-parse", "--short=10", "HEAD"], { encoding: "utf8" }).trim();
    assert.equal(await textOf(b, "dialog.settings-dialog .about"), `Ninsho ${version}・ビルド ${commit}・Linux x86_64`);
    await screenshot(b, "ja-light-settings");
    await toggle(box);
    assert.equal(await box.isSelected(), true);
    await b.$("dialog.settings-dialog button[type=submit]").click();
    await b.waitUntil(() => existsSync(entry), { timeout: 5000, timeoutMsg: `no ${entry}` });
    assert.match(readFileSync(entry, "utf8"), /^Exec=.*ninsho-app/m);

    box = await openSettings();
    assert.equal(await box.isSelected(), true, "the box shows what the OS holds");
    await toggle(box);
    assert.equal(await box.isSelected(), false);
    await b.$("dialog.settings-dialog button[type=submit]").click();
    await b.waitUntil(() => !existsSync(entry), { timeout: 5000, timeoutMsg: `${entry} is still there` });
  });
});

for (const lang of ["ja", "en"]) {
  for (const theme of ["light", "dark"]) {
    const options = {
      lang: lang === "ja" ? "ja_JP.UTF-8" : "en_US.UTF-8",
      // Dark comes from the desktop theme, as on a user's PC, not from a setting.
      env: theme === "dark" ? { GTK_THEME: "Adwaita:dark" } : {},
    };
    test(`screenshots: ${lang}, ${theme}`, () => onPc(options, async (pc) => {
      pc.cli("add", "--secret", KEY, "--issuer", "給与システム", "--account", "a-sato@example.co.jp", "--label", "A-ID 人事");
      pc.cli("add", "--secret", "GEZDGNBVGY3TQOJQ", "--issuer", "給与システム", "--account", "b-sato@example.co.jp", "--label", "B-ID 経理");
      pc.cli("add", "--secret", "JBSWY3DPEHPK3PXP", "--issuer", "GitHub", "--account", "sato-dev", "--digits", "8");
      pc.cli("add", "--secret", "MFRGGZDFMZTWQ2LK", "--issuer", "Wiki", "--account", "s.sato");
      pc.cli("add", "--secret", "MFRGGZDFMZTWQ2LL", "--issuer", "Wiki", "--account", "s.sato");
      const b = await pc.launch();
      await b.$(".row").waitForExist({ timeout: 15000 });
      assert.equal(await b.execute(() => matchMedia("(prefers-color-scheme: dark)").matches), theme === "dark");
      await screenshot(b, `${lang}-${theme}-main`);
      await b.$("button.add").click();
      await b.$("input[name=issuer]").setValue(lang === "ja" ? "勤怠管理" : "Timesheet");
      await b.$("input[name=account]").setValue("a-sato");
      await b.$("input[name=secret]").setValue("ONSW G4TF OQ");
      await screenshot(b, `${lang}-${theme}-add`);
      await b.$("dialog.add-dialog button[type=submit]").click();
      await b.$("dialog.finish-dialog").waitForExist({ timeout: 5000 });
      await screenshot(b, `${lang}-${theme}-finish`);
      await b.$("dialog.finish-dialog details.finish-trouble summary").click();
      await screenshot(b, `${lang}-${theme}-finish-trouble`);
    }));
  }
}

for (const [theme, size] of [["light", 0], ["dark", 0], ["light", 200]]) {
  test(`first start in Japanese (${theme}, text ${size || 100} %): scanning the QR code first, typing the key second`, () =>
    onPc({ lang: "ja_JP.UTF-8", settings: { text_size: size }, env: theme === "dark" ? { GTK_THEME: "Adwaita:dark" } : {} }, async (pc) => {
      const b = await pc.launch();
      await b.$(".welcome").waitForDisplayed({ timeout: 15000 });
      const text = await textOf(b, ".welcome");
      assert.match(text, /QR コードを読み取る（おすすめ）/);
      assert.match(text, /キーを入力する/);
      const boxes = await b.execute(() => [...document.querySelectorAll(".welcome button")].map((x) => [x.scrollWidth <= x.clientWidth, x.getBoundingClientRect().right <= innerWidth]));
      assert.deepEqual(boxes, [[true, true], [true, true]], "both choices fit the window");
      await screenshot(b, `ja-${theme}${size ? `-text-${size}` : ""}-welcome`);
      // WebKitWebDriver clicks miss under page zoom: the keyboard presses the second choice.
      await b.execute((el) => el.focus(), await b.$(".welcome button[name=first-key]"));
      await b.keys(["Enter"]);
      await b.$("dialog.add-dialog").waitForExist({ timeout: 5000 });
    }));
}
