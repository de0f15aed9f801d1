// Which services' setup codes Ninsho reads, what it says about the others, and how that was
// checked: the help beside Add and Scan, where people meet a code that will not work.
import { h } from "../dom";
import { t } from "../i18n";

const KINDS = ["standard", "google_export", "microsoft", "okta", "duo", "app_store"] as const;

export function setupHelp(): HTMLDetailsElement {
  return h(
    "details",
    { class: "setup-help" },
    h("summary", {}, t("setup_help.title")),
    h("ul", {}, ...KINDS.map((k) => h("li", {}, h("strong", {}, t(`setup_help.${k}_name`)), " ", t(`setup_help.${k}`)))),
    h("p", { class: "hint" }, t("setup_help.how")),
  );
}
