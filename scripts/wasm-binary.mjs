// The pieces of the wasm binary format the build's post-processing steps read and write: LEB128 numbers,
// names, and the module's sections.

/** Section ids of the wasm binary format. */
export const SECTION = { type: 1, import: 2, function: 3, export: 7, code: 10 };

/** Reads the wasm binary format's pieces from `bytes`, starting at `at`. */
export class Reader {
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

/** An unsigned LEB128 number. */
export function u32(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}

/** A length-prefixed UTF-8 name. */
export const name = (text) => Buffer.concat([u32(Buffer.byteLength(text)), Buffer.from(text)]);

/** The module's sections in order, each `{ id, body }` (the body without its id and size). */
export function sections(bytes) {
  const reader = new Reader(bytes, 8);
  const list = [];
  while (reader.at < bytes.length) {
    const id = reader.byte();
    const size = reader.u32();
    list.push({ id, body: bytes.subarray(reader.at, (reader.at += size)) });
  }
  return list;
}

/** The module of `list` (as [`sections`] gives it), after the header of `original`. */
export function assemble(original, list) {
  return Buffer.concat([original.subarray(0, 8), ...list.flatMap(({ id, body }) => [Buffer.from([id]), u32(body.length), body])]);
}

/** Skips an import's description (function, table, memory, global or tag); returns its kind. */
export function skipImportDescription(reader) {
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
  return kind;
}

/** A vector section's entries: its count, then each entry read by `entry(reader)`. */
export function entries(body, entry) {
  const reader = new Reader(body);
  const count = reader.u32();
  const list = [];
  for (let i = 0; i < count; i++) list.push(entry(reader));
  if (reader.at !== body.length) throw new Error(`${body.length - reader.at} bytes left unread in a section`);
  return list;
}

/** A vector section's body from its encoded entries. */
export const vector = (list) => Buffer.concat([u32(list.length), ...list]);
