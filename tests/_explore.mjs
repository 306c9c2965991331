import { conformance } from "./harness/suite.mjs";
import { startDedicatedServer, startHangingServer } from "./harness/dedicated-server.mjs";
const { scenario } = await conformance();
import { appendFileSync } from "node:fs";
const show = (name, mode, v) => appendFileSync("/tmp/explore/out.txt", `### ${mode} ${name}: ${JSON.stringify(v)}\n`);

scenario("transport close reconnect", async ({ run, mode }) => {
  const r = await run(async ({ io }, t) => {
    const socket = io(t.url, t.opts({ reconnection: true, reconnectionDelay: 50, randomizationFactor: 0 }));
    const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
    const eng = [];
    await t.connected(socket);
    const id1 = socket.id; const actives = [socket.active];
    socket.on("disconnect", () => { actives.push(socket.active); socket.emit("echo", "m1"); setTimeout(() => socket.emit("echo", "m2"), 10); });
    socket.emit("close-transport");
    await t.next(socket, "disconnect");
    actives.push(socket.active);
    await t.next(socket, "connect");
    actives.push(socket.active);
    await t.sleep(100);
    return { log, id1, id2: socket.id, actives, tn: socket.io.engine.transport.name };
  });
  show("transport close", mode, r);
});

scenario("engine.close", async ({ run, mode }) => {
  const r = await run(async ({ io }, t) => {
    const socket = io(t.url, t.opts({ reconnection: true, reconnectionDelay: 50, randomizationFactor: 0 }));
    const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
    await t.connected(socket);
    socket.io.engine.close();
    await t.sleep(400);
    return { log, connected: socket.connected, active: socket.active };
  });
  show("engine.close", mode, r);
});

scenario("unreachable", async ({ run, mode }) => {
  const r = await run(async ({ io }, t) => {
    const socket = io("http://127.0.0.1:1", t.opts({ reconnection: true, reconnectionAttempts: 2, reconnectionDelay: 10, randomizationFactor: 0 }));
    const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
    const errs = [];
    socket.on("connect_error", (e) => errs.push({ m: e.message, d: e.description, type: e.type, ctx: typeof e.context }));
    await t.next(socket.io, "reconnect_failed");
    await t.sleep(100);
    return { log, errs, active: socket.active };
  });
  show("unreachable", mode, r);
});

scenario("engine events", async ({ run, mode }) => {
  const r = await run(async ({ io }, t) => {
    const socket = io(t.url, t.opts());
    const e = socket.io.engine;
    const log = t.journal([["e", e, ["open", "upgrading", "upgrade", "upgradeError", "close", "handshake"]], ["s", socket, ["connect"]]]);
    const rs = [e.readyState];
    await t.connected(socket);
    rs.push(e.readyState, e.transport.name);
    await t.sleep(300);
    rs.push(e.transport.name);
    socket.disconnect();
    rs.push(e.readyState);
    return { log, rs };
  });
  show("engine events", mode, r);
});

scenario("big", async ({ run, mode }) => {
  const r = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
    const d = [];
    socket.on("disconnect", (r, desc) => d.push(r, t.plain(desc)));
    socket.emit("echo", "x".repeat(2_000_000));
    await t.sleep(1000);
    return { log, d: JSON.stringify(d).slice(0, 500), connected: socket.connected };
  });
  show("big", mode, r);
});

scenario("packet", async ({ run, mode }) => {
  const r = await run(async ({ io }, t) => {
    const socket = io(t.url, t.opts());
    const packets = [];
    socket.io.on("packet", (p) => packets.push(JSON.parse(JSON.stringify(p, (k, v) => v instanceof ArrayBuffer ? "AB" : v))));
    await t.connected(socket);
    await t.call(socket, "echo", 1);
    socket.emit("emit-back", "bin", new Uint8Array([1]));
    await t.next(socket, "bin");
    return { packets };
  });
  show("packet", mode, r);
});

scenario("restart", async ({ run, mode }) => {
  const srv = await startDedicatedServer();
  try {
    const p = run(async ({ io }, t) => {
      const socket = io(t.dedicated, t.opts({ reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100, randomizationFactor: 0 }));
      const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
      await t.connected(socket);
      await t.next(socket, "disconnect");
      await t.next(socket, "connect", 5000);
      return { log };
    }, { dedicated: srv.url });
    while (srv.observed.sockets.size < 1) await new Promise(r => setTimeout(r, 10));
    await srv.stop();
    await new Promise(r => setTimeout(r, 300));
    await srv.start();
    show("restart", mode, await p);
  } finally { await srv.close(); }
});

scenario("timeout", async ({ run, mode }) => {
  const srv = await startHangingServer();
  try {
    const r = await run(async ({ io }, t) => {
      const t0 = Date.now();
      const socket = io(t.hang, t.opts({ timeout: 300 }));
      const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
      await t.next(socket, "connect_error");
      const el = Date.now() - t0;
      await t.sleep(100);
      return { log, el, active: socket.active };
    }, { hang: srv.url });
    show("timeout", mode, r);
  } finally { await srv.close(); }
});
