import { afterEach, describe, expect, it } from "vitest";
import { errorDetail, errorText } from "./errors";
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
    // The OS's words are folded away under the sentence, not in it.
    expect(text).not.toContain("ERROR_NO_SUCH_LOGON_SESSION");
    expect(errorDetail({ key: "keyring_unavailable", params: { reason: "not_allowed", detail: "Windows ERROR_NO_SUCH_LOGON_SESSION" } })).toBe("Windows ERROR_NO_SUCH_LOGON_SESSION");
    expect(text).toContain("Ninsho を開くパスフレーズを入力してください");
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
    expect(errorText(new Error("boom"))).not.toContain("boom");
    expect(errorDetail(new Error("boom"))).toBe("Error: boom");
  });

  it("says why a file failed in words, in both languages, with the OS's text left out", () => {
    for (const lang of ["en", "ja"] as const) {
      setLanguage(lang);
      for (const cause of ["permission_denied", "not_found", "storage_full", "read_only", "busy", "network", "other"]) {
        const text = errorText({ key: "io", params: { path: "/x/y", cause, detail: "Permission denied (os error 13)" } });
        expect(text).not.toContain("io_causes");
        expect(text).not.toContain("os error");
        expect(text).not.toContain("{");
      }
    }
    setLanguage("ja");
    expect(errorText({ key: "io", params: { path: "D:\\backup", cause: "storage_full", detail: "x" } })).toBe(
      "D:\\backup を読み書きできませんでした。ディスクの空き容量が足りません。不要なファイルを削除してから、もう一度お試しください。",
    );
  });
});
