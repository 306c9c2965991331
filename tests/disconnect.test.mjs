// Disconnections from either side, their reasons, and connecting again by hand.
import assert from "node:assert/strict";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

// In the page: connects, triggers a disconnection with `t.cause(socket)` and resolves to what the
// disconnect listener saw (plus the state right after `cause` returned).
async function observeDisconnect({ io }, t) {
  const socket = await t.connect(t.url);
  const id = socket.id;
  const seen = [];
  socket.on("disconnect", (reason, description) =>
    seen.push({ reason, description: typeof description, id: socket.id, connected: socket.connected }),
  );
  const returned = t.cause(socket) === socket;
  const syncSeen = seen.length;
  if (!seen.length) await t.next(socket, "disconnect");
  await t.sleep(50); // a second disconnect event would show up here
  return { id, returned, syncSeen, seen, state: [socket.connected, socket.disconnected] };
}

// What the disconnect listener sees: id already undefined, connected already false.
const disconnected = (reason, description) => ({ reason, description, id: undefined, connected: false });

scenario('client disconnect(): "io client disconnect", synchronously', async ({ run, server }) => {
  const result = await run(observeDisconnect, { cause: (socket) => socket.disconnect() });
  assert.equal(result.returned, true);
  assert.equal(result.syncSeen, 1);
  assert.deepEqual(result.seen, [disconnected("io client disconnect", "undefined")]);
  assert.deepEqual(result.state, [false, true]);
  assert.equal(await server.disconnectReason(result.id), "client namespace disconnect");
});

scenario('server socket.disconnect(): "io server disconnect"', async ({ run, server }) => {
  const result = await run(observeDisconnect, { cause: (socket) => socket.emit("disconnect-me") });
  assert.deepEqual(result.seen, [disconnected("io server disconnect", "undefined")]);
  assert.deepEqual(result.state, [false, true]);
  assert.equal(await server.disconnectReason(result.id), "server namespace disconnect");
});

scenario('server socket.conn.close(): "transport close"', async ({ run, server }) => {
  const result = await run(observeDisconnect, { cause: (socket) => socket.emit("close-transport") });
  assert.deepEqual(result.seen, [disconnected("transport close", "object")]);
  assert.deepEqual(result.state, [false, true]);
  assert.equal(await server.disconnectReason(result.id), "forced close");
});

scenario("connect() after disconnect() reconnects and sends what was emitted meanwhile", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const firstId = socket.id;
    socket.disconnect();
    socket.emit("echo", "buffered while disconnected");
    const echoed = t.next(socket, "echo");
    const returned = socket.connect() === socket;
    await t.next(socket, "connect");
    return { firstId, secondId: socket.id, returned, connected: socket.connected, echoed: await echoed };
  });
  assert.notEqual(result.secondId, result.firstId);
  assert.deepEqual(
    { ...result, firstId: 0, secondId: 0 },
    { firstId: 0, secondId: 0, returned: true, connected: true, echoed: ["buffered while disconnected"] },
  );
  assert.equal(server.socket(result.secondId).nsp, "/");
});

// socket.io-client fires "disconnect" inside disconnect(), before it returns, even from a listener: the
// listeners still to run for the current event see the socket disconnected (issue 13, item 3).
scenario("disconnect() inside a listener fires disconnect before it returns", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const socket = io(t.url, t.opts());
    const order = [];
    socket.io.on("close", (reason) => order.push(`m close ${reason}`));
    socket.on("disconnect", (reason) => order.push(`disconnect ${reason} connected=${socket.connected}`));
    socket.on("connect", () => {
      order.push("connect listener 1");
      socket.disconnect();
      order.push("disconnect() returned");
    });
    socket.on("connect", () => order.push(`connect listener 2 connected=${socket.connected}`));
    await t.next(socket, "disconnect");
    await t.sleep(100);
    const fromEvent = [];
    socket.off("connect").off("disconnect").connect();
    await t.next(socket, "connect");
    socket.on("disconnect", (reason) => fromEvent.push(`disconnect ${reason}`));
    socket.on("echo", () => {
      fromEvent.push("echo listener");
      socket.disconnect();
      fromEvent.push("disconnect() returned");
    });
    socket.emit("echo", "x");
    await t.next(socket, "disconnect");
    await t.sleep(100);
    return { order, fromEvent, connected: socket.connected };
  });
  assert.deepEqual(result, {
    order: [
      "connect listener 1",
      "m close forced close",
      "disconnect io client disconnect connected=false",
      "disconnect() returned",
      "connect listener 2 connected=false",
      "m close forced close",
    ],
    fromEvent: ["echo listener", "disconnect io client disconnect", "disconnect() returned"],
    connected: false,
  });
});

// A listener that disconnects and reopens the Manager's cached socket (manager.socket() connects it
// again): one more connection, then the socket stays connected.
scenario("disconnect() and reopen from a connect listener: connects once more, then stays", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const socket = io(t.url, t.opts());
    const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
    let connects = 0;
    socket.on("connect", () => {
      if (++connects > 1) return;
      socket.disconnect();
      socket.io.socket("/");
    });
    await t.sleep(1000);
    return { log: log.slice(0, 10), length: log.length, connects, connected: socket.connected };
  });
  assert.deepEqual(result, {
    log: ["m open", "s connect", "m close forced close", "s disconnect io client disconnect", "m open", "s connect"],
    length: 6,
    connects: 2,
    connected: true,
  });
});

scenario("disconnect() before the connection is up cancels it, no disconnect event", async ({ run, server }) => {
  const before = server.sockets.size;
  const log = await run(async ({ io }, t) => {
    const socket = io(t.url, t.opts());
    const log = t.record(socket, ["connect", "disconnect", "connect_error"]);
    socket.disconnect();
    await t.sleep(300);
    return [...log, socket.connected];
  });
  assert.deepEqual(log, [false]);
  assert.equal(server.sockets.size, before, "the server saw no namespace connection");
});

scenario("closeOnBeforeunload: the page's beforeunload closes the transport silently", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.upgraded(await t.connect(t.url, { closeOnBeforeunload: true }));
    const id = socket.id;
    const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
    window.dispatchEvent(new Event("beforeunload"));
    await t.sleep(200); // an event would show up here
    return { id, log, connected: socket.connected };
  });
  // No event on the client (engine.io-client removes the transport's listeners before closing it).
  assert.deepEqual(result.log, []);
  assert.equal(result.connected, true);
  assert.equal(await server.disconnectReason(result.id), "transport close");
});
