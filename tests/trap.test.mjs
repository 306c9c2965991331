// A trap of the wasm (issue 13, item 9): ours only, socket.io-client has no wasm. A WebAssembly.RuntimeError
// leaves the wasm in a state nothing can vouch for (a frame cut short, a RefCell left borrowed), and its
// memory is shared by every Manager of the page: the client must stop for good and say so, never carry on
// as if nothing happened (before, the caller's catch swallowed the trap and the next emit went out).
//
// The trigger is a real one, in the published build, through the public API only: the wasm's own stack is
// 32 KiB (.cargo/config.toml), and every call back into the client from the page's code called by the wasm
// nests a wasm frame. An emitted value whose toJSON emits it again, about a hundred deep, runs the wasm
// stack below address 0: "memory access out of bounds", a trap, long before the JavaScript stack is full
// (the bound of 10,000 only keeps a build that does not trap from recursing forever: it then fails here on
// the missing error). Any other trap takes the same path: every call into the wasm is checked the same way.
//
// A trap unwinds every wasm frame but not the wasm's stack pointer (with this trigger it is left past the
// end of the stack, and every later call would trap too): the client puts it back at the top of the stack
// (js/index.js, `stop`), so the sockets' listeners are read out of the wasm and each connected socket gets
// `disconnect` with "transport error". (Before that, this test saw no socket event at all.)
import assert from "node:assert/strict";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

const STOPPED = /^Error: socketio-wasm hit an internal error and stopped/;

scenario("a trap stops every socket of every Manager, with one Error", async ({ run, page }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const other = await t.connect(t.url, { forceNew: true });
    const events = [];
    for (const [name, target] of [["socket", socket], ["other", other]]) {
      target.on("disconnect", (reason, description) => events.push([name, "disconnect", reason, description]));
      target.on("connect_error", (error) => events.push([name, "connect_error", error]));
    }
    const pending = socket.emitWithAck("void").then(
      () => "resolved",
      (error) => error,
    );
    let depth = 0;
    const deep = { toJSON: () => (++depth < 10_000 && socket.emit("void", deep), "deep") };
    let thrown;
    try {
      socket.emit("void", deep);
    } catch (error) {
      thrown = error;
    }
    const rejected = await pending;
    await t.sleep(300); // the sockets hear of it in a task after the trap
    const attempt = (call) => {
      try {
        call();
        return "no error";
      } catch (error) {
        return error === thrown ? "the Error" : String(error);
      }
    };
    return {
      depth: depth > 10 && depth < 10_000,
      thrown: String(thrown),
      cause: thrown?.cause instanceof WebAssembly.RuntimeError,
      rejected: rejected === thrown,
      events: events.map(([name, event, reason, description]) => [name, event, reason, description === thrown]),
      connected: [socket.connected, other.connected],
      emit: attempt(() => socket.emit("echo", 1)),
      connect: attempt(() => other.connect()),
      newManager: attempt(() => io(t.url, t.opts({ forceNew: true }))),
      emitWithAck: await other.emitWithAck("echo", 1).then(() => "resolved", (error) => (error === thrown ? "the Error" : String(error))),
      listeners: socket.listeners("disconnect").length,
    };
  });
  assert.equal(result.depth, true, "the recursion stopped at the trap");
  assert.match(result.thrown, STOPPED);
  assert.deepEqual({ ...result, depth: 0, thrown: 0 }, {
    depth: 0,
    thrown: 0,
    cause: true,
    rejected: true,
    events: [
      ["socket", "disconnect", "transport error", true],
      ["other", "disconnect", "transport error", true],
    ],
    connected: [false, false],
    emit: "the Error",
    connect: "the Error",
    newManager: "the Error",
    emitWithAck: "the Error",
    listeners: 1, // carried over from the wasm
  });
  const errors = page.takeErrors().map(String);
  assert.equal(errors.length, 1, `one error event for the page, got ${errors.join("; ")}`);
  assert.match(errors[0], STOPPED);
}, { only: ["websocket", "polling"], onlyClients: ["ours"] });
