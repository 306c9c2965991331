// Shortens the names the wasm and its wasm-bindgen glue use for each other, in both files at once.
// wasm-bindgen names each import `__wbg_<name>_<16 hex digits>` under the module "./<out>_bg.js", and each
// export after its Rust path (`wasmmanager_emit`): about 130 names that both files carry, mostly
// incompressible hex. They become `a`, `b`, ... (binaryen's --minify-imports-and-exports leaves these
// imports alone: it only renames Emscripten's `env` ones).
//
// Renamed: the glue's own imports (the object `__wbg_get_imports` returns under the "./<out>_bg.js" key) and
// every export (the glue reaches them only as `wasm.<name>`). The snippet imports (bridge.js functions
// imported directly) keep their names: the glue passes those modules through as they are.
//
//   node scripts/short-names.mjs pkg/socketio_wasm_bg.wasm pkg/socketio_wasm.js
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const [wasmPath, gluePath] = process.argv.slice(2);
const glueModule = `./${path.basename(wasmPath, ".wasm")}.js`; // "./socketio_wasm_bg.js"
const IMPORT_SECTION = 2;
const EXPORT_SECTION = 7;

/** `a`, `b`, ..., `Z`, `aa`, ...: the n-th short name (letters only, so `wasm.<name>` stays valid JS). */
function shortName(n) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let name = "";
  do {
    name = letters[n % letters.length] + name;
    n = Math.floor(n / letters.length) - 1;
  } while (n >= 0);
  return name;
}

/** Reads the wasm binary format's pieces from `bytes`, starting at `at`. */
class Reader {
  constructor(bytes, at = 0) {
    this.bytes = bytes;
    this.at = at;
  }
  u32() {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.bytes[this.at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  }
  byte() {
    return this.bytes[this.at++];
  }
  name() {
    const length = this.u32();
    return Buffer.from(this.bytes.subarray(this.at, (this.at += length))).toString("utf8");
  }
  /** The raw bytes from `start` to the current position. */
  since(start) {
    return this.bytes.subarray(start, this.at);
  }
}

const u32 = (value) => {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
};
const name = (text) => Buffer.concat([u32(Buffer.byteLength(text)), Buffer.from(text)]);

/** Skips an import's description (function, table, memory, global or tag). */
function skipImportDescription(reader) {
  const kind = reader.byte();
  const limits = () => {
    const flags = reader.byte();
    reader.u32();
    if (flags & 1) reader.u32();
  };
  if (kind === 0) reader.u32(); // function: type index
  else if (kind === 1) (reader.byte(), limits()); // table: element type, limits
  else if (kind === 2) limits(); // memory
  else if (kind === 3) (reader.byte(), reader.byte()); // global: value type, mutability
  else if (kind === 4) (reader.byte(), reader.u32()); // tag: attribute, type index
  else throw new Error(`unknown import kind ${kind}`);
}

const bytes = readFileSync(wasmPath);
const renamed = { imports: new Map(), exports: new Map() };
const sections = [bytes.subarray(0, 8)];
const reader = new Reader(bytes, 8);
while (reader.at < bytes.length) {
  const id = reader.byte();
  const size = reader.u32();
  const end = reader.at + size;
  if (id !== IMPORT_SECTION && id !== EXPORT_SECTION) {
    sections.push(Buffer.concat([Buffer.from([id]), u32(size), bytes.subarray(reader.at, end)]));
    reader.at = end;
    continue;
  }
  const count = reader.u32();
  const entries = [u32(count)];
  for (let i = 0; i < count; i++) {
    if (id === IMPORT_SECTION) {
      let module = reader.name();
      let field = reader.name();
      const start = reader.at;
      skipImportDescription(reader);
      if (module === glueModule) {
        const short = shortName(renamed.imports.size);
        renamed.imports.set(field, short);
        [module, field] = ["a", short];
      }
      entries.push(name(module), name(field), reader.since(start));
    } else {
      const field = reader.name();
      const start = reader.at;
      reader.byte();
      reader.u32();
      const short = shortName(renamed.exports.size);
      renamed.exports.set(field, short);
      entries.push(name(short), reader.since(start));
    }
  }
  if (reader.at !== end) throw new Error(`section ${id}: ${end - reader.at} bytes left unread`);
  const body = Buffer.concat(entries);
  sections.push(Buffer.concat([Buffer.from([id]), u32(body.length), body]));
}

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

writeFileSync(wasmPath, Buffer.concat(sections));
writeFileSync(gluePath, glue);
console.log(`short-names: ${renamed.imports.size} imports, ${renamed.exports.size} exports renamed`);
