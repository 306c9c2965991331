// Servers a scenario starts for itself, each on its own port of 127.0.0.1 (so cross-origin for the
// page: CORS is on):
//   startDedicatedServer(options)  a socket.io 4.8 server with the usual namespaces and handlers
//                                  (socket-server.mjs) and its own Server options (pingInterval,
//                                  transports, maxHttpBufferSize, ...); it can be stopped and started
//                                  again on the same port, keeping one record of what it observed.
//                                  (stop() closes every connection cleanly first: see there.)
//   startHangingServer()           accepts TCP connections and never answers anything (neither HTTP
//                                  requests nor WebSocket upgrades).
// The scenario closes them: `try { ... } finally { await server.close(); }`.
import http from "node:http";
import { attachServer, Observed } from "./socket-server.mjs";
import { listen } from "./wait.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// An http.Server answering 404 to anything socket.io does not handle, that keeps track of its TCP
// connections (upgraded WebSockets included, which closeAllConnections() does not see).
function trackedHttpServer(handler = (req, res) => res.writeHead(404).end()) {
  const httpServer = http.createServer(handler);
  const connections = new Set();
  httpServer.on("connection", (connection) => {
    connections.add(connection);
    connection.on("close", () => connections.delete(connection));
  });
  const destroyConnections = () => {
    for (const connection of connections) connection.destroy();
  };
  return { httpServer, destroyConnections };
}

export async function startDedicatedServer(options = {}) {
  const observed = new Observed();
  let current = null; // { io, destroyConnections, state } while running
  let port = 0;

  async function start() {
    if (current) throw new Error("the dedicated server is already running");
    const { httpServer, destroyConnections } = trackedHttpServer();
    const state = { accepting: true };
    const io = attachServer(httpServer, observed, "/socket.io", {
      cors: { origin: "*" },
      allowRequest: (req, callback) => callback(null, state.accepting), // new sessions only
      ...options,
    });
    // engine.io gives a polling transport closed with no GET pending (its client went away) 30 s to
    // come back, on a timer that would keep node alive long after the scenario: 500 ms here.
    io.engine.on("connection", (conn) => {
      if (conn.transport.name === "polling") conn.transport.closeTimeout = 500;
    });
    await listen(httpServer, port); // port 0 the first time, then the same port again
    port = httpServer.address().port;
    current = { io, destroyConnections, state };
  }

  // Shuts down like a server going away cleanly, the same way for every transport: it refuses new
  // sessions (HTTP 403), closes every Engine.IO connection (the clients see "transport close") while
  // it still listens, so that a polling client can fetch its close packet, then stops listening and
  // cuts whatever is left. (io.close() alone stops listening at once: a polling client between two
  // GETs then fails with "xhr poll error" instead.) The server-side disconnect reason is "forced close".
  async function stop(grace = 1000) {
    if (!current) return;
    const { io, destroyConnections, state } = current;
    current = null;
    state.accepting = false;
    io.engine.close();
    const deadline = Date.now() + grace;
    while (io.engine.clientsCount > 0 && Date.now() < deadline) await sleep(5);
    const closing = io.close();
    destroyConnections();
    await closing;
  }

  await start();
  return {
    url: `http://127.0.0.1:${port}`,
    observed,
    get io() {
      return current?.io;
    },
    start,
    stop,
    close: () => stop(0),
  };
}

export async function startHangingServer() {
  const { httpServer, destroyConnections } = trackedHttpServer(() => {}); // requests never answered
  httpServer.on("upgrade", () => {}); // nor WebSocket handshakes
  const url = await listen(httpServer);
  return {
    url,
    async close() {
      const closed = new Promise((resolve) => httpServer.close(() => resolve()));
      destroyConnections();
      await closed;
    },
  };
}
