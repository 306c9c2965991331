// In-page helpers (this file runs in the browser). Every scenario receives helpers(lib), merged with
// the scenario's args, as its second argument `t`. `lib` is the socket.io-client module under test.

const TIMEOUT = 3000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));


// Resolves with [event, ...args] for whichever of `events` fires first on `emitter`; rejects after `ms`.
function firstOf(emitter, events, ms = TIMEOUT) {
  return new Promise((resolve, reject) => {
    const listeners = events.map((event) => [event, (...args) => settle(() => resolve([event, ...args]))]);
    const timer = setTimeout(() => settle(() => reject(new Error(`no ${events.join("/")} event within ${ms} ms`))), ms);
    const settle = (outcome) => {
      clearTimeout(timer);
      for (const [event, listener] of listeners) emitter.off(event, listener);
      outcome();
    };
    for (const [event, listener] of listeners) emitter.on(event, listener);
  });
}

// Resolves with the args of the next `event` on `emitter`.
const next = async (emitter, event, ms) => (await firstOf(emitter, [event], ms)).slice(1);

// Resolves once `socket` is connected; rejects with the connect_error message if it fails.
async function connected(socket, ms) {
  if (socket.connected) return socket;
  const [event, err] = await firstOf(socket, ["connect", "connect_error"], ms);
  if (event === "connect_error") throw new Error(`connect_error: ${err?.message}`);
  return socket;
}

// Emits `event` with `args` plus a trailing callback; resolves with the ack's args.
function call(socket, event, ...args) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for "${event}" within ${TIMEOUT} ms`)), TIMEOUT);
    socket.emit(event, ...args, (...answer) => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

// Collects `events` of `emitter` as [event, ...plain(args)] entries, in the order they fire.
function record(emitter, events) {
  const log = [];
  for (const event of events) emitter.on(event, (...args) => log.push([event, ...plain(args)]));
  return log;
}

// A description of `value` that node can compare after the trip out of the page: binary becomes
// { ArrayBuffer: [bytes] } or { <ViewType>: [bytes] }, an Error { Error: message, data }.
function plain(value) {
  if (value instanceof ArrayBuffer) return { ArrayBuffer: [...new Uint8Array(value)] };
  if (ArrayBuffer.isView(value)) {
    return { [value.constructor.name]: [...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)] };
  }
  if (value instanceof Error) return { Error: value.message, data: value.data };
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  }
  return value;
}

// The events a Manager and a Socket emit about the connection's life (for journal()).
const MANAGER_EVENTS = ["open", "close", "error", "reconnect_attempt", "reconnect", "reconnect_error", "reconnect_failed"];
const SOCKET_EVENTS = ["connect", "disconnect", "connect_error"];

// A short text for an event's first argument: an Error's message, a transport's name, else String().
function brief(value) {
  if (value instanceof Error) return value.message;
  if (value && typeof value === "object" && typeof value.name === "string") return value.name;
  return String(value);
}

// Records the events of several emitters in one list, in the order they fire. `sources` is a list of
// [label, emitter, events]; each entry is "<label> <event>", plus " <brief(first arg)>" if it has one.
// With a Manager and its Socket: journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]).
function journal(sources) {
  const log = [];
  for (const [label, emitter, events] of sources) {
    for (const event of events) {
      emitter.on(event, (...args) => log.push(`${label} ${event}` + (args.length ? ` ${brief(args[0])}` : "")));
    }
  }
  return log;
}

// Resolves once `probe()` is truthy (checked every 10 ms); rejects after `ms`, naming `what`.
async function until(probe, what, ms = TIMEOUT) {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

// `transports` is the scenario's transport mode (see harness/env.mjs).
export function helpers(lib, { transports = ["websocket"] } = {}) {
  // Options every scenario starts from: the mode's transports, no reconnection.
  const opts = (extra = {}) => ({ transports, reconnection: false, ...extra });
  return {
    sleep,
    opts,
    firstOf,
    next,
    connected,
    call,
    record,
    plain,
    journal,
    until,
    MANAGER_EVENTS,
    SOCKET_EVENTS,
    // io(url, opts(extra)), resolved once connected.
    connect: (url, extra) => connected(lib.io(url, opts(extra))),
    // In the upgrade mode, resolves once the engine of `socket` (made with opts()) has upgraded to
    // WebSocket; at once in the other modes.
    upgraded: async (socket, ms) => {
      const engine = socket.io.engine;
      if (transports.length > 1 && engine.transport?.name !== "websocket") await next(engine, "upgrade", ms);
      return socket;
    },
    // Resolves once the client under test acts synchronously: ours loads its WebAssembly after the
    // import and queues calls until then, so emits made meanwhile do not show in sendBuffer yet.
    // (One connection on a Manager of its own, closed again.)
    loaded: async (url) => (await connected(lib.io(url, opts({ forceNew: true })))).disconnect(),
  };
}
