// Updates, end to end: a local HTTPS update server on 127.0.0.1 (its own CA, trusted by the
// app through SSL_CERT_FILE, so the real TLS path is used) serves a manifest and the next
// version of this very app (built by scripts/test under the next patch number) signed by
// the tests' key, which the tests' builds trust (tests/e2e/update/). A copy of the app
// installed in the PC's folder finds the update, refuses a tampered file, a wrong key's
// signature and a cut download with the copy left as it was, installs the real one only
// when asked, and starts as the new version. An organization's `update_check: false`
// stops every request.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { APP, assertAccessible, Pc, pidsOf, ROOT, screenshot, textOf, withPc } from "./harness.mjs";

const NEXT_APP = path.join(ROOT, "target/update-test/ninsho-app-next");
const TAURI = path.join(ROOT, "node_modules/.bin/tauri");
const KEY = path.join(ROOT, "tests/e2e/update/test-signing.key");
const INSTALLED = JSON.parse(readFileSync(path.join(ROOT, "src-tauri/tauri.conf.json"), "utf8")).version;
const JA = JSON.parse(readFileSync(path.join(ROOT, "ui/src/i18n/ja.json"), "utf8"));
const ja = (key, params = {}) => key.split(".").reduce((n, k) => n[k], JA).replace(/\{(\w+)\}/g, (_, k) => String(params[k]));

const work = mkdtempSync(path.join(os.tmpdir(), "ninsho-update-"));
const sha = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");
/** The next patch version: what scripts/test built NEXT_APP as. */
let next = "";
let server;
let port = 0;
/** What the server answers now; each test sets it. */
let mode = "ok";
const requests = [];
const files = {};

function openssl(...args) {
  execFileSync("openssl", args, { cwd: work, stdio: "ignore" });
}

/** A signature as a release carries it: the CLI's, bound to the version. */
function sign(file, key, version) {
  execFileSync(TAURI, ["signer", "sign", "-f", key, "-p", "", "--app-version", version, file], { stdio: "ignore" });
  return readFileSync(`${file}.sig`, "utf8");
}

function manifest(file, signature, version = next) {
  return JSON.stringify({
    version,
    notes: `Ninsho ${next}\n- the update test's release`,
    pub_date: "2026-12-01T09:00:00Z",
    platforms: { "linux-x86_64": { url: `https://127.0.0.1:${port}/${file}`, signature } },
  });
}

before(async () => {
  assert.ok(existsSync(NEXT_APP), "scripts/test builds the next version first");
  next = JSON.parse(readFileSync(path.join(ROOT, "src-tauri/tauri.conf.json"), "utf8")).version.replace(/\d+$/, (p) => String(Number(p) + 1));
  openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Ninsho update test CA", "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
  openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
  writeFileSync(path.join(work, "ext.cnf"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
  openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf");

  server = https.createServer({ key: readFileSync(path.join(work, "server.key")), cert: readFileSync(path.join(work, "server.pem")) }, (req, res) => {
    requests.push({ method: req.method, url: req.url, headers: Object.keys(req.headers).sort(), agent: req.headers["user-agent"] });
    if (req.url === "/latest.json") {
      if (mode === "drop") return req.socket.destroy();
      if (mode === "error") return res.writeHead(500).end("Internal Server Error");
      if (mode === "garbage") return res.writeHead(200, { "content-type": "application/json" }).end("{ not json");
      return res.writeHead(200, { "content-type": "application/json" }).end(files.manifests[mode]);
    }
    if (req.url === "/Ninsho.AppImage") return res.writeHead(200, { "content-length": files.good.length }).end(files.good);
    if (req.url === "/tampered.AppImage") return res.writeHead(200, { "content-length": files.tampered.length }).end(files.tampered);
    if (req.url === "/ninsho.deb") return res.writeHead(200, { "content-length": files.deb.length }).end(files.deb);
    if (req.url === "/older.AppImage") return res.writeHead(200, { "content-length": files.older.length }).end(files.older);
    // Says it is 10 GB, and trickles.
    if (req.url === "/huge.AppImage") {
      res.writeHead(200, { "content-length": 10 * 1024 ** 3 });
      res.write(Buffer.alloc(64 * 1024));
      const timer = setInterval(() => res.write(Buffer.alloc(1024)), 200);
      return req.socket.on("close", () => clearInterval(timer));
    }
    if (req.url === "/cut.AppImage") {
      res.writeHead(200, { "content-length": files.good.length });
      return res.write(files.good.subarray(0, files.good.length >> 1), () => req.socket.destroy());
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = server.address().port;
  const good = path.join(work, "Ninsho.AppImage");
  copyFileSync(NEXT_APP, good);
  const goodSignature = sign(good, KEY, next);
  const tampered = Buffer.from(readFileSync(good));
  tampered[tampered.length >> 1] ^= 0x01;
  execFileSync(TAURI, ["signer", "generate", "-w", path.join(work, "other.key"), "-p", "", "--ci"], { stdio: "ignore" });
  // Another bundle of the same release, signed like the rest: not what this copy installs.
  const deb = path.join(work, "ninsho.deb");
  writeFileSync(deb, "!<arch>\ndebian-binary   1700000000  0     0     100644  4         `\n2.0\n");
  const debSignature = sign(deb, KEY, next);
  // A genuine older release's file and signature, announced as the next version.
  const older = path.join(work, "older.AppImage");
  copyFileSync(APP, older);
  const olderSignature = sign(older, KEY, INSTALLED);
  files.good = readFileSync(good);
  files.deb = readFileSync(deb);
  files.tampered = tampered;
  files.manifests = {
    ok: manifest("Ninsho.AppImage", goodSignature),
    tampered: manifest("tampered.AppImage", goodSignature),
    wrong_key: manifest("Ninsho.AppImage", sign(good, path.join(work, "other.key"), next)),
    cut: manifest("cut.AppImage", goodSignature),
    huge: manifest("huge.AppImage", goodSignature),
    wrong_file: manifest("ninsho.deb", debSignature),
    old_signed: manifest("older.AppImage", olderSignature),
    same: manifest("older.AppImage", olderSignature, INSTALLED),
  };
  files.older = readFileSync(older);
});

after(() => server?.close());

/** A PC with Ninsho installed in its own folder (the way the per-user install is: the user
 *  may replace it), the organization's policy naming the local server. */
function installedPc(policy, lang = "ja_JP.UTF-8") {
  const probe = new Pc({ lang });
  const folder = path.join(probe.dir, "Ninsho");
  mkdirSync(folder);
  const app = path.join(folder, "ninsho-app");
  copyFileSync(APP, app);
  chmodSync(app, 0o755);
  const pc = new Pc({ lang, app });
  const policyFile = path.join(pc.dir, "policy.json");
  writeFileSync(policyFile, JSON.stringify({ version: 1, update_url: `https://127.0.0.1:${port}/latest.json`, ...policy }));
  Object.assign(pc.env, { NINSHO_POLICY_FILE: policyFile, SSL_CERT_FILE: path.join(work, "ca.pem"), SSL_CERT_DIR: work, HTTPS_PROXY: "", https_proxy: "", NO_PROXY: "127.0.0.1" });
  return { pc, app };
}

async function openUpdates(b) {
  await b.$("header .icon-button.settings").click();
  await b.$("dialog.settings-dialog .update-group").waitForExist({ timeout: 5000 });
}

const status = (b) => textOf(b, "dialog.settings-dialog .update-status");

async function statusBecomes(b, expected, timeout = 20000) {
  await b.waitUntil(async () => (await status(b)) === expected, { timeout, timeoutMsg: `update status stayed "${await status(b)}", not "${expected}"` });
}

async function checkNow(b) {
  await b.$("dialog.settings-dialog button[name=update-check]").waitForClickable({ timeout: 20000 });
  await b.$("dialog.settings-dialog button[name=update-check]").click();
}

const unchanged = () => ja("update.unchanged", { installed: INSTALLED });

test("an update is found, a bad one refused with the app unchanged, the signed one installed only when asked, and the new version starts", async () => {
  mode = "drop";
  const { pc, app } = installedPc({});
  const before = sha(app);
  await withPc(pc, async (pc) => {
    const b = await pc.launch();
    await b.$(".row, .empty").waitForExist({ timeout: 15000 });
    await openUpdates(b);
    // The look at start found no server: said here, never in a banner over the codes.
    await statusBecomes(b, `${ja("update.failure.offline")} ${unchanged()}`);
    assert.equal((await b.$$(".update-banner")).length, 0, "a failed look in the background interrupts nothing");
    assert.equal(await textOf(b, "dialog.settings-dialog .update-group p.hint:last-child"), ja("update.server_managed", { source: pc.env.NINSHO_POLICY_FILE }));

    mode = "error";
    await checkNow(b);
    await statusBecomes(b, `${ja("update.failure.server_error")} ${unchanged()}`);
    mode = "garbage";
    await checkNow(b);
    await statusBecomes(b, `${ja("update.failure.bad_manifest")} ${unchanged()}`);

    const refused = async (failure, why) => {
      await checkNow(b);
      await statusBecomes(b, ja("update.available", { version: next, installed: INSTALLED }));
      await b.$("dialog.settings-dialog button[name=update-install]").click();
      await statusBecomes(b, `${ja(`update.failure.${failure}`)} ${unchanged()}`, 60000);
      assert.equal(sha(app), before, why);
    };
    for (const [served, failure, why] of [
      ["tampered", "bad_signature", "a file changed on the way is refused by its signature"],
      ["wrong_key", "bad_signature", "a signature by another key is refused"],
      ["cut", "download_cut", "half a file is never installed"],
      ["huge", "too_large", "a download larger than any release is stopped at its stated length"],
      ["wrong_file", "wrong_file", "the release's own signed .deb is not written over this copy"],
      ["old_signed", "bad_signature", "an older release's genuine file offered as the next version (a downgrade)"],
    ]) {
      mode = served;
      await refused(failure, why);
    }
    mode = "same";
    await checkNow(b);
    await b.waitUntil(async () => (await status(b)).startsWith(ja("update.current", { installed: INSTALLED, when: "" }).split("（")[0]), { timeout: 20000 });

    mode = "ok";
    await checkNow(b);
    await statusBecomes(b, ja("update.available", { version: next, installed: INSTALLED }));
    await b.keys("Escape");
    // The banner over the list: the version, its notes, the install button.
    await b.$(".update-banner").waitForExist({ timeout: 5000 });
    assert.equal(await textOf(b, ".update-banner .banner-title"), ja("update.available", { version: next, installed: INSTALLED }));
    await b.$(".update-banner summary").click();
    assert.match(await textOf(b, ".update-banner details p"), /the update test's release/);
    await screenshot(b, "ja-light-update-available");
    await assertAccessible(b, "update banner");
    assert.equal(sha(app), before, "nothing is installed before the user asks");

    await b.$(".update-banner button[name=update-install]").click();
    await b.waitUntil(async () => (await textOf(b, ".update-banner .banner-title")) === ja("update.ready", { version: next }), { timeout: 60000 });
    assert.equal(sha(app), sha(NEXT_APP), "the signed update replaced the installed app");
    await screenshot(b, "ja-light-update-ready");

    const [old] = pidsOf(app);
    // The window goes with its process, the click's answer with it.
    await b.$(".update-banner button[name=update-restart]").click().catch(() => {});
    // The app ends and starts again from the same place: now the new version.
    let restarted = [];
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) {
      restarted = pidsOf(app).filter((pid) => pid !== old);
      if (restarted.length > 0 && !pidsOf(app).includes(old)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(restarted.length, 1, "one new process after the restart");
    assert.ok(!pidsOf(app).includes(old), "the old version has ended");
    execFileSync("kill", [String(restarted[0])]);
    await b.waitUntil(async () => pidsOf(app).length === 0, { timeout: 10000 }).catch(() => {});
  });

  // Started again: Settings names the new version, and the look at start finds nothing newer.
  await withPc(pc, async (pc) => {
    const b = await pc.launch();
    await b.$(".row, .empty").waitForExist({ timeout: 15000 });
    await openUpdates(b);
    assert.match(await textOf(b, "dialog.settings-dialog .about"), new RegExp(`^Ninsho ${next.replace(/\./g, "\\.")}・`));
    await b.waitUntil(async () => (await status(b)).startsWith(ja("update.current", { installed: next, when: "" }).split("（")[0]), { timeout: 20000 });
  });

  // Nothing but the manifest and the files asked for, and nothing about this PC.
  for (const r of requests) {
    assert.equal(r.method, "GET");
    assert.ok(["/latest.json", "/Ninsho.AppImage", "/tampered.AppImage", "/cut.AppImage", "/huge.AppImage", "/ninsho.deb", "/older.AppImage"].includes(r.url), r.url);
    assert.deepEqual(r.headers.filter((h) => !["accept", "host", "user-agent"].includes(h)), [], `${r.url}: ${r.headers}`);
    assert.match(r.agent, /^tauri-plugin-updater\/2\./);
  }
});

test("the organization's update_check: false sends nothing and refuses a check or an install from the page", async () => {
  const { pc } = installedPc({ update_check: false }, "en_US.UTF-8");
  await withPc(pc, async (pc) => {
    mode = "ok";
    const counted = requests.length;
    const b = await pc.launch();
    await b.$(".row, .empty").waitForExist({ timeout: 15000 });
    await openUpdates(b);
    assert.equal(await status(b), `Your organization (IT) deploys updates to this PC (set by ${pc.env.NINSHO_POLICY_FILE}).`);
    assert.ok(await b.$("dialog.settings-dialog input[name=update_check]").getAttribute("disabled") !== null, "the box shows as managed");
    assert.equal(await textOf(b, "#managed-update_check"), `Managed by your organization (${pc.env.NINSHO_POLICY_FILE})`);
    assert.equal((await b.$$("dialog.settings-dialog button[name=update-check]")).length, 0);
    const invoke = (command) =>
      b.executeAsync(
        (command, done) => window.__TAURI_INTERNALS__.invoke(command, {}).then((value) => done({ value }), (e) => done({ refused: e.key ?? String(e) })),
        command,
      );
    // The page is untrusted: the rule holds where the command runs.
    assert.deepEqual(await invoke("update_check"), { refused: "update_checks_off" });
    assert.deepEqual(await invoke("update_install"), { refused: "update_checks_off" });
    // The plugin's own commands are not the page's.
    for (const command of ["plugin:updater|check", "plugin:updater|download_and_install", "plugin:updater|install"]) {
      assert.match((await invoke(command)).refused ?? "", /not allowed/, command);
    }
    await new Promise((r) => setTimeout(r, 7000));
    assert.equal(requests.length, counted, "not one request to the update server");
    await screenshot(b, "en-light-update-managed-off");
  });
});

test("behind a proxy the look goes through it (the proxy the system names)", async () => {
  const tunnels = [];
  const proxy = http.createServer((_, res) => res.writeHead(405).end());
  proxy.on("connect", (req, client, head) => {
    tunnels.push(req.url);
    const [host, target] = req.url.split(":");
    const upstream = net.connect(Number(target), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { pc } = installedPc({}, "en_US.UTF-8");
  Object.assign(pc.env, { HTTPS_PROXY: `http://127.0.0.1:${proxy.address().port}`, NO_PROXY: "" });
  try {
    await withPc(pc, async (pc) => {
      mode = "ok";
      const b = await pc.launch();
      await b.$(".update-banner").waitForExist({ timeout: 20000 });
      assert.deepEqual([...new Set(tunnels)], [`127.0.0.1:${port}`], "the manifest was asked for through the proxy");
    });
  } finally {
    proxy.close();
  }
});
