// Import and export in the real app, choosing files in the real GTK file dialog (typed
// into with xdotool, as a keyboard user would), and moving accounts to a second "PC".
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { assertAccessible, awaitFreshCode, digitsOnly, Pc, ROOT, screenshot, textOf, typeIntoFileDialog, withPc } from "./harness.mjs";

const SAMPLES = path.join(ROOT, "crates/cli/tests/samples");
const PASSWORD = "春の合言葉 2026";

async function openSettingsButton(b, name) {
  await b.$("header .icon-button.settings").click();
  await b.$(`dialog.settings-dialog button[name=${name}]`).click();
}

/** Settings → Import → the file in the file dialog → its password form appears. */
async function importEncrypted(b, file) {
  await b.$(".top").waitForExist({ timeout: 15000 });
  await openSettingsButton(b, "import");
  await b.$("dialog.import-dialog button.primary").click();
  await typeIntoFileDialog(b, file);
  await b.$("dialog.import-dialog input[name=file-password]").waitForExist({ timeout: 10000 });
}

test("importing the extension's authenticator.txt shows a preview, then adds the new accounts", () =>
  withPc(new Pc({ lang: "ja_JP.UTF-8" }), async (pc) => {
    pc.cli("add", "--secret", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "--issuer", "Gitea", "--account", "bob@example.net");
    const b = await pc.launch();
    await b.$(".row").waitForExist({ timeout: 15000 });
    await openSettingsButton(b, "import");
    await b.$("dialog.import-dialog button.primary").click();
    await typeIntoFileDialog(b, path.join(SAMPLES, "authenticator.txt"));
    await b.$("dialog.import-dialog .preview").waitForExist({ timeout: 10000 });
    const preview = await textOf(b, "dialog.import-dialog");
    assert.match(preview, /「Gitea（bob@example\.net）」として登録済み/);
    assert.match(preview, /ファイル内で重複/);
    const ticked = async () => (await b.$$("dialog.import-dialog .preview input[type=checkbox]:checked")).length;
    assert.equal(await ticked(), 7);
    // "Select all" unticks every account that can be imported at once, then ticks them again.
    const all = await b.$("dialog.import-dialog input[name=select-all]");
    assert.equal(await all.isSelected(), true);
    await b.execute((el) => el.focus(), all);
    await b.keys(" ");
    assert.equal(await ticked(), 0);
    assert.equal(await b.$("dialog.import-dialog .dialog-actions button.primary").isEnabled(), false);
    await b.keys(" ");
    assert.equal(await ticked(), 7);
    await screenshot(b, "ja-light-import-preview");
    await b.$("dialog.import-dialog .dialog-actions button.primary").click();
    await b.waitUntil(async () => (await b.$$(".row")).length === 8, { timeout: 5000 });
    assert.equal(JSON.parse(pc.cli("--json", "list")).length, 8);
  }));

test("an encrypted extension backup asks for its password", () =>
  withPc(new Pc(), async (pc) => {
    const file = path.join(pc.dir, "enc.json");
    execFileSync(path.join(ROOT, "target/debug/ninsho"), ["convert", "--to", "authenticator-encrypted", "--export-password-env", "P", "-o", file, path.join(SAMPLES, "authenticator.json")], {
      env: { ...pc.env, P: PASSWORD },
    });
    const b = await pc.launch();
    await importEncrypted(b, file);
    await b.$("dialog.import-dialog input[name=file-password]").setValue("wrong");
    await b.$("dialog.import-dialog form button.primary").click();
    await b.waitUntil(async () => /password is wrong/.test((await textOf(b, "dialog.import-dialog .form-error")) ?? ""), { timeout: 10000 });
    await b.$("dialog.import-dialog input[name=file-password]").setValue(PASSWORD);
    await b.$("dialog.import-dialog form button.primary").click();
    await b.$("dialog.import-dialog .preview").waitForExist({ timeout: 10000 });
    await b.$("dialog.import-dialog .dialog-actions button.primary").click();
    await b.waitUntil(async () => (await b.$$(".row")).length === 4, { timeout: 5000 });
  }));

const PEER_SAMPLES = path.join(ROOT, "crates/core/src/backup/samples");
/** A fixed moment, so that Ninsho's code and oathtool's are for the same 30 s. */
const AT = 1_700_000_000;
const oathtool = (key) => execFileSync("oathtool", ["--totp", "-b", `--now=@${AT}`, key], { encoding: "utf8" }).trim();

test("a Bitwarden CSV imports through the file dialog, the preview naming the app in Japanese", () =>
  withPc(new Pc({ lang: "ja_JP.UTF-8" }), async (pc) => {
    const b = await pc.launch();
    await b.$(".top").waitForExist({ timeout: 15000 });
    await openSettingsButton(b, "import");
    await b.$("dialog.import-dialog button.primary").click();
    await typeIntoFileDialog(b, path.join(PEER_SAMPLES, "password_csv/bitwarden-aegis.csv"));
    await b.$("dialog.import-dialog .preview").waitForExist({ timeout: 10000 });
    const preview = await textOf(b, "dialog.import-dialog");
    assert.match(preview, /bitwarden-aegis\.csv — Bitwarden のエクスポート（CSV）/);
    assert.match(preview, /Deno · Mason/);
    await screenshot(b, "ja-light-import-bitwarden-csv");
    const ticked = (await b.$$("dialog.import-dialog .preview input[type=checkbox]:checked")).length;
    await b.$("dialog.import-dialog .dialog-actions button.primary").click();
    await b.waitUntil(async () => (await b.$$(".row")).length === ticked, { timeout: 5000 });
    const stored = JSON.parse(pc.cli("--json", "list"));
    assert.ok(stored.some((a) => a.issuer === "Deno" && a.account === "Mason"));
    assert.equal(pc.cli("code", "Deno", "--time", String(AT)).trim(), oathtool("4SJHB4GSD43FZBAI7C2HLRJGPQ"));
  }));

test("an encrypted Proton Authenticator export asks for its password, named for Proton, then imports", () =>
  withPc(new Pc({ lang: "ja_JP.UTF-8" }), async (pc) => {
    const b = await pc.launch();
    await importEncrypted(b, path.join(PEER_SAMPLES, "proton/proton_encrypted.json"));
    assert.match(await textOf(b, "dialog.import-dialog"), /Proton Authenticator でエクスポートしたときに決めたパスワード/);
    await b.$("dialog.import-dialog input[name=file-password]").setValue("wrong");
    await b.$("dialog.import-dialog form button.primary").click();
    await b.waitUntil(async () => /パスワードが違うか/.test((await textOf(b, "dialog.import-dialog .form-error")) ?? ""), { timeout: 15000 });
    await b.$("dialog.import-dialog input[name=file-password]").setValue("Proton パスワード 2025");
    await b.$("dialog.import-dialog form button.primary").click();
    await b.$("dialog.import-dialog .preview").waitForExist({ timeout: 15000 });
    assert.match(await textOf(b, "dialog.import-dialog"), /proton_encrypted\.json — Proton Authenticator のエクスポート/);
    await screenshot(b, "ja-light-import-proton-encrypted");
    await b.$("dialog.import-dialog .dialog-actions button.primary").click();
    await b.waitUntil(async () => (await b.$$(".row")).length === 4, { timeout: 5000 });
    assert.equal(pc.cli("code", "GitHub", "--time", String(AT)).trim(), oathtool("JBSWY3DPEHPK3PXP"));
  }));

test("moving to another PC: export a Ninsho transfer file, import it there, same codes", async () => {
  const first = new Pc();
  const file = path.join(first.dir, "move.ninsho");
  first.cli("add", "--secret", "KRUGKIDROVUWG2ZAMJZG653O", "--issuer", "Payroll", "--account", "sato", "--label", "B-ID");
  await withPc(first, async (pc) => {
    const b = await pc.launch();
    await b.$(".row").waitForExist({ timeout: 15000 });
    await openSettingsButton(b, "export");
    await b.$("dialog.export-dialog input[name=export-password]").waitForExist({ timeout: 5000 });
    const format = await b.$("dialog.export-dialog input[name=format]:checked");
    await format.waitForExist({ timeout: 5000 });
    assert.equal(await format.getValue(), "ninsho", "the encrypted transfer file is the default");
    await b.$("dialog.export-dialog input[name=export-password]").setValue(PASSWORD);
    await b.$("dialog.export-dialog input[name=export-password-again]").setValue(PASSWORD);
    await screenshot(b, "en-light-export");
    await assertAccessible(b, "en-light-export");
    await b.$("dialog.export-dialog button.primary").click();
    await typeIntoFileDialog(b, file, { save: true });
    await b.waitUntil(() => existsSync(file), { timeout: 10000 });
  });
  assert.ok(!readFileSync(file).includes("Payroll"), "nothing readable in the transfer file");

  await withPc(new Pc(), async (pc) => {
    const b = await pc.launch();
    await importEncrypted(b, file);
    await b.$("dialog.import-dialog input[name=file-password]").setValue(PASSWORD);
    await b.$("dialog.import-dialog form button.primary").click();
    await b.$("dialog.import-dialog .preview").waitForExist({ timeout: 10000 });
    await b.$("dialog.import-dialog .dialog-actions button.primary").click();
    await b.$(".row").waitForExist({ timeout: 5000 });
    assert.equal(await textOf(b, ".row .primary"), "B-ID", "the label travelled too");
    await awaitFreshCode(b);
    assert.equal(digitsOnly(await b.$(".row .code .digits").getText()), first.cli("code", "--secret", "KRUGKIDROVUWG2ZAMJZG653O").trim());
  });
});

test("a file with broken lines: the good accounts import, each broken line named in Japanese with its line number", () =>
  withPc(new Pc({ lang: "ja_JP.UTF-8" }), async (pc) => {
    const file = path.join(pc.dir, "authenticator.txt");
    writeFileSync(
      file,
      [
        "otpauth://totp/Wiki:s.sato?secret=GEZDGNBVGY3TQOJQ&issuer=Wiki",
        "otpauth://totp/Mail:sato?issuer=Mail",
        "これはメモです",
        "otpauth://totp/VPN:ops?secret=AAAA1AAZ&issuer=VPN",
        "otpauth://totp/Chat:sato?secret=MFRGGZDFMZTWQ2LK&issuer=Chat&algorithm=GOST",
      ].join("\n"),
    );
    const b = await pc.launch();
    await b.$(".top").waitForExist({ timeout: 15000 });
    await openSettingsButton(b, "import");
    await b.$("dialog.import-dialog button.primary").click();
    await typeIntoFileDialog(b, file);
    await b.$("dialog.import-dialog .problems").waitForExist({ timeout: 10000 });
    const problems = await b.execute(() => [...document.querySelectorAll("dialog.import-dialog .problems li")].map((li) => li.textContent));
    assert.deepEqual(problems, [
      "2 行目: URI に secret= （キー）がありません。",
      "3 行目: otpauth:// で始まる行ではありません。",
      "4 行目: キーに使えない文字「1」が含まれています（使えるのは A～Z と 2～7）。0 と O、1 と I を見間違えていないか確認してください。",
      "5 行目: アルゴリズム「GOST」は使えません（SHA1、SHA256、SHA512）。",
    ]);
    // Only the file's own words are Latin: the scheme, the parameter, the algorithm.
    for (const line of problems) assert.doesNotMatch(line.replace(/otpauth:\/\/|secret=|URI|SHA\d+|GOST/g, ""), /[a-z]{3,}/i, "no English words");
    await screenshot(b, "ja-light-import-problems");
    await assertAccessible(b, "ja-light-import-problems");
    await b.$("dialog.import-dialog .dialog-actions button.primary").click();
    await b.waitUntil(async () => (await b.$$(".row")).length === 1, { timeout: 5000 });
  }));
