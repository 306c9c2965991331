// Transport selection and the upgrade from polling to WebSocket: the engine's transport, events and
// state, the transport options (upgrade, transports order, rememberUpgrade, tryAllTransports), and
// traffic over polling and after the upgrade (ordering, large payloads, maxPayload).
import assert from "node:assert/strict";
import { startDedicatedServer } from "./harness/dedicated-server.mjs";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

// In the page: records the engine's life events as "handshake", "open", "upgrading <transport>", ...
function engineLog(engine) {
  const log = [];
  engine.on("handshake", () => log.push("handshake"));
  engine.on("open", () => log.push("open"));
  for (const event of ["upgrading", "upgrade"]) engine.on(event, (transport) => log.push(`${event} ${transport.name}`));
  engine.on("upgradeError", (err) => log.push(`upgradeError ${err.message}`));
  engine.on("close", (reason) => log.push(`close ${reason}`));
  return log;
}

// The engine's "handshake" event (before "open") is checked last in each scenario, after the rest.
const withoutHandshake = (log) => log.filter((entry) => entry !== "handshake");

// The transport each mode starts with, and the one it ends up on.
const FIRST = { websocket: "websocket", polling: "polling", upgrade: "polling" };
const FINAL = { websocket: "websocket", polling: "polling", upgrade: "websocket" };

scenario("engine transport, events and readyState from io() to disconnect()", async ({ run, server, mode }) => {
  const result = await run(async ({ io }, t) => {
    await t.loaded(t.url);
    const socket = io(t.url, t.opts());
    const engine = socket.io.engine;
    const log = t.engineLog(engine);
    const created = [engine.readyState, engine.transport.name];
    let connectedAfter;
    socket.on("connect", () => (connectedAfter = [...log]));
    await t.connected(socket);
    const connected = engine.readyState;
    await t.upgraded(socket);
    await t.sleep(100); // nothing else happens
    const settled = [engine.readyState, engine.transport.name, [...log]];
    const [serverTransport] = await t.call(socket, "transport");
    const ids = { socket: socket.id, engine: engine.id };
    socket.disconnect();
    const closing = engine.readyState;
    await t.until(() => engine.readyState === "closed", "the engine to close", 2000).catch(() => {}); // asserted below
    return { created, connectedAfter, connected, settled, serverTransport, ids, closing, closed: engine.readyState, log };
  }, { engineLog });
  const upgrade = mode === "upgrade" ? ["upgrading websocket", "upgrade websocket"] : [];
  assert.deepEqual(result.created, ["opening", FIRST[mode]]);
  assert.equal(withoutHandshake(result.connectedAfter)[0], "open", "engine open before socket connect");
  assert.equal(result.connected, "open");
  const [readyState, transport, log] = result.settled;
  assert.deepEqual([readyState, transport, withoutHandshake(log)], ["open", FINAL[mode], ["open", ...upgrade]]);
  assert.equal(result.serverTransport, FINAL[mode]);
  assert.deepEqual([result.closing, result.closed], ["closing", "closed"]);
  assert.deepEqual(withoutHandshake(result.log), ["open", ...upgrade, "close forced close"]);
  const record = server.socket(result.ids.socket);
  assert.equal(typeof result.ids.engine, "string");
  assert.equal(record.engineId, result.ids.engine, "socket.io.engine.id is the server's socket.conn.id");
  assert.equal(record.query.transport, FIRST[mode]);
  assert.deepEqual(result.log, ["handshake", "open", ...upgrade, "close forced close"]);
});

scenario("upgrade: false stays on polling", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = io(t.url, t.opts({ upgrade: false }));
    const log = t.engineLog(socket.io.engine);
    await t.connected(socket);
    await t.sleep(300); // an upgrade would be done by now
    const [serverTransport] = await t.call(socket, "transport");
    return { id: socket.id, transport: socket.io.engine.transport.name, serverTransport, log };
  }, { engineLog });
  assert.deepEqual({ ...result, id: 0, log: withoutHandshake(result.log) }, {
    id: 0,
    transport: "polling",
    serverTransport: "polling",
    log: ["open"],
  });
  assert.equal(server.socket(result.id).query.transport, "polling");
  assert.deepEqual(result.log, ["handshake", "open"]);
}, { only: ["upgrade"] });

// The scenario sets its own transports: declared in one mode only.
scenario('transports: ["websocket", "polling"] opens with WebSocket, no upgrade', async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = io(t.url, { transports: ["websocket", "polling"], reconnection: false });
    const log = t.engineLog(socket.io.engine);
    await t.connected(socket);
    await t.sleep(200);
    return { id: socket.id, transport: socket.io.engine.transport.name, log };
  }, { engineLog });
  assert.deepEqual({ ...result, id: 0, log: withoutHandshake(result.log) }, { id: 0, transport: "websocket", log: ["open"] });
  assert.equal(server.socket(result.id).query.transport, "websocket");
  assert.deepEqual(result.log, ["handshake", "open"]);
}, { only: ["websocket"] });

scenario("rememberUpgrade: after an upgrade, the next connection opens with WebSocket", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const connections = [];
    for (const rememberUpgrade of [true, true, false]) {
      const socket = io(t.url, { reconnection: false, rememberUpgrade, forceNew: true });
      const engine = socket.io.engine;
      const log = t.engineLog(engine);
      const first = engine.transport.name;
      await t.connected(socket);
      if (engine.transport.name !== "websocket") await t.next(engine, "upgrade");
      await t.sleep(50);
      connections.push({ rememberUpgrade, first, log: [...log], id: socket.id });
      socket.disconnect();
    }
    return connections;
  }, { engineLog });
  const upgraded = ["open", "upgrading websocket", "upgrade websocket"];
  const connections = result.map(({ id, log, ...connection }) => ({ ...connection, log: withoutHandshake(log) }));
  assert.deepEqual(connections, [
    { rememberUpgrade: true, first: "polling", log: upgraded },
    { rememberUpgrade: true, first: "websocket", log: ["open"] },
    { rememberUpgrade: false, first: "polling", log: upgraded },
  ]);
  const handshakeTransports = result.map(({ id }) => server.socket(id).query.transport);
  assert.deepEqual(handshakeTransports, ["polling", "websocket", "polling"]);
  assert.deepEqual(result.map(({ log }) => log[0]), ["handshake", "handshake", "handshake"]);
}, { only: ["upgrade"] });

scenario("tryAllTransports: falls back to the next transport when the first one fails", async ({ run }) => {
  const pollingOnly = await startDedicatedServer({ transports: ["polling"] });
  const websocketOnly = await startDedicatedServer({ transports: ["websocket"] });
  try {
    const result = await run(async ({ io }, t) => {
      const outcomes = {};
      const cases = [
        ["polling-only server", t.pollingOnly, ["websocket", "polling"]],
        ["websocket-only server", t.websocketOnly, ["polling", "websocket"]],
      ];
      for (const [name, url, transports] of cases) {
        for (const tryAllTransports of [false, true]) {
          const socket = io(url, { transports, tryAllTransports, reconnection: false, forceNew: true });
          const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
          let error;
          socket.on("connect_error", (err) => (error = { message: err.message, description: t.plain(err.description) }));
          await t.firstOf(socket, ["connect", "connect_error"]);
          await t.sleep(50);
          outcomes[`${name}, tryAllTransports: ${tryAllTransports}`] = {
            log: [...log],
            transport: socket.io.engine.transport.name,
            error,
            connected: socket.connected,
          };
          socket.disconnect();
        }
      }
      return outcomes;
    }, { pollingOnly: pollingOnly.url, websocketOnly: websocketOnly.url });
    const refused = (message) => ["s connect_error " + message, "m error " + message];
    assert.deepEqual(result, {
      "polling-only server, tryAllTransports: false": {
        log: refused("websocket error"),
        transport: "websocket",
        error: { message: "websocket error", description: { isTrusted: true } }, // the WebSocket's error Event
        connected: false,
      },
      "polling-only server, tryAllTransports: true": {
        log: ["m open", "s connect"],
        transport: "polling",
        error: undefined,
        connected: true,
      },
      "websocket-only server, tryAllTransports: false": {
        log: refused("xhr poll error"),
        transport: "polling",
        error: { message: "xhr poll error", description: 400 }, // the HTTP status
        connected: false,
      },
      "websocket-only server, tryAllTransports: true": {
        log: ["m open", "s connect"],
        transport: "websocket",
        error: undefined,
        connected: true,
      },
    });
    const handshakes = (server) => [...server.observed.sockets.values()].map((record) => record.query.transport);
    assert.deepEqual(handshakes(pollingOnly), ["polling"]);
    assert.deepEqual(handshakes(websocketOnly), ["websocket"]);
  } finally {
    await Promise.all([pollingOnly.close(), websocketOnly.close()]);
  }
}, { only: ["websocket"] });

scenario("after the upgrade: events, acks and binary both ways go over the WebSocket", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.upgraded(await t.connect(t.url));
    const [serverTransport] = await t.call(socket, "transport");
    const echoed = t.next(socket, "echo");
    socket.emit("echo", "text", new Uint8Array([1, 2]));
    const acked = await t.call(socket, "echo", { nested: new Uint8Array([3]).buffer });
    socket.on("question", (buffer, ack) => ack(new Uint8Array(buffer).reverse()));
    const forwarded = await t.call(socket, "ask", "question", new Uint8Array([4, 5]));
    return {
      id: socket.id,
      serverTransport,
      echoed: t.plain(await echoed),
      acked: t.plain(acked),
      forwarded: t.plain(forwarded),
      transport: socket.io.engine.transport.name,
    };
  });
  assert.deepEqual({ ...result, id: 0 }, {
    id: 0,
    serverTransport: "websocket",
    echoed: ["text", { ArrayBuffer: [1, 2] }],
    acked: [{ nested: { ArrayBuffer: [3] } }],
    forwarded: [{ ArrayBuffer: [5, 4] }],
    transport: "websocket",
  });
  assert.deepEqual(server.socket(result.id).acks, [[{ Buffer: [5, 4] }]]);
}, { only: ["upgrade"] });

scenario("emits made while the upgrade is under way arrive once each, in order", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = io(t.url, t.opts());
    const engine = socket.io.engine;
    const sent = [];
    const burst = (phase) => {
      for (let i = 0; i < 5; i++) {
        sent.push(`2${JSON.stringify(["n", sent.length, phase])}`);
        socket.emit("n", sent.length - 1, phase);
      }
    };
    socket.on("connect", () => burst("connect"));
    engine.on("upgrading", () => burst("upgrading"));
    engine.on("upgrade", () => {
      burst("upgrade");
      setTimeout(() => burst("after"), 0);
    });
    await t.connected(socket);
    await t.upgraded(socket);
    await t.sleep(20);
    await t.call(socket, "echo", "done");
    return { id: socket.id, sent };
  });
  // The connect event may come before or after the upgrade: what matters is the order of the emits.
  const phases = result.sent.map((packet) => JSON.parse(packet.slice(1))[2]);
  assert.deepEqual([...new Set(phases)].sort(), ["after", "connect", "upgrade", "upgrading"]);
  assert.deepEqual(server.inbound(result.id, "2"), [...result.sent, '20["echo","done"]']);
}, { only: ["upgrade"] });

scenario("100 emits in one tick arrive once each, in order", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const echoes = t.record(socket, ["echo"]);
    for (let i = 0; i < 100; i++) socket.emit("echo", i);
    await t.until(() => echoes.length >= 100, "100 echoes");
    await t.sleep(50);
    return { id: socket.id, echoes };
  });
  const numbers = Array.from({ length: 100 }, (_, i) => i);
  assert.deepEqual(result.echoes, numbers.map((i) => ["echo", i]));
  assert.deepEqual(server.inbound(result.id, "2"), numbers.map((i) => `2["echo",${i}]`));
});

scenario("large emits in one tick, together above maxPayload, all arrive (polling splits its POSTs)", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const big = ["a", "b", "c"].map((letter) => letter.repeat(400_000)); // 1.2 MB in all, maxPayload is 1 MB
    for (const text of big) socket.emit("big", text);
    socket.emit("big", "small");
    const [ack] = await t.call(socket, "echo", "done");
    return { id: socket.id, ack, connected: socket.connected };
  });
  assert.deepEqual({ ...result, id: 0 }, { id: 0, ack: "done", connected: true });
  const inbound = server.inbound(result.id, "2");
  const expected = [..."abc"].map((letter) => `2["big","${letter.repeat(400_000)}"]`);
  assert.ok(inbound.length === 5, `5 events, got ${inbound.length}`);
  assert.ok(inbound.slice(0, 3).every((packet, i) => packet === expected[i]), "the three large events, intact and in order");
  assert.deepEqual(inbound.slice(3), ['2["big","small"]', '20["echo","done"]']);
});

// maxPayload counts bytes on the wire: 200,000 CJK characters are 600,000 bytes in UTF-8. Three in one
// tick (1.8 MB) need three POSTs; counted in UTF-16 code units they went out as one, and the server
// answered 413 (issue 13, item 8).
scenario("large CJK emits in one tick: polling splits its POSTs by UTF-8 size, all arrive", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
    for (const char of ["\u4e2d", "\u6587", "\u5b57"]) socket.emit("big", char.repeat(200_000));
    const [ack] = await t.call(socket, "echo", "done");
    return { id: socket.id, ack, log, connected: socket.connected };
  });
  assert.deepEqual({ ...result, id: 0 }, { id: 0, ack: "done", log: [], connected: true });
  const inbound = server.inbound(result.id, "2");
  const expected = ["\u4e2d", "\u6587", "\u5b57"].map((char) => `2["big","${char.repeat(200_000)}"]`);
  assert.ok(inbound.length === 4, `4 events, got ${inbound.length}`);
  assert.ok(inbound.slice(0, 3).every((packet, i) => packet === expected[i]), "the three large events, intact and in order");
  assert.deepEqual(inbound.slice(3), ['20["echo","done"]']);
}, { only: ["polling"] });

// maxHttpBufferSize is 1e6 on the server. Over WebSocket it closes the connection (close code 1009);
// over polling it answers the POST with HTTP 413, a transport error on the client.
scenario("an emit larger than the server's maxPayload: the connection is lost", async ({ run, mode }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.upgraded(await t.connect(t.url));
    const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
    socket.emit("echo", "x".repeat(2_000_000));
    const [reason, description] = await t.next(socket, "disconnect");
    await t.sleep(50);
    const summary = description instanceof Error
      ? { error: description.message, type: description.type, description: description.description }
      : { description: description?.description, closeCode: description?.context?.code };
    return { log, reason, summary, connected: socket.connected };
  });
  if (FINAL[mode] === "polling") {
    assert.deepEqual(result, {
      log: ["m error xhr post error", "s disconnect transport error", "m close transport error"],
      reason: "transport error",
      summary: { error: "xhr post error", type: "TransportError", description: 413 },
      connected: false,
    });
  } else {
    assert.deepEqual(result, {
      log: ["s disconnect transport close", "m close transport close"],
      reason: "transport close",
      summary: { description: "websocket connection closed", closeCode: 1009 },
      connected: false,
    });
  }
});
