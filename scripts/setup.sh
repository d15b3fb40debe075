# Sourced by scripts/run.sh and scripts/test.sh: installs what is missing, skips what is there.
# Usage: source scripts/setup.sh [--browser]
set -euo pipefail

SAO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:/usr/local/bin:$PATH"
# The build cache lives outside the clone so a fresh clone builds warm; any dir works.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/sao/target}"
export LEPTOS_SITE_ROOT="$CARGO_TARGET_DIR/site"
# Incremental caches only help an editor loop; in these scripts they only fill the disk.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# Old test binaries pile up in the cache: start the debug profile afresh past 20 GB.
if [ -d "$CARGO_TARGET_DIR/debug" ] && [ "$(du -sm "$CARGO_TARGET_DIR/debug" | cut -f1)" -gt 20000 ]; then
  printf '[sao] the debug build cache passed 20 GB: removing it\n'
  rm -rf "$CARGO_TARGET_DIR/debug"
fi

say() { printf '\033[1m[sao]\033[0m %s\n' "$*"; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Rust toolchain with the WASM target, rustfmt and clippy.
if ! command -v cargo >/dev/null; then
  say "cargo is missing: this machine kind ships Rust by rustup" >&2
  exit 1
fi
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "installing the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

# A C compiler for libsqlite3-sys (bundled SQLite).
command -v cc >/dev/null || apt_install build-essential

# cargo-leptos, built to take its tools from PATH (nothing can be downloaded here).
if ! cargo leptos --version >/dev/null 2>&1; then
  say "installing cargo-leptos (about 25 minutes on 2 cores, once per machine)"
  cargo install cargo-leptos --locked --ignore-rust-version --features no_downloads
fi

# wasm-bindgen-cli equal to the wasm-bindgen in Cargo.lock (cargo-leptos does not check).
wasm_bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$SAO_ROOT/Cargo.lock")"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wasm_bindgen_version" ]; then
  say "installing wasm-bindgen-cli $wasm_bindgen_version"
  cargo install wasm-bindgen-cli --version "=$wasm_bindgen_version" --force
fi

# Node.js runs the WASM half of the native = WASM comparison (wasm-bindgen-test-runner).
command -v node >/dev/null || apt_install nodejs

# wasm-opt from npm's binaryen: Debian's (version 108) silently breaks hydration.
if ! wasm-opt --version 2>/dev/null | grep -q "version 132"; then
  say "installing wasm-opt (npm binaryen@132.0.0)"
  command -v npm >/dev/null || apt_install npm
  npm install -g --prefix /usr/local binaryen@132.0.0 >/dev/null
fi
if [ "$(command -v wasm-opt)" != "/usr/local/bin/wasm-opt" ]; then
  say "warning: wasm-opt on PATH is $(command -v wasm-opt), not npm's /usr/local/bin/wasm-opt" >&2
fi

# Debian's Chromium and ChromeDriver and poppler's pdftotext, for the tests only.
if [ "${1:-}" = "--browser" ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing chromium and chromium-driver"
    apt_install chromium chromium-driver
  fi
  # cargo-deny's offline checks (licenses, duplicate versions, sources).
  if ! cargo deny --version >/dev/null 2>&1; then
    say "installing cargo-deny (about 5 minutes, once per machine)"
    cargo install cargo-deny --locked
  fi
  # The two-server test: nginx in front, moto's S3 server for the shared bucket.
  if ! command -v nginx >/dev/null; then
    say "installing nginx-light (the reverse proxy of the two-server test)"
    apt_install nginx-light
  fi
  if ! command -v moto_server >/dev/null; then
    say "installing moto[server] from PyPI (the S3-compatible bucket of the two-server test)"
    python3 -m pip install -q "moto[server]==5.2.1"
  fi
  # pdftotext reads the printed documents (Mẫu 03) back in the tests.
  if ! command -v pdftotext >/dev/null; then
    say "installing poppler-utils (pdftotext)"
    apt_install poppler-utils
  fi
fi

# The release site and binary: one build serves the app, the browser tests and the page weight.
build_release() {
  say "building the release (cargo leptos build --release --precompress --split)"
  # Panic locations are strings in the WASM: shorter paths, lighter first download.
  local rustc_commit
  rustc_commit="$(rustc -vV | awk '/^commit-hash/ { print $2 }')"
  (cd "$SAO_ROOT" && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}/registry/src/= --remap-path-prefix=/rustc/$rustc_commit/=" \
    cargo leptos build --release --precompress --split)
}
