// Size budget: the bytes a page fetches for our client as published (the package's ES module entry and
// its wasm), gzip -9, each file compressed on its own as served. Sizes are deterministic, unlike
// timings, so this one is an assertion. No browser, no server.
//
// The ceiling is a ratchet just above the current size, so no change adds bytes unnoticed; lower it
// whenever the size drops. Issue 5's budget is 25,000 bytes (socket.io-client: 12,888) and is not met
// yet: see the README's size section.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { sizeBudget } from "../bench/size.mjs";
import { oursDir, oursEntry } from "./harness/env.mjs";

const GZIP_CEILING = 48_846;

test("ours: the published entry and wasm stay within the gzip ceiling", { skip: !oursDir && "OURS_DIR not set" }, () => {
  const entry = oursEntry().replace(/^\.\//, "");
  const wasm = readdirSync(path.join(oursDir, path.dirname(entry))).filter((file) => file.endsWith(".wasm"));
  assert.equal(wasm.length, 1, "one wasm module next to the entry");
  const { files, total } = sizeBudget(oursDir, [entry, path.join(path.dirname(entry), wasm[0])]);
  for (const file of files) console.log(`size: ${file.file}: ${file.raw} raw, ${file.gzip} gzip, ${file.brotli} brotli`);
  console.log(`size: total ${total.raw} raw, ${total.gzip} gzip, ${total.brotli} brotli`);
  assert.ok(total.gzip <= GZIP_CEILING, `gzip total ${total.gzip} bytes exceeds the ceiling of ${GZIP_CEILING}`);
});
