// Loads the wasm in browsers and bundlers: the glue's `init()` fetches it next to the module.
// (A placeholder of the loading seam: the "loading" branch gives this file its real error handling.)

/** Initialises the wasm-bindgen glue; resolves once it is ready. */
export function loadWasm(init) {
  return init();
}
