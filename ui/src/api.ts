// Typed wrappers over the app's commands. Nothing here ever receives a key, except
// `reveal`, which the user calls explicitly.
import { invoke } from "@tauri-apps/api/core";

export interface UiError {
  key: string;
  params: Record<string, string>;
}

export interface Settings {
  language: "auto" | "ja" | "en";
  theme: "auto" | "light" | "dark";
  clipboard_clear_seconds: number;
  close_to_tray: boolean;
  shortcut: string;
  clock_servers: string[];
  clock_https_url: string;
  clock_warn_seconds: number;
  clock_error_seconds: number;
  clock_check_minutes: number;
  clock_correction: boolean;
  /** Percent (100–200); 0 follows the system. */
  text_size: number;
  lock_enabled: boolean;
  lock_minutes: number;
  /** The window is left out of screenshots and screen sharing (Windows, macOS). */
  screen_share_protection: boolean;
  /** Look for updates at start and once a day. */
  update_check: boolean;
}

export interface LockView {
  enabled: boolean;
  locked: boolean;
  /** The vault has a passphrase: the way in that always works. */
  passphrase: boolean;
  /** The organization requires the lock: it holds without a passphrase too. */
  required: boolean;
  os_check: "touch_id" | "windows_hello" | "polkit";
  /** The longest timeout the organization allows. */
  max_minutes: number | null;
}

export interface ClockView {
  state: "unknown" | "ok" | "warn" | "error" | "failed";
  /** By the first source that answered. */
  offset: number | null;
  /** Every source that answered, in the order asked. */
  sources: ClockSource[];
  checked_at: number | null;
  /** The user's choice, or "forbidden" when the organization does not allow correction. */
  correction: "off" | "on" | "forbidden";
  correcting: boolean;
  applied_offset: number;
  /** Correction is on but the codes are not shifted, and why (src-tauri/src/clock.rs). */
  not_applied: NotApplied | null;
  /** The OS's date and time settings can be opened (`openDateSettings`). */
  date_settings: boolean;
}

/** Offsets are server minus PC, in seconds: positive when the PC is slow. */
export interface ClockSource {
  /** A time server, or a web server's clock. */
  kind: "ntp" | "https";
  host: string;
  offset: number;
  uncertainty: number;
}

export type NotApplied =
  | { reason: "one_source" }
  | { reason: "disagree"; spread: number; tolerance: number }
  | { reason: "over_limit"; offset: number; limit: number; managed: boolean };

/** The update's state (src-tauri/src/update.rs). */
export interface UpdateView {
  phase: "idle" | "checking" | "current" | "available" | "downloading" | "installing" | "ready" | "failed";
  installed: string;
  offer: { version: string; notes: string; date: number | null } | null;
  progress: { done: number; total: number | null } | null;
  failure: UpdateFailure | null;
  checked_at: number | null;
  checks: "on" | "off" | "managed_off" | "not_this_build";
  /** Who installs: Ninsho, IT (the per-machine MSI), the package manager, nobody from here. */
  route: "in_app" | "organization" | "package_manager" | "read_only_folder";
  managed_by: string | null;
  server_set_by: string | null;
  /** Windows: installing closes Ninsho, and its installer starts the new version. */
  installer_restarts: boolean;
}

export type UpdateFailure = "offline" | "server_error" | "bad_manifest" | "no_build_here" | "bad_signature" | "download_cut" | "too_large" | "wrong_file" | "install_failed";

/** An organization's setting that was not applied (src-tauri/src/app.rs). */
export interface PolicyProblem {
  source: string;
  key: string | null;
  reason: "unreadable" | "not_readable_format" | "too_large" | "unknown_key" | "invalid_value" | "newer_version";
  detail: string;
}

export interface AppInfo {
  language: "ja" | "en";
  settings: Settings;
  platform: string;
  version: string;
  commit: string;
  arch: string;
  /** Settings fields the organization manages, with where each was set. */
  managed: Partial<Record<"clock_servers" | "clock_https_url" | "clock_correction" | "lock_enabled" | "lock_minutes" | "auto_backup" | "auto_backup_folder" | "export" | "update_check", string>>;
  policy_problems: PolicyProblem[];
  lock: LockView;
}

export interface Status {
  open: boolean;
  error: UiError | null;
  has_passphrase: boolean;
  vault_exists: boolean;
  latest_backup: { time: number; accounts: number; file: string } | null;
}

export interface AccountView {
  id: string;
  issuer: string;
  account: string;
  label: string;
  kind: "totp" | "hotp" | "steam" | "battle";
  digits: number;
  period: number | null;
  pinned: boolean;
  duplicate: boolean;
  code: string;
  next_code: string | null;
  valid_from: number | null;
  expires_at: number | null;
}

export interface ListView {
  now: number;
  accounts: AccountView[];
}

export type AddInput =
  | { mode: "uri"; uri: string; label: string }
  | {
      mode: "key";
      issuer: string;
      account: string;
      label: string;
      secret: string;
      algorithm: string;
      digits: number;
      period: number;
      counter: number | null;
    };

export interface Copied {
  used_next: boolean;
  valid_in: number;
}

export interface Revealed {
  secret: string;
  uri: string;
  qr_svg: string;
}

export interface FormatView {
  id: string;
  encrypted: boolean;
  /** The organization's policy lets Ninsho write it. */
  allowed: boolean;
}

export interface PreviewItem {
  issuer: string;
  account: string;
  kind: string;
  status: "new" | "same_key" | "same_name" | "repeated";
  /** The stored account it matches. */
  other: Names | null;
}

export interface PreviewView {
  file: string;
  format: string;
  items: PreviewItem[];
  /** Parts of the file that could not be read: where and why, as catalog keys. */
  problems: { place: UiError; error: UiError }[];
  /** Unreadable parts beyond those listed. */
  problems_left_out: number;
  /** The file opened without a password: the user is asked to delete it once imported. */
  plaintext: boolean;
}

/** What an export tells the user; a key under `transfer.remarks` in the catalogs. */
export type Remark = "steam_unsupported" | "period_not30" | "digits_not6_or8" | "json_instead_of_txt" | "sha1_only_before2023";

export interface Exported {
  file: string | null;
  count: number;
  skipped: [string, Remark][];
  note: Remark | null;
  qr_svgs: string[];
}

export type PayloadKind = "account" | "migration" | "microsoft-authenticator" | "duo-mobile" | "okta-verify" | "app-store" | "web-address" | "text";

/** What an account is called (Rust's `Names`). */
export interface Names {
  issuer: string;
  account: string;
  label: string;
}

/** An account found by a scan, before it is added: names only, no code (see scan.rs). */
export interface ScannedAccount {
  issuer: string;
  account: string;
  label: string;
}

export interface FoundView {
  index: number;
  kind: PayloadKind;
  /** A setup code made for one vendor's own app: `kind` names the app's guidance. */
  for_another_app: boolean;
  account: ScannedAccount | null;
  /** The stored account with the same key. */
  already: Names | null;
  problem: UiError | null;
  text: string | null;
}

export interface ScanView {
  /** Which scan this is: Add names it, so a newer scan's account is never added by mistake. */
  scan: number;
  found: FoundView[];
  cut_off: boolean;
  migration: { scanned: number; size: number } | null;
  import: PreviewView | null;
}

export interface BackupView {
  on: boolean;
  folder: string | null;
  last_success: { time: number; accounts: number; file: string } | null;
  failure: { time: number; reason: "folder_missing" | "not_allowed" | "disk_full" | "other"; detail: string } | null;
  required_by: string | null;
  folder_managed_by: string | null;
}

export interface BackupFileView {
  path: string;
  time: number;
  accounts: number | null;
}

export interface DeletedView {
  id: string;
  issuer: string;
  account: string;
  label: string;
  deleted_at: number;
}

export function isUiError(e: unknown): e is UiError {
  return typeof e === "object" && e !== null && "key" in e && "params" in e;
}

export const api = {
  appInfo: () => invoke<AppInfo>("app_info"),
  lockStatus: () => invoke<LockView>("lock_status"),
  lockNow: () => invoke<LockView>("lock_now"),
  lockActivity: () => invoke<void>("lock_activity"),
  unlockWithPassphrase: (passphrase: string) => invoke<LockView>("unlock_with_passphrase", { passphrase }),
  unlockWithOs: () => invoke<LockView>("unlock_with_os"),
  status: () => invoke<Status>("status"),
  reopen: () => invoke<Status>("reopen"),
  unlock: (passphrase: string) => invoke<Status>("unlock", { passphrase }),
  createWithPassphrase: (passphrase: string) => invoke<Status>("create_with_passphrase", { passphrase }),
  list: () => invoke<ListView>("list"),
  reload: () => invoke<ListView>("reload"),
  addAccount: (input: AddInput) => invoke<AccountView>("add_account", { input }),
  updateAccount: (a: { id: string; issuer: string; account: string; label: string; pinned: boolean }) =>
    invoke<void>("update_account", a),
  deleteAccount: (id: string) => invoke<void>("delete_account", { id }),
  reorder: (ids: string[]) => invoke<void>("reorder", { ids }),
  copyCode: (id: string) => invoke<Copied>("copy_code", { id }),
  reveal: (id: string) => invoke<Revealed>("reveal", { id }),
  saveSettings: (settings: Settings) => invoke<AppInfo>("save_settings", { settings }),
  startAtLogin: () => invoke<boolean>("start_at_login"),
  setStartAtLogin: (enabled: boolean) => invoke<boolean>("set_start_at_login", { enabled }),
  clockStatus: () => invoke<ClockView>("clock_status"),
  checkClock: () => invoke<ClockView>("check_clock"),
  /** Opens the OS's date and time settings; what opens is chosen on the Rust side. */
  openDateSettings: () => invoke<void>("open_date_settings"),
  uiReady: () => invoke<void>("ui_ready"),
  updateStatus: () => invoke<UpdateView>("update_status"),
  /** Looks now; refused where the check is off. */
  updateCheck: () => invoke<UpdateView>("update_check"),
  /** Downloads, verifies and installs the update found; progress comes as `update-status`. */
  updateInstall: () => invoke<UpdateView>("update_install"),
  updateRestart: () => invoke<void>("update_restart"),
  formats: () => invoke<FormatView[]>("formats"),
  /** Opens the file dialog; with a password, previews the file chosen last again. */
  importPreview: (password: string | null) => invoke<PreviewView | null>("import_preview", { password }),
  importCommit: (chosen: number[]) => invoke<number>("import_commit", { chosen }),
  importCancel: () => invoke<void>("import_cancel"),
  exportAccounts: (format: string, password: string | null, plaintext: boolean) =>
    invoke<Exported | null>("export", { format, password, plaintext }),
  scanScreens: () => invoke<ScanView>("scan_screens"),
  scanCancel: () => invoke<void>("scan_cancel"),
  scanPicture: () => invoke<ScanView | null>("scan_picture"),
  scanClipboard: () => invoke<ScanView>("scan_clipboard"),
  scanArea: () => invoke<ScanView | null>("scan_area"),
  scanAdd: (scan: number, index: number, label: string) => invoke<AccountView>("scan_add", { scan, index, label }),
  scanForget: () => invoke<void>("scan_forget"),
  openScreenRecordingSettings: () => invoke<void>("open_screen_recording_settings"),
  backupStatus: () => invoke<BackupView>("backup_status"),
  backupPickFolder: () => invoke<string | null>("backup_pick_folder"),
  /** Into the folder just picked (or the one in use, or the organization's). */
  backupEnable: (password: string) => invoke<BackupView>("backup_enable", { password }),
  backupDisable: () => invoke<BackupView>("backup_disable"),
  backupNow: () => invoke<BackupView>("backup_now"),
  deletedList: () => invoke<DeletedView[]>("deleted_list"),
  undelete: (ids: string[]) => invoke<number>("undelete", { ids }),
  emptyDeleted: () => invoke<number>("empty_deleted"),
  /** The last automatic backup (`latest`), or one chosen in the file dialog. */
  recoverFromBackup: (latest: boolean, password: string) => invoke<Status | null>("recover_from_backup", { latest, password }),
  recoverFresh: () => invoke<Status>("recover_fresh"),
  protectPromptDue: () => invoke<boolean>("protect_prompt_due"),
  setPassphrase: (passphrase: string) => invoke<void>("set_passphrase", { passphrase }),
  backupList: () => invoke<BackupFileView[]>("backup_list"),
  /** Deletes the backups made under an earlier backup password; returns how many. */
  backupForgetEarlier: () => invoke<number>("backup_forget_earlier"),
  restorePreview: (path: string, password: string | null) => invoke<PreviewView>("restore_preview", { path, password }),
  restoreReplace: (path: string, password: string | null) =>
    invoke<{ accounts: number; copy: string }>("restore_replace", { path, password }),
};
