// Custom parsers (`io(url, { parser })`, socket.io-parser's Encoder/Decoder interface): the same code with
// socket.io-msgpack-parser on both ends, against a server started with that parser: events, acks, binary,
// namespaces, a refused CONNECT, and malformed packets from the server. Each scenario runs twice: with
// socket.io-msgpack-parser in the page, and with our built-in `msgpackParser` (socket.io-client, which has
// none, keeps socket.io-msgpack-parser as the reference).
import assert from "node:assert/strict";
import { after } from "node:test";
import { createRequire } from "node:module";
import { build } from "esbuild";
import msgpackParser from "socket.io-msgpack-parser";
import { startDedicatedServer } from "./harness/dedicated-server.mjs";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();
const server = await startDedicatedServer({ parser: msgpackParser });
after(() => server.close());

// socket.io-msgpack-parser for the page: one ES module (its CommonJS and notepack.io's browser build).
const require = createRequire(import.meta.url);
const bundled = await build({
  entryPoints: [require.resolve("socket.io-msgpack-parser")],
  bundle: true,
  format: "esm",
  platform: "browser",
  write: false,
  logLevel: "warning",
});
const parserSource = bundled.outputFiles[0].text;

// In the page: the built-in msgpackParser when asked for and the client has one, else
// socket.io-msgpack-parser imported from its source.
async function loadParser(lib, t) {
  if (t.builtin && lib.msgpackParser) return lib.msgpackParser;
  const url = URL.createObjectURL(new Blob([t.parserSource], { type: "text/javascript" }));
  return (await import(url)).default;
}

const VARIANTS = [
  ["socket.io-msgpack-parser", false],
  ["built-in msgpackParser", true],
];
for (const [variant, builtin] of VARIANTS) {
  const withParser = (extra) => ({ url: server.url, parserSource, loadParser, builtin, ...extra });

  scenario(`${variant}: events and acks both ways, with their data as msgpack`, async ({ run }) => {
    const result = await run(async (lib, t) => {
      const parser = await t.loadParser(lib, t);
      const socket = await t.connect(t.url, { parser });
      const log = t.record(socket, ["echo"]);
      socket.on("question", (text, ack) => {
        log.push(["question", text]);
        ack(`answer to ${text}`);
      });
      const acked = await t.call(socket, "echo", "hi", 42, { nested: [true, null, 1.5] });
      socket.emit("echo", "no ack", -7);
      const asked = await t.call(socket, "ask", "question", "q1");
      await t.until(() => log.length >= 2, "the echo and the question");
      return { acked, asked, log, id: socket.id };
    }, withParser());
    assert.deepEqual(result.acked, ["hi", 42, { nested: [true, null, 1.5] }]);
    assert.deepEqual(result.asked, ["answer to q1"]);
    assert.deepEqual(result.log, [["echo", "no ack", -7], ["question", "q1"]]);
    const inbound = server.observed.inbound(result.id);
    assert.ok(inbound.length >= 4 && inbound.every((packet) => typeof packet !== "string"), "every packet is one binary message");
  });

  scenario(`${variant}: the packets the Encoder gets are socket.io-client's`, async ({ run }) => {
    const packets = await run(async (lib, t) => {
      const parser = await t.loadParser(lib, t);
      const seen = [];
      class Encoder extends parser.Encoder {
        encode(packet) {
          seen.push(JSON.stringify(packet));
          return super.encode(packet);
        }
      }
      const socket = await t.connect(t.url, { parser: { Encoder, Decoder: parser.Decoder } });
      socket.on("question", (text, ack) => ack("a"));
      await t.call(socket, "echo", 1);
      socket.compress(false).emit("void", 2);
      await t.call(socket, "ask", "question", "q");
      socket.disconnect();
      // The server numbers its requests per namespace, across sockets.
      return seen.map((packet) => packet.replace(/"type":3,"id":\d+/, '"type":3,"id":"(the server\'s)"'));
    }, withParser());
    assert.deepEqual(packets, [
      '{"type":0,"nsp":"/"}',
      '{"type":2,"data":["echo",1],"options":{"compress":true},"id":0,"nsp":"/"}',
      '{"type":2,"data":["void",2],"options":{"compress":false},"nsp":"/"}',
      '{"type":2,"data":["ask","question","q"],"options":{"compress":true},"id":1,"nsp":"/"}',
      '{"type":3,"id":"(the server\'s)","data":["a"],"nsp":"/"}',
      '{"type":1,"nsp":"/"}',
    ]);
  });

  scenario(`${variant}: binary values travel inside the msgpack packet`, async ({ run }) => {
    const result = await run(async (lib, t) => {
      const parser = await t.loadParser(lib, t);
      const socket = await t.connect(t.url, { parser });
      // (notepack.io writes an ArrayBuffer as binary, a typed array as a map of its elements.)
      const [described] = await t.call(socket, "describe", new Uint8Array([1, 2]), { deep: [new Uint8Array([4]).buffer] });
      const echoed = await t.call(socket, "echo", new Uint8Array([5, 6]).buffer, "text");
      return { described, echoed: t.plain(echoed) };
    }, withParser());
    assert.deepEqual(result.described, [{ 0: 1, 1: 2 }, { deep: [{ Buffer: [4] }] }]);
    assert.deepEqual(result.echoed, [{ ArrayBuffer: [5, 6] }, "text"]);
  });

  scenario(`${variant}: namespaces: a refused CONNECT is a connect_error with the server's data, then auth succeeds`, async ({ run }) => {
    const result = await run(async (lib, t) => {
      const parser = await t.loadParser(lib, t);
      const refused = lib.io(`${t.url}/admin`, t.opts({ parser, forceNew: true }));
      const [error] = await t.next(refused, "connect_error");
      const admin = await t.connect(`${t.url}/admin`, { parser, forceNew: true, auth: { token: "secret" } });
      const main = lib.io(t.url, t.opts({ parser, forceNew: true }));
      const sameManager = admin.io.socket("/");
      await t.connected(sameManager);
      const [answer] = await t.call(sameManager, "echo", "on /");
      const [adminAnswer] = await t.call(admin, "echo", "on /admin");
      main.disconnect();
      return { error: t.plain(error), active: refused.active, answer, adminAnswer };
    }, withParser());
    assert.deepEqual(result, {
      error: { Error: "not authorized", data: { code: 42 } },
      active: false,
      answer: "on /",
      adminAnswer: "on /admin",
    });
  });

  // What the server sends as one raw Engine.IO message: not msgpack at all, msgpack of something that is not
  // a packet, a packet of an unknown type, an event whose data is not an array.
  // Each with the message of the Error the Decoder throws (the disconnect's description): socket.io-msgpack-parser's,
  // and the built-in parser's (the core's checks: "invalid packet" for what is not a packet).
  const GARBAGE = {
    "not msgpack": [[0xc1], "Could not parse"],
    "a msgpack string": [[0xa1, 0x78], "invalid packet type", "invalid packet"],
    "an unknown packet type": [[0x82, 0xa4, ...Buffer.from("type"), 0x09, 0xa3, ...Buffer.from("nsp"), 0xa1, 0x2f], "invalid packet type", "invalid packet"],
    "an event without an array": [
      [0x83, 0xa4, ...Buffer.from("type"), 0x02, 0xa3, ...Buffer.from("nsp"), 0xa1, 0x2f, 0xa4, ...Buffer.from("data"), 0x01],
      "invalid payload",
    ],
  };
  for (const [name, [bytes, external, ownMessage = external]] of Object.entries(GARBAGE)) {
    scenario(`${variant}: malformed packet from the server (${name}): "parse error" with the Decoder's error`, async ({ run, client }) => {
      const result = await run(async (lib, t) => {
        const parser = await t.loadParser(lib, t);
        const socket = await t.connect(t.url, { parser, forceNew: true });
        const disconnected = t.next(socket, "disconnect");
        socket.emit("raw", new Uint8Array(t.bytes).buffer);
        const [reason, description] = await disconnected;
        const fresh = await t.connect(t.url, { parser, forceNew: true });
        const [echo] = await t.call(fresh, "echo", "still works");
        return { reason, description: t.plain(description), connected: socket.connected, echo };
      }, withParser({ bytes }));
      const message = builtin && client === "ours" ? ownMessage : external;
      assert.deepEqual(result, { reason: "parse error", description: { Error: message, data: undefined }, connected: false, echo: "still works" });
    });
  }
}
