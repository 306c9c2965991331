// Binary args (ArrayBuffer, typed arrays, DataView, Blob) anywhere in events and acks, both ways.
import assert from "node:assert/strict";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

// In the page: one value of each binary kind, keyed by name, plus everything nested.
function binaryKinds() {
  const framed = new Uint8Array([0, 9, 8, 7, 0]);
  const kinds = {
    arrayBuffer: new Uint8Array([1, 2, 3]).buffer,
    emptyArrayBuffer: new ArrayBuffer(0),
    uint8Array: new Uint8Array([4, 5]),
    viewWithOffset: new Uint8Array(framed.buffer, 1, 3),
    int16Array: new Int16Array([1, -2]),
    dataView: new DataView(new Uint8Array([10, 11, 12, 13]).buffer, 1, 2),
    blob: new Blob([new Uint8Array([20, 21])]),
  };
  return [...Object.values(kinds), { nested: { deep: [kinds.uint8Array, "text"] } }, [kinds.dataView, 1]];
}

// The bytes the server and the page receive for binaryKinds(), each one wrapped by `as`.
const expectedKinds = (as) => [
  as([1, 2, 3]),
  as([]),
  as([4, 5]),
  as([9, 8, 7]),
  as([1, 0, 254, 255]),
  as([11, 12]),
  as([20, 21]),
  { nested: { deep: [as([4, 5]), "text"] } },
  [as([11, 12]), 1],
];
// The attachments' bytes in the order they are sent (depth-first through the args).
const ATTACHMENTS = [[1, 2, 3], [], [4, 5], [9, 8, 7], [1, 0, 254, 255], [11, 12], [20, 21], [4, 5], [11, 12]];
const asBuffer = (bytes) => ({ Buffer: bytes });
const asArrayBuffer = (bytes) => ({ ArrayBuffer: bytes });
const placeholders = (from, count) =>
  Array.from({ length: count }, (_, i) => JSON.stringify({ _placeholder: true, num: from + i })).join(",");

scenario("binary of every kind reaches the server, top level and nested", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const [serverView] = await t.call(socket, "describe", ...t.binaryKinds());
    return { id: socket.id, serverView };
  }, { binaryKinds });
  assert.deepEqual(result.serverView, expectedKinds(asBuffer));
  const nested = `{"nested":{"deep":[${placeholders(7, 1)},"text"]}}`;
  assert.deepEqual(server.inbound(result.id, "5"), [
    `59-0["describe",${placeholders(0, 7)},${nested},[${placeholders(8, 1)},1]]`,
  ]);
  const attachments = server.inbound(result.id).filter((packet) => typeof packet !== "string");
  assert.deepEqual(attachments.map((packet) => packet.binary), ATTACHMENTS);
});

scenario("binary from the server arrives as ArrayBuffer, in order with other events", async ({ run }) => {
  const received = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const log = t.record(socket, ["echo"]);
    socket.emit("echo", ...t.binaryKinds());
    socket.emit("echo", "text after binary");
    socket.emit("echo", new Uint8Array([1]));
    while (log.length < 3) await t.next(socket, "echo");
    return log;
  }, { binaryKinds });
  assert.deepEqual(received, [
    ["echo", ...expectedKinds(asArrayBuffer)],
    ["echo", "text after binary"],
    ["echo", asArrayBuffer([1])],
  ]);
});

scenario("binary in acks, both ways", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const serverAck = await t.call(socket, "echo", new Uint8Array([1, 2]), { inner: new Uint8Array([3]).buffer });
    socket.on("question", (buffer, ack) =>
      ack(new Uint8Array(buffer).reverse(), { nested: new Blob([new Uint8Array([9])]) }),
    );
    const forwarded = await t.call(socket, "ask", "question", new Uint8Array([5, 6, 7]));
    return { id: socket.id, serverAck: t.plain(serverAck), forwarded: t.plain(forwarded) };
  });
  assert.deepEqual(result.serverAck, [asArrayBuffer([1, 2]), { inner: asArrayBuffer([3]) }]);
  assert.deepEqual(server.socket(result.id).acks, [[asBuffer([7, 6, 5]), { nested: asBuffer([9]) }]]);
  assert.deepEqual(result.forwarded, [asArrayBuffer([7, 6, 5]), { nested: asArrayBuffer([9]) }]);
  const [ackHeader, ...more] = server.inbound(result.id, "6"); // the ack id is the server's
  assert.deepEqual([ackHeader.replace(/^62-\d+/, "62-<id>"), ...more], [
    `62-<id>[${placeholders(0, 1)},{"nested":${placeholders(1, 1)}}]`,
  ]);
});

scenario("more than 10 attachments in one packet: the server closes the connection", async ({ run, mode }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const ten = Array.from({ length: 10 }, (_, i) => new Uint8Array([i]));
    const [tenBack] = await t.call(socket, "describe", ...ten);
    socket.emit("echo", ...ten, new Uint8Array([10]));
    const [reason] = await t.next(socket, "disconnect");
    return { tenBack: tenBack.length, reason };
  });
  // Over polling the server's close races the pending GET: either reason is what the official client
  // reports, depending on which the browser delivers first (seen under load).
  const reasons = mode === "websocket" ? ["transport close"] : ["transport close", "transport error"];
  assert.equal(result.tenBack, 10);
  assert.ok(reasons.includes(result.reason), result.reason);
});
