// Size budget: the bytes a page fetches for our client as published (the package's ES module entry and
// its wasm), gzip -9, each file compressed on its own as served. Sizes are deterministic, unlike
// timings, so this one is an assertion. No browser, no server.
//
// The ceiling is a ratchet just above the current size, so no change adds bytes unnoticed; lower it
// whenever the size drops. Issue 5's budget is 25,000 bytes (socket.io-client: 12,888) and is not met
// yet: see the README's size section.
//
// The plain-stable build (scripts/build.sh --stable: no -Zbuild-std, no immediate-abort panics) is the
// fallback if a toolchain drops those options; its size is printed beside the published one and held to
// a ceiling of its own: the published one plus what the unstable options save (2,051 bytes gzip when
// last measured; it grows with the code, as panic locations do), so the cost of falling back stays known.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { sizeBudget } from "../bench/size.mjs";
import { oursDir, oursEntry, oursStableDir } from "./harness/env.mjs";

const GZIP_CEILING = 53_940;
const STABLE_GZIP_CEILING = GZIP_CEILING + 5_100;

// The gzip sizes of the entry and the wasm next to it in a package directory, printed under `label`.
function measure(label, dir) {
  const entry = oursEntry().replace(/^\.\//, "");
  const wasm = readdirSync(path.join(dir, path.dirname(entry))).filter((file) => file.endsWith(".wasm"));
  assert.equal(wasm.length, 1, "one wasm module next to the entry");
  const { files, total } = sizeBudget(dir, [entry, path.join(path.dirname(entry), wasm[0])]);
  for (const file of files) console.log(`size${label}: ${file.file}: ${file.raw} raw, ${file.gzip} gzip, ${file.brotli} brotli`);
  console.log(`size${label}: total ${total.raw} raw, ${total.gzip} gzip, ${total.brotli} brotli`);
  return total;
}

test("ours: the published entry and wasm stay within the gzip ceiling", { skip: !oursDir && "OURS_DIR not set" }, () => {
  const total = measure("", oursDir);
  assert.ok(total.gzip <= GZIP_CEILING, `gzip total ${total.gzip} bytes exceeds the ceiling of ${GZIP_CEILING}`);
});

test("ours, plain-stable build: the entry and wasm stay within their gzip ceiling", {
  skip: !(oursDir && oursStableDir) && "OURS_DIR and OURS_STABLE_DIR not both set",
}, () => {
  const published = measure("", oursDir);
  const stable = measure(" (plain stable)", oursStableDir);
  console.log(`size (plain stable): ${stable.gzip - published.gzip} bytes gzip more than the published build`);
  assert.ok(stable.gzip <= STABLE_GZIP_CEILING, `gzip total ${stable.gzip} bytes exceeds the ceiling of ${STABLE_GZIP_CEILING}`);
});
