// The io() function's properties and the options socket.io-client honours in a browser, each with the
// same effect: transport classes (and WebTransport, which ours does not run), the query read again before
// each reconnection, useNativeTimers, protocols, forceBase64, requestTimeout, timestampRequests /
// timestampParam, addTrailingSlash, and Manager#_close().
import assert from "node:assert/strict";
import { startDedicatedServer } from "./harness/dedicated-server.mjs";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

// Reconnection on, quickly and without jitter.
const RECONNECT = { reconnection: true, reconnectionDelay: 50, randomizationFactor: 0 };

scenario("the default export carries io, connect, Manager and Socket; transport classes are exported", async ({ run }) => {
  const result = await run(async (lib, t) => {
    const io = lib.default;
    const socket = await t.connected(io.connect(t.url, t.opts({ forceNew: true })));
    const viaIo = await t.connected(io.io(t.url, t.opts({ forceNew: true })));
    const answer = {
      properties: [io.io === io, io.connect === io, io.Manager === lib.Manager, io.Socket === lib.Socket],
      named: [lib.io.connect === lib.io, lib.connect.Manager === lib.Manager],
      connected: [socket.connected, viaIo.connected, socket instanceof io.Socket, socket.io instanceof io.Manager],
      transports: ["WebSocket", "NodeWebSocket", "Fetch", "XHR", "NodeXHR", "WebTransport"].map((name) => [
        typeof lib[name],
        lib[name].prototype.name,
      ]),
    };
    socket.disconnect();
    viaIo.disconnect();
    return answer;
  });
  assert.deepEqual(result, {
    properties: [true, true, true, true],
    named: [true, true],
    connected: [true, true, true, true],
    transports: [
      ["function", "websocket"],
      ["function", "websocket"],
      ["function", "polling"],
      ["function", "polling"],
      ["function", "polling"],
      ["function", "webtransport"],
    ],
  });
}, { only: ["websocket"] });

scenario("transports given as classes: [WebSocket, Fetch] opens with WebSocket, [XHR] with polling", async ({ run, server }) => {
  const result = await run(async (lib, t) => {
    // Read at once (for ours, before its WebAssembly has loaded).
    const first = lib.io(t.url, t.opts({ forceNew: true, transports: [lib.WebSocket] }));
    const early = first.io.engine.transport.name;
    first.disconnect();
    const sockets = await Promise.all(
      [{ transports: [lib.WebSocket, lib.Fetch] }, { transports: [lib.XHR] }, { transports: undefined, transportImplementations: [lib.Fetch] }].map(
        (extra) => t.connected(lib.io(t.url, t.opts({ forceNew: true, ...extra }))),
      ),
    );
    const answer = {
      early,
      ids: sockets.map((socket) => socket.id),
      names: sockets.map((socket) => socket.io.engine.transport.name),
    };
    sockets.forEach((socket) => socket.disconnect());
    return answer;
  });
  assert.deepEqual(result.names, ["websocket", "polling", "polling"]);
  assert.equal(result.early, "websocket", "the transport's name right after io()");
  assert.deepEqual(result.ids.map((id) => server.socket(id).query.transport), ["websocket", "polling", "polling"]);
}, { only: ["websocket"] });

// (socket.io-client also leaves the WebTransport's rejected promises unhandled: uncaught errors in the page.)
scenario("a WebTransport the client cannot open gives connect_error, then tryAllTransports moves on", async ({ run, page, client }) => {
  const result = await run(async (lib, t) => {
    const failed = lib.io(t.url, t.opts({ forceNew: true, transports: [lib.WebTransport], timeout: 5000 }));
    const [error] = await t.next(failed, "connect_error", 5000);
    failed.disconnect();
    const fallback = lib.io(t.url, t.opts({ forceNew: true, transports: ["webtransport", "websocket"], tryAllTransports: true }));
    await t.connected(fallback, 5000);
    const answer = { message: error.message, connected: fallback.connected, transport: fallback.io.engine.transport.name };
    fallback.disconnect();
    return answer;
  });
  const uncaught = page.takeErrors().map(String);
  if (client === "ours") assert.deepEqual(uncaught, []);
  assert.deepEqual(result, { message: "webtransport error", connected: true, transport: "websocket" });
}, { only: ["websocket"] });

scenario("opts.query changed in reconnect_attempt (in place, then replaced) reaches the next handshake", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url, { ...t.RECONNECT, forceNew: true, query: { v: "1", keep: "k" } });
    const ids = [socket.id];
    socket.io.on("reconnect_attempt", () => {
      if (ids.length === 1) socket.io.opts.query.v = "2";
      else socket.io.opts.query = { v: "3" };
    });
    for (let round = 0; round < 2; round++) {
      socket.emit("close-transport");
      await t.next(socket, "disconnect");
      await t.next(socket, "connect");
      ids.push(socket.id);
    }
    socket.disconnect();
    return ids;
  }, { RECONNECT });
  const queries = result.map((id) => {
    const { v, keep } = server.socket(id).query;
    return { v, keep };
  });
  assert.deepEqual(queries, [{ v: "1", keep: "k" }, { v: "2", keep: "k" }, { v: "3", keep: undefined }]);
});

// In the page: replaces setTimeout/clearTimeout with fakes that never fire (as sinon's or Jest's fake
// timers do until told), runs `body(wait)` where `wait(ms)` uses the real timer, and restores them.
async function underFakeTimers(body) {
  const [realSetTimeout, realClearTimeout] = [setTimeout, clearTimeout];
  const faked = [];
  globalThis.setTimeout = (callback, delay) => faked.push(delay);
  globalThis.clearTimeout = () => {};
  const wait = (ms) => new Promise((resolve) => realSetTimeout(resolve, ms));
  try {
    return { ...(await body(wait)), faked: faked.length > 0 };
  } finally {
    globalThis.setTimeout = realSetTimeout;
    globalThis.clearTimeout = realClearTimeout;
  }
}

scenario("useNativeTimers: reconnection keeps real time under fake timers; without it, it waits for them", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    await t.loaded(t.url);
    const attempt = (useNativeTimers) =>
      t.underFakeTimers(async (wait) => {
        const socket = io(t.url, t.opts({ ...t.RECONNECT, forceNew: true, useNativeTimers }));
        let connects = 0;
        socket.on("connect", () => connects++);
        for (let i = 0; i < 300 && connects === 0; i++) await wait(10);
        socket.emit("close-transport");
        for (let i = 0; i < 100 && connects < 2; i++) await wait(10);
        socket.disconnect();
        return { connects };
      });
    return { native: await attempt(true), page: await attempt(false) };
  }, { underFakeTimers, RECONNECT });
  assert.deepEqual(result, { native: { connects: 2, faked: false }, page: { connects: 1, faked: true } });
});

scenario("protocols: the WebSocket offers these subprotocols (the server agrees on the first)", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const plain = await t.upgraded(await t.connect(t.url, { forceNew: true, protocols: ["chat.v1", "chat.v0"] }));
    const perTransport = await t.upgraded(
      await t.connect(t.url, { forceNew: true, transportOptions: { websocket: { protocols: "override" } } }),
    );
    const none = await t.upgraded(await t.connect(t.url, { forceNew: true }));
    const answer = [];
    for (const socket of [plain, perTransport, none]) {
      answer.push((await t.call(socket, "ws-protocol"))[0]);
      socket.disconnect();
    }
    return answer;
  });
  assert.deepEqual(result, ["chat.v1", "override", null]);
}, { only: ["websocket", "upgrade"] });

scenario("forceBase64: b64=1 on the handshake, binary sent and received as base64 text", async ({ run, server, mode }) => {
  const result = await run(async ({ io }, t) => {
    // Every WebSocket frame the page sends, as "text" or "binary".
    const frames = [];
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      frames.push(typeof data === "string" ? (data.startsWith("b") ? "base64" : "text") : "binary");
      return send.call(this, data);
    };
    try {
      const socket = await t.upgraded(await t.connect(t.url, { forceNew: true, forceBase64: true }));
      const [echoed] = await t.call(socket, "echo", new Uint8Array([1, 2, 255]));
      const [described] = await t.call(socket, "describe", { bin: new Uint8Array([7, 8]).buffer });
      const answer = {
        id: socket.id,
        echoed: [echoed instanceof ArrayBuffer, [...new Uint8Array(echoed)]],
        described,
        binaryFrames: frames.filter((kind) => kind === "binary").length,
        base64Frames: frames.filter((kind) => kind === "base64").length,
      };
      socket.disconnect();
      return answer;
    } finally {
      WebSocket.prototype.send = send;
    }
  });
  assert.equal(server.socket(result.id).query.b64, "1");
  assert.deepEqual(result.echoed, [true, [1, 2, 255]]);
  assert.deepEqual(result.described, [{ bin: { Buffer: [7, 8] } }]);
  assert.equal(result.binaryFrames, 0, "no binary WebSocket frame");
  assert.equal(result.base64Frames, mode === "polling" ? 0 : 2, "each attachment as one base64 text frame");
});

scenario("requestTimeout: a long-polling GET that outlasts it fails the connection (xhr poll error)", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url, { forceNew: true, requestTimeout: 300 });
    const started = Date.now();
    const [reason, description] = await t.next(socket, "disconnect", 5000);
    return {
      reason,
      description: [description?.message, description?.description],
      soon: Date.now() - started < 3000,
    };
  });
  assert.deepEqual(result, { reason: "transport error", description: ["xhr poll error", 0], soon: true });
}, { only: ["polling"] });

// The dedicated server is another origin (its own port): cookies go with polling requests only when
// withCredentials asks for them. It sets a cookie of its own name on every handshake (socket.io's
// `cookie` option); a second connection shows whether the first one's was kept and sent.
scenario("withCredentials: cross-origin polling requests keep and send the server's cookies", async ({ run, client }) => {
  const name = `creds-${client}-${Date.now()}`;
  const dedicated = await startDedicatedServer({ cors: { origin: true, credentials: true }, cookie: { name, sameSite: "lax" } });
  try {
    const result = await run(async ({ io }, t) => {
      const cookies = [];
      for (const withCredentials of [false, false, true, true]) {
        const socket = await t.connect(t.dedicatedUrl, { forceNew: true, withCredentials });
        const [{ cookie }] = await t.call(socket, "handshake");
        cookies.push(cookie);
        socket.disconnect();
      }
      return cookies;
    }, { dedicatedUrl: dedicated.url });
    const sent = result.map((cookie) => (cookie ?? "").includes(`${name}=`));
    assert.deepEqual(sent, [false, false, false, true]);
  } finally {
    await dedicated.close();
  }
}, { only: ["polling"] });

scenario("timestampRequests / timestampParam: the cache-busting parameter's name, and where it goes", async ({ run, server, mode }) => {
  const result = await run(async ({ io }, t) => {
    const always = await t.connect(t.url, { forceNew: true, timestampRequests: true, timestampParam: "ts" });
    const never = await t.connect(t.url, { forceNew: true, timestampRequests: false });
    const ids = [always.id, never.id];
    always.disconnect();
    never.disconnect();
    return ids;
  });
  const [always, never] = result.map((id) => server.socket(id).query);
  assert.match(always.ts, /^[\w-]+$/);
  assert.equal(always.t, undefined);
  assert.equal(never.t, undefined, `no timestamp in ${mode} mode`);
});

scenario("addTrailingSlash: false reaches a server whose path has no trailing slash", async ({ run }) => {
  const dedicated = await startDedicatedServer({ addTrailingSlash: false });
  try {
    const result = await run(async ({ io }, t) => {
      const socket = await t.connect(t.dedicatedUrl, { forceNew: true, addTrailingSlash: false });
      const [transport] = await t.call(socket, "transport");
      socket.disconnect();
      return { connected: true, transport };
    }, { dedicatedUrl: dedicated.url });
    assert.equal(result.connected, true);
  } finally {
    await dedicated.close();
  }
});

// socket.io-client's typings declare `_close()` public and its ESM build has it, but its browser bundle
// (which the harness serves) mangles the name: there, its alias `disconnect()` runs the same code.
scenario("Manager#_close() (disconnect()): forced close for the Manager and its sockets, no reconnection", async ({ run, client }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url, { ...t.RECONNECT, forceNew: true });
    const journal = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
    const method = typeof socket.io._close === "function" ? "_close" : "disconnect";
    socket.io[method]();
    await t.sleep(300); // a reconnection would be done by now
    const answer = { method, journal: [...journal], connected: socket.connected, state: socket.io.engine.readyState };
    socket.disconnect();
    return answer;
  }, { RECONNECT });
  assert.deepEqual({ ...result, method: undefined }, {
    method: undefined,
    journal: ["s disconnect forced close", "m close forced close"],
    connected: false,
    state: "closed",
  });
  if (client === "ours") assert.equal(result.method, "_close");
});
