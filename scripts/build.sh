#!/usr/bin/env bash
# Builds the npm package: cargo (release, wasm32) -> wasm-bindgen (ES module glue) -> short names between
# the two -> esbuild (the published entry) -> wasm-opt -Oz. This is what wasm-pack does, called directly
# (wasm-pack itself would add a long compile), plus the names and the bundle.
#
#   bash scripts/build.sh            the published build, in pkg/ (glue in pkg/ too, not published)
#   bash scripts/build.sh --stable   the same without unstable options, on plain stable, in pkg-stable/
#                                    (glue in target/stable/bindgen/); the tests check it still works
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
case "${1:-}" in
  "")
    out=pkg
    glue_root=.
    # Size: core and alloc are rebuilt with the crate's own profile (opt-level "z", LTO), and a panic —
    # which the wasm path never does by design — is a bare trap: no message, no formatting, no source
    # location at any bounds check or RefCell borrow (1.8 KB less gzip). These are unstable cargo/rustc
    # options; RUSTC_BOOTSTRAP=1 lets the pinned stable toolchain take them, as the Linux kernel and
    # Firefox build their Rust. scripts/rustc-wrapper.sh keeps RUSTC_BOOTSTRAP and the unstable rustflags
    # away from every compilation but the wasm's own crates (proc macros and build scripts are built as on
    # stable). The rustflags add to .cargo/config.toml's.
    RUSTC_BOOTSTRAP=1 RUSTC_WRAPPER=scripts/rustc-wrapper.sh \
      UNSTABLE_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none" \
      cargo build --quiet --release --target wasm32-unknown-unknown -Zbuild-std=core,alloc
    wasm=target/wasm32-unknown-unknown/release/socketio_wasm.wasm
    ;;
  --stable)
    out=pkg-stable
    # js/index.js imports the glue from ../pkg/: a copy of js/ next to this build's own pkg/ keeps the
    # published build's glue out of this bundle.
    glue_root=target/stable/bindgen
    rm -rf "$glue_root"
    mkdir -p "$glue_root"
    cp -r js "$glue_root/js"
    cargo build --quiet --release --target wasm32-unknown-unknown --target-dir target/stable
    wasm=target/stable/wasm32-unknown-unknown/release/socketio_wasm.wasm
    ;;
  *)
    echo "build: unknown argument $1 (expected nothing or --stable)" >&2
    exit 2
    ;;
esac
mkdir -p "$out"
# --weak-refs: a WasmManager the page no longer reaches is freed (see park_if_idle in src/wasm/manager.rs).
wasm-bindgen --target web --weak-refs --out-dir "$glue_root/pkg" --out-name socketio_wasm --no-typescript "$wasm"
# Short names for what the wasm and the glue import from each other (see the script).
node scripts/short-names.mjs "$glue_root/pkg/socketio_wasm_bg.wasm" "$glue_root/pkg/socketio_wasm.js"
# One minified ES module of js/index.js, the glue and js/bridge.js (the glue imports its snippet copy): a
# page fetches one small file instead of three readable ones. It sits next to the wasm, so the glue's
# `new URL("socketio_wasm_bg.wasm", import.meta.url)` (left as is by esbuild, found by Vite and webpack)
# still points at it. es2020: no syntax of the sources is lowered, and every supported bundler parses it.
# The glue lists the snippet's imports once per `extern` block under one key: a harmless duplicate key.
# globalThis.SOCKETIO_WASM_NODE=false drops js/bridge.js's Node-only code (the Node entries: see below).
node_modules/.bin/esbuild "$glue_root/js/index.js" --bundle --format=esm --minify --target=es2020 --define:globalThis.SOCKETIO_WASM_NODE=false \
  --log-override:duplicate-object-key=silent --log-level=warning --outfile="$out/index.js"
# The classic-script build (the package's "unpkg" file), as socket.io-client's dist/socket.io.min.js: the
# same sources as one IIFE that sets a global `io`, next to the wasm, where it looks for it (import.meta.url
# does not exist in a classic script: js/script-url.js stands in for it).
node_modules/.bin/esbuild "$glue_root/js/script.js" --bundle --format=iife --minify --target=es2020 --define:globalThis.SOCKETIO_WASM_NODE=false \
  --inject:"$glue_root/js/script-url.js" --define:import.meta.url=scriptUrl \
  --log-override:duplicate-object-key=silent --log-level=warning --outfile="$out/socketio-wasm.min.js"
# --converge repeats -Oz while it still shrinks; then --flatten --rereloop rebuilds the control flow with
# the relooper and -Oz runs again (150 bytes less gzip; A/B in the bench's workloads showed no change in
# speed). -ocimfs=20: a function with one caller is inlined into it only up to 20 instructions (binaryen's
# default has no limit), -aimfs=4: any function that small is inlined. Large functions left whole repeat
# less within the module: 1.5 KB less gzip for 3 KB more raw, and V8 compiles (lazily) only the ones a
# page calls. The producers and target-features sections are only informational.
node_modules/.bin/wasm-opt -ocimfs=20 -aimfs=4 -Oz --converge --flatten --rereloop -Oz --converge --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$glue_root/pkg/socketio_wasm_bg.wasm" -o "$out/socketio_wasm_bg.wasm"
if [ "$out" = pkg ]; then
  # The Node.js entries, ES module and CommonJS, next to the same wasm (see the script).
  node scripts/bundle-node.mjs
fi
# After wasm-opt (which would inline them back): exported functions get indices that do not cost the page
# 64 KiB of JS heap (see the script).
node scripts/spread-exports.mjs "$out/socketio_wasm_bg.wasm"
echo "build: $out/ ready ($(wc -c < "$out/index.js") bytes of JS, $(wc -c < "$out/socketio-wasm.min.js") as a classic script, $(wc -c < "$out/socketio_wasm_bg.wasm") bytes of wasm)"
if [ "$out" = pkg ]; then
  # The inline entry (package.json "exports": the "development" and "module" conditions): the same module
  # with the finished wasm inside it as base64, for tools that do not emit `new URL(…, import.meta.url)` assets.
  node scripts/bundle-inline.mjs
  echo "build: pkg/index.inline.js ready ($(wc -c < pkg/index.inline.js) bytes, the wasm inlined)"
fi
