#!/usr/bin/env bash
# Installs whatever the build, the demo and the tests need and is not there yet; fast when all is present.
# Everything comes from the package registries: rustup (the toolchain pinned in rust-toolchain.toml, its wasm32
# target and rust-src, rustfmt and clippy), crates.io (wasm-bindgen-cli pinned to the wasm-bindgen in Cargo.lock),
# Debian (chromium, chromium-driver) and npm (package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

# The pinned toolchain (read from rust-toolchain.toml); instant when it is installed.
rustup --quiet toolchain install

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The wasm build compiles core and alloc from their sources (see build.sh).
if ! rustup component list --installed | grep -qx rust-src; then
  echo "setup: adding the rust-src component"
  rustup component add rust-src
fi

bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  echo "setup: installing wasm-bindgen-cli $bindgen_version"
  cargo install --locked --quiet wasm-bindgen-cli --version "$bindgen_version"
fi

if ! command -v chromium >/dev/null; then
  echo "setup: installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The runtimes tests/node.test.mjs runs the package in (Node 22 and 24, Bun, Deno): npm packages that carry
# their binaries, in a project of their own (each Node package links a bin named `node`, which would
# shadow the machine's Node in the root project's npm scripts). No bin links: the tests call them by path.
runtimes=tests/node/runtimes
if [ ! -d "$runtimes/node_modules" ] || [ "$runtimes/package-lock.json" -nt "$runtimes/node_modules/.package-lock.json" ]; then
  echo "setup: installing the test runtimes (Node.js 22 and 24, Bun, Deno)"
  npm ci --prefix "$runtimes" --no-bin-links --no-audit --no-fund --loglevel=error
fi
