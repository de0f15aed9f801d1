import { isUiError } from "./api";
import { t } from "./i18n";

/** The sentence for a command's error (a catalog key and its parameters) or anything else thrown. */
export function errorText(e: unknown): string {
  if (!isUiError(e)) return t("errors.internal", { detail: String(e) });
  const params: Record<string, string> = { ...e.params };
  // Keyring failures share their reasons across several messages, so the reason is a key too.
  if (params.reason) params.reason = t(`keyring_reasons.${params.reason}`, params);
  // Another app's setup code, pasted: the same guidance the scan dialog gives for it.
  if (params.guidance) params.guidance = t(`setup_codes.${params.guidance}`);
  return t(`errors.${e.key}`, params);
}
