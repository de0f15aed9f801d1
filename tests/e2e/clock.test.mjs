// The clock banner and code correction in the real app, with the PC clock skewed by
// libfaketime and real NTP servers (chronyd) on loopback: two that agree, and one under
// libfaketime 20 s ahead of them, as a wrong or forged server would be.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
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

function skewedPc(skew, extraSettings = {}) {
  const lib = FAKETIME_LIBS.find(existsSync);
  assert.ok(lib, "libfaketime is installed by scripts/test");
  return new Pc({
    lang: "ja_JP.UTF-8",
    settings: { clock_servers: [server], clock_https_url: "", ...extraSettings },
    // A CI run once saw the app measure no skew at all (offset 0 with FAKETIME +45s).
    // libfaketime re-reads FAKETIME from the environment every 10 s by default, racing
    // with the app's threads; reading it once, at load, before any thread exists rules
    // that out.
    env: { LD_PRELOAD: lib, FAKETIME: skew, FAKETIME_DONT_RESET: "1", FAKETIME_CACHE_DURATION: "1000000" },
  });
}

test("a PC clock 90 s slow gets a red banner in Japanese with the figure and the fix", () =>
  withPc(skewedPc("-90s"), async (pc) => {
    pc.cli("add", "--secret", KEY, "--issuer", "給与システム", "--account", "a-sato", "--label", "A-ID 人事");
    const b = await pc.launch();
    const banner = b.$(".banner");
    await banner.waitForExist({ timeout: 15000 });
    assert.equal(await banner.getAttribute("class"), "banner banner-error");
    const text = await textOf(b, ".banner");
    assert.match(text, /このPCの時計は 90 秒遅れています。このままではコードは拒否されます。/);
    assert.match(text, /時刻の自動設定/);
    await screenshot(b, "ja-light-clock-banner");
    await assertAccessible(b, "ja-light-clock-banner");
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

test("with correction on and two agreeing servers, codes follow network time, not the skewed PC clock", () =>
  withPc(skewedPc("+45s", { clock_correction: true, clock_servers: [server, second] }), async (pc) => {
    pc.cli("add", "--secret", KEY, "--issuer", "Payroll", "--account", "sato");
    const b = await pc.launch();
    await b.$(".badge").waitForDisplayed({ timeout: 15000 });
    assert.equal(await textOf(b, ".badge"), "補正中 −45 秒");
    assert.equal(await b.$(".banner").getAttribute("class"), "banner banner-info");
    await awaitFreshCode(b);
    const shown = digitsOnly(await b.$(".row .code .digits").getText());
    // The CLI runs on the real clock, which is what the corrected app should match.
    const now = Math.floor(Date.now() / 1000);
    const real = pc.cli("code", "--secret", KEY, "--time", String(now)).trim();
    assert.equal(shown, real);
    await screenshot(b, "ja-light-clock-corrected");
    await assertAccessible(b, "ja-light-clock-corrected");
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
    assert.match(await textOf(b, ".banner"), /このPCの時計は 45 秒進んでいます。このままではコードは拒否されます。/);
    assert.equal(
      await textOf(b, ".banner-reason"),
      `コードは補正していません。応答した時刻の情報源が 1 つ（NTP ${server}）だけで、補正には一致する 2 つの情報源が必要です。`,
    );
    assert.equal(await b.$(".badge").isDisplayed(), false);
    const [shown, pcCode] = await shownAndPcCode(pc, b, 45);
    assert.equal(shown, pcCode, "the codes stay on the PC's clock");
    await screenshot(b, "ja-light-clock-not-corrected");
    await assertAccessible(b, "ja-light-clock-not-corrected");
  }));

test("a server 20 s off the other stops the correction, with both figures", () =>
  withPc(skewedPc("-90s", { clock_correction: true, clock_servers: [server, ahead] }), async (pc) => {
    pc.cli("add", "--secret", KEY, "--issuer", "Payroll", "--account", "sato");
    const b = await pc.launch();
    await b.$(".banner-reason").waitForExist({ timeout: 15000 });
    assert.equal(await b.$(".banner").getAttribute("class"), "banner banner-error");
    assert.match(
      await textOf(b, ".banner-reason"),
      new RegExp(`時刻の情報源どうしで \\d+\\.\\d 秒食い違っており、許容範囲の 3 秒を超えています（NTP ${server} では 90 秒遅れ、NTP ${ahead} では 110 秒遅れ）`),
    );
    assert.equal(await b.$(".badge").isDisplayed(), false);
    const [shown, pcCode] = await shownAndPcCode(pc, b, -90);
    assert.equal(shown, pcCode);
  }));
