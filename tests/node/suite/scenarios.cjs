// The socket.io docs' testing pattern: a socket.io server started by the test file itself and the client
// under test, in Vitest and Jest, as ES module and CommonJS (the four *.test.* files beside this one wrap
// these scenarios). tests/node.test.mjs copies this directory into a project whose "socket.io-client" is
// either socket.io-client itself or our package (the alias recipe), so the same code runs on both.
const assert = require("node:assert/strict");
const { createServer } = require("node:http");
const { Server } = require("socket.io");

const TRANSPORTS = { upgrade: ["polling", "websocket"], polling: ["polling"], websocket: ["websocket"] };
// Each test's and hook's limit (both runners take it as the last argument): their 5 s default is short
// on two shared, busy cores, where the first connection (the wasm compiled, the modules loaded) was seen
// to take 8.6 s.
const TIMEOUT = 30_000;

/** Resolves with the arguments of `target`'s next `event`. */
const next = (target, event) => new Promise((resolve) => target.once(event, (...args) => resolve(args)));

/** A socket.io server on 127.0.0.1 (port 0 or `port`) with an echo handler and an /admin namespace. */
async function startServer(port = 0) {
  const httpServer = createServer();
  const server = new Server(httpServer);
  server.on("connection", (socket) => {
    socket.on("echo", (...args) => args.pop()(...args));
  });
  server.of("/admin").use((socket, done) => {
    if (socket.handshake.auth.token === "secret") done();
    else done(Object.assign(new Error("not authorized"), { data: { hint: "token" } }));
  });
  server.of("/admin").on("connection", (socket) => socket.emit("welcome", socket.nsp.name));
  await new Promise((resolve) => httpServer.listen(port, "127.0.0.1", resolve));
  return { server, port: httpServer.address().port };
}

/** Defines the scenarios with the runner's `test`, `beforeEach`, `afterEach` and the client's `io`. */
module.exports = function scenarios({ io, test, beforeEach, afterEach }) {
  let running;
  let clients;
  beforeEach(async () => {
    running = await startServer();
    clients = [];
  }, TIMEOUT);
  afterEach(async () => {
    for (const client of clients) client.disconnect();
    await new Promise((resolve) => running.server.close(() => resolve()));
  }, TIMEOUT);
  const connect = (mode, path = "", options = {}) => {
    const client = io(`http://127.0.0.1:${running.port}${path}`, { transports: TRANSPORTS[mode], forceNew: true, reconnection: false, ...options });
    clients.push(client);
    return client;
  };

  for (const mode of Object.keys(TRANSPORTS)) {
    test(`${mode}: connects and emits with an acknowledgement`, async () => {
      const client = connect(mode);
      await next(client, "connect");
      assert.equal(typeof client.id, "string");
      assert.deepEqual(await client.emitWithAck("echo", "hello", { n: 1 }), "hello");
      const reply = await new Promise((resolve) => client.emit("echo", [1, 2], (...args) => resolve(args)));
      assert.deepEqual(reply, [[1, 2]]);
    }, TIMEOUT);

    test(`${mode}: binary goes both ways and arrives as a Buffer`, async () => {
      const client = connect(mode);
      const reply = await client.emitWithAck("echo", Uint8Array.of(1, 2, 255));
      assert.ok(Buffer.isBuffer(reply), `a Buffer, not ${Object.prototype.toString.call(reply)}`);
      assert.deepEqual([...reply], [1, 2, 255]);
    }, TIMEOUT);

    test(`${mode}: namespaces and an auth rejection (connect_error)`, async () => {
      const rejected = connect(mode, "/admin", { auth: { token: "wrong" } });
      const [error] = await next(rejected, "connect_error");
      assert.ok(error instanceof Error);
      assert.equal(error.message, "not authorized");
      assert.deepEqual(error.data, { hint: "token" });
      assert.equal(rejected.active, false);
      const admitted = connect(mode, "/admin", { auth: { token: "secret" } });
      assert.deepEqual(await next(admitted, "welcome"), ["/admin"]);
    }, TIMEOUT);

    test(`${mode}: reconnects after a server restart`, async () => {
      const client = connect(mode, "", { reconnection: true, reconnectionDelay: 50, randomizationFactor: 0 });
      await next(client, "connect");
      const firstId = client.id;
      const disconnected = next(client, "disconnect");
      await new Promise((resolve) => running.server.close(() => resolve()));
      // "transport close", or over polling "transport error" when a GET meets the closed port.
      assert.match((await disconnected)[0], /^transport (close|error)$/);
      const reconnected = next(client.io, "reconnect");
      running = await startServer(running.port);
      await reconnected;
      if (!client.connected) await next(client, "connect");
      assert.notEqual(client.id, firstId);
      assert.equal(await client.emitWithAck("echo", "again"), "again");
    }, TIMEOUT);

    test(`${mode}: disconnect reaches the server`, async () => {
      const client = connect(mode);
      const [serverSocket] = await next(running.server, "connection");
      if (!client.connected) await next(client, "connect");
      const serverSaw = next(serverSocket, "disconnect");
      const clientSaw = next(client, "disconnect");
      client.disconnect();
      assert.deepEqual(await clientSaw, ["io client disconnect", undefined]);
      assert.equal((await serverSaw)[0], "client namespace disconnect");
      assert.equal(client.connected, false);
    }, TIMEOUT);
  }
};
