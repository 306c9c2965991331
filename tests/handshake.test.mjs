// What the client sends when it connects (auth, query, path) and how a refused connection looks.
import assert from "node:assert/strict";
import { CUSTOM_PATH } from "./harness/socket-server.mjs";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

// In the page: io(t.url + t.nsp, t.opts(t.options)), then the connect or connect_error events seen
// until 100 ms after the first one.
async function attempt({ io }, t) {
  const socket = io(t.url + (t.nsp ?? ""), t.opts(t.options));
  const log = [];
  socket.on("connect", () => log.push({ event: "connect", id: socket.id }));
  socket.on("connect_error", (err) =>
    log.push({ event: "connect_error", isError: err instanceof Error, message: err.message, data: err.data }),
  );
  await t.firstOf(socket, ["connect", "connect_error"]);
  await t.sleep(100);
  return { log, connected: socket.connected };
}

const refusal = (message, data) => ({
  log: [{ event: "connect_error", isError: true, message, data }],
  connected: false,
});

scenario('connect_error from middleware: message "not authorized" and data', async ({ run }) => {
  for (const options of [{}, { auth: { token: "wrong" } }]) {
    const result = await run(attempt, { nsp: "/admin", options });
    assert.deepEqual(result, refusal("not authorized", { code: 42 }), JSON.stringify(options));
  }
});

scenario('connect_error "Invalid namespace" for a namespace the server does not have', async ({ run }) => {
  assert.deepEqual(await run(attempt, { nsp: "/nowhere" }), refusal("Invalid namespace", undefined));
});

scenario('connect_error "websocket error" when the WebSocket handshake fails', async ({ run }) => {
  const result = await run(attempt, { url: "ws://127.0.0.1:1", options: { timeout: 2000 } });
  assert.deepEqual(result, refusal("websocket error", undefined));
}, { only: ["websocket"] });

scenario("auth object reaches socket.handshake.auth", async ({ run, server }) => {
  const { log } = await run(attempt, { nsp: "/admin", options: { auth: { token: "secret", extra: [1] } } });
  assert.equal(log.length, 1);
  assert.equal(log[0].event, "connect");
  assert.deepEqual(server.socket(log[0].id).auth, { token: "secret", extra: [1] });
  assert.equal(server.socket(log[0].id).nsp, "/admin");
});

scenario("auth function is called on every connect", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    let calls = 0;
    const auth = (cb) => cb({ token: "secret", call: ++calls });
    const socket = await t.connected(io(t.url + "/admin", t.opts({ auth })));
    const firstId = socket.id;
    socket.disconnect().connect();
    await t.next(socket, "connect");
    return { calls, ids: [firstId, socket.id] };
  });
  assert.equal(result.calls, 2);
  assert.deepEqual(result.ids.map((id) => server.socket(id).auth), [
    { token: "secret", call: 1 },
    { token: "secret", call: 2 },
  ]);
});

scenario("query option and URL query string reach socket.handshake.query", async ({ run, server, mode }) => {
  const result = await run(async ({ io }, t) => {
    const viaOption = await t.connect(t.url, { query: { a: "1", n: 2, words: "two words & more", emoji: "👋" } });
    const viaUrl = await t.connect(t.url + "/?from=url&x=%2F", { forceNew: true });
    const [answer] = await t.call(viaOption, "handshake");
    return { answerQuery: answer.query, ids: [viaOption.id, viaUrl.id] };
  });
  // The handshake request's query: polling adds a random cache-busting `t`, WebSocket does not.
  const polling = mode !== "websocket";
  const withoutTimestamp = ({ t, ...query }) => {
    assert.equal(typeof t, polling ? "string" : "undefined");
    return query;
  };
  const base = { EIO: "4", transport: polling ? "polling" : "websocket" };
  const optionQuery = { ...base, a: "1", n: "2", words: "two words & more", emoji: "👋" };
  assert.deepEqual(withoutTimestamp(result.answerQuery), optionQuery);
  const queries = result.ids.map((id) => withoutTimestamp(server.socket(id).query));
  assert.deepEqual(queries, [optionQuery, { ...base, from: "url", x: "/" }]);
});

scenario("custom path, with or without a trailing slash", async ({ run, server }) => {
  for (const path of [CUSTOM_PATH, CUSTOM_PATH + "/"]) {
    const { log } = await run(attempt, { options: { path } });
    assert.equal(log[0]?.event, "connect", path);
    assert.equal(server.socket(log[0].id).path, CUSTOM_PATH);
  }
});

scenario("extraHeaders (and transportOptions.polling.extraHeaders) go with polling requests", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const plain = await t.connect(t.url, { extraHeaders: { "x-custom": "plain" }, forceNew: true });
    const overridden = await t.connect(t.url, {
      extraHeaders: { "x-custom": "plain" },
      transportOptions: { polling: { extraHeaders: { "x-custom": "per transport" } } },
      forceNew: true,
    });
    const [first] = await t.call(plain, "handshake");
    const [second] = await t.call(overridden, "handshake");
    return [first.custom, second.custom];
  });
  assert.deepEqual(result, ["plain", "per transport"]);
}, { only: ["polling"] });
