// The page's code called back by the client while it works (issue 13, item 9): getters and toJSON of the
// auth object, of emitted values and of the options, that call the client again. Ours must never run the
// page's code while its wasm holds its state: it would trap, and the call would be lost.
import assert from "node:assert/strict";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

// The auth, given as an object with toJSON, an object with a getter, or a function, emits while the
// CONNECT is being encoded: the emit waits in the send buffer, the CONNECT carries the auth.
for (const kind of ["toJSON", "getter", "function"]) {
  scenario(`auth (${kind}) that emits while the CONNECT is encoded: both arrive`, async ({ run }) => {
    const result = await run(async ({ io }, t) => {
      const box = {};
      const emitting = (token) => ({ toJSON: () => (box.socket.emit("echo", `from ${t.kind}`), { token }) });
      const auth = {
        toJSON: emitting("json"),
        getter: { get token() { box.socket.emit("echo", "from getter"); return "getter"; } },
        function: (callback) => callback(emitting("function")),
      }[t.kind];
      const socket = (box.socket = io(t.url, t.opts({ auth })));
      const echoes = t.record(socket, ["echo"]);
      await t.connected(socket);
      const [handshake] = await t.call(socket, "handshake");
      await t.sleep(100); // a second echo would show up here
      return { auth: handshake.auth, echoes: [...echoes] };
    }, { kind });
    const token = { toJSON: "json", getter: "getter", function: "function" }[kind];
    assert.deepEqual(result, { auth: { token }, echoes: [["echo", `from ${kind}`]] });
  });
}

// An emitted value whose toJSON emits: the inner emit goes out while the outer one is being encoded
// (socket.io-client calls toJSON twice: once looking for binary, once to stringify).
scenario("an emitted value whose toJSON emits: every emit arrives, inner ones first", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    let inner = 0;
    socket.emit("void", { toJSON: () => (socket.emit("void", `inner ${++inner}`), "outer") });
    await t.call(socket, "echo", "done");
    return { id: socket.id, connected: socket.connected };
  });
  assert.equal(result.connected, true);
  assert.deepEqual(server.inbound(result.id, "2"), [
    '2["void","inner 1"]',
    '2["void","inner 2"]',
    '2["void","outer"]',
    '20["echo","done"]',
  ]);
});

// A socket option read while the Manager registers the socket (a getter) emits on another socket of the
// same Manager.
scenario("a socket option getter that emits on a socket of the same Manager: the emit arrives", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const root = await t.connect(t.url);
    const echoed = t.next(root, "echo");
    const options = t.opts({ auth: { token: "secret" } });
    let reads = 0;
    Object.defineProperty(options, "retries", { enumerable: true, get: () => (++reads === 1 && root.emit("echo", "from getter"), 0) });
    const admin = io(t.url + "/admin", options);
    await t.connected(admin);
    return { sameManager: admin.io === root.io, echoed: await echoed, connected: [root.connected, admin.connected] };
  });
  assert.deepEqual(result, { sameManager: true, echoed: ["from getter"], connected: [true, true] });
});

// Binary data whose own `byteLength` getter reads the client (a typed array subclass): polling counts the
// binary values of a POST against maxPayload while the wasm holds its state. Three 400 kB arrays in one
// tick are 1.6 MB as base64, above the server's 1 MB: they must go in several POSTs. (Ours read the
// getter there: the getter's read trapped, the sizes counted as 0, the one 1.6 MB POST got HTTP 413.)
scenario("binary whose byteLength getter reads the socket: polling still splits its POSTs, all arrive", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const log = t.journal([["m", socket.io, t.MANAGER_EVENTS], ["s", socket, t.SOCKET_EVENTS]]);
    class Watched extends Uint8Array {
      get byteLength() {
        return socket.connected ? super.byteLength : 0;
      }
    }
    const echoes = [];
    for (const fill of [1, 2, 3]) socket.emit("echo", new Watched(400_000).fill(fill), (data) => echoes.push(new Uint8Array(data)));
    await t.call(socket, "echo", "done");
    await t.until(() => echoes.length === 3);
    return { log, connected: socket.connected, echoes: echoes.map((bytes) => [bytes.length, bytes[0], bytes[399_999]]) };
  });
  assert.deepEqual(result, { log: [], connected: true, echoes: [[400_000, 1, 1], [400_000, 2, 2], [400_000, 3, 3]] });
}, { only: ["polling"] });
