// Error-first acknowledgements: timeout(ms), the ackTimeout option, emitWithAck, and what a
// disconnection does to callbacks still waiting. The server never answers the event "void".
import assert from "node:assert/strict";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

// In the page: resolves with the args of `emit(..., callback)` and how long the callback took (ms).
function timedCallback() {
  return (socket, ...args) =>
    new Promise((resolve) => {
      const start = performance.now();
      socket.emit(...args, (...answer) => resolve({ answer: answer.map(String), ms: performance.now() - start }));
    });
}

scenario("timeout(ms).emit: the callback is error-first with the server's answer", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const returned = socket.timeout(1000) === socket; // the flag is now set for the next emit
    const timed = await new Promise((resolve) => socket.emit("echo", { three: 3 }, (...args) => resolve(args)));
    const plain = await new Promise((resolve) => socket.emit("echo", 1, "two", (...args) => resolve(args)));
    return { returned, timed, plain };
  });
  assert.deepEqual(result, { returned: true, timed: [null, { three: 3 }], plain: [1, "two"] });
});

scenario('timeout(ms).emit: Error("operation has timed out") at the deadline', async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const call = t.timedCallback();
    const { answer, ms } = await call(socket.timeout(150), "void", "x");
    const [error] = await new Promise((resolve) => socket.timeout(50).emit("void", (...args) => resolve(args)));
    return { answer, early: ms < 140, late: ms > 1000, isError: error instanceof Error, message: error.message };
  }, { timedCallback });
  assert.deepEqual(result, {
    answer: ["Error: operation has timed out"],
    early: false,
    late: false,
    isError: true,
    message: "operation has timed out",
  });
});

scenario("timeout() is for the next emit only", async ({ run }) => {
  const log = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const log = [];
    socket.timeout(50).emit("void", (error) => log.push(["first", error?.message]));
    socket.emit("void", (...args) => log.push(["second", ...args]));
    await t.sleep(250);
    return log;
  });
  assert.deepEqual(log, [["first", "operation has timed out"]]);
});

scenario("a buffered emit whose timeout expires is dropped from sendBuffer and never sent", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    await t.loaded(t.url);
    const socket = io(t.url, t.opts({ autoConnect: false }));
    const errors = [];
    socket.timeout(50).emit("echo", "expires", (error) => errors.push(error.message));
    socket.emit("echo", "stays");
    const buffered = socket.sendBuffer.length;
    await t.sleep(200);
    const left = socket.sendBuffer.map((packet) => packet.data);
    const echoed = t.next(socket, "echo");
    socket.connect();
    return { buffered, errors, left, echoed: await echoed, id: socket.id };
  });
  assert.deepEqual({ ...result, id: 0 }, {
    buffered: 2,
    errors: ["operation has timed out"],
    left: [["echo", "stays"]],
    echoed: ["stays"],
    id: 0,
  });
  assert.deepEqual(server.inbound(result.id, "2"), ['2["echo","stays"]']);
});

scenario("ackTimeout: every callback is error-first and times out", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url, { ackTimeout: 100 });
    const answered = await new Promise((resolve) => socket.emit("echo", 7, (...args) => resolve(args)));
    const [error] = await new Promise((resolve) => socket.emit("void", (...args) => resolve(args)));
    const overridden = await t.timedCallback()(socket.timeout(500), "void");
    return { answered, timedOut: error.message, overridden: overridden.answer, longer: overridden.ms > 450 };
  }, { timedCallback });
  assert.deepEqual(result, {
    answered: [null, 7],
    timedOut: "operation has timed out",
    overridden: ["Error: operation has timed out"],
    longer: true,
  });
});

scenario("emitWithAck resolves with the first argument of the answer", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const first = await socket.emitWithAck("echo", { one: 1 }, 2);
    const none = await socket.emitWithAck("echo");
    return { first, none: none === undefined };
  });
  assert.deepEqual(result, { first: { one: 1 }, none: true });
});

scenario("emitWithAck rejects with the timeout error of timeout() or ackTimeout", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const outcome = (promise) => promise.then(
      (value) => ["resolved", value],
      (error) => ["rejected", error instanceof Error, error.message],
    );
    const socket = await t.connect(t.url);
    const viaTimeout = await outcome(socket.timeout(50).emitWithAck("void"));
    const answered = await outcome(socket.timeout(1000).emitWithAck("echo", "in time"));
    const withOption = await t.connect(t.url, { ackTimeout: 50, forceNew: true });
    const viaOption = await outcome(withOption.emitWithAck("void"));
    const reserved = await outcome(socket.emitWithAck("disconnect"));
    return { viaTimeout, answered, viaOption, reserved };
  });
  assert.deepEqual(result, {
    viaTimeout: ["rejected", true, "operation has timed out"],
    answered: ["resolved", "in time"],
    viaOption: ["rejected", true, "operation has timed out"],
    reserved: ["rejected", true, '"disconnect" is a reserved event name'],
  });
});

scenario('on disconnect, error-first callbacks get "socket has been disconnected", plain ones nothing', async ({ run }) => {
  const log = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const log = [];
    socket.on("disconnect", (reason) => log.push(["disconnect", reason]));
    socket.emit("void", (...args) => log.push(["plain", ...args]));
    socket.timeout(5000).emit("void", (error) => log.push(["timeout", error.message]));
    const pending = socket.emitWithAck("void").catch((error) => log.push(["emitWithAck", error.message]));
    socket.disconnect();
    await pending;
    await t.sleep(100);
    return log;
  });
  assert.deepEqual(log, [
    ["disconnect", "io client disconnect"],
    ["timeout", "socket has been disconnected"],
    ["emitWithAck", "socket has been disconnected"],
  ]);
});

scenario("a callback whose packet is still buffered survives the disconnect and gets its answer", async ({ run }) => {
  const log = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const log = [];
    socket.disconnect();
    const answer = socket.emitWithAck("echo", "after reconnecting").then((value) => log.push(value));
    socket.timeout(5000).emit("void", (error) => log.push(error.message));
    socket.connect();
    await answer;
    socket.disconnect();
    await t.sleep(50);
    return log;
  });
  assert.deepEqual(log, ["after reconnecting", "socket has been disconnected"]);
});
