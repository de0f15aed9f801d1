// What every desktop must do, with nothing but the app and WebDriver: no X tools, so it also
// runs on Windows (tauri-driver with msedgedriver, .github/workflows/ci.yml) against the
// runner's real Credential Manager. scripts/test runs it on Linux with the rest.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { Pc, digitsOnly, screenshot, textOf } from "./harness.mjs";

const KEY = "JBSWY3DPEHPK3PXP";

test("first start makes the vault; a typed key shows the same code as `ninsho code`; a restart keeps it", async () => {
  const pc = new Pc();
  try {
    let b = await pc.launch();
    await b.$(".top").waitForExist({ timeout: 30000 });
    assert.ok(existsSync(pc.vault), "first start creates the vault, its key in the OS keyring");

    await b.$("button.add").click();
    await b.$("input[name=issuer]").setValue("給与システム");
    await b.$("input[name=account]").setValue("a-sato");
    await b.$("input[name=secret]").setValue(KEY.toLowerCase());
    await b.$("dialog.add-dialog button[type=submit]").click();
    const finish = b.$("dialog.finish-dialog");
    await finish.waitForExist({ timeout: 5000 });
    await b.waitUntil(async () => Number(await finish.$(".seconds").getText()) >= 4, { timeout: 35000, interval: 250 });
    const shown = digitsOnly(await finish.$(".big-code").getText());
    assert.equal(shown, pc.cli("code", "--secret", KEY).trim());
    await finish.$("button.primary").click();
    await screenshot(b, `everywhere-${process.platform}`);

    await pc.quit();
    b = await pc.launch();
    await b.$(".row").waitForExist({ timeout: 30000 });
    assert.match(await textOf(b, ".row"), /給与システム/);
    assert.match(pc.cli("list"), /a-sato/, "the CLI opens the app's vault through the same keyring entry");
  } finally {
    await pc.quit();
  }
});
