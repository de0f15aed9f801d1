// Right after adding: the code, large, with the time left, and the instruction to enter
// it now, because the site's QR code changes when its setup page is opened again. When the
// service rejects the code, the dialog says why that happens (the clock, an expired code)
// and warns of the lockout before a user spends their five tries.
import { api, type AccountView, type ClockView } from "../api";
import { h } from "../dom";
import { t } from "../i18n";
import { groupCode, primaryName, secondaryName, secondsLeft, showsNextCode, spokenCode } from "../format";
import { fixSentence, offsetSentence } from "./clock-banner";
import { openDialog, showError } from "./dialog";
import { ring } from "./ring";

export interface FinishHooks {
  clock: () => number;
  /** Copies as the list does: the next code when this one is about to expire. */
  copy: (a: AccountView) => void;
  platform: string;
  onDone: () => void;
}

/** What the dialog says of the PC's clock: a warning when codes may be refused. */
export function clockLine(view: ClockView, platform: string): { text: string; warn: boolean } {
  if ((view.state === "warn" || view.state === "error") && view.offset !== null && !view.correcting) {
    const problem = t("common.two_sentences", { first: offsetSentence(view.offset), second: t("finish.clock_refused") });
    return { text: t("common.two_sentences", { first: problem, second: fixSentence(platform, view.date_settings) }), warn: true };
  }
  if (view.correcting) return { text: t("finish.clock_corrected"), warn: false };
  if (view.state === "ok" && view.offset !== null) return { text: t("finish.clock_ok"), warn: false };
  return { text: t("finish.clock_unknown"), warn: false };
}

export function openFinishSetup(initial: AccountView, hooks: FinishHooks): void {
  const { clock, onDone } = hooks;
  const d = openDialog(t("finish.title"), "finish-dialog");
  let account = initial;
  // Shown grouped, said digit by digit; a screen reader hears a new code when it comes
  // (politely), never the countdown.
  const code = h("div", { class: "big-code", "aria-hidden": "true" });
  const spoken = h("p", { class: "sr-only", "aria-live": "polite" });
  const countdown = ring();
  const seconds = h("span", { class: "seconds" });
  const next = h("p", { class: "next-line" });
  d.body.append(
    h("p", { class: "finish-name" }, h("strong", {}, primaryName(account)), " ", secondaryName(account)),
    h(
      "div",
      { class: "finish-code" },
      code,
      spoken,
      h(
        "div",
        { class: "timer big" },
        countdown.root,
        h("span", { class: "sr-only" }, t("list.seconds_before")),
        seconds,
        h("span", { class: "sr-only" }, t("list.seconds_after")),
      ),
    ),
    next,
  );
  const copy = h("button", { type: "button", name: "finish-copy" }, t("finish.copy"));
  copy.addEventListener("click", () => hooks.copy(account));
  const clockWarning = h("div", { class: "warning finish-clock", hidden: true });
  const clockState = h("li", {});
  const trouble = h(
    "details",
    { class: "finish-trouble" },
    h("summary", {}, t("finish.trouble")),
    h("ul", {}, clockState, h("li", {}, t("finish.trouble_expired")), h("li", {}, t("finish.trouble_lockout")), h("li", {}, t("finish.trouble_page_closed"))),
  );
  d.body.append(h("div", { class: "finish-copy" }, copy), clockWarning, h("p", { class: "finish-body" }, t("finish.body")), trouble);
  // Locked meanwhile, or the check failed: the list in the details says the clock is unchecked.
  void api.clockStatus().then((view) => {
    const line = clockLine(view, hooks.platform);
    clockState.textContent = line.text;
    clockWarning.replaceChildren(h("p", {}, line.text));
    if (line.warn && view.date_settings) {
      const open = h("button", { type: "button", name: "open-date-settings" }, t("clock.open_settings"));
      open.addEventListener("click", () => void api.openDateSettings().catch((e: unknown) => showError(d.error, e)));
      clockWarning.append(open);
    }
    clockWarning.hidden = !line.warn;
  }, () => (clockState.textContent = t("finish.clock_unknown")));
  const done = h("button", { type: "button", class: "primary" }, t("finish.done"));
  d.actions.append(done);

  let refreshing = false;
  const tick = async () => {
    const now = clock();
    if (account.expires_at !== null && now >= account.expires_at && !refreshing) {
      refreshing = true;
      const fresh = (await api.list()).accounts.find((a) => a.id === account.id);
      if (fresh) account = fresh;
      refreshing = false;
    }
    if (code.dataset.code !== account.code) {
      code.dataset.code = account.code;
      code.textContent = groupCode(account.code);
      spoken.textContent = spokenCode(account.code);
    }
    if (account.expires_at === null || account.period === null) {
      seconds.textContent = "";
      return;
    }
    const left = secondsLeft(account.expires_at, now);
    seconds.textContent = String(left);
    countdown.set(Math.min(1, left / account.period), left <= 5);
    next.hidden = !showsNextCode(account, now);
    if (account.next_code) next.textContent = t("finish.next", { code: groupCode(account.next_code), s: left });
  };
  void tick();
  const timer = window.setInterval(() => void tick(), 1000);
  const finish = () => {
    window.clearInterval(timer);
    d.close();
    onDone();
  };
  done.addEventListener("click", finish);
  d.dialog.addEventListener("close", () => window.clearInterval(timer));
  done.focus();
}
