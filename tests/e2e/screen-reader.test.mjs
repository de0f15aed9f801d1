// The app heard through a real screen reader: Orca, GNOME's, listening to the app over
// AT-SPI as it does on a Linux desktop. Orca writes everything it would say to its debug
// log ("SPEECH OUTPUT: '…'"), which stands in for the speech synthesizer the test machine
// lacks. What it hears is what WebKitGTK exposes; VoiceOver and Narrator read the macOS and
// Windows web views' own trees, built from the same markup.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { onPc, ROOT, SHOTS } from "./harness.mjs";

const LINUX = process.platform === "linux";
const SECRET = "JBSWY3DPEHPK3PXP";
const SECOND_SECRET = "GEZDGNBVGY3TQOJQ";

function catalog(lang) {
  return JSON.parse(readFileSync(path.join(ROOT, `ui/src/i18n/${lang}.json`), "utf8"));
}

class Orca {
  constructor(env) {
    // Orca rewrites the X keymap (Caps Lock becomes its modifier) and, ended by a signal,
    // leaves it so: later tests typed into file dialogs with xdotool and one failed. The
    // keymap is put back when Orca stops.
    this.keymap = execFileSync("xkbcomp", ["-w0", env.DISPLAY, "-"]);
    this.display = env.DISPLAY;
    this.dir = mkdtempSync(path.join(os.tmpdir(), "ninsho-orca-"));
    this.log = "";
    // Orca writes its debug log through a block buffer: "Startup complete" sat unwritten
    // for as long as Orca had nothing more to say. Given a terminal, Python flushes each
    // line, so Orca runs under `script`, which gives it one and copies it out here.
    // No speech-dispatcher: starting one here (no sound card) held Orca's start for a long
    // time in some runs. Without it Orca still logs each utterance, and only the log is heard.
    const orca = `orca --replace --user-prefs '${this.dir}' --debug-file /dev/tty`;
    this.process = spawn("script", ["--quiet", "--flush", "--command", orca, "/dev/null"], {
      env: { ...env, SPEECHD_CMD: path.join(this.dir, "no-speech-dispatcher") },
      stdio: ["pipe", "pipe", "ignore"],
      detached: true,
    });
    this.process.stdout.setEncoding("utf8");
    this.process.stdout.on("data", (d) => (this.log += d));
    // A test that failed must not be held open by Orca still running.
    this.process.unref();
  }

  text() {
    return this.log;
  }

  /** Everything said so far, one utterance an item. */
  said() {
    return [...this.text().matchAll(/SPEECH OUTPUT: '(.*)'(?:\{.*\})?\r?$/gm)].map((m) => m[1]);
  }

  async started() {
    const deadline = Date.now() + 30000;
    while (!this.text().includes("Startup complete")) {
      if (Date.now() > deadline) throw new Error(`Orca did not start; its log ends:\n${this.text().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Waits for an utterance after the `from`th that `matches` accepts; returns its index. */
  async hear(matches, from, what, ms = 10000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const said = this.said();
      const at = said.findIndex((s, i) => i >= from && matches(s));
      if (at >= 0) return at;
      if (Date.now() > deadline) assert.fail(`Orca never said ${what}; it said: ${JSON.stringify(said.slice(from))}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async stop() {
    // `script` gives Orca a session of its own, so Orca is ended by its own process ID;
    // its SIGTERM handler waits on the AT-SPI bus and has been seen not to return.
    await end(pgrepOne(`--user-prefs ${this.dir}`));
    await end(this.process.pid);
    // The accessibility bus and its registry outlive Orca, the registry still holding
    // Orca's key listener: Return no longer reached the file dialogs of later tests. Both
    // end here; the bus starts afresh for whoever asks next.
    // The launcher is asked to stop rather than killed: killed, it left its bus daemon
    // running (holding the test run's output open) and its address on the X root window,
    // where the next Orca found it and could not connect.
    const a11yBus = /string "(.*)"/.exec(dbus(["--session", "--dest=org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus.GetAddress"]))?.[1];
    const bus = a11yBus ? [`--bus=${a11yBus}`] : null;
    const [registry, daemon] = bus ? [ownerPid(bus, "org.a11y.atspi.Registry"), ownerPid(bus, "org.freedesktop.DBus")] : [null, null];
    await end(registry);
    await end(ownerPid(["--session"], "org.a11y.Bus"), "SIGTERM");
    await end(daemon);
    execFileSync("xkbcomp", ["-w0", "-", this.display], { input: this.keymap });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function dbus(args) {
  try {
    return execFileSync("dbus-send", ["--print-reply", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return "";
  }
}

/** The process that owns a D-Bus name, or null. */
function ownerPid(bus, name) {
  const reply = dbus([...bus, "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.GetConnectionUnixProcessID", `string:${name}`]);
  const pid = Number(/uint32 (\d+)/.exec(reply)?.[1]);
  return pid || null;
}

function pgrepOne(pattern) {
  try {
    return Number(execFileSync("pgrep", ["-f", "--", pattern], { encoding: "utf8" }).trim().split("\n")[0]) || null;
  } catch {
    return null;
  }
}

/** Whether a process is still running; one that has ended but is not yet reaped is not. */
function alive(pid) {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Ends a process and waits until it has gone. */
async function end(pid, signal = "SIGKILL") {
  if (!pid || !alive(pid)) return;
  process.kill(pid, signal);
  const deadline = Date.now() + 5000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

/** "355986" → "3 5 5, 9 8 6", as the app names a code for screen readers. */
const digitByDigit = (code) => [code.slice(0, 3), code.slice(3)].map((g) => [...g].join(" ")).join(", ");

for (const lang of ["ja", "en"]) {
  test(`Orca reads codes digit by digit with the name and the seconds left, and names every control (${lang})`, { skip: !LINUX && "Orca is Linux's screen reader" }, () =>
    onPc({ lang: lang === "ja" ? "ja_JP.UTF-8" : "en_US.UTF-8", env: { NO_AT_BRIDGE: "0" } }, async (pc) => {
      const t = catalog(lang);
      pc.cli("add", "--secret", SECRET, "--issuer", "給与システム", "--account", "a-sato@example.co.jp", "--label", "A-ID 経理");
      pc.cli("add", "--secret", SECOND_SECRET, "--issuer", "勤怠管理", "--account", "b-sato@example.co.jp");
      pc.cli("add", "--secret", "JBSWY3DPEHPK3PXQ", "--issuer", "勤怠管理", "--account", "b-sato@example.co.jp");
      const orca = new Orca({ ...pc.env, NO_AT_BRIDGE: "0" });
      try {
        await orca.started();
        const b = await pc.launch();
        const secondsLeft = new RegExp(`^${t.list.shared_before}\\s*(\\d+)\\s*${t.list.shared_after}`);

        // The list takes the first focus: the first code, digit by digit after its name,
        // then the seconds left from the shared countdown's text. Orca may meet the window after that
        // first focus (it said only "Ninsho frame" in one run of ten); then ↓ ↑ bring the
        // focus back to the first code, as a user would.
        const first = (s) => s.startsWith("A-ID 経理: ");
        const atStart = await orca.hear(first, 0, "the first account's code", 5000).catch(() => null);
        const before = orca.said().length;
        if (atStart === null) {
          console.log(`# Orca missed the focus at start; it said ${JSON.stringify(orca.said())}`);
          await b.keys(["ArrowDown"]);
          await b.pause(300);
          await b.keys(["ArrowUp"]);
        }
        const nameAt = atStart ?? (await orca.hear(first, before, "the first account's code after ↓ ↑"));
        const spoken = orca.said()[nameAt];
        const now = Math.floor(Date.now() / 1000);
        const valid = [now, now - 30].map((at) => digitByDigit(pc.cli("code", "--secret", SECRET, "--time", String(at)).trim()));
        assert.ok(valid.some((code) => spoken.startsWith(`A-ID 経理: ${code}`)), `"${spoken}" is not the code (${valid.join(" or ")}) read digit by digit`);
        assert.doesNotMatch(spoken, /\d{2}/, "a code read as a number");
        const left = await orca.hear((s) => secondsLeft.test(s), nameAt + 1, "the seconds left");
        assert.equal(left, nameAt + 1, "the seconds left came later than with the code");

        // Seconds left are there on focus, not said every second: while the same code stays
        // focused and current, Orca stays quiet.
        await b.waitUntil(async () => Number(await b.execute(() => document.querySelector("#countdown .seconds")?.textContent)) >= 8, {
          timeout: 35000,
          interval: 250,
        });
        const quietFrom = orca.said().length;
        await b.pause(4000);
        assert.deepEqual(orca.said().slice(quietFrom), [], "Orca spoke while nothing changed but the seconds");

        // The next code, and a duplicate says so with its code.
        await b.keys(["ArrowDown"]);
        const second = await orca.hear((s) => s.startsWith("勤怠管理: "), quietFrom, "the second account's code");
        await orca.hear((s) => s.includes(t.list.duplicate), second, "that the account is a duplicate");

        // Buttons drawn with symbols have names in the user's language.
        await b.keys(["Tab"]);
        await orca.hear((s) => s.startsWith(`${t.list.edit}: 勤怠管理`), second, `"${t.list.edit}: 勤怠管理"`);
        const header = orca.said().length;
        await b.keys(["Control", "f"]);
        await orca.hear((s) => s.startsWith(t.header.search), header, `"${t.header.search}"`);
        for (const name of [t.header.scan, t.header.add, t.header.settings]) {
          const from = orca.said().length;
          await b.keys(["Tab"]);
          await orca.hear((s) => s.startsWith(name), from, `"${name}"`);
        }

        // A dialog reaches the screen reader as a dialog named by its title, the focus in its
        // first field, named; Esc gives the focus back to the button that opened it. (Orca 43
        // does not say a web dialog's name as the focus enters it, so its tree is checked.)
        const opening = orca.said().length;
        await b.keys(["Shift", "Tab"]);
        await orca.hear((s) => s.startsWith(t.header.add), opening, `"${t.header.add}" again`);
        await b.keys(["Enter"]);
        await orca.hear((s) => s.startsWith(t.add.issuer), opening, `the first field, "${t.add.issuer}"`);
        assert.ok(orca.text().includes(`[dialog | ${t.add.title}]`), `no dialog named "${t.add.title}" in the accessibility tree`);
        const closing = orca.said().length;
        await b.keys(["Escape"]);
        await orca.hear((s) => s.startsWith(t.header.add), closing, `"${t.header.add}" once the dialog closed`);

        const symbols = orca.said().filter((s) => /[＋+⚙✎⚠📌]/u.test(s));
        assert.deepEqual(symbols, [], "Orca read out a symbol drawn for the eye");
      } catch (e) {
        // What Orca heard and did, beside the failure's screenshot.
        mkdirSync(SHOTS, { recursive: true });
        writeFileSync(path.join(SHOTS, `orca-${lang}-failure.log`), orca.log);
        throw e;
      } finally {
        await orca.stop();
      }
    }),
  );
}
