// Garbage collection: a connection the page has closed and no longer references is freed, with its
// sockets and their listeners, as socket.io-client's objects are. (Ours must also let go of the JS objects
// its wasm side holds while the Manager is idle.)
import assert from "node:assert/strict";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

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
  // Twice: a first collection may only clear the weak references that keep the second one's garbage.
  await page.collectGarbage();
  await page.collectGarbage();
  const alive = await run(async () => {
    const { socket, manager } = window.collectable;
    return { socket: socket.deref() !== undefined, manager: manager.deref() !== undefined };
  });
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
