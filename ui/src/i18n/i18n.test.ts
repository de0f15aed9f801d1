import { describe, expect, it } from "vitest";
import { catalogs, keysOf, setLanguage, t } from "./index";

describe("catalogs", () => {
  it("have the same keys in Japanese and English", () => {
    expect(keysOf(catalogs.ja).sort()).toEqual(keysOf(catalogs.en).sort());
  });

  it("use the same placeholders in both languages", () => {
    for (const key of keysOf(catalogs.ja)) {
      setLanguage("ja");
      const ja = t(key).match(/\{\w+\}/g)?.sort() ?? [];
      setLanguage("en");
      const en = t(key).match(/\{\w+\}/g)?.sort() ?? [];
      expect(ja, key).toEqual(en);
    }
  });

  it("has no English left untranslated in the Japanese catalog", () => {
    setLanguage("ja");
    const untranslated = keysOf(catalogs.ja).filter((key) => {
      const text = t(key);
      setLanguage("en");
      const english = t(key);
      setLanguage("ja");
      // Placeholders are the program's names, not words the user reads.
      const words = text.replace(/\{\w+\}/g, "");
      return text === english && /[a-z]{4,}/i.test(words) && !/^(Ninsho|otpauth|SHA|Okta|English$)/.test(text);
    });
    expect(untranslated).toEqual([]);
  });

  it("fills placeholders and marks the document language", () => {
    setLanguage("en");
    expect(t("transfer.import_n", { n: 12 })).toBe("Import 12");
    expect(document.documentElement.lang).toBe("en");
    setLanguage("ja");
    expect(t("transfer.import_n", { n: 12 })).toBe("12 件をインポート");
    expect(t("no.such.key")).toBe("no.such.key");
  });
});

describe("format names", () => {
  it("every backup format the Rust side lists has a name in both languages", async () => {
    const { readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    // Tests run from the repository root (npm run test:ui).
    const backupDir = join(process.cwd(), "crates/core/src/backup");
    const source = readFileSync(join(backupDir, "mod.rs"), "utf8");
    const modules = [...source.matchAll(/&(\w+)::(\w+),/g)].map((m) => m[1]);
    expect(modules.length).toBeGreaterThan(5);
    const ids: string[] = [];
    for (const file of new Set(modules)) {
      const text = readFileSync(join(backupDir, `${file}.rs`), "utf8");
      ids.push(...[...text.matchAll(/fn id\(&self\) -> &'static str \{\s*"([^"]+)"/g)].map((m) => m[1] ?? ""));
    }
    expect(ids.length).toBe(modules.length);
    for (const id of ids) {
      for (const language of ["ja", "en"] as const) {
        setLanguage(language);
        expect(t(`formats.${id}`), `${language}: ${id}`).not.toBe(`formats.${id}`);
      }
    }
  });
});
