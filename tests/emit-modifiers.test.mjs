// The rest of the emit surface: volatile, compress(), the *AnyOutgoing listeners, the sendBuffer and
// receiveBuffer getters, and a mutable socket.auth.
import assert from "node:assert/strict";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

scenario("volatile: dropped before the connection is up, sent once it is writable", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    await t.loaded(t.url);
    const socket = io(t.url, t.opts());
    const chained = socket.volatile === socket;
    socket.volatile.emit("echo", "dropped");
    socket.emit("echo", "buffered");
    const buffered = socket.sendBuffer.map((packet) => packet.data[1]);
    const echoes = [];
    socket.on("echo", (value) => echoes.push(value));
    await t.connected(socket);
    await t.sleep(50); // the buffered packet's write has finished (a POST when polling): writable again
    socket.volatile.emit("echo", "sent");
    await t.call(socket, "echo");
    return { id: socket.id, chained, buffered, echoes };
  });
  assert.deepEqual({ ...result, id: 0 }, { id: 0, chained: true, buffered: ["buffered"], echoes: ["buffered", "sent"] });
  assert.deepEqual(server.inbound(result.id, "2"), ['2["echo","buffered"]', '2["echo","sent"]', '20["echo"]']);
});

scenario("compress(flag) chains and the packet arrives as usual", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const chained = socket.compress(false) === socket;
    const answer = await t.call(socket.compress(false), "echo", "not compressed");
    return { chained, answer };
  });
  assert.deepEqual(result, { chained: true, answer: ["not compressed"] });
});

scenario("onAnyOutgoing: (event, ...args) when a packet is actually sent, without the ack function", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const socket = io(t.url, t.opts({ autoConnect: false }));
    const log = [];
    const first = function (...args) {
      log.push(["first", this === socket, ...args]);
    };
    const second = (...args) => log.push(["second", ...args]);
    const chained = socket.onAnyOutgoing(first).prependAnyOutgoing(second) === socket;
    socket.emit("echo", "buffered", () => {});
    const beforeConnect = log.length;
    socket.connect();
    await t.connected(socket);
    socket.emit("echo", 2, { three: 3 });
    const sync = log.length;
    const listeners = socket.listenersAnyOutgoing();
    const order = [listeners[0] === second, listeners[1] === first, listeners.length];
    socket.offAnyOutgoing(second);
    socket.on("question", (ack) => ack("answers are not outgoing events"));
    await t.call(socket, "ask", "question");
    const afterOff = socket.listenersAnyOutgoing().length;
    socket.offAnyOutgoing();
    socket.emit("echo", "unheard");
    return { chained, beforeConnect, sync, order, afterOff, left: socket.listenersAnyOutgoing().length, log };
  });
  assert.deepEqual(result, {
    chained: true,
    beforeConnect: 0,
    sync: 4,
    order: [true, true, 2],
    afterOff: 1,
    left: 0,
    log: [
      ["second", "echo", "buffered"],
      ["first", true, "echo", "buffered"],
      ["second", "echo", 2, { three: 3 }],
      ["first", true, "echo", 2, { three: 3 }],
      ["first", true, "ask", "question"],
    ],
  });
});

scenario("sendBuffer holds the packets emitted while disconnected, receiveBuffer starts empty", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    await t.loaded(t.url);
    const socket = io(t.url, t.opts({ autoConnect: false }));
    socket.emit("echo", "a");
    socket.compress(false).emit("echo", "b", () => {});
    const describe = (packet) => ({
      type: packet.type,
      data: packet.data,
      options: packet.options,
      id: "id" in packet ? packet.id : "none",
    });
    const buffered = socket.sendBuffer.map(describe);
    const received = socket.receiveBuffer;
    socket.connect();
    await t.connected(socket);
    return { buffered, received, after: [socket.sendBuffer.length, socket.receiveBuffer.length] };
  });
  assert.deepEqual(result, {
    buffered: [
      { type: 2, data: ["echo", "a"], options: { compress: true }, id: "none" },
      { type: 2, data: ["echo", "b"], options: { compress: false }, id: 0 },
    ],
    received: [],
    after: [0, 0],
  });
});

scenario("assigning sendBuffer drops what is left out of it (socket.sendBuffer = [] and filters)", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    await t.loaded(t.url);
    const socket = io(t.url, t.opts({ autoConnect: false }));
    for (const word of ["one", "two", "three"]) socket.emit("echo", word);
    socket.sendBuffer = socket.sendBuffer.filter((packet) => packet.data[1] !== "two");
    const filtered = socket.sendBuffer.map((packet) => packet.data[1]);
    socket.emit("echo", "four");
    socket.sendBuffer = socket.sendBuffer.slice(1);
    const echoes = [];
    socket.on("echo", (word) => echoes.push(word));
    socket.receiveBuffer = [];
    await t.connected(socket.connect());
    await t.call(socket, "echo");
    socket.disconnect();
    socket.emit("echo", "dropped");
    socket.sendBuffer = [];
    socket.connect();
    await t.call(socket, "echo");
    return { filtered, echoes };
  });
  assert.deepEqual(result, { filtered: ["one", "three"], echoes: ["three", "four"] });
});

scenario("socket.auth set before connect() is what the next CONNECT carries", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const socket = io(t.url, t.opts({ autoConnect: false, auth: { token: "from options" } }));
    socket.auth = { token: "set before connect" };
    socket.connect();
    await t.connected(socket);
    const [first] = await t.call(socket, "handshake");
    socket.disconnect();
    socket.auth = { token: "set before reconnecting" };
    socket.connect();
    await t.connected(socket);
    const [second] = await t.call(socket, "handshake");
    return [first.auth, second.auth];
  });
  assert.deepEqual(result, [{ token: "set before connect" }, { token: "set before reconnecting" }]);
});
