import { beforeEach, describe, expect, it } from "vitest";
import type { BackupView } from "../api";
import { setLanguage } from "../i18n";
import { failureSentence, formatTime, renderBackupBanner, statusLines } from "./backup";

const on: BackupView = { on: true, folder: "E:\\Ninsho", last_success: { time: 1796094724, accounts: 14, file: "x" }, failure: null, required_by: null, folder_managed_by: null };

describe("backup state in words", () => {
  beforeEach(() => setLanguage("ja"));

  it("says where, when and how many", () => {
    const [where, last] = statusLines(on);
    expect(where).toBe("オン: E:\\Ninsho");
    expect(last).toBe(`前回のバックアップ ${formatTime(1796094724)}（14 件）`);
    expect(statusLines({ ...on, on: false, folder: null })).toHaveLength(1);
    expect(statusLines({ ...on, on: false, folder: null })[0]).toMatch(/^オフ/);
    expect(statusLines({ ...on, last_success: null })[1]).toBe("まだバックアップはありません。");
  });

  it("names what failed and what to do, per reason", () => {
    const failed = (reason: NonNullable<BackupView["failure"]>["reason"]): BackupView => ({ ...on, failure: { time: 1, reason, detail: "os error 5" } });
    expect(failureSentence(failed("folder_missing"))).toMatch(/E:\\Ninsho が見つかりません.*USB/);
    expect(failureSentence(failed("disk_full"))).toContain("いっぱい");
    expect(failureSentence(failed("not_allowed"))).toContain("権限");
    expect(failureSentence(failed("other"))).not.toContain("os error 5");
    expect(renderBackupBanner(failed("other"), () => {})?.querySelector("details.error-detail code")?.textContent).toBe("os error 5");
    setLanguage("en");
    expect(failureSentence(failed("folder_missing"))).toMatch(/^The automatic backup failed: the folder E:\\Ninsho is not there/);
    expect(failureSentence(on)).toBeNull();
  });

  it("shows a banner only while backups are on and failing", () => {
    expect(renderBackupBanner(on, () => {})).toBeNull();
    const banner = renderBackupBanner({ ...on, failure: { time: 1, reason: "disk_full", detail: "" } }, () => {});
    expect(banner?.getAttribute("role")).toBe("alert");
    expect(renderBackupBanner({ ...on, on: false, failure: { time: 1, reason: "disk_full", detail: "" } }, () => {})).toBeNull();
  });

  it("writes times in the reader's language", () => {
    expect(formatTime(1796094724, "ja")).toMatch(/2026/);
    expect(formatTime(1796094724, "en")).toMatch(/2026/);
  });
});
