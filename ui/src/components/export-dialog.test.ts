import { afterEach, describe, expect, it } from "vitest";
import type { Exported, FormatView, Remark } from "../api";
import { setLanguage } from "../i18n";
import { exportedMessage, filePasswordLabel, formatOrder } from "./export-dialog";
import { filePasswordHint } from "./import-dialog";

// In the Rust side's order (crates/core/src/backup/mod.rs FORMATS, writable ones).
const FORMATS: FormatView[] = ["ninsho", "aegis", "aegis-encrypted", "authenticator-encrypted", "authenticator-json", "google-migration", "authenticator-txt", "otpauth"].map(
  (id) => ({ id, encrypted: id === "ninsho" || id.endsWith("encrypted"), allowed: true }),
);

describe("the export dialog's formats", () => {
  afterEach(() => setLanguage("en"));

  it("are grouped by where the accounts go, encrypted first in each group", () => {
    expect(formatOrder(FORMATS).map((f) => f.id)).toEqual([
      "ninsho",
      "authenticator-encrypted",
      "authenticator-json",
      "authenticator-txt",
      "aegis-encrypted",
      "aegis",
      "google-migration",
      "otpauth",
    ]);
  });

  it("keeps a format the organization refuses in its place", () => {
    const refused = FORMATS.map((f) => (f.id === "ninsho" ? { ...f, allowed: false } : f));
    expect(formatOrder(refused)[0]).toEqual({ id: "ninsho", encrypted: true, allowed: false });
  });

  it("names a new file's password by where it is typed again", () => {
    setLanguage("ja");
    expect(filePasswordLabel("ninsho")).toBe("このファイルのパスワード（インポートする PC で入力します）");
    expect(filePasswordLabel("authenticator-encrypted")).toContain("拡張機能でインポートするとき");
    expect(filePasswordLabel("aegis-encrypted")).toContain("Aegis でインポートするとき");
  });

  it("says, when a file asks for its password, which password that is", () => {
    setLanguage("ja");
    expect(filePasswordHint("ninsho")).toContain("自動バックアップのパスワード");
    expect(filePasswordHint("authenticator-encrypted")).toContain("拡張機能");
    expect(filePasswordHint("otpauth")).toBeUndefined();
    expect(filePasswordHint(undefined)).toBeUndefined();
  });
});

describe("what an export did", () => {
  afterEach(() => setLanguage("en"));

  it("is sentences joined as each language joins them, names in full-width brackets in Japanese", () => {
    const steam: [string, Remark] = ["Steam", "steam_unsupported"];
    const done: Exported = { file: "a.json", count: 2, skipped: [steam], note: "json_instead_of_txt", qr_svgs: [] };
    setLanguage("ja");
    expect(exportedMessage(done)).toBe(
      "2 件のアカウントを a.json にエクスポートしました。エクスポートできなかったアカウント: 「Steam」（Google 認証システムは Steam のコードに対応していません）。" +
        "Steam と Battle.net のアカウントは authenticator.txt にエクスポートできないため、拡張機能と同じく authenticator.json 形式でエクスポートしました。",
    );
    setLanguage("en");
    expect(exportedMessage({ ...done, skipped: [], note: null })).toBe("Wrote 2 account(s) to a.json.");
    expect(exportedMessage({ ...done, note: null })).toBe("Wrote 2 account(s) to a.json. Not exported: Steam (Google Authenticator has no Steam codes).");
  });
});
