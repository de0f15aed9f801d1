import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../i18n";
import { aboutLine, stepTextSize } from "./settings-dialog";

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
