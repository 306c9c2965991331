#!/usr/bin/env bash
# Builds the npm package: cargo (release, wasm32) -> wasm-bindgen (ES module glue in pkg/) -> short names
# between the two -> esbuild (the published entry, pkg/index.js) -> wasm-opt -Oz. This is what wasm-pack
# does, called directly (wasm-pack itself would add a long compile), plus the names and the bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Size: core and alloc are rebuilt with the crate's own profile (opt-level "z", LTO), and a panic — which
# the wasm path never does by design — is a bare trap: no message, no formatting, no source location at
# any bounds check or RefCell borrow (1.8 KB less gzip). These are unstable cargo/rustc options;
# RUSTC_BOOTSTRAP=1 lets the stable toolchain take them, as the Linux kernel and Firefox build their Rust.
# The rustflags add to .cargo/config.toml's.
RUSTC_BOOTSTRAP=1 cargo build --quiet --release --target wasm32-unknown-unknown -Zbuild-std=core,alloc \
  --config 'target.wasm32-unknown-unknown.rustflags = ["-Zunstable-options", "-Cpanic=immediate-abort", "-Zlocation-detail=none"]'
# --weak-refs: a WasmManager the page no longer reaches is freed (see park_if_idle in src/wasm/manager.rs).
wasm-bindgen --target web --weak-refs --out-dir pkg --out-name socketio_wasm --no-typescript \
  target/wasm32-unknown-unknown/release/socketio_wasm.wasm
# Short names for what the wasm and the glue import from each other (see the script).
node scripts/short-names.mjs pkg/socketio_wasm_bg.wasm pkg/socketio_wasm.js
# One minified ES module of js/index.js, the glue and js/bridge.js (the glue imports its snippet copy): a
# page fetches one small file instead of three readable ones. It sits next to the wasm, so the glue's
# `new URL("socketio_wasm_bg.wasm", import.meta.url)` (left as is by esbuild, found by Vite and webpack)
# still points at it. es2020: no syntax of the sources is lowered, and every supported bundler parses it.
# The glue lists the snippet's imports once per `extern` block under one key: a harmless duplicate key.
# globalThis.SOCKETIO_WASM_NODE=false drops js/bridge.js's Node-only code (the Node entries: see below).
node_modules/.bin/esbuild js/index.js --bundle --format=esm --minify --target=es2020 --define:globalThis.SOCKETIO_WASM_NODE=false \
  --log-override:duplicate-object-key=silent --log-level=warning --outfile=pkg/index.js
# --converge repeats -Oz while it still shrinks; then --flatten --rereloop rebuilds the control flow with
# the relooper and -Oz runs again (150 bytes less gzip; A/B in the bench's workloads showed no change in
# speed). -ocimfs=20: a function with one caller is inlined into it only up to 20 instructions (binaryen's
# default has no limit), -aimfs=4: any function that small is inlined. Large functions left whole repeat
# less within the module: 1.5 KB less gzip for 3 KB more raw, and V8 compiles (lazily) only the ones a
# page calls. The producers and target-features sections are only informational.
node_modules/.bin/wasm-opt -ocimfs=20 -aimfs=4 -Oz --converge --flatten --rereloop -Oz --converge --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/socketio_wasm_bg.wasm -o pkg/socketio_wasm_bg.wasm
# The Node.js entries, ES module and CommonJS, next to the same wasm (see the script).
node scripts/bundle-node.mjs
# After wasm-opt (which would inline them back): exported functions get indices that do not cost the page
# 64 KiB of JS heap (see the script).
node scripts/spread-exports.mjs pkg/socketio_wasm_bg.wasm
echo "build: pkg/ ready ($(wc -c < pkg/index.js) bytes of JS, $(wc -c < pkg/socketio_wasm_bg.wasm) bytes of wasm)"
