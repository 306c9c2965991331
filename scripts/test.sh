#!/usr/bin/env bash
# Runs every test: the static checks (scripts/lint.sh: rustfmt, clippy, ESLint), the native Rust tests
# (codecs, state machines), then the browser tests — the packed npm package in headless Chromium against a
# real socket.io 4.8 server, side by side with socket.io-client — and a smoke run of the plain-stable build
# (scripts/build.sh --stable) in the same harness.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/lint.sh
bash scripts/build.sh
bash scripts/build.sh --stable

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

echo "== native tests (cargo test)"
cargo test --quiet 2>&1 | tee "$logs/native.txt"

echo "== packing the npm package"
# --ignore-scripts: the build above is the one the package gets (prepack would build it again).
npm pack --silent --ignore-scripts --pack-destination "$logs" >/dev/null
mkdir -p "$logs/package-root"
tar -xzf "$logs"/socketio-wasm-*.tgz -C "$logs/package-root"
for file in pkg/index.js pkg/socketio_wasm_bg.wasm; do
  [ -f "$logs/package-root/package/$file" ] || { echo "test: the packed package lacks $file" >&2; exit 1; }
done
# The same package with the plain-stable build's files.
cp -r "$logs/package-root/package" "$logs/package-stable"
cp pkg-stable/index.js pkg-stable/socketio_wasm_bg.wasm "$logs/package-stable/pkg/"

echo "== browser tests (headless Chromium, official client and ours)"
status=0
OURS_DIR="$logs/package-root/package" OURS_STABLE_DIR="$logs/package-stable" \
  node --test --test-concurrency=2 --test-reporter=spec tests/*.test.mjs 2>&1 | tee "$logs/browser.txt" || status=$?

echo "== the plain-stable build in headless Chromium (connect and events scenarios, ours only)"
OURS_DIR="$logs/package-stable" CLIENTS=ours \
  node --test --test-concurrency=2 --test-reporter=spec tests/connect.test.mjs tests/events.test.mjs 2>&1 \
  | tee "$logs/stable.txt" || status=$?

native_passed=$(grep -oE '[0-9]+ passed' "$logs/native.txt" | awk '{s += $1} END {print s + 0}')
native_failed=$(grep -oE '[0-9]+ failed' "$logs/native.txt" | awk '{s += $1} END {print s + 0}')
# The last "ℹ pass N" / "ℹ fail N" line of each node --test run (0 without one).
count() { awk -v key="$1" '$2 == key && NF == 3 && $3 ~ /^[0-9]+$/ { n = $3 } END { print n + 0 }' "$2"; }
browser_passed=$(($(count pass "$logs/browser.txt") + $(count pass "$logs/stable.txt")))
browser_failed=$(($(count fail "$logs/browser.txt") + $(count fail "$logs/stable.txt")))
echo
echo "native: $native_passed passed, $native_failed failed"
echo "browser: $browser_passed passed, $browser_failed failed"
echo "total: $((native_passed + browser_passed)) passed, $((native_failed + browser_failed)) failed"
exit "$status"
