# Installs what Colloquy's build and tests need, skipping what is present. Sourced by
# scripts/serve and scripts/test; every step is idempotent and uses only package registries.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m (at %d s)\n' "$*" "$SECONDS"; }

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if ! trunk --version 2>/dev/null | grep -q '^trunk 0\.21\.'; then
    say "installing Trunk 0.21 (a few minutes, once)"
    # --locked: Trunk's own lock file; without it a newer lightningcss breaks the build.
    cargo install trunk --version '^0.21' --locked
  fi
}

# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock, or Trunk tries to download one.
ensure_wasm_bindgen() {
  local wanted
  wanted="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)"
  if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wanted"; then
    say "installing wasm-bindgen-cli $wanted (a few minutes, once)"
    cargo install wasm-bindgen-cli --version "=$wanted"
  fi
}

# npm's binaryen 132 (wasm-opt), playwright-core and the static server, from the lock file.
ensure_node_modules() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages (npm ci)"
    npm ci --ignore-scripts --no-audit --no-fund
  fi
  wasm-opt --version | grep -q 'version 132' || { echo "wasm-opt is not binaryen 132" >&2; exit 1; }
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing Debian's chromium and chromium-driver"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium chromium-driver
  fi
}

# Debian's Firefox ESR (bookworm-security carries the current ESR) for the Firefox runs.
ensure_firefox() {
  if [ ! -x /usr/bin/firefox-esr ]; then
    say "installing Debian's firefox-esr"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q firefox-esr
  fi
}

# geckodriver drives Firefox for wasm-bindgen-test and the Firefox end-to-end suite; crates.io
# has it as source only, so the first install compiles it (a few minutes, once).
GECKODRIVER_VERSION="0.37"
ensure_geckodriver() {
  case "$(geckodriver --version 2>/dev/null | head -n 1)" in
    "geckodriver ${GECKODRIVER_VERSION}."*) ;;
    *)
      say "installing geckodriver ${GECKODRIVER_VERSION} (a few minutes, once)"
      cargo install geckodriver --version "^${GECKODRIVER_VERSION}"
      ;;
  esac
}

ensure_build_tools() {
  ensure_wasm_target
  ensure_trunk
  ensure_wasm_bindgen
  ensure_node_modules
}

# The release site in dist/. Every wasm binary index.html names is built in one cargo run
# first: each one's link-time optimisation runs on one core, so one run links them side by
# side, where trunk's builds (one cargo run each) would link them one after another. trunk
# then finds them built, and runs wasm-bindgen, wasm-opt and its hooks (`colloquy build`).
build_release() {
  local bins=()
  for bin in $(grep -o 'data-bin="[^"]*"' index.html | cut -d'"' -f2); do bins+=(--bin "$bin"); done
  cargo build --release --target wasm32-unknown-unknown "${bins[@]}"
  trunk build --release
}
