import { afterEach, describe, expect, it } from "vitest";
import { errorText } from "./errors";
import { setLanguage } from "./i18n";

describe("errorText", () => {
  afterEach(() => setLanguage("en"));

  it("puts a keyring failure's reason, in the user's language, into the message", () => {
    setLanguage("ja");
    const text = errorText({
      key: "keyring_unavailable",
      params: { reason: "not_allowed", detail: "Windows ERROR_NO_SUCH_LOGON_SESSION" },
    });
    expect(text).toContain("資格情報の保存を許可していません");
    expect(text).toContain("ERROR_NO_SUCH_LOGON_SESSION");
    expect(text).toContain("パスフレーズで開いてください");
    expect(text).not.toContain("{");
  });

  it("gives every reason a sentence in both languages", () => {
    for (const lang of ["en", "ja"] as const) {
      setLanguage(lang);
      for (const reason of ["no_service", "not_allowed", "locked", "denied", "failed"]) {
        const text = errorText({ key: "keyring_save", params: { reason, detail: "x" } });
        expect(text).not.toContain("keyring_reasons");
        expect(text).not.toContain("{");
      }
    }
  });

  it("gives a pasted setup code for another app the scan dialog's guidance for that app", () => {
    setLanguage("ja");
    const text = errorText({ key: "for_another_app", params: { guidance: "microsoft-authenticator" } });
    expect(text).toContain("otpauth://");
    expect(text).toContain("「別の認証アプリを使用します」");
    for (const lang of ["en", "ja"] as const) {
      setLanguage(lang);
      for (const guidance of ["microsoft-authenticator", "duo-mobile", "okta-verify"]) {
        const text = errorText({ key: "for_another_app", params: { guidance } });
        expect(text).not.toContain("setup_codes");
        expect(text).not.toContain("{");
      }
    }
  });

  it("falls back to the internal-error sentence for anything else thrown", () => {
    expect(errorText(new Error("boom"))).toContain("boom");
  });
});
