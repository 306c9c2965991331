// Shortens the names the wasm and its wasm-bindgen glue use for each other, in both files at once.
// wasm-bindgen names each import `__wbg_<name>_<16 hex digits>` under the module "./<out>_bg.js", and each
// export after its Rust path (`wasmmanager_emit`): about 130 names that both files carry, mostly
// incompressible hex. They become `a`, `b`, ... (binaryen's --minify-imports-and-exports leaves these
// imports alone: it only renames Emscripten's `env` ones).
//
// Renamed: the glue's own imports (the object `__wbg_get_imports` returns under the "./<out>_bg.js" key) and
// every export (the glue reaches them only as `wasm.<name>`). The snippet imports (bridge.js functions
// imported directly) keep their names, but their module, a path of some 55 characters that both files
// repeated once per `extern` block, becomes `b`, `c`, ...: one key in the glue's import object.
//
//   node scripts/short-names.mjs pkg/socketio_wasm_bg.wasm pkg/socketio_wasm.js
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SECTION, assemble, entries, name, sections, skipImportDescription, vector } from "./wasm-binary.mjs";

const [wasmPath, gluePath] = process.argv.slice(2);
const glueModule = `./${path.basename(wasmPath, ".wasm")}.js`; // "./socketio_wasm_bg.js"

/** `a`, `b`, ..., `Z`, `aa`, ...: the n-th short name (letters only, so `wasm.<name>` stays valid JS). */
function shortName(n) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let short = "";
  do {
    short = letters[n % letters.length] + short;
    n = Math.floor(n / letters.length) - 1;
  } while (n >= 0);
  return short;
}

const bytes = readFileSync(wasmPath);
const renamed = { imports: new Map(), exports: new Map(), snippets: new Map() };
const list = sections(bytes).map(({ id, body }) => {
  if (id === SECTION.import) {
    const imports = entries(body, (reader) => {
      let module = reader.name();
      let field = reader.name();
      const start = reader.at;
      skipImportDescription(reader);
      if (module === glueModule) {
        const short = shortName(renamed.imports.size);
        renamed.imports.set(field, short);
        [module, field] = ["a", short];
      } else if (module.startsWith("./snippets/")) {
        if (!renamed.snippets.has(module)) renamed.snippets.set(module, shortName(1 + renamed.snippets.size));
        module = renamed.snippets.get(module);
      }
      return Buffer.concat([name(module), name(field), reader.since(start)]);
    });
    return { id, body: vector(imports) };
  }
  if (id === SECTION.export) {
    const exports = entries(body, (reader) => {
      const field = reader.name();
      const start = reader.at;
      reader.byte();
      reader.u32();
      // Read by js/index.js under this name (the glue does not know it).
      if (field === "__stack_pointer") return Buffer.concat([name(field), reader.since(start)]);
      const short = shortName(renamed.exports.size);
      renamed.exports.set(field, short);
      return Buffer.concat([name(short), reader.since(start)]);
    });
    return { id, body: vector(exports) };
  }
  return { id, body };
});

// The glue: each import is a key of the import object, each export a `wasm.<name>` access.
let glue = readFileSync(gluePath, "utf8");
const replaceAll = (pattern, replacement) => {
  const before = glue;
  glue = glue.replace(pattern, replacement);
  if (glue === before) throw new Error(`${gluePath}: nothing matched ${pattern}`);
};
for (const [field, short] of renamed.imports) replaceAll(new RegExp(`\\b${field}(?=:)`, "g"), short);
// An export the glue never reads (say, the stack pointer) needs no edit there.
for (const [field, short] of renamed.exports) glue = glue.replace(new RegExp(`\\bwasm\\.${field}\\b`, "g"), `wasm.${short}`);
replaceAll(`"${glueModule}": import0`, `"a": import0`);
// The glue lists a snippet module's namespace under its path once per `extern` block: the first entry
// takes the short key, the others (the same module) go.
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
for (const [module, short] of renamed.snippets) {
  let first = true;
  replaceAll(new RegExp(`^\\s*"${escape(module)}": (import\\d+),\\n`, "gm"), (_entry, namespace) => {
    const line = first ? `        "${short}": ${namespace},\n` : "";
    first = false;
    return line;
  });
}

writeFileSync(wasmPath, assemble(bytes, list));
writeFileSync(gluePath, glue);
console.log(`short-names: ${renamed.imports.size} imports, ${renamed.exports.size} exports, ${renamed.snippets.size} snippet modules renamed`);
