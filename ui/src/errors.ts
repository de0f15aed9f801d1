import { isUiError } from "./api";
import { h } from "./dom";
import { t } from "./i18n";

/**
 * The sentence for a command's error (a catalog key and its parameters) or anything else
 * thrown. The OS's or a library's own words (`detail`, often English) are never part of it:
 * they go folded under the sentence (`errorDetail`), for whoever helps the user.
 */
export function errorText(e: unknown): string {
  if (!isUiError(e)) return t("errors.internal");
  const params: Record<string, string> = { ...e.params };
  // A file error's cause says why in words.
  if (params.cause) params.cause = t(`io_causes.${params.cause}`);
  // Keyring failures share their reasons across several messages, so the reason is a key too.
  if (params.reason) params.reason = t(`keyring_reasons.${params.reason}`, params);
  // Another app's setup code, pasted: the same guidance the scan dialog gives for it.
  if (params.guidance) params.guidance = t(`setup_codes.${params.guidance}`);
  return t(`errors.${e.key}`, params);
}

/** What the OS or a library said of an error, for support; null when there is nothing more. */
export function errorDetail(e: unknown): string | null {
  if (!isUiError(e)) return e === undefined || e === null ? null : String(e);
  return e.params.detail || null;
}

/** The detail folded away under its sentence; null when there is none. */
export function detailDisclosure(detail: string | null): HTMLElement | null {
  if (!detail) return null;
  return h("details", { class: "error-detail" }, h("summary", {}, t("errors.detail_summary")), h("code", {}, detail));
}
