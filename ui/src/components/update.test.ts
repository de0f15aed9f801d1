import { describe, expect, it, vi } from "vitest";
import type { UpdateView } from "../api";
import { setLanguage } from "../i18n";
import { actions, progressText, renderBanner, routeNote, statusSentence, UpdateIndicator } from "./update";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn(() => Promise.resolve()) }));

const OFFER = { version: "0.2.0", notes: "Fixes the clock check.\nFaster start.", date: 1_800_000_000 };

function view(over: Partial<UpdateView>): UpdateView {
  return {
    phase: "available",
    installed: "0.1.0",
    offer: OFFER,
    progress: null,
    failure: null,
    checked_at: 1_800_000_000,
    checks: "on",
    route: "in_app",
    managed_by: null,
    server_set_by: null,
    installer_restarts: false,
    ...over,
  };
}

const names = (buttons: HTMLButtonElement[]) => buttons.map((b) => b.name);

describe("updates", () => {
  it("offers the install only where this user installs and the check is allowed", () => {
    setLanguage("en");
    expect(names(actions(view({}), true))).toEqual(["update-install", "update-check"]);
    expect(names(actions(view({ route: "organization" }), true))).toEqual(["update-check"]);
    expect(names(actions(view({ checks: "managed_off" }), true))).toEqual([]);
    expect(names(actions(view({ phase: "downloading" }), true))).toEqual([]);
    expect(names(actions(view({ phase: "ready" }), false))).toEqual(["update-restart"]);
    expect(routeNote(view({ route: "organization" }))).toBe("IT installed Ninsho on this PC: ask them for Ninsho 0.2.0.");
  });

  it("says each state in one sentence, a failure with what stays", () => {
    setLanguage("en");
    expect(statusSentence(view({}))).toBe("Ninsho 0.2.0 is available (you have 0.1.0).");
    expect(statusSentence(view({ phase: "failed", failure: "bad_signature" }))).toBe(
      "The downloaded file's signature did not verify, so it was not installed. The installed Ninsho 0.1.0 is unchanged.",
    );
    expect(statusSentence(view({ phase: "idle", offer: null, checks: "managed_off", managed_by: "HKLM" }))).toBe("Your organization (IT) deploys updates to this PC (set by HKLM).");
    expect(statusSentence(view({ phase: "idle", offer: null, checks: "not_this_build" }))).toContain("without the release signing key");
    expect(progressText({ done: 420, total: 1000 })).toBe("42 %");
    expect(progressText({ done: 2_500_000, total: null })).toBe("2.5 MB");
    setLanguage("ja");
    expect(statusSentence(view({}))).toBe("Ninsho 0.2.0 が利用できます（現在は 0.1.0）。");
  });

  it("never puts a failed look in the banner, and Later hides this version", () => {
    setLanguage("en");
    expect(renderBanner(view({ phase: "failed", failure: "offline", offer: null }), () => {})).toBeNull();
    expect(renderBanner(view({ phase: "current", offer: null }), () => {})).toBeNull();
    const indicator = new UpdateIndicator();
    indicator.update(view({}));
    expect(indicator.banner.textContent).toContain("Ninsho 0.2.0 is available");
    expect(indicator.banner.querySelector("details")?.textContent).toContain("Faster start.");
    indicator.banner.querySelector<HTMLButtonElement>("button[name=update-later]")?.click();
    expect(indicator.banner.childElementCount).toBe(0);
    indicator.update(view({}));
    expect(indicator.banner.childElementCount, "still hidden on the next daily look").toBe(0);
    indicator.update(view({ offer: { ...OFFER, version: "0.3.0" } }));
    expect(indicator.banner.textContent).toContain("0.3.0");
  });
});
