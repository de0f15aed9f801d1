# shellcheck shell=bash
# Shared by scripts/start and scripts/test: installing what the project needs on a fresh
# machine. Sourced, not run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export ROOT

# CI builds once from a clean clone: incremental caches would only take disk there.
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL=0; fi

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages that are missing; a no-op when all are present.
ensure_debian_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    log "not a Debian-based system: install these yourself if missing: $*"
    return 0
  fi
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  # Another apt (unattended upgrades) may hold the lock for a while after boot.
  for _ in $(seq 60); do
    if as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1; then break; fi
    sleep 5
  done
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    log "Rust is missing: install it from rustup (https://rustup.rs) and run this again"
    exit 1
  fi
}

# pyotp, the independent TOTP implementation the differential test compares against, and
# check-jsonschema, which lints the GitHub workflows offline, live in a virtualenv inside
# the repository so nothing outside it is touched.
ensure_python_tools() {
  local venv="$ROOT/target/pyenv"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import pyotp' 2>/dev/null; then
    log "installing pyotp into target/pyenv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q pyotp==2.12.1
  fi
  # Independent readers of the files Ninsho writes for other apps (crates/cli/tests/independent_readers.rs).
  if ! "$venv/bin/python" -c 'import lib2fas, nacl.bindings' 2>/dev/null; then
    log "installing lib2fas and PyNaCl into target/pyenv"
    "$venv/bin/pip" install -q lib2fas==1.0.0 pynacl==1.6.2
  fi
  if [ ! -x "$venv/bin/check-jsonschema" ]; then
    log "installing check-jsonschema into target/pyenv"
    "$venv/bin/pip" install -q check-jsonschema==0.39.0
  fi
  export NINSHO_TEST_PYTHON="$venv/bin/python"
}

# What Tauri 2 needs to build on Linux (WebKitGTK 4.1, tray, librsvg for icons), and the
# screen capture of the QR scanner (xcap: X11 and PipeWire, bindgen needs clang).
APP_BUILD_DEBIAN_PACKAGES=(
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  libssl-dev build-essential pkg-config file
  libpipewire-0.3-dev libspa-0.2-dev libgbm-dev libclang-dev clang
)

ensure_node() {
  if ! command -v npm >/dev/null 2>&1; then
    ensure_debian_packages nodejs npm
  fi
}

# The UI's build and test tools, from package-lock.json, into node_modules/.
ensure_node_modules() {
  ensure_node
  if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    log "installing npm packages"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# tauri-driver, the WebDriver bridge for end-to-end tests, built into target/tools.
ensure_tauri_driver() {
  export TAURI_DRIVER="$ROOT/target/tools/bin/tauri-driver"
  if [ ! -x "$TAURI_DRIVER" ]; then
    log "building tauri-driver into target/tools"
    cargo install tauri-driver --version '^2' --locked --root "$ROOT/target/tools" --quiet
  fi
}

TEST_DEBIAN_PACKAGES=(
  oathtool openssl         # differential tests
  gnome-keyring dbus libsecret-tools   # a real Secret Service for the keyring slot
  chrony faketime          # a real NTP server on loopback and a skewed PC clock
  polkitd passwd           # the lock's OS check against real polkit (tests/polkit)
  orca                     # the app heard through a real screen reader (tests/e2e/screen-reader)
  python3-venv
  shellcheck               # the scripts, linted
  xvfb xauth webkit2gtk-driver xclip xdotool procps   # the app in a real window, its file dialogs
  fonts-noto-cjk fonts-dejavu-core   # Japanese text in screenshots; real glyphs in the QR corpus
  chromium                 # real pages rendered for the QR scanner's tests (tests/pages)
  feh x11-utils qrencode   # QR codes shown in windows for the screen scanner
  x11-apps                 # xwd: the whole screen, native dialogs too, beside a failed test
  libzbar-dev              # zbar, a baseline the QR benchmark links (built with the workspace)
)

# scripts/platform-check: a compiler that can build std for other targets (with clippy),
# mingw-w64 to link Windows programs, Wine to run them, clang for the macOS C check.
PLATFORM_DEBIAN_PACKAGES=(
  rustc-web cargo-web rust-web-src rust-web-clippy
  gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix mingw-w64-x86-64-dev binutils-mingw-w64-x86-64
  wine wine64 oathtool file clang
  xvfb xdotool x11-apps fonts-noto-cjk locales   # the Windows app's WebView2 message on a screen, ja and en
)

# How much room is left, in the log: CI's disk once filled during the platform check.
disk_report() {
  log "disk: $(df -h --output=avail "$ROOT" | tail -n 1 | tr -d ' ') free, target/ $(du -sh "$ROOT/target" 2>/dev/null | cut -f1)"
}

# Build outputs a later step no longer needs, removed where the disk is short (under 25 GiB
# free) or on CI, which starts from a clean clone and keeps nothing. On a developer's
# machine with room they stay, so the next run is incremental.
release_disk() {
  local free_kib
  free_kib=$(df --output=avail "$ROOT" | tail -n 1)
  if [ "${CI:-}" != true ] && [ "$free_kib" -ge $((25 * 1024 * 1024)) ]; then return 0; fi
  local path
  for path in "$@"; do
    [ -e "$path" ] || continue
    log "removing $(du -sh "$path" | cut -f1) of build outputs no later step needs: ${path#"$ROOT"/}"
    rm -rf "$path"
  done
}

# The app's updater trusts one signing key, built in (src-tauri/src/update.rs). The tests'
# builds get the tests' own (tests/e2e/update/), so that a test can sign an update; the
# release workflow gives release builds the release key's public half.
use_test_update_key() {
  NINSHO_UPDATER_PUBKEY=$(cat "$ROOT/tests/e2e/update/test-signing.key.pub")
  export NINSHO_UPDATER_PUBKEY
}
