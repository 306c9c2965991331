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

/**
 * Opens a WebSocket to `url` (binary as ArrayBuffers) and forwards its events to `report(kind, value)`:
 * 0 open, 1 a text message and 2 a binary one (the data), 3 close and 4 error (the DOM event). One wasm
 * closure serves them all, and a message costs one call into the wasm. An invalid URL throws.
 */
export function openWebSocket(url, report) {
  const socket = new WebSocket(url);
  socket.binaryType = "arraybuffer";
  socket.onopen = () => report(0);
  socket.onmessage = ({ data }) => (typeof data === "string" ? report(1, data) : data instanceof ArrayBuffer ? report(2, data) : report(4));
  socket.onclose = (event) => report(3, event);
  socket.onerror = (event) => report(4, event);
  return socket;
}

/** Detaches the handlers `openWebSocket` set and closes the socket. */
export function closeWebSocket(socket) {
  socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
  socket.close();
}

/**
 * Calls `callback(value)` in a promise job (a WebSocket send's drain, as engine.io-client's; a deadline
 * found already due). A promise job, not `queueMicrotask`: Blink also books a `queueMicrotask` callback as
 * script besides the microtask checkpoint it runs in, which the bench would count twice.
 */
export function soon(callback, value) {
  Promise.resolve(value).then(callback);
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

/** Parses `text`, replacing placeholders with `attachments` (a bad index throws). */
export function parseArgs(text, attachments) {
  return JSON.parse(text, (_key, item) => {
    if (item !== null && typeof item === "object" && item._placeholder === true) {
      const num = item.num;
      if (typeof num === "number" && num >= 0 && num < attachments.length && Number.isInteger(num)) {
        return attachments[num];
      }
      throw new Error("illegal attachments");
    }
    return item;
  });
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
 * The HTTP side of a long-polling transport: one GET and one POST at most in flight (the core sees to
 * it). Every outcome goes to `report(id, isPoll, status, body)`: status 200 with the body text for a
 * GET, the HTTP status on failure, 0 for a network error. A closed poller aborts its GET and reports
 * nothing more about it; POSTs already sent still report (the core waits for them to finish a close).
 */
export class HttpPoller {
  constructor(id, withCredentials, extraHeaders, report) {
    this.id = id;
    this.credentials = withCredentials ? "include" : "same-origin";
    this.headers = extraHeaders || {};
    this.report = report;
    this.controller = new AbortController();
  }

  get(url) {
    const signal = this.controller.signal;
    fetch(url, { credentials: this.credentials, headers: this.headers, signal })
      .then((response) => (response.ok ? response.text().then((body) => [200, body]) : [response.status]))
      .catch(() => [0])
      .then(([status, body]) => {
        if (!signal.aborted) this.report(this.id, true, status, body);
      });
  }

  post(url, body) {
    const headers = { "Content-Type": "text/plain;charset=UTF-8", ...this.headers };
    fetch(url, { method: "POST", body, credentials: this.credentials, headers })
      .then((response) => (response.ok ? 200 : response.status))
      .catch(() => 0)
      .then((status) => this.report(this.id, false, status, undefined));
  }

  close() {
    this.controller.abort();
  }
}

/** Reads every Blob among `binaries` into an ArrayBuffer (polling sends binary as base64), then calls `then`. */
export function readBlobs(binaries, then) {
  Promise.all(binaries.map((item) => (item instanceof Blob ? item.arrayBuffer() : item))).then(then);
}
