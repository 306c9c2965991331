// Connection state recovery against a server that has it on (t.recoveryPath): the pid and last
// offset go back in the CONNECT, missed events arrive before `connect`, and socket.recovered.
import assert from "node:assert/strict";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

// In the page: a socket on the recovery server that reconnects quickly, connected, having received one
// event ("tick", which carries the server's offset) so that a session can be recovered.
async function recoverySocket({ io }, t, extra) {
  const fast = { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 50, randomizationFactor: 0 };
  const socket = io(t.url, t.opts({ path: t.recoveryPath, ...fast, ...extra }));
  const recoveredBefore = socket.recovered;
  await t.connected(socket);
  const recoveredFirst = socket.recovered;
  const tick = t.next(socket, "tick");
  socket.emit("emit-back", "tick", 1);
  return { socket, recoveredBefore, recoveredFirst, tick: await tick };
}

scenario("recovered is false before the first connect and undefined after a connect without recovery", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const socket = io(t.url, t.opts());
    const before = socket.recovered;
    await t.connected(socket);
    return { before, after: "recovered" in socket ? String(socket.recovered) : "missing" };
  });
  assert.deepEqual(result, { before: false, after: "undefined" });
});

scenario("listeners see the offset the server appends; the first connect recovers nothing", async ({ run }) => {
  const result = await run(async (lib, t) => {
    const { recoveredBefore, recoveredFirst, tick } = await t.recoverySocket(lib, t);
    return { recoveredBefore, recoveredFirst, tick: [tick[0], typeof tick[1]] };
  }, { recoverySocket });
  assert.deepEqual(result, { recoveredBefore: false, recoveredFirst: false, tick: [1, "string"] });
});

scenario("a cut connection is recovered: same id, missed events before connect, recovered true", async ({ run, server }) => {
  const result = await run(async (lib, t) => {
    const { socket, tick } = await t.recoverySocket(lib, t, { auth: { token: "kept" } });
    const firstId = socket.id;
    const log = [];
    const state = () => [socket.connected, socket.recovered, socket.id === firstId];
    socket.on("disconnect", (reason) => log.push(["disconnect", reason]));
    socket.on("missed", (...args) => log.push(["missed", ...state(), args[0], typeof args[1]]));
    socket.on("connect", () => log.push(["connect", ...state()]));
    const reconnected = t.next(socket, "connect");
    socket.emit("cut-and-emit", "missed", 2);
    await reconnected;
    const after = t.next(socket, "tick");
    socket.emit("emit-back", "tick", 3);
    return { log, id: socket.id, offset: tick[1], afterTick: (await after)[0] };
  }, { recoverySocket });
  assert.deepEqual(result.log, [
    ["disconnect", "transport close"],
    ["missed", true, true, true, 2, "string"],
    ["connect", true, true, true],
  ]);
  assert.equal(result.afterTick, 3);
  const record = server.socket(result.id);
  assert.equal(record.recovered, true);
  const [connect] = server.inbound(result.id, "0");
  const payload = JSON.parse(connect.slice(1));
  assert.deepEqual(Object.keys(payload), ["pid", "offset", "token"], "pid and offset first, then the auth");
  assert.deepEqual({ offset: payload.offset, token: payload.token }, { offset: result.offset, token: "kept" });
});

scenario("the auth function's result is merged after pid and offset", async ({ run, server }) => {
  const result = await run(async (lib, t) => {
    let calls = 0;
    const auth = (cb) => cb({ token: "from fn", call: ++calls });
    const { socket } = await t.recoverySocket(lib, t, { auth });
    const reconnected = t.next(socket, "connect");
    socket.emit("cut-and-emit", "missed");
    await reconnected;
    return { id: socket.id, recovered: socket.recovered };
  }, { recoverySocket });
  assert.equal(result.recovered, true);
  const payload = JSON.parse(server.inbound(result.id, "0")[0].slice(1));
  assert.deepEqual(Object.keys(payload), ["pid", "offset", "token", "call"]);
  assert.deepEqual([payload.token, payload.call], ["from fn", 2]);
});

scenario("without any event received there is no offset: no recovery, a new session", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const fast = { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 50, randomizationFactor: 0 };
    const socket = await t.connect(t.url, { path: t.recoveryPath, ...fast });
    const firstId = socket.id;
    const reconnected = t.next(socket, "connect");
    socket.emit("cut-and-emit", "missed");
    await reconnected;
    return { firstId, secondId: socket.id, recovered: socket.recovered };
  });
  assert.notEqual(result.secondId, result.firstId);
  assert.equal(result.recovered, false);
  const payload = JSON.parse(server.inbound(result.secondId, "0")[0].slice(1));
  assert.deepEqual(Object.keys(payload), ["pid"], "an undefined offset is left out of the JSON");
});
