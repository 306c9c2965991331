// The retries option: emits go through a queue, one packet in flight, each sent again (with a new ack
// id) until it is acknowledged or has been tried 1 + retries times; the queue drains on connect. The
// server's "flaky" handler stays silent until the n-th time it hears a key.
import assert from "node:assert/strict";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

scenario("retries: sent again at each ackTimeout until the server answers", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url, { ackTimeout: 100, retries: 2 });
    const answer = await new Promise((resolve) => socket.emit("flaky", "a", 3, (...args) => resolve(args)));
    return { id: socket.id, answer };
  });
  assert.deepEqual(result.answer, [null, "a", 3]);
  assert.deepEqual(server.inbound(result.id, "2"), ['20["flaky","a",3]', '21["flaky","a",3]', '22["flaky","a",3]']);
});

scenario("retries: after 1 + retries attempts the callback gets the timeout error", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url, { ackTimeout: 80, retries: 1 });
    const start = performance.now();
    const [error] = await new Promise((resolve) => socket.emit("flaky", "b", 5, (...args) => resolve(args)));
    return { id: socket.id, message: error.message, afterTwoDeadlines: performance.now() - start > 150 };
  });
  assert.deepEqual({ ...result, id: 0 }, { id: 0, message: "operation has timed out", afterTwoDeadlines: true });
  assert.equal(server.inbound(result.id, "2").length, 2);
});

scenario("retries: one packet in flight, in emit order", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url, { ackTimeout: 100, retries: 3 });
    const answers = [];
    const done = new Promise((resolve) => {
      socket.emit("flaky", "first", 2, (...args) => answers.push(args));
      socket.emit("flaky", "second", 1, (...args) => answers.push(args));
      socket.emit("flaky", "third", 1, (...args) => resolve(answers.push(args)));
    });
    await done;
    return { id: socket.id, answers };
  });
  assert.deepEqual(result.answers, [[null, "first", 2], [null, "second", 1], [null, "third", 1]]);
  assert.deepEqual(server.inbound(result.id, "2"), [
    '20["flaky","first",2]',
    '21["flaky","first",2]',
    '22["flaky","second",1]',
    '23["flaky","third",1]',
  ]);
});

scenario("retries: emitWithAck resolves, or rejects once the retries are spent", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url, { ackTimeout: 80, retries: 1 });
    const resolved = await socket.emitWithAck("flaky", "c", 2);
    const rejected = await socket.emitWithAck("flaky", "d", 3).catch((error) => error.message);
    return { resolved, rejected };
  });
  assert.deepEqual(result, { resolved: "c", rejected: "operation has timed out" });
});

scenario("retries: an emit without callback still asks for an ack and waits its turn", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url, { ackTimeout: 100, retries: 1 });
    socket.emit("flaky", "no callback", 2);
    const last = await socket.emitWithAck("echo", "after it");
    return { id: socket.id, last };
  });
  assert.equal(result.last, "after it");
  assert.deepEqual(server.inbound(result.id, "2"), [
    '20["flaky","no callback",2]',
    '21["flaky","no callback",2]',
    '22["echo","after it"]',
  ]);
});

scenario("retries: the queue drains on connect, after the send buffer", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = io(t.url, t.opts({ autoConnect: false, ackTimeout: 1000, retries: 2 }));
    const volatile = socket.volatile.emit("echo", "volatile, dropped");
    const answers = [socket.emitWithAck("echo", "one"), socket.emitWithAck("echo", "two")];
    const buffered = socket.sendBuffer.length;
    socket.connect();
    return { id: (await t.connected(socket)).id, answers: await Promise.all(answers), buffered, chained: volatile === socket };
  });
  assert.deepEqual({ ...result, id: 0 }, { id: 0, answers: ["one", "two"], buffered: 0, chained: true });
  assert.deepEqual(server.inbound(result.id, "2"), ['20["echo","one"]', '21["echo","two"]']);
});

scenario("retries: an attempt lost with the connection is sent again after reconnecting", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url, { ackTimeout: 2000, retries: 2 });
    const firstId = socket.id;
    const answer = socket.emitWithAck("echo", "e"); // its answer arrives after the client closed
    socket.disconnect();
    socket.connect();
    await t.next(socket, "connect");
    return { firstId, secondId: socket.id, answer: await answer };
  });
  assert.equal(result.answer, "e");
  assert.deepEqual(server.inbound(result.firstId, "2"), ['20["echo","e"]']);
  assert.deepEqual(server.inbound(result.secondId, "2"), ['21["echo","e"]']);
});

scenario("retries: flags of an emit that waits in the queue stay set for the next emit", async ({ run }) => {
  const log = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url, { retries: 1 });
    const log = [];
    const first = socket.emitWithAck("echo", null, "in flight"); // no ackTimeout: no deadline
    socket.timeout(50).emit("void", (error) => log.push(["with timeout", error?.message]));
    socket.emit("void", (error) => log.push(["inherits it", error?.message]));
    log.push(["first", await first]);
    await t.sleep(500);
    return log;
  });
  assert.deepEqual(log, [
    ["first", "in flight"],
    ["with timeout", "operation has timed out"],
    ["inherits it", "operation has timed out"],
  ]);
});

scenario("retries without ackTimeout: the queue reads the answer's first argument as the error", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url, { retries: 1 });
    const rejected = await socket.emitWithAck("flaky", "not null", 1).catch((error) => ["rejected", error]);
    const resolved = await socket.emitWithAck("echo", null, "null first");
    return { id: socket.id, rejected, resolved };
  });
  assert.deepEqual({ ...result, id: 0 }, { id: 0, rejected: ["rejected", "not null"], resolved: "null first" });
  assert.equal(server.inbound(result.id, "2").length, 3, "two attempts, then the next emit");
});
