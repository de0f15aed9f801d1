// Pure helpers for what the list shows; tested with Vitest.
import type { AccountView } from "./api";
import { t } from "./i18n";

/** What an account is called: a stored one, or one a scan found. */
export type Names = Pick<AccountView, "issuer" | "account" | "label">;

/** "123456" → "123 456", "12345678" → "1234 5678"; Steam codes stay as they are. */
export function groupCode(code: string): string {
  if (!/^\d{6,8}$/.test(code)) return code;
  const mid = Math.floor(code.length / 2);
  return `${code.slice(0, mid)} ${code.slice(mid)}`;
}

/** A code as a screen reader should say it: digit by digit, a pause between the groups
 *  ("355986" → "3 5 5, 9 8 6"), never as a six-figure number. */
export function spokenCode(code: string): string {
  return groupCode(code)
    .split(" ")
    .map((group) => [...group].join(" "))
    .join(", ");
}

/** Whole seconds left until `expiresAt`, never negative. */
export function secondsLeft(expiresAt: number, now: number): number {
  return Math.max(0, Math.ceil(expiresAt - now));
}

/** Fraction of the period still left, 0..1, for the countdown ring. */
export function remainingFraction(expiresAt: number, period: number, now: number): number {
  if (period <= 0) return 0;
  return Math.min(1, Math.max(0, (expiresAt - now) / period));
}

/** In the last seconds of a window the next code is shown beside the current one. */
export const NEXT_CODE_WINDOW = 5;

export function showsNextCode(a: AccountView, now: number): boolean {
  return a.expires_at !== null && a.next_code !== null && a.expires_at - now <= NEXT_CODE_WINDOW;
}

/** The name shown first: the user's label, else the service, else the account name. */
export function primaryName(a: Names): string {
  return a.label || a.issuer || a.account;
}

/** The line under the name: what the label does not already say. */
export function secondaryName(a: Names): string {
  if (a.label) return [a.issuer, a.account].filter(Boolean).join(" · ");
  return a.issuer ? a.account : "";
}

/** How an account is told apart from others of its service: its label, else its ID. */
export function siblingName(a: Names): string {
  return a.label || a.account || a.issuer;
}

/**
 * Every name the account has, for confirmations that must leave no doubt, joined as the
 * language joins them (Japanese with full-width parentheses, docs/glossary-ja.md).
 */
export function fullName(a: Names): string {
  const { issuer, account, label } = a;
  if (!label) return issuer && account ? t("names.issuer_account", { issuer, account }) : issuer || account;
  if (issuer && account) return t("names.label_issuer_account", { label, issuer, account });
  return issuer || account ? t("names.label_other", { label, other: issuer || account }) : label;
}

/** Case- and width-insensitive match on service, account and label. */
export function normalizeForSearch(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

export function filterAccounts(accounts: AccountView[], query: string): AccountView[] {
  const q = normalizeForSearch(query.trim());
  if (!q) return accounts;
  return accounts.filter((a) => [a.issuer, a.account, a.label].some((f) => normalizeForSearch(f).includes(q)));
}

/** The list after moving the item at `from` by `delta` places, for keyboard reordering. */
export function moved<T>(items: readonly T[], from: number, delta: number): T[] {
  const to = Math.min(items.length - 1, Math.max(0, from + delta));
  const copy = items.slice();
  const [item] = copy.splice(from, 1);
  if (item !== undefined) copy.splice(to, 0, item);
  return copy;
}

/** A service name as people type it: full-width letters, case and spaces do not count. */
function serviceKey(issuer: string): string {
  return issuer.normalize("NFKC").trim().toLowerCase();
}

/** The stored accounts of the service `issuer` names: a new one needs a label beside them. */
export function sameService<A extends Names>(accounts: A[], issuer: string): A[] {
  const key = serviceKey(issuer);
  return key ? accounts.filter((a) => serviceKey(a.issuer) === key) : [];
}

/**
 * Where a name too long for its line is cut, as the index its kept end starts at: the name
 * shows its start, "…", and its last characters (about a third, at most 6), so that
 * "a-sato@example.com" becomes "a-sato@exa….com", and two IDs that differ only at the
 * end ("…team-a", "…team-b") still look different. Short names are only cut at the end.
 */
export function middleCutAt(text: string): number {
  const chars = Array.from(text);
  if (chars.length <= 8) return text.length;
  const kept = chars.slice(-Math.min(6, Math.floor(chars.length / 3)));
  const at = text.length - kept.join("").length;
  // In an address the end starts where the address may break (".co.jp", not "e.co.jp"):
  // in a narrow window its two parts wrap as one address would.
  const address = /[A-Za-z0-9@._\-/:+#%&=~'’]/;
  if (!address.test(text.charAt(at - 1)) || !address.test(text.charAt(at))) return at;
  for (let i = at; i < text.length - 1 && address.test(text.charAt(i)); i++) if (/[.@/_-]/.test(text.charAt(i))) return i;
  for (let i = at; i > 0 && address.test(text.charAt(i - 1)); i--) if (/[.@/_-]/.test(text.charAt(i))) return i;
  return at;
}

/** The earliest instant any listed code expires: when the list must be fetched again. */
export function nextRefresh(accounts: AccountView[]): number | null {
  const times = accounts.map((a) => a.expires_at).filter((e): e is number => e !== null);
  return times.length ? Math.min(...times) : null;
}
