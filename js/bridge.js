// The JSON/binary bridge used by the wasm shell (src/wasm/): native JSON with the binary placeholder
// swap, and the few callbacks wasm-bindgen cannot express (variadic ack functions, async re-throw).

const isBinary = (value) =>
  value instanceof ArrayBuffer ||
  ArrayBuffer.isView(value) ||
  (typeof Blob !== "undefined" && value instanceof Blob);

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Whether binary data stands anywhere in `value` (after `toJSON`, as JSON.stringify would see it). Plain
 * loops: it runs on every emit.
 */
function containsBinary(value, viaToJSON) {
  if (!value || typeof value !== "object") return false;
  if (isBinary(value)) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (containsBinary(value[i], false)) return true;
    return false;
  }
  if (!viaToJSON && typeof value.toJSON === "function") return containsBinary(value.toJSON(), true);
  for (const key in value) if (hasOwn.call(value, key) && containsBinary(value[key], false)) return true;
  return false;
}

/**
 * The kind of a parsed JSON value as one number, numbered as `JsonKind` in src/host.rs: null (or undefined),
 * boolean, number, string, array, object (binary data included). One call from the wasm instead of one per
 * test: it runs on every received packet.
 */
export const jsonKind = (value) =>
  value == null ? 0 : typeof value === "boolean" ? 1 : typeof value === "number" ? 2 : typeof value === "string" ? 3 : Array.isArray(value) ? 4 : 5;

/**
 * The index of code unit `unit` in `text` at or after `from`, -1 when there is none: one call from the
 * wasm, which would otherwise first make the one-character string `indexOf` takes.
 */
export const findUnit = (text, unit, from) => text.indexOf(String.fromCharCode(unit), from);

/**
 * The size in bytes of `text` encoded as UTF-8, as `fetch` sends it (a lone surrogate becomes U+FFFD, 3
 * bytes): what the server's maxPayload limits, counted as engine.io-client counts it.
 */
export function utf8Length(text) {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit > 0x7f) {
      // One byte more from U+0080, two from U+0800 (a lone surrogate is U+FFFD); a surrogate pair's two
      // code units make four bytes, the low one is skipped.
      length += unit < 0x800 ? 1 : 2;
      if ((unit & 0xfc00) == 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) == 0xdc00) i++;
    }
  }
  return length;
}

// The built-in getters of binary data's buffer, offset and length. The wasm reads binary values while it
// holds its state, so it must not run the page's code: a subclass's own `byteLength`, `buffer` or `size`
// getter (which could call the client back) is never called, the engine's slot is read instead.
const getter = (prototype, key) => Object.getOwnPropertyDescriptor(prototype, key).get;
const bufferLength = getter(ArrayBuffer.prototype, "byteLength");
const viewGetters = [Object.getPrototypeOf(Uint8Array.prototype), DataView.prototype].map((prototype) =>
  ["buffer", "byteOffset", "byteLength"].map((key) => getter(prototype, key)),
);
const blobSize = typeof Blob === "undefined" ? undefined : getter(Blob.prototype, "size");

/**
 * A Uint8Array over the bytes of `binary` (an ArrayBuffer, a typed array or a DataView, from any realm), or
 * undefined for anything else (a Blob). Runs none of the page's code.
 */
export function binaryView(binary) {
  try {
    return new Uint8Array(binary, 0, bufferLength.call(binary));
  } catch {
    // Not an ArrayBuffer: a typed array or a DataView?
  }
  for (const getters of viewGetters) {
    try {
      return new Uint8Array(...getters.map((get) => get.call(binary)));
    } catch {
      // Not this kind of view.
    }
  }
  return undefined;
}

/** The size in bytes of `binary` (as `binaryView` reads it, or a Blob's size), 0 for anything else. */
export function binaryLength(binary) {
  const view = binaryView(binary);
  if (view) return view.length;
  try {
    return blobSize.call(binary);
  } catch {
    return 0;
  }
}

/**
 * The JSON text of `value`, or, when binary data stands in it, `[text, ...attachments]`: each binary value
 * is replaced by a placeholder naming its index. (One return value keeps the emit path to one call.)
 */
export function stringifyArgs(value) {
  // The replacer costs a call per value: only pay for it when there is binary to swap.
  if (!containsBinary(value, false)) return JSON.stringify(value);
  const attachments = [];
  const text = JSON.stringify(value, (_key, item) => {
    if (item !== null && typeof item === "object" && isBinary(item)) {
      attachments.push(item);
      return { _placeholder: true, num: attachments.length - 1 };
    }
    return item;
  });
  return [text, ...attachments];
}

// The commands of `manager._wasm.command(command)` this file gives, numbered as in src/wasm/manager.rs.
const COMMAND_TIMER = 3;
const COMMAND_OFFLINE = 4;
const COMMAND_UNLOAD = 5;

// What a transport reports to its Manager through `manager._wasm.transport(id, kind, value)`, numbered as
// in src/wasm/transport.rs. Every transport event of a Manager enters the wasm through that one export:
// no per-transport closure on either side.
const WS_OPEN = 0;
const WS_TEXT = 1; // value: the message
const WS_BINARY = 2; // value: the ArrayBuffer
const WS_CLOSE = 3; // value: the DOM close event
const WS_ERROR = 4; // value: the DOM error event, if any
const WS_DRAIN = 5;
const POLLED = 6; // value: the response body
const POLL_FAILED = 7; // value: the HTTP status, 0 for a network error
const POSTED = 8;
const POST_FAILED = 9; // value: as POLL_FAILED

// `globalThis.SOCKETIO_WASM_NODE` marks the Node-only code below: the bundler replaces it with true in the
// Node.js build (pkg/node.mjs, pkg/node.cjs, also what Bun and Deno load; scripts/bundle-node.mjs) and with
// false in the browser entry (scripts/build.sh), which then carries none of that code.

/** Whether `url` opens a session (its handshake): it names no `sid` yet. */
const isHandshake = (url) => !/[?&]sid=/.test(url);

/**
 * The cookies servers set for a Manager, kept in Node with `withCredentials` as engine.io-client keeps
 * them there (a browser's fetch has the browser's cookie store): from every polling response's Set-Cookie
 * (name, value, Expires / Max-Age), sent back on later polling requests and the WebSocket upgrade; each
 * session starts with none, as engine.io-client makes a jar per session.
 */
class CookieJar {
  constructor() {
    this.cookies = new Map(); // name -> { value, expires (ms since the epoch, or Infinity) }
  }

  /** Takes the cookies of `response`'s Set-Cookie headers. */
  store(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const split = pair.indexOf("=");
      const name = pair.slice(0, split).trim();
      if (split < 0 || !name) continue;
      let value = pair.slice(split + 1).trim();
      if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      let expires = Infinity;
      for (const attribute of attributes) {
        const [key, setting = ""] = attribute.split("=").map((part) => part.trim());
        // An unparseable date or age expires the cookie, as engine.io-client: a deletion must not persist.
        if (key.toLowerCase() === "expires") expires = Date.parse(setting) || 0;
        else if (key.toLowerCase() === "max-age") expires = Number(setting) > 0 ? Date.now() + Number(setting) * 1000 : 0;
      }
      this.cookies.set(name, { value, expires });
    }
  }

  /** The Cookie header of the cookies still valid, or undefined when there are none. */
  header() {
    const now = Date.now();
    const pairs = [];
    for (const [name, { value, expires }] of this.cookies) {
      if (expires <= now) this.cookies.delete(name);
      else pairs.push(name + "=" + value);
    }
    return pairs.length ? pairs.join("; ") : undefined;
  }
}

/** The Manager's cookie jar with `withCredentials` (Node only), emptied when `url` opens a session. */
function cookieJar(manager, withCredentials, url) {
  if (!withCredentials) return undefined;
  if (!manager._cookies || isHandshake(url)) manager._cookies = new CookieJar();
  return manager._cookies;
}

/** `headers` with the jar's Cookie header added to any the user gave, as a new object. */
function withCookies(headers, jar) {
  const cookies = jar?.header();
  if (!cookies) return headers;
  const given = Object.keys(headers).find((name) => name.toLowerCase() === "cookie");
  return { ...headers, [given ?? "cookie"]: given ? headers[given] + "; " + cookies : cookies };
}

// socket.io-client's `autoUnref` lets Node exit while connected by unref'ing its `ws` socket (and timers);
// Node's own WebSocket cannot be unref'd, so the option cannot be honoured: a warning says so, once, instead
// of a process that silently stays up.
let autoUnrefWarned = false;
function warnAutoUnref() {
  if (autoUnrefWarned) return;
  autoUnrefWarned = true;
  const message = "socketio-wasm does not support autoUnref: Node's WebSocket cannot be unref'd, so an open connection keeps the process running; call socket.disconnect() to let it exit";
  process.emitWarning(message, { code: "SOCKETIO_WASM_AUTOUNREF" });
}

/**
 * The init of a WebSocket in Node: the `extraHeaders` (and cookies) engine.io-client sends on the upgrade
 * request there, through the `headers` Node's WebSocket (undici's) takes besides the standard protocols.
 * (Browsers cannot send headers on a WebSocket.)
 */
function webSocketInit(url, manager) {
  const opts = manager.opts;
  if (opts.autoUnref) warnAutoUnref();
  const given = opts.transportOptions?.websocket?.extraHeaders ?? opts.extraHeaders ?? {};
  const jar = cookieJar(manager, opts.transportOptions?.websocket?.withCredentials ?? opts.withCredentials, url);
  const headers = withCookies(given, jar);
  return Object.keys(headers).length ? { headers } : undefined;
}

/**
 * Opens WebSocket `id` of `manager` (the Manager facade) to `url` with the subprotocols `protocols` (a
 * string, an array or undefined), binary as ArrayBuffers; its events go to the Manager's wasm side, a
 * message with its data in one call. An invalid URL throws.
 */
export function openWebSocket(url, protocols, manager, id) {
  const init = globalThis.SOCKETIO_WASM_NODE ? webSocketInit(url, manager) : undefined;
  const socket = init ? new WebSocket(url, { ...init, protocols }) : new WebSocket(url, protocols);
  const report = (kind, value) => manager._wasm.transport(id, kind, value);
  socket.binaryType = "arraybuffer";
  socket.onopen = () => report(WS_OPEN);
  socket.onmessage = ({ data }) => (typeof data === "string" ? report(WS_TEXT, data) : data instanceof ArrayBuffer ? report(WS_BINARY, data) : report(WS_ERROR));
  socket.onclose = (event) => report(WS_CLOSE, event);
  socket.onerror = (event) => report(WS_ERROR, event);
  return socket;
}

/** Detaches the handlers `openWebSocket` set and closes the socket. */
export function closeWebSocket(socket) {
  socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
  socket.close();
}

/**
 * Reports WebSocket `id`'s send as drained, in a promise job (as engine.io-client's drain). A promise job,
 * not `queueMicrotask`: Blink also books a `queueMicrotask` callback as script besides the microtask
 * checkpoint it runs in, which the bench would count twice. The callback is made once per Manager.
 */
export function drainSoon(manager, id) {
  Promise.resolve(id).then((manager._drain ??= (drained) => manager._wasm.transport(drained, WS_DRAIN)));
}

/** The Manager's timer callback (made once per Manager). */
const wakeUp = (manager) => (manager._wakeUp ??= () => manager._wasm.command(COMMAND_TIMER));

// The timer functions of the time this module loaded, for `useNativeTimers` (as engine.io-client keeps them):
// fake timers a test installs later do not hold those connections back.
const nativeSetTimeout = setTimeout;
const nativeClearTimeout = clearTimeout;

/**
 * Wakes the Manager's wasm side after `delay` ms; returns the timeout's handle. `native`: with the timer
 * functions of the module's load (`useNativeTimers`), else with the page's current ones.
 */
export function setTimer(manager, delay, native) {
  return (native ? nativeSetTimeout : setTimeout)(wakeUp(manager), delay);
}

/** Cancels a timeout of `setTimer` made with the same `native`. */
export function clearTimer(handle, native) {
  (native ? nativeClearTimeout : clearTimeout)(handle);
}

/** Wakes the Manager's wasm side in a promise job (a deadline found already due). */
export function wakeSoon(manager) {
  Promise.resolve().then(wakeUp(manager));
}

/**
 * The Managers watching each page event, held weakly: one page listener per event calls them all, in the
 * order they started watching (as engine.io-client registers one `offline` listener for the page).
 * Registering a page listener per Manager costs far more than a set entry.
 */
const pageWatchers = new Map();

/** The set of Managers watching `event`, its page listener added on first use. */
function watchersOf(event, command) {
  if (!pageWatchers.has(event)) {
    const watchers = new Set();
    addEventListener(event, () => {
      // Over a copy: a Manager that stops watching meanwhile does not make the next one miss the event
      // (engine.io-client 6.6 splices its list while iterating it, and so skips every other Manager).
      for (const watcher of [...watchers]) watcher.deref()?._wasm.command(command);
    });
    pageWatchers.set(event, watchers);
  }
  return pageWatchers.get(event);
}

// As engine.io-client: the `offline` listener is added when the module is evaluated, the only time a
// ServiceWorker may add one.
if (typeof addEventListener === "function") watchersOf("offline", COMMAND_OFFLINE);

/**
 * Watches the page's `offline` (when `offline`) and `beforeunload` (when `unload`) events for `manager`,
 * holding it weakly: a Manager the page dropped is not kept alive by them. Returns what `unlistenToPage`
 * takes.
 */
export function listenToPage(manager, offline, unload) {
  const target = new WeakRef(manager);
  const watching = [target];
  if (typeof addEventListener !== "function") return watching;
  if (offline) watching.push(watchersOf("offline", COMMAND_OFFLINE).add(target));
  if (unload) watching.push(watchersOf("beforeunload", COMMAND_UNLOAD).add(target));
  return watching;
}

/** Stops what `listenToPage` started. */
export function unlistenToPage([target, ...watched]) {
  for (const watchers of watched) watchers.delete(target);
}

/**
 * Sends one WebSocket frame: `head` + `body` as text, or `body` alone (binary) without a head. A socket
 * closing or closed drops it (the browser's rule); one still connecting throws, which is kept from
 * unwinding through the wasm (the core never sends before the open).
 */
export function sendFrame(socket, head, body) {
  try {
    socket.send(head === undefined ? body : body === undefined ? head : head + body);
  } catch {
    // A socket still connecting: not reached.
  }
}

/**
 * Received binary as the runtime's socket.io-client hands it over: in Node (and Bun and Deno, which run
 * its Node build) engine.io-client's binary type is "nodebuffer", so a Buffer viewing the bytes; in
 * browsers the ArrayBuffer itself.
 */
const receivedBinary = globalThis.SOCKETIO_WASM_NODE ? (buffer) => Buffer.from(buffer) : (buffer) => buffer;

/** Parses `text`, replacing placeholders with `attachments` (a bad index throws). */
export function parseArgs(text, attachments) {
  return JSON.parse(text, (_key, item) => {
    if (item !== null && typeof item === "object" && item._placeholder === true) {
      const num = item.num;
      if (typeof num === "number" && num >= 0 && num < attachments.length && Number.isInteger(num)) {
        return receivedBinary(attachments[num]);
      }
      throw new Error("illegal attachments");
    }
    return item;
  });
}

// socket.io-parser's packet types the custom parser's packets are built for.
const PACKET_ACK = 3;

/**
 * What the Manager's custom parser's `encoder` makes of a packet, built with the keys, in the order,
 * socket.io-client gives them (an encoder may write them as they come): an array of strings and binaries.
 */
export function encodeWith(manager, type, nsp, id, data, compress) {
  const packet = type === PACKET_ACK ? { type, id, data } : { type, data };
  if (data === undefined) delete packet.data;
  if (compress !== undefined) {
    packet.options = { compress };
    if (id !== undefined) packet.id = id;
  }
  packet.nsp = nsp;
  return manager.encoder.encode(packet);
}

/** Hands a message to the Manager's custom parser's `decoder`; its packets come back as `decoded` events. */
export function decodeWith(manager, chunk) {
  manager.decoder.add(chunk);
}

/** The function handed to a listener when the server asked for an acknowledgement. */
export function ackFunction(manager, ns, id) {
  return (...args) => manager._wasm.ack(ns, id, args);
}

/** The callback given to an `auth` function: it sends the namespace's CONNECT with its argument. */
export function authCallback(manager, ns) {
  return (data) => manager._wasm.sendConnect(ns, data);
}

/**
 * A fresh function object standing for a socket's subscription to its Manager's events: socket.io-client
 * sockets listen to the Manager like any page listener, so their reactions interleave with the page's in
 * the order both subscribed.
 */
export function subscription() {
  return function socketSubscription() {};
}

/**
 * Re-raises a listener's exception outside the wasm call stack. socket.io-client runs listeners inside
 * promise jobs, so the page sees an `unhandledrejection` carrying the error: the same here.
 */
export function rethrow(error) {
  Promise.reject(error);
}

/**
 * `fetch(url, init)` for `poller`, in Node with the cookie jar of its Manager when it sends credentials:
 * its cookies go out, the response's come in.
 */
const request = globalThis.SOCKETIO_WASM_NODE
  ? (poller, url, init) => {
      const jar = cookieJar(poller.manager, poller.credentials === "include", url);
      if (!jar) return fetch(url, init);
      return fetch(url, { ...init, headers: withCookies(init.headers, jar) }).then((response) => (jar.store(response), response));
    }
  : (_poller, url, init) => fetch(url, init);

/**
 * The HTTP side of long-polling transport `id` of `manager`: one GET and one POST at most in flight (the
 * core sees to it). Every outcome goes to the Manager's wasm side: the body of a GET, the HTTP status of a
 * failure (0 for a network error). A closed poller aborts its GET and reports nothing more about it; POSTs
 * already sent still report (the core waits for them to finish a close).
 */
export class HttpPoller {
  constructor(id, withCredentials, extraHeaders, requestTimeout, manager) {
    this.id = id;
    this.credentials = withCredentials ? "include" : "same-origin";
    this.headers = extraHeaders || {};
    this.timeout = requestTimeout;
    this.manager = manager;
    this.controller = new AbortController();
  }

  /**
   * The abort signal of a request: the poller's `closing` one (a GET), and `requestTimeout`'s, which fails
   * the request as an XHR's `timeout` does (a network error). The browser's own timer: fake timers do not
   * hold it.
   */
  signal(closing) {
    const timeout = this.timeout === undefined ? [] : [AbortSignal.timeout(this.timeout)];
    return timeout.length === 0 ? closing : AbortSignal.any(closing ? [closing, ...timeout] : timeout);
  }

  report(kind, value) {
    this.manager._wasm.transport(this.id, kind, value);
  }

  get(url) {
    const closed = this.controller.signal;
    request(this, url, { credentials: this.credentials, headers: this.headers, signal: this.signal(closed) })
      .then((response) => (response.ok ? response.text().then((body) => [POLLED, body]) : [POLL_FAILED, response.status]))
      .catch(() => [POLL_FAILED, 0])
      .then(([kind, value]) => {
        if (!closed.aborted) this.report(kind, value);
      });
  }

  post(url, body) {
    const headers = { "Content-Type": "text/plain;charset=UTF-8", ...this.headers };
    request(this, url, { method: "POST", body, credentials: this.credentials, headers, signal: this.signal() })
      .then((response) => (response.ok ? [POSTED] : [POST_FAILED, response.status]))
      .catch(() => [POST_FAILED, 0])
      .then(([kind, value]) => this.report(kind, value));
  }

  /**
   * POSTs `packets` (encoded packet texts and binary values) once every Blob among them is read into an
   * ArrayBuffer (polling carries binary as base64, which the wasm side encodes). A Blob that cannot be
   * read fails the POST.
   */
  postReading(url, packets) {
    Promise.all(packets.map((item) => (item instanceof Blob ? item.arrayBuffer() : item))).then(
      (read) => this.post(url, this.manager._wasm.payload(read)),
      () => this.report(POST_FAILED, 0),
    );
  }

  close() {
    this.controller.abort();
  }
}
