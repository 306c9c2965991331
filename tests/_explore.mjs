import { conformance } from "./harness/suite.mjs";
import { startDedicatedServer, startHangingServer } from "./harness/dedicated-server.mjs";
import { waitFor } from "./harness/wait.mjs";
const { scenario } = await conformance();
import { appendFileSync } from "node:fs";
const show = (name, mode, v) => appendFileSync("/tmp/explore/out.txt", `### ${mode} ${name}: ${JSON.stringify(v)}\n`);
const sawReady = (obs) => [...obs.packets.values()].some((p) => p.includes('2["ready"]'));

scenario("restart", async ({ run, mode }) => {
  const srv = await startDedicatedServer();
  try {
    const p = run(async ({ io }, t) => {
      const socket = io(t.dedicated, t.opts({ reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100, randomizationFactor: 0 }));
      const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
      const d = [];
      socket.on("disconnect", (r, desc) => d.push(r, t.plain(desc)));
      await t.connected(socket);
      if (socket.io.engine.transport.name !== "websocket" && t.transports.length > 1) await t.next(socket.io.engine, "upgrade");
      socket.emit("ready");
      await t.next(socket, "disconnect");
      await t.next(socket, "connect", 5000);
      return { log, d: JSON.stringify(d).slice(0, 300) };
    }, { dedicated: srv.url });
    await waitFor(() => sawReady(srv.observed), "ready");
    await srv.stop();
    await new Promise(r => setTimeout(r, 300));
    await srv.start();
    show("restart", mode, await p);
  } finally { await srv.close(); }
});

scenario("heartbeat", async ({ run, mode }) => {
  const srv = await startDedicatedServer({ pingInterval: 200, pingTimeout: 100 });
  try {
    const r = await run(async ({ io }, t) => {
      const socket = io(t.dedicated, t.opts());
      const log = t.journal([["m", socket.io, [...t.MANAGER_EVENTS, "ping"]], ["s", socket, t.SOCKET_EVENTS]]);
      await t.connected(socket);
      await t.sleep(700);
      const still = socket.connected;
      await t.call(socket, "stop-heartbeat");
      const t0 = Date.now();
      const d = await t.next(socket, "disconnect");
      return { log, still, el: Date.now() - t0, d: t.plain(d) };
    }, { dedicated: srv.url });
    show("heartbeat", mode, r);
  } finally { await srv.close(); }
});

scenario("tryAll", async ({ run, mode }) => {
  const srvP = await startDedicatedServer({ transports: ["polling"] });
  const srvW = await startDedicatedServer({ transports: ["websocket"] });
  try {
    const r = await run(async ({ io }, t) => {
      const out = {};
      for (const [name, url, transports] of [["pollOnly", t.p, ["websocket", "polling"]], ["wsOnly", t.w, ["polling", "websocket"]]]) {
        for (const tryAll of [false, true]) {
          const socket = io(url, { transports, reconnection: false, tryAllTransports: tryAll, forceNew: true });
          const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS], ["e", socket.io.engine, ["open", "upgrade", "close"]]]);
          let desc;
          socket.on("connect_error", (e) => desc = e.description);
          await t.firstOf(socket, ["connect", "connect_error"]);
          await t.sleep(100);
          out[name + tryAll] = { log, desc: t.plain(desc), tn: socket.io.engine.transport.name };
          socket.disconnect();
        }
      }
      return out;
    }, { p: srvP.url, w: srvW.url });
    show("tryAll", mode, r);
  } finally { await srvP.close(); await srvW.close(); }
}, { only: ["websocket"] });

scenario("remember", async ({ run, mode, server }) => {
  const r = await run(async ({ io }, t) => {
    const out = [];
    for (let i = 0; i < 3; i++) {
      const socket = io(t.url, { reconnection: false, rememberUpgrade: true, forceNew: true });
      const log = t.journal([["e", socket.io.engine, ["open", "upgrading", "upgrade", "close"]]]);
      const first = socket.io.engine.transport.name;
      await t.connected(socket);
      await t.sleep(200);
      out.push({ first, log, tn: socket.io.engine.transport.name });
      socket.disconnect();
    }
    const s2 = io(t.url, { reconnection: false, forceNew: true });
    out.push(s2.io.engine.transport.name);
    return out;
  });
  show("remember", mode, r);
}, { only: ["upgrade"] });

scenario("server disconnect", async ({ run, mode }) => {
  const r = await run(async ({ io }, t) => {
    const socket = io(t.url, t.opts({ reconnection: true, reconnectionDelay: 50, randomizationFactor: 0 }));
    const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
    await t.connected(socket);
    socket.emit("disconnect-me");
    await t.next(socket, "disconnect");
    await t.sleep(300);
    const a = [socket.active, socket.io.engine.readyState];
    log.push("--- connect()");
    socket.connect();
    await t.next(socket, "connect");
    log.push("--- disconnect()");
    socket.disconnect();
    await t.sleep(300);
    const b = [socket.active, socket.io.engine.readyState];
    log.push("--- connect()");
    socket.connect();
    await t.next(socket, "connect");
    return { log, a, b };
  });
  show("server disconnect", mode, r);
});

scenario("namespaces", async ({ run, mode }) => {
  const r = await run(async ({ io }, t) => {
    const o = { reconnection: true, reconnectionDelay: 50, randomizationFactor: 0 };
    const root = io(t.url, t.opts(o));
    const admin = io(t.url + "/admin", t.opts({ ...o, auth: { token: "secret" } }));
    const log = t.journal([["m", root.io, t.MANAGER_EVENTS], ["/", root, t.SOCKET_EVENTS], ["/admin", admin, t.SOCKET_EVENTS]]);
    await Promise.all([t.connected(root), t.connected(admin)]);
    root.emit("close-transport");
    await Promise.all([t.next(root, "connect"), t.next(admin, "connect")]);
    return { log };
  });
  show("namespaces", mode, r);
});

scenario("manager api", async ({ run, mode }) => {
  const r = await run(async ({ Manager }, t) => {
    const m = new Manager(t.url, { autoConnect: false, transports: t.transports, reconnection: false });
    const names = ["reconnection", "reconnectionAttempts", "reconnectionDelay", "reconnectionDelayMax", "randomizationFactor", "timeout"];
    const before = names.map((n) => m[n]());
    const sets = [true, 5, 500, 600, 0.1, 1234].map((v, i) => m[names[i]](v) === m);
    const after = names.map((n) => m[n]());
    const sets2 = [m.reconnection(false) === m, m.reconnection(), m.timeout(false) === m, m.timeout()];
    const openArgs = await new Promise((res) => m.open((...a) => res(a.map(t.plain))));
    const rs = m._readyState;
    const s = m.socket("/");
    const sActive = s.active;
    s.connect();
    await t.connected(s);
    const same = m.socket("/") === s;
    const m2 = new Manager("http://127.0.0.1:1", { autoConnect: false, transports: t.transports, reconnection: true, reconnectionDelay: 10 });
    const log2 = t.journal([["m", m2, t.MANAGER_EVENTS]]);
    const openErr = await new Promise((res) => m2.open((...a) => res(a.map(t.plain))));
    await t.sleep(100);
    const d = new Manager(t.url, {});
    const defaults = names.map((n) => d[n]());
    d.engine.close();
    return { before, sets, after, sets2, openArgs, rs, same, id: s.id, openErr, log2, defaults, openRet: m.open() === m, sActive, mStateAfter: [m._readyState, m2._readyState] };
  });
  show("manager api", mode, r);
});

scenario("many emits", async ({ run, mode, server }) => {
  const r = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    for (let i = 0; i < 100; i++) socket.emit("n", i);
    const big = ["a", "b", "c"].map((c) => c.repeat(400_000));
    for (const b of big) socket.emit("big", b);
    const [ack] = await t.call(socket, "echo", "done");
    await t.sleep(100);
    return { id: socket.id, ack, connected: socket.connected };
  });
  const ins = server.inbound(r.id, "2");
  show("many emits", mode, { ...r, n: ins.length, first: ins.slice(0, 2), lens: ins.slice(100).map((s) => s.length) });
});

scenario("big desc", async ({ run, mode }) => {
  const r = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    socket.emit("echo", "x".repeat(2_000_000));
    const [reason, desc] = await t.next(socket, "disconnect");
    return { reason, desc: desc instanceof Error ? { m: desc.message, d: desc.description, type: desc.type } : Object.keys(desc ?? {}) , ctx: typeof desc?.context};
  });
  show("big desc", mode, r);
});
