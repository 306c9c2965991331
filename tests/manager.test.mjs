// The Manager used directly: option getters/setters, new Manager(url).socket(nsp), open(callback), and
// its "packet" event.
import assert from "node:assert/strict";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

const OPTIONS = ["reconnection", "reconnectionAttempts", "reconnectionDelay", "reconnectionDelayMax", "randomizationFactor", "timeout"];

// Reads the options back before any traffic (in ours, before the wasm is ready) and once open: declared
// in one mode only.
scenario("option getters read, setters write and return the Manager", async ({ run }) => {
  const result = await run(async ({ Manager }, t) => {
    const read = (manager) => t.OPTIONS.map((name) => manager[name]()).map((v) => (v === Infinity ? "Infinity" : v));
    const defaults = new Manager(t.url, { autoConnect: false });
    const given = new Manager(t.url, {
      autoConnect: false,
      reconnection: false,
      reconnectionAttempts: 3,
      reconnectionDelay: 10,
      reconnectionDelayMax: 20,
      randomizationFactor: 0,
      timeout: false,
    });
    const setTo = [true, 5, 500, 600, 0.25, 1234];
    const returns = t.OPTIONS.map((name, i) => defaults[name](setTo[i]) === defaults);
    const afterSet = read(defaults);
    const toggled = [defaults.reconnection(false) === defaults, defaults.reconnection(), defaults.timeout(false).timeout()];
    const early = { defaults: read(new Manager(t.url, { autoConnect: false })), given: read(given), returns, afterSet, toggled };
    // The same values once the connection is open (ours: read from the Rust core instead).
    await new Promise((resolve) => given.open(resolve));
    const opened = { given: read(given), afterSet: read(defaults) };
    given.engine.close();
    return { ...early, opened };
  }, { OPTIONS });
  assert.deepEqual(result, {
    defaults: [true, "Infinity", 1000, 5000, 0.5, 20000],
    given: [false, 3, 10, 20, 0, false],
    returns: [true, true, true, true, true, true],
    afterSet: [true, 5, 500, 600, 0.25, 1234],
    toggled: [true, false, false],
    opened: { given: [false, 3, 10, 20, 0, false], afterSet: [false, 5, 500, 600, 0.25, false] },
  });
}, { only: ["websocket"] });

scenario("new Manager(url, opts).socket(nsp): sockets multiplexed on the Manager's connection", async ({ run, server }) => {
  const result = await run(async ({ Manager, Socket }, t) => {
    const manager = new Manager(t.url, t.opts());
    const root = manager.socket("/");
    const admin = manager.socket("/admin", { auth: { token: "secret" } });
    await Promise.all([t.connected(root), t.connected(admin)]);
    const [echo] = await t.call(root, "echo", "via new Manager");
    return {
      kinds: [root instanceof Socket, root.io === manager, admin.io === manager],
      same: manager.socket("/") === root,
      echo,
      ids: [root.id, admin.id],
    };
  });
  assert.deepEqual({ ...result, ids: 0 }, { kinds: [true, true, true], same: true, echo: "via new Manager", ids: 0 });
  const [root, admin] = result.ids.map((id) => server.socket(id));
  assert.deepEqual([root.nsp, admin.nsp, admin.auth], ["/", "/admin", { token: "secret" }]);
  assert.equal(root.engineId, admin.engineId);
});

scenario("open(callback): called on open, or with the error (and no reconnection)", async ({ run, mode }) => {
  const result = await run(async ({ Manager }, t) => {
    const manager = new Manager(t.url, t.opts({ autoConnect: false }));
    const log = t.journal([["m", manager, t.MANAGER_EVENTS]]);
    const opened = await new Promise((resolve) => {
      const returned = manager.open((...args) => resolve({ args: t.plain(args), returned: returned === manager }));
    });
    const socket = manager.socket("/");
    socket.connect();
    await t.connected(socket);

    const unreachable = new Manager("http://127.0.0.1:1", t.opts({ autoConnect: false, reconnection: true, reconnectionDelay: 10 }));
    const failureLog = t.journal([["m", unreachable, t.MANAGER_EVENTS]]);
    const failed = await new Promise((resolve) => {
      unreachable.open((...args) => resolve(args.map((arg) => (arg instanceof Error ? `Error: ${arg.message}` : arg))));
    });
    await t.sleep(100); // a reconnection attempt would show up here
    return { opened, log, failed, failureLog };
  });
  const error = mode === "websocket" ? "websocket error" : "xhr poll error";
  assert.deepEqual(result, {
    opened: { args: [], returned: true },
    log: ["m open"],
    failed: [`Error: ${error}`],
    failureLog: [`m error ${error}`],
  });
});

scenario('"packet" event: the decoded Socket.IO packets, binary ones as EVENT/ACK', async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const root = io(t.url, t.opts());
    const admin = io(t.url + "/admin", t.opts({ auth: { token: "secret" } }));
    const packets = [];
    root.io.on("packet", (packet) => packets.push(t.plain({ ...packet })));
    await Promise.all([t.connected(root), t.connected(admin)]);
    await t.call(root, "echo", "ack me");
    admin.emit("emit-back", "news", 1);
    await t.next(admin, "news");
    await t.call(root, "echo", new Uint8Array([7]));
    root.emit("emit-back", "bin", new Uint8Array([8]));
    await t.next(root, "bin");
    return { packets, ids: { "/": root.id, "/admin": admin.id } };
  });
  const { packets, ids } = result;
  const connects = packets.filter((packet) => packet.type === 0);
  assert.deepEqual(
    connects.sort((a, b) => a.nsp.localeCompare(b.nsp)),
    [{ type: 0, nsp: "/", data: { sid: ids["/"] } }, { type: 0, nsp: "/admin", data: { sid: ids["/admin"] } }],
  );
  assert.deepEqual(packets.filter((packet) => packet.type !== 0), [
    { type: 3, nsp: "/", id: 0, data: ["ack me"] },
    { type: 2, nsp: "/admin", data: ["news", 1] },
    { type: 3, nsp: "/", id: 1, data: [{ ArrayBuffer: [7] }] },
    { type: 2, nsp: "/", data: ["bin", { ArrayBuffer: [8] }] },
  ]);
});

// The sockets of a Manager react to its "open", "error" and "close" through listeners of their own,
// added when the socket is created (io() makes the socket at once): a Manager listener added before
// the socket runs before the socket's reaction, one added after runs after it.
scenario("Manager listeners and the sockets' own reactions run in the order they were added", async ({ run }) => {
  const result = await run(async ({ Manager }, t) => {
    const log = [];
    // The Manager's `event` makes the socket emit `reaction`; the listeners all run within that emit.
    const observe = async (url, event, reaction) => {
      const manager = new Manager(url, t.opts());
      let socket;
      const state = () => `connected ${socket.connected}, id ${typeof socket.id}`;
      manager.on(event, () => log.push(`Manager ${event}, added before the socket: ${state()}`));
      socket = manager.socket("/");
      manager.on(event, () => log.push(`Manager ${event}, added after: ${state()}`));
      socket.on(reaction, () => log.push(`socket ${reaction}`));
      const reacted = t.next(socket, reaction);
      if (event === "close") {
        await t.connected(socket);
        socket.emit("close-transport");
      }
      await reacted;
    };
    await observe(t.url, "close", "disconnect");
    await observe("http://127.0.0.1:1", "error", "connect_error");
    return log;
  });
  assert.deepEqual(result, [
    "Manager close, added before the socket: connected true, id string",
    "socket disconnect",
    "Manager close, added after: connected false, id undefined",
    "Manager error, added before the socket: connected false, id undefined",
    "socket connect_error",
    "Manager error, added after: connected false, id undefined",
  ]);
});
