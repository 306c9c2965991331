#!/usr/bin/env bash
# Builds the npm package's wasm: cargo (release, wasm32) -> wasm-bindgen (ES module glue in pkg/) ->
# wasm-opt -Oz. This is what wasm-pack does, called directly (wasm-pack itself would add a long compile).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --quiet --release --target wasm32-unknown-unknown
wasm-bindgen --target web --out-dir pkg --out-name socketio_wasm --no-typescript \
  target/wasm32-unknown-unknown/release/socketio_wasm.wasm
node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/socketio_wasm_bg.wasm -o pkg/socketio_wasm_bg.wasm
echo "build: pkg/ ready ($(wc -c < pkg/socketio_wasm_bg.wasm) bytes of wasm)"
