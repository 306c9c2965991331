// Acknowledgements both ways, ack ids on the wire, and acks the client never asked for.
import assert from "node:assert/strict";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

scenario("emit with a trailing callback gets the server's ack values", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const several = await t.call(socket, "echo", 1, "two", { three: 3 }, [4], null);
    const none = await t.call(socket, "echo");
    return { id: socket.id, several, none };
  });
  assert.deepEqual(result.several, [1, "two", { three: 3 }, [4], null]);
  assert.deepEqual(result.none, []);
  // ack ids count from 0 per socket
  assert.deepEqual(server.inbound(result.id, "2"), ['20["echo",1,"two",{"three":3},[4],null]', '21["echo"]']);
});

scenario("server emit with ack: the listener gets an ack function that sends once", async ({ run, server }) => {
  const result = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const seen = [];
    socket.on("question", (...args) => {
      const ack = args.pop();
      seen.push({ args, ackType: typeof ack });
      ack("answer", 42, { ok: true });
      ack("a second call must not be sent");
    });
    const answer = await t.call(socket, "ask", "question", "a", 2);
    await t.call(socket, "echo"); // any second ACK would have reached the server before this one
    return { id: socket.id, seen, answer };
  });
  assert.deepEqual(result.seen, [{ args: ["a", 2], ackType: "function" }]);
  assert.deepEqual(result.answer, ["answer", 42, { ok: true }]);
  assert.deepEqual(server.socket(result.id).acks, [["answer", 42, { ok: true }]]);
  // exactly one ACK (its id is the server's: socket.io counts them per namespace)
  const acks = server.inbound(result.id, "3");
  assert.equal(acks.length, 1, acks.join(" "));
  assert.match(acks[0], /^3\d+\["answer",42,\{"ok":true\}\]$/);
});

scenario("acks with an unknown or already used id are ignored", async ({ run }) => {
  const calls = await run(async ({ io }, t) => {
    const socket = await t.connect(t.url);
    const calls = [];
    socket.emit("echo", "first", (...args) => calls.push(args)); // ack id 0
    await t.call(socket, "echo");
    socket.emit("raw", '30["ack id 0 again"]');
    socket.emit("raw", '3999["never asked for"]');
    const [alive] = await t.call(socket, "echo", "still connected");
    return { calls, alive, connected: socket.connected };
  });
  assert.deepEqual(calls, { calls: [["first"]], alive: "still connected", connected: true });
});
