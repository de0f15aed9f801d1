import { afterEach, describe, expect, it } from "vitest";
import type { FormatView } from "../api";
import { setLanguage, t } from "../i18n";
import { DESTINATIONS, movePlan } from "./move-dialog";

// What the Rust side lists (transfer.rs `formats`), all allowed.
const FORMATS: FormatView[] = [
  { id: "ninsho", encrypted: true, allowed: true },
  { id: "aegis", encrypted: false, allowed: true },
  { id: "aegis-encrypted", encrypted: true, allowed: true },
  { id: "authenticator-encrypted", encrypted: true, allowed: true },
  { id: "authenticator-json", encrypted: false, allowed: true },
  { id: "google-migration", encrypted: false, allowed: true },
  { id: "authenticator-txt", encrypted: false, allowed: true },
  { id: "otpauth", encrypted: false, allowed: true },
];

describe("moving accounts: destination → format and steps", () => {
  afterEach(() => setLanguage("en"));

  it("writes for each destination the format it reads, encrypted where it reads one", () => {
    const plans = DESTINATIONS.map((d) => movePlan(d, FORMATS));
    expect(plans.map((p) => [p.destination, p.format, p.encrypted, p.allowed])).toEqual([
      ["ninsho", "ninsho", true, true],
      ["extension", "authenticator-encrypted", true, true],
      ["phone", "google-migration", false, true],
    ]);
  });

  it("asks for the file's password before the save, and the phone's privacy before the codes", () => {
    const names = (d: (typeof DESTINATIONS)[number]) => movePlan(d, FORMATS).here.map((s) => s.name);
    expect(names("ninsho")).toEqual(["password", "save", "carry"]);
    expect(names("extension")).toEqual(["password", "save", "carry"]);
    expect(names("phone")).toEqual(["private", "show"]);
    for (const d of DESTINATIONS) {
      const plan = movePlan(d, FORMATS);
      expect(plan.here.map((s) => s.name), d).toContain(plan.action);
      expect(plan.here.some((s) => s.name === "password"), d).toBe(plan.encrypted);
    }
  });

  it("has every step as a finished sentence in both languages", () => {
    for (const language of ["ja", "en"] as const) {
      setLanguage(language);
      for (const d of DESTINATIONS) {
        const plan = movePlan(d, FORMATS);
        expect(plan.there.length, d).toBeGreaterThanOrEqual(3);
        for (const text of [plan.button, plan.thereTitle, ...plan.here.map((s) => s.text), ...plan.there.map((s) => s.text)]) {
          expect(text, `${language} ${d}`).not.toMatch(/^move\.|\{\w+\}/);
        }
      }
    }
  });

  it("quotes the buttons the user presses by their names in the app", () => {
    setLanguage("ja");
    const plan = movePlan("ninsho", FORMATS);
    const name = (key: string) => t(key).replace(/…$/, "");
    expect(plan.here.find((s) => s.name === "save")?.text).toContain(`［${name("move.ninsho.button")}］`);
    expect(plan.there.find((s) => s.name === "import")?.text).toContain(`［${t("header.settings")}］→［${name("transfer.import")}］→［${name("transfer.import_choose")}］`);
    expect(movePlan("phone", FORMATS).there.find((s) => s.name === "scan")?.text).toContain(`［${t("transfer.qr_next")}］`);
    setLanguage("en");
    expect(movePlan("phone", FORMATS).here.find((s) => s.name === "show")?.text).toBe("Press “Show the QR codes”.");
  });

  it("offers no export the organization refuses, or the Rust side does not list", () => {
    const refused = FORMATS.map((f) => (f.id === "authenticator-encrypted" ? { ...f, allowed: false } : f));
    expect(movePlan("extension", refused).allowed).toBe(false);
    expect(movePlan("ninsho", refused).allowed).toBe(true);
    expect(movePlan("phone", FORMATS.filter((f) => f.id !== "google-migration")).allowed).toBe(false);
  });
});
