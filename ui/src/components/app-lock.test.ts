import { beforeEach, describe, expect, it } from "vitest";
import type { LockView } from "../api";
import { setLanguage } from "../i18n";
import { appLockScreen } from "./app-lock";

const lock: LockView = { enabled: true, locked: true, passphrase: true, required: false, os_check: "polkit", max_minutes: null };

describe("the lock screen", () => {
  beforeEach(() => setLanguage("ja"));

  it("offers the OS check and the vault passphrase", () => {
    const screen = appLockScreen(lock, () => {});
    expect(screen.querySelector("button[name=unlock-os]")?.textContent).toBe("ログインパスワードで解除");
    expect(screen.querySelector("input[name=lock-passphrase]")).not.toBeNull();
    expect(screen.textContent).not.toContain("組織の設定により");
  });

  it("without a passphrase, under the organization's rule, offers the OS check alone and says how to add one", () => {
    const screen = appLockScreen({ ...lock, passphrase: false, required: true }, () => {});
    expect(screen.querySelector("input[name=lock-passphrase]")).toBeNull();
    expect(screen.querySelector("button[name=unlock-os]")).not.toBeNull();
    expect(screen.textContent).toContain("組織の設定により、ロックは常にオンです");
    setLanguage("en");
    expect(appLockScreen({ ...lock, passphrase: false, required: true }, () => {}).textContent).toContain("Your organization keeps the lock on");
  });
});
