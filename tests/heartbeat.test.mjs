// Heartbeat and connection timeouts: the server's pings (Manager "ping"), a server that goes silent
// ("ping timeout", then reconnection), the deadline checked when emitting (timers running late), and
// the connect `timeout` against a server that never answers the handshake.
import assert from "node:assert/strict";
import { startDedicatedServer, startHangingServer } from "./harness/dedicated-server.mjs";
import { CONNECTED, lostAndBack } from "./harness/journal.mjs";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

// The client's deadline is pingInterval + pingTimeout = 800 ms after the handshake or the last ping
// (not much shorter: on a loaded machine a starved node process pings late).
const HEARTBEAT = { pingInterval: 100, pingTimeout: 700 };
const DEADLINE = HEARTBEAT.pingInterval + HEARTBEAT.pingTimeout;
const RECONNECTING = { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100, randomizationFactor: 0 };

// Runs `body(server)` with a dedicated server using the HEARTBEAT settings. The client's deadline is
// under test, not the server's: this server never gives up on a late pong (a busy page answers late).
async function withHeartbeatServer(body) {
  const server = await startDedicatedServer(HEARTBEAT);
  server.io.engine.on("connection", (conn) => {
    conn.resetPingTimeout = () => {}; // engine.io 6.6: arms the server's pong deadline after each ping
  });
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

scenario('pings keep the connection up (Manager "ping"); when they stop: "ping timeout"', async ({ run }) => {
  await withHeartbeatServer(async ({ url }) => {
    const result = await run(async ({ io }, t) => {
      const socket = await t.upgraded(await t.connect(t.heartbeat));
      const log = t.journal([["m", socket.io, [...t.MANAGER_EVENTS, "ping"]], ["s", socket, t.SOCKET_EVENTS]]);
      const pingArgs = [];
      socket.io.on("ping", (...args) => pingArgs.push(args.length));
      await t.sleep(t.DEADLINE + 300); // outlives the deadline
      const alive = { connected: socket.connected, pings: log.length, pingArgs: [...pingArgs] };
      await t.call(socket, "stop-heartbeat");
      const stoppedAt = Date.now();
      const [reason, description] = await t.next(socket, "disconnect", 2000);
      const elapsed = Date.now() - stoppedAt;
      await t.sleep(50);
      return { alive, log, reason, description: String(description), elapsed, connected: socket.connected };
    }, { heartbeat: url, DEADLINE });
    const { alive, log, elapsed, ...rest } = result;
    assert.equal(alive.connected, true);
    assert.ok(alive.pings >= 3, `pings in ${DEADLINE + 300} ms with pingInterval 100: ${alive.pings}`);
    assert.deepEqual(alive.pingArgs, Array(alive.pings).fill(0), "ping has no arguments");
    const pings = log.findIndex((entry) => entry !== "m ping"); // one more may come before the server stops
    assert.ok(pings >= alive.pings, `the log starts with the pings: ${JSON.stringify(log)}`);
    assert.deepEqual(log.slice(pings), ["s disconnect ping timeout", "m close ping timeout"]);
    assert.deepEqual(rest, { reason: "ping timeout", description: "undefined", connected: false });
    assert.ok(elapsed <= DEADLINE + 1000, `disconnected ${elapsed} ms after the server stopped pinging`);
  });
});

scenario('"ping timeout" with reconnection: the Manager reconnects', async ({ run }) => {
  await withHeartbeatServer(async ({ url, observed }) => {
    const result = await run(async ({ io }, t) => {
      const socket = io(t.heartbeat, t.opts(t.RECONNECTING));
      const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
      await t.upgraded(await t.connected(socket));
      const firstId = socket.id;
      await t.call(socket, "stop-heartbeat");
      await t.next(socket, "disconnect", 2000);
      await t.next(socket, "connect");
      const [echo] = await t.call(socket, "echo", "back");
      return { log, echo, ids: [firstId, socket.id] };
    }, { heartbeat: url, RECONNECTING });
    assert.deepEqual(result.log, [...CONNECTED, ...lostAndBack("ping timeout")]);
    assert.equal(result.echo, "back");
    const [first, second] = result.ids.map((id) => observed.socket(id));
    assert.notEqual(second.engineId, first.engineId);
  });
});

// Deadlines are kept on a monotonic clock: the wall clock set back by an hour during a ping silence (the
// OS adjusting it) delays nothing. Measured with performance.now(), since the page's Date.now() lies.
scenario('the wall clock set back an hour during a ping silence: "ping timeout" still on time', async ({ run }) => {
  await withHeartbeatServer(async ({ url }) => {
    const result = await run(async ({ io }, t) => {
      const socket = await t.upgraded(await t.connect(t.heartbeat));
      const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
      await t.call(socket, "stop-heartbeat");
      const stoppedAt = performance.now();
      const wallClock = Date.now;
      Date.now = () => wallClock.call(Date) - 3_600_000;
      try {
        const [reason] = await t.next(socket, "disconnect", t.DEADLINE + 2000);
        return { log, reason, elapsed: performance.now() - stoppedAt, connected: socket.connected };
      } finally {
        Date.now = wallClock;
      }
    }, { heartbeat: url, DEADLINE });
    const { elapsed, ...rest } = result;
    assert.deepEqual(rest, { log: ["s disconnect ping timeout", "m close ping timeout"], reason: "ping timeout", connected: false });
    assert.ok(elapsed <= DEADLINE + 1000, `disconnected ${elapsed} ms after the server stopped pinging`);
  });
});

// Background tabs throttle timers: the deadline is also checked on emit. Here the page blocks its
// event loop past the deadline, then emits: the packet is kept, the connection closes ("ping
// timeout") and the packet goes out on the next connection.
scenario("an emit after the heartbeat deadline (timers late) is buffered and sent after reconnection", async ({ run }) => {
  await withHeartbeatServer(async ({ url, observed }) => {
    const result = await run(async ({ io }, t) => {
      const socket = io(t.heartbeat, t.opts(t.RECONNECTING));
      const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
      await t.upgraded(await t.connected(socket));
      const firstId = socket.id;
      const echoed = t.next(socket, "echo", 5000);
      const blockedUntil = Date.now() + t.DEADLINE + 200; // no timer, no message runs meanwhile
      while (Date.now() < blockedUntil);
      socket.emit("echo", "emitted late");
      const atEmit = { connected: socket.connected, buffered: socket.sendBuffer.length };
      await t.next(socket, "connect");
      return { atEmit, log, echoed: await echoed, ids: [firstId, socket.id] };
    }, { heartbeat: url, RECONNECTING, DEADLINE });
    assert.deepEqual(result.atEmit, { connected: true, buffered: 1 });
    assert.deepEqual(result.log, [...CONNECTED, ...lostAndBack("ping timeout")]);
    assert.deepEqual(result.echoed, ["emitted late"]);
    const [firstId, secondId] = result.ids;
    assert.deepEqual(observed.inbound(firstId, "2"), [], "nothing sent on the expired connection");
    assert.deepEqual(observed.inbound(secondId, "2"), ['2["echo","emitted late"]']);
  });
});

scenario('connect timeout: a server that never answers the handshake -> connect_error "timeout"', async ({ run }) => {
  const hanging = await startHangingServer();
  try {
    const result = await run(async ({ io }, t) => {
      const startedAt = Date.now();
      const socket = io(t.hanging, t.opts({ timeout: 300, reconnection: true, reconnectionAttempts: 1, reconnectionDelay: 10, randomizationFactor: 0 }));
      const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
      const errors = [];
      socket.on("connect_error", (err) => errors.push({ isError: err instanceof Error, message: err.message, after: Date.now() - startedAt }));
      await t.next(socket.io, "reconnect_failed", 3000);
      await t.sleep(100);
      return { log, errors, active: socket.active, connected: socket.connected };
    }, { hanging: hanging.url });
    assert.deepEqual(result.log, [
      "s connect_error timeout",
      "m error timeout",
      "m reconnect_attempt 1",
      "s connect_error timeout",
      "m error timeout",
      "m reconnect_failed",
      "m reconnect_error timeout",
    ]);
    assert.deepEqual(result.errors.map(({ after, ...error }) => error), Array(2).fill({ isError: true, message: "timeout" }));
    const [first, second] = result.errors.map((error) => error.after);
    assert.ok(first >= 290 && first < 3000, `first timeout after ${first} ms`);
    assert.ok(second - first >= 290 && second - first < 3000, `second timeout ${second - first} ms later`);
    assert.deepEqual([result.active, result.connected], [true, false]);
  } finally {
    await hanging.close();
  }
});
