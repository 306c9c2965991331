// The engine's packet-level events as pages observe them: `packet` for what arrives, `packetCreate`
// for what is written, with engine.io-client's packet objects ({ type, data }).
import assert from "node:assert/strict";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

scenario("engine packet and packetCreate events carry { type, data }", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const socket = io(t.url, t.opts());
    const seen = [];
    const record = (direction) => ({ type, data }) => {
      if (type === "message") seen.push([direction, type, typeof data === "string" ? data : "binary"]);
    };
    socket.io.engine.on("packet", record("in"));
    socket.io.engine.on("packetCreate", record("out"));
    await t.connected(socket);
    await t.call(socket, "echo", "x");
    socket.emit("emit-back", "bin", new Uint8Array([1]));
    await t.next(socket, "bin");
    return seen;
  });
  assert.deepEqual(result, [
    ["out", "message", "0"],
    ["in", "message", result[1][2]],
    ["out", "message", '20["echo","x"]'],
    ["in", "message", '30["x"]'],
    ["out", "message", '51-["emit-back","bin",{"_placeholder":true,"num":0}]'],
    ["out", "message", "binary"],
    ["in", "message", '51-["bin",{"_placeholder":true,"num":0}]'],
    ["in", "message", "binary"],
  ]);
  assert.match(result[1][2], /^0\{"sid":"[^"]+"\}$/);
});
