import { describe, expect, it } from "vitest";
import type { AccountView } from "./api";
import { setLanguage } from "./i18n";
import {
  filterAccounts,
  fullName,
  groupCode,
  middleCutAt,
  moved,
  nextRefresh,
  sameService,
  primaryName,
  remainingFraction,
  secondaryName,
  secondsLeft,
  showsNextCode,
  spokenCode,
} from "./format";

export function account(over: Partial<AccountView> = {}): AccountView {
  return {
    id: "id-1",
    issuer: "給与システム",
    account: "a-sato@example.co.jp",
    label: "",
    kind: "totp",
    digits: 6,
    period: 30,
    pinned: false,
    duplicate: false,
    code: "123456",
    next_code: "654321",
    valid_from: 1_700_000_010,
    expires_at: 1_700_000_040,
    ...over,
  };
}

describe("codes", () => {
  it("groups digits the way people read them", () => {
    expect(groupCode("123456")).toBe("123 456");
    expect(groupCode("1234567")).toBe("123 4567");
    expect(groupCode("12345678")).toBe("1234 5678");
    expect(groupCode("2BCDF")).toBe("2BCDF");
  });

  it("counts down in whole seconds and never below zero", () => {
    expect(secondsLeft(100, 70)).toBe(30);
    expect(secondsLeft(100, 99.2)).toBe(1);
    expect(secondsLeft(100, 101)).toBe(0);
    expect(remainingFraction(100, 30, 85)).toBeCloseTo(0.5);
    expect(remainingFraction(100, 30, 200)).toBe(0);
  });

  it("shows the next code only in the last five seconds", () => {
    const a = account();
    expect(showsNextCode(a, 1_700_000_034)).toBe(false);
    expect(showsNextCode(a, 1_700_000_035)).toBe(true);
    expect(showsNextCode(account({ kind: "hotp", expires_at: null, next_code: null }), 0)).toBe(false);
  });

  it("refreshes when the first code expires", () => {
    expect(nextRefresh([account({ expires_at: 90 }), account({ expires_at: 60 }), account({ expires_at: null })])).toBe(60);
    expect(nextRefresh([account({ expires_at: null })])).toBeNull();
  });
});

describe("names", () => {
  it("puts the label first and keeps the rest beside it", () => {
    const labelled = account({ label: "B-ID 経理" });
    expect(primaryName(labelled)).toBe("B-ID 経理");
    expect(secondaryName(labelled)).toBe("給与システム · a-sato@example.co.jp");
    setLanguage("en");
    expect(fullName(labelled)).toBe("B-ID 経理 – 給与システム (a-sato@example.co.jp)");
    expect(fullName(account())).toBe("給与システム (a-sato@example.co.jp)");
    // Japanese joins the names with full-width parentheses, never nested.
    setLanguage("ja");
    expect(fullName(labelled)).toBe("B-ID 経理（給与システム・a-sato@example.co.jp）");
    expect(fullName(account())).toBe("給与システム（a-sato@example.co.jp）");
    expect(fullName(account({ account: "", label: "B-ID" }))).toBe("B-ID（給与システム）");
    expect(fullName(account({ issuer: "", label: "" }))).toBe("a-sato@example.co.jp");
    expect(primaryName(account())).toBe("給与システム");
    expect(secondaryName(account())).toBe("a-sato@example.co.jp");
    expect(primaryName(account({ issuer: "" }))).toBe("a-sato@example.co.jp");
  });
});

describe("search", () => {
  const list = [
    account({ id: "1", label: "A-ID 人事" }),
    account({ id: "2", label: "B-ID 経理" }),
    account({ id: "3", issuer: "Ｗｉｋｉ", account: "sato" }),
  ];
  it("matches label, service and account, ignoring case and width", () => {
    expect(filterAccounts(list, "経理").map((a) => a.id)).toEqual(["2"]);
    expect(filterAccounts(list, "b-id").map((a) => a.id)).toEqual(["2"]);
    expect(filterAccounts(list, "wiki").map((a) => a.id)).toEqual(["3"]);
    expect(filterAccounts(list, "ｓａｔｏ").map((a) => a.id)).toEqual(["1", "2", "3"]);
    expect(filterAccounts(list, "  ").length).toBe(3);
    expect(filterAccounts(list, "nobody")).toEqual([]);
  });
});

describe("reordering", () => {
  it("moves an item and clamps at the ends", () => {
    expect(moved(["a", "b", "c"], 0, 1)).toEqual(["b", "a", "c"]);
    expect(moved(["a", "b", "c"], 2, -2)).toEqual(["c", "a", "b"]);
    expect(moved(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
    expect(moved(["a", "b", "c"], 1, 5)).toEqual(["a", "c", "b"]);
  });
});

describe("accounts of the same service", () => {
  it("match the issuer whatever its width, case or spaces", () => {
    const stored = [account({ issuer: "給与システム", account: "a-sato" }), account({ issuer: "GitHub", account: "sato" })];
    expect(sameService(stored, " 給与システム ").map((a) => a.account)).toEqual(["a-sato"]);
    expect(sameService(stored, "ＧｉｔＨｕｂ").map((a) => a.account)).toEqual(["sato"]);
    expect(sameService(stored, "github").map((a) => a.account)).toEqual(["sato"]);
    expect(sameService(stored, "Git")).toEqual([]);
    expect(sameService(stored, "")).toEqual([]);
  });
});

describe("spoken codes", () => {
  it("reads digit by digit with a pause between the groups", () => {
    expect(spokenCode("355986")).toBe("3 5 5, 9 8 6");
    expect(spokenCode("12345678")).toBe("1 2 3 4, 5 6 7 8");
    expect(spokenCode("7TK2M")).toBe("7 T K 2 M");
  });
});

describe("names cut in the middle", () => {
  const cut = (text: string) => [text.slice(0, middleCutAt(text)), text.slice(middleCutAt(text))];

  it("keep the end that tells two IDs apart", () => {
    expect(cut("a-sato@example.com")).toEqual(["a-sato@example", ".com"]);
    expect(cut("sato.ichiro@example")).toEqual(["sato.ichiro", "@example"]);
    expect(cut("suzuki-team-a@example.co.jp")).toEqual(["suzuki-team-a@example", ".co.jp"]);
    expect(cut("経費精算クラウドサービス（本社）")).toEqual(["経費精算クラウドサービ", "ス（本社）"]);
  });

  it("leave short names whole and never split a character", () => {
    expect(cut("給与システム")).toEqual(["給与システム", ""]);
    expect(cut("📌📌📌📌📌📌📌📌📌")).toEqual(["📌📌📌📌📌📌", "📌📌📌"]);
  });
});
