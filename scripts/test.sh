#!/usr/bin/env bash
# Runs every test: the native Rust tests (codecs, state machines), then the browser tests — the packed npm
# package in headless Chromium against a real socket.io 4.8 server, side by side with socket.io-client.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

echo "== native tests (cargo test)"
cargo test --quiet 2>&1 | tee "$logs/native.txt"

echo "== packing the npm package"
# --ignore-scripts: the build above is the one the package gets (prepack would build it again).
npm pack --silent --ignore-scripts --pack-destination "$logs" >/dev/null
mkdir -p "$logs/package-root"
tar -xzf "$logs"/socketio-wasm-*.tgz -C "$logs/package-root"

echo "== browser tests (headless Chromium, official client and ours)"
status=0
OURS_DIR="$logs/package-root/package" node --test --test-concurrency=2 --test-reporter=spec tests/*.test.mjs 2>&1 | tee "$logs/browser.txt" || status=$?

native_passed=$(grep -oE '[0-9]+ passed' "$logs/native.txt" | awk '{s += $1} END {print s + 0}')
native_failed=$(grep -oE '[0-9]+ failed' "$logs/native.txt" | awk '{s += $1} END {print s + 0}')
browser_passed=$(grep -E '^[^ ]+ pass [0-9]+$' "$logs/browser.txt" | awk '{print $3}' | tail -1)
browser_failed=$(grep -E '^[^ ]+ fail [0-9]+$' "$logs/browser.txt" | awk '{print $3}' | tail -1)
echo
echo "native: $native_passed passed, $native_failed failed"
echo "browser: ${browser_passed:-0} passed, ${browser_failed:-0} failed"
echo "total: $((native_passed + ${browser_passed:-0})) passed, $((native_failed + ${browser_failed:-0})) failed"
exit "$status"
