// Scanning QR codes in the real app under Xvfb: codes shown in other windows (1 px and
// 3 px modules, light-on-dark, next to a web-address code), then a picture on the
// clipboard. Pictures come from qrencode; windows from feh.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { assertAccessible, chooseAllInFolder, digitsOnly, onPc, screenshot, textOf } from "./harness.mjs";

const KEY = "KRUGKIDROVUWG2ZAMJZG653O";
const ACCOUNT_URI = `otpauth://totp/%E7%B5%A6%E4%B8%8E%E3%82%B7%E3%82%B9%E3%83%86%E3%83%A0:b-sato?secret=${KEY}&issuer=%E7%B5%A6%E4%B8%8E%E3%82%B7%E3%82%B9%E3%83%86%E3%83%A0`;
const WEB = "https://example.co.jp/help/two-step?session=7f3a9c";
const dir = mkdtempSync(path.join(os.tmpdir(), "ninsho-scan-"));

/** A QR code picture: `module` px per module, light-on-dark when `inverted`. */
function qr(name, payload, { module = 3, inverted = false } = {}) {
  const file = path.join(dir, name);
  const colours = inverted ? ["--foreground=FFFFFF", "--background=000000"] : [];
  execFileSync("qrencode", ["-s", String(module), "-m", "4", "-o", file, ...colours, payload]);
  return file;
}

/** Shows pictures in windows at the given places; returns a function that closes them. */
async function show(...pictures) {
  const windows = pictures.map(([file, x, y]) => spawn("feh", ["--geometry", `+${x}+${y}`, file], { stdio: "ignore" }));
  await new Promise((r) => setTimeout(r, 1000));
  return () => windows.forEach((w) => w.kill());
}


async function codeOf(b, selector) {
  // Reads a code with at least 3 s left, so the CLI's code for "now" is the same one.
  await b.waitUntil(async () => Number((await textOf(b, `${selector} .seconds`))?.match(/\d+/)?.[0] ?? 0) >= 3, { timeout: 35000, interval: 250 });
  return digitsOnly(await b.$(`${selector} .big-code`).getText());
}

test("Scan screen finds a 1 px code among others, names the web address, and adds the account", () =>
  onPc({ lang: "ja_JP.UTF-8" }, async (pc) => {
    const close = await show(
      [qr("one-px.png", ACCOUNT_URI, { module: 1 }), 700, 80],
      [qr("web-inverted.png", WEB, { module: 3, inverted: true }), 760, 360],
    );
    try {
      // The user's first ID of the same service: the second one is asked for a label.
      pc.cli("add", "--secret", "GEZDGNBVGY3TQOJQ", "--issuer", "給与システム", "--account", "a-sato", "--label", "A-ID 人事");
      const b = await pc.launch();
      await b.$(".top").waitForExist({ timeout: 15000 });
      await b.$("button.scan").click();
      const card = b.$("dialog.scan-dialog .scan-account");
      await card.waitForExist({ timeout: 15000 });
      const text = await textOf(b, "dialog.scan-dialog");
      assert.match(text, /給与システム/);
      assert.match(text, /b-sato/);
      assert.match(text, /Web アドレスで、認証の設定用コードではありません/);
      // The address is shown without its query (which may hold a token).
      assert.match(text, /https:\/\/example\.co\.jp\/help\/two-step/);
      assert.doesNotMatch(text, /session=/);
      // No code before the account is stored: one typed from here into the service's page
      // was lost with the dialog.
      assert.doesNotMatch(text.replace(/\s/g, ""), /\d{6}/, "the scan card shows no code");
      assert.equal((await b.$$("dialog.scan-dialog .big-code")).length, 0);
      assert.match(await textOf(b, "dialog.scan-dialog .field.needed"), /見分けるための名前.*「A-ID 人事」がすでにあります/s, "a label is asked for beside the service's other ID");
      await screenshot(b, "ja-light-scan-found");
      await assertAccessible(b, "ja-light-scan-found");
      // Closing without adding asks, by the button and by Esc; going back keeps the card.
      await b.execute(() => [...document.querySelectorAll("dialog.scan-dialog .dialog-actions button")].find((x) => x.textContent === "閉じる")?.click());
      await b.$("dialog.scan-dialog .close-confirm").waitForDisplayed({ timeout: 5000 });
      assert.match(await textOf(b, "dialog.scan-dialog .close-confirm"), /給与システム.*まだ追加されていません/s);
      await screenshot(b, "ja-light-scan-close-asks");
      await assertAccessible(b, "ja-light-scan-close-asks");
      await b.$("dialog.scan-dialog button[name=keep-scanning]").click();
      assert.equal(await b.$("dialog.scan-dialog .close-confirm").isDisplayed(), false);
      await b.keys("Escape");
      await b.$("dialog.scan-dialog .close-confirm").waitForDisplayed({ timeout: 5000 });
      await b.$("dialog.scan-dialog button[name=keep-scanning]").click();
      assert.equal(await b.$("dialog.scan-dialog").isExisting(), true, "Esc asked instead of closing");
      // Scanning again would replace the card: asked too, and going back keeps it.
      await b.execute(() => [...document.querySelectorAll("dialog.scan-dialog .dialog-actions button")].find((x) => x.textContent === "画面をもう一度読み取る")?.click());
      await b.$("dialog.scan-dialog .close-confirm").waitForDisplayed({ timeout: 5000 });
      assert.match(await textOf(b, "dialog.scan-dialog button[name=leave-without-adding]"), /追加せずに読み取り直す/);
      await b.$("dialog.scan-dialog button[name=keep-scanning]").click();
      assert.equal((await b.$$("dialog.scan-dialog .scan-account")).length, 1, "the card is still there");
      assert.equal(pc.cli("list").includes("b-sato"), false, "nothing is stored before Add");
      await b.$("dialog.scan-dialog input[name=label]").setValue("B-ID 経理");
      await b.$("dialog.scan-dialog .scan-account button[type=submit]").click();
      await b.$("dialog.finish-dialog").waitForExist({ timeout: 5000 });
      assert.equal(await b.$("dialog.scan-dialog").isExisting(), false, "the scan dialog closed once its one account was added");
      assert.equal(await codeOf(b, "dialog.finish-dialog"), pc.cli("code", "--secret", KEY).trim(), "the first code shown equals `ninsho code`");
      await b.$("dialog.finish-dialog button.primary").click();
      await b.waitUntil(async () => (await b.$$(".row")).length === 2, { timeout: 5000 });
      assert.match(await textOf(b, ".accounts"), /B-ID 経理/);
      assert.match(pc.cli("list"), /B-ID 経理/, "the scanned account is in the vault");

      // Scanning the same code again says it is already stored.
      await b.$("button.scan").click();
      await b.$("dialog.scan-dialog .scan-account .warning").waitForExist({ timeout: 15000 });
      assert.match(await textOf(b, "dialog.scan-dialog .warning"), /「B-ID 経理（給与システム・b-sato）」として登録済み/);
      assert.equal(await b.$("dialog.scan-dialog .scan-account button[type=submit]").getAttribute("disabled"), "true");
    } finally {
      close();
    }
  }));

test("the lock takes a scanned account not yet added; after unlocking, Ninsho says so", () =>
  onPc({ lang: "ja_JP.UTF-8", settings: { lock_enabled: true, lock_minutes: 5 }, env: { NEW_PASSPHRASE: "春の合言葉 2026" } }, async (pc) => {
    pc.cli("add", "--secret", "GEZDGNBVGY3TQOJQ", "--issuer", "Wiki", "--account", "s.sato");
    pc.cli("passphrase", "set", "--new-passphrase-env", "NEW_PASSPHRASE");
    const close = await show([qr("lock-scan.png", ACCOUNT_URI, { module: 3 }), 700, 100]);
    try {
      const b = await pc.launch();
      await b.$("input[name=lock-passphrase]").setValue("春の合言葉 2026");
      await b.$(".app-lock form button[type=submit]").click();
      await b.$(".top").waitForExist({ timeout: 15000 });
      await b.$("button.scan").click();
      await b.$("dialog.scan-dialog .scan-account").waitForExist({ timeout: 15000 });
      // Ctrl+L locks from anywhere, the open dialog included.
      await b.keys(["Control", "l"]);
      await b.$(".app-lock").waitForExist({ timeout: 5000 });
      assert.equal((await b.$$("dialog")).length, 0, "the scan dialog went with the lock");
      await b.$("input[name=lock-passphrase]").setValue("春の合言葉 2026");
      await b.$(".app-lock form button[type=submit]").click();
      await b.$(".toast-warn").waitForExist({ timeout: 15000 });
      assert.match(await textOf(b, ".toast-warn"), /読み取った「給与システム（b-sato）」は追加されていません/);
      // Rust forgot the payload with the lock: pointing at the first scan adds nothing.
      const added = await b.executeAsync((done) => window.__TAURI_INTERNALS__.invoke("scan_add", { scan: 1, index: 0, label: "" }).then(() => done("added"), (e) => done(e.key)));
      assert.equal(added, "scan_gone");
      assert.doesNotMatch(pc.cli("list"), /b-sato/, "nothing was stored");
    } finally {
      close();
    }
  }));

test("no code on screen says so; a picture on the clipboard is read instead", () =>
  onPc({ lang: "ja_JP.UTF-8" }, async (pc) => {
    const b = await pc.launch();
    await b.$(".top").waitForExist({ timeout: 15000 });
    await b.$("button.scan").click();
    await b.$("dialog.scan-dialog .scan-none").waitForExist({ timeout: 15000 });
    assert.match(await textOf(b, "dialog.scan-dialog"), /QR コードが見つかりませんでした/);
    await screenshot(b, "ja-light-scan-none");
    // A screenshot on the clipboard (xclip serves it until it exits).
    const serving = spawn("xclip", ["-selection", "clipboard", "-t", "image/png", "-i", qr("clip.png", ACCOUNT_URI, { module: 2 })], { stdio: "ignore" });
    try {
      await new Promise((r) => setTimeout(r, 500));
      await b.execute(() => [...document.querySelectorAll("dialog.scan-dialog .scan-sources button")].find((x) => x.textContent === "クリップボードから")?.click());
      await b.$("dialog.scan-dialog .scan-account").waitForExist({ timeout: 15000 });
      await b.$("dialog.scan-dialog .scan-account button[type=submit]").click();
      await b.$("dialog.finish-dialog").waitForExist({ timeout: 5000 });
      assert.equal(await codeOf(b, "dialog.finish-dialog"), pc.cli("code", "--secret", KEY).trim());
    } finally {
      serving.kill();
    }
  }));

test("select an area: a drag around one of two codes reads only that one", () =>
  onPc({ lang: "ja_JP.UTF-8" }, async (pc) => {
    const close = await show(
      [qr("wiki.png", "otpauth://totp/Wiki:s.sato?secret=GEZDGNBVGY3TQOJQ&issuer=Wiki", { module: 2 }), 700, 60],
      [qr("payroll.png", ACCOUNT_URI, { module: 2 }), 700, 420],
    );
    try {
      const b = await pc.launch();
      await b.$(".top").waitForExist({ timeout: 15000 });
      await b.$("button.scan").click();
      await b.waitUntil(async () => (await b.$$("dialog.scan-dialog .scan-account")).length === 2, { timeout: 15000 });
      await b.$("dialog.scan-dialog button.select-area").click();
      // Two accounts found and not added: selecting an area would drop them, so it asks.
      await b.$("dialog.scan-dialog .close-confirm").waitForDisplayed({ timeout: 5000 });
      assert.match(await textOf(b, "dialog.scan-dialog .close-confirm"), /2 件のアカウントがまだ追加されていません/);
      await b.$("dialog.scan-dialog button[name=leave-without-adding]").click();
      // The overlay covers the screen: a window of its own, checked like every other screen.
      const main = await b.getWindowHandle();
      await b.waitUntil(async () => (await b.getWindowHandles()).length === 2, { timeout: 10000 });
      const overlay = (await b.getWindowHandles()).find((handle) => handle !== main);
      await b.switchToWindow(overlay);
      await b.waitUntil(async () => (await textOf(b, "#instruction")).length > 0, { timeout: 5000 });
      await assertAccessible(b, "select an area");
      await b.switchToWindow(main);
      // Drag as a user would, around the lower code only.
      execFileSync("xdotool", ["mousemove", "680", "400", "mousedown", "1"]);
      for (const [x, y] of [[720, 450], [800, 560], [900, 640]]) execFileSync("xdotool", ["mousemove", String(x), String(y)]);
      execFileSync("xdotool", ["mouseup", "1"]);
      await b.waitUntil(async () => (await b.$$("dialog.scan-dialog .scan-account")).length === 1, { timeout: 15000 });
      const text = await textOf(b, "dialog.scan-dialog");
      assert.match(text, /給与システム/);
      assert.doesNotMatch(text, /Wiki/);
    } finally {
      close();
    }
  }));

/** The two QR codes of a Google Authenticator export of the extension's sample file. */
function googleExportCodes() {
  const here = path.dirname(new URL(import.meta.url).pathname);
  const sample = path.join(here, "../../crates/cli/tests/samples/authenticator.txt");
  const codes = execFileSync(path.join(here, "../../target/debug/ninsho"), ["convert", sample, "--to", "google-migration"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  })
    .trim()
    .split("\n");
  assert.equal(codes.length, 2, "the sample needs two export codes");
  return codes;
}

test("a Google Authenticator export in two QR codes: progress after the first, then the import preview", () =>
  onPc({ lang: "ja_JP.UTF-8" }, async (pc) => {
    const codes = googleExportCodes();
    const b = await pc.launch();
    await b.$(".top").waitForExist({ timeout: 15000 });
    let close = await show([qr("export-1.png", codes[0], { module: 3 }), 700, 100]);
    try {
      await b.$("button.scan").click();
      await b.$("dialog.scan-dialog .scan-progress").waitForExist({ timeout: 15000 });
      assert.match(await textOf(b, "dialog.scan-dialog .scan-progress"), /2 個中 1 個の QR コードを読み取りました/);
    } finally {
      close();
    }
    close = await show([qr("export-2.png", codes[1], { module: 3 }), 700, 100]);
    try {
      await b.execute(() => [...document.querySelectorAll("dialog.scan-dialog .dialog-actions button")][0]?.click());
      const preview = b.$("dialog.import-dialog .preview");
      await preview.waitForExist({ timeout: 15000 });
      const items = await b.$$("dialog.import-dialog .preview-item");
      assert.ok(items.length >= 6, `every account of both codes is listed (${items.length})`);
      assert.match(await textOf(b, "dialog.import-dialog"), /Google 認証システムの QR コード/);
      const ticked = await b.execute(() => document.querySelectorAll("dialog.import-dialog .preview input[type=checkbox]:checked").length);
      assert.ok(ticked >= 5);
      await b.$("dialog.import-dialog .dialog-actions button.primary").click();
      await b.waitUntil(async () => (await b.$$(".row")).length === ticked, { timeout: 5000 });
    } finally {
      close();
    }
  }));

test("photos of a Google export's two QR codes chosen at once in the picture dialog give one preview", () =>
  onPc({ lang: "ja_JP.UTF-8" }, async (pc) => {
    const codes = googleExportCodes();
    const photos = path.join(dir, "photos");
    mkdirSync(photos, { recursive: true });
    codes.forEach((code, i) => renameSync(qr(`export-photo-${i + 1}.png`, code, { module: 4 }), path.join(photos, `IMG_000${i + 1}.png`)));
    const b = await pc.launch();
    await b.$(".top").waitForExist({ timeout: 15000 });
    await b.$("button.scan").click();
    await b.$("dialog.scan-dialog .scan-none").waitForExist({ timeout: 15000 });
    await b.execute(() => [...document.querySelectorAll("dialog.scan-dialog .scan-sources button")].find((x) => x.textContent === "画像ファイルから…")?.click());
    await chooseAllInFolder(b, photos);
    await b.$("dialog.import-dialog .preview").waitForExist({ timeout: 15000 });
    assert.ok((await b.$$("dialog.import-dialog .preview-item")).length >= 6, "every account of both pictures is listed");
    assert.equal(await b.$("dialog.scan-dialog .scan-progress").isExisting(), false, "no code is asked for again");
  }));

test("a real text-heavy setup page (headless Chromium) with the code in its corner is read within a second", (t) =>
  onPc({ lang: "ja_JP.UTF-8" }, async (pc) => {
    // The page fills the screen: Japanese and English paragraphs, a table, a form, and the
    // code at 1 CSS px a module in the bottom-right corner. Text like this once kept the
    // scanner busy for tens of seconds.
    const page = path.join(dir, "setup-page.png");
    const render = path.join(path.dirname(new URL(import.meta.url).pathname), "../pages/render");
    execFileSync(render, [page, "1280", "800", "1", "1", ACCOUNT_URI]);
    const close = await show([page, 0, 0]);
    try {
      const b = await pc.launch();
      await b.$(".top").waitForExist({ timeout: 15000 });
      const started = Date.now();
      await b.$("button.scan").click();
      await b.$("dialog.scan-dialog .scan-account").waitForExist({ timeout: 15000, interval: 20 });
      const took = Date.now() - started;
      t.diagnostic(`click to result: ${took} ms`);
      assert.match(await textOf(b, "dialog.scan-dialog"), /給与システム/);
      // The window steps aside for 300 ms before the capture; the scan itself gets a second.
      assert.ok(took <= 1300, `the scan took ${took} ms from the click to the result`);
      await screenshot(b, "ja-light-scan-text-page");
    } finally {
      close();
    }
  }));

test("Microsoft Authenticator's, Duo Mobile's and Okta Verify's own QR codes each get what to do, in Japanese", () =>
  onPc({ lang: "ja_JP.UTF-8" }, async (pc) => {
    const microsoft = "phonefactor://activate_account?code=694660881&url=https://mobileappcommunicator.auth.microsoft.com/activatev2/123456789/abcdef";
    const duo = "duo://X3kP9qLm2ZtR7vBn4WcY-YXBpLWU0YzlmYmU3LmR1b3NlY3VyaXR5LmNvbQ";
    const okta = "oktaverify://taro@example.co.jp/?t=Qm9ndXNUb2tlbkZvclRlc3Q&f=opf1a2b3c4d5e6f7g8h9&s=https://example.okta.com";
    const close = await show(
      [qr("microsoft.png", microsoft, { module: 3 }), 700, 60],
      [qr("duo.png", duo, { module: 3 }), 700, 420],
      [qr("okta.png", okta, { module: 3 }), 1000, 420],
    );
    try {
      const b = await pc.launch();
      await b.$(".top").waitForExist({ timeout: 15000 });
      await b.$("button.scan").click();
      await b.$("dialog.scan-dialog .scan-microsoft-authenticator").waitForExist({ timeout: 15000 });
      const text = await textOf(b, "dialog.scan-dialog");
      assert.match(text, /Microsoft Authenticator 専用/);
      assert.match(text, /「別の認証アプリを使用します」/);
      assert.match(await textOf(b, "dialog.scan-dialog .scan-duo-mobile"), /Duo Mobile 専用/);
      assert.match(await textOf(b, "dialog.scan-dialog .scan-okta-verify"), /「Google 認証システム」を追加/);
      // Activation codes and tokens are credentials: they never reach the web view.
      const html = await b.execute(() => document.documentElement.outerHTML);
      for (const secret of ["694660881", "X3kP9qLm2ZtR7vBn4WcY", "Qm9ndXNUb2tlbkZvclRlc3Q"]) {
        assert.equal(html.includes(secret), false, secret);
      }
      // The help beside the results says the same per service, and how it was checked.
      await b.$("dialog.scan-dialog details.setup-help summary").click();
      const help = await textOf(b, "dialog.scan-dialog details.setup-help");
      assert.match(help, /Okta Verify の QR コードは Okta Verify でしか使えません/);
      assert.match(help, /別の 2 つの実装の結果と照合しています/);
      await screenshot(b, "ja-light-scan-other-apps");
      await assertAccessible(b, "ja-light-scan-other-apps");
    } finally {
      close();
    }
  }));
