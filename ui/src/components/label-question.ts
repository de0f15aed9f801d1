// The label field's question, shared by Add and Scan: a second ID of a service the user
// already has needs a label, and the hint names the IDs it must be told from.
import { siblingName, type Names } from "../format";
import { t } from "../i18n";

/** How the label is asked for: as the way to tell this ID from the service's others, named. */
export function labelQuestion(siblings: Names[]): { caption: string; hint: string; placeholder: string; needed: boolean } {
  if (!siblings.length) return { caption: t("add.label"), hint: t("add.label_hint"), placeholder: "", needed: false };
  const names = siblings.map(siblingName).join(t("add.names_joiner"));
  return { caption: t("add.label_needed"), hint: t("add.label_needed_hint", { names }), placeholder: t("add.label_placeholder"), needed: true };
}
