// Loads the wasm module: the seam js/index.js calls instead of the glue's bare init(). This browser
// variant lets the glue fetch `new URL("socketio_wasm_bg.wasm", import.meta.url)`, the asset pattern
// bundlers emit. Other variants with the same export are swapped in at build time (js/load-inline.js).

/**
 * Initialises the wasm-bindgen glue `init`; resolves once the module is instantiated, rejects with an
 * Error that says what failed.
 */
export function loadWasm(init) {
  return init();
}
