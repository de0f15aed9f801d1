import { describe, expect, it } from "vitest";
import { setLanguage } from "../i18n";
import { labelQuestion } from "./label-question";

describe("the label question", () => {
  it("names the service's other IDs, by label or else by account", () => {
    setLanguage("ja");
    const ask = labelQuestion([
      { issuer: "給与システム", account: "a-sato", label: "A-ID 人事" },
      { issuer: "給与システム", account: "c-sato", label: "" },
    ]);
    expect(ask.needed).toBe(true);
    expect(ask.hint).toContain("「A-ID 人事」「c-sato」がすでにあります");
    expect(ask.placeholder).toBe("例: A-ID、B-ID");
  });

  it("stays optional for the first ID of a service", () => {
    setLanguage("en");
    expect(labelQuestion([])).toMatchObject({ needed: false, placeholder: "" });
  });
});
