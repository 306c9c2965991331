// Loads the wasm in Node.js: the build puts this file in place of js/load.js in the Node entries
// (pkg/node.mjs, pkg/node.cjs; see scripts/build.sh), which sit next to the wasm in pkg/. The module is
// read from the package's own files and compiled synchronously, so the client is ready right after the
// import instead of after a fetch (Node's fetch takes no file: URL).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { initSync } from "../pkg/socketio_wasm.js";

// Node 22 and later have a global WebSocket; without it no connection could ever open (and waiting for
// one would hang a test run), so importing the package fails at once.
if (typeof WebSocket !== "function") {
  const runtime = typeof process === "object" && process.versions?.node ? "Node.js " + process.versions.node : "this runtime";
  throw new Error(`socketio-wasm needs a global WebSocket, which ${runtime} lacks: use Node.js 22 or later`);
}

/** Initialises the glue with the wasm file next to this module; rejects with an Error naming the file. */
export function loadWasm() {
  const file = fileURLToPath(new URL("socketio_wasm_bg.wasm", import.meta.url));
  try {
    initSync({ module: readFileSync(file) });
    return Promise.resolve();
  } catch (cause) {
    return Promise.reject(new Error(`socketio-wasm: cannot load its WebAssembly module ${file}: ${cause.message}`, { cause }));
  }
}
