#!/usr/bin/env bash
# Builds the package (installing what is missing) and starts the chat demo on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec node www/server.mjs
