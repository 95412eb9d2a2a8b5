#!/usr/bin/env bash
# The HTML report in a real browser: installs Debian's Chromium if missing (distribution
# packages only; no browser download), installs the pinned driver (playwright-core, npm ci),
# builds the release binary (unless SPRAWL_BIN names a built one) and runs tests/browser/test.mjs
# against it.
# Env: SPRAWL_BIN (a built sprawl; .ci/run passes the debug one), CARGO_TARGET_DIR (default
# target/), SPRAWL_SCREENSHOT=FILE to keep the radius screenshot.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
command -v npm >/dev/null 2>&1 || { echo "tests/browser: Node.js 20+ and npm are needed" >&2; exit 1; }
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
if [ -z "${SPRAWL_BIN:-}" ]; then
  cargo build --release --locked --quiet --bin sprawl
  # Absolute: the test runs from tests/browser.
  SPRAWL_BIN="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/sprawl"
fi
[ -x "$SPRAWL_BIN" ] || { echo "tests/browser: $SPRAWL_BIN: not an executable" >&2; exit 1; }
export SPRAWL_BIN
export CHROMIUM=/usr/bin/chromium
cd tests/browser && node test.mjs
