import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../i18n";
import { setupHelp } from "./setup-help";

describe("setupHelp", () => {
  afterEach(() => setLanguage("en"));

  it("names each kind of service in both languages, with how it was checked", () => {
    for (const [lang, names] of [
      ["en", ["Standard codes", "Microsoft 365", "Okta", "Duo", "Google Authenticator export"]],
      ["ja", ["標準の QR コード", "Microsoft 365", "Okta", "Duo", "「別の認証アプリを使用します」"]],
    ] as const) {
      setLanguage(lang);
      const help = setupHelp();
      const text = help.textContent ?? "";
      for (const name of names) expect(text, `${lang}: ${name}`).toContain(name);
      expect(text).not.toContain("setup_help.");
      expect(help.querySelectorAll("li")).toHaveLength(6);
      // How it was checked, in words a user knows: no tool names.
      expect(help.querySelector("p")?.textContent).toMatch(lang === "en" ? /two other implementations/ : /別の 2 つの実装/);
      expect(help.open).toBe(false);
    }
  });
});
