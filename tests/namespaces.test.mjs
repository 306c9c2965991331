// Namespaces multiplexed over one Manager / Engine.IO connection, and when a new Manager is made.
import assert from "node:assert/strict";
import { CUSTOM_PATH } from "./harness/socket-server.mjs";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

const ADMIN = { auth: { token: "secret" } };

// Runs `fn` in the page and returns its result plus how many Engine.IO connections the server saw meanwhile.
async function countingEngines(run, server, fn, args) {
  const before = server.engineConnections;
  const result = await run(fn, args);
  return { ...result, engines: server.engineConnections - before };
}

scenario("io(url) and io(url + '/admin') share one Manager and one connection", async ({ run, server }) => {
  const result = await countingEngines(run, server, async ({ io }, t) => {
    const root = io(t.url, t.opts());
    const admin = io(t.url + "/admin", t.opts(t.admin));
    await Promise.all([t.connected(root), t.connected(admin)]);
    return { sameManager: root.io === admin.io, ids: [root.id, admin.id] };
  }, { admin: ADMIN });
  assert.equal(result.sameManager, true);
  assert.equal(result.engines, 1);
  const [root, admin] = result.ids.map((id) => server.socket(id));
  assert.deepEqual([root.nsp, admin.nsp], ["/", "/admin"]);
  assert.equal(root.engineId, admin.engineId);
});

scenario("io() and io('/admin') relative to the page share one Manager", async ({ run, server }) => {
  const result = await countingEngines(run, server, async ({ io }, t) => {
    const root = io(t.opts());
    const admin = io("/admin", t.opts(t.admin));
    await Promise.all([t.connected(root), t.connected(admin)]);
    return { sameManager: root.io === admin.io, nsps: [root.nsp, admin.nsp] };
  }, { admin: ADMIN });
  assert.deepEqual(result, { sameManager: true, nsps: ["/", "/admin"], engines: 1 });
});

scenario("the path option is part of the Manager cache key", async ({ run, server }) => {
  const result = await countingEngines(run, server, async ({ io }, t) => {
    const root = io(t.url, t.opts());
    const custom = io(t.url, t.opts({ path: t.customPath }));
    const admin = io(t.url + "/admin", t.opts(t.admin));
    await Promise.all([root, custom, admin].map((socket) => t.connected(socket)));
    return { managers: [root.io === custom.io, root.io === admin.io], ids: [root.id, custom.id] };
  }, { admin: ADMIN });
  assert.deepEqual(result.managers, [false, true]);
  assert.equal(result.engines, 2);
  assert.deepEqual(result.ids.map((id) => server.socket(id).path), ["/socket.io", CUSTOM_PATH]);
});

scenario("the same namespace again, forceNew or multiplex: false get a new Manager", async ({ run, server }) => {
  const result = await countingEngines(run, server, async ({ io }, t) => {
    const sockets = [
      io(t.url, t.opts()),
      io(t.url, t.opts()), // "/" is already used on the cached Manager
      io(t.url + "/admin", t.opts({ ...t.admin, forceNew: true })),
      io(t.url + "/admin", t.opts({ ...t.admin, multiplex: false })),
    ];
    await Promise.all(sockets.map((socket) => t.connected(socket)));
    return { distinctManagers: new Set(sockets.map((socket) => socket.io)).size };
  }, { admin: ADMIN });
  assert.deepEqual(result, { distinctManagers: 4, engines: 4 });
});

scenario("packets are routed per namespace over the shared connection", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const root = await t.connect(t.url);
    const admin = await t.connect(t.url + "/admin", t.admin);
    const received = { root: t.record(root, ["news"]), admin: t.record(admin, ["news"]) };
    const acks = [await t.call(admin, "echo", "admin ack"), await t.call(root, "echo", "root ack")];
    admin.emit("emit-back", "news", "for admin");
    root.emit("emit-back", "news", "for root");
    await t.next(root, "news");
    return { id: root.id, acks, received };
  }, { admin: ADMIN });
  assert.deepEqual(result.acks, [["admin ack"], ["root ack"]]);
  assert.deepEqual(result.received, { root: [["news", "for root"]], admin: [["news", "for admin"]] });
  assert.deepEqual(server.inbound(result.id, "2"), [
    '2/admin,0["echo","admin ack"]',
    '20["echo","root ack"]',
    '2/admin,["emit-back","news","for admin"]',
    '2["emit-back","news","for root"]',
  ]);
  assert.deepEqual(server.inbound(result.id, "0"), ["0", '0/admin,{"token":"secret"}']);
});

scenario("disconnecting one namespace keeps the other connected", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const root = await t.connect(t.url);
    const admin = await t.connect(t.url + "/admin", t.admin);
    const adminId = admin.id;
    admin.disconnect();
    const [echo] = await t.call(root, "echo", "root still works");
    return { adminId, echo, connected: [root.connected, admin.connected] };
  }, { admin: ADMIN });
  assert.deepEqual({ ...result, adminId: 0 }, { adminId: 0, echo: "root still works", connected: [true, false] });
  assert.equal(await server.disconnectReason(result.adminId), "client namespace disconnect");
});

scenario("every io() URL form reaches the server: //host, host:port, ws://, relative namespaces", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const host = new URL(t.url).host;
    const forms = [`//${host}`, host, `ws://${host}`, `http://${host}/`, "/"];
    const outcome = [];
    for (const form of forms) {
      const socket = await t.connected(io(form, t.opts({ forceNew: true })));
      const [echo] = await t.call(socket, "echo", form);
      outcome.push([form === host ? "host:port" : form.replace(host, "HOST"), socket.nsp, echo === form]);
      socket.disconnect();
    }
    return outcome;
  });
  assert.deepEqual(result, [
    ["//HOST", "/", true],
    ["host:port", "/", true],
    ["ws://HOST", "/", true],
    ["http://HOST/", "/", true],
    ["/", "/", true],
  ]);
});
