// The global shortcut in Settings: shown as the OS writes it, changed by pressing the new
// combination in its field, stored as the accelerator Rust parses, and then working.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { onPc, screenshot, textOf } from "./harness.mjs";

test("the shortcut field shows Ctrl+Shift+K, records a new combination, and Esc puts the old one back", () =>
  onPc({ lang: "ja_JP.UTF-8" }, async (pc) => {
    pc.cli("add", "--secret", "JBSWY3DPEHPK3PXP", "--issuer", "給与システム", "--account", "a-sato");
    const b = await pc.launch();
    await b.$(".row").waitForExist({ timeout: 15000 });
    await b.$("header button.settings").click();
    const field = await b.$("dialog.settings-dialog input[name=shortcut]");
    await field.waitForExist({ timeout: 5000 });
    assert.equal(await field.getValue(), "Ctrl+Shift+K");
    assert.doesNotMatch(await textOf(b, "dialog.settings-dialog"), /CommandOrControl/);

    await b.execute((el) => {
      el.scrollIntoView({ block: "center" });
      el.focus();
    }, field);
    await b.keys(["Control", "Alt", "j"]);
    assert.equal(await field.getValue(), "Ctrl+Alt+J");
    assert.equal(await textOf(b, "#shortcut-status"), "Ctrl+Alt+J を記録しました。［保存］で使えるようになります。");
    await screenshot(b, "shortcut-recorded");
    // Esc takes the recording back and leaves the dialog open; a key alone is refused.
    await b.keys(["Escape"]);
    assert.equal(await field.getValue(), "Ctrl+Shift+K");
    assert.ok(await b.$("dialog.settings-dialog").isExisting(), "the first Esc only put the shortcut back");
    await b.keys(["k"]);
    assert.equal(await field.getValue(), "Ctrl+Shift+K");
    assert.match(await textOf(b, "#shortcut-status"), /Ctrl、Alt、Super キーのどれかと一緒に押してください/);

    await b.keys(["Control", "Alt", "j"]);
    await b.execute(() => document.querySelector("dialog.settings-dialog button[type=submit]").click());
    await b.waitUntil(async () => !(await b.$("dialog.settings-dialog").isExisting()), { timeout: 5000, timeoutMsg: "Settings did not save" });
    const saved = JSON.parse(readFileSync(path.join(pc.dir, "config", "jp.ninsho.app", "settings.json"), "utf8"));
    assert.equal(saved.shortcut, "CommandOrControl+Alt+J");

    // Rust took it: pressed on the X server, it brings the window forward at search.
    await b.execute(() => document.querySelector("button.code")?.focus());
    execFileSync("xdotool", ["key", "--clearmodifiers", "ctrl+alt+j"]);
    await b.waitUntil(() => b.execute(() => document.activeElement?.matches("input.search") ?? false), {
      timeout: 5000,
      timeoutMsg: "the recorded shortcut did not focus search",
    });
  }));
