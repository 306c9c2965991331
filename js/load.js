// Loading the WebAssembly module in a browser or worker (the Node entry swaps this file for load-node.js,
// which has the same export). A load that fails rejects with an Error whose message is the explanation a
// user needs: what went wrong, the URL tried, and what to do about it.

/** What to do when the wasm's URL does not answer the wasm. */
const SERVE_IT =
  "Serve socketio_wasm_bg.wasm next to the package's JavaScript (a bundler must emit it as an asset: see the README)";

/**
 * Initialises the wasm-bindgen glue (`init`, its default export) with the wasm next to this module:
 * resolves once it is ready, or rejects with an Error (its `cause` the original one) that names the cause,
 * the URL tried and what to do.
 */
export function loadWasm(init) {
  // The literal pattern Vite and webpack turn into the URL of an asset they emit (as they do the glue's own,
  // which this one replaces at run time).
  const url = new URL("socketio_wasm_bg.wasm", import.meta.url).href;
  return init({ module_or_path: url }).then(
    (exports) => exports,
    (error) =>
      diagnose(error, url).then((explanation) => {
        throw new Error(`socketio-wasm could not load ${url}: ${explanation}`, { cause: error });
      }),
  );
}

/** Why loading `url` failed with `error`, and what to do: asks the URL again where its answer tells. */
async function diagnose(error, url) {
  const text = String(error);
  if (typeof WebAssembly !== "object") return "this JavaScript engine has no WebAssembly";
  if (/Content.Security.Policy|unsafe-eval/i.test(text)) {
    return `the page's Content-Security-Policy blocks WebAssembly: add 'wasm-unsafe-eval' to its script-src (${text})`;
  }
  const unreachable = `the request failed (${text}): is the server up, or do CORS or the CSP's connect-src block it?`;
  if (error instanceof TypeError) return unreachable;
  let response, bytes;
  try {
    response = await fetch(url);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch {
    return unreachable;
  }
  if (!response.ok) return `the server answered HTTP ${response.status}. ${SERVE_IT}`;
  if (bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d) {
    return `the module does not compile or instantiate (${text}). Serve the package's files unchanged, all from one version`;
  }
  const type = response.headers.get("Content-Type");
  if (/html/i.test(type) || /^\s*</.test(new TextDecoder().decode(bytes.subarray(0, 64)))) {
    return `the server sent an HTML page (Content-Type: ${type}). ${SERVE_IT}`;
  }
  const head = Array.from(bytes.subarray(0, 4), (byte) => byte.toString(16).padStart(2, "0")).join(" ");
  return (
    `the server sent bytes that are not WebAssembly (Content-Type: ${type}; they start ${head}). Serve the ` +
    "package's file unchanged (a compressed copy needs its Content-Encoding header)"
  );
}
