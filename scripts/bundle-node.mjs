// Bundles the Node.js entries of the package next to the wasm: pkg/node.mjs (ES module, js/index.js) and
// pkg/node.cjs (CommonJS, js/require.cjs). Both are the browser entry's sources with js/load-node.js in
// place of js/load.js: the wasm is read from the package's own files, not fetched.
//
//   node scripts/bundle-node.mjs
import { build } from "esbuild";
import path from "node:path";

/** Resolves the browser loader (`./load.js`, imported by js/index.js) to the Node one. */
const nodeLoader = {
  name: "node-loader",
  setup(bundler) {
    bundler.onResolve({ filter: /^\.\/load\.js$/ }, ({ resolveDir }) => ({ path: path.join(resolveDir, "load-node.js") }));
  },
};

const common = {
  bundle: true,
  platform: "node",
  target: "node22",
  // Readable: Node prints the source line of an error (Jest and Vitest show it), and size matters less.
  minify: false,
  plugins: [nodeLoader],
  // js/bridge.js's Node-only code (received binary as Buffers, headers and cookies on the WebSocket, a
  // cookie jar for polling) is in; the browser entry leaves it out (scripts/build.sh).
  define: { "globalThis.SOCKETIO_WASM_NODE": "true" },
  logLevel: "warning",
  // As in scripts/build.sh: the glue lists the snippet's imports once per `extern` block under one key.
  logOverride: { "duplicate-object-key": "silent" },
};

await build({ ...common, entryPoints: ["js/index.js"], format: "esm", outfile: "pkg/node.mjs" });
// CommonJS has no import.meta: the loader's (and the glue's) `import.meta.url` becomes this file's URL.
await build({
  ...common,
  entryPoints: ["js/require.cjs"],
  format: "cjs",
  outfile: "pkg/node.cjs",
  banner: { js: 'const importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { ...common.define, "import.meta.url": "importMetaUrl" },
});
