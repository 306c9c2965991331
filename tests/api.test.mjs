// The module's exports and the socket's emitter API: on/once/off, listener `this`, reserved names.
import assert from "node:assert/strict";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

const RESERVED = ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"];

scenario("exports: default === io === connect, Manager, Socket, protocol 5", async ({ run }) => {
  const result = await run(async (lib, t) => {
    const socket = lib.io(t.url, t.opts({ autoConnect: false }));
    const viaDefault = await t.connected(lib.default(t.url, t.opts()));
    const viaConnect = await t.connected(lib.connect(t.url, t.opts()));
    return {
      connected: [viaDefault.connected, viaConnect.connected],
      defaultIsIo: lib.default === lib.io,
      connectIsIo: lib.connect === lib.io,
      types: [typeof lib.io, typeof lib.Manager, typeof lib.Socket],
      protocol: lib.protocol,
      socketIsSocket: socket instanceof lib.Socket,
      managerIsManager: socket.io instanceof lib.Manager,
    };
  });
  assert.deepEqual(result, {
    connected: [true, true],
    defaultIsIo: true,
    connectIsIo: true,
    types: ["function", "function", "function"],
    protocol: 5,
    socketIsSocket: true,
    managerIsManager: true,
  });
});

scenario("on/once/off: once fires once, off removes, this is the socket, on chains", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const log = [];
    const listener = (name) =>
      function (n) {
        log.push([name, n, this === socket]);
      };
    const onListener = listener("on");
    const removedOnce = listener("removed once");
    const chains = socket.on("tick", onListener).once("tick", listener("once")) === socket;
    socket.once("tick", removedOnce).off("tick", removedOnce); // off works with the original function
    socket.on("other", listener("other")).off("other"); // off(event) removes them all
    for (const n of [1, 2]) socket.emit("emit-back", "tick", n);
    socket.emit("emit-back", "other", 0);
    await t.call(socket, "echo"); // events sent before the ack are dispatched before it
    socket.off("tick", onListener);
    socket.emit("emit-back", "tick", 3);
    await t.call(socket, "echo");
    return { chains, log };
  });
  assert.equal(result.chains, true);
  assert.deepEqual(result.log, [["on", 1, true], ["once", 1, true], ["on", 2, true]]);
});

scenario("listeners run over a snapshot taken when the event arrives", async ({ run }) => {
  const log = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const log = [];
    const second = () => log.push("second");
    const added = () => log.push("added");
    socket.on("tick", () => {
      log.push("first");
      socket.off("tick", second).on("tick", added);
    });
    socket.on("tick", second);
    socket.emit("emit-back", "tick");
    await t.next(socket, "tick");
    log.push("|");
    socket.off("tick", added);
    socket.emit("emit-back", "tick");
    await t.next(socket, "tick");
    return log;
  });
  assert.deepEqual(log, ["first", "second", "|", "first"]);
});

scenario("emitting a reserved event name throws and sends nothing", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const thrown = t.reserved.map((name) => {
      try {
        socket.emit(name, "x");
        return "did not throw";
      } catch (error) {
        return { isError: error instanceof Error, message: error.message };
      }
    });
    await t.call(socket, "echo");
    return { id: socket.id, thrown };
  }, { reserved: RESERVED });
  assert.deepEqual(
    result.thrown,
    RESERVED.map((name) => ({ isError: true, message: `"${name}" is a reserved event name` })),
  );
  assert.deepEqual(server.inbound(result.id, "2"), ['20["echo"]']);
});
