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
