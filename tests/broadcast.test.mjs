// The chat pattern: two sockets in one page, one emits, the server relays to all or to the others.
import assert from "node:assert/strict";
import { conformance } from "./harness/suite.mjs";

const { scenario } = await conformance();

scenario("broadcast to all and to the others between two sockets of one page", async ({ run }) => {
  const result = await run(async ({ io }, t) => {
    const alice = await t.connect(t.url, { forceNew: true });
    const bob = await t.connect(t.url, { forceNew: true });
    const logs = { alice: t.record(alice, ["broadcast", "chat"]), bob: t.record(bob, ["broadcast", "chat"]) };
    const delivered = Promise.all([t.next(alice, "broadcast"), t.next(bob, "broadcast"), t.next(bob, "chat")]);
    alice.emit("broadcast", "hello everyone", { from: "alice" });
    alice.emit("chat", "hello bob", new Uint8Array([1, 2]));
    await delivered;
    await t.sleep(50); // alice must not get her own chat message
    return { separateManagers: alice.io !== bob.io, logs };
  });
  assert.equal(result.separateManagers, true);
  assert.deepEqual(result.logs, {
    alice: [["broadcast", "hello everyone", { from: "alice" }]],
    bob: [
      ["broadcast", "hello everyone", { from: "alice" }],
      ["chat", "hello bob", { ArrayBuffer: [1, 2] }],
    ],
  });
});
