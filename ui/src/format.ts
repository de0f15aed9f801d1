// Pure helpers for what the list shows; tested with Vitest.
import type { AccountView } from "./api";

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
export function primaryName(a: AccountView): string {
  return a.label || a.issuer || a.account;
}

/** The line under the name: what the label does not already say. */
export function secondaryName(a: AccountView): string {
  if (a.label) return [a.issuer, a.account].filter(Boolean).join(" · ");
  return a.issuer ? a.account : "";
}

/** Every name the account has, for confirmations that must leave no doubt. */
export function fullName(a: AccountView): string {
  const service = a.issuer && a.account ? `${a.issuer} (${a.account})` : a.issuer || a.account;
  return a.label ? (service ? `${a.label} – ${service}` : a.label) : service;
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

/** The earliest instant any listed code expires: when the list must be fetched again. */
export function nextRefresh(accounts: AccountView[]): number | null {
  const times = accounts.map((a) => a.expires_at).filter((e): e is number => e !== null);
  return times.length ? Math.min(...times) : null;
}

/**
 * The code a scanned (not yet stored) account shows at `now`: its first code, then the
 * next one, then nothing (adding it shows live codes again).
 */
export function previewCode(a: AccountView, now: number): { code: string; left: number } | null {
  if (a.expires_at === null || a.period === null) return { code: a.code, left: 0 };
  if (now < a.expires_at) return { code: a.code, left: secondsLeft(a.expires_at, now) };
  if (a.next_code !== null && now < a.expires_at + a.period) return { code: a.next_code, left: secondsLeft(a.expires_at + a.period, now) };
  return null;
}
