// Starts the real app through tauri-driver for end-to-end tests, each "PC" with its own
// data, config and vault folders. On Linux (WebKitWebDriver) it expects an X display and a
// Secret Service keyring, which scripts/test provides; on Windows (msedgedriver, named by
// NATIVE_DRIVER) the runner's own Credential Manager (.github/workflows/ci.yml).
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";
import { captureScreen } from "./xscreen.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const WINDOWS = process.platform === "win32";
const EXE = WINDOWS ? ".exe" : "";
// The benchmark drives release builds through the same harness.
export const APP = process.env.NINSHO_APP ?? path.join(ROOT, `target/debug/ninsho-app${EXE}`);
export const CLI = process.env.NINSHO_CLI ?? path.join(ROOT, `target/debug/ninsho${EXE}`);
/** An app's own command line, anchored: a bare pattern also matched the shell that
 *  named the binary in its arguments (the benchmark's), and pkill ended it. */
export const processPattern = (app) => `^${app.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
const DRIVER = process.env.TAURI_DRIVER ?? path.join(ROOT, `target/tools/bin/tauri-driver${EXE}`);
export const SHOTS = path.join(ROOT, "target/screenshots");

/** A port nothing listens on now, from the OS. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(port, ms) {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.end();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`tauri-driver did not listen on ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** A user's machine: folders for the vault and settings, and the CLI pointed at them. */
export class Pc {
  /** `app`: the binary to start, when not the build's own (an installed copy). */
  constructor({ lang = "en_US.UTF-8", settings = {}, env = {}, protectPrompt = false, app = APP } = {}) {
    this.app = app;
    this.dir = mkdtempSync(path.join(os.tmpdir(), "ninsho-e2e-"));
    this.vault = path.join(this.dir, "vault.ninsho");
    // Windows has no XDG folders: the app's settings live in the (throwaway) runner
    // account's %APPDATA%.
    const config = WINDOWS ? process.env.APPDATA : path.join(this.dir, "config");
    mkdirSync(path.join(config, "jp.ninsho.app"), { recursive: true });
    // Tests never reach for public time servers: the clock check is off unless a test
    // points it at its own server.
    const all = { clock_servers: [], clock_https_url: "", ...settings };
    writeFileSync(path.join(config, "jp.ninsho.app", "settings.json"), JSON.stringify(all));
    // The "keep your codes safe" screen would open over every test's first window; only
    // the test about it lets it come.
    const promptFile = path.join(config, "jp.ninsho.app", "protect-prompt.json");
    if (protectPrompt) rmSync(promptFile, { force: true });
    else writeFileSync(promptFile, JSON.stringify({ last: Math.floor(Date.now() / 1000), with_accounts: true }));
    this.env = {
      ...process.env,
      LANG: lang,
      LC_ALL: "",
      NINSHO_VAULT: this.vault,
      XDG_CONFIG_HOME: config,
      NO_AT_BRIDGE: "1",
      ...env,
    };
  }

  cli(...args) {
    return execFileSync(CLI, args, { env: this.env, encoding: "utf8" });
  }

  /**
   * Starts the app and returns a WebDriver session on its window. Once in about a hundred
   * CI launches the session never came up (WebKitWebDriver waiting, no app process); what
   * tauri-driver printed is logged, and the launch is tried once more.
   */
  async launch() {
    try {
      return await this.launchOnce();
    } catch (first) {
      const log = this.driverLog;
      await this.quit();
      console.error(`# the app's window did not come up (${first.message}); tauri-driver printed:\n${log.slice(-3000)}\n# launching again`);
      return await this.launchOnce();
    }
  }

  async launchOnce() {
    const [port, nativePort] = [await freePort(), await freePort()];
    const native = process.env.NATIVE_DRIVER ? ["--native-driver", process.env.NATIVE_DRIVER] : [];
    // In a process group of its own (not on Windows), so that quitting ends WebKitWebDriver
    // and the app with it instead of leaving them to the next test.
    this.driver = spawn(DRIVER, ["--port", String(port), "--native-port", String(nativePort), ...native], {
      env: this.env,
      stdio: ["ignore", "ignore", "pipe"],
      detached: !WINDOWS,
    });
    this.driverLog = "";
    this.driver.stderr.on("data", (d) => (this.driverLog += d));
    const exited = new Promise((_, reject) =>
      this.driver.once("exit", (code) => reject(new Error(`tauri-driver exited (${code}): ${this.driverLog}`))),
    );
    // tauri-driver listens before the native driver it started does, and forwards the new
    // session at once: asked too early, it dropped the connection (seen in CI twice in a
    // row, "UND_ERR_SOCKET", nothing printed). Both must be listening.
    await Promise.race([Promise.all([waitForPort(port, 15000), waitForPort(nativePort, 15000)]), exited]);
    // Its exit when the test quits is expected.
    exited.catch(() => {});
    this.browser = await remote({
      hostname: "127.0.0.1",
      port,
      logLevel: "error",
      // A window comes up in a few seconds even on a loaded CI machine.
      connectionRetryTimeout: 60000,
      connectionRetryCount: 0,
      capabilities: { "tauri:options": { application: this.app } },
    });
    return this.browser;
  }

  async quit() {
    if (this.browser) await this.browser.deleteSession().catch(() => {});
    this.browser = null;
    if (this.driver) {
      const alive = this.driver.exitCode === null && this.driver.signalCode === null;
      const gone = alive ? new Promise((r) => this.driver.once("exit", r)) : Promise.resolve();
      if (WINDOWS) {
        if (alive) this.driver.kill();
      } else {
        try {
          process.kill(-this.driver.pid, "SIGTERM");
        } catch {
          // The whole group has already gone.
        }
      }
      await gone;
    }
    this.driver = null;
    // The app is single-instance: the next launch must not find this one still running.
    const deadline = Date.now() + 10000;
    while (running(this.app) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (running(this.app)) kill(this.app);
  }
}

/** The pids of `app`'s processes (not on Windows). */
export function pidsOf(app) {
  try {
    return execFileSync("pgrep", ["-f", processPattern(app)], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function running(app) {
  if (WINDOWS) {
    const list = execFileSync("tasklist", ["/FI", "IMAGENAME eq ninsho-app.exe", "/NH"], { encoding: "utf8" });
    return list.includes("ninsho-app.exe");
  }
  try {
    execFileSync("pgrep", ["-f", processPattern(app)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function kill(app) {
  if (WINDOWS) execFileSync("taskkill", ["/F", "/IM", "ninsho-app.exe"], { stdio: "ignore" });
  else execFileSync("pkill", ["-KILL", "-f", processPattern(app)], { stdio: "ignore" });
}

/**
 * Runs `body` on a fresh PC and always closes the app, even when an assertion fails; a
 * failure leaves pictures of the page and of the whole screen in target/screenshots/.
 */
export function onPc(options, body) {
  return withPc(new Pc(options), body);
}

/** onPc for a PC made by the test itself (a skewed clock, a second PC kept for later). */
export async function withPc(pc, body) {
  try {
    await body(pc);
  } catch (e) {
    if (pc.browser) await screenshot(pc.browser, `failure-${Date.now()}`).catch(() => {});
    if (!WINDOWS) {
      try {
        screenshotScreen("failure-screen");
      } catch {
        // The test's own failure is the one to report.
      }
    }
    throw e;
  } finally {
    await pc.quit();
  }
}

export function clipboard() {
  try {
    return execFileSync("xclip", ["-selection", "clipboard", "-o"], { encoding: "utf8", timeout: 3000 });
  } catch {
    return "";
  }
}

export async function screenshot(browser, name) {
  mkdirSync(SHOTS, { recursive: true });
  await browser.pause(400);
  await browser.saveScreenshot(path.join(SHOTS, `${name}.png`));
}

/** Waits until the codes have at least `min` seconds left (the shared countdown's, else the
 *  first row's own), so a code read now stays valid. */
export async function awaitFreshCode(browser, min = 4) {
  await browser.waitUntil(
    async () => Number(await browser.$("#countdown:not([hidden]) .seconds, .row .seconds").getText()) >= min,
    { timeout: 35000, interval: 250 },
  );
}

/**
 * The rendered text of the first element matching `selector`. WebKitWebDriver's own
 * getText returns "" for text with Japanese characters, so ask the page instead.
 */
export function textOf(browser, selector) {
  return browser.execute((sel) => document.querySelector(sel)?.innerText ?? null, selector);
}

export const digitsOnly = (text) => text.replace(/\s/g, "");

/**
 * Waits for the native file dialog, gives it the keyboard (there is no window manager
 * under Xvfb to do that), then types a path into it and confirms. Returns when it
 * confirmed (Date.now()), for the benchmark.
 */
export async function typeIntoFileDialog(b, file, { save = false } = {}) {
  const dialog = await focusFileDialog(b);
  // Open dialogs take a path after Ctrl+L; save dialogs in their name field.
  execFileSync("xdotool", ["key", "--clearmodifiers", save ? "ctrl+a" : "ctrl+l"]);
  await b.pause(300);
  execFileSync("xdotool", ["type", "--delay", "15", file]);
  await b.pause(300);
  const confirmed = Date.now();
  execFileSync("xdotool", ["key", "Return"]);
  await dialogClosed(b, dialog, file);
  return confirmed;
}

/** In an open dialog that takes several files: goes to `folder`, selects every file in it
 *  (Ctrl+A in the file list, as a keyboard user would) and confirms. */
export async function chooseAllInFolder(b, folder) {
  const dialog = await focusFileDialog(b);
  execFileSync("xdotool", ["key", "--clearmodifiers", "ctrl+l"]);
  await b.pause(300);
  execFileSync("xdotool", ["type", "--delay", "15", folder.endsWith("/") ? folder : `${folder}/`]);
  await b.pause(300);
  // GTK completes the common start of the folder's file names, selected: Delete takes it
  // away, and Return on the folder opens it.
  execFileSync("xdotool", ["key", "Delete"]);
  execFileSync("xdotool", ["key", "Return"]);
  await b.pause(800);
  execFileSync("xdotool", ["key", "--clearmodifiers", "ctrl+a"]);
  await b.pause(300);
  execFileSync("xdotool", ["key", "Return"]);
  await dialogClosed(b, dialog, `every file in ${folder}`);
}

/** Waits for the native file dialog and gives it the keyboard (there is no window manager
 *  under Xvfb to do that). */
async function focusFileDialog(b) {
  let dialog;
  await b.waitUntil(
    () => {
      // By class: xdotool cannot match window names in Japanese.
      const ids = visibleWindows();
      const named = ids.map((id) => [Number(id), execFileSync("xdotool", ["getwindowname", id], { encoding: "utf8" }).trim()]);
      const others = named.filter(([, name]) => name !== "Ninsho" && name !== "").map(([id]) => id);
      dialog = others.length ? String(Math.max(...others)) : undefined;
      return Boolean(dialog);
    },
    { timeout: 10000, interval: 250, timeoutMsg: "no file dialog appeared" },
  );
  execFileSync("xdotool", ["windowfocus", "--sync", dialog]);
  await b.pause(500);
  return dialog;
}

async function dialogClosed(b, dialog, what) {
  try {
    await b.waitUntil(() => !visibleWindows().includes(dialog), { timeout: 5000, interval: 100 });
  } catch {
    const shot = screenshotScreen("file-dialog-still-open");
    throw new Error(`the file dialog (window ${dialog}) stayed open after choosing ${what}; the screen is in ${shot}`);
  }
}

function visibleWindows() {
  return execFileSync("xdotool", ["search", "--onlyvisible", "--class", "."], { encoding: "utf8" }).trim().split("\n");
}

/** Saves the whole X screen, native dialogs included, and returns the file's path. */
export function screenshotScreen(name) {
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}-${Date.now()}.png`);
  writeFileSync(file, captureScreen());
  return file;
}

/**
 * Gives the app's window the keyboard back after a file dialog closed, as a window manager
 * would (Xvfb has none); until then WebKit shows no focus ring, the window not being active.
 */
export function focusAppWindow() {
  const ids = execFileSync("xdotool", ["search", "--onlyvisible", "--name", "^Ninsho$"], { encoding: "utf8" }).trim().split("\n");
  execFileSync("xdotool", ["windowfocus", "--sync", ids[0]]);
}

const AXE_SOURCE = readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

/**
 * Runs axe-core (WCAG 2.0–2.2 A and AA rules) on the page as it is now and fails on any
 * serious or critical violation, naming the rule and the elements.
 */
export async function assertAccessible(b, where) {
  if (!(await b.execute(() => typeof window.axe === "object"))) await b.execute(`${AXE_SOURCE}\nreturn true;`);
  const violations = await b.executeAsync((done) => {
    window.axe
      .run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] }, resultTypes: ["violations"] })
      .then((r) =>
        done(
          r.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`),
        ),
      )
      .catch((e) => done([`axe failed: ${e}`]));
  });
  if (violations.length) throw new Error(`${where}: ${violations.length} accessibility violation(s):\n${violations.join("\n")}`);
}
