// Connecting: the connect event, socket.id, the connected/disconnected flags, buffering before connect.
import assert from "node:assert/strict";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

scenario("connect sets id and connected/disconnected flags", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = io(t.url, t.opts());
    const state = () => ({ id: socket.id, connected: socket.connected, disconnected: socket.disconnected });
    const before = state();
    const connectArgs = await t.next(socket, "connect");
    return { before, connectArgs, after: state() };
  });
  assert.deepEqual(result.before, { id: undefined, connected: false, disconnected: true });
  assert.deepEqual(result.connectArgs, []);
  assert.equal(typeof result.after.id, "string");
  assert.deepEqual({ ...result.after, id: "" }, { id: "", connected: true, disconnected: false });
  assert.equal(server.socket(result.after.id).nsp, "/");
});

scenario("io() returns synchronously and emits before connect are sent after it", async ({ run }) => {
  const result = await run(async ({ io, Socket }, t) => {
    const socket = io(t.url, t.opts());
    const returnedSocket = socket instanceof Socket && !socket.connected;
    const echoed = t.next(socket, "echo");
    const emitReturns = socket.emit("echo", "early", 1) === socket;
    const acked = t.call(socket, "echo", "early with ack");
    return { returnedSocket, emitReturns, echoed: await echoed, acked: await acked };
  });
  assert.deepEqual(result, {
    returnedSocket: true,
    emitReturns: true,
    echoed: ["early", 1],
    acked: ["early with ack"],
  });
});

scenario("io() without a URL connects to the page's origin", async ({ run, server }) => {
  const id = await run(async ({ io }, t) => (await t.connected(io(t.opts()))).id);
  assert.equal(server.socket(id).path, "/socket.io");
});
