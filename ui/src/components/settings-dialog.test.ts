import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../i18n";
import { lockKeys } from "./app-lock";
import { aboutLine, markManaged, stepTextSize } from "./settings-dialog";

describe("aboutLine", () => {
  afterEach(() => setLanguage("en"));

  it("names the version, the commit and the platform by their proper names", () => {
    setLanguage("en");
    expect(aboutLine({ version: "1.2.3", commit: "0123456789", platform: "macos", arch: "aarch64" })).toBe(
      "Ninsho 1.2.3 · build 0123456789 · macOS aarch64",
    );
    setLanguage("ja");
    expect(aboutLine({ version: "1.2.3", commit: "0123456789", platform: "windows", arch: "x86_64" })).toBe(
      "Ninsho 1.2.3・ビルド 0123456789・Windows x86_64",
    );
  });

  it("leaves out the build of an app made from a source archive", () => {
    setLanguage("en");
    expect(aboutLine({ version: "1.2.3", commit: "", platform: "linux", arch: "x86_64" })).toBe("Ninsho 1.2.3 · Linux x86_64");
  });
});

describe("text size steps", () => {
  it("goes up and down the offered sizes and stops at their ends", () => {
    expect(stepTextSize(0, true)).toBe(125);
    expect(stepTextSize(0, false)).toBe(100);
    expect(stepTextSize(175, true)).toBe(200);
    expect(stepTextSize(200, true)).toBe(200);
    expect(stepTextSize(150, false)).toBe(125);
  });
});

describe("managed settings", () => {
  afterEach(() => setLanguage("en"));

  it("disables each managed input and describes it with who set it; the rest stay the user's", () => {
    setLanguage("ja");
    const servers = document.createElement("textarea");
    const correction = document.createElement("input");
    correction.type = "checkbox";
    const label = document.createElement("label");
    label.className = "check";
    label.append(correction);
    const field = document.createElement("div");
    field.className = "field";
    field.append(servers);
    document.body.append(field, label);
    const notes = markManaged({ managed: { clock_servers: "HKLM\\SOFTWARE\\Policies\\Ninsho" } }, { clock_servers: servers, clock_correction: correction });
    expect(notes).toHaveLength(1);
    expect(servers.disabled).toBe(true);
    expect(correction.disabled).toBe(false);
    expect(field.nextElementSibling?.textContent).toBe("組織によって管理されています（HKLM\\SOFTWARE\\Policies\\Ninsho）");
    expect(servers.getAttribute("aria-describedby")).toBe("managed-clock_servers");
  });

  it("names the lock's keys per platform", () => {
    expect(lockKeys("macos")).toBe("⌘L");
    expect(lockKeys("windows")).toBe("Ctrl+L");
  });
});
