// Gives the wasm's exported functions indices that differ modulo 128, so that instantiating the module
// costs the page 64 KiB less JS heap.
//
// Why: a wasm function exported to JS has the `name` property ToString(function index) (JS API spec), and
// V8 makes those strings through its number-to-string cache when the module is instantiated. That cache
// starts with 128 entries indexed by `number & 127` and is replaced by its full size (8,192 entries,
// 64 KiB) the first time two numbers meet in one entry. With ~30 exports spread over ~600 function
// indices a meeting is all but certain; socket.io-client never grows the cache on the same page.
//
// How: an export whose index meets an earlier one's modulo 128 is pointed at a new function appended to
// the module that only calls the original with its arguments (appending renumbers nothing else). The new
// indices are consecutive; one whose residue is already taken serves the export that holds that residue.
// Run after wasm-opt, which would inline these calls back and renumber the functions.
//
//   node scripts/spread-exports.mjs pkg/socketio_wasm_bg.wasm
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { Reader, SECTION, assemble, entries, name, sections, skipImportDescription, u32, vector } from "./wasm-binary.mjs";

/** Entries of V8's number-to-string cache before it first grows. */
export const CACHE_ENTRIES = 128;

/** The entries of an export section's `body`: `{ name, kind, index }` each (kind 0: a function). */
const exportEntries = (body) => entries(body, (reader) => ({ name: reader.name(), kind: reader.byte(), index: reader.u32() }));

/** The function exports of the module `bytes`: `{ name, kind, index }` each. */
export function exportedFunctions(bytes) {
  const exports = sections(bytes).find(({ id }) => id === SECTION.export);
  return exports ? exportEntries(exports.body).filter(({ kind }) => kind === 0) : [];
}

/** The instructions of a function that calls `callee` (of `params` parameters) with its own arguments. */
function forwarder(callee, params) {
  const gets = Array.from({ length: params }, (_, i) => Buffer.concat([Buffer.from([0x20]), u32(i)])); // local.get i
  const body = Buffer.concat([Buffer.from([0x00]), ...gets, Buffer.from([0x10]), u32(callee), Buffer.from([0x0b])]); // no locals; call; end
  return Buffer.concat([u32(body.length), body]);
}

function spread(bytes) {
  const list = sections(bytes);
  const body = (id) => list.find((section) => section.id === id)?.body ?? u32(0);
  const paramCounts = entries(body(SECTION.type), (reader) => {
    if (reader.byte() !== 0x60) throw new Error("only plain function types are supported");
    const params = reader.u32();
    for (let i = 0; i < params; i++) reader.byte();
    const results = reader.u32();
    for (let i = 0; i < results; i++) reader.byte();
    return params;
  });
  // Every function's type index: the imported functions' first, then the module's own.
  const importedTypes = entries(body(SECTION.import), (reader) => {
    reader.name();
    reader.name();
    const start = reader.at;
    const kind = skipImportDescription(reader);
    return kind === 0 ? new Reader(reader.bytes, start + 1).u32() : undefined;
  }).filter((type) => type !== undefined);
  const functionTypes = [...importedTypes, ...entries(body(SECTION.function), (reader) => reader.u32())];
  const typeOf = (index) => {
    if (functionTypes[index] === undefined) throw new Error(`no function ${index}`);
    return functionTypes[index];
  };
  const exports = exportEntries(body(SECTION.export));
  if (exports.filter(({ kind }) => kind === 0).length > CACHE_ENTRIES) throw new Error(`more than ${CACHE_ENTRIES} exported functions`);

  const holder = new Map(); // residue -> the export holding it
  const waiting = [];
  for (const entry of exports.filter(({ kind }) => kind === 0)) {
    const residue = entry.index % CACHE_ENTRIES;
    if (holder.has(residue)) waiting.push(entry);
    else holder.set(residue, entry);
  }
  const added = { types: [], code: [] };
  let next = functionTypes.length;
  while (waiting.length > 0) {
    const entry = holder.get(next % CACHE_ENTRIES) ?? waiting.shift();
    holder.set(next % CACHE_ENTRIES, entry);
    added.types.push(u32(typeOf(entry.index)));
    added.code.push(forwarder(entry.index, paramCounts[typeOf(entry.index)]));
    entry.index = next++;
  }
  if (added.code.length === 0) return { bytes, added: 0 };

  const extend = (id, more) => {
    const old = entries(body(id), (reader) => {
      const start = reader.at;
      const size = reader.u32(); // a type index, or a function body's size
      if (id === SECTION.code) reader.at += size;
      return reader.since(start);
    });
    return vector([...old, ...more]);
  };
  const rebuilt = list.map(({ id, body: sectionBody }) => {
    if (id === SECTION.function) return { id, body: extend(id, added.types) };
    if (id === SECTION.code) return { id, body: extend(id, added.code) };
    if (id === SECTION.export) return { id, body: vector(exports.map((e) => Buffer.concat([name(e.name), Buffer.from([e.kind]), u32(e.index)]))) };
    return { id, body: sectionBody };
  });
  return { bytes: assemble(bytes, rebuilt), added: added.code.length };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [wasmPath] = process.argv.slice(2);
  const result = spread(readFileSync(wasmPath));
  writeFileSync(wasmPath, result.bytes);
  console.log(`spread-exports: ${result.added} forwarding functions added`);
}
