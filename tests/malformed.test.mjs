// A server sending garbage: the client disconnects with the right reason, raises nothing in the page,
// and a new connection to a well-behaved server works afterwards.
import assert from "node:assert/strict";
import { AFTER, ENGINE_IO_GARBAGE, SOCKET_IO_GARBAGE, TOLERATED } from "./harness/malformed-server.mjs";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

// In the page: connects to the malformed server asking for garbage t.bad, waits for the disconnect,
// then checks that a new connection to the main server works.
async function receiveGarbage({ io }, t) {
  const bad = io(t.malformedUrl, t.opts({ query: { bad: t.bad } }));
  const disconnected = t.next(bad, "disconnect");
  await t.connected(bad);
  const [reason, description] = await disconnected;
  const fresh = await t.connect(t.url);
  const [echo] = await t.call(fresh, "echo", "a new connection works");
  return { reason, description: t.plain(description), connected: bad.connected, echo };
}

const cases = [
  ...Object.keys(SOCKET_IO_GARBAGE).map((bad) => [bad, "parse error"]),
  ...Object.keys(ENGINE_IO_GARBAGE).map((bad) => [bad, "transport error"]),
];
for (const [bad, reason] of cases) {
  scenario(`malformed server packet ${bad}: "${reason}"`, async ({ run }) => {
    const result = await run(receiveGarbage, { bad });
    // the disconnect description is the Error that closed the connection
    assert.deepEqual({ ...result, description: typeof result.description?.Error }, {
      reason,
      description: "string",
      connected: false,
      echo: "a new connection works",
    });
  }, { only: ["websocket"] }); // the raw server speaks WebSocket only
}

for (const bad of Object.keys(TOLERATED)) {
  scenario(`odd server packet ${bad} is ignored`, async ({ run }) => {
    const result = await run(async ({ io }, t) => {
      const socket = io(t.malformedUrl, t.opts({ query: { bad: t.bad } }));
      const received = t.record(socket, ["after", "disconnect"]);
      await t.next(socket, "after");
      await t.sleep(50);
      return { received, connected: socket.connected };
    }, { bad });
    assert.deepEqual(result, { received: [AFTER], connected: true });
  }, { only: ["websocket"] });
}
