// Builds pkg/index.inline.js: the published entry (js/index.js, the glue, js/bridge.js as one minified
// ES module, as scripts/build.sh's esbuild step) with the finished wasm carried inside it as base64 and
// loaded by js/load-inline.js instead of js/load.js. The glue's default
// `new URL("socketio_wasm_bg.wasm", import.meta.url)` is taken out, so that no bundler emits (or fails
// to find) a wasm file this entry never fetches. Run after wasm-opt: it inlines pkg/socketio_wasm_bg.wasm
// as it is then.
//
//   node scripts/bundle-inline.mjs
import { build } from "esbuild";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const glue = path.join(root, "pkg/socketio_wasm.js");
const DEFAULT_WASM_URL = "new URL('socketio_wasm_bg.wasm', import.meta.url)";

// js/load.js -> js/load-inline.js; the glue without its default wasm URL (the build fails if the glue
// no longer has exactly one, rather than leaving an asset reference behind).
const inlineLoader = {
  name: "inline-loader",
  setup(on) {
    on.onResolve({ filter: /^\.\/load\.js$/ }, (args) =>
      args.importer === path.join(root, "js/index.js") ? { path: path.join(root, "js/load-inline.js") } : undefined,
    );
    on.onLoad({ filter: /[\\/]pkg[\\/]socketio_wasm\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const parts = source.split(DEFAULT_WASM_URL);
      if (args.path !== glue || parts.length !== 2) {
        throw new Error(`${args.path}: expected exactly one ${DEFAULT_WASM_URL}, found ${parts.length - 1}`);
      }
      return { contents: parts.join("undefined"), loader: "js" };
    });
  },
};

await build({
  absWorkingDir: root,
  entryPoints: ["js/index.js"],
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2020",
  loader: { ".wasm": "binary" },
  plugins: [inlineLoader],
  logOverride: { "duplicate-object-key": "silent" },
  // As in scripts/build.sh: js/bridge.js's Node-only code is left out.
  define: { "globalThis.SOCKETIO_WASM_NODE": "false" },
  logLevel: "warning",
  outfile: "pkg/index.inline.js",
});
