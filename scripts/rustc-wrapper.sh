#!/usr/bin/env bash
# RUSTC_WRAPPER of the optimised wasm build (scripts/build.sh): confines RUSTC_BOOTSTRAP, and the unstable
# rustc flags it unlocks, to the compilations that need them.
#
# Cargo takes -Zbuild-std only with RUSTC_BOOTSTRAP=1 in its environment, and passes that environment to
# every rustc it starts: to the host crates of proc macros and to the compile probes of build scripts too,
# where proc-macro2's probe then switches on unstable proc_macro APIs. Here RUSTC_BOOTSTRAP reaches only the
# compilations to which cargo itself gives an unstable option for -Zbuild-std: core, alloc and
# compiler_builtins rebuilt from rust-src (`-Z force-unstable-if-unmarked`, their build script included)
# and every wasm crate linked against them (`--extern noprelude:…`). Those of them built for the wasm also
# get $UNSTABLE_RUSTFLAGS (rustc links only crates of one panic strategy). Every other rustc (host crates,
# build scripts and their probes, cargo's queries) runs as on plain stable.
# Called by cargo as: rustc-wrapper.sh <rustc> <args…>.
set -euo pipefail
rustc=$1
shift
build_std_unit=false
for_wasm=false
previous=
for arg in "$@"; do
  case "$arg" in noprelude:* | force-unstable-if-unmarked) build_std_unit=true ;; esac
  if [ "$previous" = --target ] && [ "$arg" = wasm32-unknown-unknown ]; then for_wasm=true; fi
  previous=$arg
done
if [ "$build_std_unit" = false ]; then
  exec env -u RUSTC_BOOTSTRAP "$rustc" "$@"
elif [ "$for_wasm" = true ]; then
  # shellcheck disable=SC2086 # the flags are separate words
  exec "$rustc" "$@" ${UNSTABLE_RUSTFLAGS:-}
else
  exec "$rustc" "$@"
fi
