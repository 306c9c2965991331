// The socket.io 4.8 server every well-behaved scenario talks to, sharing its HTTP server with the
// static files. Namespaces "/" and "/admin" (auth middleware) on the default path, plus "/" on a
// second Server at CUSTOM_PATH and "/" on a third at RECOVERY_PATH with connection state recovery on.
// Each namespace gets the same event handlers (HANDLERS below), and everything the server observes is
// kept in `observed` for the tests to assert on.
import http from "node:http";
import { Server } from "socket.io";
import { staticHandler } from "./static.mjs";
import { listen, waitFor } from "./wait.mjs";

export const CUSTOM_PATH = "/custom-path";
export const RECOVERY_PATH = "/recovery-path";

// What the server saw, keyed by namespace socket id (sockets) and engine id (packets).
export class Observed {
  engineConnections = 0;
  sockets = new Map(); // socket id -> { nsp, path, engineId, query, auth, recovered, disconnectReason, acks }
  packets = new Map(); // engine id -> inbound Engine.IO message payloads: string, or { binary: [bytes] }

  socket(id) {
    const record = this.sockets.get(id);
    if (!record) throw new Error(`the server never saw a socket with id ${id}`);
    return record;
  }

  // Resolves to the reason the server gave for that socket's disconnection.
  disconnectReason(id) {
    return waitFor(() => this.socket(id).disconnectReason, `server-side disconnect of ${id}`);
  }

  // The Socket.IO packets the server received on the engine connection of socket `id`, all of them
  // or those of one Socket.IO packet type ("2" = EVENT, "3" = ACK, ...).
  inbound(id, type) {
    const packets = this.packets.get(this.socket(id).engineId) ?? [];
    return type ? packets.filter((packet) => typeof packet === "string" && packet.startsWith(type)) : packets;
  }
}

// Server-side view of received args: Buffers become { Buffer: [bytes] }, so node can compare them.
function describe(value) {
  if (Buffer.isBuffer(value)) return { Buffer: [...value] };
  if (Array.isArray(value)) return value.map(describe);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, describe(item)]));
  }
  return value;
}

// Event handlers: (socket, args, ack) where ack is the client's callback, if it sent one.
const HANDLERS = {
  // Acks with the same args when the client asked for an ack, otherwise emits them back as "echo".
  echo: (socket, args, ack) => (ack ? ack(...args) : socket.emit("echo", ...args)),
  // Emits args[1..] to the client under the event name args[0].
  "emit-back": (socket, [event, ...args]) => socket.emit(event, ...args),
  // Acks with a description of the args as the server decoded them.
  describe: (socket, args, ack) => ack(describe(args)),
  // Emits args[1..] as event args[0] asking the client for an ack, records the answer and
  // forwards it as the ack of this request.
  ask: (socket, [event, ...args], ack) =>
    socket.emit(event, ...args, (...answer) => {
      socket.data.record.acks.push(describe(answer));
      ack?.(...answer);
    }),
  broadcast: (socket, args) => socket.nsp.emit("broadcast", ...args), // to everyone, sender included
  chat: (socket, args) => socket.broadcast.emit("chat", ...args), // to everyone but the sender
  "disconnect-me": (socket) => socket.disconnect(),
  "close-transport": (socket) => socket.conn.close(),
  handshake: (socket, args, ack) =>
    ack({
      query: socket.handshake.query,
      auth: socket.handshake.auth,
      custom: socket.handshake.headers["x-custom"] ?? null,
      cookie: socket.handshake.headers.cookie ?? null,
    }),
  // Acks with the name of the transport the server uses for this connection now.
  transport: (socket, args, ack) => ack(socket.conn.transport.name),
  // Acks with the WebSocket subprotocol the connection's WebSocket agreed on (ws picks the first the
  // client offered), null without one.
  "ws-protocol": (socket, args, ack) => ack(socket.conn.transport.socket?.protocol || null),
  // Sends args[0] as a raw Socket.IO packet (e.g. an ack the client never asked for).
  raw: (socket, [packet]) => socket.conn.send(packet),
  // Acks with [key, attempt] from the args[1]-th time it is called with key args[0] (and stays silent
  // before), to exercise the client's retries.
  flaky: (socket, [key, succeedOn], ack) => {
    const counts = (socket.data.flaky ??= {});
    counts[key] = (counts[key] ?? 0) + 1;
    if (counts[key] >= succeedOn) ack?.(key, counts[key]);
  },
  // Closes the connection, then emits args[1..] as event args[0] to the socket's room while the client
  // is away (a recovery server keeps it for the client's return).
  "cut-and-emit": (socket, [event, ...args]) => {
    const { nsp, id } = socket;
    socket.conn.close();
    nsp.to(id).emit(event, ...args);
  },
  // The server stops pinging this connection (and stops expecting pongs): a silent server for the
  // client's heartbeat deadline. Acks once done.
  "stop-heartbeat": (socket, args, ack) => {
    stopHeartbeat(socket.conn);
    ack?.();
  },
};

// Clears the ping timers of an engine.io 6.6 server-side connection (its private fields: the
// public API has no way to pause the heartbeat). Nulled, as a pong would `refresh()` them otherwise.
function stopHeartbeat(conn) {
  clearTimeout(conn.pingIntervalTimer);
  clearTimeout(conn.pingTimeoutTimer);
  conn.pingIntervalTimer = null;
  conn.pingTimeoutTimer = null;
}

function rejectUnlessSecret(socket, next) {
  if (socket.handshake.auth?.token === "secret") return next();
  next(Object.assign(new Error("not authorized"), { data: { code: 42 } }));
}

function onConnection(observed, path, socket) {
  const record = {
    nsp: socket.nsp.name,
    path,
    engineId: socket.conn.id,
    query: { ...socket.handshake.query },
    auth: socket.handshake.auth,
    recovered: socket.recovered,
    disconnectReason: null,
    acks: [],
  };
  observed.sockets.set(socket.id, record);
  socket.data.record = record;
  socket.on("disconnect", (reason) => (record.disconnectReason = reason));
  for (const [event, handler] of Object.entries(HANDLERS)) {
    socket.on(event, (...args) => {
      const ack = typeof args.at(-1) === "function" ? args.pop() : undefined;
      handler(socket, args, ack);
    });
  }
}

function observeEngine(observed, engine) {
  engine.on("connection", (conn) => {
    observed.engineConnections++;
    const packets = [];
    observed.packets.set(conn.id, packets);
    conn.on("packet", ({ type, data }) => {
      if (type === "message") packets.push(typeof data === "string" ? data : { binary: [...data] });
    });
  });
}

// Connection state recovery as socket.io documents it (2 minutes; middlewares skipped on recovery).
const RECOVERY = { connectionStateRecovery: { maxDisconnectionDuration: 120000, skipMiddlewares: true } };

// Attaches a socket.io Server at `path` to `httpServer`, recording into `observed`; `options` are
// extra Server options (pingInterval, transports, cors, ...).
export function attachServer(httpServer, observed, path, options = {}) {
  // destroyUpgrade: false, or each Server arms a 1 s timer for every WebSocket meant for the others
  const extra = path === RECOVERY_PATH ? RECOVERY : {};
  const io = new Server(httpServer, { path, serveClient: false, destroyUpgrade: false, ...extra, ...options });
  observeEngine(observed, io.engine);
  const namespaces = [io.of("/")];
  if (path === "/socket.io") namespaces.push(io.of("/admin").use(rejectUnlessSecret));
  for (const nsp of namespaces) nsp.on("connection", (socket) => onConnection(observed, path, socket));
  return io;
}

export async function startSocketServer() {
  const httpServer = http.createServer(staticHandler);
  const observed = new Observed();
  const paths = ["/socket.io", CUSTOM_PATH, RECOVERY_PATH];
  const servers = paths.map((path) => attachServer(httpServer, observed, path));
  const url = await listen(httpServer);
  return {
    url,
    observed,
    async close() {
      for (const io of servers) io.engine.close();
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(() => resolve()));
    },
  };
}
