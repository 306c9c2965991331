// An exception thrown by user code called by the client (event listener, ack callback, connect
// listener) reaches the page as an uncaught error, asynchronously, and the connection survives.
import assert from "node:assert/strict";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

scenario("errors thrown in listeners and ack callbacks reach the page, connection survives", async ({ run, page }) => {
  const result = await run(async ({ io }, t) => {
    const errors = {
      connect: new Error("thrown in connect"),
      event: new Error("thrown in boom"),
      ack: new Error("thrown in ack"),
    };
    const seen = [];
    const identify = (error) => Object.keys(errors).find((key) => errors[key] === error) ?? String(error);
    window.addEventListener("error", (event) => seen.push(["error", identify(event.error)]));
    window.addEventListener("unhandledrejection", (event) => seen.push(["unhandledrejection", identify(event.reason)]));

    const order = [];
    const socket = io(t.url, t.opts());
    const connected = t.next(socket, "connect"); // before the throwing listener, which stops the others
    socket.on("connect", () => {
      order.push("connect");
      throw errors.connect;
    });
    await connected;
    socket.on("boom", () => {
      order.push("first boom listener");
      throw errors.event;
    });
    socket.on("boom", () => order.push("second boom listener"));
    socket.emit("emit-back", "boom");
    socket.emit("echo", () => {
      order.push("ack callback");
      throw errors.ack;
    });
    const syncSeen = seen.length;
    const [echo] = await t.call(socket, "echo", "still works");
    await t.sleep(50);
    return { order, syncSeen, seen, echo, connected: socket.connected };
  });
  assert.deepEqual(result.order, ["connect", "first boom listener", "ack callback"]);
  assert.equal(result.syncSeen, 0);
  assert.deepEqual(result.seen, [
    ["unhandledrejection", "connect"],
    ["unhandledrejection", "event"],
    ["unhandledrejection", "ack"],
  ]);
  assert.deepEqual([result.echo, result.connected], ["still works", true]);
  const messages = page.takeErrors().map((error) => error.message);
  assert.deepEqual(messages, ["thrown in connect", "thrown in boom", "thrown in ack"]);
});
