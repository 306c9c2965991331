#!/usr/bin/env bash
# Static checks, quick, run by `npm test` before the slow tests (and alone by `npm run lint`): rustfmt,
# clippy with warnings as errors (the host build with the tests, and the wasm32 library) and ESLint over
# every JavaScript file (eslint.config.js).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== lint: cargo fmt --check"
cargo fmt --check
echo "== lint: cargo clippy (host, with the tests; wasm32)"
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown -- -D warnings
echo "== lint: eslint"
node_modules/.bin/eslint --max-warnings=0 .
