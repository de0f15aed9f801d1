// Updates: a banner above the list when a newer version exists (its notes, an install
// button where this user installs, the progress, the restart), and the same state in
// Settings with the automatic check and "check now". A look in the background that failed
// is said in Settings only: it never interrupts work. What may be installed, and by whom,
// is decided on the Rust side (src-tauri/src/update.rs); the page only asks.
import { api, type UpdateView } from "../api";
import { h } from "../dom";
import { errorText } from "../errors";
import { language, t } from "../i18n";
import { toast } from "./toast";

function day(unix: number): string {
  return new Intl.DateTimeFormat(language(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(unix * 1000));
}

/** "42 %" of the download, or the bytes so far when the server gave no length. */
export function progressText(progress: UpdateView["progress"]): string {
  if (!progress) return "";
  if (progress.total) return `${Math.floor((100 * progress.done) / progress.total)} %`;
  return `${(progress.done / 1_000_000).toFixed(1)} MB`;
}

/** The one sentence saying where updates stand. */
export function statusSentence(view: UpdateView): string {
  const version = view.offer?.version ?? "";
  switch (view.phase) {
    case "checking":
      return t("update.checking");
    case "current":
      return t("update.current", { installed: view.installed, when: view.checked_at ? day(view.checked_at) : "" });
    case "available":
      return t("update.available", { version, installed: view.installed });
    case "downloading":
      return t("update.downloading", { version, progress: progressText(view.progress) });
    case "installing":
      return t("update.installing", { version });
    case "ready":
      return t("update.ready", { version });
    case "failed":
      return `${t(`update.failure.${view.failure ?? "install_failed"}`)} ${t("update.unchanged", { installed: view.installed })}`;
    case "idle":
      break;
  }
  if (view.checks === "not_this_build") return t("update.not_this_build");
  if (view.checks === "managed_off") return t("update.managed_off", { source: view.managed_by ?? "" });
  if (view.checks === "off") return t("update.off");
  return t("update.not_yet");
}

/** Who installs, when it is not this user from here. */
export function routeNote(view: UpdateView): string | null {
  if (!view.offer || view.route === "in_app") return null;
  return t(`update.route_${view.route}`, { version: view.offer.version });
}

function button(name: string, label: string, run: () => Promise<unknown>): HTMLButtonElement {
  const b = h("button", { type: "button", name }, label);
  b.addEventListener("click", () => {
    b.disabled = true;
    run()
      .catch((err: unknown) => toast(errorText(err), "error", 8000))
      .finally(() => (b.disabled = false));
  });
  return b;
}

/** Install, restart, check: what can be done now. `check` only in Settings. */
export function actions(view: UpdateView, check: boolean): HTMLButtonElement[] {
  const out: HTMLButtonElement[] = [];
  const installable = view.offer !== null && view.route === "in_app" && view.checks === "on";
  if (installable && (view.phase === "available" || (view.phase === "failed" && view.failure !== null))) {
    const label = view.installer_restarts ? t("update.install_windows") : t("update.install");
    out.push(button("update-install", label, api.updateInstall));
  }
  if (view.phase === "ready") out.push(button("update-restart", t("update.restart"), api.updateRestart));
  if (check && view.checks === "on" && !["checking", "downloading", "installing", "ready"].includes(view.phase)) {
    out.push(button("update-check", t("update.check_now"), api.updateCheck));
  }
  return out;
}

function notes(view: UpdateView): HTMLElement | null {
  const offer = view.offer;
  if (!offer?.notes) return null;
  const when = offer.date ? ` (${day(offer.date)})` : "";
  return h("details", { class: "banner-details update-notes" }, h("summary", {}, t("update.notes", { version: offer.version }) + when), h("p", {}, offer.notes));
}

function progressBar(view: UpdateView): HTMLProgressElement | null {
  if (view.phase !== "downloading" || !view.progress) return null;
  const bar = h("progress", { class: "update-progress", "aria-label": t("update.progress_label") });
  if (view.progress.total) {
    bar.max = view.progress.total;
    bar.value = view.progress.done;
  }
  return bar;
}

/** The banner: only for a version there is to have, never for a failed look. */
export function renderBanner(view: UpdateView, onLater: () => void): HTMLElement | null {
  const showing = view.offer !== null && (["available", "downloading", "installing", "ready"].includes(view.phase) || (view.phase === "failed" && view.failure !== null));
  if (!showing) return null;
  const later = h("button", { type: "button", name: "update-later" }, t("update.later"));
  later.addEventListener("click", onLater);
  const route = routeNote(view);
  return h(
    "div",
    { class: `banner ${view.phase === "failed" ? "banner-warn" : "banner-info"} update-banner` },
    h("p", { class: "banner-title" }, statusSentence(view)),
    route ? h("p", {}, route) : null,
    progressBar(view),
    h("div", { class: "banner-actions" }, ...actions(view, false), view.phase === "ready" || view.phase === "downloading" || view.phase === "installing" ? null : later),
    notes(view),
  );
}

/** Keeps the banner, and Settings while open, in step with `update-status` events. */
export class UpdateIndicator {
  readonly banner = h("div", { class: "banner-slot", role: "status" });
  private view: UpdateView | null = null;
  private laterFor: string | null = null;
  private readonly followers = new Set<(view: UpdateView) => void>();

  update(view: UpdateView): void {
    this.view = view;
    const dismissed = view.offer !== null && view.offer.version === this.laterFor && view.phase === "available";
    const banner = dismissed ? null : renderBanner(view, () => {
      this.laterFor = view.offer?.version ?? null;
      this.banner.replaceChildren();
    });
    const open = this.banner.querySelector("details")?.open ?? false;
    this.banner.replaceChildren(...(banner ? [banner] : []));
    const details = this.banner.querySelector("details");
    if (details) details.open = open;
    for (const follow of this.followers) follow(view);
  }

  /** Follows every change until the returned function is called. */
  follow(f: (view: UpdateView) => void): () => void {
    this.followers.add(f);
    if (this.view) f(this.view);
    return () => this.followers.delete(f);
  }
}

/** Settings' part: what stands (a live region), the notes, the buttons. The automatic
 *  check's box is `checkbox`, saved with the rest of Settings. */
export function updateSection(indicator: UpdateIndicator, checkbox: HTMLInputElement): { element: HTMLElement; stop: () => void } {
  const status = h("p", { class: "hint update-status", role: "status" });
  const route = h("p", { class: "hint" });
  const extra = h("div", {});
  const row = h("div", { class: "row-actions" });
  const server = h("p", { class: "hint" });
  const element = h(
    "fieldset",
    { class: "group update-group" },
    h("legend", {}, t("update.section")),
    h("label", { class: "check" }, checkbox, t("update.auto")),
    status,
    route,
    extra,
    row,
    server,
  );
  const stop = indicator.follow((view) => {
    status.textContent = statusSentence(view);
    const note = routeNote(view);
    route.textContent = note ?? "";
    route.hidden = note === null;
    extra.replaceChildren(...[progressBar(view), notes(view)].filter((x) => x !== null));
    row.replaceChildren(...actions(view, true));
    server.hidden = view.server_set_by === null;
    server.textContent = view.server_set_by ? t("update.server_managed", { source: view.server_set_by }) : "";
    checkbox.disabled = checkbox.disabled || view.checks === "not_this_build";
  });
  return { element, stop };
}
