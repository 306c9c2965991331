// The JS side of the built-in msgpack codec (src/msgpack.rs): a value crosses into the wasm as a flat
// record in one call, and comes back as one. Encoding walks the value once into the record — kinds and
// their numbers in a Float64Array, the text of every string and key concatenated (the wasm glue encodes
// it to UTF-8 in one go), the bytes of every ArrayBuffer concatenated — and takes the msgpack bytes the
// wasm writes (one copy out of wasm memory). Decoding hands over the bytes and rebuilds the value from
// the record the wasm writes, read in place in wasm memory (strings and binaries are ranges of the
// input). No typed array is made per value but what a call needs: each costs more than a small value.
import { MsgpackCodec } from "../pkg/socketio_wasm.js";

// The kinds of a record's entries, numbered as `kind` in src/msgpack.rs.
const NIL = 0;
const UNDEFINED = 1;
const FALSE = 2;
const TRUE = 3;
const NUMBER = 4;
const STRING = 5;
const BINARY = 6;
const DATE = 7;
const ARRAY = 8;
const MAP = 9;
const UNSUPPORTED = 10;

/** A record being written: its entries so far, its text and its binaries. */
class Record {
  constructor(entries) {
    this.entries = entries;
    this.length = 0;
    this.text = "";
    this.binaries = [];
  }

  push(entry) {
    if (this.length === this.entries.length) {
      const grown = new Float64Array(this.length * 2);
      grown.set(this.entries);
      this.entries = grown;
    }
    this.entries[this.length++] = entry;
  }

  string(text) {
    this.push(STRING);
    this.push(text.length);
    this.text += text;
  }

  /** Lists `value` as notepack.io sees it (the same tests in the same order). */
  write(value) {
    switch (typeof value) {
      case "string":
        return this.string(value);
      case "number":
        this.push(NUMBER);
        return this.push(value);
      case "boolean":
        return this.push(value ? TRUE : FALSE);
      case "undefined":
        return this.push(UNDEFINED);
      case "object":
        break;
      default:
        return this.push(UNSUPPORTED); // a function, symbol or bigint: the wasm refuses the record
    }
    if (value === null) return this.push(NIL);
    if (Array.isArray(value)) {
      const length = value.length;
      this.push(ARRAY);
      this.push(length);
      for (let index = 0; index < length; index++) this.write(value[index]);
    } else if (value instanceof Date) {
      this.push(DATE);
      this.push(value.getTime());
    } else if (value instanceof ArrayBuffer) {
      this.push(BINARY);
      this.push(value.byteLength);
      this.binaries.push(value);
    } else if (typeof value.toJSON === "function") {
      this.write(value.toJSON());
    } else {
      // Own enumerable keys not holding a function; the count is known once they are listed.
      this.push(MAP);
      const countAt = this.length;
      this.push(0);
      let count = 0;
      for (const key of Object.keys(value)) {
        const item = value[key];
        if (typeof item === "function") continue;
        this.string(key);
        this.write(item);
        count++;
      }
      this.entries[countAt] = count;
    }
  }

  /** The binaries' bytes, one after the other. */
  binaryBytes() {
    if (this.binaries.length === 0) return NO_BYTES;
    let total = 0;
    for (const binary of this.binaries) total += binary.byteLength;
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const binary of this.binaries) {
      bytes.set(new Uint8Array(binary), at);
      at += binary.byteLength;
    }
    return bytes;
  }
}

const NO_BYTES = new Uint8Array(0);

/** The entries array of the last record, kept for the next one (none while a record is being written). */
let spareEntries = new Float64Array(64);

/** The codec (made once the wasm is loaded) and wasm memory, as float 64s for the decoder's records. */
let codec = null;
let memory = null;
let floats = new Float64Array(0);

function theCodec() {
  codec ??= new MsgpackCodec();
  memory ??= MsgpackCodec.memory();
  return codec;
}

/** `value` as msgpack (an `ArrayBuffer`), as notepack.io writes it; throws "Could not encode" for a
 * function, symbol or bigint anywhere in it. */
export function msgpackEncode(value) {
  const record = new Record(spareEntries ?? new Float64Array(64));
  spareEntries = null; // a toJSON that encodes gets its own
  record.write(value);
  spareEntries = record.entries;
  const codec = theCodec();
  const length = codec.encode(record.entries.subarray(0, record.length), record.text, record.binaryBytes());
  const at = codec.bytesAt();
  return memory.buffer.slice(at, at + length);
}

const utf8 = new TextDecoder();

/** The value the msgpack `chunk` (an `ArrayBuffer` or a view) holds; throws as notepack.io does when it
 * holds no value, more than one, or is not bytes ("Invalid argument"). */
export function msgpackDecode(chunk) {
  let bytes;
  if (chunk instanceof ArrayBuffer) bytes = new Uint8Array(chunk);
  else if (ArrayBuffer.isView(chunk)) bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  else throw new Error("Invalid argument");
  const codec = theCodec();
  codec.decode(bytes);
  if (floats.buffer !== memory.buffer) floats = new Float64Array(memory.buffer); // the memory grew
  return read({ entries: floats, at: codec.recordAt() / 8, bytes });
}

/** The longest string `text` reads itself when it is ASCII: below it, a TextDecoder call costs more. */
const SHORT_STRING = 24;

/** The string of `bytes` from `start` to `end` (UTF-8, checked by the wasm). */
function text(bytes, start, end) {
  if (end - start <= SHORT_STRING) {
    let ascii = "";
    for (let at = start; at < end; at++) {
      const byte = bytes[at];
      if (byte > 0x7f) return utf8.decode(bytes.subarray(start, end));
      ascii += String.fromCharCode(byte);
    }
    return ascii;
  }
  return utf8.decode(bytes.subarray(start, end));
}

/** The value listed at `reader.at`, which moves past it. */
function read(reader) {
  const entries = reader.entries;
  switch (entries[reader.at++]) {
    case NIL:
      return null;
    case UNDEFINED:
      return undefined;
    case FALSE:
      return false;
    case TRUE:
      return true;
    case NUMBER:
      return entries[reader.at++];
    case STRING:
      return text(reader.bytes, entries[reader.at++], entries[reader.at++]);
    case BINARY:
      return reader.bytes.slice(entries[reader.at++], entries[reader.at++]).buffer;
    case DATE:
      return new Date(entries[reader.at++]);
    case ARRAY: {
      const items = new Array(entries[reader.at++]);
      for (let index = 0; index < items.length; index++) items[index] = read(reader);
      return items;
    }
    default: {
      // MAP, the only other kind the decoder writes; a key is a property name, as with notepack.io.
      const object = {};
      for (let count = entries[reader.at++]; count > 0; count--) {
        const key = read(reader);
        object[key] = read(reader);
      }
      return object;
    }
  }
}
