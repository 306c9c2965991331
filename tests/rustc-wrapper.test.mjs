// scripts/rustc-wrapper.sh, the RUSTC_WRAPPER of the published build, keeps RUSTC_BOOTSTRAP (and the
// unstable rustflags) away from every compilation but the wasm's own crates. Run here with a stand-in
// rustc that prints what it was given, on the argument lists cargo passes (taken from a real build).
// No browser, no server, no cargo.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

const wrapper = fileURLToPath(new URL("../scripts/rustc-wrapper.sh", import.meta.url));
const scratch = mkdtempSync(path.join(os.tmpdir(), "rustc-wrapper-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

// The stand-in: prints RUSTC_BOOTSTRAP (or "unset") on the first line, then one argument per line.
const fakeRustc = path.join(scratch, "rustc");
writeFileSync(fakeRustc, '#!/bin/sh\necho "${RUSTC_BOOTSTRAP-unset}"\nfor arg in "$@"; do echo "$arg"; done\n');
chmodSync(fakeRustc, 0o755);

const UNSTABLE = "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none";

/** Runs the wrapper as cargo does under `RUSTC_BOOTSTRAP=1`; returns what rustc saw. */
function compile(args) {
  const env = { ...process.env, RUSTC_BOOTSTRAP: "1", UNSTABLE_RUSTFLAGS: UNSTABLE };
  const [bootstrap, ...seen] = execFileSync(wrapper, [fakeRustc, ...args], { env }).toString().trimEnd().split("\n");
  return { bootstrap, args: seen };
}

const WASM = ["--target", "wasm32-unknown-unknown"];

test("host crates, build scripts and their probes compile without RUSTC_BOOTSTRAP", () => {
  const cases = [
    ["--crate-name", "proc_macro2", "--edition=2021", "src/lib.rs", "--crate-type", "lib"],
    // proc-macro2's build script probe (it calls RUSTC_WRAPPER itself, keeping RUSTC_BOOTSTRAP).
    ["--cfg=procmacro2_build_probe", "--edition=2021", "--crate-name=proc_macro2", "--crate-type=lib", "-"],
    ["--crate-name", "build_script_build", "build.rs", "--crate-type", "bin"],
    ["--crate-name", "wasm_bindgen_macro", "--crate-type", "proc-macro", "--extern", "proc_macro"],
    // cargo's query of the target's file names.
    ["-", "--crate-name", "___", "--print=file-names", ...WASM],
  ];
  for (const args of cases) {
    const seen = compile(args);
    assert.equal(seen.bootstrap, "unset", `RUSTC_BOOTSTRAP reached: ${args.join(" ")}`);
    assert.deepEqual(seen.args, args, "arguments passed through unchanged");
  }
});

test("the rebuilt core and the crates linked against it keep RUSTC_BOOTSTRAP and get the unstable flags", () => {
  const cases = [
    ["--crate-name", "core", "library/core/src/lib.rs", ...WASM, "-Z", "force-unstable-if-unmarked"],
    ["--crate-name", "wasm_bindgen", "src/lib.rs", ...WASM, "--extern", "noprelude:core=libcore.rmeta", "-Z", "unstable-options"],
    ["--crate-name", "socketio_wasm", "src/lib.rs", ...WASM, "--extern", "noprelude:alloc=liballoc.rmeta"],
  ];
  for (const args of cases) {
    const seen = compile(args);
    assert.equal(seen.bootstrap, "1", `RUSTC_BOOTSTRAP missing: ${args.join(" ")}`);
    assert.deepEqual(seen.args, [...args, ...UNSTABLE.split(" ")]);
  }
});

test("the host build script of a rebuilt library keeps RUSTC_BOOTSTRAP without the wasm's flags", () => {
  const args = ["--crate-name", "build_script_build", "compiler-builtins/build.rs", "-Z", "force-unstable-if-unmarked"];
  const seen = compile(args);
  assert.equal(seen.bootstrap, "1");
  assert.deepEqual(seen.args, args);
});
