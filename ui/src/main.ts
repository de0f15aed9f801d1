// Bootstraps the window: language and theme, then the list (or the lock screen).
import { listen } from "@tauri-apps/api/event";
import { getCurrentWindow } from "@tauri-apps/api/window";
import { errorText } from "./errors";
import { api, type AccountView, type AppInfo, type BackupView, type ClockView, type ListView, type ScanView, type Status, type UiError, type UpdateView } from "./api";
import { h } from "./dom";
import { nextRefresh } from "./format";
import { setLanguage, t } from "./i18n";
import { openAddDialog } from "./components/add-dialog";
import { openEditDialog, UNDO_MS } from "./components/edit-dialog";
import { openFinishSetup } from "./components/finish-setup";
import { BackupIndicator } from "./components/backup";
import { ClockIndicator } from "./components/clock-banner";
import { UpdateIndicator } from "./components/update";
import { AccountList } from "./components/list";
import { lockScreen, type Then } from "./components/lock-screen";
import { appLockScreen, lockKeys } from "./components/app-lock";
import { openExportDialog } from "./components/export-dialog";
import { openImportDialog } from "./components/import-dialog";
import { openMoveDialog } from "./components/move-dialog";
import { openScanDialog, type ScanSource } from "./components/scan-dialog";
import { openProtectPrompt } from "./components/protect-prompt";
import { openSettingsDialog, stepTextSize } from "./components/settings-dialog";
import { toast, toastRegion } from "./components/toast";

const app = document.getElementById("app") as HTMLElement;
let info: AppInfo;

/** The app's clock: the Rust side's time at the last fetch plus the time elapsed since. */
let clockBase = { server: 0, local: 0 };
const clock = () => clockBase.server + (performance.now() - clockBase.local) / 1000;

function applyInfo(next: AppInfo): void {
  info = next;
  setLanguage(info.language);
  document.title = t("app.title");
  const theme = info.settings.theme;
  if (theme === "auto") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  document.documentElement.dataset.platform = info.platform;
}

/** What the Rust side put in the page before it loaded (see `boot::Boot`), once. */
interface Boot {
  info: AppInfo;
  status: Status;
  list: ListView | null;
  clock: ClockView;
}

function takeBoot(): Boot | null {
  const holder = window as unknown as { __NINSHO_BOOT__?: Boot };
  const boot = holder.__NINSHO_BOOT__ ?? null;
  delete holder.__NINSHO_BOOT__;
  return boot;
}

/**
 * Focus rings for keyboard users: the root says which input came last. `:focus-visible`
 * alone is missing from the Safari of macOS 11 (our minimum), and WebKitGTK stops matching
 * it after another window (a file dialog) had the keyboard.
 */
function trackInputModality(): void {
  const root = document.documentElement;
  document.addEventListener("keydown", (e) => {
    if (!e.metaKey && !e.ctrlKey) root.dataset.input = "keyboard";
  }, true);
  document.addEventListener("pointerdown", () => (root.dataset.input = "pointer"), true);
}

async function start(): Promise<void> {
  trackInputModality();
  const boot = takeBoot();
  const [appInfo, status] = boot ? [boot.info, boot.status] : await Promise.all([api.appInfo(), api.status()]);
  applyInfo(appInfo);
  watchLock();
  if (status.open && info.lock.locked) {
    showLocked();
    firstPaintDone();
  } else if (status.open) {
    await showMain(boot?.list ? { list: boot.list, clock: boot.clock } : undefined);
  } else {
    app.replaceChildren(lockScreen(status, (then) => void showMain(undefined, then)), toastRegion());
    firstPaintDone();
  }
}

/**
 * The lock: every dialog closes and the main view is taken down, so nothing of an account
 * stays in the page; the Rust side refuses every command that would show one meanwhile.
 */
function showLocked(): void {
  teardown.forEach((undo) => undo());
  teardown = [];
  document.onkeydown = null;
  // A scanned account not yet added goes with the dialog (Rust forgets it too): said after
  // unlocking, so that the user scans the setup page again while it is still open.
  const dropped = document.querySelector<HTMLElement>("dialog.scan-dialog")?.dataset.unsaved;
  document.querySelectorAll("dialog").forEach((d) => d.remove());
  app.replaceChildren(appLockScreen(info.lock, () => void api.appInfo().then((next) => {
    applyInfo(next);
    void showMain().then(() => {
      if (dropped) toast(t("scan.dropped_by_lock", { name: dropped }), "warn");
    });
  })), toastRegion());
}

function lockNeedsPassphraseBanner(onSet: () => void): HTMLElement {
  const set = h("button", { type: "button", class: "banner-action", name: "lock-set-passphrase" }, t("protect.set_passphrase"));
  set.addEventListener("click", () =>
    openProtectPrompt(() => {
      onSet();
      void api.appInfo().then(applyInfo);
    }),
  );
  return h("div", { class: "banner banner-warn lock-pending", role: "status" }, h("p", { class: "banner-title" }, t("settings.lock_needs_passphrase")), set);
}

/** Use of the window keeps the lock away; reported at most every 15 s. */
const ACTIVITY_EVERY_MS = 15_000;

function watchLock(): void {
  let reported = 0;
  const used = () => {
    const now = performance.now();
    if (info.lock.enabled && !info.lock.locked && now - reported > ACTIVITY_EVERY_MS) {
      reported = now;
      void api.lockActivity();
    }
  };
  document.addEventListener("keydown", used, true);
  document.addEventListener("pointerdown", used, true);
  document.addEventListener("wheel", used, { capture: true, passive: true });
  void listen("app-locked", () => {
    info = { ...info, lock: { ...info.lock, locked: true } };
    showLocked();
  });
  // Unlocked from elsewhere (another window of this app is not possible, but the tray's
  // Show after an OS check is): the main view comes back.
  void listen("app-unlocked", () => {
    if (!info.lock.locked) return;
    void api.appInfo().then((next) => {
      applyInfo(next);
      void showMain();
    });
  });
  // The organization changed a setting: Settings and the lock follow it.
  void listen("policy-changed", () =>
    void api.appInfo().then((next) => {
      const rebuild = next.lock.enabled !== info.lock.enabled && !next.lock.locked;
      applyInfo(next);
      if (rebuild) void showMain();
    }),
  );
}

/** Asks for a safety net when the Rust side says it is due and nothing else is open. */
async function offerProtection(): Promise<void> {
  if (document.querySelector("dialog[open]")) return;
  if (await api.protectPromptDue()) openProtectPrompt();
}

let painted = false;

/** Once the first screen is painted, the app sets up what can wait (tray, shortcut, clock). */
function firstPaintDone(): void {
  if (painted) return;
  painted = true;
  requestAnimationFrame(() => void api.uiReady());
}

/** A small QR-code glyph for the scan button. */
function qrIcon(): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("width", "18");
  svg.setAttribute("height", "18");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", "M1 1h6v6H1zm2 2v2h2V3zm6-2h6v6H9zm2 2v2h2V3zM1 9h6v6H1zm2 2v2h2v-2zm6-2h2v2H9zm4 0h2v2h-2zm-2 2h2v2h-2zm-2 2h2v2H9zm4 0h2v2h-2z");
  svg.appendChild(path);
  return svg;
}

/** Undoes the previous main view's timers and listeners when it is rebuilt. */
let teardown: (() => void)[] = [];

/** Builds the main view; `first` is the boot data, which spares the first fetches. */
async function showMain(first?: { list: ListView; clock: ClockView }, then: Then = "list"): Promise<void> {
  teardown.forEach((undo) => undo());
  teardown = [];
  /** Whether this main view is still the one on screen (the lock or a rebuild ends it). */
  let current = true;
  teardown.push(() => (current = false));
  const search = h("input", {
    type: "search",
    class: "search",
    name: "search",
    placeholder: t("header.search"),
    "aria-label": t("header.search"),
    autocomplete: "off",
  });
  // The plus is drawn, not said: Orca read it out as "＋ 追加".
  const addButton = h("button", { type: "button", class: "primary add" }, h("span", { "aria-hidden": "true" }, "＋ "), t("header.add"));
  const settingsButton = h("button", { type: "button", class: "icon-button settings", "aria-label": t("header.settings"), title: t("header.settings") }, "⚙");
  const scanButton = h("button", { type: "button", class: "icon-button scan", "aria-label": t("header.scan"), title: t("header.scan") }, qrIcon());
  const lockHint = t("applock.button_hint", { keys: lockKeys(info.platform) });
  const lockButton = h("button", { type: "button", class: "lock-button", name: "lock", title: lockHint, "aria-label": lockHint, hidden: !info.lock.enabled }, t("applock.button"));
  const lockNow = () => {
    api.lockNow().catch((e: unknown) => toast(errorText(e), "error", 8000));
  };
  lockButton.addEventListener("click", lockNow);
  let refreshAt: number | null = null;

  // Fetches can overlap (a tick, a clock event, window focus); only the newest is shown,
  // so a reply made before a clock correction never replaces one made after it.
  let latestFetch = 0;
  const show = (view: ListView) => {
    clockBase = { server: view.now, local: performance.now() };
    refreshAt = nextRefresh(view.accounts);
    list.setAccounts(view.accounts, clock());
  };
  const refresh = async (fetch: () => Promise<{ now: number; accounts: AccountView[] }> = api.list) => {
    const id = ++latestFetch;
    try {
      const view = await fetch();
      if (id === latestFetch) show(view);
    } catch (e) {
      toast(errorText(e), "error", 8000);
    }
  };

  const copy = async (a: AccountView): Promise<void> => {
    try {
      const copied = await api.copyCode(a.id);
      const cleared = info.settings.clipboard_clear_seconds;
      // One sentence from one catalog entry: Japanese does not join two with ". ".
      const message = copied.used_next
        ? t(cleared > 0 ? "toast.copied_next_cleared" : "toast.copied_next", { s: copied.valid_in, c: cleared })
        : t(cleared > 0 ? "toast.copied_cleared" : "toast.copied", { c: cleared });
      toast(message, copied.used_next ? "warn" : "info");
      if (a.kind === "hotp") await refresh();
    } catch (e) {
      toast(errorText(e), "error", 8000);
    }
  };
  const list = new AccountList({
    copy,
    scan: () => scanButton.click(),
    add: () => openAddDialog({ accounts: () => list.all(), onAdded: added, onScan: scan }),
    edit: (a) =>
      openEditDialog(a, (message, undo) => {
        toast(message, "info", undo ? UNDO_MS : undefined, undo);
        void refresh();
      }),
    reorder: async (ids) => {
      try {
        await api.reorder(ids);
      } catch (e) {
        toast(errorText(e), "error", 8000);
      }
      await refresh();
    },
  });

  search.addEventListener("input", () => list.setQuery(search.value, clock()));
  search.addEventListener("keydown", (e) => {
    if (e.isComposing || e.keyCode === 229) return;
    if (e.key === "Enter") {
      list.copySelected();
      e.preventDefault();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      list.moveSelection(e.key === "ArrowDown" ? 1 : -1);
      e.preventDefault();
    } else if (e.key === "Escape" && search.value) {
      search.value = "";
      list.setQuery("", clock());
    }
  });
  const added = (a: AccountView) => {
    // Added just as the lock engaged: the code is not shown over the lock screen.
    if (!current) return;
    void refresh();
    openFinishSetup(a, {
      clock,
      copy: (shown) => void copy(shown),
      platform: info.platform,
      onDone: () => {
        void refresh();
        void offerProtection();
      },
    });
  };
  const imported = (n: number) => {
    toast(n ? t("transfer.imported", { n }) : t("transfer.nothing_new"));
    void refresh();
  };
  const scan = (from: ScanSource | ScanView) =>
    openScanDialog(from, { accounts: () => list.all(), onAdded: added, onImport: (preview) => openImportDialog(imported, preview) });
  addButton.addEventListener("click", () => openAddDialog({ accounts: () => list.all(), onAdded: added, onScan: scan }));
  scanButton.addEventListener("click", () => scan("screens"));
  const exported = (message: string) => toast(message, "info", 8000);
  const openTransfer = (kind: "move" | "import" | "export") => {
    if (kind === "move") openMoveDialog(() => openExportDialog(exported));
    else if (kind === "import") openImportDialog(imported);
    else openExportDialog(exported);
  };
  const updateIndicator = new UpdateIndicator();
  settingsButton.addEventListener("click", () =>
    openSettingsDialog(
      info,
      updateIndicator,
      (next) => {
        const rebuild = next.language !== info.language || next.lock.enabled !== info.lock.enabled;
        applyInfo(next);
        if (rebuild) void showMain();
        else void refresh();
      },
      openTransfer,
      (message) => {
        toast(message, "info", 8000);
        void refresh();
      },
      (preview) => openImportDialog(imported, preview),
    ),
  );

  // Through the settings, as Settings' own box would: the Rust side keeps it off where the
  // organization forbids correction.
  const clockIndicator = new ClockIndicator(info.platform, () => api.saveSettings({ ...info.settings, clock_correction: true }).then(applyInfo));
  // The organization requires the lock, but it cannot engage without a vault passphrase.
  const lockPending = info.lock.enabled && !info.lock.passphrase && !info.lock.required ? lockNeedsPassphraseBanner(() => lockPending?.remove()) : null;
  const backupIndicator = new BackupIndicator();
  // The page itself scrolls, under a header that stays: an inner scrolling box cost WebKit
  // extra compositing layers, repainted with every second's countdown.
  const pinned = h(
    "div",
    { class: "pinned-top" },
    h("header", { class: "top" }, search, scanButton, addButton, lockButton, settingsButton),
    list.countdown,
    backupIndicator.banner,
    lockPending,
    clockIndicator.banner,
    updateIndicator.banner,
  );
  app.replaceChildren(pinned, list.root, toastRegion());
  // A row brought into view by the keyboard must not end up under the header. A header
  // taller than half the window (large text, with a banner) is not pinned: it would leave
  // no room for the codes, nor for the banner's own buttons below the window's edge.
  const keepClear = new ResizeObserver(() => {
    const tall = pinned.offsetHeight > window.innerHeight / 2;
    pinned.classList.toggle("unpinned", tall);
    document.documentElement.style.scrollPaddingTop = tall ? "" : `${pinned.offsetHeight + 8}px`;
  });
  keepClear.observe(pinned);
  teardown.push(() => keepClear.disconnect(), list.dispose);

  document.onkeydown = (e) => {
    if (e.isComposing) return;
    // Ctrl/⌘ with + − 0: text size, anywhere, remembered like the choice in Settings.
    if ((e.ctrlKey || e.metaKey) && !e.altKey && ["+", "=", "-", "0"].includes(e.key)) {
      const text_size = e.key === "0" ? 0 : stepTextSize(info.settings.text_size, e.key !== "-");
      e.preventDefault();
      if (text_size !== info.settings.text_size) {
        api.saveSettings({ ...info.settings, text_size }).then(applyInfo, (err: unknown) => toast(errorText(err), "error", 8000));
      }
      return;
    }
    // Ctrl/⌘+L locks from anywhere, an open dialog included.
    if (e.key === "l" && (e.ctrlKey || e.metaKey) && !e.altKey && info.lock.enabled) {
      lockNow();
      e.preventDefault();
      return;
    }
    if (document.querySelector("dialog[open]")) return;
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
    if ((e.key === "/" && !typing) || (e.key === "f" && (e.ctrlKey || e.metaKey))) {
      search.focus();
      search.select();
      e.preventDefault();
    } else if (e.key === "n" && (e.ctrlKey || e.metaKey)) {
      addButton.click();
      e.preventDefault();
    }
  };

  if (first) {
    // Synchronously: an await here would let WebKit run a frame with an empty list.
    show(first.list);
    clockIndicator.update(first.clock);
  } else {
    const [clockView] = await Promise.all([api.clockStatus(), refresh()]);
    clockIndicator.update(clockView);
  }
  firstPaintDone();
  // The list takes the first focus: Enter copies the top code at once, and no caret blinks
  // in the search box all day (each blink repaints the window). "/" or Ctrl+F searches.
  if (!list.focus()) search.focus();
  // A new vault after this PC lost the old one's key: straight to the import.
  if (then === "import") openTransfer("import");
  else void offerProtection();

  // One tick a second, on the second: countdowns move, and the list is fetched again
  // only when a code has expired.
  // A hidden window (closed to the tray, minimized) does no work at all; showing it
  // again fetches fresh codes and restarts the ticks.
  const tick = () => {
    if (document.hidden) return;
    const now = clock();
    if (refreshAt !== null && now >= refreshAt) {
      refreshAt = null;
      void refresh();
    } else {
      list.tick(now);
    }
    timer = window.setTimeout(tick, 1000 - ((now * 1000) % 1000) + 5);
  };
  let timer = 0;
  tick();
  const onVisibility = () => {
    window.clearTimeout(timer);
    if (!document.hidden) void refresh().then(tick);
  };
  document.addEventListener("visibilitychange", onVisibility);
  teardown.push(() => {
    window.clearTimeout(timer);
    document.removeEventListener("visibilitychange", onVisibility);
  });

  const unlistenSearch = await listen("focus-search", () => {
    search.focus();
    search.select();
  });
  // Changes made by the CLI appear when the window comes back to the front.
  const unlistenFocus = await getCurrentWindow().onFocusChanged(({ payload: focused }) => {
    if (focused) void refresh(api.reload);
  });
  // A new measurement can change the corrected time, and with it the codes.
  const unlistenClock = await listen<ClockView>("clock-status", ({ payload }) => {
    clockIndicator.update(payload);
    void refresh();
  });
  // A picture dropped on the window is scanned on the Rust side; the result comes here.
  const unlistenDrop = await listen<{ view: ScanView | null; error: UiError | null }>("scan-dropped", ({ payload }) => {
    if (document.querySelector("dialog[open]")) return;
    if (payload.view) scan(payload.view);
    else if (payload.error) toast(errorText(payload.error), "error", 8000);
  });
  // Every automatic backup's outcome: a failure shows until one succeeds.
  const unlistenBackup = await listen<BackupView>("backup-status", ({ payload }) => backupIndicator.update(payload));
  // A policy that now requires backups (or no longer does) changes the banner at once.
  const unlistenPolicy = await listen("policy-changed", () => void api.backupStatus().then((view) => backupIndicator.update(view)));
  const unlistenUpdate = await listen<UpdateView>("update-status", ({ payload }) => updateIndicator.update(payload));
  teardown.push(unlistenSearch, unlistenFocus, unlistenClock, unlistenDrop, unlistenBackup, unlistenPolicy, unlistenUpdate);
  void api.backupStatus().then((view) => backupIndicator.update(view));
  void api.updateStatus().then((view) => updateIndicator.update(view));
  // A check that finished before the listener existed is picked up here, with the codes
  // it may have corrected.
  const [latestClock] = await Promise.all([api.clockStatus(), refresh()]);
  clockIndicator.update(latestClock);
}

start().catch((e) => {
  app.replaceChildren(h("p", { class: "form-error", role: "alert" }, errorText(e)));
});
