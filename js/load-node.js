// Loads the wasm in Node.js: the build puts this file in place of js/load.js in the Node entries
// (pkg/node.mjs, pkg/node.cjs; see scripts/bundle-node.mjs), which sit next to the wasm in pkg/. The module is
// read from the package's own files and compiled synchronously when the first Manager is made (see
// js/index.js), so the client is ready right after it instead of after a fetch (Node's fetch takes no
// file: URL).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { initSync } from "../pkg/socketio_wasm.js";

/**
 * Initialises the glue with the wasm file next to this module; rejects with an Error that names the cause
 * and what to do (as js/load.js's: every socket then gets it as its `connect_error`).
 */
export function loadWasm() {
  // The literal pattern bundlers recognise (a server bundle may move the wasm, and hand back its own URL
  // object for it): read through its href.
  const url = new URL("socketio_wasm_bg.wasm", import.meta.url);
  try {
    return Promise.resolve(initSync({ module: readFileSync(fileURLToPath(url.href)) }));
  } catch (cause) {
    const explanation = `${cause.message}. Reinstall the package: its files must be there unchanged, all from one version`;
    return Promise.reject(new Error(`socketio-wasm could not load ${url.href}: ${explanation}`, { cause }));
  }
}
