// Loads the wasm module from bytes carried inside the JS (the build inlines the file as base64), for
// tools that cannot emit `new URL("…wasm", import.meta.url)` as an asset: Rollup and esbuild without a
// plugin, and dev servers that move the package's files (Vite 5-7's dependency pre-bundling). Same
// export as js/load.js; scripts/bundle-inline.mjs swaps it in for pkg/index.inline.js.
import wasmBytes from "../pkg/socketio_wasm_bg.wasm";

/**
 * Initialises the wasm-bindgen glue `init` with the inlined module; rejects with an Error that says
 * what failed (with correct bytes, compiling can only be refused: a Content-Security-Policy whose
 * script-src lacks 'wasm-unsafe-eval').
 */
export function loadWasm(init) {
  return init({ module_or_path: wasmBytes }).catch((cause) => {
    throw new Error(
      `socketio-wasm: the inlined WebAssembly module failed to compile or instantiate (${cause}); ` +
        "a Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src",
      { cause },
    );
  });
}
