// socketio-wasm: the socket.io-client API over the Rust/wasm core. This layer only does what
// wasm-bindgen cannot: variadic emit, chaining, getters, the synchronous io() before the wasm is
// ready (calls are queued until then), and the Manager cache that io() must answer synchronously.
import init, { WasmManager } from "../pkg/socketio_wasm.js";
import { loadWasm } from "./load.js";
import { msgpackDecode, msgpackEncode } from "./msgpack.js";

let loaded = false;
const queued = [];

function runTask(task) {
  try {
    task();
  } catch (error) {
    setTimeout(() => {
      throw error;
    });
  }
}

// The wasm is fetched next to the published bundle (pkg/index.js; see js/load.js and scripts/build.sh).
// When it fails, the Error (which names the cause, the URL and what to do) is logged and kept in
// `loadError`, and each Manager gets a FailedManager instead: every listener, registered before or after,
// hears of it, and no acknowledgement waits forever. A wasm that traps later ends the same way (see `stop`).
let loadError;
/** The wasm's exported stack pointer (a WebAssembly.Global) and its value with no wasm frame live. */
let stackPointer, stackTop;

// Loading starts with the first Manager, not at import: a module that is only imported loads nothing
// (a Next.js client component is imported on the server too, to prerender it, where the wasm's URL is
// the server bundle's). A loader that throws instead of rejecting fails the load the same way.
let loading;
const load = () =>
  new Promise((resolve) => resolve(loadWasm(init)))
    .then((exports) => {
      // Where the stack pointer stands with no wasm frame live (see `stop`).
      stackPointer = exports?.__stack_pointer;
      stackTop = stackPointer?.value;
    })
    .catch((error) => {
      loadError = error;
      console.error(error.message);
    })
    .then(() => {
      loaded = true;
      queued.splice(0).forEach(runTask);
    });

/** Runs `task` now if the wasm module is ready (exceptions propagate), else once it is. */
function whenReady(task) {
  if (loaded) {
    task();
  } else {
    queued.push(task);
    loading ||= load();
  }
}

/** The Socket.IO protocol revision. */
export const protocol = 5;

/** Resolves `io()`'s URI against the page's location exactly as socket.io-client does. */
function resolveUri(uri) {
  const loc = typeof location !== "undefined" ? location : undefined;
  if (uri == null) uri = loc.protocol + "//" + loc.host;
  if (uri.charAt(0) === "/") uri = uri.charAt(1) === "/" ? loc.protocol + uri : loc.host + uri;
  if (!/^(https?|wss?):\/\//.test(uri)) uri = (loc ? loc.protocol + "//" : "https://") + uri;
  return uri;
}

/** Listener targets of the wasm exports (a socket's is its namespace id, from 0). */
const MANAGER = -1;
const ENGINE = -2;

// The operations of `listen`, numbered as in src/wasm/manager.rs; `+ LISTEN_OUTGOING` makes a catch-all one
// work on the outgoing listeners.
const LISTEN_ON = 0;
const LISTEN_ONCE = 1;
const LISTEN_OFF = 2;
const LISTEN_LISTENERS = 3;
const LISTEN_ANY_ON = 4;
const LISTEN_ANY_PREPEND = 5;
const LISTEN_ANY_OFF = 6;
const LISTEN_ANY_LISTENERS = 7;
const LISTEN_OUTGOING = 8;

/**
 * Listener methods shared by Manager, engine and Socket: `_withCore(task)` runs `task(wasm, target)` once
 * the wasm is ready, `_ready()` tells whether it is, `_core()` and `_target` name whose listeners they are.
 */
const listenerMethods = {
  on(event, listener) {
    this._withCore((core, target) => core.listen(LISTEN_ON, target, String(event), listener));
    return this;
  },
  once(event, listener) {
    this._withCore((core, target) => core.listen(LISTEN_ONCE, target, String(event), listener));
    return this;
  },
  off(event, listener) {
    this._withCore((core, target) => core.listen(LISTEN_OFF, target, event === undefined ? undefined : String(event), listener));
    return this;
  },
  listeners(event) {
    return this._ready() ? this._core().listen(LISTEN_LISTENERS, this._target, String(event)) : [];
  },
  hasListeners(event) {
    return this.listeners(event).length > 0;
  },
};

/** One connection to a server (an Engine.IO session) and its namespaces. */
export class Manager {
  constructor(uri, opts) {
    if (uri && typeof uri === "object") {
      opts = uri;
      uri = undefined;
    }
    this.opts = opts || {};
    this.uri = resolveUri(uri);
    this.nsps = {};
    this._autoConnect = this.opts.autoConnect !== false;
    this._wasm = undefined;
    this._earlyOptions = {};
    this._target = MANAGER;
    this.engine = undefined;
    // A custom parser (socket.io-parser's interface): the wasm side hands it packets and messages.
    const parser = this.opts.parser;
    if (parser) {
      this.encoder = new parser.Encoder();
      this.decoder = new parser.Decoder();
      this.decoder.on("decoded", (packet) => this._wasm.decoded(packet));
    }
    whenReady(() => {
      // Node build only: a runtime without a global WebSocket (Node < 22) could never connect, so every
      // Manager fails as after a failed load, with an Error that says why. Only once a Manager is made:
      // importing alone (a server-side render of a client component) stays quiet.
      if (globalThis.SOCKETIO_WASM_NODE && !loadError && typeof globalThis.WebSocket !== "function") {
        const runtime = globalThis.process?.versions?.node ? "Node.js " + globalThis.process.versions.node : "this runtime";
        loadError = new Error(`socketio-wasm needs a global WebSocket, which ${runtime} lacks: use Node.js 22 or later`);
      }
      if (loadError) {
        this._wasm = new FailedManager(this.uri, this.opts, this);
        return;
      }
      try {
        this._wasm = new WasmManager(this.uri, this.opts, this);
      } catch (error) {
        throw trapChecked(error);
      }
      liveManagers.add(new WeakRef(this));
    });
    if (this._autoConnect) this.open();
  }

  _core() {
    return this._wasm;
  }

  _ready() {
    return this._wasm !== undefined;
  }

  _withCore(task) {
    whenReady(() => task(this._wasm, this._target));
  }

  /** Opens the connection; `callback(err?)` gets the outcome of the attempt this call starts. */
  open(callback) {
    if (!this.engine) this.engine = new Engine(this);
    whenReady(() => this._wasm.open(callback));
    return this;
  }

  // Called by the wasm side as each session starts: its engine object (socket.io-client makes a new one
  // on every open; the previous one stays closed, its listeners with it).
  _sessionEngine() {
    // As socket.io-client's cleanup: a packet the last session left half-decoded is dropped.
    this.decoder?.destroy();
    if (!this.engine || this.engine._started) {
      if (this.engine) this.engine._retire();
      this.engine = new Engine(this);
    }
    this.engine._started = true;
    return this.engine;
  }

  /** Alias of `open`. */
  connect(callback) {
    return this.open(callback);
  }

  /** Closes the connection ("forced close" for the Manager and its sockets); it does not reconnect. */
  _close() {
    this._withCore((core) => core.command(COMMAND_CLOSE_MANAGER));
  }

  /** Alias of `_close`. */
  disconnect() {
    return this._close();
  }

  /** The socket of namespace `nsp` (one per namespace per Manager). */
  socket(nsp, opts) {
    let socket = this.nsps[nsp];
    if (!socket) {
      socket = new Socket(this, nsp, opts);
      this.nsps[nsp] = socket;
    } else if (this._autoConnect && !socket.active) {
      socket.connect();
    }
    return socket;
  }
}
Object.assign(Manager.prototype, listenerMethods, {
  removeListener: listenerMethods.off,
  removeAllListeners: listenerMethods.off,
});

// socket.io-client's defaults of the Manager options that have getters, for the getters' answers before
// the wasm is ready (the Rust core holds the same defaults and owns the values from then on). In the order
// that numbers them for `getOption`/`setOption` (as in src/wasm/manager.rs).
const OPTION_DEFAULTS = {
  reconnection: true,
  reconnectionAttempts: Infinity,
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
  randomizationFactor: 0.5,
  timeout: 20000,
};

/** What option `name` holds before the wasm is ready: the last value set, else the options object's. */
function earlyOption(manager, name) {
  const wasSet = name in manager._earlyOptions;
  const value = wasSet ? manager._earlyOptions[name] : manager.opts[name];
  if (name === "reconnection") return wasSet ? !!value : value !== false;
  if (name === "timeout" && value === false) return false;
  return typeof value === "number" && !(name === "timeout" && value < 0) ? value : OPTION_DEFAULTS[name];
}

// The option getters/setters: `manager.reconnectionDelay()` reads, `manager.reconnectionDelay(500)` sets and
// returns the Manager.
Object.keys(OPTION_DEFAULTS).forEach((name, option) => {
  Manager.prototype[name] = function (...value) {
    if (value.length === 0) return this._ready() ? this._wasm.getOption(option) : earlyOption(this, name);
    if (!this._ready()) this._earlyOptions[name] = value[0];
    this._withCore((core) => core.setOption(option, value[0]));
    return this;
  };
});

// The socket properties `socketProperty`/`setSocketProperty` take, and the next-emit flags of `flag`
// (numbered as in src/wasm/manager.rs).
const SOCKET_ID = 0;
const SOCKET_CONNECTED = 1;
const SOCKET_ACTIVE = 2;
const SOCKET_RECOVERED = 3;
const SOCKET_SEND_BUFFER = 4;
const SOCKET_RECEIVE_BUFFER = 5;
const FLAG_TIMEOUT = 0;
const FLAG_VOLATILE = 1;
const FLAG_COMPRESS = 2;

// The commands of `command` this file gives, numbered as in src/wasm/manager.rs.
const COMMAND_CONNECT = 0;
const COMMAND_DISCONNECT = 1;
const COMMAND_CLOSE_ENGINE = 2;
const COMMAND_CLOSE_MANAGER = 6;

// The session properties `engineProperty` reads (numbered as in WasmManager::engine_property).
const ENGINE_ID = 0;
const ENGINE_READY_STATE = 1;
const ENGINE_TRANSPORT = 2;

/** The transport a connection with options `opts` starts with. */
const firstTransport = (opts) => {
  const [first = "polling"] = opts.transportImplementations || opts.transports || [];
  return typeof first === "function" ? first.prototype.name : first;
};

/** `manager.engine`: the Engine.IO session, as far as pages look at it. */
class Engine {
  constructor(manager) {
    this._manager = manager;
    this._target = ENGINE;
    this._started = false;
    this._retired = undefined;
    const engine = this;
    this.transport = {
      // Before the wasm is ready: the transport the connection will start with; once the session is
      // over: the one it ended on.
      get name() {
        if (engine._retired) return engine._retired.transport;
        if (!engine._ready()) return firstTransport(manager.opts);
        return engine._core().engineProperty(ENGINE_TRANSPORT);
      },
    };
  }

  _retire() {
    this._retired = { transport: this.transport.name, id: this.id };
  }

  _core() {
    return this._manager._wasm;
  }

  _ready() {
    return !this._retired && this._manager._wasm !== undefined;
  }

  _withCore(task) {
    if (!this._retired) whenReady(() => task(this._manager._wasm, ENGINE));
  }

  /** The Engine.IO session id, while open. */
  get id() {
    if (this._retired) return this._retired.id;
    return this._ready() ? this._core().engineProperty(ENGINE_ID) : undefined;
  }

  /** "opening", "open", "closing" or "closed". */
  get readyState() {
    if (this._retired) return "closed";
    return this._ready() ? this._core().engineProperty(ENGINE_READY_STATE) : "opening";
  }

  /** Closes the session ("forced close"); the Manager then reconnects as after any loss. */
  close() {
    this._withCore((core) => core.command(COMMAND_CLOSE_ENGINE));
    return this;
  }
}
Object.assign(Engine.prototype, listenerMethods);

/**
 * The event names a page may not emit: socket.io-client's reserved ones (the core's `RESERVED_EVENTS`,
 * which it applies to incoming events; checked here too because emit must throw before the wasm loads).
 */
const RESERVED_EVENTS = new Set(["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]);

/** Throws socket.io-client's error for a reserved event name (synchronously, as it does). */
function checkEventName(event) {
  if (RESERVED_EVENTS.has(event)) throw new Error(`"${event}" is a reserved event name`);
}

/** A namespace of a Manager, with socket.io-client's Socket API. */
export class Socket {
  constructor(io, nsp, opts) {
    this.io = io;
    this.nsp = nsp;
    if (opts && opts.auth) this.auth = opts.auth;
    this._target = undefined;
    this._wantsActive = false;
    whenReady(() => {
      this._target = io._wasm.socket(nsp, this, opts);
    });
    if (io._autoConnect) this.open();
  }

  _core() {
    return this.io._wasm;
  }

  _ready() {
    return this._target !== undefined;
  }

  _withCore(task) {
    whenReady(() => task(this.io._wasm, this._target));
  }

  /** The socket id, while connected. */
  get id() {
    return this._ready() ? this._core().socketProperty(this._target, SOCKET_ID) : undefined;
  }

  /** Whether the namespace is connected. */
  get connected() {
    return this._ready() && this._core().socketProperty(this._target, SOCKET_CONNECTED);
  }

  /** Whether the namespace is not connected. */
  get disconnected() {
    return !this.connected;
  }

  /** Whether the socket is connected or trying to be (it reconnects on its own). */
  get active() {
    return this._ready() ? this._core().socketProperty(this._target, SOCKET_ACTIVE) : this._wantsActive;
  }

  /** Whether the last connect recovered the session: false before the first, undefined without recovery. */
  get recovered() {
    return this._ready() ? this._core().socketProperty(this._target, SOCKET_RECOVERED) : false;
  }

  /** The packets emitted while not connected, waiting to be sent (`{ type, data, options, id? }`). */
  get sendBuffer() {
    return this._ready() ? this._core().socketProperty(this._target, SOCKET_SEND_BUFFER) : [];
  }

  /** Keeps the buffered packets still in `packets` (as the getter gave them): `= []` drops them all. */
  set sendBuffer(packets) {
    this._withCore((core, ns) => core.setSocketProperty(ns, SOCKET_SEND_BUFFER, packets));
  }

  /** The events received before the connection was confirmed (`[event, ...args]`). */
  get receiveBuffer() {
    return this._ready() ? this._core().socketProperty(this._target, SOCKET_RECEIVE_BUFFER) : [];
  }

  /** Assigning an empty array drops the events received before the connection was confirmed. */
  set receiveBuffer(events) {
    this._withCore((core, ns) => core.setSocketProperty(ns, SOCKET_RECEIVE_BUFFER, events));
  }

  /** Connects the namespace (opening the Manager if needed). */
  connect() {
    this._wantsActive = true;
    this._withCore((core, ns) => core.command(COMMAND_CONNECT, ns));
    return this;
  }

  /** Alias of `connect`. */
  open() {
    return this.connect();
  }

  /** Leaves the namespace; the connection closes when no namespace is left. */
  disconnect() {
    this._wantsActive = false;
    this._withCore((core, ns) => core.command(COMMAND_DISCONNECT, ns));
    return this;
  }

  /** Alias of `disconnect`. */
  close() {
    return this.disconnect();
  }

  /** Emits `event` with any arguments; a trailing function receives the server's acknowledgement. */
  emit(event, ...args) {
    checkEventName(event);
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : undefined;
    args.unshift(event);
    this._emit(args, ack, false);
    return this;
  }

  // Hands `[event, ...args]` to the core: directly once the wasm is ready (no closure on the hot path),
  // else queued.
  _emit(args, ack, errorFirst) {
    if (this._ready()) this.io._wasm.emit(this._target, args, ack, errorFirst);
    else this._withCore((core, ns) => core.emit(ns, args, ack, errorFirst));
  }

  /** Emits `event` and resolves with the first argument of the acknowledgement (rejects with its error). */
  emitWithAck(event, ...args) {
    return new Promise((resolve, reject) => {
      checkEventName(event);
      args.unshift(event);
      const settle = (error, value) => {
        pendingAcks.delete(settle);
        return error ? reject(error) : resolve(value);
      };
      this._emit(args, settle, true);
      pendingAcks.add(settle);
    });
  }

  /** The next emit's acknowledgement gets an error after `ms` milliseconds without an answer. */
  timeout(ms) {
    this._withCore((core, ns) => core.flag(ns, FLAG_TIMEOUT, ms == null ? undefined : Number(ms)));
    return this;
  }

  /** The next emit is dropped unless the transport can send it right now. */
  get volatile() {
    this._withCore((core, ns) => core.flag(ns, FLAG_VOLATILE));
    return this;
  }

  /** Sets the next emit's compress flag (no effect on the wire in browsers). */
  compress(compress) {
    this._withCore((core, ns) => core.flag(ns, FLAG_COMPRESS, compress !== false));
    return this;
  }

  /** Emits a `message` event. */
  send(...args) {
    return this.emit("message", ...args);
  }
}

/**
 * The catch-all listener methods of one list: incoming (`list` 0), or `LISTEN_OUTGOING` for the `*AnyOutgoing`
 * one (events as they are sent).
 */
const catchAllMethods = (list) => ({
  /** Adds a catch-all listener: `listener(event, ...args)`. */
  on(listener) {
    this._withCore((core, ns) => core.listen(LISTEN_ANY_ON + list, ns, undefined, listener));
    return this;
  },
  /** Adds a catch-all listener before the others. */
  prepend(listener) {
    this._withCore((core, ns) => core.listen(LISTEN_ANY_PREPEND + list, ns, undefined, listener));
    return this;
  },
  /** Removes a catch-all listener, or all of them. */
  off(listener) {
    this._withCore((core, ns) => core.listen(LISTEN_ANY_OFF + list, ns, undefined, listener));
    return this;
  },
  /** The catch-all listeners. */
  listeners() {
    return this._ready() ? this._core().listen(LISTEN_ANY_LISTENERS + list, this._target) : [];
  },
});
const incoming = catchAllMethods(0);
const outgoing = catchAllMethods(LISTEN_OUTGOING);
Object.assign(Socket.prototype, listenerMethods, {
  removeListener: listenerMethods.off,
  removeAllListeners: listenerMethods.off,
  onAny: incoming.on,
  prependAny: incoming.prepend,
  offAny: incoming.off,
  listenersAny: incoming.listeners,
  onAnyOutgoing: outgoing.on,
  prependAnyOutgoing: outgoing.prepend,
  offAnyOutgoing: outgoing.off,
  listenersAnyOutgoing: outgoing.listeners,
});

const encodeMsgpack = guard(msgpackEncode);
const decodeMsgpack = guard(msgpackDecode);

/**
 * The built-in msgpack parser, wire-compatible with socket.io-msgpack-parser (the server's `parser`):
 * `io(url, { parser: msgpackParser })`. The codec is the wasm's; packets it cannot read are a "parse
 * error", as any packet that breaks the protocol's rules.
 */
export const msgpackParser = {
  protocol,
  Encoder: class {
    /** `packet` as one binary message. */
    encode(packet) {
      return [encodeMsgpack(packet)];
    }
  },
  Decoder: class {
    /** Only `"decoded"` is ever emitted (once per message, synchronously). */
    on(event, listener) {
      if (event === "decoded") this._decoded = listener;
      return this;
    }
    add(chunk) {
      this._decoded?.(decodeMsgpack(chunk));
    }
    destroy() {}
  },
};

// ---- The failed state: when the wasm did not load, a FailedManager stands in for each WasmManager ----

/** The Manager options with getters, by their number in `getOption`/`setOption`. */
const OPTION_NAMES = Object.keys(OPTION_DEFAULTS);

/**
 * What a Manager's facades call on the wasm, answered without it after a failed load (`loadError`): it
 * keeps listeners (dispatched with socket.io-client's `this`), and each open attempt fails soon after
 * with the load error: `connect_error` on every socket trying to connect (which then stays inactive, as
 * after a refusal: nothing retries), then the Manager's `error`, then the `open(callback)`s. An
 * acknowledgement that would be error-first (emitWithAck, timeout(), ackTimeout, retries) gets the error;
 * a plain one is never called, as on a connection that never opens. After a trap (`stopped`), what would
 * reach the server (open, connect, emit, an ack) throws the error instead.
 */
class FailedManager {
  constructor(uri, opts, facade) {
    this._opts = opts;
    this._facade = facade;
    this._sockets = []; // { facade, opts, active, timeout }, indexed by target
    this._listeners = new Map(); // target -> Map(event name or catch-all list -> [{ fn, once }])
    this._callbacks = []; // open(callback)s of the attempt under way
    this._opening = false;
  }

  open(callback) {
    this._refuseIfStopped();
    if (callback) this._callbacks.push(callback);
    if (this._opening) return;
    this._opening = true;
    setTimeout(() => {
      this._opening = false;
      this._sockets.forEach((socket, target) => {
        if (!socket.active) return;
        socket.active = false;
        this._dispatch(target, socket.facade, "connect_error");
      });
      this._dispatch(MANAGER, this._facade, "error");
      this._callbacks.splice(0).forEach((callback) => runTask(() => callback(loadError)));
    });
  }

  socket(nsp, facade, opts) {
    return this._sockets.push({ facade, opts: opts || {}, active: false, timeout: undefined }) - 1;
  }

  command(command, ns) {
    // Timers, page events and closes of the engine or Manager: nothing to do without the wasm.
    if (command > COMMAND_DISCONNECT) return;
    if (command === COMMAND_CONNECT) this.open();
    this._sockets[ns].active = command === COMMAND_CONNECT;
  }

  emit(ns, args, ack, errorFirst) {
    this._refuseIfStopped();
    const socket = this._sockets[ns];
    const timeout = socket.timeout;
    socket.timeout = undefined;
    if (ack && (errorFirst || timeout !== undefined || socket.opts.ackTimeout !== undefined || socket.opts.retries)) {
      setTimeout(() => ack(loadError));
    }
  }

  flag(ns, flag, value) {
    if (flag === FLAG_TIMEOUT) this._sockets[ns].timeout = value;
  }

  listen(op, target, event, fn) {
    const outgoing = op >= LISTEN_OUTGOING;
    if (outgoing) op -= LISTEN_OUTGOING;
    const catchAll = op >= LISTEN_ANY_ON;
    const byName = this._listeners.get(target) || new Map();
    this._listeners.set(target, byName);
    const key = catchAll ? (outgoing ? LISTEN_OUTGOING : LISTEN_ANY_ON) : event;
    const list = byName.get(key) || [];
    byName.set(key, list);
    // A catch-all operation, less LISTEN_ANY_ON, is numbered as its named twin (prepend as once).
    switch (catchAll ? op - LISTEN_ANY_ON : op) {
      case LISTEN_ON:
      case LISTEN_ONCE:
        if (op === LISTEN_ANY_PREPEND) list.unshift({ fn, once: false });
        else list.push({ fn, once: op === LISTEN_ONCE });
        return;
      case LISTEN_OFF: {
        if (!catchAll && event === undefined) {
          byName.forEach((entries, name) => typeof name === "string" && byName.delete(name));
        } else if (fn === undefined) {
          list.length = 0;
        } else {
          const index = list.findIndex((entry) => entry.fn === fn);
          if (index >= 0) list.splice(index, 1);
        }
        return;
      }
      default:
        return list.map((entry) => entry.fn);
    }
  }

  // Calls `event`'s listeners of `target` with `args` (the load error), `this` being the target's facade.
  _dispatch(target, facade, event, args = [loadError]) {
    const list = this._listeners.get(target)?.get(event) || [];
    for (const entry of [...list]) {
      if (entry.once) list.splice(list.indexOf(entry), 1);
      runTask(() => entry.fn.apply(facade, args));
    }
  }

  /** After a trap: throws the error, for the calls that would reach the server. */
  _refuseIfStopped() {
    if (stopped) throw loadError;
  }

  /** An ack to the server (the listener's ack function), sent by a wasm that stopped: throws. */
  ack() {
    this._refuseIfStopped();
  }

  /** A CONNECT (an auth function's callback) sent by a wasm that stopped: throws. */
  sendConnect() {
    this._refuseIfStopped();
  }

  /** What the transports of a wasm that stopped still report: nothing reads it. */
  transport() {}

  /** A packet the custom parser decoded for a wasm that stopped: nothing reads it. */
  decoded() {}

  /**
   * Takes over from the `wasm` that trapped: its sockets' `connect`, `connect_error` and `disconnect`
   * listeners (if the wasm still answers), then tells each socket: `disconnect` ("transport error") if it
   * was connected, else `connect_error` if it was trying to connect; and frees the wasm side (its
   * transports close). The user's other events (and catch-all listeners) are not carried over.
   */
  _takeOver(wasm) {
    const states = [];
    try {
      this._sockets.forEach((socket, ns) => {
        for (const event of ["connect", "connect_error", "disconnect"]) {
          wasm.listen(LISTEN_LISTENERS, ns, event).forEach((fn) => this.listen(LISTEN_ON, ns, event, fn));
        }
        states[ns] = [wasm.socketProperty(ns, SOCKET_CONNECTED), wasm.socketProperty(ns, SOCKET_ACTIVE)];
      });
    } catch {
      // The wasm traps again (a RefCell left borrowed): its listeners are out of reach.
      return;
    }
    try {
      wasm.free();
    } catch {
      // Its transports then stay open until the server's ping timeout closes them.
    }
    this._sockets.forEach((socket, ns) => {
      const [connected, active] = states[ns];
      if (connected) this._dispatch(ns, socket.facade, "disconnect", ["transport error", loadError]);
      else if (active) this._dispatch(ns, socket.facade, "connect_error");
    });
  }

  socketProperty(ns, property) {
    switch (property) {
      case SOCKET_ID:
        return undefined;
      case SOCKET_ACTIVE:
        return this._sockets[ns].active;
      case SOCKET_SEND_BUFFER:
      case SOCKET_RECEIVE_BUFFER:
        return [];
      default: // connected, recovered
        return false;
    }
  }

  setSocketProperty() {}

  engineProperty(property) {
    if (property === ENGINE_READY_STATE) return "closed";
    if (property === ENGINE_TRANSPORT) return firstTransport(this._opts);
  }

  getOption(option) {
    return earlyOption(this._facade, OPTION_NAMES[option]);
  }

  setOption(option, value) {
    this._facade._earlyOptions[OPTION_NAMES[option]] = value;
  }
}

// ---- A trap: the wasm stops for good ----

/** Whether the wasm trapped: from then on every Manager has a FailedManager (see `stop`). */
let stopped = false;

/** Every Manager facade with a wasm side, held weakly, for `stop`. */
const liveManagers = new Set();

/** The settle functions of the emitWithAck promises waiting for their acknowledgement. */
const pendingAcks = new Set();

/**
 * What a call into the wasm that threw `error` throws: a WebAssembly.RuntimeError (a trap: a panic, a
 * RefCell borrowed twice, memory or the wasm stack exhausted) stops the wasm and becomes the Error that
 * says so; anything else (an argument JSON cannot encode) stays as it is.
 */
function trapChecked(error) {
  if (!(error instanceof WebAssembly.RuntimeError)) return error;
  stop(error);
  return loadError;
}

/** `method` (a wasm export) with its traps checked by `trapChecked`. */
function guard(method) {
  return function (...args) {
    try {
      return method.apply(this, args);
    } catch (error) {
      throw trapChecked(error);
    }
  };
}

// Every call into the wasm goes through `trapChecked`: the constructor's in Manager, the msgpack codec's
// (js/msgpack.js calls the wasm), and each WasmManager method (what the facades and js/bridge.js call),
// wrapped here once.
for (const name of Object.getOwnPropertyNames(WasmManager.prototype)) {
  const method = WasmManager.prototype[name];
  if (name !== "constructor" && typeof method === "function") WasmManager.prototype[name] = guard(method);
}

/**
 * Stops the wasm after its first trap (`trap`, the RuntimeError). Its state may be anything now, and wasm
 * memory is shared by every Manager, so none continues: each gets a FailedManager (as after a failed load,
 * with `loadError` the Error below); the page gets an error event (`reportError`); pending emitWithAck
 * promises reject; then, out of the wasm's call stack, each socket hears of it (`disconnect` or
 * `connect_error`, see FailedManager#_takeOver). From then on, emits, connects and opens throw the Error.
 */
function stop(trap) {
  if (stopped) return;
  stopped = true;
  // The trap unwound every wasm frame, but not the stack pointer: put it back, or a stack overflow would
  // make every later call (reading the sockets' listeners below) trap too.
  if (stackPointer) stackPointer.value = stackTop;
  loadError = new Error("socketio-wasm hit an internal error and stopped: its sockets are closed, and calls on them throw this error", { cause: trap });
  const handovers = [];
  for (const reference of liveManagers) {
    const manager = reference.deref();
    if (!manager) continue;
    const failed = new FailedManager(manager.uri, manager.opts, manager);
    Object.values(manager.nsps).forEach((socket) => socket._ready() && (failed._sockets[socket._target] = { facade: socket, opts: {}, active: false }));
    handovers.push([failed, manager._wasm]);
    manager._wasm = failed;
  }
  liveManagers.clear();
  pendingAcks.forEach((settle) => settle(loadError));
  if (typeof reportError === "function") reportError(loadError);
  else setTimeout(() => {
    throw loadError;
  });
  setTimeout(() => handovers.forEach(([failed, wasm]) => failed._takeOver(wasm)));
}

// ---- end of the failed state ----

const cache = {};

/** Returns the socket of the URI's namespace, sharing the Manager of the same server unless told not to. */
export function io(uri, opts) {
  if (uri && typeof uri === "object") {
    opts = uri;
    uri = undefined;
  }
  opts = opts || {};
  const resolved = resolveUri(uri);
  const url = new URL(resolved);
  const scheme = url.protocol.slice(0, -1);
  const port = url.port || (/s$/.test(scheme) ? "443" : "80");
  const id = scheme + "://" + url.hostname + ":" + port + (opts.path || "/socket.io");
  const nsp = url.pathname || "/";
  const sameNamespace = cache[id] && nsp in cache[id].nsps;
  const newConnection = opts.forceNew || opts["force new connection"] || opts.multiplex === false || sameNamespace;
  let manager;
  if (newConnection) {
    manager = new Manager(resolved, opts);
  } else {
    if (!cache[id]) cache[id] = new Manager(resolved, opts);
    manager = cache[id];
  }
  return manager.socket(nsp, opts);
}

// As socket.io-client's: `io.connect(url)`, `io.io`, `io.Manager`, `io.Socket` (older code uses them).
Object.assign(io, { Manager, Socket, io, connect: io });

/**
 * A stand-in for socket.io-client's transport class of `name` (its prototype's `name`), so that
 * `transports: [WebSocket, Fetch]` names the transports as it does there.
 */
function transportClass(name) {
  const Transport = function () {};
  Transport.prototype.name = name;
  return Transport;
}

/** The transport classes socket.io-client exports; `transports: [WebSocket, Fetch]` takes them. */
export const WebSocket = transportClass("websocket");
export const NodeWebSocket = transportClass("websocket");
export const Fetch = transportClass("polling");
export const XHR = transportClass("polling");
export const NodeXHR = transportClass("polling");
/** WebTransport is not implemented: naming it fails the attempt with a `connect_error`. */
export const WebTransport = transportClass("webtransport");

export { io as connect };
export default io;
