// Events both ways: JSON args of every kind (with JSON.stringify semantics), several args, event names.
import assert from "node:assert/strict";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

// What the server and, on the way back, the page see of the args sent below.
const JSON_ARGS = [
  0, -1.5, 1e21, Number.MAX_SAFE_INTEGER, null, null,
  "", "quotes \" and \\ backslash\n\ttabs \u0001", "héllo wörld, 日本語, emoji 👋🏽 🇫🇷 🤖",
  null, true, false,
  [], [1, "two", [3, [4]]], [1, null, 3],
  {}, { nested: { deeper: { list: [1, { leaf: "x" }] } } }, { kept: 1 },
  "2020-01-02T03:04:05.006Z",
  "from toJSON",
  null,
];

scenario("JSON args of every kind reach the server and come back", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const args = [
      0, -1.5, 1e21, Number.MAX_SAFE_INTEGER, NaN, -Infinity,
      "", "quotes \" and \\ backslash\n\ttabs \u0001", "héllo wörld, 日本語, emoji 👋🏽 🇫🇷 🤖",
      null, true, false,
      [], [1, "two", [3, [4]]], [1, undefined, 3],
      {}, { nested: { deeper: { list: [1, { leaf: "x" }] } } }, { kept: 1, dropped: undefined },
      new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 6)),
      { toJSON: () => "from toJSON" },
      undefined,
    ];
    const socket = await t.connect(t.url);
    const [serverView] = await t.call(socket, "describe", ...args);
    const echoed = t.next(socket, "echo");
    socket.emit("echo", ...args);
    return { serverView, echoed: t.plain(await echoed) };
  });
  assert.deepEqual(result.serverView, JSON_ARGS);
  assert.deepEqual(result.echoed, JSON_ARGS);
});

scenario("no args and several args, both ways", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const received = t.record(socket, ["empty", "several"]);
    const serverViews = [await t.call(socket, "describe"), await t.call(socket, "describe", 1, "2", [3])];
    socket.emit("emit-back", "empty");
    socket.emit("emit-back", "several", 1, "2", [3], { four: 4 });
    await t.next(socket, "several");
    return { serverViews, received };
  });
  assert.deepEqual(result.serverViews, [[[]], [[1, "2", [3]]]]);
  assert.deepEqual(result.received, [["empty"], ["several", 1, "2", [3], { four: 4 }]]);
});

scenario("numeric and unicode event names", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const received = t.record(socket, [7, "événement 🎉"]);
    socket.emit(42, "to the server");
    socket.emit("emit-back", 7, "seven");
    socket.emit("emit-back", "événement 🎉", "unicode");
    await t.next(socket, "événement 🎉");
    return { id: socket.id, received };
  });
  assert.deepEqual(result.received, [[7, "seven"], ["événement 🎉", "unicode"]]);
  assert.equal(server.inbound(result.id, "2")[0], '2[42,"to the server"]');
});
