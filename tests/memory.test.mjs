// Garbage collection: a connection the page has closed and no longer references is freed, with its
// sockets and their listeners, as socket.io-client's objects are. (Ours must also let go of the JS objects
// its wasm side holds while the Manager is idle.)
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { CACHE_ENTRIES, exportedFunctions } from "../scripts/spread-exports.mjs";
import { oursDir, oursEntry } from "./harness/env.mjs";
import { conformance } from "./harness/suite.mjs";

// Our wasm stack's size, as .cargo/config.toml sets it.
const WASM_STACK_BYTES = Number(/zstack-size=(\d+)/.exec(readFileSync(new URL("../.cargo/config.toml", import.meta.url), "utf8"))[1]);

const { scenario } = await conformance();

// V8 names each exported wasm function after its index through a 128-entry number-to-string cache that
// grows to 64 KiB of JS heap at the first two numbers sharing an entry (scripts/spread-exports.mjs).
test("ours: instantiating the published wasm does not grow V8's number-to-string cache", { skip: !oursDir && "OURS_DIR not set" }, () => {
  const dir = path.join(oursDir, path.dirname(oursEntry()));
  const [wasm] = readdirSync(dir).filter((file) => file.endsWith(".wasm"));
  const exports = exportedFunctions(readFileSync(path.join(dir, wasm)));
  assert.ok(exports.length > 0, "the module exports functions");
  const residues = new Map();
  for (const { name, index } of exports) {
    const earlier = residues.get(index % CACHE_ENTRIES);
    assert.equal(earlier, undefined, `exports ${earlier} and ${name} share the cache entry ${index % CACHE_ENTRIES}`);
    residues.set(index % CACHE_ENTRIES, name);
  }
});

scenario("a closed connection the page no longer references is garbage-collected", async ({ run, page }) => {
  await run(async ({ io }, t) => {
    const socket = await t.connect(t.url, { forceNew: true });
    // Listeners that hold their socket, on the socket, the Manager and the engine.
    socket.on("news", () => socket.emit("seen"));
    socket.onAny(() => socket.connected);
    socket.io.on("reconnect", () => socket.connect());
    socket.io.engine.on("close", () => socket.id);
    const closed = t.next(socket.io, "close");
    socket.disconnect();
    await closed;
    await t.sleep(100); // the transport's last request settles
    window.collectable = { socket: new WeakRef(socket), manager: new WeakRef(socket.io) };
  });
  // Twice: a first collection may only clear the weak references that keep the second one's garbage. On a
  // loaded machine a request may outlive the sleep above (seen with socket.io-client's upgrade): up to 10
  // tries, 200 ms apart; what is still reachable after them is kept alive for good.
  let alive;
  for (let attempt = 0; attempt < 10; attempt++) {
    await page.collectGarbage();
    await page.collectGarbage();
    alive = await run(async (_, t) => {
      const { socket, manager } = window.collectable;
      const reachable = { socket: socket.deref() !== undefined, manager: manager.deref() !== undefined };
      if (reachable.socket || reachable.manager) await t.sleep(200);
      return reachable;
    });
    if (!alive.socket && !alive.manager) break;
  }
  assert.deepEqual(alive, { socket: false, manager: false });
});

scenario("a parked connection comes back: listeners, reconnection and events after idling", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url, { forceNew: true });
    const heard = [];
    socket.on("echo-back", (value) => heard.push(value));
    const closed = t.next(socket.io, "close");
    socket.disconnect();
    await closed;
    await t.sleep(50);
    // Idle now; everything below must find its listeners and facades again.
    const listenersWhileIdle = socket.listeners("echo-back").length;
    socket.connect();
    await t.connected(socket);
    const [echo] = await t.call(socket, "echo", "again");
    socket.disconnect();
    return { listenersWhileIdle, echo, connected: socket.connected };
  });
  assert.deepEqual(result, { listenersWhileIdle: 1, echo: "again", connected: false });
});

// Re-entrant calls: listeners and ack callbacks that call back into the client, nested. Both clients must
// deliver everything; ours must also stay within a quarter of its wasm stack (.cargo/config.toml), as a
// stack overflow would trap.
scenario("listeners and ack callbacks that call back into the client, nested, stay shallow", async ({ run, page, client }) => {
  await run(async (lib, t) => {
    window.socket = await t.connect(t.url, { forceNew: true });
  });
  const painted = await page.fillWasmStack(WASM_STACK_BYTES);
  assert.equal(painted, client === "ours", "only our client has wasm memory");
  const result = await run(async (lib, t) => {
    const socket = window.socket;
    // A second Manager: its creation is among the deepest calls.
    (await t.connect(t.url, { forceNew: true })).disconnect();
    const DEPTH = 20;
    // Each echo's listener emits the next one.
    const echoed = new Promise((resolve) => socket.on("echo", (n) => (n < DEPTH ? socket.emit("echo", n + 1) : resolve(n))));
    socket.emit("echo", 0);
    // Each ack callback emits the next one with an ack.
    const acked = new Promise((resolve) => {
      const ask = (n) => socket.emit("echo", n, (m) => (m < DEPTH ? ask(m + 1) : resolve(m)));
      ask(0);
    });
    // Ten attachments, answered with ten.
    const attachments = Array.from({ length: 10 }, (_, i) => new Uint8Array([i]));
    const binary = new Promise((resolve) => socket.emit("echo", ...attachments, (...back) => resolve(back.map((b) => new Uint8Array(b)[0]))));
    // Disconnected by the server, reconnected from the disconnect listener, and emitting from connect's.
    const reconnected = new Promise((resolve) => {
      socket.once("disconnect", (reason) => {
        socket.once("connect", () => socket.emit("echo", "back", (answer) => resolve([reason, answer])));
        socket.connect();
      });
    });
    const results = { echoed: await echoed, acked: await acked, binary: await binary };
    socket.emit("disconnect-me");
    results.reconnected = await reconnected;
    socket.disconnect();
    return results;
  });
  assert.deepEqual(result, {
    echoed: 20,
    acked: 20,
    binary: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    reconnected: ["io server disconnect", "back"],
  });
  if (painted) {
    const used = await page.wasmStackUsed(WASM_STACK_BYTES);
    assert.ok(used > 0 && used < WASM_STACK_BYTES / 4, `${used} bytes of the ${WASM_STACK_BYTES}-byte wasm stack used`);
  }
});
