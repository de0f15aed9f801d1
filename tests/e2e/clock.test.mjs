// The clock banner and code correction in the real app, with the PC clock skewed by
// libfaketime and real NTP servers (chronyd) on loopback: two that agree, and one under
// libfaketime 20 s ahead of them, as a wrong or forged server would be. The OS's date
// settings are a stand-in gnome-control-center first on PATH, which notes how it was started.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import dgram from "node:dgram";
import os from "node:os";
import path from "node:path";
import { assertAccessible, awaitFreshCode, digitsOnly, Pc, ROOT, screenshot, textOf, withPc } from "./harness.mjs";

// The multi-threaded variant: the app reads the clock from several threads at once.
const FAKETIME_LIBS = [
  "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1",
  "/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1",
];
const KEY = "KRUGKIDROVUWG2ZAMJZG653O";
const chronyds = [];
/** Two servers on real time, and one 20 s ahead. */
let server;
let second;
let ahead;

function freeUdpPort() {
  return new Promise((resolve) => {
    const s = dgram.createSocket("udp4");
    s.bind(0, "127.0.0.1", () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}

/** chronyd on 127.0.0.1, serving its clock `skew` (libfaketime's syntax) off real time. */
async function startChrony(skew) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ninsho-chrony-"));
  const port = await freeUdpPort();
  const conf = path.join(dir, "chrony.conf");
  writeFileSync(
    conf,
    `local stratum 8\nallow 127.0.0.1\nbindaddress 127.0.0.1\nport ${port}\ncmdport 0\ndriftfile ${dir}/drift\npidfile ${dir}/pid\n`,
  );
  const chronyd = ["/usr/sbin/chronyd", "/sbin/chronyd"].find(existsSync);
  // Preloaded rather than run through `faketime`, so that kill() ends chronyd itself.
  const env = skew ? { ...process.env, LD_PRELOAD: FAKETIME_LIBS.find(existsSync), FAKETIME: skew } : process.env;
  chronyds.push(spawn(chronyd, ["-d", "-x", "-u", "root", "-f", conf], { stdio: "ignore", env }));
  const address = `127.0.0.1:${port}`;
  // Wait until chronyd answers, so the app's first check meets a running server.
  const cli = path.join(ROOT, "target/debug/ninsho");
  for (let i = 0; i < 50; i++) {
    const probe = spawnSync(cli, ["clock", "--server", address, "--timeout", "0.2"]);
    if (probe.status !== 2) return address;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("chronyd did not start serving");
}

before(async () => {
  server = await startChrony();
  second = await startChrony();
  ahead = await startChrony("+20s");
});

after(() => chronyds.forEach((c) => c.kill()));

function skewedPc(skew, extraSettings = {}, extraEnv = {}) {
  const lib = FAKETIME_LIBS.find(existsSync);
  assert.ok(lib, "libfaketime is installed by scripts/test");
  return new Pc({
    lang: "ja_JP.UTF-8",
    settings: { clock_servers: [server], clock_https_url: "", ...extraSettings },
    // A CI run once saw the app measure no skew at all (offset 0 with FAKETIME +45s).
    // libfaketime re-reads FAKETIME from the environment every 10 s by default, racing
    // with the app's threads; reading it once, at load, before any thread exists rules
    // that out. No desktop is named, so no date settings can be opened unless a test
    // puts its stand-in in place.
    env: { LD_PRELOAD: lib, FAKETIME: skew, FAKETIME_DONT_RESET: "1", FAKETIME_CACHE_DURATION: "1000000", XDG_CURRENT_DESKTOP: "", ...extraEnv },
  });
}

/** A gnome-control-center that answers --version as GNOME 46 does and writes down how else
 *  it was started; `env` puts it first on PATH under a GNOME desktop. */
function fakeGnomeSettings() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ninsho-gnome-settings-"));
  const started = path.join(dir, "started");
  const script = `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "gnome-control-center 46.0"; exit 0; fi\nprintf '%s\\n' "$*" >> '${started}'\n`;
  writeFileSync(path.join(dir, "gnome-control-center"), script, { mode: 0o755 });
  return { started, env: { PATH: `${dir}:${process.env.PATH}`, XDG_CURRENT_DESKTOP: "ubuntu:GNOME" } };
}

/** The text of each reading in the banner's folded details, with the uncertainty (a few
 *  milliseconds on loopback, more on a loaded machine) as "±0.0x". */
const readings = (b) =>
  b.execute(() => Array.from(document.querySelectorAll(".banner details li"), (li) => li.textContent.replace(/±0\.\d\d/, "±0.0x")));
/** A loopback server's reading as the details word it: no port, no protocol. */
const reading = (seconds, way) => `時刻サーバー 127.0.0.1：${seconds} 秒${way}（誤差 ±0.0x 秒）`;
const detailsOpen = (b) => b.execute(() => document.querySelector(".banner details").open);
const searchWidth = (b) => b.execute(() => document.querySelector(".search").getBoundingClientRect().width);
const savedSettings = (pc) => JSON.parse(readFileSync(path.join(pc.dir, "config", "jp.ninsho.app", "settings.json"), "utf8"));

/** Whether `selector`, scrolled into view, is inside the window and under nothing else. */
const uncovered = (b, selector) =>
  b.execute((sel) => {
    const el = document.querySelector(sel);
    el.scrollIntoView({ block: "end" });
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight + 1 && el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
  }, selector);

/** Presses a button by focus and Enter: WebKitWebDriver's clicks miss under page zoom. */
async function press(b, selector) {
  await b.execute((el) => el.focus(), await b.$(selector));
  await b.keys(["Enter"]);
}

test("a PC clock 90 s slow gets a red banner in Japanese: the figure, the fix, the measurement folded away", () =>
  withPc(skewedPc("-90s"), async (pc) => {
    pc.cli("add", "--secret", KEY, "--issuer", "給与システム", "--account", "a-sato", "--label", "A-ID 人事");
    const b = await pc.launch();
    const banner = b.$(".banner");
    await banner.waitForExist({ timeout: 15000 });
    assert.equal(await banner.getAttribute("class"), "banner banner-error");
    assert.equal(await textOf(b, ".banner-title"), "この PC の時計が 90 秒遅れています。このままではコードは拒否されます。");
    // No desktop Ninsho can open the settings of: the fix by hand, and no button for it.
    assert.match(await textOf(b, ".banner"), /時刻の自動設定（NTP）をオンにすると直ります/);
    assert.equal((await b.$$("button[name=open-date-settings]")).length, 0);
    assert.equal(await detailsOpen(b), false, "the measurement is folded away");
    assert.equal(await b.$(".banner details li").isDisplayed(), false);
    assert.deepEqual(await readings(b), [reading(90, "遅れ")]);
    assert.doesNotMatch(await textOf(b, ".banner"), /NTP 127|:\d{2,5}|Date/, "no port, no protocol names");
    await screenshot(b, "ja-light-clock-banner");
    await assertAccessible(b, "ja-light-clock-banner");
    await b.$(".banner details summary").click();
    await b.$(".banner details li").waitForDisplayed({ timeout: 3000 });
    await screenshot(b, "ja-light-clock-details");
    await assertAccessible(b, "ja-light-clock-details");
  }));

test("a PC clock 20 s slow gets a yellow warning, 0 s none", async () => {
  await withPc(skewedPc("-20s"), async (pc) => {
    const b = await pc.launch();
    await b.$(".banner").waitForExist({ timeout: 15000 });
    assert.equal(await b.$(".banner").getAttribute("class"), "banner banner-warn");
    assert.match(await textOf(b, ".banner"), /20 秒遅れています/);
  });
  await withPc(skewedPc("+0s"), async (pc) => {
    const b = await pc.launch();
    await b.$(".top").waitForExist({ timeout: 15000 });
    await b.pause(3000);
    assert.equal((await b.$$(".banner")).length, 0);
  });
});

test("the banner's button opens the system's date and time settings (dark)", () => {
  const settings = fakeGnomeSettings();
  return withPc(skewedPc("+45s", { theme: "dark", clock_servers: [server, second] }, settings.env), async (pc) => {
    const b = await pc.launch();
    const open = b.$("button[name=open-date-settings]");
    await open.waitForExist({ timeout: 15000 });
    assert.equal(await textOf(b, "button[name=open-date-settings]"), "日付と時刻の設定を開く");
    assert.match(await textOf(b, ".banner"), /日付と時刻の設定で「日付と時刻の自動設定」をオンにすると直ります。/);
    await screenshot(b, "ja-dark-clock-banner");
    await assertAccessible(b, "ja-dark-clock-banner");
    await open.click();
    await b.waitUntil(() => existsSync(settings.started), { timeout: 10000, timeoutMsg: "the date settings were not started" });
    assert.equal(readFileSync(settings.started, "utf8"), "system datetime\n", "GNOME 46's Date & Time page");
  });
});

test("finish setup with the clock 90 s slow: the warning and the settings button are inside the dialog, over the banner", () => {
  const settings = fakeGnomeSettings();
  return withPc(skewedPc("-90s", {}, settings.env), async (pc) => {
    const b = await pc.launch();
    await b.$(".banner").waitForExist({ timeout: 15000 });
    await b.$("button.add").click();
    await b.$("input[name=issuer]").setValue("給与システム");
    await b.$("input[name=secret]").setValue(KEY);
    await b.$("dialog.add-dialog button[type=submit]").click();
    const warning = b.$("dialog.finish-dialog .finish-clock");
    await warning.waitForDisplayed({ timeout: 5000 });
    assert.match(await textOf(b, "dialog.finish-dialog .finish-clock"), /この PC の時計が 90 秒遅れています。このままではコードが通らないことがあります。/);
    await screenshot(b, "ja-light-finish-clock");
    await assertAccessible(b, "ja-light-finish-clock");
    await b.$("dialog.finish-dialog button[name=open-date-settings]").click();
    await b.waitUntil(() => existsSync(settings.started), { timeout: 10000, timeoutMsg: "the date settings were not started" });
  });
});

/** Turns correction on from the banner and checks the codes and the search box: the width it
 *  had beside the red banner is the width it keeps beside the corrected one. */
async function correctFromBanner(pc, b, shot) {
  await b.$("button[name=correct-clock]").waitForExist({ timeout: 15000 });
  assert.equal(await textOf(b, "button[name=correct-clock]"), "時計を直せない場合は Ninsho で補正する");
  const before = await searchWidth(b);
  await press(b, "button[name=correct-clock]");
  await b.$(".banner-info").waitForExist({ timeout: 10000 });
  assert.equal(await textOf(b, ".banner-info > p"), "ネットワーク時刻に合わせて、コードを −45 秒補正しています。表示中のコードはそのまま使えます。");
  assert.equal(await detailsOpen(b), false);
  assert.equal((await b.$$("button[name=correct-clock]")).length, 0);
  assert.equal(savedSettings(pc).clock_correction, true, "the choice is Settings' own, kept");
  assert.equal(await searchWidth(b), before, "the correction takes nothing from the search box");
  await screenshot(b, shot);
  await assertAccessible(b, shot);
}

test("with the clock 45 s fast, the banner's button turns correction on and the codes follow network time", () =>
  withPc(skewedPc("+45s", { clock_servers: [server, second] }), async (pc) => {
    pc.cli("add", "--secret", KEY, "--issuer", "Payroll", "--account", "sato");
    const b = await pc.launch();
    await correctFromBanner(pc, b, "ja-light-clock-corrected");
    await awaitFreshCode(b);
    const shown = digitsOnly(await b.$(".row .code .digits").getText());
    // The CLI runs on the real clock, which is what the corrected app should match.
    const now = Math.floor(Date.now() / 1000);
    const real = pc.cli("code", "--secret", KEY, "--time", String(now)).trim();
    assert.equal(shown, real);
  }));

test("at 200 % text size the corrected banner fits and the search box keeps its width", () =>
  withPc(skewedPc("+45s", { text_size: 200, clock_servers: [server, second] }), async (pc) => {
    pc.cli("add", "--secret", KEY, "--issuer", "Payroll", "--account", "sato");
    const b = await pc.launch();
    await b.waitUntil(async () => (await b.execute(() => window.innerWidth)) < 240, { timeout: 15000, timeoutMsg: "the page was not zoomed to 200 %" });
    await screenshot(b, "ja-light-clock-banner-200");
    assert.ok(await uncovered(b, "button[name=correct-clock]"), "the banner's last button can be scrolled to");
    await screenshot(b, "ja-light-clock-banner-200-scrolled");
    await correctFromBanner(pc, b, "ja-light-clock-corrected-200");
    assert.ok(await uncovered(b, ".row"), "the codes can be scrolled to, not left under the header");
    const header = await b.execute(() => document.querySelector(".top").getBoundingClientRect().width);
    // The narrow layout gives the search box the header's whole first line.
    assert.ok((await searchWidth(b)) > header - 30, "the search box spans the header");
  }));

/** The code the app shows, next to the code for the PC's own (skewed) clock. */
async function shownAndPcCode(pc, b, skewSeconds) {
  await awaitFreshCode(b);
  const shown = digitsOnly(await b.$(".row .code .digits").getText());
  const pcTime = Math.floor(Date.now() / 1000) + skewSeconds;
  return [shown, pc.cli("code", "--secret", KEY, "--time", String(pcTime)).trim()];
}

test("with correction on but one server only, the codes are not corrected and the banner says why", () =>
  withPc(skewedPc("+45s", { clock_correction: true }), async (pc) => {
    pc.cli("add", "--secret", KEY, "--issuer", "Payroll", "--account", "sato");
    const b = await pc.launch();
    await b.$(".banner-reason").waitForExist({ timeout: 15000 });
    assert.equal(await b.$(".banner").getAttribute("class"), "banner banner-error");
    assert.equal(await textOf(b, ".banner-title"), "この PC の時計が 45 秒進んでいます。このままではコードは拒否されます。");
    assert.equal(
      await textOf(b, ".banner-reason"),
      "コードは補正していません。補正には一致する 2 つの時刻の情報源が必要ですが、応答したのは 1 つだけでした。",
    );
    assert.deepEqual(await readings(b), [reading(45, "進み")]);
    assert.equal((await b.$$("button[name=correct-clock]")).length, 0, "correction is on already");
    const [shown, pcCode] = await shownAndPcCode(pc, b, 45);
    assert.equal(shown, pcCode, "the codes stay on the PC's clock");
    await screenshot(b, "ja-light-clock-not-corrected");
    await assertAccessible(b, "ja-light-clock-not-corrected");
    // Settings' own check says the same, in the same words.
    await b.$("button.settings").click();
    const check = b.$("dialog.settings-dialog button[name=clock-check-now]");
    await check.waitForExist({ timeout: 5000 });
    await b.execute((el) => el.scrollIntoView({ block: "center" }), await check);
    await check.click();
    await b.$(".clock-result li").waitForExist({ timeout: 10000 });
    assert.equal(
      await textOf(b, ".clock-result p"),
      "この PC の時計が 45 秒進んでいます。コードは補正していません。補正には一致する 2 つの時刻の情報源が必要ですが、応答したのは 1 つだけでした。",
    );
    assert.match(await textOf(b, ".clock-result li"), /^時刻サーバー 127\.0\.0\.1：45 秒進み（誤差 ±0\.\d\d 秒）$/);
    await screenshot(b, "ja-light-settings-clock-check");
  }));

test("a server 20 s off the other stops the correction, with both figures in the details", () =>
  withPc(skewedPc("-90s", { clock_correction: true, clock_servers: [server, ahead] }), async (pc) => {
    pc.cli("add", "--secret", KEY, "--issuer", "Payroll", "--account", "sato");
    const b = await pc.launch();
    await b.$(".banner-reason").waitForExist({ timeout: 15000 });
    assert.equal(await b.$(".banner").getAttribute("class"), "banner banner-error");
    assert.match(await textOf(b, ".banner-reason"), /時刻の情報源どうしで \d+\.\d 秒食い違っており、許容範囲の 3 秒を超えています。/);
    assert.deepEqual(await readings(b), [reading(90, "遅れ"), reading(110, "遅れ")]);
    const [shown, pcCode] = await shownAndPcCode(pc, b, -90);
    assert.equal(shown, pcCode);
  }));

test("where the organization forbids correction, the banner does not offer it and says whom to ask", () =>
  withPc(skewedPc("+45s", { clock_correction: true, clock_servers: [server, second] }), async (pc) => {
    const policy = path.join(pc.dir, "policy.json");
    writeFileSync(policy, JSON.stringify({ version: 1, clock_correction_allowed: false }));
    pc.env.NINSHO_POLICY_FILE = policy;
    const b = await pc.launch();
    await b.$(".banner-hint").waitForExist({ timeout: 15000 });
    assert.equal(await b.$(".banner").getAttribute("class"), "banner banner-error", "the user's own choice does not hold");
    assert.equal(
      await textOf(b, ".banner-hint"),
      "時計を直せない場合は IT 担当者に相談してください。組織の設定により、この PC では Ninsho でコードを補正できません。",
    );
    assert.equal((await b.$$("button[name=correct-clock]")).length, 0);
    await screenshot(b, "ja-light-clock-forbidden");
    await assertAccessible(b, "ja-light-clock-forbidden");
  }));
